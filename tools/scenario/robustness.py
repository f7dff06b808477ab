#!/usr/bin/env python3
"""Robustness scenarios of issue 6 (doc/examples.md, "Robustness"), on the
example programs over loopback TLS, built on harness.py.

    robustness.py --build BUILD_DIR [--work DIR] [-v] SCENARIO...

    hms-killed       the serving HMS (the device came from an initial HMS)
                     dies in the middle of a session (it receives the
                     device's Inform and exits, as a crash
                     would); the agent retries with the TR-069 3.2.1.1
                     back-off (seen as connection attempts on the dead
                     HMS's port) and, once the HMS is back, delivers every
                     event: the value change of the killed session and an
                     expedited and a queued alarm raised while it was down.
    hms-restart      the HMS restarts (cleanly, after a crash in the middle
                     of an operator task, and after a crash right after an
                     InformResponse): registered devices stay
                     registered, a de-provisioned device is still refused,
                     pending tasks stay pending and are then delivered, and
                     a task cut off by the crash is sent again. Sessions
                     come from HMS connection requests; the one the
                     device's rate limiter (3 per 20 s) answers 503 is
                     retried until it gets through. A FactoryReset device
                     loses its connection-request credentials, gets new
                     ones at re-registration, and they work.
    reboot-download  the agent reboots (`ctl reboot`, then SIGKILL +
                     restart) while a Download waits for its DelaySeconds:
                     the transfer survives in its persisted queue and the
                     TransferComplete (7 TRANSFER COMPLETE, M Download)
                     reaches the HMS, even though the HMS dies on its first
                     arrival; the HMS dies before a DownloadResponse: the
                     TransferComplete still ends the re-queued task, the
                     Download is not sent twice; the agent dies while a
                     transfer runs:
                     after its restart the TransferComplete carries 9010.

Crashes come from the programs' test aids, never from timing:
HMS_TEST_CRASH (hms) and HNB_AGENT_TEST_CRASH (hnb-agent). Outcomes are
read from the HMS registry, the agent's persisted data model and
transfer queue; every program must exit 0 when stopped (a sanitizer report
fails the scenario), except the deliberate crashes, which must exit 86.

Exit status: 0 passed, 1 failed, 77 skipped (programs not built).
"""

import argparse
import os
import socket
import sys
import threading
import time
import traceback

sys.dont_write_bytecode = True  # never leave __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (  # noqa: E402
    STATE_DEPROVISIONED, STATE_REGISTERED, TASK_DONE, TASK_FAILED,
    TASK_PENDING, TASK_SENT, Lab, find_programs, policy, wait_until)

CRASH_STATUS = 86  # HMS_TEST_CRASH_STATUS, HNB_AGENT_TEST_CRASH
# Short retry waits (TR-069 3.2.1.1): retry n waits m*r^(n-1) .. m*r^n s.
RETRY_MIN_S = 1
RETRY_MULT = 1500  # r = 1.5
# Under a sanitizer everything is several times slower: generous waits.
T = 60
CR_T = T  # a connection request may wait for the device's rate limiter (20 s)


class Failed(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failed(what)


def log(msg):
    print("robustness: " + msg, flush=True)


# ---- helpers on top of the harness -------------------------------------------------


def serving_policy(root, extra=None):
    """The policy of every test device: registration by SPV, the alarm
    mechanisms, and short CWMP retry waits (set lines)."""
    keys = dict(serving_segw="127.0.0.1", hnb_gw="10.0.0.1", s1_far_end="10.0.0.2",
                ipsec="false", cm="spv",
                alarm=["expedited Transmitter failure", "queued *"],
                set=["%s.ManagementServer.CWMPRetryMinimumWaitInterval unsignedInt %d"
                     % (root, RETRY_MIN_S),
                     "%s.ManagementServer.CWMPRetryIntervalMultiplier unsignedInt %d"
                     % (root, RETRY_MULT)])
    # (no connection-request credentials: the HMS gives each device its own)
    keys.update(extra or {})
    return lambda h: policy("robust-" + root, serving_hms_url=h.url, **keys)


def set_env(proc, **kv):
    """A program's own environment (Agent shares the lab's dict: copy)."""
    env = dict(proc.env if proc.env is not None else os.environ)
    for k, v in kv.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    proc.env = env


def expect_crash(prog, timeout=T):
    """The program exits by itself with CRASH_STATUS (its deliberate crash);
    the run is then not counted by lab.exit_failures()."""
    wait_until(lambda: not prog.proc.alive(), timeout, "%s to crash" % prog.name)
    rc = prog.proc.stop()
    check(rc == CRASH_STATUS, "%s exited with %r, expected its test crash (%d)"
          % (prog.name, rc, CRASH_STATUS))
    prog.proc.exits.pop()


def transfers(agent):
    """The agent's persisted transfer queue (cpe-transfers.rec):
    [{'id', 'state', 'fault', 'key'}] (state 1 queued, 2 running, 3 done)."""
    path = os.path.join(agent.state_dir, "cpe-transfers.rec")
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError:
        return []
    out = []
    for line in lines[1:]:
        p = line.split(" ")
        if len(p) >= 12:
            out.append({"id": int(p[0]), "state": int(p[2]), "fault": int(p[4]), "key": p[11]})
    return out


def registered(hms, serial):
    d = hms.registry.device(serial)
    return d if d and d["state"] == STATE_REGISTERED else None


def idle(agent):
    """The agent answers `ctl status` and has no session open or wanted."""
    s = agent.status()
    return s if s and s.get("in_session") == 0 else None


def ctl_ok(prog, *args):
    rc, out = prog.ctl(*args)
    check(rc == 0, "%s ctl %s: %d %s" % (prog.name, " ".join(map(str, args)), rc, out))
    return out


def queued_task_id(out):
    """The id in `hms ctl` output "queued task N: Kind"."""
    for line in out.splitlines():
        if line.startswith("queued task "):
            return int(line.split()[2].rstrip(":"))
    raise Failed("no task id in: " + out)


def sanitizer_reports(lab):
    """Log files of the lab that hold a sanitizer report."""
    bad = []
    for p in lab.agents + lab.hmses:
        try:
            with open(p.proc.log, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            continue
        if "AddressSanitizer" in text or "LeakSanitizer" in text or "runtime error:" in text:
            bad.append(p.proc.log)
    return bad


class PortWatcher:
    """Listens on a dead HMS's port and records when each connection
    attempt arrives (and closes it at once: the session fails)."""

    def __init__(self, port):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.times = []
        self.stop_flag = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop_flag:
            try:
                c, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.times.append(time.monotonic())
            c.close()

    def close(self):
        self.stop_flag = True
        self.thread.join()
        self.sock.close()


def min_wait(n):
    """Shortest wait before retry n (n >= 1), in seconds."""
    return RETRY_MIN_S * (RETRY_MULT / 1000.0) ** (n - 1)


def add_agent(lab, name, rat, root, serial, url):
    """An HNB (umts) or HeNB (lte) whose first HMS is @p url, with a
    location (GPS, a REM cell of its RAT: the HMS tells the RAT by it)."""
    cell = "20801,1234,268000001" if rat == "umts" else "20801,4660,268000002"
    return lab.add_agent(name, rat=rat, root=root, serial=serial, initial_hms_url=url,
                         gps="48.856613,2.352222", rem_cells=[cell])


def start_registered(lab, hms, agents):
    for a in agents:
        a.start()
    for a in agents:
        wait_until(lambda a=a: registered(hms, a.serial), T, "%s registered" % a.serial)
        # the retry settings of the policy reached the device
        wait_until(lambda a=a: a.value(a.p("ManagementServer.CWMPRetryIntervalMultiplier"))
                   == str(RETRY_MULT), T, "%s retry settings" % a.serial)
        wait_until(lambda a=a: idle(a), T, "%s idle" % a.serial)


# ---- scenario 1: the HMS dies in the middle of a session ----------------------------


def hms_killed(lab):
    root = "InternetGatewayDevice"
    # F1 -> F3: the initial HMS sends the device to the serving HMS
    hms = lab.add_hms("hms-serving", role="serving", file_server=True,
                      policies=[serving_policy(root)],
                      args=["--max-connections", "8", "--io-timeout", "20000"])
    ini = lab.add_hms("hms-initial", role="initial", policies=[
        lambda h: policy("to-serving", serving_segw="127.0.0.1", serving_hms_url=hms.url)])
    hnb = add_agent(lab, "hnb", "umts", root, "RB-KILL-1", ini.url)
    # the 2nd Inform the serving HMS receives kills it, before it records it
    set_env(hms.proc, HMS_TEST_CRASH="recv:Inform:2")
    hms.start()
    ini.start()
    start_registered(lab, hms, [hnb])
    check(ini.registry.device(hnb.serial), "discovered at the initial HMS")
    ini_last = ini.registry.device(hnb.serial)["last_inform"]
    mech = _alarm_mechanism(hnb, "Transmitter failure")
    check(mech == "0 Expedited", "Transmitter failure reporting mechanism: %r" % mech)
    check(not hms.registry.alarms(hnb.serial), "no alarm yet")

    # a value change (active notification) opens a session: the HMS dies in it
    ctl_ok(hnb, "ip-change", "10.77.0.1")
    expect_crash(hms)
    log("HMS crashed on the Inform of the value change")
    # while the HMS is down: connection attempts on its port, with back-off
    watch = PortWatcher(hms.port)
    try:
        # raised while the HMS is down: expedited (wants a session now, but
        # the retry wait holds it) and queued (rides on the next Inform)
        ctl_ok(hnb, "alarm", "raise", "cause=Transmitter failure", "severity=Major")
        ctl_ok(hnb, "alarm", "raise", "cause=Loss of signal", "severity=Minor")
        wait_until(lambda: len(watch.times) >= 3, 4 * T, "3 retries on the dead HMS's port")
        st = hnb.status()
    finally:
        watch.close()
    times = list(watch.times)
    check(st.get("retry_count", 0) >= 3, "agent retry_count %r" % st.get("retry_count"))
    # retry 1 followed the killed session; attempts 1->2 and 2->3 waited for
    # retries 2 and 3 (never earlier; a little slack for the accept loop)
    for k in (1, 2):
        gap = times[k] - times[k - 1]
        check(gap >= min_wait(k + 1) - 0.3,
              "retry %d came %.2fs after retry %d (back-off: >= %.2fs)"
              % (k + 1, gap, k, min_wait(k + 1)))
    log("retries seen at +%s s" % ", +".join("%.2f" % (t - times[0]) for t in times))

    # the HMS is back: the next retry delivers everything queued
    set_env(hms.proc, HMS_TEST_CRASH=None)
    hms.start()
    wait_until(lambda: hms.registry.device(hnb.serial)["inner_ip"] == "10.77.0.1", 4 * T,
               "the value change recorded")
    wait_until(lambda: len(hms.registry.alarms(hnb.serial)) >= 2, T, "both alarms recorded")
    wait_until(lambda: idle(hnb), T, "agent idle")
    al = hms.registry.alarms(hnb.serial)
    causes = sorted((a["probable_cause"], a["mechanism"]) for a in al)
    check(causes == [("Loss of signal", "queued"), ("Transmitter failure", "expedited")],
          "alarms in the registry: %r" % causes)
    d = hms.registry.device(hnb.serial)
    check("4 VALUE CHANGE" in d["last_events"], "last events %r" % d["last_events"])
    check(d["state"] == STATE_REGISTERED, "state %r" % d["state"])
    st = hnb.status()
    check(st.get("retry_count") == 0, "retry_count after delivery: %r" % st.get("retry_count"))
    # the device kept to its serving HMS: it never fell back to the initial one
    check(ini.registry.device(hnb.serial)["last_inform"] == ini_last,
          "the device went back to the initial HMS")


def _alarm_mechanism(agent, cause):
    dm = agent.dm()
    prefix = agent.p("FaultMgmt.SupportedAlarm.")
    for k, v in dm.items():
        if k.startswith(prefix) and k.endswith(".ProbableCause") and v == cause:
            return dm.get(k[:-len("ProbableCause")] + "ReportingMechanism")
    return None


# ---- scenario 2: the HMS restarts ---------------------------------------------------


def informed_since(hms, serial, t_ms, event=None):
    """The device's last Inform is newer than t_ms (and carried @p event)."""
    d = hms.registry.device(serial)
    if not d or d["last_inform"] <= t_ms:
        return None
    return d if event is None or event in d["last_events"].split(",") else None


def task_where(hms, task_id, status, result_prefix=""):
    t = hms.registry.task(task_id)
    return t if t and t["status"] == status and t["result"].startswith(result_prefix) else None


def hms_restart(lab):
    igd, dev = "InternetGatewayDevice", "Device"
    # connection requests refused (503) are retried every 2 s at most, so
    # the one the device's rate limiter holds back goes through soon after
    hms = lab.add_hms("hms", role="both", file_server=True,
                      policies=[serving_policy(igd, {"match_rat": "umts"}),
                                serving_policy(dev, {"match_rat": "lte"})],
                      args=("--cr-retry-max", "2000", "--cr-attempts", "16"))
    a = add_agent(lab, "hnb", "umts", igd, "RB-A", hms.url)
    b = add_agent(lab, "henb", "lte", dev, "RB-B", hms.url)
    hms.start()
    start_registered(lab, hms, [a, b])
    s1 = b.p("Services.FAPService.1.FAPControl.LTE.Gateway.S1SigLinkServerList")
    check(b.value(s1) == "10.0.0.2", "HeNB S1 far end after registration: %r" % b.value(s1))

    # B is de-provisioned by FactoryReset: after the reset it bootstraps
    # again and is refused (nothing provisioned)
    t0 = hms_now_ms(hms)
    ctl_ok(hms, "deprovision", b.serial)
    ctl_ok(hms, "connreq", b.serial)
    wait_until(lambda: informed_since(hms, b.serial, t0, "0 BOOTSTRAP"), T,
               "RB-B bootstraps after its FactoryReset")
    wait_until(lambda: idle(b), T, "RB-B idle")
    check(hms.registry.device(b.serial)["state"] == STATE_DEPROVISIONED, "RB-B de-provisioned")
    check(b.value(s1) in (None, ""), "RB-B refused, yet provisioned: %r" % b.value(s1))
    check(hms.registry.device(b.serial)["cr_username"] == "",
          "RB-B reset: the HMS kept its old connection-request credentials")

    # a task for A, queued while the HMS runs but not sent (no session)
    set_pc = a.p("DeviceInfo.ProvisioningCode")
    t1 = queued_task_id(ctl_ok(hms, "set", a.serial, set_pc, "string", "pending-1"))

    # 1. a clean restart (SIGTERM, exit 0)
    check(hms.stop() == 0, "HMS exit status after SIGTERM")
    hms.start()
    check(registered(hms, a.serial), "RB-A still registered after the restart")
    check(hms.registry.device(b.serial)["state"] == STATE_DEPROVISIONED,
          "RB-B still de-provisioned after the restart")
    check(task_where(hms, t1, TASK_PENDING), "task %d still pending after the restart" % t1)
    # B comes back (a session of its own): still refused
    t0 = hms_now_ms(hms)
    ctl_ok(b, "inform")
    wait_until(lambda: informed_since(hms, b.serial, t0), T, "RB-B informs after the restart")
    wait_until(lambda: idle(b), T, "RB-B idle")
    check(hms.registry.device(b.serial)["state"] == STATE_DEPROVISIONED,
          "RB-B refused after the restart")
    check(b.value(s1) in (None, ""), "RB-B provisioned after the restart: %r" % b.value(s1))

    # 2. a crash in the middle of the task's session: the HMS dies once
    # the device has the SetParameterValues (its response is lost)
    hms.stop()
    set_env(hms.proc, HMS_TEST_CRASH="sent:SetParameterValues:1")
    hms.start()
    ctl_ok(hms, "connreq", a.serial)
    expect_crash(hms)
    log("HMS crashed after sending task %d's SetParameterValues" % t1)
    check(task_where(hms, t1, TASK_SENT), "task %d sent when the HMS died: %r"
          % (t1, hms.registry.task(t1)))
    # queued while the HMS is down
    t2 = queued_task_id(ctl_ok(hms, "set", a.serial, set_pc, "string", "pending-2"))
    set_env(hms.proc, HMS_TEST_CRASH=None)
    hms.start()
    check(task_where(hms, t1, TASK_PENDING, "re-queued"),
          "task %d pending again after the crash: %r" % (t1, hms.registry.task(t1)))
    check(registered(hms, a.serial), "RB-A still registered after the crash")
    check(hms.registry.device(b.serial)["state"] == STATE_DEPROVISIONED,
          "RB-B still de-provisioned after the crash")
    ctl_ok(hms, "connreq", a.serial)
    wait_until(lambda: task_where(hms, t2, TASK_DONE), T, "task %d delivered" % t2)
    check(task_where(hms, t1, TASK_DONE), "task %d delivered: %r" % (t1, hms.registry.task(t1)))
    wait_until(lambda: a.value(set_pc) == "pending-2", T, "RB-A applied both tasks in order")

    # 3. a crash right after the InformResponse (the device's events are
    # delivered, the HMS had not started on the task): the task was never
    # sent, stays pending and goes out in the next session. Both sessions
    # are connection requests: the device's listener takes 3 per 20 s, so
    # the fourth is answered 503 and retried until it gets through.
    t3 = queued_task_id(ctl_ok(hms, "set", a.serial, set_pc, "string", "pending-3"))
    hms.stop()
    set_env(hms.proc, HMS_TEST_CRASH="sent:InformResponse:1")
    hms.start()
    t0 = hms_now_ms(hms)
    ctl_ok(hms, "connreq", a.serial)
    expect_crash(hms)
    check(informed_since(hms, a.serial, t0, "6 CONNECTION REQUEST"),
          "the Inform recorded before the crash")
    check(task_where(hms, t3, TASK_PENDING, ""), "task %d never sent: %r"
          % (t3, hms.registry.task(t3)))
    set_env(hms.proc, HMS_TEST_CRASH=None)
    hms.start()
    check(task_where(hms, t3, TASK_PENDING), "task %d pending after the restart" % t3)
    wait_until(lambda: idle(a), T, "RB-A idle")
    cr = queued_task_id(ctl_ok(hms, "connreq", a.serial))
    wait_until(lambda: task_where(hms, t3, TASK_DONE), CR_T, "task %d delivered" % t3)
    check(task_where(hms, cr, TASK_DONE), "connection request %d: %r"
          % (cr, hms.registry.task(cr)))
    log("connection request %d: %s" % (cr, hms.registry.task(cr)["result"]))
    wait_until(lambda: a.value(set_pc) == "pending-3", T, "RB-A applied the third task")

    # the operator allows B again: it registers at its next bootstrap
    ctl_ok(hms, "allow", b.serial)
    check(b.stop() == 0, "RB-B exit status")
    for name in os.listdir(b.state_dir):  # a factory-fresh device
        if name.endswith(".rec") or name == "dm.db":
            os.unlink(os.path.join(b.state_dir, name))
    b.start()
    wait_until(lambda: registered(hms, b.serial), T, "RB-B registered once allowed")
    wait_until(lambda: b.value(s1) == "10.0.0.2", T, "RB-B provisioned once allowed")
    # with connection-request credentials of its own, which the HMS uses
    d = hms.registry.device(b.serial)
    check(d["cr_username"].endswith("-" + b.serial) and
          b.value(b.p("ManagementServer.ConnectionRequestPassword")) == d["cr_password"],
          "RB-B: no connection-request credentials of its own after re-registration")
    wait_until(lambda: idle(b), T, "RB-B idle")
    cr = queued_task_id(ctl_ok(hms, "connreq", b.serial))
    wait_until(lambda: task_where(hms, cr, TASK_DONE), CR_T,
               "connection request to RB-B with its new credentials")


def hms_now_ms(hms):
    """The HMS's clock for last_inform_ms (the wall clock of this host)."""
    return int(time.time() * 1000)


# ---- scenario 3: the agent reboots during a Download --------------------------------


def cm_file(path, params):
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<cmFile version="1">\n')
        for name, typ, value in params:
            f.write('  <param name="%s" type="%s">%s</param>\n' % (name, typ, value))
        f.write("</cmFile>\n")


def transfer_of(agent, key):
    for t in transfers(agent):
        if t["key"] == key:
            return t
    return None


def reboot_download(lab):
    root = "InternetGatewayDevice"
    hms = lab.add_hms("hms", role="both", file_server=True, policies=[serving_policy(root)])
    a = add_agent(lab, "hnb", "umts", root, "RB-DL", hms.url)
    hms.start()
    start_registered(lab, hms, [a])
    pc = a.p("DeviceInfo.ProvisioningCode")
    vcf = a.p("DeviceInfo.VendorConfigFile.")

    # 1. the device holds a Download (DelaySeconds) and reboots twice
    # before it is due: `ctl reboot`, then SIGKILL + start (a power cut)
    delay = int(os.environ.get("ROBUST_DOWNLOAD_DELAY", "12"))
    cm1 = os.path.join(lab.dir, "cm-reboot.xml")
    cm_file(cm1, [(pc, "string", "cm-after-reboots")])
    tid = queued_task_id(ctl_ok(hms, "push-cm", a.serial, cm1, delay))
    key = "task-%d" % tid
    ctl_ok(hms, "connreq", a.serial)
    wait_until(lambda: task_where(hms, tid, TASK_SENT, "download in progress"), T,
               "Download accepted")
    wait_until(lambda: transfer_of(a, key), T, "the transfer in the agent's queue")
    check(transfer_of(a, key)["state"] == 1, "transfer queued: %r" % transfer_of(a, key))
    for how in ("ctl reboot", "SIGKILL"):
        t0 = hms_now_ms(hms)
        if how == "ctl reboot":
            ctl_ok(a, "reboot")
        else:
            a.proc.crash()
            a.start()
        wait_until(lambda: informed_since(hms, a.serial, t0, "1 BOOT"), T,
                   "RB-DL boots again (%s)" % how)
        t = transfer_of(a, key)
        check(t is not None and t["state"] == 1,
              "after the %s the transfer must still wait for its DelaySeconds (%d s); "
              "found %r (a very slow machine: raise ROBUST_DOWNLOAD_DELAY)" % (how, delay, t))
        log("%s: the transfer is still queued" % how)
    # ... and the HMS dies on receiving the TransferComplete, before it
    # answers: the agent keeps it and sends it again once the HMS is back
    hms.stop()
    set_env(hms.proc, HMS_TEST_CRASH="recv:TransferComplete:1")
    hms.start()
    expect_crash(hms, delay + T)
    t = transfer_of(a, key)
    check(t is not None and t["state"] == 3 and t["fault"] == 0,
          "transfer done, not acknowledged, when the HMS died: %r" % t)
    check(task_where(hms, tid, TASK_SENT, "download in progress"),
          "task %d still waiting: %r" % (tid, hms.registry.task(tid)))
    log("HMS crashed on the TransferComplete")
    set_env(hms.proc, HMS_TEST_CRASH=None)
    hms.start()
    wait_until(lambda: task_where(hms, tid, TASK_DONE), 2 * T,
               "TransferComplete after the reboots and the HMS crash")
    check(hms.registry.task(tid)["result"] == "TransferComplete 0",
          "task result %r" % hms.registry.task(tid)["result"])
    ev = hms.registry.device(a.serial)["last_events"].split(",")
    check("7 TRANSFER COMPLETE" in ev and "M Download" in ev, "TransferComplete Inform: %r" % ev)
    wait_until(lambda: a.value(pc) == "cm-after-reboots", T, "the CM file applied")
    check(a.value(vcf + "1.Name") == "cm-task-%d.xml" % tid,
          "VendorConfigFile.1.Name %r" % a.value(vcf + "1.Name"))
    wait_until(lambda: transfer_of(a, key) is None, T, "the transfer acknowledged")

    # 2. the HMS dies once the device has the Download, before the
    # DownloadResponse: the task is re-queued at restart, then the
    # TransferComplete ends it (the Download is not sent twice)
    hms.stop()
    set_env(hms.proc, HMS_TEST_CRASH="sent:Download:1")
    hms.start()
    cm3 = os.path.join(lab.dir, "cm-lost-response.xml")
    cm_file(cm3, [(pc, "string", "cm-lost-response")])
    tid3 = queued_task_id(ctl_ok(hms, "push-cm", a.serial, cm3, 6))
    key3 = "task-%d" % tid3
    ctl_ok(hms, "connreq", a.serial)
    expect_crash(hms)
    wait_until(lambda: transfer_of(a, key3), T, "the transfer in the agent's queue")
    set_env(hms.proc, HMS_TEST_CRASH=None)
    hms.start()
    check(task_where(hms, tid3, TASK_PENDING, "re-queued"),
          "task %d re-queued at restart: %r" % (tid3, hms.registry.task(tid3)))
    t = transfer_of(a, key3)
    check(t is not None and t["state"] == 1,
          "the HMS must be back before the transfer is due (6 s); found %r" % t)
    log("HMS crashed before the DownloadResponse; task %d re-queued" % tid3)
    wait_until(lambda: task_where(hms, tid3, TASK_DONE, "TransferComplete 0"), 2 * T,
               "the re-queued Download ended by its TransferComplete")
    wait_until(lambda: a.value(pc) == "cm-lost-response", T, "the CM file applied")
    wait_until(lambda: transfer_of(a, key3) is None, T, "the transfer acknowledged")
    check(a.value(vcf + "2.Name") == "cm-task-%d.xml" % tid3,
          "VendorConfigFile.2.Name %r" % a.value(vcf + "2.Name"))
    check(a.value(vcf + "3.Name") is None, "the Download was sent twice")

    # 3. the device dies while the transfer runs (HNB_AGENT_TEST_CRASH):
    # after its restart the TransferComplete carries 9010, nothing applied
    check(a.stop() == 0, "agent exit status")
    set_env(a.proc, HNB_AGENT_TEST_CRASH="transfer")
    t0 = hms_now_ms(hms)
    a.start()
    wait_until(lambda: informed_since(hms, a.serial, t0, "1 BOOT"), T, "RB-DL boots")
    cm2 = os.path.join(lab.dir, "cm-cut.xml")
    cm_file(cm2, [(pc, "string", "never-applied")])
    tid2 = queued_task_id(ctl_ok(hms, "push-cm", a.serial, cm2))
    key2 = "task-%d" % tid2
    ctl_ok(hms, "connreq", a.serial)
    expect_crash(a)
    t = transfer_of(a, key2)
    check(t is not None and t["state"] == 2, "transfer running when the agent died: %r" % t)
    log("agent died during the transfer of %s" % key2)
    set_env(a.proc, HNB_AGENT_TEST_CRASH=None)
    a.start()
    wait_until(lambda: task_where(hms, tid2, TASK_FAILED), T, "TransferComplete with a fault")
    res = hms.registry.task(tid2)["result"]
    check(res.startswith("TransferComplete 9010"), "task result %r" % res)
    ev = hms.registry.device(a.serial)["last_events"].split(",")
    check("7 TRANSFER COMPLETE" in ev and "M Download" in ev and "1 BOOT" in ev,
          "TransferComplete Inform: %r" % ev)
    check(a.value(pc) == "cm-lost-response", "nothing applied: %r" % a.value(pc))
    check(a.value(vcf + "3.Name") is None, "no VendorConfigFile for the cut transfer")


SCENARIOS = {
    "hms-killed": hms_killed,
    "hms-restart": hms_restart,
    "reboot-download": reboot_download,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", required=True, help="meson build directory")
    ap.add_argument("--work", help="work directory (kept); default: a temporary one")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("scenario", nargs="+", choices=sorted(SCENARIOS))
    args = ap.parse_args()
    try:
        find_programs(args.build)
    except FileNotFoundError as e:
        print("robustness: SKIP: %s" % e)
        return 77
    failed = []
    for name in args.scenario:
        t0 = time.monotonic()
        work = os.path.join(args.work, name) if args.work else None
        ok = False
        with Lab(args.build, work, verbose=args.verbose) as lab:
            try:
                lab.make_pki()
                SCENARIOS[name](lab)
                ok = True
            except Exception as e:  # noqa: BLE001 - report, then stop everything
                log("%s: FAILED: %s" % (name, e))
                if args.verbose or not isinstance(e, Failed):
                    traceback.print_exc()
                _dump_logs(lab)
            lab.stop_all()
            bad = lab.exit_failures()
            if bad:
                log("%s: programs that did not exit 0: %s" % (name, bad))
                ok = False
            reports = sanitizer_reports(lab)
            if reports:
                log("%s: sanitizer reports in %s" % (name, reports))
                ok = False
            if not ok:
                _dump_logs(lab)
        log("%s: %s in %.1f s" % (name, "passed" if ok else "FAILED", time.monotonic() - t0))
        if not ok:
            failed.append(name)
    return 1 if failed else 0


def _dump_logs(lab):
    for p in lab.agents + lab.hmses:
        try:
            with open(p.proc.log, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            continue
        print("---- %s (last 60 lines) ----" % p.proc.log)
        print("\n".join(text.splitlines()[-60:]))


if __name__ == "__main__":
    sys.exit(main())
