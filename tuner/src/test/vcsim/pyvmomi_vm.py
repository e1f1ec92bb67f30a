"""An independent vSphere client for tuner's tests: reads or changes a VM with pyVmomi (Debian's python3-pyvmomi).

usage: pyvmomi_vm.py HOST PORT USER PASSWORD CAFILE VMNAME read
       pyvmomi_vm.py HOST PORT USER PASSWORD CAFILE VMNAME set KEY=VALUE...   (numCPUs=, memoryMB=, or an extraConfig key)
       pyvmomi_vm.py HOST PORT USER PASSWORD CAFILE VMNAME template         (power off, mark as template)
Prints the VM as JSON (after the change, for set).
"""
import json
import ssl
import sys
import time
import warnings

warnings.simplefilter("ignore")
from pyVim.connect import Disconnect, SmartConnect  # noqa: E402
from pyVmomi import vim  # noqa: E402


def find_vm(content, name):
    view = content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], True)
    try:
        for vm in view.view:
            if vm.name == name:
                return vm
    finally:
        view.Destroy()
    sys.exit("no VM named " + name)


def describe(vm):
    cfg = vm.config
    extra = {}
    for o in cfg.extraConfig:
        extra[o.key] = o.value  # later entries win, as for the VMX
    devices = []
    for d in cfg.hardware.device:
        devices.append({
            "type": d._wsdlName,
            "key": d.key,
            "controllerKey": getattr(d, "controllerKey", None),
            "unitNumber": getattr(d, "unitNumber", None),
            "busNumber": getattr(d, "busNumber", None),
            "macAddress": getattr(d, "macAddress", None),
            "wakeOnLanEnabled": getattr(d, "wakeOnLanEnabled", None),
            "backing": d.backing._wsdlName if d.backing else None,
        })
    return {
        "name": vm.name,
        "powerState": str(vm.runtime.powerState),
        "numCPU": cfg.hardware.numCPU,
        "numCoresPerSocket": cfg.hardware.numCoresPerSocket,
        "memoryMB": cfg.hardware.memoryMB,
        "cpuHotAddEnabled": bool(cfg.cpuHotAddEnabled),
        "memoryHotAddEnabled": bool(cfg.memoryHotAddEnabled),
        "snapshots": 0 if vm.snapshot is None else len(vm.snapshot.rootSnapshotList),
        "extraConfig": extra,
        "devices": devices,
    }


def wait(task):
    while task.info.state not in ("success", "error"):
        time.sleep(0.05)
    if task.info.state == "error":
        sys.exit("%s failed: %s" % (task.info.descriptionId, task.info.error))


def main():
    host, port, user, pwd, cafile, name, action = sys.argv[1:8]
    ctx = ssl.create_default_context(cafile=cafile)
    si = SmartConnect(host=host, port=int(port), user=user, pwd=pwd, sslContext=ctx)
    try:
        vm = find_vm(si.RetrieveContent(), name)
        if action == "set":
            spec = vim.vm.ConfigSpec()
            extra = []
            for kv in sys.argv[8:]:
                k, v = kv.split("=", 1)
                if k == "numCPUs":
                    spec.numCPUs = int(v)
                elif k == "memoryMB":
                    spec.memoryMB = int(v)
                else:
                    extra.append(vim.option.OptionValue(key=k, value=v))
            spec.extraConfig = extra
            wait(vm.ReconfigVM_Task(spec))
        elif action == "template":
            if vm.runtime.powerState != "poweredOff":
                wait(vm.PowerOffVM_Task())
            vm.MarkAsTemplate()
        print(json.dumps(describe(vm)))
    finally:
        Disconnect(si)


main()
