package dev.tuner.vsphere;

import dev.tuner.diag.Suggest;
import dev.tuner.diag.TunerException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.w3c.dom.Element;

/** {@link VSphere} over vim25 SOAP with the JDK's HTTP client: no SDK jar. */
public final class Vim25Client implements VSphere {
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final MoRef SERVICE_INSTANCE = new MoRef("ServiceInstance", "ServiceInstance");

    /**
     * Where and how to connect.
     *
     * @param url            "https://vcenter.example.com" or ".../sdk"
     * @param requestTimeout for one HTTP request (tasks are waited for separately)
     * @param maxRetries     re-sends after transient failures (connection reset, HTTP 503), with doubling backoff
     */
    public record Endpoint(URI url, String user, String password, TlsPolicy tls, Duration requestTimeout,
                           int maxRetries, Duration firstBackoff) {
        public Endpoint {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(tls, "tls");
        }

        public Endpoint(URI url, String user, String password, TlsPolicy tls) {
            this(url, user, password, tls, Duration.ofSeconds(60), 3, Duration.ofMillis(500));
        }

        /** Never shows the password: endpoints end up in messages and logs. */
        @Override
        public String toString() {
            return user + " at " + url;
        }

        URI sdkUrl() {
            String p = url.getPath();
            if (p == null || p.isEmpty() || p.equals("/")) {
                return url.resolve("/sdk");
            }
            return url;
        }
    }

    private final Soap soap;
    private final String serverName;
    private final MoRef propertyCollector;
    private final MoRef searchIndex;
    private final MoRef viewManager;
    private final MoRef rootFolder;
    private final MoRef sessionManager;
    private volatile int pageSize = 100;
    private volatile boolean closed;

    private Vim25Client(Soap soap, Element serviceContent) {
        this.soap = soap;
        Element about = Xml.child(serviceContent, "about");
        this.serverName = about == null ? "unknown server" : Xml.text(about, "fullName");
        this.propertyCollector = ref(Xml.child(serviceContent, "propertyCollector"));
        this.searchIndex = ref(Xml.child(serviceContent, "searchIndex"));
        this.viewManager = ref(Xml.child(serviceContent, "viewManager"));
        this.rootFolder = ref(Xml.child(serviceContent, "rootFolder"));
        this.sessionManager = ref(Xml.child(serviceContent, "sessionManager"));
    }

    /** Connects and logs in; a wrong password gives "InvalidLogin: ...". */
    public static Vim25Client connect(Endpoint e) {
        Soap soap = new Soap(e.sdkUrl(), e.tls(), e.requestTimeout(), e.maxRetries(), e.firstBackoff());
        String version = soap.discoverVersion();
        if (version != null) {
            soap.apiVersion(version);
        }
        Element sc = Xml.child(soap.call("RetrieveServiceContent", SERVICE_INSTANCE, ""), "returnval");
        if (version == null) {
            String v = Xml.text(Xml.child(sc, "about"), "apiVersion");
            if (v != null && !v.isBlank()) {
                soap.apiVersion(v.strip());
            }
        }
        Vim25Client c = new Vim25Client(soap, sc);
        if (c.sessionManager == null || c.propertyCollector == null) {
            throw new TunerException(e.sdkUrl() + " is not a vCenter or ESXi SDK endpoint (no session manager)");
        }
        try {
            soap.call("Login", c.sessionManager, Xml.el("userName", e.user()) + Xml.el("password", e.password()));
        } catch (VimFault f) {
            throw new VimFault(f.faultType(), f.getMessage().substring(f.faultType().length() + 2)
                    + ": logging in to " + e.sdkUrl() + " as '" + e.user() + "'");
        }
        return c;
    }

    static MoRef ref(Element e) {
        if (e == null) {
            return null;
        }
        return new MoRef(e.getAttribute("type"), e.getTextContent().strip());
    }

    /** Objects per RetrievePropertiesEx page; the rest comes through ContinueRetrievePropertiesEx. */
    void pageSize(int n) {
        this.pageSize = n;
    }

    Soap soap() {
        return soap;
    }

    @Override
    public String serverName() {
        return serverName;
    }

    @Override
    public String apiVersion() {
        return soap.apiVersion();
    }

    /** One object's properties from a RetrievePropertiesEx answer: path -> the {@code <val>} element. */
    record ObjectContent(MoRef obj, Map<String, Element> props) {
        String text(String path) {
            Element e = props.get(path);
            return e == null ? null : e.getTextContent();
        }
    }

    /**
     * RetrievePropertiesEx with paging. Per-property problems come back in missingSet with HTTP 200
     * (even NotAuthenticated), so they are turned into faults here rather than read as "unset".
     */
    List<ObjectContent> retrieve(String specSetXml) {
        List<ObjectContent> out = new ArrayList<>();
        Element r = soap.call("RetrievePropertiesEx", propertyCollector,
                specSetXml + "<options>" + Xml.el("maxObjects", pageSize) + "</options>");
        Element result = Xml.child(r, "returnval");
        while (result != null) {
            for (Element oc : Xml.children(result, "objects")) {
                MoRef obj = ref(Xml.child(oc, "obj"));
                for (Element missing : Xml.children(oc, "missingSet")) {
                    throw missingFault(obj, missing);
                }
                Map<String, Element> props = new LinkedHashMap<>();
                for (Element ps : Xml.children(oc, "propSet")) {
                    props.put(Xml.text(ps, "name"), Xml.child(ps, "val"));
                }
                out.add(new ObjectContent(obj, props));
            }
            String token = Xml.text(result, "token");
            if (token == null || token.isBlank()) {
                break;
            }
            result = Xml.child(soap.call("ContinueRetrievePropertiesEx", propertyCollector, Xml.el("token", token.strip())),
                    "returnval");
        }
        return out;
    }

    private static VimFault missingFault(MoRef obj, Element missing) {
        String path = Xml.text(missing, "path");
        Element lmf = Xml.child(missing, "fault");
        Element f = lmf == null ? null : Xml.child(lmf, "fault");
        String type = f == null ? "MissingProperty" : Objects.requireNonNullElse(Xml.xsiType(f), f.getLocalName());
        String msg = lmf == null ? null : Xml.text(lmf, "localizedMessage");
        return new VimFault(type, Soap.describeFault(msg, f) + " (reading " + path + " of " + obj + ")");
    }

    private ObjectContent retrieveOne(MoRef obj, String... paths) {
        StringBuilder s = new StringBuilder("<specSet><propSet>").append(Xml.el("type", obj.type())).append(Xml.el("all", false));
        for (String p : paths) {
            s.append(Xml.el("pathSet", p));
        }
        s.append("</propSet><objectSet>").append(obj.toXml("obj")).append(Xml.el("skip", false)).append("</objectSet></specSet>");
        List<ObjectContent> r = retrieve(s.toString());
        if (r.isEmpty()) {
            throw new VimFault("ManagedObjectNotFound", obj + " no longer exists");
        }
        return r.get(0);
    }

    @Override
    public VmRef findVm(String id) {
        String wanted = id.strip();
        if (UUID.matcher(wanted).matches()) {
            MoRef r = null;
            for (boolean instance : new boolean[] {false, true}) {
                Element res = soap.call("FindByUuid", searchIndex,
                        Xml.el("uuid", wanted) + Xml.el("vmSearch", true) + Xml.el("instanceUuid", instance));
                r = ref(Xml.child(res, "returnval"));
                if (r != null) {
                    break;
                }
            }
            if (r == null) {
                throw new TunerException("no VM with BIOS or instance UUID " + wanted + " on " + soap.url());
            }
            return new VmRef(r, retrieveOne(r, "name").text("name"));
        }
        if (wanted.contains("/")) {
            MoRef r = ref(Xml.child(soap.call("FindByInventoryPath", searchIndex, Xml.el("inventoryPath", wanted)), "returnval"));
            if (r == null) {
                throw new TunerException("no VM at inventory path '" + wanted + "' on " + soap.url()
                        + " (paths look like <datacenter>/vm/<folder>/<name>)");
            }
            if (!"VirtualMachine".equals(r.type())) {
                throw new TunerException("inventory path '" + wanted + "' is a " + r.type() + ", not a VirtualMachine");
            }
            return new VmRef(r, retrieveOne(r, "name").text("name"));
        }
        Map<MoRef, String> all = allVmNames();
        List<MoRef> matches = all.entrySet().stream().filter(en -> en.getValue().equals(wanted)).map(Map.Entry::getKey).toList();
        if (matches.isEmpty()) {
            throw new TunerException("no VM named '" + wanted + "' on " + soap.url() + Suggest.didYouMean(wanted, all.values()));
        }
        if (matches.size() > 1) {
            throw new TunerException(matches.size() + " VMs are named '" + wanted + "' on " + soap.url() + " (" + matches
                    + "): name it by inventory path or BIOS UUID in vsphere_vm");
        }
        return new VmRef(matches.get(0), wanted);
    }

    /** Every VM's name, through a ContainerView over the whole inventory (destroyed afterwards). */
    Map<MoRef, String> allVmNames() {
        MoRef view = ref(Xml.child(soap.call("CreateContainerView", viewManager,
                rootFolder.toXml("container") + Xml.el("type", "VirtualMachine") + Xml.el("recursive", true)), "returnval"));
        try {
            String spec = "<specSet><propSet>" + Xml.el("type", "VirtualMachine") + Xml.el("all", false) + Xml.el("pathSet", "name")
                    + "</propSet><objectSet>" + view.toXml("obj") + Xml.el("skip", true)
                    // xsi:type is required: without it the server cannot tell a TraversalSpec from a SelectionSpec.
                    + "<selectSet xsi:type=\"TraversalSpec\">" + Xml.el("name", "view") + Xml.el("type", "ContainerView")
                    + Xml.el("path", "view") + Xml.el("skip", false) + "</selectSet></objectSet></specSet>";
            Map<MoRef, String> out = new LinkedHashMap<>();
            for (ObjectContent oc : retrieve(spec)) {
                out.put(oc.obj(), oc.text("name"));
            }
            return out;
        } finally {
            soap.call("DestroyView", view, "");
        }
    }

    @Override
    public VmConfig readVm(VmRef vm) {
        ObjectContent oc = retrieveOne(vm.moRef(), "name", "runtime.powerState", "config.hardware.numCPU",
                "config.hardware.numCoresPerSocket", "config.hardware.memoryMB", "config.cpuHotAddEnabled",
                "config.memoryHotAddEnabled", "config.hardware.device", "config.extraConfig");
        List<Device> devices = new ArrayList<>();
        Element devs = oc.props().get("config.hardware.device");
        if (devs != null) {
            for (Element d : Xml.children(devs, "VirtualDevice")) {
                devices.add(new Device(d));
            }
        }
        Map<String, String> extra = new LinkedHashMap<>();
        Element ex = oc.props().get("config.extraConfig");
        if (ex != null) {
            for (Element ov : Xml.children(ex, "OptionValue")) {
                String key = Xml.text(ov, "key");
                // vcsim appends instead of replacing: the last entry is the value in force.
                extra.remove(key);
                extra.put(key, Objects.requireNonNullElse(Xml.text(ov, "value"), ""));
            }
        }
        String cores = oc.text("config.hardware.numCoresPerSocket");
        return new VmConfig(new VmRef(vm.moRef(), oc.text("name")), PowerState.fromWire(oc.text("runtime.powerState").strip()),
                Integer.parseInt(oc.text("config.hardware.numCPU").strip()),
                cores == null ? 1 : Integer.parseInt(cores.strip()),
                Long.parseLong(oc.text("config.hardware.memoryMB").strip()),
                Boolean.parseBoolean(strip(oc.text("config.cpuHotAddEnabled"))),
                Boolean.parseBoolean(strip(oc.text("config.memoryHotAddEnabled"))),
                List.copyOf(devices), extra);
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }

    @Override
    public PowerState powerState(VmRef vm) {
        return PowerState.fromWire(retrieveOne(vm.moRef(), "runtime.powerState").text("runtime.powerState").strip());
    }

    @Override
    public void reconfigure(VmRef vm, ConfigSpec spec, TaskOptions wait) {
        waitTask(startTask("ReconfigVM_Task", vm.moRef(), spec.toXml("spec")), "ReconfigVM_Task", vm, wait);
    }

    @Override
    public void powerOn(VmRef vm, TaskOptions wait) {
        waitTask(startTask("PowerOnVM_Task", vm.moRef(), ""), "PowerOnVM_Task", vm, wait);
    }

    @Override
    public void powerOff(VmRef vm, TaskOptions wait) {
        waitTask(startTask("PowerOffVM_Task", vm.moRef(), ""), "PowerOffVM_Task", vm, wait);
    }

    @Override
    public void shutdownGuest(VmRef vm, Duration timeout) {
        soap.call("ShutdownGuest", vm.moRef(), "");
        long deadline = System.nanoTime() + timeout.toNanos();
        long sleep = 200;
        while (powerState(vm) != PowerState.POWERED_OFF) {
            if (System.nanoTime() > deadline) {
                throw new TunerException("guest of " + vm + " did not shut down within " + timeout.toSeconds()
                        + "s; allow a hard power-off with force: true, or raise the shutdown timeout");
            }
            pause(sleep);
            sleep = Math.min(sleep * 2, 2000);
        }
    }

    @Override
    public MoRef createSnapshot(VmRef vm, String name, String description, TaskOptions wait) {
        MoRef task = startTask("CreateSnapshot_Task", vm.moRef(), Xml.el("name", name) + Xml.el("description", description)
                + Xml.el("memory", false) + Xml.el("quiesce", false));
        Element result = waitTask(task, "CreateSnapshot_Task", vm, wait);
        MoRef snap = ref(result);
        if (snap == null || snap.value().isEmpty()) {
            throw new TunerException("CreateSnapshot_Task on " + vm + " succeeded but returned no snapshot");
        }
        return snap;
    }

    @Override
    public void removeSnapshot(MoRef snapshot, TaskOptions wait) {
        waitTask(startTask("RemoveSnapshot_Task", snapshot, Xml.el("removeChildren", false)), "RemoveSnapshot_Task", null, wait);
    }

    private MoRef startTask(String method, MoRef self, String args) {
        MoRef task = ref(Xml.child(soap.call(method, self, args), "returnval"));
        if (task == null) {
            throw new TunerException(method + ": the server returned no task");
        }
        return task;
    }

    /**
     * Polls the task's info until it succeeds (returns info.result, may be null) or fails (info.error
     * becomes a VimFault named after the fault type), reporting progress; gives up after the timeout.
     */
    Element waitTask(MoRef task, String what, VmRef vm, TaskOptions wait) {
        String label = what + (vm == null ? "" : " on " + vm);
        long deadline = System.nanoTime() + wait.timeout().toNanos();
        long sleep = 50;
        int lastProgress = Integer.MIN_VALUE;
        while (true) {
            Element info = retrieveOne(task, "info").props().get("info");
            String state = Xml.text(info, "state").strip();
            String progress = Xml.text(info, "progress");
            int pct = switch (state) {
                case "success" -> 100;
                case "queued" -> 0;
                default -> progress == null || progress.isBlank() ? -1 : Integer.parseInt(progress.strip());
            };
            if (pct != lastProgress) {
                wait.progress().update(label, pct);
                lastProgress = pct;
            }
            switch (state) {
                case "success":
                    return Xml.child(info, "result");
                case "error": {
                    Element err = Xml.child(info, "error");
                    Element f = err == null ? null : Xml.child(err, "fault");
                    String type = f == null ? "TaskError" : Objects.requireNonNullElse(Xml.xsiType(f), f.getLocalName());
                    String msg = err == null ? null : Xml.text(err, "localizedMessage");
                    throw new VimFault(type, Soap.describeFault(msg, f) + " (task " + label + ")");
                }
                default:
                    break;
            }
            if (System.nanoTime() > deadline) {
                throw new TunerException(label + " did not finish within " + wait.timeout().toSeconds() + "s (state " + state
                        + (pct >= 0 ? ", " + pct + "%" : "") + "); it goes on on the server as " + task.value());
            }
            pause(sleep);
            sleep = Math.min(sleep * 2, 1000);
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TunerException("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            soap.call("Logout", sessionManager, "");
        } catch (RuntimeException e) {
            // The session expires on the server by itself; failing to log out must not hide the real outcome.
        }
    }
}
