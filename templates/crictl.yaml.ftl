# ${tuner_managed}
# crictl talks to the node's CRI runtime through this socket.
<#assign runtimes = facts.container_runtimes![]>
<#if crictl_endpoint??>
<#assign endpoint = crictl_endpoint>
<#elseif runtimes?seq_contains("crio")>
<#assign endpoint = "unix:///var/run/crio/crio.sock">
<#else>
<#assign endpoint = "unix:///run/containerd/containerd.sock">
</#if>
runtime-endpoint: ${endpoint}
image-endpoint: ${endpoint}
timeout: ${crictl_timeout!10}
debug: false
pull-image-on-create: false
