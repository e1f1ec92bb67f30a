#!/usr/bin/perl
# Helper for lab/lab. Two jobs:
#
#   host-setup.pl snapshot LABDIR [EXTRA_KEY...]
#       Runs on the real machine (root namespaces). Decides which sysctls each lab host gets as
#       private regular files ("fakes") and records their current real values and modes in
#       LABDIR/sysctl-fakes, once per `lab up`, so every host starts from the real machine's values.
#
#   host-setup.pl setup HOSTDIR
#       Runs as the first step of a lab host's init, already inside the host's fresh network, mount,
#       UTS, IPC and PID namespaces. Builds the host's private view of the machine: /proc, /sys,
#       /etc, /tmp, /run, /root, sysctl fakes, the read-only guards, the fake cpufreq tree and the
#       fake sysfs attributes (transparent hugepages, block device queues).
#
# Why Perl: a host needs a few hundred bind mounts (mirrored /proc/sys/net directories, the cpu tree).
# mount(8) costs ~15 ms per call here because it re-reads /proc/self/mountinfo each time; the raw
# syscall costs microseconds, which is what lets 30 hosts start in a few seconds. perl-base is
# Essential on Debian, so this adds no dependency.
use strict;
use warnings;

my %SYSCALLS = (
    x86_64  => { mount => 165, sethostname => 170 },
    aarch64 => { mount => 40,  sethostname => 161 },
);
# Compiled once per host: POSIX and Fcntl would cost more than all of a host's mounts (~10 ms of
# CPU each time), so the architecture comes from the kernel, and POSIX only where it has none.
my $arch = first_line('/proc/sys/kernel/arch') // do { require POSIX; (POSIX::uname())[4] };
my $SC = $SYSCALLS{$arch} or die "lab: unsupported architecture '$arch' (known: x86_64, aarch64)\n";

use constant {
    MS_RDONLY => 1, MS_NOSUID => 2, MS_NODEV => 4, MS_NOEXEC => 8,
    MS_REMOUNT => 32, MS_BIND => 4096, MS_REC => 16384,
};

# Global keys that are commonly tuned and so get a private file in every host. Every key listed in
# the lab's brief is here; the rest are keys real playbooks touch (hardening, databases, containers).
# A key not faked and not under /proc/sys/net is read-only inside a host: writing it fails with EROFS.
my @GLOBAL_FAKES = qw(
    vm/swappiness vm/dirty_ratio vm/dirty_background_ratio vm/dirty_bytes vm/dirty_background_bytes
    vm/dirty_expire_centisecs vm/dirty_writeback_centisecs vm/overcommit_memory vm/overcommit_ratio
    vm/min_free_kbytes vm/max_map_count vm/zone_reclaim_mode vm/vfs_cache_pressure vm/nr_hugepages
    vm/nr_overcommit_hugepages vm/page-cluster vm/watermark_scale_factor vm/laptop_mode
    vm/panic_on_oom vm/stat_interval vm/drop_caches
    kernel/sched_autogroup_enabled kernel/numa_balancing kernel/pid_max kernel/threads-max
    kernel/shmmax kernel/shmall kernel/shmmni kernel/msgmax kernel/msgmnb kernel/msgmni kernel/sem
    kernel/panic kernel/panic_on_oops kernel/sysrq kernel/kptr_restrict kernel/dmesg_restrict
    kernel/perf_event_paranoid kernel/randomize_va_space kernel/watchdog kernel/core_uses_pid
    fs/file-max fs/nr_open fs/aio-max-nr fs/pipe-max-size fs/suid_dumpable
    fs/inotify/max_user_watches fs/inotify/max_user_instances fs/inotify/max_queued_events
    fs/protected_hardlinks fs/protected_symlinks fs/protected_fifos fs/protected_regular
);

my $cmd = shift @ARGV // '';
if    ($cmd eq 'snapshot') { snapshot(@ARGV) }
elsif ($cmd eq 'list-net') { list_net() }
elsif ($cmd eq 'setup')    { setup(@ARGV) }
else  { die "usage: host-setup.pl snapshot LABDIR [KEY...] | setup HOSTDIR\n" }
exit 0;

# ---------------------------------------------------------------------------------------------
# snapshot (real machine)

# Lists every file under /proc/sys/net with its mode, skipping per-interface directories: those
# differ between namespaces by nature (the real machine's eth0 is not a lab host's eth0).
sub net_files {
    my %ifaces = map { $_ => 1 } list_dir('/sys/class/net');
    my %out;
    my $walk;
    $walk = sub {
        my ($rel) = @_;
        for my $e (list_dir("/proc/sys/$rel")) {
            my $p = "$rel/$e";
            my @st = lstat("/proc/sys/$p") or next;
            if (-d _) {
                next if $ifaces{$e} || $e =~ /^tl(ab)?\d+([hp]\d+)?$/;
                $walk->($p);
            } else {
                $out{$p} = $st[2] & 07777;
            }
        }
    };
    $walk->('net');
    return \%out;
}

sub list_net {
    my $files = net_files();
    print "$_\t$files->{$_}\n" for sort keys %$files;
}

sub snapshot {
    my ($labdir, @extra) = @_;
    die "snapshot: LABDIR missing\n" unless $labdir;
    my %fake;    # relative path under /proc/sys => 1

    for my $k (@GLOBAL_FAKES) {
        my $p = key_path($k);
        $fake{$p} = 1 if -e "/proc/sys/$p";    # a kernel without the key: hosts lack it too
    }
    for my $k (@extra) {
        my $p = key_path($k);
        die "lab: --fake-sysctl $k: the real machine has no /proc/sys/$p\n" unless -e "/proc/sys/$p";
        die "lab: --fake-sysctl $k: only single keys can be faked, /proc/sys/$p is a directory\n" if -d _;
        $fake{$p} = 1;
    }

    # net.* is per network namespace, so it stays real, except keys that exist only in the initial
    # namespace (netdev_*, tcp_mem, nf_conntrack_max, ...) and keys a child namespace may not write
    # (net.core.rmem_max/wmem_max/..._default are made read-only there). Both are found by listing
    # /proc/sys/net in a throwaway child namespace and comparing with the real one.
    my $root = net_files();
    open(my $ch, '-|', 'unshare', '--net', $^X, $0, 'list-net')
        or die "lab: cannot run unshare --net: $!\n";
    my %child;
    while (<$ch>) { chomp; my ($p, $m) = split /\t/; $child{$p} = $m }
    close($ch) or die "lab: listing /proc/sys/net in a child network namespace failed (unshare --net)\n";
    for my $p (keys %$root) {
        if (!exists $child{$p}) { $fake{$p} = 1; next }
        $fake{$p} = 1 if ($root->{$p} & 0200) && !($child{$p} & 0200);
    }

    my $out = "$labdir/sysctl-fakes";
    open(my $fh, '>', "$out.tmp") or die "lab: cannot write $out.tmp: $!\n";
    for my $p (sort keys %fake) {
        my $mode = (stat("/proc/sys/$p"))[2] & 0777;
        my $value = '';
        if ($mode & 0444) {
            # Unreadable keys (write-only triggers, or ones that refuse reads here) start empty.
            if (open(my $v, '<', "/proc/sys/$p")) { local $/; $value = <$v> // ''; close $v }
        }
        printf $fh "%s\t%o\t%s\n", $p, $mode, unpack('H*', $value);
    }
    close $fh or die "lab: cannot write $out.tmp: $!\n";
    rename("$out.tmp", $out) or die "lab: cannot rename $out.tmp: $!\n";
    printf "%d sysctls faked per host\n", scalar keys %fake;
}

# ---------------------------------------------------------------------------------------------
# setup (inside a lab host's namespaces)

sub setup {
    my ($hd) = @_;
    die "setup: HOSTDIR missing\n" unless $hd && -d $hd;
    my %conf = read_conf("$hd/host.conf");
    my $name = $conf{name};
    my $labdir = $conf{labdir};

    # Everything the host needs from the state directory is read now: /tmp becomes private later and
    # the state directory (under /tmp by default) disappears from the host's view.
    my $authorized = slurp("$labdir/id_ed25519.pub");
    my $hostkey = slurp("$hd/ssh_host_ed25519_key");
    my $hostpub = slurp("$hd/ssh_host_ed25519_key.pub");
    my @fakes = read_fakes("$labdir/sysctl-fakes");
    my $conftext = slurp("$hd/host.conf");

    my $n = $name;
    syscall($SC->{sethostname}, $n, length $n) == 0 or die "sethostname $name: $!\n";

    # One tmpfs private to this mount namespace holds every writable thing the host owns (the /etc
    # overlay's upper layer, fake sysctl files, the cpu tree). It vanishes with the host: nothing
    # the host writes lands on the real machine's disk.
    my $rw = "$hd/rw";
    mnt('tmpfs', $rw, 'tmpfs', MS_NOSUID | MS_NODEV, 'mode=0700,size=256m');

    # A /proc for the host's own PID namespace, and a sysfs for its own network namespace
    # (so /sys/class/net shows eth0 and lo only). sysfs is read-only: it holds real hardware knobs.
    mnt('proc', '/proc', 'proc', MS_NOSUID | MS_NODEV | MS_NOEXEC);
    mnt('sysfs', '/sys', 'sysfs', MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);

    setup_etc($rw, $name, $conf{ip}, $authorized, $hostkey, $hostpub);
    setup_sysctl($rw, \@fakes);
    setup_cpufreq($rw, $conf{cpufreq}) if $conf{cpufreq} ne 'none';
    setup_sysfs($rw);

    # Private runtime, home and scratch directories. sshd insists on /run/sshd (privilege separation)
    # and, with StrictModes, on a root-owned 0700 home: a tmpfs over /root gives both.
    mnt('tmpfs', '/run', 'tmpfs', MS_NOSUID | MS_NODEV, 'mode=0755');
    mkdir '/run/sshd', 0755 or die "mkdir /run/sshd: $!\n";
    # For host-init, which configures eth0 after this: the state directory is out of sight by then.
    spew('/run/lab-host.conf', $conftext, 0644);
    mnt('tmpfs', '/root', 'tmpfs', MS_NOSUID | MS_NODEV, 'mode=0700');
    mkdir '/root/.ssh', 0700 or die "mkdir /root/.ssh: $!\n";
    spew('/root/.ssh/authorized_keys', $authorized, 0600);
    mnt('tmpfs', '/var/tmp', 'tmpfs', MS_NOSUID | MS_NODEV, 'mode=1777');
    mnt('tmpfs', '/var/log', 'tmpfs', MS_NOSUID | MS_NODEV, 'mode=0755');
    mnt('tmpfs', '/dev/shm', 'tmpfs', MS_NOSUID | MS_NODEV, 'mode=1777');
    mnt('tmpfs', '/tmp', 'tmpfs', MS_NOSUID | MS_NODEV, 'mode=1777');

    # Last: everything not made private above is read-only in the host. A bind remount changes only
    # this namespace's copy of the mount, never the real root file system's superblock.
    mnt('none', '/', 'none', MS_REMOUNT | MS_BIND | MS_RDONLY);
}

sub setup_etc {
    my ($rw, $name, $ip, $authorized, $hostkey, $hostpub) = @_;
    # All of /etc is an overlay: the host sees the real files, its writes go to the tmpfs upper layer.
    mkdir "$rw/etc-upper", 0755 or die "mkdir: $!\n";
    mkdir "$rw/etc-work", 0700 or die "mkdir: $!\n";
    mnt('overlay', '/etc', 'overlay', 0, "lowerdir=/etc,upperdir=$rw/etc-upper,workdir=$rw/etc-work");

    # Directories a tuning tool writes drop-ins to start empty in every host, as on a fresh install.
    for my $d (qw(sysctl.d tmpfiles.d systemd/system docker containerd crio)) {
        mkpath("/etc/$d", 0755);
        mnt('tmpfs', "/etc/$d", 'tmpfs', MS_NOSUID | MS_NODEV, 'mode=0755');
    }

    spew('/etc/hostname', "$name\n", 0644);
    my $hosts = -e '/etc/hosts' ? slurp('/etc/hosts') : "127.0.0.1\tlocalhost\n";
    spew('/etc/hosts', $hosts . "$ip\t$name\n", 0644);

    # The host's own identity: only its generated ed25519 key, not the real machine's host keys.
    unlink glob('/etc/ssh/ssh_host_*');
    spew('/etc/ssh/ssh_host_ed25519_key', $hostkey, 0600);
    spew('/etc/ssh/ssh_host_ed25519_key.pub', $hostpub, 0644);
    spew('/etc/ssh/sshd_config', <<'EOF', 0644);
# Written by lab/lab for a namespaced lab host; private to this host (overlay over /etc).
Port 22
ListenAddress 0.0.0.0
HostKey /etc/ssh/ssh_host_ed25519_key
PidFile /run/sshd.pid
# No PAM: there is no PAM session machinery worth having in a namespace, and it fails here.
UsePAM no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
StrictModes yes
AuthorizedKeysFile .ssh/authorized_keys
UseDNS no
PrintMotd no
PrintLastLog no
# Tests and `--forks` open many connections at once.
MaxStartups 200:30:400
MaxSessions 100
AcceptEnv LANG LC_*
Subsystem sftp /usr/lib/openssh/sftp-server
EOF

    # Without PAM, OpenSSH refuses accounts whose password field is locked ("!..."), even for keys.
    # "*" means "no password" and is not a lock. Changed in the host's private /etc only.
    if (open(my $fh, '<', '/etc/shadow')) {
        local $/; my $sh = <$fh>; close $fh;
        if ($sh =~ s/^root:!+[^:]*:/root:*:/m) { spew('/etc/shadow', $sh, 0640) }
    }
}

sub setup_sysctl {
    my ($rw, $fakes) = @_;
    # Separate mounts for /proc/sys (made read-only below) and /proc/sys/net (stays writable: net.* is
    # per network namespace, so writes there change only this host).
    mnt('/proc/sys', '/proc/sys', 'none', MS_BIND);
    mnt('/proc/sys/net', '/proc/sys/net', 'none', MS_BIND);

    my %fake = map { $_->{path} => $_ } @$fakes;
    my $store = "$rw/sysctl";
    mkdir $store, 0755 or die "mkdir $store: $!\n";

    # Keys that do not exist in this namespace (initial-namespace-only net keys) cannot be bind
    # targets: proc does not let us create files. Their nearest existing directory is mirrored
    # instead: a tmpfs directory with every real entry bind-mounted in, plus the missing fake files,
    # bind-mounted over the original directory.
    my %mirror;
    for my $f (@$fakes) {
        next if -e "/proc/sys/$f->{path}";
        my $d = $f->{path};
        do { $d =~ s{/[^/]+$}{} } until -d "/proc/sys/$d";
        $mirror{$d} = 1;
    }
    my %in_mirror;    # fake paths that a mirror will contain
    for my $p (keys %fake) {
        for my $d (keys %mirror) { $in_mirror{$p} = 1 if index($p, "$d/") == 0 }
    }
    # Mirror outermost directories first; inner mirrors are built inside them.
    my @tops = grep { my $d = $_; !grep { $_ ne $d && index($d, "$_/") == 0 } keys %mirror } keys %mirror;
    for my $d (sort @tops) {
        my $m = "$store/mirror-" . ($d =~ tr{/}{_}r);
        mkdir $m, 0555 or die "mkdir $m: $!\n";
        build_mirror("/proc/sys/$d", $d, $m, \%fake, \%mirror);
        mnt($m, "/proc/sys/$d", 'none', MS_BIND | MS_REC);
    }

    # Keys that exist (global vm/kernel/fs keys, net keys a child may not write): a private regular
    # file, initialised to the real value, bind-mounted over the key.
    for my $f (@$fakes) {
        next if $in_mirror{$f->{path}};
        my $file = "$store/" . ($f->{path} =~ tr{/}{_}r);
        spew($file, $f->{value}, $f->{mode});
        mnt($file, "/proc/sys/$f->{path}", 'none', MS_BIND);
    }

    # The guard: the rest of /proc/sys is read-only, so a key we did not fake fails loudly (EROFS)
    # instead of changing the real machine (`sysctl --system` would otherwise rewrite fs.protected_*).
    mnt('none', '/proc/sys', 'none', MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
    # Other /proc entries that act on the whole machine.
    for my $p (qw(/proc/sysrq-trigger /proc/irq /proc/bus /proc/fs)) {
        next unless -e $p;
        mnt($p, $p, 'none', MS_BIND | MS_REC);
        mnt('none', $p, 'none', MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
    }
}

sub build_mirror {
    my ($real, $rel, $m, $fake, $mirror) = @_;
    my %seen;
    for my $e (list_dir($real)) {
        my $p = "$rel/$e";
        $seen{$e} = 1;
        if ($fake->{$p}) {
            spew("$m/$e", $fake->{$p}{value}, $fake->{$p}{mode});
        } elsif (-d "$real/$e") {
            mkdir "$m/$e", 0555 or die "mkdir $m/$e: $!\n";
            if ($mirror->{$p}) { build_mirror("$real/$e", $p, "$m/$e", $fake, $mirror) }
            else               { mnt_unless_gone("$real/$e", "$m/$e") or rmdir "$m/$e" }
        } else {
            spew("$m/$e", '', 0444);
            mnt_unless_gone("$real/$e", "$m/$e") or unlink "$m/$e";
        }
    }
    # Fake keys (possibly in sub-directories) that this namespace lacks altogether.
    for my $p (sort keys %$fake) {
        next unless index($p, "$rel/") == 0;
        my $sub = substr($p, length($rel) + 1);
        my ($first) = split m{/}, $sub;
        next if $seen{$first};
        my $dir = "$m/$sub"; $dir =~ s{/[^/]+$}{};
        mkpath($dir, 0555);
        spew("$m/$sub", $fake->{$p}{value}, $fake->{$p}{mode});
    }
}

sub setup_cpufreq {
    my ($rw, $style) = @_;
    # The real machine may have no cpufreq at all, and sysfs does not let us add files. So the whole
    # /sys/devices/system/cpu is replaced by a tmpfs copy: real entries (online, possible, topology,
    # ...) bind-mounted back in read-only, plus a cpufreq tree of plain writable files.
    my $real = '/sys/devices/system/cpu';
    my $m = "$rw/cpu";
    mkdir $m, 0755 or die "mkdir $m: $!\n";
    my @cpus = sort { $a <=> $b } map { /^cpu(\d+)$/ ? $1 : () } list_dir($real);

    my $max = 3000000;    # kHz; from /proc/cpuinfo when it says
    if (open(my $ci, '<', '/proc/cpuinfo')) {
        while (<$ci>) { if (/^cpu MHz\s*:\s*([\d.]+)/) { $max = int($1) * 1000; last } }
        close $ci;
    }
    my $min = $max > 1600000 ? 800000 : int($max / 2);

    for my $e (list_dir($real)) {
        next if $e eq 'cpufreq' || $e eq 'intel_pstate';
        my $src = "$real/$e";
        if (-l $src) { symlink(readlink($src), "$m/$e") or die "symlink $m/$e: $!\n"; next }
        if ($e =~ /^cpu(\d+)$/ && -d $src) {
            mkdir "$m/$e", 0755 or die "mkdir: $!\n";
            for my $f (list_dir($src)) {
                next if $f eq 'cpufreq';
                copy_entry("$src/$f", "$m/$e/$f");
            }
            symlink("../cpufreq/policy$1", "$m/$e/cpufreq") or die "symlink: $!\n";
            next;
        }
        copy_entry($src, "$m/$e");
    }

    my $intel = $style eq 'intel_pstate';
    my $govs = $intel ? 'performance powersave' : 'conservative ondemand userspace powersave performance schedutil';
    my $default = $intel ? 'powersave' : 'schedutil';
    mkdir "$m/cpufreq", 0755 or die "mkdir: $!\n";
    spew("$m/cpufreq/boost", "1\n", 0644);
    for my $c (@cpus) {
        my $p = "$m/cpufreq/policy$c";
        mkdir $p, 0755 or die "mkdir $p: $!\n";
        my %files = (
            affected_cpus => $c, related_cpus => $c,
            cpuinfo_min_freq => $min, cpuinfo_max_freq => $max, cpuinfo_transition_latency => 0,
            scaling_min_freq => $min, scaling_max_freq => $max, scaling_cur_freq => $max,
            scaling_driver => $style, scaling_governor => $default,
            scaling_available_governors => $govs, scaling_setspeed => '<unsupported>',
        );
        if ($intel) {
            $files{energy_performance_preference} = 'balance_performance';
            $files{energy_performance_available_preferences} =
                'default performance balance_performance balance_power power';
        } else {
            $files{scaling_available_frequencies} = join(' ', $max, int(($max + $min) / 2), $min);
        }
        my %ro = map { $_ => 1 } qw(affected_cpus related_cpus cpuinfo_min_freq cpuinfo_max_freq
            cpuinfo_transition_latency scaling_cur_freq scaling_driver scaling_available_governors
            energy_performance_available_preferences scaling_available_frequencies);
        spew("$p/$_", "$files{$_}\n", $ro{$_} ? 0444 : 0644) for keys %files;
    }
    if ($intel) {
        mkdir "$m/intel_pstate", 0755 or die "mkdir: $!\n";
        my %files = (no_turbo => 0, status => 'active', max_perf_pct => 100, min_perf_pct => 20,
                     num_pstates => 32, turbo_pct => 30, hwp_dynamic_boost => 0);
        spew("$m/intel_pstate/$_", "$files{$_}\n", 0644) for keys %files;
    }
    mnt($m, $real, 'none', MS_BIND | MS_REC);
}

# Global /sys attributes operators tune next to sysctls. sysfs does not let us add or redirect files,
# and writing the real ones would change the machine, so:
#   - transparent_hugepage/{enabled,defrag}: private files bind-mounted over the real attributes,
#     starting from the real machine's text (the kernel's bracketed form, "always [madvise] never");
#   - /sys/block: a tmpfs copy holding the real entries (symlinks into /sys/devices, as the kernel
#     has them) plus two fake disks, sda and sdb, with a few queue attributes.
# Only the fake attributes are writable; the copies' directories are read-only like sysfs, so writing
# an attribute that does not exist fails (EROFS) instead of creating a file.
sub setup_sysfs {
    my ($rw) = @_;
    my $store = "$rw/sysfs";
    mkdir $store, 0755 or die "mkdir $store: $!\n";

    my $thp = '/sys/kernel/mm/transparent_hugepage';
    my %thp_default = (enabled => "always [madvise] never\n", defrag => "always defer defer+madvise [madvise] never\n");
    if (-d $thp) {
        for my $f (sort keys %thp_default) {
            my $value = -r "$thp/$f" ? slurp("$thp/$f") : $thp_default{$f};
            spew("$store/thp-$f", $value, 0644);
            mnt("$store/thp-$f", "$thp/$f", 'none', MS_BIND);
        }
    } else {
        # A kernel without THP: /sys/kernel/mm becomes a copy with the real entries bound back and a
        # transparent_hugepage directory holding the kernel's defaults.
        my $real = '/sys/kernel/mm';
        die "lab: this kernel has no $real to put transparent hugepage attributes in\n" unless -d $real;
        my $m = "$store/mm";
        mkdir $m, 0755 or die "mkdir $m: $!\n";
        copy_entry("$real/$_", "$m/$_") for list_dir($real);
        mkdir "$m/transparent_hugepage", 0755 or die "mkdir: $!\n";
        fake_attribute("$m/transparent_hugepage/$_", $thp_default{$_}) for sort keys %thp_default;
        bind_read_only_tree($m, $real);
    }

    my $real = '/sys/block';
    my $b = "$store/block";
    mkdir $b, 0755 or die "mkdir $b: $!\n";
    my %fake_disk = (sda => "0\n", sdb => "1\n");    # name => rotational: an SSD and a spinning disk
    for my $e (list_dir($real)) {
        next if $fake_disk{$e};                         # a real sda is hidden by the fake one
        copy_entry("$real/$e", "$b/$e");
    }
    for my $disk (sort keys %fake_disk) {
        mkpath("$b/$disk/queue", 0755);
        my %queue = (scheduler => "[mq-deadline] kyber bfq none\n", read_ahead_kb => "128\n",
                     nr_requests => "64\n", rotational => $fake_disk{$disk});
        fake_attribute("$b/$disk/queue/$_", $queue{$_}) for sort keys %queue;
    }
    bind_read_only_tree($b, $real);
}

# A writable fake attribute inside a tree that will be made read-only: its own bind mount keeps it
# writable when the tree's mount is remounted read-only.
sub fake_attribute {
    my ($file, $content) = @_;
    spew($file, $content, 0644);
    mnt($file, $file, 'none', MS_BIND);
}

# Binds a prepared copy (with its fake attributes' mounts) over a /sys directory, then makes the
# copy's own mount read-only.
sub bind_read_only_tree {
    my ($copy, $target) = @_;
    mnt($copy, $target, 'none', MS_BIND | MS_REC);
    mnt('none', $target, 'none', MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
}

# Recreates one sysfs entry inside a tmpfs copy: symlinks as symlinks (their relative targets still
# resolve, the copy sits at the same path), files and directories as read-only bind mounts.
sub copy_entry {
    my ($src, $dst) = @_;
    if (-l $src) { symlink(readlink($src), $dst) or die "symlink $dst: $!\n"; return }
    if (-d $src) { mkdir $dst, 0755 or die "mkdir $dst: $!\n" }
    else         { spew($dst, '', 0444) }
    mnt($src, $dst, 'none', MS_BIND);
}

# ---------------------------------------------------------------------------------------------
# small helpers

# A bind mount of a /proc/sys/net entry that may vanish while we work: an interface being moved
# into the host and renamed (its veth's old name) disappears between listing and mounting. Gone is
# fine (returns false); any other failure is fatal.
sub mnt_unless_gone {
    my ($src, $tgt) = @_;
    my ($s, $t, $y) = ("$src", "$tgt", "none");
    return 1 if syscall($SC->{mount}, $s, $t, $y, MS_BIND, 0) == 0;
    return 0 if $!{ENOENT} && !-e $src;
    die sprintf("mount %s on %s (bind) failed: %s\n", $src, $tgt, $!);
}

sub mnt {
    my ($src, $tgt, $type, $flags, $data) = @_;
    # syscall() passes strings as pointers; copies keep Perl from complaining about constants.
    my ($s, $t, $y) = ("$src", "$tgt", "$type");
    my $r = defined $data ? do { my $d = "$data"; syscall($SC->{mount}, $s, $t, $y, $flags, $d) }
                          : syscall($SC->{mount}, $s, $t, $y, $flags, 0);
    $r == 0 or die sprintf("mount %s on %s (type %s, flags 0x%x%s) failed: %s\n",
                           $src, $tgt, $type, $flags, defined $data ? ", $data" : '', $!);
}

# vm.swappiness -> vm/swappiness; a path (vm/swappiness) is taken as it is.
sub key_path {
    my ($k) = @_;
    die "lab: bad sysctl key '$k'\n" unless $k =~ m{^[A-Za-z0-9_][A-Za-z0-9_./-]*$} && $k !~ m{\.\.};
    return $k =~ m{/} ? $k : $k =~ tr{.}{/}r;
}

sub list_dir {
    my ($d) = @_;
    opendir(my $dh, $d) or return ();
    my @e = grep { $_ ne '.' && $_ ne '..' } readdir $dh;
    closedir $dh;
    return @e;
}

sub mkpath {
    my ($p, $mode) = @_;
    my $cur = '';
    for my $part (grep { length } split m{/}, $p) {
        $cur .= "/$part";
        next if -d $cur;
        mkdir $cur, $mode or die "mkdir $cur: $!\n";
    }
}

sub first_line {
    my ($f) = @_;
    open(my $fh, '<', $f) or return undef;
    my $l = <$fh>;
    close $fh;
    chomp $l if defined $l;
    return $l;
}

sub slurp {
    my ($f) = @_;
    open(my $fh, '<', $f) or die "read $f: $!\n";
    local $/; my $c = <$fh>; close $fh;
    return $c // '';
}

sub spew {
    my ($f, $content, $mode) = @_;
    unlink $f if -l $f;
    open(my $fh, '>', $f) or die "write $f: $!\n";
    print $fh $content;
    close $fh or die "write $f: $!\n";
    chmod $mode, $f or die "chmod $f: $!\n";
}

sub read_conf {
    my ($f) = @_;
    my %c;
    for (split /\n/, slurp($f)) { next unless /^(\w+)=(.*)$/; $c{$1} = $2 }
    for (qw(name ip labdir cpufreq)) { die "$f: '$_' missing\n" unless defined $c{$_} }
    return %c;
}

sub read_fakes {
    my ($f) = @_;
    my @out;
    for (split /\n/, slurp($f)) {
        my ($path, $mode, $hex) = split /\t/, $_, 3;
        push @out, { path => $path, mode => oct($mode), value => pack('H*', $hex // '') };
    }
    return @out;
}
