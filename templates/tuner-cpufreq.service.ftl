# ${tuner_managed}
# Sets the CPU frequency governor<#if noTurbo??> and turbo</#if> at boot.
[Unit]
Description=CPU frequency governor set by tuner
After=sysinit.target
ConditionPathExists=/sys/devices/system/cpu/cpu0/cpufreq

[Service]
Type=oneshot
RemainAfterExit=yes
Environment=TUNER_GOVERNOR=${governor} TUNER_CPUS=${cpus}<#if noTurbo??> TUNER_NO_TURBO=${noTurbo}</#if>
ExecStart=/bin/sh -c 'for n in $(echo "$TUNER_CPUS" | tr "," " "); do echo "$TUNER_GOVERNOR" > /sys/devices/system/cpu/cpu$n/cpufreq/scaling_governor; done'
<#if noTurbo??>
ExecStart=/bin/sh -c 'if [ -w /sys/devices/system/cpu/intel_pstate/no_turbo ]; then echo ${noTurbo} > /sys/devices/system/cpu/intel_pstate/no_turbo; elif [ -w /sys/devices/system/cpu/cpufreq/boost ]; then echo ${(noTurbo == "1")?then("0", "1")} > /sys/devices/system/cpu/cpufreq/boost; fi'
</#if>

[Install]
WantedBy=multi-user.target
