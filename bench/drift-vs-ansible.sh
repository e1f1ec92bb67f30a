#!/bin/bash
# Times `tuner drift` against Debian's `ansible-playbook --check --diff` (ansible.posix.sysctl) on
# 1, 30 and 100 lab hosts, same hosts and same 20 sysctl settings, and prints wall time, CPU per host
# (on the hosts and on the controller) and the ratios side by side.
#
#   bench/drift-vs-ansible.sh                      # sizes 1 30 100; needs root (lab hosts), tuner built
#   SIZES="1 5" RUNS=3 CPU_RUNS=2 bench/drift-vs-ansible.sh
#   ANSIBLE=0 bench/drift-vs-ansible.sh           # tuner alone (no Ansible needed), e.g. to compare two builds
#
# Each size gets its own lab (lab/lab up N), the settings are applied once with `tuner apply` so
# both tools check an in-sync fleet (both must report nothing to change), then each command is
# timed with hyperfine (one warm-up run, RUNS timed runs; a plain loop if hyperfine is missing),
# then run CPU_RUNS more times to measure CPU:
#   host      CPU of every process of the lab's hosts (sshd, shells, what they run), read from the
#             lab's cgroup (lab/lab cpu): exact, whatever else the machine runs;
#   ctl       CPU of the tool's own process tree (rusage of the command and the children it waited
#             for). Ansible's ssh ControlPersist masters detach, so their CPU is not in it;
#   mach-ctl  the machine's CPU (/proc/stat) minus ctl: the hosts' CPU as the machine sees it, plus
#             anything else running (and, for Ansible, its ssh masters). On a quiet machine it is
#             close to host; `other` says how far it is not.
# Both tools run with forks = the number of hosts (at most FORKS, default 100). Ansible runs as
# Debian ships it (ssh ControlPersist on, so its connections are warm after the warm-up run; no
# pipelining) with gather_facts off and the interpreter given, which is the fastest it does this
# job; tuner reads running and persisted values, as a scheduled drift check does.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
tuner=${TUNER:-$repo/tuner/target/tuner}
lab=$repo/lab/lab
sizes=${SIZES:-1 30 100}
runs=${RUNS:-5}
cpu_runs=${CPU_RUNS:-3}
max_forks=${FORKS:-100}
with_ansible=${ANSIBLE:-1}
[[ $(id -u) == 0 ]] || { echo "needs root (lab hosts are namespaces)" >&2; exit 1; }
[[ -x $tuner ]] || { echo "build tuner first: mvn -q -o -DskipTests package" >&2; exit 1; }
if ((with_ansible)); then
    command -v ansible-playbook >/dev/null || { echo "apt-get install ansible (or ANSIBLE=0 for tuner alone)" >&2; exit 1; }
    ansible-doc ansible.posix.sysctl >/dev/null 2>&1 || { echo "ansible.posix is missing: apt-get install ansible (not only ansible-core)" >&2; exit 1; }
fi
have_hyperfine=1; command -v hyperfine >/dev/null || have_hyperfine=0

# Not /tmp/tuner-bench-*: tuner's benchmark series keep their run directories there and clean up
# stale ones, on the local machine too.
work=$(mktemp -d /tmp/drift-vs-ansible-XXXXXX)
labs=()
cleanup() { for d in "${labs[@]}"; do LAB_QUIET=1 "$lab" down --dir "$d" >/dev/null 2>&1 || true; done; rm -rf "$work"; }
trap cleanup EXIT

# The settings, once: key and value, the value quoted as both tools' YAML needs.
settings=(
    vm.swappiness 13 vm.dirty_ratio 17 vm.dirty_background_ratio 7 vm.dirty_expire_centisecs 2900
    vm.dirty_writeback_centisecs 480 vm.overcommit_ratio 60 vm.max_map_count 262144 vm.vfs_cache_pressure 90
    vm.min_free_kbytes 67584 kernel.shmmni 8192 kernel.sched_autogroup_enabled 0 kernel.panic 10
    fs.file-max 2097152 fs.inotify.max_user_watches 524288 net.ipv4.tcp_fin_timeout 23 net.core.somaxconn 3001
    net.ipv4.tcp_rmem "4096 98304 7340032" net.ipv4.tcp_wmem "4096 65536 6291456" net.ipv4.tcp_keepalive_time 600
    net.ipv4.ip_local_port_range "10240 65000"
)
nsettings=$((${#settings[@]} / 2))
{
    printf -- '- name: bench\n  hosts: lab\n  tasks:\n    - name: kernel settings\n      sysctl:\n'
    for ((i = 0; i < ${#settings[@]}; i += 2)); do printf '        %s: "%s"\n' "${settings[i]}" "${settings[i + 1]}"; done
} > "$work/tuner.yml"
{
    printf -- '- name: bench\n  hosts: lab\n  gather_facts: false\n  tasks:\n    - name: kernel settings\n'
    printf '      ansible.posix.sysctl:\n        name: "{{ item.key }}"\n        value: "{{ item.value }}"\n'
    printf '        sysctl_file: /etc/sysctl.d/60-tuner.conf\n        sysctl_set: true\n        reload: true\n'
    printf '      loop: "{{ settings | dict2items }}"\n  vars:\n    settings:\n'
    for ((i = 0; i < ${#settings[@]}; i += 2)); do printf '      %s: "%s"\n' "${settings[i]}" "${settings[i + 1]}"; done
} > "$work/ansible.yml"

export ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0
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
            s=$EPOCHREALTIME; "$@" >/dev/null 2>&1 || true; e=$EPOCHREALTIME; t+=("$(echo "$e - $s" | bc)")
        done
        python3 -c 'import statistics,sys; v=[float(x) for x in sys.argv[1:]]; print("%.3f %.3f" % (statistics.mean(v), statistics.stdev(v) if len(v)>1 else 0))' "${t[@]}"
    fi
}

# CPU of a command per host, in ms, averaged over CPU_RUNS runs: "host ctl mach-ctl other".
cpu_per_host() { # labdir hosts cmd...
    python3 - "$cpu_runs" "$lab" "$@" <<'PY'
import os, resource, subprocess, sys
runs, lab, labdir, hosts, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5:]
hz = os.sysconf('SC_CLK_TCK')
def machine():
    v = [int(x) for x in open('/proc/stat').readline().split()[1:]]
    return (sum(v[:3]) + sum(v[5:8])) / hz          # user nice system irq softirq steal
def hostcpu():
    return float(subprocess.run([lab, 'cpu', '--dir', labdir], capture_output=True, text=True, check=True).stdout)
# The readings of the lab's cgroup are outside the other two, so they count in neither.
h0 = hostcpu(); m0 = machine(); c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
for _ in range(runs):
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
c1 = resource.getrusage(resource.RUSAGE_CHILDREN); m1 = machine(); h1 = hostcpu()
host = h1 - h0
ctl = (c1.ru_utime + c1.ru_stime) - (c0.ru_utime + c0.ru_stime)
mach = m1 - m0
per = 1000.0 / (runs * hosts)
print("%.1f %.1f %.1f %.1f" % (host * per, ctl * per, (mach - ctl) * per, (mach - ctl - host) * per))
PY
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
results=()
for n in $sizes; do
    forks=$((n < max_forks ? n : max_forks))
    export ANSIBLE_FORKS=$forks
    d=$work/lab$n; labs+=("$d")
    echo "== $n host(s): lab up" >&2
    LAB_QUIET=1 "$lab" up "$n" --dir "$d" >/dev/null
    "$lab" cpu --dir "$d" >/dev/null || { echo "the lab has no CPU accounting on this machine (see lab/README.md)" >&2; exit 1; }
    inv=$d/inventory.yml
    "$tuner" apply "$work/tuner.yml" -i "$inv" -f "$forks" --journal "$work/journal$n" --no-color --no-verify >/dev/null
    # both must agree that the fleet is in sync before anything is timed
    "$tuner" drift "$work/tuner.yml" -i "$inv" -f "$forks" >/dev/null || { echo "tuner drift not in sync on $n host(s)" >&2; exit 1; }
    if ((with_ansible)); then
        out=$(ansible-playbook -i "$inv" "$work/ansible.yml" --check --diff 2>&1) || { echo "$out" >&2; exit 1; }
        if ! grep -qE "changed=0 +unreachable=0 +failed=0" <<<"$out" || grep -qE "changed=[1-9]|unreachable=[1-9]|failed=[1-9]" <<<"$out"; then
            echo "ansible --check does not see the fleet in sync on $n host(s):" >&2; echo "$out" | tail -n "$((n + 5))" >&2; exit 1
        fi
    fi
    tcmd=("$tuner" drift "$work/tuner.yml" -i "$inv" -f "$forks")
    acmd=(ansible-playbook -i "$inv" "$work/ansible.yml" --check --diff)
    echo "== $n host(s): timing tuner drift" >&2
    read -r tm ts < <(measure "tuner$n" "${tcmd[@]}")
    am=- as=- ah=- ac=- am_c=- ao=-
    if ((with_ansible)); then
        echo "== $n host(s): timing ansible-playbook --check --diff" >&2
        read -r am as < <(measure "ansible$n" "${acmd[@]}")
    fi
    echo "== $n host(s): CPU, $cpu_runs run(s) each" >&2
    read -r th tc tm_c to < <(cpu_per_host "$d" "$n" "${tcmd[@]}")
    if ((with_ansible)); then read -r ah ac am_c ao < <(cpu_per_host "$d" "$n" "${acmd[@]}"); fi
    results+=("$n $forks $tm $ts $am $as $th $tc $tm_c $to $ah $ac $am_c $ao")
    LAB_QUIET=1 "$lab" down --dir "$d" >/dev/null
done

echo
echo "drift check of $nsettings sysctl settings (running + persisted) per host; $runs timed runs, $cpu_runs CPU runs each"
echo "machine: $(nproc) CPUs; load average $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo
echo "tuner: $("$tuner" --version | head -n 1) ($tuner)"
echo
if ! ((with_ansible)); then
    echo "wall time (s)"
    printf '%-6s %-6s %s\n' hosts forks "tuner drift"
    for r in "${results[@]}"; do
        read -r n f tm ts _ <<<"$r"
        printf '%-6s %-6s %s\n' "$n" "$f" "$tm ± $ts"
    done
    echo
    echo "CPU per host (ms): host = the lab's hosts (its cgroup), ctl = tuner's own processes,"
    echo "mach-ctl = the machine's CPU minus ctl, other = mach-ctl minus host (what else ran)"
    printf '%-6s | %8s %8s %8s %8s\n' hosts host ctl mach-ctl other
    for r in "${results[@]}"; do
        read -r n _ _ _ _ _ th tc tmc to _ <<<"$r"
        printf '%-6s | %8s %8s %8s %8s\n' "$n" "$th" "$tc" "$tmc" "$to"
    done
    exit 0
fi
echo "wall time (s)"
printf '%-6s %-6s %-18s %-18s %s\n' hosts forks "tuner drift" "ansible --check" "ansible / tuner"
for r in "${results[@]}"; do
    read -r n f tm ts am as _ <<<"$r"
    printf '%-6s %-6s %-18s %-18s %s\n' "$n" "$f" "$tm ± $ts" "$am ± $as" "$(python3 -c "print('%.1fx' % ($am / $tm))")"
done
echo
echo "CPU per host (ms): host = the lab's hosts (its cgroup), ctl = the tool's own processes,"
echo "mach-ctl = the machine's CPU minus ctl, other = mach-ctl minus host (what else ran)"
printf '%-6s | %8s %8s %8s %8s | %8s %8s %8s %8s | %s\n' "" tuner "" "" "" ansible "" "" "" "ansible / tuner"
printf '%-6s | %8s %8s %8s %8s | %8s %8s %8s %8s | %8s %8s\n' hosts host ctl mach-ctl other host ctl mach-ctl other host ctl
for r in "${results[@]}"; do
    read -r n _ _ _ _ _ th tc tmc to ah ac amc ao <<<"$r"
    printf '%-6s | %8s %8s %8s %8s | %8s %8s %8s %8s | %8s %8s\n' "$n" "$th" "$tc" "$tmc" "$to" "$ah" "$ac" "$amc" "$ao" \
        "$(python3 -c "print('%.1fx' % ($ah / max($th, 0.01)))")" "$(python3 -c "print('%.1fx' % ($ac / max($tc, 0.01)))")"
done
