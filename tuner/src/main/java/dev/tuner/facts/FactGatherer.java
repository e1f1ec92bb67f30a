package dev.tuner.facts;

import dev.tuner.transport.Connection;
import dev.tuner.transport.ExecResult;
import dev.tuner.transport.TransportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers what playbooks and kinds need to know about a host in one read-only exec: kernel,
 * distribution, CPUs, memory, virtualization, cpufreq, container runtimes. The result is a
 * nested map exposed to templates as {@code facts.*}.
 *
 * <p>The script reads with the shell's builtins: every program it starts costs the host a fork and
 * an exec, which over a fleet is most of what gathering costs. Only {@code systemd-detect-virt}
 * runs (the authority on virtualization), and {@code uname -m} on kernels without kernel.arch.
 */
public final class FactGatherer {
    /** What systemd-detect-virt calls containers (systemd-detect-virt(1)); any other answer is a VM. */
    private static final String CONTAINERS = "openvz|lxc|lxc-libvirt|systemd-nspawn|docker|podman|rkt|wsl|proot|pouch|container-other";
    private static final String SCRIPT = """
            f() { printf '%s=%s\\n' "$1" "$2"; }
            r() { v=; { IFS= read -r v < "$1"; } 2>/dev/null; }
            r /proc/sys/kernel/hostname; f hostname "$v"
            r /proc/sys/kernel/osrelease; f kernel "$v"
            r /proc/sys/kernel/arch; [ -n "$v" ] || v=$(uname -m); f architecture "$v"
            if [ -r /etc/os-release ]; then . /etc/os-release; f os.id "$ID"; f os.version "$VERSION_ID"; f os.name "$PRETTY_NAME"; fi
            n=0; for c in /sys/devices/system/cpu/cpu[0-9]*; do [ -d "$c" ] && n=$((n + 1)); done; f cpu.count "$n"
            r /sys/devices/system/cpu/online; f cpu.online "$v"
            v=; while IFS= read -r l; do case $l in "model name"*) v=${l#*: }; break;; esac; done < /proc/cpuinfo; f cpu.model "$v"
            v=; while read -r k m u; do [ "$k" = MemTotal: ] && { v=$m; break; }; done < /proc/meminfo; f memory.total_kb "$v"
            v=""
            if command -v systemd-detect-virt >/dev/null 2>&1; then
              t=$(systemd-detect-virt 2>/dev/null)
              case $t in ""|none) ;; @CONTAINERS@) v="container:$t";; *) v="guest:$t";; esac
            else
              if [ -f /.dockerenv ]; then v=container:docker
              elif [ -f /run/.containerenv ]; then v=container:podman
              elif grep -qa 'container=' /proc/1/environ 2>/dev/null; then v="container:$(tr '\\0' '\\n' < /proc/1/environ | sed -n 's/^container=//p')"
              else
                r /sys/class/dmi/id/sys_vendor; d=$v; r /sys/class/dmi/id/product_name; d="$d $v"; v=
                case "$d" in
                  *VMware*) v=guest:vmware;; *QEMU*|*KVM*) v=guest:kvm;; *VirtualBox*) v=guest:oracle;;
                  *Microsoft*) v=guest:microsoft;; *Xen*) v=guest:xen;; *Amazon*) v=guest:amazon;; *Google*) v=guest:google;;
                  *) grep -q '^flags.* hypervisor' /proc/cpuinfo 2>/dev/null && v=guest:unknown;;
                esac
              fi
            fi
            f virtualization "${v:-none}"
            r /sys/devices/system/cpu/cpu0/cpufreq/scaling_driver; f cpufreq.driver "$v"
            r /sys/devices/system/cpu/cpu0/cpufreq/scaling_available_governors; f cpufreq.governors "$v"
            r /sys/devices/system/cpu/cpu0/cpufreq/scaling_governor; f cpufreq.governor "$v"
            rt=""; for b in docker containerd crio podman; do command -v $b >/dev/null 2>&1 && rt="$rt $b"; done
            f container_runtimes "$rt"
            [ -d /run/systemd/system ] && f systemd true || f systemd false
            """.replace("@CONTAINERS@", CONTAINERS);

    private FactGatherer() {}

    public static Map<String, Object> gather(Connection c) {
        ExecResult r = c.exec(SCRIPT, null, Duration.ofSeconds(60));
        if (!r.ok()) throw new TransportException("gathering facts failed on " + c.hostName() + ": " + r.err().strip());
        return parse(r.out());
    }

    static Map<String, Object> parse(String out) {
        Map<String, String> flat = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) flat.put(line.substring(0, eq), line.substring(eq + 1).trim());
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("hostname", flat.getOrDefault("hostname", ""));
        facts.put("kernel", flat.getOrDefault("kernel", ""));
        facts.put("architecture", flat.getOrDefault("architecture", ""));
        facts.put("os", ordered(
                "id", flat.getOrDefault("os.id", ""),
                "version", flat.getOrDefault("os.version", ""),
                "name", flat.getOrDefault("os.name", "")));
        facts.put("cpu", ordered(
                "count", toLong(flat.get("cpu.count")),
                "online", flat.getOrDefault("cpu.online", ""),
                "model", flat.getOrDefault("cpu.model", "")));
        long kb = toLong(flat.get("memory.total_kb"));
        facts.put("memory", ordered("total_kb", kb, "total_mb", kb / 1024));
        String virt = flat.getOrDefault("virtualization", "none");
        String role = virt.equals("none") ? "none" : virt.substring(0, virt.indexOf(':'));
        String type = virt.equals("none") ? "none" : virt.substring(virt.indexOf(':') + 1);
        facts.put("virtualization", ordered("role", role, "type", type));
        String driver = flat.getOrDefault("cpufreq.driver", "");
        List<String> govs = words(flat.get("cpufreq.governors"));
        Map<String, Object> cpufreq = new LinkedHashMap<>();
        cpufreq.put("present", !driver.isEmpty() || !govs.isEmpty());
        cpufreq.put("driver", driver);
        cpufreq.put("governors", govs);
        cpufreq.put("governor", flat.getOrDefault("cpufreq.governor", ""));
        facts.put("cpufreq", cpufreq);
        facts.put("container_runtimes", words(flat.get("container_runtimes")));
        facts.put("systemd", "true".equals(flat.get("systemd")));
        return facts;
    }

    /** Keys in the order given: Map.of iterates differently on every JVM start, and `tuner facts` output is diffed. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return out;
    }

    private static long toLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static List<String> words(String s) {
        if (s == null || s.isBlank()) return List.of();
        return new ArrayList<>(Arrays.asList(s.trim().split("\\s+")));
    }
}
