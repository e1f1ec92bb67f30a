#!/usr/bin/env bash
# How reading an inventory grows with its hosts: `tuner inventory --list` on generated INI
# inventories (one range per group, each host also in a second group), and the refusal of a
# pattern beyond the host cap. Time per host should stay flat from row to row once the JVM's start
# (about half a second, in every row) is small beside the reading; the refusal should take as long
# as reading a small file.
#
#   bench/inventory-scale.sh                  # 1000 10000 100000 hosts, a built tuner/target/tuner
#   bench/inventory-scale.sh 1000 5000        # other sizes
set -euo pipefail
cd "$(dirname "$0")/.."
tuner=${TUNER:-tuner/target/tuner}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-10s %10s %14s\n' hosts seconds "µs per host"
for n in "${sizes[@]}"; do
  last=$((n - 1))
  printf '[web]\nn[0:%d]\n[all_nodes]\nn[0:%d]\n[all:vars]\nntp=pool.ntp.org\n' "$last" "$last" > "$work/hosts.ini"
  start=$(date +%s.%N)
  "$tuner" inventory -i "$work/hosts.ini" --list > "$work/out.json"
  secs=$(echo "$(date +%s.%N) - $start" | bc)
  got=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["_meta"]["hostvars"]))' "$work/out.json")
  [ "$got" -eq "$n" ] || { echo "expected $n hosts, got $got" >&2; exit 1; }
  printf '%-10s %10.2f %14.1f\n' "$n" "$secs" "$(echo "$secs * 1000000 / $n" | bc -l)"
done
printf '[web]\nh[0:999]x[0:999]\n' > "$work/huge.ini"
start=$(date +%s.%N)
if "$tuner" inventory -i "$work/huge.ini" --list > /dev/null 2> "$work/err"; then
  echo "h[0:999]x[0:999] was not refused" >&2; exit 1
fi
secs=$(echo "$(date +%s.%N) - $start" | bc)
printf 'h[0:999]x[0:999] refused in %.2f s: %s\n' "$secs" "$(head -1 "$work/err")"
