"""The F1-F13 scenario (issue 6 section 3) over loopback TLS.

    python3 tools/scenario [--check] [--work DIR] [--keep] [-v] BUILD_DIR

Starts an initial HMS, a serving HMS with its file server, one HNB (UMTS,
InternetGatewayDevice.) and one HeNB (LTE, Device.), drives every flow
through `hnb-agent ctl` and `hms ctl`, and decides each flow's result only
from the HMS registries (SQLite), the PM files on disk and the agents'
stored data models. Then it merges the programs' traces into one, labelled
by flow, and runs `trace-render` (text diagrams + summary; HTML with -o).
Exit status 0 only when every flow passed and every program exited cleanly.
"""

import argparse
import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (PM_PASSWORD, PM_USER, ROLE_INITIAL,  # noqa: E402
                     ROLE_SERVING, STATE_DEPROVISIONED, STATE_DISCOVERED, STATE_REGISTERED,
                     TASK_DONE, TASK_FAILED, Lab, WaitTimeout, now_ms, policy, wait_until)

# examples/common/flows.c (a unit test keeps it in step with doc/examples.md §2)
FLOWS = [
    ("F1", "5.1.2 / 5.1.2.3", "Discovery via the initial HMS on the public internet"),
    ("F2", "5.1.1 / 5.1.2.2", "Discovery via the initial HMS inside the operator network"),
    ("F3", "5.2.1 / 5.1.3", "Registration at the serving HMS (SPV)"),
    ("F4", "5.2.1 / 5.1.3", "Registration with CM by file download (5.3-bis / 5.4-bis)"),
    ("F5", "5.2.2 / 5.2.4", "IPsec inner IP address change"),
    ("F6", "5.3.1 / 5.2.2", "CM by file download"),
    ("F7", "5.3.2 / 5.2.3", "CM by SetParameterValues"),
    ("F8", "5.3.1-5.3.2 / 5.2.2-5.2.3", "Connection request for subsequent CM"),
    ("F9", "5.4 / -", "De-provisioning; re-registration refused until allowed"),
    ("F10", "5.5.1 / 5.3.1", "Alarm reporting mechanism configuration"),
    ("F11", "5.5.2 / 5.3.2", "Alarm reporting: expedited and queued"),
    ("F12", "5.6.1 / 5.4.1", "PM upload period set; disabling stops uploads"),
    ("F13", "5.6.2 / 5.4.2", "Periodic PM file upload"),
]

def _flows_from_source():
    """FLOWS as examples/common/flows.c has them (the table the trace's F
    records come from; a unit test keeps it in step with doc/examples.md)."""
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples",
                       "common", "flows.c")
    try:
        with open(src, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return None
    rows = re.findall(r'\{"(F\d+)", "([^"]*)", "([^"]*)", "([^"]*)"\}', text)
    if len(rows) != 13:
        return None
    return [(fid, "%s / %s" % (hnb, henb), title) for fid, hnb, henb, title in rows]


FLOWS = _flows_from_source() or FLOWS

LANES = [("HNB", "HNB"), ("HeNB", "HeNB"), ("SeGW", "SeGW"), ("HMS-I", "HMS (initial)"),
         ("HMS-S", "HMS (serving)"), ("FS", "File server")]

HNB_SERIAL = "HNB-0001"
HENB_SERIAL = "HENB-0001"
SERVING_SEGW = "segw-serving.example.net"
INITIAL_SEGW = "segw-initial.example.net"
HNB_GW = "hnbgw.example.net"
S1_FAR_END = "10.0.0.1,10.0.0.2"

DEV_HNB, DEV_HENB = 1, 2  # examples/hms/registry.h enum hms_dev_type
T = 60  # seconds any single step may take (generous: 2 shared cores, ASan)


class FlowFailed(Exception):
    pass


def check(cond, what):
    if not cond:
        raise FlowFailed(what)


def cm_file(params):
    """Our CM file format (doc/examples.md §4): [(name, type, value)]."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<cmFile version="1">']
    for name, typ, value in params:
        v = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        out.append('  <param name="%s" type="%s">%s</param>' % (name, typ, v))
    return "\n".join(out + ["</cmFile>", ""])


class Scenario:
    def __init__(self, lab, verbose=False):
        self.lab = lab
        self.verbose = verbose
        self.results = []  # (flow id, ok, detail, start ms, end ms)
        self.splits = {}   # flow id -> (other flow id, device lane): cascades

    def log(self, msg):
        if self.verbose:
            print("scenario: " + msg, flush=True)

    # ---- setup ------------------------------------------------------------------

    def setup(self):
        lab = self.lab
        lab.make_pki()
        d = lab.dir
        self.henb_cm = os.path.join(d, "henb-default.xml")
        with open(self.henb_cm, "w") as f:
            f.write(cm_file([
                ("Device.Services.FAPService.1.CellConfig.LTE.EPC.TAC", "unsignedInt", "4660"),
                ("Device.Services.FAPService.1.FAPControl.LTE.AdminState", "boolean", "true"),
            ]))
        igd = "InternetGatewayDevice."
        self.ini = lab.add_hms("hms-initial", role="initial", policies=[
            lambda h: policy("hnb", match_rat="umts", serving_segw=SERVING_SEGW,
                             serving_hms_url=self.srv.url, hnb_gw=HNB_GW),
            lambda h: policy("henb", match_rat="lte", serving_segw=SERVING_SEGW,
                             serving_hms_url=self.srv.url),
        ])
        self.srv = lab.add_hms("hms-serving", role="serving", file_server=True, policies=[
            lambda h: policy(
                "hnb", match_rat="umts", serving_hms_url=h.url, serving_segw=SERVING_SEGW,
                hnb_gw=HNB_GW, ipsec="true", cm="spv", alarm=["queued *"],
                pm_username=PM_USER, pm_password=PM_PASSWORD,
                set=[igd + "Services.FAPService.1.FAPControl.UMTS.AdminState boolean true"]),
            lambda h: policy(
                "henb", match_rat="lte", serving_hms_url=h.url, serving_segw=SERVING_SEGW,
                s1_far_end=S1_FAR_END, ipsec="true", cm="file", cm_file=self.henb_cm,
                alarm=["queued *"], pm_username=PM_USER, pm_password=PM_PASSWORD),
        ])
        self.hnb = lab.add_agent("hnb", rat="umts", root="InternetGatewayDevice",
                                 serial=HNB_SERIAL, initial_hms_url=self.ini.url,
                                 gps="48.856613,2.352222",
                                 rem_cells=["20801,1234,268000001"])
        self.henb = lab.add_agent("henb", rat="lte", root="Device", serial=HENB_SERIAL,
                                  initial_hms_url=self.ini.url, initial_segw=INITIAL_SEGW,
                                  rem_cells=["20801,4660,1"])
        self.srv.start()  # first: the initial HMS's policies name its URL
        self.ini.start()

    # ---- helpers ----------------------------------------------------------------

    def flow(self, fid, fn):
        start = now_ms()
        try:
            detail = fn() or "ok"
            ok = True
        except (FlowFailed, WaitTimeout, RuntimeError, OSError, subprocess.SubprocessError) as e:
            ok, detail = False, str(e)
        end = now_ms()
        self.results.append((fid, ok, detail, start, end))
        self.log("%s %s: %s (%d ms)" % (fid, "ok" if ok else "FAIL", detail, end - start))
        return ok

    def pair(self, fa, fb, fn, lane):
        """Two flows one device plays out in one go (discovery then
        registration): one window, split in the trace after the last
        message with the initial HMS."""
        start = now_ms()
        try:
            da, db = fn()
            oka = okb = True
        except (FlowFailed, WaitTimeout, RuntimeError, OSError, subprocess.SubprocessError) as e:
            if getattr(e, "second", False):
                oka, da, okb, db = True, e.first_detail, False, str(e)
            else:
                oka, da, okb, db = False, str(e), False, "not reached: %s" % e
        end = now_ms()
        self.results.append((fa, oka, da, start, end))
        self.results.append((fb, okb, db, start, end))
        self.splits[fa] = (fb, lane)
        self.log("%s %s / %s %s: %s / %s" % (fa, oka, fb, okb, da, db))

    def srv_dev(self, serial):
        return self.srv.registry.device(serial) or {}

    def own_cr_credentials(self, agent, serial):
        """The device has the connection-request credentials of its own that
        the serving HMS generated at registration (registry schema 4)."""
        d = self.srv_dev(serial)
        user, pw = d.get("cr_username", ""), d.get("cr_password", "")
        check(user.endswith("-" + serial) and len(pw) >= 32,
              "%s: no connection-request credentials of its own (%r)" % (serial, user))
        check(agent.value(agent.p("ManagementServer.ConnectionRequestUsername")) == user and
              agent.value(agent.p("ManagementServer.ConnectionRequestPassword")) == pw,
              "%s: the device's connection-request credentials differ from the HMS's" % serial)
        return user

    def ctl_ok(self, who, *args):
        rc, out = who.ctl(*args)
        check(rc == 0, "%s ctl %s: exit %d: %s" % (who.name, " ".join(map(str, args)), rc,
                                                    out.strip()))
        return out

    def wait_task(self, serial, kind, after_id, final=(TASK_DONE, TASK_FAILED)):
        def done():
            for t in self.srv.registry.tasks(serial):
                if t["kind"] == kind and t["id"] > after_id and t["status"] in final:
                    return t
            return None
        return wait_until(done, T, "task %s of %s finished" % (kind, serial))

    def max_task(self, serial):
        ts = self.srv.registry.tasks(serial)
        return ts[-1]["id"] if ts else 0

    def agent_idle(self, agent, min_ok=None):
        def idle():
            st = agent.status()
            if not st or st.get("in_session"):
                return None
            if min_ok is not None and st.get("sessions_ok", 0) < min_ok:
                return None
            return st
        return wait_until(idle, T, "%s idle" % agent.name)

    # ---- the flows ----------------------------------------------------------------

    def f1_f3(self):
        hnb, ini, srv = self.hnb, self.ini, self.srv
        hnb.start()
        wait_until(lambda: self.srv_dev(HNB_SERIAL).get("state") == STATE_REGISTERED, T,
                   "HNB registered at the serving HMS")
        self.agent_idle(hnb, 2)
        d = ini.registry.device(HNB_SERIAL)
        check(d, "HNB not in the initial HMS's registry")
        first = ("initial HMS: %s roles %d, events %s; " % (HNB_SERIAL, d["roles"],
                                                           d["last_events"]))
        try:
            check(d["roles"] & ROLE_INITIAL, "initial role not recorded")
            check("0 BOOTSTRAP" in d["last_events"].split(","), "no 0 BOOTSTRAP Inform")
            check(d["serving_hms_url"] == srv.url and d["serving_segw"] == SERVING_SEGW,
                  "assignment not stored: %r %r" % (d["serving_hms_url"], d["serving_segw"]))
            url = hnb.value(hnb.p("ManagementServer.URL"))
            check(url == srv.url, "agent ManagementServer.URL = %r" % url)
            gw = hnb.value(hnb.p("Services.FAPService.1.FAPControl.UMTS.Gateway.SecGWServer1"))
            check(gw == SERVING_SEGW, "agent SecGWServer1 = %r" % gw)
        except FlowFailed as e:
            raise FlowFailed(str(e))
        da = first + "ManagementServer.URL = serving HMS, SecGWServer1 = " + SERVING_SEGW
        try:
            s = self.srv_dev(HNB_SERIAL)
            check(s["roles"] & ROLE_SERVING, "serving role not recorded")
            check(s["oui"] == "00D09E" and s["product_class"] == "FAP-UMTS", "DeviceId")
            # the HMS tells the RAT from the REM cells the Inform carries
            check(s["type"] == DEV_HNB, "registry type %d, not HNB" % s["type"])
            gwv = hnb.value(hnb.p("Services.FAPService.1.FAPControl.UMTS.Gateway.FAPGWServer1"))
            check(gwv == HNB_GW, "agent FAPGWServer1 = %r" % gwv)
            use = hnb.value(hnb.p("FAP.Tunnel.UseForCWMP"))
            check(use in ("true", "1"), "agent FAP.Tunnel.UseForCWMP = %r" % use)
            lat = hnb.value(hnb.p("FAP.GPS.LockedLatitude"))
            check(lat, "no GPS location in the agent's data model")
        except FlowFailed as e:
            e2 = FlowFailed(str(e))
            e2.second, e2.first_detail = True, da
            raise e2
        return da, "registered at the serving HMS; FAPGWServer1 = %s, UseForCWMP = %s" % (
            gwv, use)

    def f2_f4(self):
        henb, ini = self.henb, self.ini
        henb.start()
        wait_until(lambda: self.srv_dev(HENB_SERIAL).get("state") == STATE_REGISTERED, T,
                   "HeNB registered at the serving HMS")
        vcf = henb.p("DeviceInfo.VendorConfigFile.1.Name")
        wait_until(lambda: henb.value(vcf), T, "CM file applied (VendorConfigFile.1)")
        self.agent_idle(henb, 3)
        d = ini.registry.device(HENB_SERIAL)
        check(d, "HeNB not in the initial HMS's registry")
        check(d["roles"] & ROLE_INITIAL and "0 BOOTSTRAP" in d["last_events"].split(","),
              "initial HMS: roles %d events %s" % (d["roles"], d["last_events"]))
        check(d["serving_hms_url"] == self.srv.url, "assignment not stored")
        check(henb.value(henb.p("ManagementServer.URL")) == self.srv.url,
              "agent ManagementServer.URL not the serving HMS")
        check(self.trace_has(henb, "SeGW", INITIAL_SEGW),
              "no tunnel to the initial SeGW in the agent's trace")
        da = "via SeGW %s (tunnel + inner DNS hooks); assigned %s" % (INITIAL_SEGW, self.srv.url)
        try:
            s = self.srv_dev(HENB_SERIAL)
            check(s["roles"] & ROLE_SERVING, "serving role not recorded")
            check(s["type"] == DEV_HENB, "registry type %d, not HeNB (REM LTE cells in the "
                  "Inform)" % s["type"])
            tac = henb.value(henb.p("Services.FAPService.1.CellConfig.LTE.EPC.TAC"))
            check(tac == "4660", "TAC from the CM file = %r" % tac)
            s1 = henb.value(henb.p("Services.FAPService.1.FAPControl.LTE.Gateway."
                                   "S1SigLinkServerList"))
            check(s1 == S1_FAR_END, "S1SigLinkServerList = %r" % s1)
            name = henb.value(vcf)
        except FlowFailed as e:
            e2 = FlowFailed(str(e))
            e2.second, e2.first_detail = True, da
            raise e2
        return da, "CM file %s applied (TAC 4660, S1 %s)" % (name, S1_FAR_END)

    def trace_has(self, agent, lane, text):
        try:
            with open(agent.trace, encoding="utf-8") as f:
                for line in f:
                    p = line.rstrip("\n").split("\t")
                    if p[0] == "M" and lane in (p[3], p[4]) and text in p[5]:
                        return True
        except OSError:
            pass
        return False

    def f5(self):
        ip = "10.20.0.7"
        self.ctl_ok(self.hnb, "ip-change", ip)
        d = wait_until(lambda: (self.srv_dev(HNB_SERIAL).get("inner_ip") == ip
                                and self.srv_dev(HNB_SERIAL)), T, "inner_ip in the registry")
        check("4 VALUE CHANGE" in d["last_events"].split(","), "events %s" % d["last_events"])
        self.agent_idle(self.hnb)
        return "registry inner_ip = %s (Inform 4 VALUE CHANGE)" % ip

    def f6(self):
        henb, srv = self.henb, self.srv
        tac = henb.p("Services.FAPService.1.CellConfig.LTE.EPC.TAC")
        good = os.path.join(self.lab.dir, "cm-f6-good.xml")
        bad = os.path.join(self.lab.dir, "cm-f6-refused.xml")
        with open(good, "w") as f:
            f.write(cm_file([(tac, "unsignedInt", "4661")]))
        with open(bad, "w") as f:  # one good value, one read-only: nothing applies
            f.write(cm_file([(tac, "unsignedInt", "4999"),
                             (henb.p("DeviceInfo.SerialNumber"), "string", "STOLEN")]))
        before = self.max_task(HENB_SERIAL)
        self.ctl_ok(srv, "push-cm", HENB_SERIAL, good)
        self.ctl_ok(henb, "inform")
        t = self.wait_task(HENB_SERIAL, "Download", before)
        check(t["status"] == TASK_DONE, "good CM file: task %s" % t["result"])
        wait_until(lambda: henb.value(tac) == "4661", T, "TAC 4661 applied")
        self.agent_idle(henb)
        n_vcf = len([k for k in henb.dm() if k.endswith(".Name") and "VendorConfigFile" in k])
        before = self.max_task(HENB_SERIAL)
        self.ctl_ok(srv, "push-cm", HENB_SERIAL, bad)
        self.ctl_ok(henb, "inform")
        t2 = self.wait_task(HENB_SERIAL, "Download", before)
        check(t2["status"] == TASK_FAILED and "9018" in t2["result"],
              "refused CM file: task status %d %s" % (t2["status"], t2["result"]))
        self.agent_idle(henb)
        dm = henb.dm()
        check(dm.get(tac) == "4661", "refused CM file changed TAC to %r" % dm.get(tac))
        check(dm.get(henb.p("DeviceInfo.SerialNumber")) == HENB_SERIAL, "serial changed")
        n2 = len([k for k in dm if k.endswith(".Name") and "VendorConfigFile" in k])
        check(n2 == n_vcf, "a VendorConfigFile entry was added for the refused file")
        return "TAC 4661 applied (TransferComplete 0); refused file: %s, nothing applied" % (
            t2["result"][:60])

    def f7(self):
        hnb, srv = self.hnb, self.srv
        rnc = hnb.p("Services.FAPService.1.CellConfig.UMTS.RAN.RNCID")
        before = self.max_task(HNB_SERIAL)
        self.ctl_ok(srv, "set", HNB_SERIAL, rnc, "unsignedInt", "777")
        self.ctl_ok(hnb, "inform")
        t = self.wait_task(HNB_SERIAL, "SetParameterValues", before)
        check(t["status"] == TASK_DONE, "set: %s" % t["result"])
        wait_until(lambda: hnb.value(rnc) == "777", T, "RNCID 777 in the agent")
        self.agent_idle(hnb)
        before = self.max_task(HNB_SERIAL)
        sn = hnb.p("DeviceInfo.SerialNumber")
        self.ctl_ok(srv, "set", HNB_SERIAL, sn, "string", "STOLEN")
        self.ctl_ok(hnb, "inform")
        t2 = self.wait_task(HNB_SERIAL, "SetParameterValues", before)
        check(t2["status"] == TASK_FAILED, "read-only set accepted: %s" % t2["result"])
        self.agent_idle(hnb)
        check(hnb.value(sn) == HNB_SERIAL, "SerialNumber changed")
        check(hnb.value(rnc) == "777", "RNCID changed")
        return "RNCID = 777 (Status 0); SerialNumber refused: %s" % t2["result"][:60]

    def f8(self):
        hnb, srv = self.hnb, self.srv
        name = hnb.p("Services.FAPService.1.CellConfig.UMTS.RAN.RNCID")
        before = self.max_task(HNB_SERIAL)
        self.own_cr_credentials(hnb, HNB_SERIAL)
        self.ctl_ok(srv, "set", HNB_SERIAL, name, "unsignedInt", "778")
        self.ctl_ok(srv, "connreq", HNB_SERIAL)
        cr = self.wait_task(HNB_SERIAL, "ConnectionRequest", before)
        check(cr["status"] == TASK_DONE, "connection request: %s" % cr["result"])
        t = self.wait_task(HNB_SERIAL, "SetParameterValues", before)
        check(t["status"] == TASK_DONE, "set: %s" % t["result"])
        d = self.srv_dev(HNB_SERIAL)
        check("6 CONNECTION REQUEST" in d["last_events"].split(","),
              "last events %s" % d["last_events"])
        check(hnb.value(name) == "778", "RNCID not 778")
        self.agent_idle(hnb)
        return "connection request %s; Inform 6 CONNECTION REQUEST; RNCID = 778" % cr["result"]

    def f9(self):
        hnb, henb, srv = self.hnb, self.henb, self.srv
        # HeNB: FactoryReset, executed after the session; comes back with
        # BOOTSTRAP and is refused.
        before = self.max_task(HENB_SERIAL)
        self.ctl_ok(srv, "deprovision", HENB_SERIAL, "factory-reset")
        check(self.srv_dev(HENB_SERIAL)["state"] == STATE_DEPROVISIONED, "not de-provisioned")
        t_reset = now_ms()
        self.ctl_ok(henb, "inform")
        t = self.wait_task(HENB_SERIAL, "FactoryReset", before)
        check(t["status"] == TASK_DONE, "FactoryReset: %s" % t["result"])
        wait_until(lambda: (self.srv_dev(HENB_SERIAL).get("last_inform", 0) > t_reset and
                            "0 BOOTSTRAP" in self.srv_dev(HENB_SERIAL)["last_events"]), T,
                   "the reset HeNB back at the serving HMS with 0 BOOTSTRAP")
        self.agent_idle(henb)
        d = self.srv_dev(HENB_SERIAL)
        check(d["state"] == STATE_DEPROVISIONED, "reset HeNB accepted (state %d)" % d["state"])
        check(d["cr_username"] == "", "reset HeNB: the HMS still uses its old credentials")
        check(not henb.value(henb.p("DeviceInfo.VendorConfigFile.1.Name")),
              "HeNB data model not reset")
        # HNB: by SPV (AdminState false).
        before = self.max_task(HNB_SERIAL)
        self.ctl_ok(srv, "deprovision", HNB_SERIAL, "spv")
        self.ctl_ok(hnb, "inform")
        t = self.wait_task(HNB_SERIAL, "DeprovisionSPV", before)
        check(t["status"] == TASK_DONE, "DeprovisionSPV: %s" % t["result"])
        self.agent_idle(hnb)
        admin = hnb.p("Services.FAPService.1.FAPControl.UMTS.AdminState")
        check(hnb.value(admin) in ("false", "0"), "AdminState = %r" % hnb.value(admin))
        # Refused until allowed: another Inform leaves it de-provisioned.
        t0 = now_ms()
        self.ctl_ok(hnb, "inform")
        wait_until(lambda: self.srv_dev(HNB_SERIAL).get("last_inform", 0) > t0, T,
                   "HNB Inform while de-provisioned")
        self.agent_idle(hnb)
        check(self.srv_dev(HNB_SERIAL)["state"] == STATE_DEPROVISIONED, "HNB re-registered")
        # The operator allows both again; they re-register.
        for agent, serial in ((hnb, HNB_SERIAL), (henb, HENB_SERIAL)):
            self.ctl_ok(srv, "allow", serial)
            check(self.srv_dev(serial)["state"] == STATE_DISCOVERED, "allow: state")
            self.ctl_ok(agent, "inform")
            wait_until(lambda: self.srv_dev(serial).get("state") == STATE_REGISTERED, T,
                       "%s registered again" % serial)
        wait_until(lambda: hnb.value(admin) in ("true", "1"), T, "HNB AdminState true again")
        wait_until(lambda: henb.value(henb.p("DeviceInfo.VendorConfigFile.1.Name")), T,
                   "HeNB CM file applied again")
        self.agent_idle(hnb)
        self.agent_idle(henb)
        self.own_cr_credentials(henb, HENB_SERIAL)  # new ones at re-registration
        return ("HeNB FactoryReset -> BOOTSTRAP refused; HNB AdminState=false by SPV, "
                "refused; both allowed and registered again")

    def f10(self):
        hnb, srv = self.hnb, self.srv
        before = self.max_task(HNB_SERIAL)
        self.ctl_ok(srv, "alarm-config", HNB_SERIAL, "expedited", "Temperature unacceptable")
        self.ctl_ok(hnb, "inform")
        t = self.wait_task(HNB_SERIAL, "AlarmConfig", before)
        check(t["status"] == TASK_DONE, "AlarmConfig: %s" % t["result"])
        self.agent_idle(hnb)
        mech = {}
        dm = hnb.dm()
        for i in range(1, 10):
            base = hnb.p("FaultMgmt.SupportedAlarm.%d." % i)
            if base + "ProbableCause" in dm:
                mech[dm[base + "ProbableCause"]] = dm.get(base + "ReportingMechanism")
        check(mech.get("Temperature unacceptable") == "0 Expedited", "mechanisms %r" % mech)
        check(mech.get("Transmitter failure") == "1 Queued", "mechanisms %r" % mech)
        return "SupportedAlarm: Temperature unacceptable -> 0 Expedited, others 1 Queued"

    def f11(self):
        hnb, srv = self.hnb, self.srv
        n0 = len(srv.registry.alarms(HNB_SERIAL))
        self.ctl_ok(hnb, "alarm", "raise", "cause=Temperature unacceptable", "severity=Major",
                    "type=Environmental Alarm")
        a = wait_until(lambda: [x for x in srv.registry.alarms(HNB_SERIAL)[n0:]
                                if x["probable_cause"] == "Temperature unacceptable"], T,
                       "the expedited alarm at the HMS")
        check(a[0]["mechanism"] == "expedited", "mechanism %s" % a[0]["mechanism"])
        self.agent_idle(hnb)
        n1 = len(srv.registry.alarms(HNB_SERIAL))
        self.ctl_ok(hnb, "alarm", "raise", "cause=Transmitter failure", "severity=Minor",
                    "type=Equipment Alarm")
        time.sleep(1.5)  # a queued alarm must not open a session by itself
        check(len(srv.registry.alarms(HNB_SERIAL)) == n1, "queued alarm sent at once")
        self.ctl_ok(hnb, "inform")  # the next session
        q = wait_until(lambda: [x for x in srv.registry.alarms(HNB_SERIAL)[n1:]
                                if x["probable_cause"] == "Transmitter failure"], T,
                       "the queued alarm at the next session")
        check(q[0]["mechanism"] == "queued", "mechanism %s" % q[0]["mechanism"])
        self.agent_idle(hnb)
        return "expedited -> immediate Inform; queued -> delivered at the next session"

    def parse_pm(self, path):
        root = ET.parse(path).getroot()
        check(root.tag.endswith("measCollecFile"), "%s: root %s" % (path, root.tag))
        vals = [e for e in root.iter() if e.tag.endswith("measValue")]
        check(vals, "%s: no measValue" % path)
        return root

    def pm_enable(self, agent, serial, interval):
        before = self.max_task(serial)
        self.ctl_ok(self.srv, "pm", serial, "enable", self.srv.pm_url, interval, PM_USER,
                    PM_PASSWORD)
        self.ctl_ok(agent, "inform")
        t = self.wait_task(serial, "SetParameterValues", before)
        check(t["status"] == TASK_DONE, "pm enable: %s" % t["result"])
        self.agent_idle(agent)

    def f12(self):
        hnb, srv = self.hnb, self.srv
        self.pm_enable(hnb, HNB_SERIAL, 2)
        cfg = hnb.p("FAP.PerfMgmt.Config.1.")
        check(hnb.value(cfg + "Enable") in ("true", "1"), "PM not enabled")
        check(hnb.value(cfg + "PeriodicUploadInterval") == "2", "interval not 2")
        wait_until(lambda: srv.registry.pmfiles(HNB_SERIAL), T, "a first PM upload")
        before = self.max_task(HNB_SERIAL)
        self.ctl_ok(srv, "pm", HNB_SERIAL, "disable")
        self.ctl_ok(hnb, "inform")
        t = self.wait_task(HNB_SERIAL, "SetParameterValues", before)
        check(t["status"] == TASK_DONE, "pm disable: %s" % t["result"])
        self.agent_idle(hnb)
        check(hnb.value(cfg + "Enable") in ("false", "0"), "PM still enabled")
        time.sleep(1.2)  # an upload already under way may still land
        n = len(srv.registry.pmfiles(HNB_SERIAL))
        time.sleep(5)  # 2.5 intervals
        n2 = len(srv.registry.pmfiles(HNB_SERIAL))
        check(n2 == n, "uploads went on after Enable = false (%d -> %d)" % (n, n2))
        return "PeriodicUploadInterval 2 s; %d file(s), none after Enable = false" % n

    def f13(self):
        henb, srv = self.henb, self.srv
        self.pm_enable(henb, HENB_SERIAL, 2)
        rows = wait_until(lambda: len(srv.registry.pmfiles(HENB_SERIAL)) >= 3 and
                          srv.registry.pmfiles(HENB_SERIAL), T, "three PM uploads")
        for r in rows:
            check(os.path.isfile(r["path"]), "%s missing" % r["path"])
            self.parse_pm(r["path"])
        names = [r["name"] for r in rows]
        check(len(set(names)) == len(names), "duplicate names")
        # stop uploads before shutdown
        self.ctl_ok(srv, "pm", HENB_SERIAL, "disable")
        self.ctl_ok(henb, "inform")
        return "%d measCollecFile files from %s, e.g. %s" % (len(rows), HENB_SERIAL, names[0])

    def run(self):
        self.setup()
        self.pair("F1", "F3", self.f1_f3, "HNB")
        self.pair("F2", "F4", self.f2_f4, "HeNB")
        for fid, fn in (("F5", self.f5), ("F6", self.f6), ("F7", self.f7), ("F8", self.f8),
                        ("F9", self.f9), ("F10", self.f10), ("F11", self.f11),
                        ("F12", self.f12), ("F13", self.f13)):
            self.flow(fid, fn)
        self.results.sort(key=lambda r: int(r[0][1:]))


# ---- trace merge ----------------------------------------------------------------

def read_trace(path):
    recs = []
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError:
        return recs
    for line in lines:
        if not line or line.startswith("#"):
            continue
        p = line.split("\t")
        if p[0] in ("M", "N") and len(p) >= 5 and p[1].isdigit():
            recs.append(p)
    return recs


HMS_LANES = {"hms-initial": "HMS-I", "hms-serving": "HMS-S", "files": "FS"}


def esc(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def merge_traces(sc, out_path):
    recs = []  # (time, order, kind, fields after flow)
    k = 0
    for agent in (sc.hnb, sc.henb):
        for p in read_trace(agent.trace):
            recs.append((int(p[1]), k, p[0], p[3:]))
            k += 1
    for hms, own in ((sc.ini, "HMS-I"), (sc.srv, "HMS-S")):
        for p in read_trace(hms.trace):
            if p[0] != "N":
                continue  # the agents' traces carry every message
            lane = HMS_LANES.get(p[3], own)
            if lane == "HMS-S" and own == "HMS-I":
                lane = "HMS-I"
            recs.append((int(p[1]), k, "N", [lane] + p[4:]))
            k += 1
    recs.sort(key=lambda r: (r[0], r[1]))
    out = ["#cwmp-trace 1"]
    for lid, label in LANES:
        out.append("L\t%s\t%s" % (lid, label))
    for fid, clause, title in FLOWS:
        out.append("F\t%s\t%s\t%s" % (fid, clause, title))
    assigned = {}
    for fid, ok, detail, start, end in sc.results:
        inwin = [i for i, r in enumerate(recs) if start <= r[0] <= end and i not in assigned]
        for i in inwin:
            assigned[i] = fid
    # cascades: the second flow starts after the last message with HMS-I
    for fa, (fb, lane) in sc.splits.items():
        idx = [i for i, f in assigned.items() if f == fa]
        last = -1
        for i in sorted(idx):
            r = recs[i]
            if r[2] == "M" and "HMS-I" in (r[3][0], r[3][1]) and lane in (r[3][0], r[3][1]):
                last = i
        tail = True  # notes right after the last exchange (session ended, HMS notes) stay
        for i in sorted(idx):
            if i > last:
                if tail and recs[i][2] == "N":
                    continue
                tail = False
                assigned[i] = fb
    for i, r in enumerate(recs):
        fid = assigned.get(i)
        if not fid:
            continue
        out.append("%s\t%d\t%s\t%s" % (r[2], r[0], fid, "\t".join(r[3])))
    for fid, ok, detail, start, end in sorted(sc.results, key=lambda r: int(r[0][1:])):
        out.append("R\t%d\t%s\t%s\t%s" % (end, fid, "ok" if ok else "fail", esc(detail)))
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    return out_path


# ---- main -------------------------------------------------------------------------

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("build_dir")
    ap.add_argument("--work", help="work directory (default: a new one under $TMPDIR)")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("--check", action="store_true",
                    help="test mode: summary only, no diagrams")
    ap.add_argument("--html", help="HTML output (default: WORK/flows.html)")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args(argv)
    t_start = time.monotonic()
    keep = a.keep or (a.work is not None and not a.check)
    status = 1
    with Lab(a.build_dir, a.work, verbose=a.verbose, keep=keep) as lab:
        sc = Scenario(lab, verbose=a.verbose or a.check)
        try:
            sc.run()
        except (WaitTimeout, RuntimeError, OSError, subprocess.SubprocessError) as e:
            print("scenario: setup failed: %s" % e, file=sys.stderr)
        except KeyboardInterrupt:
            print("scenario: interrupted", file=sys.stderr)
            lab.stop_all()
            return 130
        lab.stop_all()
        bad = lab.exit_failures()
        for name, rc in bad:
            print("scenario: %s exited with status %d (see %s)" % (
                name, rc, os.path.join(lab.dir, name)), file=sys.stderr)
        merged = merge_traces(sc, os.path.join(lab.dir, "flows.trace"))
        html = a.html or os.path.join(lab.dir, "flows.html")
        cmd = [lab.programs.trace_render, "-t", "libcwmp: TS 32.583 / TS 32.593 flows F1-F13",
               "-o", html, merged]
        if a.check:
            cmd.insert(1, "-q")
        r = subprocess.run(cmd, timeout=120)
        all_ok = len(sc.results) == len(FLOWS) and all(x[1] for x in sc.results)
        for fid, ok, detail, start, end in sc.results:
            if not ok:
                print("scenario: %s FAILED: %s" % (fid, detail), file=sys.stderr)
        if a.check and (not all_ok or bad):
            for p in lab.agents + lab.hmses:
                try:
                    with open(p.proc.log, encoding="utf-8", errors="replace") as f:
                        tail = f.read()[-3000:]
                    print("---- %s (%s) ----\n%s" % (p.name, p.proc.log, tail), file=sys.stderr)
                except OSError:
                    pass
        status = 0 if all_ok and not bad and r.returncode == 0 else 1
        took = time.monotonic() - t_start
        if status != 0:
            lab.keep = keep = True  # leave everything for a post-mortem
        if not a.check or keep:
            print("\nHTML: %s\nwork directory: %s" % (html, lab.dir))
        print("scenario: %s, %d/%d flows ok, %.1f s" % (
            "PASS" if status == 0 else "FAIL", sum(1 for x in sc.results if x[1]), len(FLOWS),
            took))
    return status


if __name__ == "__main__":
    sys.exit(main())
