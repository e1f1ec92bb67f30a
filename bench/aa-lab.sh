#!/usr/bin/env bash
# A/A check of the verify loop on a lab host: N applies that change a setting which cannot move the
# benchmark (vm.dirty_expire_centisecs flips between two values), each verified by one benchmark.
# Every "improved" or "regressed" verdict is a false one. Prints the count and the time per verification.
#
#   bench/aa-lab.sh cpu 20            # needs root (lab hosts), sysbench/fio, a built tuner/target/tuner
#   bench/aa-lab.sh disk 20
set -euo pipefail
cd "$(dirname "$0")/.."
bench=${1:?benchmark: cpu or disk}
n=${2:-20}
tuner=${TUNER:-tuner/target/tuner}
work=$(mktemp -d)
labdir="$work/lab"
trap 'lab/lab down --dir "$labdir" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
lab/lab up 1 --dir "$labdir" >/dev/null
case "$bench" in
  cpu) vars="duration: 1" ;;
  disk) vars="runtime: 300ms, size: 32M" ;;
  *) vars="" ;;
esac
false_verdicts=0; total_s=0
printf '%-4s %-8s %-24s %8s\n' run value verdicts seconds
for i in $(seq 1 "$n"); do
  value=$((3000 + i % 2))
  cat > "$work/play.yml" <<YML
- name: A/A $bench
  hosts: lab
  gather_facts: false
  verify: {runs: 5, warmup: 1, vars: {$vars}}
  tasks:
    - name: a setting $bench does not depend on
      verify: $bench
      sysctl: {vm.dirty_expire_centisecs: $value}
YML
  start=$(date +%s.%N)
  "$tuner" apply "$work/play.yml" -i "$labdir/inventory.yml" --journal "$work/journal" --format json > "$work/out.json" || true
  secs=$(echo "$(date +%s.%N) - $start" | bc)
  verdicts=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(",".join(r["verdict"].replace(" ","_") for r in d["plays"][0]["results"][0]["verification"]["results"]))' "$work/out.json")
  case ",$verdicts," in *,improved,*|*,regressed,*) false_verdicts=$((false_verdicts + 1)) ;; esac
  total_s=$(echo "$total_s + $secs" | bc)
  printf '%-4s %-8s %-24s %8.1f\n' "$i" "$value" "$verdicts" "$secs"
done
printf '\n%s: %d of %d A/A verifications gave a false improved/regressed; %.1f s per verification on average (load %s)\n' \
  "$bench" "$false_verdicts" "$n" "$(echo "$total_s / $n" | bc -l)" "$(cut -d' ' -f1-3 /proc/loadavg)"
