#!/usr/bin/env python3
# libcwmp - CWMP (TR-069) library for CPE and ACS.
# SPDX-License-Identifier: BSD-2-Clause
"""dm-subset: writes a facts-only data-model XML holding a selection of the
objects and parameters of a (full) data-model file.

Only facts are written: names, access, entries, notification attributes and
syntax (types, sizes, ranges, enumeration values, patterns, units, defaults).
No description, no bibliography, no profile. The output is the same BBF
dm:document format that tools/dmc.py compiles, so a vendor can trim an
official model to what a device supports, and libcwmp's built-in models
(lib/dm/models/) were started this way and are then edited by hand.

Selection file, one entry per line ('#' comments):
  Device.ManagementServer.            the object with all its current
                                      parameters (deprecated/obsoleted ones
                                      and NumberOfEntries of unselected
                                      tables are left out)
  Device.DeviceInfo.: A B C           the object with parameters A, B, C only
  Device.: RootDataModelVersion       (also for the root object)
Ancestors of a selected object are added without parameters. For a service
model, paths start at the service object (FAPService.{i}.); '.' alone
selects the model's top-level parameters.

  dm-subset.py --select LIST [--types-ref FILE] [--spec URN] [--model NAME] IN.xml OUT.xml
  dm-subset.py --types IN.xml[,IN.xml...] --names A,B,C OUT.xml
"""

import argparse
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dmc  # noqa: E402

NS = "urn:broadband-forum-org:cwmp:datamodel-1-14"
HEADER = (
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!--\n"
    "  libcwmp built-in data model: %s\n"
    "  SPDX-License-Identifier: BSD-2-Clause\n"
    "  Facts only (names, types, access, attributes) of %s, in the Broadband Forum\n"
    "  data-model XML format; selected with tools/dm-subset.py, then maintained by hand.\n"
    "  Checked against the official XML by tests/dm/crosscheck.py.\n"
    "-->\n"
)
# Syntax children and attributes that carry facts (everything else dropped).
KEEP = {
    "syntax": ("hidden", "secured", "command"),
    "list": ("minItems", "maxItems"),
    "size": ("minLength", "maxLength"),
    "range": ("minInclusive", "maxInclusive", "step"),
    "enumeration": ("value", "access"),
    "pattern": ("value",),
    "units": ("value",),
    "default": ("type", "value"),
    "dataType": ("ref", "base"),
}
PRIM = set(dmc.PRIMITIVES)


def esc(v):
    return v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def write_syntax(node, out, ind):
    tag = node.tag
    if tag not in KEEP and tag not in PRIM:
        return
    if dmc.is_deleted(node):
        return
    attrs = "".join(' %s="%s"' % (a, esc(node.get(a))) for a in KEEP.get(tag, ()) if node.get(a) is not None)
    kids = [c for c in node.children if (c.tag in KEEP or c.tag in PRIM) and not dmc.is_deleted(c)]
    if not kids:
        out.append("%s<%s%s/>" % (" " * ind, tag, attrs))
        return
    out.append("%s<%s%s>" % (" " * ind, tag, attrs))
    for c in kids:
        write_syntax(c, out, ind + 2)
    out.append("%s</%s>" % (" " * ind, tag))


def param_xml(pnode, out, ind):
    a = ['name="%s"' % pnode.get("name"), 'access="%s"' % pnode.get("access", "readOnly")]
    for k in ("activeNotify", "forcedInform", "status"):
        v = pnode.get(k)
        if v is not None and v not in ("normal", "false", "current"):
            a.append('%s="%s"' % (k, v))
    out.append("%s<parameter %s>" % (" " * ind, " ".join(a)))
    for s in pnode.kids("syntax"):
        write_syntax(s, out, ind + 2)
    out.append("%s</parameter>" % (" " * ind))


def parse_select(path):
    sel = []  # (object path, None = whole | [params])
    with open(path, encoding="utf-8") as f:
        for ln in f:
            ln = ln.split("#", 1)[0].strip()
            if not ln:
                continue
            if ":" in ln:
                o, _, ps = ln.partition(":")
                sel.append((o.strip(), ps.split()))
            else:
                sel.append((ln, None))
    return sel


def subset(args):
    root = dmc.parse_xml(args.input)
    models = root.kids("model")
    if len(models) != 1:
        raise dmc.DmcError("expected one model", dmc.at(root))
    model = models[0]
    objs = {}
    order = []
    top_params = {}
    for c in model.children:
        if c.tag == "object" and c.get("name") and not dmc.is_deleted(c):
            objs[c.get("name")] = c
            order.append(c.get("name"))
        elif c.tag == "parameter" and c.get("name"):
            top_params[c.get("name")] = c
    sel = parse_select(args.select)
    chosen = {}  # object path -> set(params) or None(all)
    explicit = {}  # object path -> parameters named in the selection
    top = []
    for o, ps in sel:
        if o == ".":
            top.extend(ps or [])
            continue
        if o not in objs:
            raise dmc.DmcError("selected object %s not in %s" % (o, args.input))
        cur = chosen.get(o, set())
        if ps is None:
            chosen[o] = None
        else:
            explicit.setdefault(o, set()).update(ps)
            if cur is not None:
                chosen[o] = cur | set(ps)
    # ancestors
    for o in list(chosen):
        p = dmc.parent_path(o)
        while p is not None:
            chosen.setdefault(p, set())
            p = dmc.parent_path(p)
    # NumberOfEntries parameters counting tables that are not selected.
    unselected_counts = {}
    for x, xn in objs.items():
        ne = xn.get("numEntriesParameter")
        if ne and x not in chosen:
            unselected_counts.setdefault(dmc.parent_path(x), set()).add(ne)
    # numEntriesParameter of selected tables must be present in the parent.
    need = {o: set(ps) for o, ps in explicit.items()}
    for o in chosen:
        ne = objs[o].get("numEntriesParameter")
        if ne:
            par = dmc.parent_path(o)
            if par is None or par not in chosen:
                top.append(ne)
            else:
                need.setdefault(par, set()).add(ne)
    used_types = set()
    out = []
    out.append(HEADER % (args.title, args.what))
    out.append('<dm:document xmlns:dm="%s" spec="%s">' % (NS, args.spec))
    body = []
    body.append('  <model name="%s"%s>' % (args.model or model.get("name"),
                                           ' isService="true"' if model.get("isService") == "true" else ""))
    for name in [n for n in top_params if n in top]:
        param_xml(top_params[name], body, 4)
    for o in order:
        if o not in chosen:
            continue
        onode = objs[o]
        want = chosen[o]
        a = ['name="%s"' % o, 'access="%s"' % onode.get("access", "readOnly")]
        for k in ("minEntries", "maxEntries", "numEntriesParameter", "enableParameter", "status"):
            if onode.get(k) is not None:
                a.append('%s="%s"' % (k, onode.get(k)))
        body.append("    <object %s>" % " ".join(a))
        params = [c for c in onode.children if c.tag == "parameter" and c.get("name") and not dmc.is_deleted(c)]
        names = set()
        for p in params:
            n = p.get("name")
            if want is None:
                if p.get("status") in ("deprecated", "obsoleted") and n not in need.get(o, ()):
                    continue
                if n in unselected_counts.get(o, ()):
                    continue
            elif n not in want and n not in need.get(o, ()):
                continue
            names.add(n)
            for s in p.kids("syntax"):
                for d in s.kids("dataType"):
                    used_types.add(d.get("ref") or d.get("base"))
            param_xml(p, body, 6)
        if want is not None:
            missing = set(want) - names
            if missing:
                raise dmc.DmcError("%s: no parameter(s) %s" % (o, ", ".join(sorted(missing))))
        for uk in onode.kids("uniqueKey"):
            refs = [p.get("ref") for p in uk.kids("parameter")]
            if refs and all(r in names for r in refs):
                body.append("      <uniqueKey>")
                for r in refs:
                    body.append('        <parameter ref="%s"/>' % r)
                body.append("      </uniqueKey>")
        body.append("    </object>")
    body.append("  </model>")
    if used_types:
        out.append('  <import file="%s" spec="urn:libcwmp:types">' % args.types_ref)
        for t in sorted(used_types):
            out.append('    <dataType name="%s"/>' % t)
        out.append("  </import>")
    out.extend(body)
    out.append("</dm:document>")
    with open(args.output, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    sys.stderr.write("%s: data types used: %s\n" % (args.output, ", ".join(sorted(used_types))))


def types(args):
    """Flattened definitions of named dataTypes (resolved from the inputs)."""
    loader = dmc.Loader()
    defs = {}
    for f in args.input.split(","):
        doc = loader.load(f)
        for name in args.names.split(","):
            if name in doc.datatypes and name not in defs:
                defs[name] = doc.datatypes[name][0]
    out = [HEADER % ("named data types", args.what)]
    out.append('<dm:document xmlns:dm="%s" spec="urn:libcwmp:types">' % NS)
    for name in args.names.split(","):
        s = defs.get(name)
        if s is None:
            raise dmc.DmcError("dataType %s not found" % name)
        out.append('  <dataType name="%s">' % name)
        if s.is_list:
            lo, hi = s.list_items
            la = (' minItems="%d"' % lo if lo else "") + (' maxItems="%d"' % hi if hi is not None else "")
            out.append("    <list%s/>" % la)
        facets = []
        for lo, hi in s.sizes:
            facets.append("<size%s%s/>" % (' minLength="%d"' % lo if lo is not None else "",
                                          ' maxLength="%d"' % hi if hi is not None else ""))
        for lo, hi, st in s.ranges:
            facets.append("<range%s%s%s/>" % (' minInclusive="%s"' % lo if lo is not None else "",
                                              ' maxInclusive="%s"' % hi if hi is not None else "",
                                              ' step="%s"' % st if st is not None else ""))
        for v, ro in s.enums:
            facets.append('<enumeration value="%s"%s/>' % (esc(v), ' access="readOnly"' if ro else ""))
        for p in s.patterns:
            facets.append('<pattern value="%s"/>' % esc(p))
        if facets:
            out.append("    <%s>" % s.base)
            out.extend("      " + x for x in facets)
            out.append("    </%s>" % s.base)
        else:
            out.append("    <%s/>" % s.base)
        out.append("  </dataType>")
    out.append("</dm:document>")
    with open(args.output, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--select")
    ap.add_argument("--types", action="store_true")
    ap.add_argument("--names")
    ap.add_argument("--types-ref", default="libcwmp-types.xml")
    ap.add_argument("--spec", default="urn:libcwmp:model")
    ap.add_argument("--model")
    ap.add_argument("--title", default="")
    ap.add_argument("--what", default="")
    ap.add_argument("input")
    ap.add_argument("output")
    args = ap.parse_args()
    try:
        if args.types:
            types(args)
        else:
            subset(args)
    except dmc.DmcError as e:
        sys.stderr.write("dm-subset: %s\n" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
