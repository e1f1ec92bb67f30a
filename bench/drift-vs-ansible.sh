#!/bin/bash
# Times `tuner drift` against Debian's `ansible-playbook --check --diff` (ansible.posix.sysctl) on
# 1, 10 and 30 lab hosts, same hosts and same settings, and prints both side by side with the ratio.
#
#   bench/drift-vs-ansible.sh                 # sizes 1 10 30, needs root (lab hosts), tuner built
#   SIZES="1 5" RUNS=3 bench/drift-vs-ansible.sh
#
# Each size gets its own lab (lab/lab up N), the settings are applied once with `tuner apply` so
# both tools check an in-sync fleet (both must report nothing to change), then each command is
# timed with hyperfine (one warm-up run, RUNS timed runs; a plain loop if hyperfine is missing).
# Both tools run with the same forks (FORKS, default 10). Ansible runs as Debian ships it
# (ssh ControlPersist on, so its connections are warm after the warm-up run; no pipelining) with
# gather_facts off and the interpreter given, which is the fastest it does this job; tuner
# gathers its facts and reads running and persisted values, as a scheduled drift check does.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
tuner=${TUNER:-$repo/tuner/target/tuner}
sizes=${SIZES:-1 10 30}
runs=${RUNS:-5}
forks=${FORKS:-10}
[[ $(id -u) == 0 ]] || { echo "needs root (lab hosts are namespaces)" >&2; exit 1; }
[[ -x $tuner ]] || { echo "build tuner first: mvn -q -o -DskipTests package" >&2; exit 1; }
command -v ansible-playbook >/dev/null || { echo "apt-get install ansible" >&2; exit 1; }
have_hyperfine=1; command -v hyperfine >/dev/null || have_hyperfine=0

work=$(mktemp -d /tmp/tuner-bench-XXXXXX)
labs=()
cleanup() { for d in "${labs[@]}"; do LAB_QUIET=1 "$repo/lab/lab" down --dir "$d" >/dev/null 2>&1 || true; done; rm -rf "$work"; }
trap cleanup EXIT

cat > "$work/tuner.yml" <<'YML'
- name: bench
  hosts: lab
  tasks:
    - name: kernel settings
      sysctl:
        vm.swappiness: 13
        vm.dirty_ratio: 17
        net.ipv4.tcp_fin_timeout: 23
        net.core.somaxconn: 3001
        net.ipv4.tcp_rmem: "4096 98304 7340032"
YML
cat > "$work/ansible.yml" <<'YML'
- name: bench
  hosts: lab
  gather_facts: false
  tasks:
    - name: kernel settings
      ansible.posix.sysctl:
        name: "{{ item.key }}"
        value: "{{ item.value }}"
        sysctl_file: /etc/sysctl.d/60-tuner.conf
        sysctl_set: true
        reload: true
      loop: "{{ settings | dict2items }}"
  vars:
    settings:
      vm.swappiness: "13"
      vm.dirty_ratio: "17"
      net.ipv4.tcp_fin_timeout: "23"
      net.core.somaxconn: "3001"
      net.ipv4.tcp_rmem: "4096 98304 7340032"
YML

export ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_FORKS=$forks
export ANSIBLE_LOCAL_TEMP=$work/ansible-tmp ANSIBLE_SSH_CONTROL_PATH_DIR=$work/ansible-cp

# mean and standard deviation in seconds of a command, from hyperfine or a loop
measure() { # name cmd...
    local name=$1; shift
    if ((have_hyperfine)); then
        hyperfine -N --warmup 1 --runs "$runs" --export-json "$work/$name.json" --style none "$(printf '%q ' "$@")" >/dev/null 2>"$work/$name.err" \
            || { echo "hyperfine failed for $name:" >&2; cat "$work/$name.err" >&2; exit 1; }
        python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.3f %.3f" % (r["mean"], r["stddev"] or 0))' "$work/$name.json"
    else
        "$@" >/dev/null 2>&1 || true
        local t=() s e
        for ((i = 0; i < runs; i++)); do
            s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); t+=("$(echo "$e - $s" | bc)")
        done
        python3 -c 'import statistics,sys; v=[float(x) for x in sys.argv[1:]]; print("%.3f %.3f" % (statistics.mean(v), statistics.stdev(v) if len(v)>1 else 0))' "${t[@]}"
    fi
}

results=()
for n in $sizes; do
    d=$work/lab$n; labs+=("$d")
    echo "== $n host(s): lab up" >&2
    LAB_QUIET=1 "$repo/lab/lab" up "$n" --dir "$d" >/dev/null
    inv=$d/inventory.yml
    "$tuner" apply "$work/tuner.yml" -i "$inv" -f "$forks" --journal "$work/journal$n" --no-color --no-verify >/dev/null
    # both must agree that the fleet is in sync before anything is timed
    "$tuner" drift "$work/tuner.yml" -i "$inv" -f "$forks" >/dev/null || { echo "tuner drift not in sync on $n host(s)" >&2; exit 1; }
    out=$(ansible-playbook -i "$inv" "$work/ansible.yml" --check --diff 2>&1) || { echo "$out" >&2; exit 1; }
    if ! grep -qE "changed=0 +unreachable=0 +failed=0" <<<"$out" || grep -qE "changed=[1-9]|unreachable=[1-9]|failed=[1-9]" <<<"$out"; then
        echo "ansible --check does not see the fleet in sync on $n host(s):" >&2; echo "$out" | tail -n "$((n + 5))" >&2; exit 1
    fi
    echo "== $n host(s): timing tuner drift" >&2
    read -r tm ts < <(measure "tuner$n" "$tuner" drift "$work/tuner.yml" -i "$inv" -f "$forks")
    echo "== $n host(s): timing ansible-playbook --check --diff" >&2
    read -r am as < <(measure "ansible$n" ansible-playbook -i "$inv" "$work/ansible.yml" --check --diff)
    results+=("$n $tm $ts $am $as")
    LAB_QUIET=1 "$repo/lab/lab" down --dir "$d" >/dev/null
done

echo
echo "drift check of 5 sysctl settings (running + persisted), forks=$forks, $runs timed runs each"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
printf '%-6s  %-20s  %-32s  %s\n' hosts "tuner drift (s)" "ansible-playbook --check --diff (s)" "ansible / tuner"
for r in "${results[@]}"; do
    read -r n tm ts am as <<<"$r"
    printf '%-6s  %-20s  %-32s  %s\n' "$n" "$tm ± $ts" "$am ± $as" "$(python3 -c "print('%.1fx' % ($am / $tm))")"
done
