#!/usr/bin/env bash
# Fault harness: kills `tuner apply` at random moments on lab hosts and checks that `tuner rollback`
# then puts every host back byte for byte, and that no host ever holds a truncated or empty managed
# file. Each host starts with a drop-in another playbook wrote (net.ipv4.tcp_syn_retries = 3), which
# must survive every kill and every rollback.
#
#   bench/faults.sh sigkill 50      # SIGKILL (nothing can be cleaned up)
#   bench/faults.sh sigint 20       # SIGINT: also expects exit 130 and a word per host
#   bench/faults.sh sigterm 20      # SIGTERM: exit 143
#
# After each iteration it does what an operator would: `tuner rollback`, then `tuner unlock` for the
# host locks a killed run leaves.
# Needs root (lab hosts) and a built tuner/target/tuner. Prints one line per iteration and a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:?sigkill, sigint or sigterm}
n=${2:-50}
hosts=${HOSTS:-3}
tuner=${TUNER:-tuner/target/tuner}
case "$mode" in
  sigkill) signal=KILL; want_exit=137 ;;
  sigint) signal=INT; want_exit=130 ;;
  sigterm) signal=TERM; want_exit=143 ;;
  *) echo "mode: sigkill, sigint or sigterm" >&2; exit 2 ;;
esac
work=$(mktemp -d)
# The output of every iteration that went wrong is kept here.
keep=${KEEP:-$(mktemp -d /tmp/tuner-faults-XXXXXX)}
labdir="$work/lab"
trap 'lab/lab down --dir "$labdir" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
lab/lab up "$hosts" --dir "$labdir" >/dev/null
inv="$labdir/inventory.yml"
names=$(awk '{print $1}' "$labdir/hosts.tsv")

other='# written by another playbook
net.ipv4.tcp_syn_retries = 3
'
for h in $names; do
  printf '%s' "$other" | lab/lab exec --dir "$labdir" "$h" sh -c 'cat > /etc/sysctl.d/60-tuner.conf && sysctl -q -w net.ipv4.tcp_syn_retries=3'
done

cat > "$work/template.conf.ftl" <<'FTL'
# ${tuner_managed}
workers = ${inventory_hostname?length * 3}
FTL
cat > "$work/play.yml" <<YML
- name: fault harness
  hosts: lab
  gather_facts: false
  tasks:
    - name: memory
      sysctl: {vm.swappiness: 7, vm.dirty_ratio: 13, vm.dirty_background_ratio: 4}
    - name: network
      sysctl: {net.ipv4.tcp_fin_timeout: 17, net.core.somaxconn: 2047}
    - name: a rendered file
      template: {src: $work/template.conf.ftl, dest: /etc/tuner-fault.conf, mode: "0640"}
    - name: transparent hugepages
      sysfs: {kernel/mm/transparent_hugepage/defrag: never}
YML

# What a host holds: the values the playbook sets and every file it may write, with their modes.
state() {
  lab/lab exec --dir "$labdir" "$1" sh -c '
    for k in vm.swappiness vm.dirty_ratio vm.dirty_background_ratio net.ipv4.tcp_fin_timeout net.core.somaxconn net.ipv4.tcp_syn_retries; do
      printf "%s=%s\n" "$k" "$(sysctl -n "$k")"; done
    # The kernel prints a choice attribute as "always [madvise] never"; the lab'"'"'s fake file holds just
    # the word last written. Either way the selected word is what the host has.
    d=$(cat /sys/kernel/mm/transparent_hugepage/defrag)
    case "$d" in *"["*) d=${d#*\[}; d=${d%%\]*} ;; esac
    printf "defrag=%s\n" "$d"
    for f in /etc/sysctl.d/60-tuner.conf /etc/tuner-fault.conf /etc/tmpfiles.d/60-tuner-sysfs.conf; do
      if [ -e "$f" ]; then printf "%s %s %s\n" "$f" "$(stat -c %a "$f")" "$(sha256sum < "$f" | cut -c1-16)"; else echo "$f absent"; fi
    done'
}
# A managed file that exists must never be empty, and the other playbook's key must stay in the drop-in.
damaged() {
  lab/lab exec --dir "$labdir" "$1" sh -c '
    for f in /etc/sysctl.d/60-tuner.conf /etc/tuner-fault.conf /etc/tmpfiles.d/60-tuner-sysfs.conf; do
      [ ! -e "$f" ] || [ -s "$f" ] || echo "$f is empty"; done
    grep -q "^net.ipv4.tcp_syn_retries = 3" /etc/sysctl.d/60-tuner.conf || echo "the other playbook'"'"'s key is gone"'
}

for h in $names; do state "$h" > "$work/before.$h"; done
# How long an undisturbed apply takes: kills land anywhere from its start to just after its end.
start=$(date +%s%N)
"$tuner" apply "$work/play.yml" -i "$inv" --journal "$work/journal" --no-verify --no-color > /dev/null
full_ms=$(( ($(date +%s%N) - start) / 1000000 ))
"$tuner" rollback -i "$inv" --journal "$work/journal" --no-color > /dev/null
for h in $names; do
  state "$h" > "$work/after.$h"
  cmp -s "$work/before.$h" "$work/after.$h" || { echo "the first rollback did not restore $h" >&2; diff "$work/before.$h" "$work/after.$h" >&2; exit 1; }
done
echo "mode $mode, $n iterations, $hosts hosts, an undisturbed apply takes ${full_ms} ms"
printf '%-4s %8s %6s %-10s %-10s %s\n' iter kill_ms exit rollback restored problems

ok=0; bad=0; damaged_seen=0; wrong_exit=0
for i in $(seq 1 "$n"); do
  delay_ms=$(( RANDOM % (full_ms + full_ms / 5 + 1) ))
  "$tuner" apply "$work/play.yml" -i "$inv" --journal "$work/journal" --no-verify --no-color > "$work/apply.out" 2>&1 &
  pid=$!
  sleep "$(printf '0.%03d' "$delay_ms")" 2>/dev/null || sleep "$(echo "$delay_ms / 1000" | bc -l)"
  kill -s "$signal" "$pid" 2>/dev/null || true
  set +e; wait "$pid"; code=$?; set -e
  problems=""
  for h in $names; do
    d=$(damaged "$h")
    if [ -n "$d" ]; then problems="$problems $h: $d;"; damaged_seen=$((damaged_seen + 1)); fi
  done
  # The run may have finished before the signal: then exit 0 is right too.
  if [ "$code" != 0 ] && [ "$code" != "$want_exit" ]; then problems="$problems exit $code;"; wrong_exit=$((wrong_exit + 1)); fi
  # What an operator does after a killed run: roll it back, then clear the locks a run killed before
  # it changed anything left behind (its rollback has nothing to take them over from).
  set +e; "$tuner" rollback -i "$inv" --journal "$work/journal" --no-color > "$work/rollback.out" 2>&1; rb=$?
  "$tuner" unlock all -i "$inv" >> "$work/rollback.out" 2>&1; set -e
  restored=yes
  for h in $names; do
    state "$h" > "$work/after.$h"
    if ! cmp -s "$work/before.$h" "$work/after.$h"; then
      restored=no; problems="$problems $h differs: $(diff "$work/before.$h" "$work/after.$h" | grep '^>' | tr '\n' ' ');"
    fi
  done
  if [ "$restored" = yes ] && [ -z "$problems" ]; then ok=$((ok + 1)); else
    bad=$((bad + 1)); mkdir -p "$keep"; cp "$work/apply.out" "$keep/apply.$i.out"; cp "$work/rollback.out" "$keep/rollback.$i.out"
  fi
  printf '%-4s %8s %6s %-10s %-10s %s\n' "$i" "$delay_ms" "$code" "exit $rb" "$restored" "${problems:--}"
  # A host left as it was before a failed iteration would hide the next one's result: start over.
  if [ "$restored" = no ]; then
    for h in $names; do
      printf '%s' "$other" | lab/lab exec --dir "$labdir" "$h" sh -c 'cat > /etc/sysctl.d/60-tuner.conf'
    done
  fi
done
echo
[ "$bad" -eq 0 ] || echo "outputs of the iterations that went wrong: $keep"
echo "summary: $ok of $n iterations restored byte for byte; $bad not; truncated or damaged managed files seen: $damaged_seen; unexpected exit codes: $wrong_exit"
[ "$bad" -eq 0 ]
