#!/usr/bin/env bash
# The headline command, timed: `tuner apply playbooks/db-host.yml` on one lab host with default
# verification (every benchmark the playbook's settings call for, each in paired rounds), from
# start to recap. Prints the wall time, each benchmark's design, rounds, time and verdicts, and
# the load average before and after; then rolls the host back.
#
#   bench/headline.sh                        # one timed apply
#   RUNS=3 bench/headline.sh                 # three, each on a freshly rolled-back host
#   HOST_TIME=240s bench/headline.sh         # the same playbook with verify: {max_host_time: 240s}
#
# Needs root (lab hosts), sysbench, fio, iperf3, sockperf and a built tuner/target/tuner
# (TUNER=... for another). Run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
tuner=${TUNER:-tuner/target/tuner}
runs=${RUNS:-1}
[ -x "$tuner" ] || { echo "no $tuner: build it with 'mvn -q -DskipTests package'" >&2; exit 1; }
work=$(mktemp -d)
OUT=${OUT:-$(mktemp -d /tmp/headline.XXXXXX)}
mkdir -p "$OUT"
labdir="$work/lab"
trap 'lab/lab down --dir "$labdir" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
lab/lab up 1 --dir "$labdir" >/dev/null
inv="$labdir/inventory.yml"
# The launcher's first runs of a new build record its classes and build a class data archive:
# done here, so the timed runs are the ones a user has from then on.
for _ in 1 2 3; do "$tuner" plan playbooks/db-host.yml -i "$inv" --journal "$work/journal" >/dev/null 2>&1 || true; done
echo "$("$tuner" --version | head -1); max_host_time ${HOST_TIME:-default}; load before: $(cut -d' ' -f1-3 /proc/loadavg); documents in $OUT"
playbook=playbooks/db-host.yml
if [ -n "${HOST_TIME:-}" ]; then
  playbook="$work/db-host.yml"
  sed "s/^  hosts: all\$/  hosts: all\n  verify: {max_host_time: $HOST_TIME}/" playbooks/db-host.yml > "$playbook"
  grep -q "max_host_time: $HOST_TIME" "$playbook" || { echo "could not set max_host_time in a copy of db-host.yml" >&2; exit 1; }
fi
for i in $(seq 1 "$runs"); do
  start=$(date +%s.%N)
  set +e
  "$tuner" apply "$playbook" -i "$inv" --journal "$work/journal" --format json --report "$OUT/run$i.html" > "$OUT/run$i.json" 2> "$OUT/run$i.err"
  code=$?
  set -e
  end=$(date +%s.%N)
  python3 - "$OUT/run$i.json" "$work/journal" "$start" "$end" "$code" "$i" <<'PY'
import collections, datetime, json, sys
doc, journal, start, end, code, i = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5], sys.argv[6]
d = json.load(open(doc))
print("run %s: %.1f s wall from start to recap, exit %s" % (i, end - start, code))
events = [json.loads(l) for l in open("%s/runs/%s/hosts/lab01.jsonl" % (journal, d["run_id"]))]
t = lambda e: datetime.datetime.fromisoformat(e["time"].replace("Z", "+00:00"))
first = next((t(e) for e in events if e["event"] == "design"), None)
last = next((t(e) for e in reversed(events) if e["event"] == "verified"), None)
if first and last:
    print("  verification: %.1f s (journal, design event to verified event)" % (last - first).total_seconds())
by = collections.OrderedDict()
for play in d["plays"]:
    for h in play["results"]:
        for r in (h.get("verification") or {}).get("results", []):
            by.setdefault(r["benchmark"], []).append(r)
print("  %-8s %-12s %6s  %s" % ("bench", "design", "rounds", "verdicts"))
for b, rs in by.items():
    print("  %-8s %-12s %6s  %s" % (b, rs[0].get("design"), rs[0].get("rounds"),
          ", ".join("%s %s %+.1f%%" % (r["metric"], r["verdict"], r["changePercent"]) if r.get("changePercent") is not None
                    else "%s %s" % (r["metric"], r["verdict"]) for r in rs)))
    open_ = [r for r in rs if r["verdict"] == "inconclusive"]
    if open_:
        print("  %-8s %-12s %6s  why: %s" % ("", "", "", open_[0].get("note", "").split("; control")[0]))
PY
  "$tuner" rollback -i "$inv" --journal "$work/journal" --no-color > "$OUT/rollback$i.out" 2>&1 || { echo "rollback failed: $OUT/rollback$i.out" >&2; exit 1; }
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
