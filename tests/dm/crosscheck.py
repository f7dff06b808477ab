#!/usr/bin/env python3
# libcwmp - CWMP (TR-069) library for CPE and ACS.
# SPDX-License-Identifier: BSD-2-Clause
"""Cross-check of libcwmp's built-in data models against the official
Broadband Forum XML: every object and parameter of lib/dm/models/*.xml must
exist in the official model with the same type (base type, list, sizes,
ranges, enumeration values, patterns, named dataType, hidden/secured), the
same access and the same notification attributes and status.

When ../shared/hnb-datamodel.md is present, every path it lists must also be
in the built-in schemas (TR-196 Issue 1 rows in the Issue 1 schemas).

  crosscheck.py TOOLS_DIR MODELS_DIR STANDARDS_DIR
Exit 0 = pass, 1 = mismatch, 77 = skipped (official XML absent).
"""

import os
import re
import sys

sys.dont_write_bytecode = True

# our file -> (official file, mount for service models)
PAIRS = [
    ("device-2.xml", "tr-181-2-17-0-cwmp-full.xml"),
    ("device-2-femto.xml", "tr-181-2-17-0-cwmp-full.xml"),
    ("igd-1.xml", "tr-098-1-8-0-full.xml"),
    ("igd-1-femto.xml", "tr-098-1-8-0-full.xml"),
    ("fapservice-2.xml", "tr-196-2-1-2-cwmp-full.xml"),
    ("fapservice-1.xml", "tr-196-1-1-1-full.xml"),
]
SCHEMAS = {
    "device2": ["device-2.xml", "device-2-femto.xml", "fapservice-2.xml"],
    "igd": ["igd-1.xml", "igd-1-femto.xml", "fapservice-2.xml"],
    "igd_issue1": ["igd-1.xml", "fapservice-1.xml"],
    "device2_issue1": ["device-2.xml", "fapservice-1.xml"],
}


# Defaults that TR-069 itself fixes (Amendment 6, 3.2.1.1: the retry wait
# with CWMPRetryMinimumWaitInterval 5 and CWMPRetryIntervalMultiplier 2000)
# but that the official data-model XML states in prose only. Our models
# carry them as <default>; the official side has none.
PROTOCOL_DEFAULTS = {
    "CWMPRetryMinimumWaitInterval": "5",
    "CWMPRetryIntervalMultiplier": "2000",
}


def without_protocol_default(path, desc):
    name = path.rsplit(".", 1)[-1]
    value = PROTOCOL_DEFAULTS.get(name)
    if value is None:
        return desc
    return desc.replace(" default=object:%r" % value, "")


def model_items(dmc, loader, path):
    """{path: description} of every object and parameter of the file's models."""
    doc = loader.load(path)
    items = {}
    for m in doc.own_models:
        for name, p in m.top_params.items():
            items["." + name] = dmc.param_line(p)
        for opath, o in m.objects.items():
            items[opath] = "object %s entries=%s..%s numEntries=%s enable=%s %s" % (
                o.access, o.min_entries, o.max_entries, o.num_entries_param, o.enable_param, o.status)
            for name, p in o.params.items():
                d = dmc.param_line(p)
                if p.syntax.default is not None:
                    d += " default=%s:%r" % p.syntax.default
                items[opath + name] = d
    return items


def main():
    if len(sys.argv) != 4:
        sys.stderr.write(__doc__)
        return 2
    tools, models, standards = sys.argv[1:]
    if not os.path.isdir(standards):
        print("SKIP: %s is absent: built-in models not cross-checked against the official XML" % standards)
        return 77
    sys.path.insert(0, tools)
    import dmc

    loader = dmc.Loader([models])
    failures = 0
    total = 0
    for ours, official in PAIRS:
        off_path = os.path.join(standards, official)
        if not os.path.isfile(off_path):
            print("SKIP %s: %s absent" % (ours, official))
            continue
        mine = model_items(dmc, loader, os.path.join(models, ours))
        theirs = model_items(dmc, loader, off_path)
        bad = 0
        for path, desc in mine.items():
            total += 1
            ref = theirs.get(path)
            if ref is None:
                print("FAIL %s: %s is not in %s" % (ours, path, official))
                bad += 1
            elif ref != desc and ref != without_protocol_default(path, desc):
                print("FAIL %s: %s\n   ours:     %s\n   official: %s" % (ours, path, desc, ref))
                bad += 1
        print("%s: %d objects and parameters checked against %s, %d mismatches" % (ours, len(mine), official, bad))
        failures += bad

    # Every path of the seed-flow mapping must be in the built-in schemas.
    md = os.path.join(os.path.dirname(os.path.abspath(standards)), "hnb-datamodel.md")
    if os.path.isfile(md):
        with open(md, encoding="utf-8") as f:
            text = f.read()
        names = {}
        for sname, files in SCHEMAS.items():
            sch = dmc.build_schema(loader, sname, [os.path.join(models, x) for x in files])
            got = set()
            for opath, o in sch.objects.items():
                got.add(opath)
                got.add(opath[:-5] + "." if opath.endswith(".{i}.") else opath)
                got.update(opath + p for p in o.params)
            names[sname] = got
        start = text.find("## 11.")
        end = text.find("## 12.")
        issue1 = text[start:end] if 0 <= start < end else ""
        paths = set(re.findall(r"`((?:\{Root\}|Device|InternetGatewayDevice)\.[A-Za-z0-9_.{}]+)`", text))
        checked = 0
        for p in sorted(paths):
            if ".." in p:
                continue  # an elided path ("InternetGatewayDevice...X")
            roots = ["Device", "InternetGatewayDevice"] if p.startswith("{Root}") else [p.split(".")[0]]
            for r in roots:
                q = p.replace("{Root}", r)
                if "`%s`" % p in issue1:
                    sname = "device2_issue1" if r == "Device" else "igd_issue1"
                else:
                    sname = "device2" if r == "Device" else "igd"
                checked += 1
                if q not in names[sname] and q + "." not in names[sname]:
                    print("FAIL hnb-datamodel.md: %s not in built-in schema %s" % (q, sname))
                    failures += 1
        print("hnb-datamodel.md: %d paths checked against the built-in schemas" % checked)
    else:
        print("NOTE: %s absent: seed-flow paths not checked" % md)
    print("%d items checked, %d failures" % (total, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
