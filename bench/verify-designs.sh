#!/usr/bin/env bash
# How often each verification design gives a false verdict, and how often it finds a real 10%
# slowdown, on a quiet machine and when the machine gets busier the moment the change lands.
#
# Three lab hosts: lab01 and lab02 are changed, lab03 is the control. Each trial is one
# `tuner apply` that flips vm.dirty_expire_centisecs from 3000 to 3001 (a live sysctl, so it can be
# toggled) on the design's canaries, verified by
#   - the shipped `cpu` benchmark (sysbench), which does not read that setting: no effect, so every
#     `improved` or `regressed` is a false verdict;
#   - `cpu-slow`, sysbench doing about 10% more work per event while the setting is 3001: a real
#     slowdown, which should come out `regressed` (the calibration line says how large it is here).
# Designs, side by side:
#   interleaved   design auto: the change is toggled in rounds (random order, seed journaled);
#                 lab01 and lab02 are changed in the same apply, so one apply is two host-trials
#   control       design: control, control: lab03 (the change treated as one that cannot be
#                 toggled); lab01 only, because the changed hosts of one batch take turns with a
#                 shared control, so a second canary would only wait
#   before-after  design: before-after (the old way, as a baseline); lab01 only
# Environment shift: a watcher reads lab01's /proc/sys/vm/dirty_expire_centisecs from outside,
# through /proc/PID/root of the host's init, and starts two CPU-bound loops on this machine the
# moment the value changes (the change has landed); they are stopped when the apply ends.
#
#   bench/verify-designs.sh                       # 40 quiet + 20 shift no-effect host-trials, 20 + 20 slowdown host-trials, per design
#   QUIET=1 SHIFT=1 SLOW=1 SLOW_SHIFT=1 bench/verify-designs.sh       # smallest scale: checks the harness works
#   DESIGNS="interleaved control" bench/verify-designs.sh
#   CANARIES=lab01 VERIFY_KEYS="max_rounds: 24" bench/verify-designs.sh   # other canaries, more verify keys
#
# Needs root (lab hosts), sysbench, python3 and a built tuner/target/tuner (TUNER=... to use
# another). Run it on a quiet machine: the load average is printed before and after. Every trial's
# JSON document is kept in $OUT (default: a new directory, printed at the end).
# Holding the harness: while $OUT/pause or any file in $OUT/pause.d/ exists, no new trial starts,
# and $OUT/running exists exactly while a trial runs. To use the machine for something else
# without disturbing a measurement, create a file in $OUT/pause.d/, wait until $OUT/running is
# gone, do the work, then remove your file. Time spent held is printed and is part of no trial.
set -euo pipefail
cd "$(dirname "$0")/.."
tuner=${TUNER:-tuner/target/tuner}
QUIET=${QUIET:-40} SHIFT=${SHIFT:-20} SLOW=${SLOW:-20} SLOW_SHIFT=${SLOW_SHIFT:-20}
DESIGNS=${DESIGNS:-"interleaved control before-after"}
# sysbench's prime limit while the setting is 3001: 10760 costs about 10% more work per event.
SLOW_PRIME=${SLOW_PRIME:-10760}
[ -x "$tuner" ] || { echo "no $tuner: build it with 'mvn -q -DskipTests package'" >&2; exit 1; }
command -v sysbench >/dev/null || { echo "sysbench is not installed (apt-get install sysbench)" >&2; exit 1; }

work=$(mktemp -d)
OUT=${OUT:-$(mktemp -d /tmp/verify-designs.XXXXXX)}
mkdir -p "$OUT"
mkdir -p "$OUT/pause.d"
running="$OUT/running"
held() { [ -e "$OUT/pause" ] || [ -n "$(ls -A "$OUT/pause.d" 2>/dev/null)" ]; }
# Say "running" first, then look for a hold: whoever holds, after creating its file, waits for
# "running" to go, so a measurement and held work never overlap.
start_measuring() {
  local waited
  : > "$running"
  if held; then
    rm -f "$running"; waited=$(date +%s); echo "held: $(ls "$OUT/pause.d" "$OUT/pause" 2>/dev/null | tr '\n' ' ')"
    while held; do sleep 1; done
    waited=$(( $(date +%s) - waited )); held_total=$((held_total + waited)); echo "resumed after ${waited} s"
    : > "$running"
  fi
}
stop_measuring() { rm -f "$running"; }
held_total=0
labdir="$work/lab"
load_pids="$work/load.pids"
watcher=""
stop_load() {
  if [ -n "$watcher" ]; then kill "$watcher" 2>/dev/null || true; wait "$watcher" 2>/dev/null || true; watcher=""; fi
  if [ -s "$load_pids" ]; then
    while read -r p; do kill "$p" 2>/dev/null || true; done < "$load_pids"
    : > "$load_pids"
  fi
}
trap 'rm -f "$OUT/running"; stop_load; lab/lab down --dir "$labdir" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
: > "$load_pids"
lab/lab up 3 --dir "$labdir" >/dev/null
init_pid=$(awk -F'\t' '$1 == "lab01" { print $3 }' "$labdir/hosts.tsv")
watched="/proc/$init_pid/root/proc/sys/vm/dirty_expire_centisecs"
[ -r "$watched" ] || { echo "cannot read $watched" >&2; exit 1; }

verify="$work/verify"
mkdir -p "$verify"
cat > "$verify/cpu-slow.yml" <<'YML'
description: sysbench cpu doing about 10% more work per event while vm.dirty_expire_centisecs is 3001 (harness)
requires: [sysbench]
vars:
  duration: 1
  slow_prime: SLOW_PRIME
timeout: 2m
warmup: 1
command: |
  if [ "$(cat /proc/sys/vm/dirty_expire_centisecs)" = 3001 ]; then p={{ slow_prime }}; else p=10000; fi
  sysbench cpu --cpu-max-prime=$p --threads=1 --time={{ duration }} run
metrics:
  events_per_sec:
    regex: 'events per second:\s*([0-9.]+)'
    unit: events/s
    better: higher
YML
sed -i "s/SLOW_PRIME/$SLOW_PRIME/" "$verify/cpu-slow.yml"

# The slowdown as it really is on this machine: events/s with the setting at 3001 against 3000
# (both prime limits, alternated, 5 runs each); about -10% on a quiet machine.
calibrate() {
  local fast=() slow=()
  for _ in 1 2 3 4 5; do
    fast+=("$(sysbench cpu --cpu-max-prime=10000 --threads=1 --time=1 run | awk '/events per second/ { print $4 }')")
    slow+=("$(sysbench cpu --cpu-max-prime="$SLOW_PRIME" --threads=1 --time=1 run | awk '/events per second/ { print $4 }')")
  done
  python3 -c 'import statistics,sys; f=[float(x) for x in sys.argv[1].split()]; s=[float(x) for x in sys.argv[2].split()]; print("%+.1f%%" % ((statistics.median(s)/statistics.median(f)-1)*100))' "${fast[*]}" "${slow[*]}"
}

# The canaries of a design: the hosts it changes in one apply.
canaries() {
  if [ -n "${CANARIES:-}" ]; then echo "$CANARIES"; return; fi
  case "$1" in interleaved) echo "lab01 lab02" ;; *) echo lab01 ;; esac
}

# One trial: prints a line per canary, "verdict apply-seconds verification-seconds design-used
# rounds". The verification's time is the journal's, from the host's design event (before anything
# is measured) to its verified event.
trial() { # design benchmark shift(0|1) label
  local design=$1 bench=$2 shift_env=$3 label=$4 keys hosts
  hosts=$(canaries "$design")
  case "$design" in
    interleaved) keys="design: auto, control: none" ;;
    control) keys="design: control, control: lab03" ;;
    before-after) keys="design: before-after" ;;
  esac
  for h in $hosts; do
    lab/lab exec --dir "$labdir" "$h" sh -c 'echo 3000 > /proc/sys/vm/dirty_expire_centisecs; rm -f /etc/sysctl.d/60-tuner.conf'
  done
  cat > "$work/play.yml" <<YML
- name: verification designs
  hosts: ${hosts// /:}
  gather_facts: false
  verify: {$keys${VERIFY_KEYS:+, $VERIFY_KEYS}}
  tasks:
    - name: the setting under test
      verify: $bench
      sysctl: {vm.dirty_expire_centisecs: 3001}
YML
  if [ "$shift_env" = 1 ]; then
    ( while [ "$(cat "$watched" 2>/dev/null)" = 3000 ]; do sleep 0.05; done
      for _ in 1 2; do sh -c 'while :; do :; done' & echo $! >> "$load_pids"; done
      wait ) &
    watcher=$!
  fi
  local start end json="$OUT/$label.json"
  start=$(date +%s.%N)
  "$tuner" apply "$work/play.yml" -i "$labdir/inventory.yml" --journal "$work/journal" --verify-dir "$verify" --format json > "$json" 2> "$OUT/$label.err" || true
  end=$(date +%s.%N)
  stop_load
  python3 - "$json" "$start" "$end" "$work/journal" $hosts <<'PY'
import datetime, json, sys
took = "%.1f" % (float(sys.argv[3]) - float(sys.argv[2]))
for host in sys.argv[5:]:
    try:
        d = json.load(open(sys.argv[1]))
        r = next(x for x in d["plays"][0]["results"] if x["host"] == host)["verification"]["results"][0]
        events = [json.loads(l) for l in open("%s/runs/%s/hosts/%s.jsonl" % (sys.argv[4], d["run_id"], host))]
        at = lambda kind: datetime.datetime.fromisoformat(next(e["time"] for e in events if e["event"] == kind).replace("Z", "+00:00"))
        print(r["verdict"].replace(" ", "_"), took, "%.1f" % (at("verified") - at("design")).total_seconds(), r["design"], r["rounds"])
    except Exception as e:
        print("error", took, "-", "-", 0)
PY
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); lab hosts in $labdir; trial documents in $OUT"
start_measuring
echo "calibration: cpu-slow's events/s with the change against without, on this machine: $(calibrate)"
stop_measuring
printf '%-13s %-18s %4s  %-22s %7s %7s  %-13s %6s\n' design scenario n verdict apply-s verify-s measured rounds
results="$work/results.tsv"
: > "$results"
run_scenario() { # scenario-name host-trials benchmark shift
  local name=$1 count=$2 bench=$3 shift_env=$4 design i n line waited
  for design in $DESIGNS; do
    n=0; i=0
    while [ "$n" -lt "$count" ]; do
      i=$((i + 1))
      start_measuring
      while read -r line; do
        [ "$n" -lt "$count" ] || continue
        n=$((n + 1))
        printf '%-13s %-18s %4s  %-22s %7s %7s  %-13s %6s\n' "$design" "$name" "$n" $line
        printf '%s\t%s\t%s\n' "$design" "$name" "$line" >> "$results"
      done < <(trial "$design" "$bench" "$shift_env" "$design-$name-$i")
      stop_measuring
    done
  done
}
run_scenario "no-effect,quiet" "$QUIET" cpu 0
run_scenario "no-effect,shift" "$SHIFT" cpu 1
run_scenario "10%-slower,quiet" "$SLOW" cpu-slow 0
run_scenario "10%-slower,shift" "$SLOW_SHIFT" cpu-slow 1

echo
python3 - "$results" "$DESIGNS" <<'PY'
import collections, statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
designs = sys.argv[2].split()
by = collections.defaultdict(list)
for design, scenario, line in rows:
    verdict, secs, verify, used, rounds = line.split()
    by[(design, scenario)].append((verdict, float(verify) if verify != "-" else None, used, int(rounds)))
scenarios = ["no-effect,quiet", "no-effect,shift", "10%-slower,quiet", "10%-slower,shift"]
def cell(design, scenario):
    t = by.get((design, scenario), [])
    if not t:
        return "-"
    n = len(t)
    c = collections.Counter(v for v, *_ in t)
    if scenario.startswith("no-effect"):
        false = c["improved"] + c["regressed"]
        head = "false %d/%d" % (false, n)
    else:
        head = "found %d/%d" % (c["regressed"], n)
    rest = ", ".join("%s %d" % (k.replace("_", " "), v) for k, v in sorted(c.items()) if k not in ("improved", "regressed"))
    if scenario.startswith("no-effect") and (c["improved"] or c["regressed"]):
        rest = ", ".join(x for x in ["improved %d" % c["improved"] if c["improved"] else "", "regressed %d" % c["regressed"] if c["regressed"] else "", rest] if x)
    return head + (" (" + rest + ")" if rest else "")
width = 44
print("%-18s" % "scenario" + "".join("%-*s" % (width, d) for d in designs))
for s in scenarios:
    print("%-18s" % s + "".join("%-*s" % (width, cell(d, s)) for d in designs))
line = "%-18s" % "median verify s"
for d in designs:
    t = [secs for (dd, s), v in by.items() if dd == d and s == "no-effect,quiet" for _, secs, _, _ in v if secs is not None]
    line += "%-*s" % (width, ("%.1f (shipped cpu, quiet)" % statistics.median(t)) if t else "-")
print(line)
line = "%-18s" % "median rounds"
for d in designs:
    t = [r for (dd, s), v in by.items() if dd == d for *_, r in v]
    line += "%-*s" % (width, ("%g" % statistics.median(t)) if t else "-")
print(line)
PY
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); held ${held_total} s in all; trial documents in $OUT"
