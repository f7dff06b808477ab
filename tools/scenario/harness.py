"""Reusable pieces for scenarios that run the example programs together.

A `Lab` owns one work directory, a throw-away PKI, any number of `Hms` and
`Agent` processes (each in its own process group) and stops them all on
exit, on failure, on Ctrl-C and on SIGTERM.  Outcomes are read from what
the programs store -- the HMS's SQLite registry (`Registry`), the agent's
persisted data model (`Agent.dm()`) and status (`Agent.status()`), the
files the file server received -- never from their logs.

Stable API (extend, do not change):

    progs = find_programs(build_dir)          # .hms .agent .trace_render .testpki
    with Lab(build_dir, work_dir, verbose=False) as lab:
        lab.make_pki()                         # ca.crt server.crt/.key client.crt/.key
        ini = lab.add_hms("hms-i", role="initial", policies=[...])
        srv = lab.add_hms("hms-s", role="serving", file_server=True, policies=[...])
        hnb = lab.add_agent("hnb", rat="umts", root="InternetGatewayDevice",
                            serial="HNB-0001", initial_hms_url=ini.url)
        ini.start(); srv.start(); hnb.start()
        wait_until(lambda: srv.registry.device("HNB-0001"), 30, "HNB registered")
        hnb.ctl("ip-change", "10.0.0.7")       # -> (exit status, output)
        srv.ctl("connreq", "HNB-0001")
        hnb.value("InternetGatewayDevice.ManagementServer.URL")
    lab.exit_failures()                        # programs that did not exit 0

Python 3 standard library only.
"""

import atexit
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

__all__ = [
    "Programs", "find_programs", "free_port", "wait_until", "WaitTimeout", "Proc", "Lab",
    "Hms", "Agent", "Registry", "policy", "STATE_DISCOVERED", "STATE_REGISTERED",
    "STATE_DEPROVISIONED", "ROLE_INITIAL", "ROLE_SERVING", "TASK_PENDING", "TASK_SENT",
    "TASK_DONE", "TASK_FAILED", "CR_USER", "CR_PASSWORD", "PM_USER", "PM_PASSWORD", "now_ms",
]

# examples/hms/registry.h
STATE_DISCOVERED, STATE_REGISTERED, STATE_DEPROVISIONED = 0, 1, 2
ROLE_INITIAL, ROLE_SERVING = 1, 2
TASK_PENDING, TASK_SENT, TASK_DONE, TASK_FAILED = 0, 1, 2, 3

# The HMS's fallback connection-request credentials (--cr-user/--cr-password):
# used for a device that has none of its own. At registration the serving HMS
# gives every device a pair of its own (registry column cr_username), so the
# policies need not set these (a `set` line or CM file naming them is
# overridden by, resp. overrides, the device's own pair: leave them out).
CR_USER = "hms-cr"
CR_PASSWORD = "cr-secret"
PM_USER = "pm"
PM_PASSWORD = "pm-secret"


class Programs:
    def __init__(self, build_dir):
        b = os.path.abspath(build_dir)
        self.build_dir = b
        self.hms = os.path.join(b, "examples", "hms")
        self.agent = os.path.join(b, "examples", "hnb-agent")
        self.trace_render = os.path.join(b, "examples", "trace-render")
        self.testpki = os.path.join(b, "tools", "testpki", "cwmp-testpki")

    def missing(self):
        return [p for p in (self.hms, self.agent, self.trace_render, self.testpki)
                if not os.access(p, os.X_OK)]


def find_programs(build_dir):
    """The example programs of a meson build directory (raises when missing)."""
    p = Programs(build_dir)
    m = p.missing()
    if m:
        raise FileNotFoundError("not built: " + ", ".join(m))
    return p


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago, taken below
    Linux's ephemeral range (32768-60999): a port bind(0) hands out can be
    reused by any process's outgoing connection before our program binds
    it, and a restarted program must get its old port back."""
    for _ in range(64):
        port = random.randint(20000, 31999)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WaitTimeout(Exception):
    pass


def wait_until(pred, timeout, what=None, interval=0.1):
    """Polls pred() until it returns a true value (returned) or timeout
    seconds pass (WaitTimeout, naming `what`)."""
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() >= deadline:
            raise WaitTimeout("timed out after %gs waiting for %s" % (timeout, what or pred))
        time.sleep(interval)


def now_ms():
    return int(time.time() * 1000)


# ---- processes ------------------------------------------------------------------

_live = set()


def _stop_all_live():
    for p in list(_live):
        p.stop()


atexit.register(_stop_all_live)


class Proc:
    """One program in its own process group; output to a log file."""

    def __init__(self, name, argv, log, cwd=None, env=None):
        self.name = name
        self.argv = list(argv)
        self.log = log
        self.cwd = cwd
        self.env = env
        self.popen = None
        self.exits = []  # exit status of each run (negative: signal)

    def start(self):
        if self.alive():
            return
        with open(self.log, "ab") as lf:
            lf.write(("==== %s: %s\n" % (time.strftime("%H:%M:%S"), " ".join(self.argv))).encode())
            lf.flush()
            self.popen = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=lf,
                                          stderr=subprocess.STDOUT, cwd=self.cwd, env=self.env,
                                          start_new_session=True)
        _live.add(self)

    def alive(self):
        return self.popen is not None and self.popen.poll() is None

    @property
    def pid(self):
        return self.popen.pid if self.popen else None

    def kill(self, sig=signal.SIGKILL):
        """Sends sig to the process group (no wait)."""
        if self.alive():
            try:
                os.killpg(self.popen.pid, sig)
            except ProcessLookupError:
                pass

    def stop(self, timeout=15.0):
        """SIGTERM, then SIGKILL after timeout seconds; returns the exit
        status (None when it was not running)."""
        if self.popen is None:
            return None
        if self.popen.poll() is None:
            self.kill(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill(signal.SIGKILL)
                self.popen.wait()
        rc = self.popen.returncode
        self.exits.append(rc)
        self.popen = None
        _live.discard(self)
        return rc

    def crash(self):
        """SIGKILL now (a crash / power loss); recorded as expected."""
        if self.popen is None:
            return None
        self.kill(signal.SIGKILL)
        self.popen.wait()
        self.popen = None
        _live.discard(self)
        return -signal.SIGKILL


# ---- configuration helpers ------------------------------------------------------

def _q(v):
    s = str(v)
    if s != s.strip() or s.startswith('"'):
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return s


def policy(name, **keys):
    """One `[policy "name"]` section; list values become repeated keys."""
    out = ['[policy "%s"]' % name]
    for k, v in keys.items():
        for item in (v if isinstance(v, (list, tuple)) else [v]):
            out.append("%s = %s" % (k, _q(item)))
    return "\n".join(out) + "\n"


# ---- HMS registry (read-only) ---------------------------------------------------

class Registry:
    """Read-only view of an HMS SQLite registry (WAL: readers never block
    the server). Each call opens a fresh connection, so it sees the latest
    commit."""

    def __init__(self, path):
        self.path = path

    def _rows(self, sql, args=()):
        if not os.path.exists(self.path):
            return []
        con = sqlite3.connect("file:%s?mode=ro" % self.path, uri=True, timeout=10)
        try:
            con.row_factory = sqlite3.Row
            return [dict(r) for r in con.execute(sql, args)]
        except sqlite3.OperationalError:
            return []  # not created yet
        finally:
            con.close()

    def devices(self):
        return self._rows("SELECT * FROM device ORDER BY id")

    def device(self, serial):
        r = self._rows("SELECT * FROM device WHERE serial = ?", (serial,))
        return r[0] if r else None

    def _dev_rows(self, table, serial, extra=""):
        return self._rows("SELECT t.* FROM %s t JOIN device d ON d.id = t.device "
                          "WHERE d.serial = ? %s ORDER BY t.id" % (table, extra), (serial,))

    def alarms(self, serial):
        return self._dev_rows("alarm", serial)

    def pmfiles(self, serial):
        return self._dev_rows("pmfile", serial)

    def tasks(self, serial):
        return self._dev_rows("task", serial)

    def task(self, task_id):
        r = self._rows("SELECT * FROM task WHERE id = ?", (task_id,))
        return r[0] if r else None

    def last_task(self, serial, kind=None):
        ts = [t for t in self.tasks(serial) if kind is None or t["kind"] == kind]
        return ts[-1] if ts else None


# ---- programs -------------------------------------------------------------------

class Hms:
    """One `hms` process: its config, registry, trace and (optionally) file server."""

    def __init__(self, lab, name, role, policies, file_server, cr_user, cr_password, args):
        self.lab = lab
        self.name = name
        self.role = role
        self.dir = os.path.join(lab.dir, name)
        os.makedirs(self.dir, exist_ok=True)
        self.file_server = file_server
        self.started = False
        self._pick_ports()
        self.database = os.path.join(self.dir, "registry.db")
        self.file_dir = os.path.join(self.dir, "files")
        self.trace = os.path.join(self.dir, "trace.log")
        self.conf = os.path.join(self.dir, "hms.conf")
        self.registry = Registry(self.database)
        os.makedirs(self.file_dir, exist_ok=True)
        self.file_server = file_server
        self.policies = list(policies or [])
        argv = [lab.programs.hms, "-v", "--trace", self.trace,
                "--port-file", os.path.join(self.dir, "ports")]
        argv += ["--cr-user", cr_user] + list(args)
        env = dict(lab.env)
        env["HMS_CR_PASSWORD"] = cr_password
        self.proc = Proc(name, argv + [self.conf], os.path.join(self.dir, "hms.log"),
                         cwd=self.dir, env=env)

    def _pick_ports(self):
        self.port = free_port()
        self.url = "https://%s:%d/cwmp" % ("localhost" if self.role == "initial" else "127.0.0.1",
                                          self.port)
        self.file_port = free_port() if self.file_server else None
        self.file_url = ("https://127.0.0.1:%d/files" % self.file_port) if self.file_server \
            else None
        self.pm_url = ("https://127.0.0.1:%d/pm" % self.file_port) if self.file_server else None

    def write_conf(self):
        """(Re)writes hms.conf from self.policies (strings, or callables
        hms -> string, evaluated now so they may name other programs)."""
        pki = self.lab.pki
        lines = ["[hms]", "role = " + self.role, "listen = 127.0.0.1:%d" % self.port,
                 "url = " + self.url, "database = " + self.database,
                 "cert = " + pki["server.crt"], "key = " + pki["server.key"],
                 "root_ca = " + pki["ca.crt"]]
        if self.file_server:
            lines += ["file_dir = " + self.file_dir, "file_url = " + self.file_url]
        text = "\n".join(lines) + "\n\n" + "\n".join(
            p(self) if callable(p) else p for p in self.policies)
        with open(self.conf, "w") as f:
            f.write(text)

    def start(self, timeout=30):
        """Starts (or restarts, same ports) the HMS and waits until it
        listens. The first start picks other ports when one was taken in
        the meantime (up to 3 tries); start the HMS whose URL others'
        policies name first."""
        pf = os.path.join(self.dir, "ports")
        for attempt in range(3):
            self.write_conf()
            if os.path.exists(pf):
                os.unlink(pf)
            self.proc.start()
            wait_until(lambda: os.path.exists(pf) and open(pf).read().strip()
                       or not self.proc.alive(), timeout, "%s listening" % self.name)
            if self.proc.alive():
                self.started = True
                return
            self.proc.stop()
            self.proc.exits.pop()  # reported below, not as an exit after SIGTERM
            if self.started or attempt == 2:
                raise RuntimeError("%s exited at start (see %s)" % (self.name, self.proc.log))
            self._pick_ports()

    def stop(self):
        return self.proc.stop()

    def ctl(self, *args):
        """`hms ctl CONF args...` -> (exit status, stdout + stderr)."""
        if not os.path.exists(self.conf):
            self.write_conf()
        r = subprocess.run([self.lab.programs.hms, "ctl", self.conf] + [str(a) for a in args],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=self.lab.env,
                           timeout=60)
        return r.returncode, r.stdout.decode("utf-8", "replace")

    def pm_files_on_disk(self):
        """Names of the PM files the file server stored."""
        return sorted(n for n in os.listdir(self.file_dir) if n.startswith("A"))


class Agent:
    """One `hnb-agent` process (HNB or HeNB) with its factory settings."""

    def __init__(self, lab, name, rat, root, serial, initial_hms_url, initial_segw=None,
                 gps=None, rem_cells=(), oui="00D09E", product_class=None):
        self.lab = lab
        self.name = name
        self.rat = rat
        self.root = root
        self.serial = serial
        self.dir = os.path.join(lab.dir, name)
        self.state_dir = os.path.join(self.dir, "state")
        os.makedirs(self.dir, exist_ok=True)
        self.cr_port = free_port()
        self.conf = os.path.join(self.dir, "agent.conf")
        self.trace = os.path.join(self.state_dir, "trace.log")
        self.initial_hms_url = initial_hms_url
        self.initial_segw = initial_segw
        self.gps = gps
        self.rem_cells = list(rem_cells)
        self.oui = oui
        self.product_class = product_class or ("FAP-LTE" if rat == "lte" else "FAP-UMTS")
        self.started = False
        self.write_conf()
        self.proc = Proc(name, [lab.programs.agent, "-v", self.conf],
                         os.path.join(self.dir, "agent.log"), cwd=self.dir, env=lab.env)

    def write_conf(self):
        """(Re)writes agent.conf (factory settings) from the attributes."""
        pki = self.lab.pki
        initial_segw, gps, rat, oui = self.initial_segw, self.gps, self.rat, self.oui
        lines = ["[agent]", "initial_hms_url = " + self.initial_hms_url]
        if initial_segw:
            lines.append("initial_segw = " + initial_segw)
        lines += ["root_ca = " + pki["ca.crt"], "cert = " + pki["client.crt"],
                  "key = " + pki["client.key"], "cr_port = %d" % self.cr_port,
                  "state_dir = " + self.state_dir, "rat = " + rat, "root = " + self.root,
                  "", "[device]", "oui = " + oui, "product_class = " + self.product_class,
                  "serial = " + self.serial]
        if gps:
            lines.append("gps = " + gps)
        for c in self.rem_cells:
            lines.append("rem_cell = " + c)
        with open(self.conf, "w") as f:
            f.write("\n".join(lines) + "\n")

    def start(self, timeout=30):
        """Starts (or restarts) the agent and waits for its control socket.
        The first start picks another connection-request port when the
        one chosen was taken in the meantime (up to 3 tries)."""
        sock = os.path.join(self.state_dir, "ctl.sock")
        if self.proc.alive():
            return
        for attempt in range(3):
            if os.path.exists(sock):
                os.unlink(sock)  # left by a crash: not a sign of life
            self.proc.start()
            wait_until(lambda: os.path.exists(sock) or not self.proc.alive(), timeout,
                       "%s control socket" % self.name)
            if self.proc.alive():
                self.started = True
                return
            self.proc.stop()
            self.proc.exits.pop()  # reported below, not as an exit after SIGTERM
            if self.started or attempt == 2:
                raise RuntimeError("%s exited at start (see %s)" % (self.name, self.proc.log))
            self.cr_port = free_port()
            self.write_conf()

    def stop(self):
        return self.proc.stop()

    def ctl(self, *args):
        """`hnb-agent ctl CONF args...` -> (exit status, output)."""
        r = subprocess.run([self.lab.programs.agent, "ctl", self.conf] + [str(a) for a in args],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=self.lab.env,
                           timeout=60)
        return r.returncode, r.stdout.decode("utf-8", "replace")

    def status(self):
        """`ctl status` as a dict (numbers as int); {} when unreachable."""
        rc, out = self.ctl("status")
        if rc != 0:
            return {}
        d = {}
        for line in out.splitlines()[1:]:
            k, _, v = line.partition(" ")
            d[k] = int(v) if v.lstrip("-").isdigit() else v
        return d

    def dm(self):
        """The persisted data model (<state_dir>/dm.db): {name: value}."""
        out = {}
        try:
            with open(os.path.join(self.state_dir, "dm.db"), encoding="utf-8") as f:
                lines = f.read().splitlines()
        except OSError:
            return out
        for line in lines:
            parts = line.split("\t")
            if len(parts) >= 3 and parts[0] == "3":
                out[_unesc(parts[1])] = _unesc(parts[2])
        return out

    def value(self, name, default=None):
        return self.dm().get(name, default)

    def p(self, rel):
        """A full parameter path under the agent's root."""
        return "%s.%s" % (self.root, rel)


def _unesc(s):
    if "\\" not in s:
        return s
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            out.append({"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}.get(s[i + 1], s[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


class Lab:
    """A work directory with a PKI and the programs started in it."""

    def __init__(self, build_dir, work_dir=None, verbose=False, keep=None):
        self.programs = find_programs(build_dir)
        self.own_dir = work_dir is None
        self.dir = os.path.abspath(work_dir or tempfile.mkdtemp(prefix="cwmp-scenario."))
        os.makedirs(self.dir, exist_ok=True)
        with open(os.path.join(self.dir, ".libcwmp-scenario"), "w") as f:
            f.write("work directory of tools/scenario; may be deleted\n")
        self.keep = (not self.own_dir) if keep is None else keep
        self.verbose = verbose
        self.env = dict(os.environ)
        self.pki = {}
        self.hmses = []
        self.agents = []
        self._old_term = None

    # context manager: always stop everything
    def __enter__(self):
        self._old_term = signal.getsignal(signal.SIGTERM)
        signal.signal(signal.SIGTERM, _raise_interrupt)
        return self

    def __exit__(self, *exc):
        self.stop_all()
        if self._old_term is not None:
            signal.signal(signal.SIGTERM, self._old_term)
        if not self.keep:
            import shutil
            shutil.rmtree(self.dir, ignore_errors=True)
        return False

    def make_pki(self):
        d = os.path.join(self.dir, "pki")
        r = subprocess.run([self.programs.testpki, d], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, env=self.env, timeout=120)
        if r.returncode != 0:
            raise RuntimeError("cwmp-testpki: " + r.stdout.decode("utf-8", "replace"))
        self.pki = {n: os.path.join(d, n) for n in
                    ("ca.crt", "server.crt", "server.key", "client.crt", "client.key")}
        return self.pki

    def add_hms(self, name, role, policies=(), file_server=False, cr_user=CR_USER,
                cr_password=CR_PASSWORD, args=()):
        """policies: strings (see policy()) or callables hms -> string."""
        h = Hms(self, name, role, policies, file_server, cr_user, cr_password, args)
        self.hmses.append(h)
        return h

    def add_agent(self, name, **kw):
        a = Agent(self, name, **kw)
        self.agents.append(a)
        return a

    def stop_all(self):
        for p in self.agents + self.hmses:
            p.stop()

    def exit_failures(self):
        """[(name, status)] of every run that did not end with status 0
        after SIGTERM (a crash, a sanitizer report, a SIGKILL after the
        grace period). Runs ended by Proc.crash() are not counted."""
        bad = []
        for p in self.agents + self.hmses:
            for rc in p.proc.exits:
                if rc != 0:
                    bad.append((p.name, rc))
        return bad


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt("signal %d" % signum)


if __name__ == "__main__":
    print(__doc__)
    sys.exit(0)
