#!/usr/bin/env bash
# Fault harness: breaks `tuner apply` on lab hosts in the ways production does (a killed controller,
# Ctrl-C, a second operator, a full disk under the journal) and checks that every host ends byte for
# byte as it was once `tuner rollback` ran, and that no host ever holds a truncated or empty managed
# file. Each host starts with a drop-in another playbook wrote (net.ipv4.tcp_syn_retries = 3), which
# must survive every fault and every rollback.
#
#   bench/faults.sh sigkill 50      # SIGKILL `apply --no-verify` at a random moment (nothing can be cleaned up)
#   bench/faults.sh sigint 20       # SIGINT a verified apply at a random moment, benchmark servers included:
#                                   #   exit 130, every host named with its state, the rollback command,
#                                   #   no benchmark process or host lock left behind
#   bench/faults.sh sigterm 20      # the same with SIGTERM: exit 143
#   bench/faults.sh concurrency 10  # two operators apply two playbooks at the same moment: one wins each host,
#                                   #   the other is refused naming it; then a SIGKILLed run's stale lock,
#                                   #   `tuner unlock`, and an apply that goes through
#   bench/faults.sh fulldisk 6      # the journal on a tiny tmpfs with K bytes free, K in 6 steps from 0 to
#                                   #   a whole run's journal; rollback with the disk still full, and after
#                                   #   freeing it
#
# After each fault it does what an operator would: `tuner rollback` (the command the interrupted
# run printed, when it printed one), then `tuner unlock` for the host locks a killed run leaves.
# Needs root (lab hosts; fulldisk also mounts a tmpfs, in a mount namespace of its own so that
# nothing is left on the machine) and a built tuner/target/tuner. Prints one line per iteration and
# a summary that counts each kind of problem; exits 1 when there was any. The output of every
# iteration that went wrong is kept (its directory is printed).
#
# Environment: HOSTS (lab size, default 3), TUNER (the tool, default tuner/target/tuner), KEEP
# (where to keep the outputs of failed iterations).
set -euo pipefail
self=$(readlink -f "$0")
cd "$(dirname "$self")/.."
mode=${1:?sigkill, sigint, sigterm, concurrency or fulldisk}
n=${2:-}
hosts=${HOSTS:-3}
tuner=$(readlink -f "${TUNER:-tuner/target/tuner}")
case "$mode" in
  sigkill) signal=KILL; want_exit=137; n=${n:-50} ;;
  sigint) signal=INT; want_exit=130; n=${n:-20} ;;
  sigterm) signal=TERM; want_exit=143; n=${n:-20} ;;
  concurrency) n=${n:-10} ;;
  fulldisk)
    n=${n:-6}
    [ "$n" -ge 2 ] || { echo "fulldisk needs at least 2 steps (0 bytes free and a whole journal free)" >&2; exit 2; }
    # The tiny file system is mounted in a private mount namespace: it (and anything it would hide)
    # vanishes with this process, whatever happens to it.
    if [ -z "${FAULTS_PRIVATE_MOUNTS:-}" ]; then
      exec unshare --mount --propagation private env FAULTS_PRIVATE_MOUNTS=1 "$self" "$@"
    fi ;;
  *) echo "mode: sigkill, sigint, sigterm, concurrency or fulldisk" >&2; exit 2 ;;
esac
work=$(mktemp -d)
keep=${KEEP:-$(mktemp -d /tmp/tuner-faults-XXXXXX)}
labdir="$work/lab"
trap 'lab/lab down --dir "$labdir" >/dev/null 2>&1 || true; umount "$work/jfs" 2>/dev/null || true; rm -rf "$work"' EXIT
lab/lab up "$hosts" --dir "$labdir" >/dev/null
inv="$labdir/inventory.yml"
names=$(awk '{print $1}' "$labdir/hosts.tsv")
first=$(echo "$names" | head -n 1)
me="$(id -un)@$(hostname)"

# ---------------------------------------------------------------------------------------------
# The hosts, the playbooks and a quick benchmark
# ---------------------------------------------------------------------------------------------

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
# The network task is verified, the others are not: an apply spends most of its time measuring, with
# the benchmark's servers running on the host, so signals land in set-up, runs and toggles as well
# as in the changes. Interleaved with a 2 s budget is one round: a run in each state, each 1 s of
# iperf3 and about 3 s of sockperf; a verified apply takes about 8 s.
# `apply --no-verify` (sigkill, fulldisk) ignores the verify keys.
cat > "$work/play.yml" <<YML
- name: fault harness
  hosts: lab
  gather_facts: false
  verify: {design: interleaved, max_time: 2s}
  tasks:
    - name: memory
      sysctl: {vm.swappiness: 7, vm.dirty_ratio: 13, vm.dirty_background_ratio: 4}
      verify: none
    - name: network
      sysctl: {net.ipv4.tcp_fin_timeout: 17, net.core.somaxconn: 2047}
      verify: network
    - name: a rendered file
      template: {src: $work/template.conf.ftl, dest: /etc/tuner-fault.conf, mode: "0640"}
      verify: none
    - name: transparent hugepages
      sysfs: {kernel/mm/transparent_hugepage/defrag: never}
      verify: none
YML
# A second team's playbook for the concurrency mode: the same keys to other values, verified too, so
# each of the two runs holds its hosts for seconds and two runs started together always overlap.
cat > "$work/play-b.yml" <<YML
- name: another team
  hosts: lab
  gather_facts: false
  verify: {design: interleaved, max_time: 2s}
  tasks:
    - name: memory and backlog
      sysctl: {vm.swappiness: 23, net.core.somaxconn: 1023}
      verify: network
YML
# The shipped network benchmark (iperf3 and sockperf servers started on the host, pid files under
# /tmp/tuner-bench-ID there) made quick: runs of 1 s, no warm-up.
mkdir -p "$work/verify"
sed -e 's/^  duration: .*/  duration: 1/' -e 's/^warmup: .*/warmup: 0/' verify/network.yml > "$work/verify/network.yml"
grep -q '^  duration: 1$' "$work/verify/network.yml" || { echo "verify/network.yml has no 'duration' variable to shorten" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# What a host holds, and the checks that read it from the host itself
# ---------------------------------------------------------------------------------------------

managed_files="/etc/sysctl.d/60-tuner.conf /etc/tuner-fault.conf /etc/tmpfiles.d/60-tuner-sysfs.conf"

# What a host holds: the values the playbooks set and every file they may write, with their modes.
state() {
  lab/lab exec --dir "$labdir" "$1" sh -c '
    for k in vm.swappiness vm.dirty_ratio vm.dirty_background_ratio net.ipv4.tcp_fin_timeout net.core.somaxconn net.ipv4.tcp_syn_retries; do
      printf "%s=%s\n" "$k" "$(sysctl -n "$k")"; done
    # The kernel prints a choice attribute as "always [madvise] never"; the lab'"'"'s fake file holds just
    # the word last written. Either way the selected word is what the host has.
    d=$(cat /sys/kernel/mm/transparent_hugepage/defrag)
    case "$d" in *"["*) d=${d#*\[}; d=${d%%\]*} ;; esac
    printf "defrag=%s\n" "$d"
    for f in '"$managed_files"'; do
      if [ -e "$f" ]; then printf "%s %s %s\n" "$f" "$(stat -c %a "$f")" "$(sha256sum < "$f" | cut -c1-16)"; else echo "$f absent"; fi
    done'
}

# Saves every host's state as $work/NAME.HOST.
snapshot() {
  for h in $names; do state "$h" > "$work/$1.$h"; done
}

# A managed file that exists must never be empty, and the other playbook's key must stay in the drop-in.
damaged() {
  lab/lab exec --dir "$labdir" "$1" sh -c '
    for f in '"$managed_files"'; do
      [ ! -e "$f" ] || [ -s "$f" ] || echo "$f is empty"; done
    grep -q "^net.ipv4.tcp_syn_retries = 3" /etc/sysctl.d/60-tuner.conf || echo "the other playbook'"'"'s key is gone"'
}

# The hosts whose state differs from snapshot $1, each with the lines that differ ("" when none).
differing() {
  local out="" h
  for h in $names; do
    state "$h" > "$work/now.$h"
    if ! cmp -s "$work/$1.$h" "$work/now.$h"; then
      out="$out $h differs: $(diff "$work/$1.$h" "$work/now.$h" | grep '^>' | tr '\n' ' ');"
    fi
  done
  printf '%s' "$out"
}

# Benchmark processes on a host once the run that started them has ended: any iperf3, sockperf,
# sysbench or fio process in the host's namespaces (zombies excepted: they no longer run), and any
# pid file of a series directory that names a live process (the next series would stop it, but
# until then it runs).
bench_leftovers() {
  lab/lab exec --dir "$labdir" "$1" sh -c '
    ps -eo pid=,stat=,comm= | awk '"'"'$2 !~ /^Z/ && $3 ~ /^(iperf3|sockperf|sysbench|fio)$/ { printf "%s (pid %s) runs; ", $3, $1 }'"'"'
    for f in /tmp/tuner-bench-*/*.pid; do
      [ -e "$f" ] || continue
      p=$(cat "$f" 2>/dev/null)
      if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then printf "%s names live pid %s; " "$f" "$p"; fi
    done'
}

# The host lock a run left on a host: the holder's pid from its owner record, "none" when there is
# no lock, "?" for a lock without an owner record.
lock_pid() {
  lab/lab exec --dir "$labdir" "$1" sh -c '
    if [ ! -d /run/tuner/lock ]; then echo none; exit 0; fi
    p=$(sed -n "s/^pid=//p" /run/tuner/lock/owner 2>/dev/null); echo "${p:-?}"'
}

# ---------------------------------------------------------------------------------------------
# Runs and their journals
# ---------------------------------------------------------------------------------------------

# Sleeps $1 milliseconds.
sleep_ms() {
  sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"
}

# Starts `tuner ARGS` in the background with its output in file $1; its pid is in $bg_pid. A shell
# without job control starts background commands with SIGINT ignored, and a JVM keeps a signal
# ignored at its start ignored: env restores the default so that SIGINT reaches the tool as Ctrl-C does.
start_tuner() {
  local out=$1; shift
  env --default-signal=INT,TERM "$tuner" "$@" > "$out" 2>&1 &
  bg_pid=$!
}

# The runs a journal holds, one id a line.
runs_of() {
  ls "$1/runs" 2>/dev/null || true
}

# The run of journal $1 that is not in the list $2 (the run a command just began), or "".
new_run() {
  runs_of "$1" | grep -vxF -f <(printf '%s\n' "$2") | head -n 1 || true
}

# What the run with journal directory $1 was doing on the first host at time $2 (as `date -u
# +%FT%T.%NZ` prints it), from its journal: start (no run journaled yet: the JVM starting, the
# journal's lock), plan (connecting, locking, reading), apply (until its $apply_kinds kinds are
# applied), bench (benchmark servers, runs and the toggles between them), end (finishing).
phase_at() {
  local run=$1 at=$2
  [ -n "$run" ] || { echo start; return; }
  [ -s "$run/hosts/$first.jsonl" ] || { echo plan; return; }
  awk -v at="$at" -v kinds="$apply_kinds" '
    function norm(t,  s, f) {   # Instant.toString drops trailing zero groups: pad the fraction to 9 digits
      sub(/Z$/, "", t); s = t; f = ""
      if (index(t, ".")) { s = substr(t, 1, index(t, ".") - 1); f = substr(t, index(t, ".") + 1) }
      return s "." substr(f "000000000", 1, 9)
    }
    BEGIN { limit = norm(at); last = ""; applied = 0; toggled = 0; measured = 0 }
    {
      if (!match($0, /"event":"[a-z]+"/)) next; e = substr($0, RSTART + 9, RLENGTH - 10)
      if (!match($0, /"time":"[^"]+"/)) next; t = substr($0, RSTART + 8, RLENGTH - 9)
      if (norm(t) > limit) exit
      last = e
      if (e == "toggle") toggled = 1
      if (e == "design") measured = 1
      if (e == "applied" && !toggled) applied++
    }
    END {
      if (last == "") print "plan"
      else if (last == "verified" || last == "state") print "end"
      else if (applied < kinds) print "apply"
      else if (measured) print "bench"
      else print "end"
    }' "$run/hosts/$first.jsonl"
}

# How many kinds the apply of journal $1's only run applied on the first host (its toggles'
# kinds not counted): where its changes end and its measuring begins.
kinds_applied() {
  awk '/"event":"toggle"/ { exit } /"event":"applied"/ { n++ } END { print n + 0 }' "$1"/runs/*/hosts/"$first".jsonl
}

# Keeps the outputs of a failed iteration.
keep_outputs() {
  mkdir -p "$keep"
  for f in "$work"/*.out; do [ -e "$f" ] && cp "$f" "$keep/$1.$(basename "$f")"; done
  return 0
}

# Puts every host back as it started (the other playbook's drop-in alone, the values of the snapshot
# "before") after an iteration that did not restore them, so that the next iteration is judged on
# its own.
start_over() {
  local h
  for h in $names; do
    # The snapshot's "key=value" lines, one word each, are the values to set.
    printf '%s' "$other" | lab/lab exec --dir "$labdir" "$h" sh -c '
      cat > /etc/sysctl.d/60-tuner.conf
      rm -f /etc/tuner-fault.conf /etc/tmpfiles.d/60-tuner-sysfs.conf
      for kv; do
        case "$kv" in
          defrag=*) printf "%s" "${kv#defrag=}" > /sys/kernel/mm/transparent_hugepage/defrag ;;
          *) sysctl -q -w "$kv" ;;
        esac
      done' sh $(grep '^[a-z].*=' "$work/before.$h")
  done
}

# The problems of the current iteration ($problems, one "...;" each) and how many of each kind all
# iterations had (count[KIND]). Checks add to them directly: a check run in $(...) would count in a subshell.
declare -A count=()
problem() {
  local kind=$1; shift
  problems="$problems $*;"
  count[$kind]=$(( ${count[$kind]:-0} + 1 ))
}

# "kind: N; kind: N" for the kinds given, in that order.
counts() {
  local out="" k
  for k in "$@"; do out="$out${out:+; }$k: ${count[$k]:-0}"; done
  printf '%s' "$out"
}

snapshot before

# ---------------------------------------------------------------------------------------------
# sigkill, sigint, sigterm: one apply per iteration, killed at a random moment
# ---------------------------------------------------------------------------------------------

# After a SIGINT or SIGTERM the run must say how it left each host, truthfully, and how to undo it.
# $1: the killed run's journal directory ("" when it had not begun one), $2: its exit code.
check_host_report() {
  local run=$1 code=$2 out="$work/apply.out" h word any_changed=no printed
  [ "$code" = "$want_exit" ] || return 0
  # Stopped before the run began (the JVM starting, the journal's lock): it quits at once, and no host
  # was touched (the rollback check below shows whether that is true).
  [ -n "$run" ] || return 0
  grep -q 'no host was being changed' "$out" && return 0
  for h in $names; do
    word=$(sed -n "s/^  $h  *\(changed\|unchanged\|reverted\|uncertain\)  .*/\1/p" "$out" | head -n 1)
    if [ -z "$word" ]; then problem "hosts not named with their state" "$h not named with its state"; continue; fi
    if [ "$word" = changed ] || [ "$word" = uncertain ]; then any_changed=yes; fi
    # The word must be true of the host: an unchanged or reverted host is as before; a changed one
    # holds the whole playbook (a host in the middle of its changes is reverted, unless it was on
    # its last kind, which it finishes); an uncertain one either.
    state "$h" > "$work/now.$h"
    case "$word" in
      unchanged|reverted) cmp -s "$work/before.$h" "$work/now.$h" || problem "state words the host contradicts" "$h said $word but differs from before" ;;
      changed) cmp -s "$work/applied.$h" "$work/now.$h" || problem "state words the host contradicts" "$h said changed but does not hold the playbook" ;;
    esac
  done
  printed=$(sed -n 's/^To undo what this run changed: //p' "$out" | head -n 1)
  if [ "$any_changed" = yes ] && [[ "$printed" != "tuner rollback $(basename "$run") "* ]]; then
    problem "rollback commands missing" "no rollback command for run $(basename "$run")"
  fi
}

# Whether stopped or finished, a run that ended gracefully left nothing running on a host (the
# benchmark servers and clients it started) and holds no host lock.
check_nothing_left() {
  local h leftovers lock
  for h in $names; do
    leftovers=$(bench_leftovers "$h")
    [ -z "$leftovers" ] || problem "benchmark processes left" "$h: $leftovers"
    lock=$(lock_pid "$h")
    [ "$lock" = none ] || problem "host locks left" "$h still locked (pid $lock)"
  done
}

# No host ever holds an empty managed file or loses the other playbook's key, whenever it is killed.
check_damage() {
  local h d
  for h in $names; do
    d=$(damaged "$h")
    [ -z "$d" ] || problem "damaged managed files" "$h: $d"
  done
}

# The hosts are as before, byte for byte. Sets $restored.
check_restored() {
  local d
  d=$(differing before)
  restored=yes
  if [ -n "$d" ]; then restored=no; problem "not restored" "${d# }"; fi
}

run_kills() {
  local verify=(--verify-dir "$work/verify") start full_ms i delay_ms pid code at runs_before run phase rb rollback_cmd args
  [ "$mode" = sigkill ] && verify=(--no-verify)
  # How long an undisturbed apply takes: kills land anywhere from its start to a fifth past its end.
  # What it leaves is what "changed" means for a host.
  start=$(date +%s%N)
  "$tuner" apply "$work/play.yml" -i "$inv" --journal "$work/journal" "${verify[@]}" --no-color > "$work/first.out" 2>&1 \
    || { echo "the undisturbed apply failed:" >&2; cat "$work/first.out" >&2; exit 1; }
  full_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  apply_kinds=$(kinds_applied "$work/journal")
  snapshot applied
  "$tuner" rollback -i "$inv" --journal "$work/journal" --no-color > /dev/null
  [ -z "$(differing before)" ] || { echo "the first rollback did not restore the hosts" >&2; exit 1; }
  echo "mode $mode, $n iterations, $hosts hosts, an undisturbed apply takes ${full_ms} ms"
  printf '%-4s %8s %-6s %5s %-10s %-10s %s\n' iter kill_ms phase exit rollback restored problems

  ok=0; bad=0
  for i in $(seq 1 "$n"); do
    problems=""
    delay_ms=$(( (RANDOM * 32768 + RANDOM) % (full_ms + full_ms / 5 + 1) ))
    runs_before=$(runs_of "$work/journal")
    start_tuner "$work/apply.out" apply "$work/play.yml" -i "$inv" --journal "$work/journal" "${verify[@]}" --no-color
    pid=$bg_pid
    sleep_ms "$delay_ms"
    at=$(date -u +%FT%T.%NZ)
    kill -s "$signal" "$pid" 2>/dev/null || true
    set +e; wait "$pid" 2>/dev/null; code=$?; set -e
    run=$(new_run "$work/journal" "$runs_before")
    [ -z "$run" ] || run="$work/journal/runs/$run"
    phase=$(phase_at "$run" "$at")
    check_damage
    # The run may have finished before the signal: then exit 0 is right too.
    [ "$code" = 0 ] || [ "$code" = "$want_exit" ] || problem "unexpected exit codes" "exit $code"
    if [ "$mode" != sigkill ]; then
      check_host_report "$run" "$code"
      check_nothing_left
    fi
    # What an operator does after a killed run: roll it back (with the command it printed, if it
    # printed one), then clear the locks a run killed before it changed anything left behind (its
    # rollback has nothing to take them over from).
    rollback_cmd=$(sed -n 's/^To undo what this run changed: tuner //p' "$work/apply.out" | head -n 1)
    [ -n "$rollback_cmd" ] || rollback_cmd="rollback -i $inv --journal $work/journal"
    read -ra args <<< "$rollback_cmd"
    set +e; "$tuner" "${args[@]}" --no-color > "$work/rollback.out" 2>&1; rb=$?
    "$tuner" unlock all -i "$inv" >> "$work/rollback.out" 2>&1; set -e
    check_restored
    if [ -z "$problems" ]; then ok=$((ok + 1)); else bad=$((bad + 1)); keep_outputs "$i"; fi
    printf '%-4s %8s %-6s %5s %-10s %-10s %s\n' "$i" "$delay_ms" "$phase" "$code" "exit $rb" "$restored" "${problems:--}"
    # A host left as it was before a failed iteration would hide the next one's result: start over.
    [ "$restored" = yes ] || start_over
  done
  echo
  [ "$bad" -eq 0 ] || echo "outputs of the iterations that went wrong: $keep"
  if [ "$mode" = sigkill ]; then
    echo "summary: $ok of $n iterations restored byte for byte; $bad not; truncated or damaged managed files seen:" \
      "${count[damaged managed files]:-0}; unexpected exit codes: ${count[unexpected exit codes]:-0}"
  else
    echo "summary: $ok of $n iterations without a problem, $bad with; $(counts "not restored" "damaged managed files" \
      "unexpected exit codes" "hosts not named with their state" "state words the host contradicts" "rollback commands missing" \
      "benchmark processes left" "host locks left")"
  fi
  [ "$bad" -eq 0 ]
}

# ---------------------------------------------------------------------------------------------
# concurrency: two operators at once, then a stale lock
# ---------------------------------------------------------------------------------------------

# Two applies of two playbooks, each with its own journal (two operators), started at the same
# moment. Each host must be won by exactly one: it holds that playbook's result and nothing of the
# other's, and the other run names the winner (run id, user@machine, pid) for that host. An apply
# exits 0 only when it won every host, else 1 (README: a host locked by another run). Then each rolls
# back its own run. Sets $race: the winner of each host.
race() {
  local runs_a runs_b pid_a pid_b exit_a exit_b run_a run_b wins_a=0 wins_b=0 h win win_run win_pid lose_out want
  runs_a=$(runs_of "$work/ja"); runs_b=$(runs_of "$work/jb")
  # Which starts first is drawn: the one a few milliseconds ahead mostly wins every host.
  if [ $((RANDOM % 2)) = 0 ]; then
    start_tuner "$work/race-a.out" apply "$work/play.yml" -i "$inv" --journal "$work/ja" --verify-dir "$work/verify" --no-color
    pid_a=$bg_pid
    start_tuner "$work/race-b.out" apply "$work/play-b.yml" -i "$inv" --journal "$work/jb" --verify-dir "$work/verify" --no-color
    pid_b=$bg_pid
  else
    start_tuner "$work/race-b.out" apply "$work/play-b.yml" -i "$inv" --journal "$work/jb" --verify-dir "$work/verify" --no-color
    pid_b=$bg_pid
    start_tuner "$work/race-a.out" apply "$work/play.yml" -i "$inv" --journal "$work/ja" --verify-dir "$work/verify" --no-color
    pid_a=$bg_pid
  fi
  set +e; wait "$pid_a"; exit_a=$?; wait "$pid_b"; exit_b=$?; set -e
  run_a=$(new_run "$work/ja" "$runs_a"); run_b=$(new_run "$work/jb" "$runs_b")
  race=""
  for h in $names; do
    # Who won a host is read from the host: it holds one playbook's result whole.
    state "$h" > "$work/now.$h"
    if cmp -s "$work/applied.$h" "$work/now.$h"; then win=a; wins_a=$((wins_a + 1)); win_run=$run_a; win_pid=$pid_a; lose_out="$work/race-b.out"
    elif cmp -s "$work/applied-b.$h" "$work/now.$h"; then win=b; wins_b=$((wins_b + 1)); win_run=$run_b; win_pid=$pid_b; lose_out="$work/race-a.out"
    else
      race="$race $h:?"
      problem "hosts won by neither or both" "$h holds neither playbook's result whole"
      continue
    fi
    race="$race $h:$win"
    grep -qF "host $h is locked by run $win_run (apply) of $me, pid $win_pid," "$lose_out" \
      || problem "refusals not naming the holder" "$h: the other run does not name run $win_run of $me, pid $win_pid as the holder"
    if grep -qF "host $h is locked by" "$work/race-$win.out"; then problem "hosts won by neither or both" "$h: run $win won it yet says it is locked"; fi
  done
  [ "$wins_a" -eq 0 ] || [ "$wins_b" -eq 0 ] && race_split=no || race_split=yes
  [ "$wins_a" -eq "$hosts" ] && want=0 || want=1
  [ "$exit_a" = "$want" ] || problem "unexpected exit codes" "run a exited $exit_a, not $want"
  [ "$wins_b" -eq "$hosts" ] && want=0 || want=1
  [ "$exit_b" = "$want" ] || problem "unexpected exit codes" "run b exited $exit_b, not $want"
  # A run refused on every host has nothing to roll back.
  [ "$wins_a" -eq 0 ] || "$tuner" rollback "$run_a" -i "$inv" --journal "$work/ja" --no-color > "$work/race-rollback-a.out" 2>&1 || true
  [ "$wins_b" -eq 0 ] || "$tuner" rollback "$run_b" -i "$inv" --journal "$work/jb" --no-color > "$work/race-rollback-b.out" 2>&1 || true
  check_restored
}

# An apply SIGKILLed while it holds every host leaves its locks. The next apply is refused on every
# host, naming the dead run and saying its lock is stale, and changes nothing; `tuner unlock` clears
# the locks (and stops the benchmark servers the dead run left); the apply after that goes through.
# Then both runs are rolled back, the latest first.
stale_lock() {
  local runs_a pid run_a h waited=0 locked lock code
  runs_a=$(runs_of "$work/ja")
  start_tuner "$work/killed.out" apply "$work/play.yml" -i "$inv" --journal "$work/ja" --verify-dir "$work/verify" --no-color
  pid=$bg_pid
  # Mid-run: once it holds every host's lock (it holds them through its measurement, ~10 s), then a
  # random moment up to 2 s later.
  while [ "$waited" -lt 300 ] && kill -0 "$pid" 2>/dev/null; do
    locked=0
    for h in $names; do [ "$(lock_pid "$h")" != "$pid" ] || locked=$((locked + 1)); done
    [ "$locked" -lt "$hosts" ] || break
    waited=$((waited + 1)); sleep 0.1
  done
  sleep_ms $(( RANDOM % 2000 ))
  kill -KILL "$pid" 2>/dev/null || true
  set +e; wait "$pid" 2>/dev/null; code=$?; set -e
  run_a=$(new_run "$work/ja" "$runs_a")
  stale=killed
  if [ "$code" != 137 ]; then
    stale="ended first"
    problem "kills that came too late" "the run to kill had ended (exit $code): no stale lock to test"
  else
    snapshot killed
    for h in $names; do
      lock=$(lock_pid "$h")
      [ "$lock" = "$pid" ] || problem "stale locks not found or not said" "$h: no lock naming the killed run's pid $pid (found: $lock)"
    done
    set +e; "$tuner" apply "$work/play-b.yml" -i "$inv" --journal "$work/jb" --no-verify --no-color > "$work/refused.out" 2>&1; code=$?; set -e
    [ "$code" = 1 ] || problem "unexpected exit codes" "the apply after the kill exited $code, not 1"
    for h in $names; do
      grep -F "host $h is locked by run $run_a (apply) of $me, pid $pid," "$work/refused.out" | grep -qF "that process is gone: the lock is stale" \
        || problem "stale locks not found or not said" "$h: not refused as a stale lock of run $run_a, pid $pid"
    done
    [ -z "$(differing killed)" ] || problem "refused applies that changed hosts" "the refused apply changed a host"
    set +e; "$tuner" unlock all -i "$inv" > "$work/unlock.out" 2>&1; code=$?; set -e
    [ "$code" = 0 ] || problem "unlocks that failed" "unlock exited $code"
    for h in $names; do
      lock=$(lock_pid "$h")
      [ "$lock" = none ] || problem "unlocks that failed" "$h still locked after unlock (pid $lock)"
      leftovers=$(bench_leftovers "$h")
      [ -z "$leftovers" ] || problem "benchmark processes left" "$h after unlock: $leftovers"
    done
    # The apply after that goes through: exit 0, and the kernel holds its values.
    set +e; "$tuner" apply "$work/play-b.yml" -i "$inv" --journal "$work/jb" --no-verify --no-color > "$work/after-unlock.out" 2>&1; code=$?; set -e
    [ "$code" = 0 ] || problem "applies after unlock that failed" "the apply after unlock exited $code"
    for h in $names; do
      [ "$(lab/lab exec --dir "$labdir" "$h" sysctl -n vm.swappiness net.core.somaxconn | tr '\n' ' ')" = "23 1023 " ] \
        || problem "applies after unlock that failed" "$h does not hold the apply after unlock"
    done
    "$tuner" rollback -i "$inv" --journal "$work/jb" --no-color > "$work/rollback-b.out" 2>&1 || true
  fi
  [ -z "$run_a" ] || "$tuner" rollback "$run_a" -i "$inv" --journal "$work/ja" --no-color > "$work/rollback-a.out" 2>&1 || true
  "$tuner" unlock all -i "$inv" >> "$work/rollback-a.out" 2>&1 || true
  check_restored
}

run_concurrency() {
  local i splits=0
  # What each playbook alone leaves on a host: how a host shows which run won it.
  "$tuner" apply "$work/play.yml" -i "$inv" --journal "$work/ja" --no-verify --no-color > /dev/null
  snapshot applied
  "$tuner" rollback -i "$inv" --journal "$work/ja" --no-color > /dev/null
  "$tuner" apply "$work/play-b.yml" -i "$inv" --journal "$work/jb" --no-verify --no-color > /dev/null
  snapshot applied-b
  "$tuner" rollback -i "$inv" --journal "$work/jb" --no-color > /dev/null
  [ -z "$(differing before)" ] || { echo "the first rollbacks did not restore the hosts" >&2; exit 1; }
  echo "mode concurrency, $n iterations, $hosts hosts; a = the fault playbook, b = another team's, each with its own journal"
  printf '%-4s %-30s %-12s %s\n' iter "race: who won each host" "stale lock" problems
  ok=0; bad=0
  for i in $(seq 1 "$n"); do
    problems=""
    rm -f "$work"/*.out
    race
    [ "$race_split" = no ] || splits=$((splits + 1))
    stale_lock
    if [ -z "$problems" ]; then ok=$((ok + 1)); else bad=$((bad + 1)); keep_outputs "$i"; fi
    printf '%-4s %-30s %-12s %s\n' "$i" "${race# }" "$stale" "${problems:--}"
    [ "$restored" = yes ] || start_over
  done
  echo
  [ "$bad" -eq 0 ] || echo "outputs of the iterations that went wrong: $keep"
  echo "summary: $ok of $n iterations without a problem, $bad with; races where each run won some hosts: $splits;" \
    "$(counts "hosts won by neither or both" "refusals not naming the holder" "unexpected exit codes" "kills that came too late" \
      "stale locks not found or not said" "refused applies that changed hosts" "unlocks that failed" "benchmark processes left" \
      "applies after unlock that failed" "not restored")"
  [ "$bad" -eq 0 ]
}

# ---------------------------------------------------------------------------------------------
# fulldisk: the journal's file system fills up during the apply
# ---------------------------------------------------------------------------------------------
#
# What an operator does when the journal's disk filled up during an apply: run `tuner rollback` at
# once, with the disk still full, to put the hosts back first; the rollback must restore every host
# and say that it could not record itself. Then free space and run `tuner rollback` again, which finds
# every host as before, changes nothing, and records the rollback. Rolling back only after freeing
# space must work as well. Each step of K runs both ways.

# Leaves exactly $1 bytes free on the journal's file system (a tmpfs counts whole pages).
fill_leaving() {
  local avail
  rm -f "$jfs/filler"
  avail=$(( $(stat -f -c '%a * %S' "$jfs") ))
  [ "$avail" -le "$1" ] || fallocate -l $((avail - $1)) "$jfs/filler"
}

# How far the apply's journal got: the number of whole records of each host ("-" when the run was
# not journaled at all).
journaled() {
  local run f out=""
  run=$(runs_of "$jfs/j" | head -n 1)
  [ -n "$run" ] || { echo "-"; return; }
  for h in $names; do
    f="$jfs/j/runs/$run/hosts/$h.jsonl"
    out="$out $(cat "$f" 2>/dev/null | grep -c '}$' || true)"
  done
  echo "${out# }"
}

# A failed apply leaves every host either as it was or as planned (README): never half-changed.
# Prints how many hosts it changed.
check_whole_hosts() {
  local h changed=0
  for h in $names; do
    state "$h" > "$work/now.$h"
    if cmp -s "$work/applied.$h" "$work/now.$h"; then changed=$((changed + 1))
    elif ! cmp -s "$work/before.$h" "$work/now.$h"; then problem "hosts left half-changed" "$h neither as before nor as planned after the apply"; changed=$((changed + 1))
    fi
  done
  hosts_changed=$changed
}

run_fulldisk() {
  local page used step k i=0 way code rb rb2 free
  jfs="$work/jfs"
  mkdir -p "$jfs"
  mount -t tmpfs -o size=1m,mode=0700 tmpfs "$jfs"
  page=$(stat -f -c %S "$jfs")
  # A whole run's records: what an undisturbed apply leaves on the empty file system. What it leaves
  # on the hosts is what "changed" means for a host.
  used=$(( $(stat -f -c '(%b - %a) * %S' "$jfs") ))
  "$tuner" apply "$work/play.yml" -i "$inv" --journal "$jfs/j" --no-verify --no-color > "$work/first.out" 2>&1 \
    || { echo "the undisturbed apply failed:" >&2; cat "$work/first.out" >&2; exit 1; }
  used=$(( $(stat -f -c '(%b - %a) * %S' "$jfs") - used ))
  snapshot applied
  "$tuner" rollback -i "$inv" --journal "$jfs/j" --no-color > /dev/null
  [ -z "$(differing before)" ] || { echo "the first rollback did not restore the hosts" >&2; exit 1; }
  # While it runs, an apply also needs a page for the journal lock's owner name and one for the new
  # run.json it writes before renaming it over the old: a whole run needs its records and those two.
  whole=$((used + 2 * page))
  echo "mode fulldisk, $n steps of K from 0 to $whole bytes (a whole run: $((used / page)) pages of records and 2 while it runs;" \
    "pages of $page bytes), each rolled back with the disk still full and after freeing it; $hosts hosts"
  printf '%-4s %7s %-6s %5s %-12s %7s %-9s %-10s %s\n' iter K_bytes way apply journaled changed rollback restored problems
  ok=0; bad=0
  for step in $(seq 0 $((n - 1))); do
    k=$(( whole * step / (n - 1) / page * page ))
    for way in full freed; do
      i=$((i + 1)); problems=""
      rm -rf "${jfs:?}"/*
      rm -f "$work"/*.out
      fill_leaving "$k"
      free=$(( $(stat -f -c '%a * %S' "$jfs") ))
      [ "$free" -eq "$k" ] || problem "fills that missed" "asked $k bytes free, got $free"
      set +e; "$tuner" apply "$work/play.yml" -i "$inv" --journal "$jfs/j" --no-verify --no-color > "$work/apply.out" 2>&1; code=$?; set -e
      check_damage
      check_whole_hosts
      if [ "$code" != 0 ]; then
        grep -q 'No space left on device' "$work/apply.out" || problem "failures not blamed on the full disk" "the apply exited $code without naming the full disk"
      elif [ "$hosts_changed" != "$hosts" ]; then
        problem "hosts left half-changed" "the apply exited 0 but changed $hosts_changed of $hosts hosts"
      fi
      [ "$way" = full ] || rm -f "$jfs/filler"
      set +e; "$tuner" rollback -i "$inv" --journal "$jfs/j" --no-color > "$work/rollback.out" 2>&1; rb=$?; set -e
      check_restored
      if [ "$way" = full ] && [ "$hosts_changed" -gt 0 ] && ! grep -q 'No space left on device' "$work/rollback.out"; then
        problem "rollbacks on a full disk that did not say so" "the rollback did not say that the journal could not record it"
      fi
      if [ "$way" = full ]; then
        # Then the operator frees space and rolls back again: every host is found as before, nothing changes.
        rm -f "$jfs/filler"
        set +e; "$tuner" rollback -i "$inv" --journal "$jfs/j" --no-color > "$work/rollback-again.out" 2>&1; rb2=$?; set -e
        [ -z "$(differing before)" ] || problem "not restored" "the second rollback, with space, changed hosts"
        rb="$rb,$rb2"
      fi
      "$tuner" unlock all -i "$inv" > /dev/null 2>&1 || true
      if [ -z "$problems" ]; then ok=$((ok + 1)); else bad=$((bad + 1)); keep_outputs "$i"; fi
      printf '%-4s %7s %-6s %5s %-12s %7s %-9s %-10s %s\n' "$i" "$k" "$way" "$code" "$(journaled)" "$hosts_changed" "$rb" "$restored" "${problems:--}"
      [ "$restored" = yes ] || start_over
    done
  done
  echo
  [ "$bad" -eq 0 ] || echo "outputs of the iterations that went wrong: $keep"
  echo "summary: $ok of $i iterations without a problem, $bad with; $(counts "not restored" "damaged managed files" "hosts left half-changed" \
    "failures not blamed on the full disk" "rollbacks on a full disk that did not say so" "fills that missed")"
  [ "$bad" -eq 0 ]
}

case "$mode" in
  sigkill|sigint|sigterm) run_kills ;;
  concurrency) run_concurrency ;;
  fulldisk) run_fulldisk ;;
esac
