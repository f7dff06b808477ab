#!/usr/bin/env python3
# libcwmp - CWMP (TR-069) library for CPE and ACS.
# SPDX-License-Identifier: BSD-2-Clause
"""dmc: the libcwmp data-model schema compiler.

Reads Broadband Forum data-model XML (``dm:document``, the format of TR-106
Annex A: ``import``, ``dataType``, ``component``, ``model``, ``object``,
``parameter``, ``syntax``) and turns one or more documents into a merged,
normalised schema: objects (path with ``{i}``) and parameters (type resolved
to a TR-106 base type, facets, access, notification attributes). The merged
schema is written as compact const C tables (see lib/dm/schema.h) or as a
plain-text listing.

Python 3 standard library only; no network; DTDs and entities are refused.
Every error names the file and line of the offending element.

Usage (see doc/dm-schema.md):
  dmc.py c     -I DIR... -o OUT.c --schema NAME=FILE[,FILE...]... [--extra FILE]...
  dmc.py dump  -I DIR... FILE...
  dmc.py check -I DIR... FILE...
"""

import argparse
import os
import re
import sys
import xml.parsers.expat

DM_NS_RE = re.compile(r"^urn:broadband-forum-org:cwmp:datamodel-1-(\d+)$")

# TR-106 primitive types (the base of every parameter type).
PRIMITIVES = (
    "string",
    "int",
    "unsignedInt",
    "long",
    "unsignedLong",
    "boolean",
    "dateTime",
    "base64",
    "hexBinary",
    "decimal",
)
INTEGER_TYPES = {
    "int": (-(2**31), 2**31 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "long": (-(2**63), 2**63 - 1),
    "unsignedLong": (0, 2**64 - 1),
}
ACCESS = ("readOnly", "readWrite", "writeOnceReadOnly")
OBJ_ACCESS = ("readOnly", "readWrite")
ACTIVE_NOTIFY = ("normal", "canDeny", "forceDefaultEnabled", "forceEnabled", "willDeny")
STATUS = ("current", "deprecated", "obsoleted", "deleted")
# Hard limits on hostile or broken input (the compiler runs at build time, but a
# vendor file should still never make it loop or blow up).
MAX_IMPORT_DEPTH = 16
MAX_COMPONENT_DEPTH = 16
MAX_NAME = 256
MAX_PATH = 1024
MAX_XML_DEPTH = 64


class DmcError(Exception):
    """An input error, reported as ``file:line: error: message``."""

    def __init__(self, msg, where=None):
        super().__init__(msg)
        self.msg = msg
        self.where = where

    def __str__(self):
        if self.where is not None:
            f, line = self.where
            return "%s:%s: error: %s" % (f, line, self.msg)
        return "error: " + self.msg


WARNINGS = []


def warn(msg, where=None):
    """Non-fatal problems (mostly found in official files); printed by main()."""
    WARNINGS.append(str(DmcError(msg, where)).replace(": error: ", ": warning: ", 1) if where else "warning: " + msg)


def at(node):
    return (node.file, node.line) if node is not None else None


# ---------------------------------------------------------------------------
# XML reading: expat, line numbers, no DTD, no entities, no text kept.


class Node:
    __slots__ = ("tag", "attrs", "children", "file", "line")

    def __init__(self, tag, attrs, file, line):
        self.tag = tag
        self.attrs = attrs
        self.children = []
        self.file = file
        self.line = line

    def get(self, name, default=None):
        v = self.attrs.get(name)
        if v is None:
            return default
        # Names are xs:token in the DM schema: surrounding blanks do not count.
        return v.strip() if name in ("name", "base", "ref", "path") else v

    def kids(self, *tags):
        return [c for c in self.children if c.tag in tags]


def parse_xml(path, data=None):
    """Parses one file into a Node tree. Element text is dropped (descriptions
    are never needed); only tags, attributes and line numbers are kept."""
    if data is None:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            raise DmcError("cannot read: %s" % e.strerror, (path, 0))
    p = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    p.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack = []
    root = []
    skip = [0]  # depth inside <description> (its markup is ignored)

    def refuse(what):
        def handler(*args):
            raise DmcError("%s not allowed in data-model XML" % what, (path, p.CurrentLineNumber))

        return handler

    p.StartDoctypeDeclHandler = refuse("DTD (<!DOCTYPE>)")
    p.EntityDeclHandler = refuse("entity declaration")
    p.UnparsedEntityDeclHandler = refuse("entity declaration")
    p.NotationDeclHandler = refuse("notation declaration")
    p.ExternalEntityRefHandler = refuse("external entity reference")
    p.SkippedEntityHandler = refuse("entity reference")

    def start(tag, attrs):
        if skip[0]:
            skip[0] += 1
            return
        if tag == "description":
            skip[0] = 1
            return
        n = Node(tag, attrs, path, p.CurrentLineNumber)
        if len(stack) >= MAX_XML_DEPTH:
            raise DmcError("elements nested deeper than %d" % MAX_XML_DEPTH, (path, p.CurrentLineNumber))
        if stack:
            stack[-1].children.append(n)
        else:
            root.append(n)
        stack.append(n)

    def end(tag):
        if skip[0]:
            skip[0] -= 1
            return
        stack.pop()

    p.StartElementHandler = start
    p.EndElementHandler = end
    try:
        p.Parse(data, True)
    except xml.parsers.expat.ExpatError as e:
        raise DmcError("malformed XML: %s" % xml.parsers.expat.ErrorString(e.code), (path, e.lineno))
    doc = root[0]
    m = re.match(r"^(\S+) document$", doc.tag)
    if not m or not DM_NS_RE.match(m.group(1)):
        raise DmcError(
            "root element must be dm:document in namespace "
            "urn:broadband-forum-org:cwmp:datamodel-1-N (got '%s')" % doc.tag.replace(" ", ":"),
            at(doc),
        )
    return doc


# ---------------------------------------------------------------------------
# Syntax: a resolved parameter type.


class Syntax:
    """A parameter or dataType syntax, resolved to a primitive base type."""

    __slots__ = (
        "base",  # one of PRIMITIVES
        "datatype",  # outermost named dataType (e.g. "IPAddress") or None
        "is_list",
        "list_items",  # (minItems, maxItems or None)
        "list_size",  # [(minLength, maxLength)] of the whole list string
        "ranges",  # [(min, max, step)], None = open
        "sizes",  # [(minLength, maxLength)]
        "enums",  # [(value, readonly)]
        "patterns",  # [regex]
        "units",
        "reference",  # None / "pathRef" / "instanceRef" / "enumerationRef"
        "hidden",
        "secured",
        "command",
        "default",  # (type, value) or None
    )

    def __init__(self):
        self.base = None
        self.datatype = None
        self.is_list = False
        self.list_items = (0, None)
        self.list_size = []
        self.ranges = []
        self.sizes = []
        self.enums = []
        self.patterns = []
        self.units = None
        self.reference = None
        self.hidden = False
        self.secured = False
        self.command = False
        self.default = None

    def copy(self):
        s = Syntax()
        for k in Syntax.__slots__:
            v = getattr(self, k)
            setattr(s, k, list(v) if isinstance(v, list) else v)
        return s

    def max_length(self):
        """Largest allowed length of a (non-list) string/binary value, or None."""
        if not self.sizes:
            return None
        m = [hi for (_lo, hi) in self.sizes]
        return None if None in m else max(m)

    def describe(self):
        """Canonical one-line text, used by `dump` and the cross-check test."""
        t = self.base
        parts = []
        if self.sizes:
            parts.append("size=" + "|".join("%s..%s" % (lo or 0, "" if hi is None else hi) for lo, hi in self.sizes))
        if self.ranges:
            parts.append(
                "range="
                + "|".join(
                    "%s..%s%s" % ("" if lo is None else lo, "" if hi is None else hi, "" if st is None else "/%s" % st)
                    for lo, hi, st in self.ranges
                )
            )
        if self.enums:
            parts.append("enum=" + "|".join(v + ("(ro)" if ro else "") for v, ro in self.enums))
        if self.patterns:
            parts.append("pattern=" + "|".join(self.patterns))
        if parts:
            t += "(" + ";".join(parts) + ")"
        if self.is_list:
            lst = "list"
            lp = []
            if self.list_items != (0, None):
                lp.append("items=%s..%s" % (self.list_items[0], "" if self.list_items[1] is None else self.list_items[1]))
            if self.list_size:
                lp.append("size=" + "|".join("%s..%s" % (lo or 0, "" if hi is None else hi) for lo, hi in self.list_size))
            if lp:
                lst += "(" + ";".join(lp) + ")"
            t = lst + " of " + t
        if self.datatype:
            t += " dataType=" + self.datatype
        if self.hidden:
            t += " hidden"
        if self.secured:
            t += " secured"
        if self.command:
            t += " command"
        return t


def parse_int(text, node, what):
    try:
        return int(text, 10)
    except (TypeError, ValueError):
        raise DmcError("%s: '%s' is not an integer" % (what, text), at(node))


def parse_number(text, node, what, base):
    if base == "decimal":
        if not re.match(r"^-?\d+(\.\d+)?$", text or ""):
            raise DmcError("%s: '%s' is not a decimal number" % (what, text), at(node))
        return text
    return parse_int(text, node, what)


def bool_attr(node, name, default=False):
    v = node.get(name)
    if v is None:
        return default
    if v in ("true", "1"):
        return True
    if v in ("false", "0"):
        return False
    raise DmcError("attribute %s='%s' must be true or false" % (name, v), at(node))


def enum_attr(node, name, allowed, default):
    v = node.get(name, default)
    if v not in allowed:
        raise DmcError("attribute %s='%s' must be one of %s" % (name, v, ", ".join(allowed)), at(node))
    return v


def is_deleted(node):
    return node.get("status") == "deleted"


class Document:
    """One loaded dm:document: its dataTypes, components and models (own and imported)."""

    def __init__(self, path, node):
        self.path = path
        self.node = node
        self.spec = node.get("spec", "")
        self.datatypes = {}  # name -> (Syntax, node)
        self.components = {}  # name -> Node (may contain nested component refs)
        self.component_docs = {}  # name -> Document owning the component (for its dataTypes)
        self.models = {}  # name -> Model
        self.own_models = []  # models defined in this file, in order


class Loader:
    """Loads documents and their imports, searching the given directories."""

    def __init__(self, search_dirs=()):
        self.search_dirs = list(search_dirs)
        self.cache = {}
        self.loading = []

    def find(self, name, importer, node):
        if os.path.isabs(name) or "/" in name or "\\" in name or name.startswith("."):
            # An import names a file, never a path: no directory walking.
            if os.path.basename(name) != name:
                raise DmcError("import file='%s' must be a plain file name" % name, at(node))
        dirs = [os.path.dirname(os.path.abspath(importer))] + self.search_dirs
        for d in dirs:
            p = os.path.join(d, name)
            if os.path.isfile(p):
                return os.path.abspath(p)
        # TR-106 A.2.2: "tr-xxx-i-a.xml" without a corrigendum number means the
        # latest corrigendum "tr-xxx-i-a-c.xml" (same label suffix).
        m = re.match(r"^(tr-\d+-\d+-\d+)((?:-[a-z][\w.-]*)?)\.xml$", name)
        if m:
            rx = re.compile(r"^" + re.escape(m.group(1)) + r"-(\d+)" + re.escape(m.group(2)) + r"\.xml$")
            for d in dirs:
                try:
                    cands = sorted(
                        (int(mm.group(1)), f) for f in os.listdir(d) for mm in [rx.match(f)] if mm
                    )
                except OSError:
                    continue
                if cands:
                    return os.path.abspath(os.path.join(d, cands[-1][1]))
        raise DmcError(
            "imported file '%s' not found (searched: %s)" % (name, ", ".join(dirs)), at(node)
        )

    def load(self, path, node=None):
        path = os.path.abspath(path)
        if path in self.cache:
            return self.cache[path]
        if path in self.loading:
            raise DmcError("import cycle: %s" % " -> ".join(self.loading + [path]), at(node))
        if len(self.loading) >= MAX_IMPORT_DEPTH:
            raise DmcError("imports nested deeper than %d" % MAX_IMPORT_DEPTH, at(node))
        self.loading.append(path)
        try:
            root = parse_xml(path)
            doc = Document(path, root)
            for child in root.children:
                if child.tag == "import":
                    self.do_import(doc, child)
                elif child.tag == "dataType":
                    name = child.get("name")
                    if not name:
                        raise DmcError("dataType without name", at(child))
                    doc.datatypes[name] = (self.resolve_datatype(doc, child), child)
                elif child.tag == "component":
                    name = child.get("name")
                    if not name:
                        raise DmcError("component without name", at(child))
                    doc.components[name] = child
                    doc.component_docs[name] = doc
                elif child.tag == "model":
                    m = build_model(self, doc, child)
                    doc.models[m.name] = m
                    doc.own_models.append(m)
            self.cache[path] = doc
            return doc
        finally:
            self.loading.pop()

    def do_import(self, doc, node):
        fname = node.get("file")
        if not fname:
            raise DmcError("import without file attribute", at(node))
        sub = self.load(self.find(fname, doc.path, node), node)
        spec = node.get("spec")
        if spec and sub.spec and not sub.spec.startswith(spec) and not spec.startswith(sub.spec):
            raise DmcError("imported file %s has spec '%s', expected '%s'" % (fname, sub.spec, spec), at(node))
        for item in node.children:
            name = item.get("name")
            ref = item.get("ref", name)
            if not name:
                raise DmcError("imported %s without name" % item.tag, at(item))
            if item.tag == "dataType":
                if ref not in sub.datatypes:
                    raise DmcError("dataType '%s' not found in %s" % (ref, fname), at(item))
                doc.datatypes[name] = sub.datatypes[ref]
            elif item.tag == "component":
                if ref not in sub.components:
                    raise DmcError("component '%s' not found in %s" % (ref, fname), at(item))
                doc.components[name] = sub.components[ref]
                doc.component_docs[name] = sub.component_docs[ref]
            elif item.tag == "model":
                if ref not in sub.models:
                    raise DmcError("model '%s' not found in %s" % (ref, fname), at(item))
                doc.models[name] = sub.models[ref]

    # -- dataTypes and syntax ------------------------------------------------

    def lookup_datatype(self, doc, name, node):
        if name in doc.datatypes:
            return doc.datatypes[name][0]
        raise DmcError("unknown dataType '%s'" % name, at(node))

    def resolve_datatype(self, doc, node):
        """A named dataType definition -> Syntax."""
        s = Syntax()
        base = node.get("base")
        if base:
            s = self.lookup_datatype(doc, base, node).copy()
            apply_facets(s, node, s.base)
        prim = None
        for c in node.children:
            if c.tag in PRIMITIVES:
                if prim is not None:
                    raise DmcError("dataType '%s' has two base types" % node.get("name"), at(c))
                prim = c
            elif c.tag == "list":
                apply_list(s, c)
            elif c.tag == "dataType":
                ref = c.get("ref") or c.get("base")
                s = self.lookup_datatype(doc, ref, c).copy()
                apply_facets(s, c, s.base)
                prim = c
        if prim is not None and prim.tag in PRIMITIVES:
            s.base = prim.tag
            apply_facets(s, prim, prim.tag)
        if s.base is None:
            raise DmcError("dataType '%s' has no base type" % node.get("name"), at(node))
        # The named type a parameter refers to is reported by its own name.
        s.datatype = None
        return s

    def resolve_syntax(self, doc, node):
        """A parameter's <syntax> -> Syntax."""
        s = None
        lst = None
        default = None
        for c in node.children:
            if c.tag in PRIMITIVES:
                if s is not None:
                    raise DmcError("syntax has two types", at(c))
                s = Syntax()
                s.base = c.tag
                apply_facets(s, c, c.tag)
            elif c.tag == "dataType":
                if s is not None:
                    raise DmcError("syntax has two types", at(c))
                ref = c.get("ref") or c.get("base")
                if not ref:
                    raise DmcError("dataType in syntax needs ref or base", at(c))
                s = self.lookup_datatype(doc, ref, c).copy()
                s.datatype = ref
                apply_facets(s, c, s.base)
            elif c.tag == "list":
                lst = c
            elif c.tag == "default":
                if not is_deleted(c):
                    default = c
        if s is None:
            raise DmcError("syntax without a type", at(node))
        if lst is not None:
            apply_list(s, lst)
        s.hidden = bool_attr(node, "hidden")
        s.secured = bool_attr(node, "secured")
        s.command = bool_attr(node, "command")
        if default is not None:
            t = default.get("type", "object")
            if t not in ("object", "factory", "implementation", "parameter"):
                raise DmcError("default type='%s' unknown" % t, at(default))
            if "value" not in default.attrs:
                raise DmcError("default without value", at(default))
            s.default = (t, default.get("value"))
        return s


def apply_list(s, node):
    s.is_list = True
    lo = parse_int(node.get("minItems", "0"), node, "minItems")
    hi = node.get("maxItems")
    hi = None if hi in (None, "unbounded") else parse_int(hi, node, "maxItems")
    if lo < 0 or (hi is not None and hi < lo):
        raise DmcError("list minItems/maxItems out of order", at(node))
    s.list_items = (lo, hi)
    sizes = [c for c in node.kids("size") if not is_deleted(c)]
    if sizes:
        s.list_size = [size_pair(c) for c in sizes]


def size_pair(c):
    lo = c.get("minLength")
    hi = c.get("maxLength")
    lo = parse_int(lo, c, "minLength") if lo is not None else None
    hi = parse_int(hi, c, "maxLength") if hi is not None else None
    if (lo is not None and lo < 0) or (hi is not None and hi < 0) or (
        lo is not None and hi is not None and hi < lo
    ):
        raise DmcError("size minLength=%s maxLength=%s out of order" % (lo, hi), at(c))
    return (lo, hi)


def apply_facets(s, node, base):
    """Facets of a primitive type element (or of a derived dataType): each kind
    given here replaces the same kind inherited from a base dataType."""
    sizes, ranges, enums, patterns = [], [], [], []
    seen = set()
    for c in node.children:
        if is_deleted(c):
            continue
        if c.tag == "size":
            if base not in ("string", "base64", "hexBinary"):
                raise DmcError("size facet on %s" % base, at(c))
            sizes.append(size_pair(c))
        elif c.tag == "range":
            if base not in INTEGER_TYPES and base != "decimal":
                raise DmcError("range facet on %s" % base, at(c))
            lo = c.get("minInclusive")
            hi = c.get("maxInclusive")
            st = c.get("step")
            lo = parse_number(lo, c, "minInclusive", base) if lo is not None else None
            hi = parse_number(hi, c, "maxInclusive", base) if hi is not None else None
            st = parse_number(st, c, "step", base) if st is not None else None
            if base in INTEGER_TYPES:
                tmin, tmax = INTEGER_TYPES[base]
                for v in (lo, hi):
                    if v is not None and not tmin <= v <= tmax:
                        raise DmcError("range bound %d outside %s" % (v, base), at(c))
                if lo is not None and hi is not None and hi < lo:
                    raise DmcError("range minInclusive %d > maxInclusive %d" % (lo, hi), at(c))
                if st is not None and st <= 0:
                    raise DmcError("range step must be positive", at(c))
            ranges.append((lo, hi, st))
        elif c.tag == "enumeration":
            v = c.get("value")
            if v is None:
                raise DmcError("enumeration without value", at(c))
            ro = c.get("access", "readWrite") == "readOnly"
            if v in [e[0] for e in enums]:
                raise DmcError("duplicate enumeration value '%s'" % v, at(c))
            enums.append((v, ro))
        elif c.tag == "pattern":
            v = c.get("value")
            if v is None:
                raise DmcError("pattern without value", at(c))
            patterns.append(v)
        elif c.tag == "units":
            s.units = c.get("value")
        elif c.tag in ("pathRef", "instanceRef", "enumerationRef"):
            s.reference = c.tag
        seen.add(c.tag)
    if "size" in seen:
        s.sizes = sizes
    if "range" in seen:
        s.ranges = ranges
    if "enumeration" in seen:
        s.enums = enums
    if "pattern" in seen:
        s.patterns = patterns


# ---------------------------------------------------------------------------
# Models: objects and parameters.


class Param:
    __slots__ = ("name", "access", "forced_inform", "active_notify", "status", "syntax", "where", "patch")

    def __init__(self, name, where):
        self.name = name
        self.access = "readOnly"
        self.forced_inform = False
        self.active_notify = "normal"
        self.status = "current"
        self.syntax = None
        self.where = where
        # None: a definition. A set of attribute names: a `base=` change of a
        # parameter defined in another file, applied when the files merge.
        self.patch = None


def copy_param(p):
    q = Param(p.name, p.where)
    for k in Param.__slots__:
        setattr(q, k, getattr(p, k))
    if p.patch is not None:
        q.patch = set(p.patch)
    return q


class Obj:
    __slots__ = (
        "path",
        "access",
        "min_entries",
        "max_entries",
        "num_entries_param",
        "enable_param",
        "unique_keys",
        "status",
        "params",
        "where",
    )

    def __init__(self, path, where):
        self.path = path
        self.access = "readOnly"
        self.min_entries = 1
        self.max_entries = 1
        self.num_entries_param = None
        self.enable_param = None
        self.unique_keys = []
        self.status = "current"
        self.params = {}  # name -> Param, insertion ordered
        self.where = where

    @property
    def multi(self):
        return self.path.endswith(".{i}.")


class Model:
    """A model: top-level parameters (service models) and objects by path."""

    def __init__(self, name, is_service, where):
        self.name = name
        self.is_service = is_service
        self.objects = {}  # path -> Obj, insertion ordered
        self.top_params = {}  # name -> Param (service models: live in the mount object)
        self.where = where
        self.base_name = None  # the model this one extends (model base=), if any

    def copy(self):
        m = Model(self.name, self.is_service, self.where)
        for p, o in self.objects.items():
            m.objects[p] = copy_obj(o)
        m.top_params = dict(self.top_params)
        m.base_name = self.base_name
        return m


def copy_obj(o):
    n = Obj(o.path, o.where)
    for k in Obj.__slots__:
        if k != "params":
            setattr(n, k, getattr(o, k))
    n.unique_keys = [list(k) for k in o.unique_keys]
    n.params = dict(o.params)
    return n


NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
OBJ_PATH_RE = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*\.(\{i\}\.)?)+$")


def check_param_name(name, node):
    if not name or len(name) > MAX_NAME or not NAME_RE.match(name):
        raise DmcError("invalid parameter name '%s'" % name, at(node))


def check_obj_path(path, node):
    if not path or len(path) > MAX_PATH or not OBJ_PATH_RE.match(path):
        raise DmcError("invalid object name '%s' (must end with '.')" % path, at(node))


def build_model(loader, doc, node):
    name = node.get("name")
    if not name:
        raise DmcError("model without name", at(node))
    base = node.get("base")
    if base:
        if base not in doc.models:
            raise DmcError("model base '%s' not imported" % base, at(node))
        m = doc.models[base].copy()
        m.name = name
        m.base_name = doc.models[base].base_name or base
        m.is_service = bool_attr(node, "isService", m.is_service)
    else:
        m = Model(name, bool_attr(node, "isService"), at(node))
    fill_container(loader, doc, m, None, "", node, 0)
    return m


def fill_container(loader, doc, m, obj, prefix, node, depth):
    """Adds the children of a model, object or component to model m.
    obj: the current object (or None at model level); prefix: path prefix of
    object names (components)."""
    for c in node.children:
        if c.tag == "object":
            o = define_object(loader, doc, m, prefix, c)
            if o is not None:
                fill_container(loader, doc, m, o, prefix, c, depth)
        elif c.tag == "parameter":
            if obj is None and not m.is_service:
                raise DmcError("parameter outside an object (only service models have those)", at(c))
            define_param(loader, doc, m, obj, c)
        elif c.tag == "component":
            ref = c.get("ref")
            if not ref:
                raise DmcError("component reference without ref", at(c))
            if ref not in doc.components:
                raise DmcError("unknown component '%s'" % ref, at(c))
            if depth >= MAX_COMPONENT_DEPTH:
                raise DmcError("components nested deeper than %d (recursive?)" % MAX_COMPONENT_DEPTH, at(c))
            path = c.get("path", "")
            if path and not path.endswith("."):
                raise DmcError("component path '%s' must end with '.'" % path, at(c))
            comp = doc.components[ref]
            cdoc = doc.component_docs[ref]
            # Objects inside the component are named relative to the current
            # object (or to the model root) plus the path attribute.
            inner_prefix = (obj.path if obj is not None else prefix) + path
            target = obj
            if path:
                target = m.objects.get(inner_prefix)
                if target is None and any(k.tag == "parameter" for k in comp.children):
                    raise DmcError("component '%s': object %s is not defined (yet)" % (ref, inner_prefix), at(c))
            fill_container(loader, cdoc, m, target, inner_prefix, comp, depth + 1)
        elif c.tag == "uniqueKey":
            if obj is None:
                raise DmcError("uniqueKey outside an object", at(c))
            keys = []
            for pr in c.kids("parameter"):
                keys.append(pr.get("ref"))
            if keys:
                obj.unique_keys.append(keys)


def define_object(loader, doc, m, prefix, node):
    name = node.get("name")
    basename = node.get("base")
    if name and basename:
        raise DmcError("object has both name and base", at(node))
    if not name and not basename:
        raise DmcError("object without name or base", at(node))
    path = prefix + (name or basename)
    check_obj_path(path, node)
    if is_deleted(node):
        for p in [p for p in m.objects if p.startswith(path)]:
            del m.objects[p]
        return None
    if basename:
        o = m.objects.get(path)
        if o is None:
            # A modification of an object defined elsewhere (for example in
            # the official model this extension is merged into later).
            o = Obj(path, at(node))
            o.access = None
            o.min_entries = o.max_entries = None
            m.objects[path] = o
    else:
        if path in m.objects:
            o = m.objects[path]  # a redefinition refreshes the attributes
        else:
            o = Obj(path, at(node))
            m.objects[path] = o
    if "access" in node.attrs or name:
        o.access = enum_attr(node, "access", OBJ_ACCESS, "readOnly")
    if "minEntries" in node.attrs or name:
        o.min_entries = parse_int(node.get("minEntries", "1"), node, "minEntries")
    if "maxEntries" in node.attrs or name:
        mx = node.get("maxEntries", "1")
        o.max_entries = None if mx == "unbounded" else parse_int(mx, node, "maxEntries")
    if o.min_entries is not None and o.min_entries < 0:
        raise DmcError("minEntries must not be negative", at(node))
    if o.max_entries is not None and o.min_entries is not None and o.max_entries < o.min_entries:
        raise DmcError("maxEntries < minEntries", at(node))
    for a, k in (("numEntriesParameter", "num_entries_param"), ("enableParameter", "enable_param")):
        if a in node.attrs:
            setattr(o, k, node.get(a))
    if "status" in node.attrs:
        o.status = enum_attr(node, "status", STATUS, "current")
    if not path.endswith(".{i}.") and o.max_entries is not None and o.max_entries != 1 and name:
        raise DmcError("object '%s' with maxEntries other than 1 must end with '{i}.'" % path, at(node))
    if not path.endswith(".{i}.") and name and o.max_entries is None:
        raise DmcError("object '%s' with maxEntries unbounded must end with '{i}.'" % path, at(node))
    o.where = at(node)
    return o


def define_param(loader, doc, m, obj, node):
    name = node.get("name")
    basename = node.get("base")
    if name and basename:
        raise DmcError("parameter has both name and base", at(node))
    pname = name or basename
    check_param_name(pname, node)
    table = obj.params if obj is not None else m.top_params
    if is_deleted(node):
        table.pop(pname, None)
        return
    p = table.get(pname)
    if p is None:
        if basename and obj is None:
            raise DmcError("parameter base '%s' not found" % basename, at(node))
        p = Param(pname, at(node))
        if basename:
            p.patch = set()
    else:
        p = copy_param(p)  # models share Param objects: copy before changing
    table[pname] = p
    given = set()
    if name or "access" in node.attrs:
        p.access = enum_attr(node, "access", ACCESS, "readOnly")
        given.add("access")
    if name or "forcedInform" in node.attrs:
        p.forced_inform = bool_attr(node, "forcedInform")
        given.add("forced_inform")
    if name or "activeNotify" in node.attrs:
        p.active_notify = enum_attr(node, "activeNotify", ACTIVE_NOTIFY, "normal")
        given.add("active_notify")
    if "status" in node.attrs:
        p.status = enum_attr(node, "status", STATUS, "current")
        given.add("status")
    syn = node.kids("syntax")
    if syn:
        p.syntax = loader.resolve_syntax(doc, syn[0])
        given.add("syntax")
    elif name and p.syntax is None:
        raise DmcError("parameter '%s' without syntax" % pname, at(node))
    if name:
        p.patch = None
    elif p.patch is not None:
        p.patch |= given
    p.where = at(node)


# ---------------------------------------------------------------------------
# Schemas: a root model + service models + extensions, merged by path.


class Schema:
    """A merged, checked schema: one root object name (Device or
    InternetGatewayDevice), objects in tree preorder, each with its params."""

    def __init__(self, name):
        self.name = name
        self.root = None
        self.objects = {}  # path -> Obj (merge order)
        self.models = []  # names of the models merged, in order
        self.service_models = {}  # service object name -> model name
        self.notes = []  # what happened to the --extra models
        self.extras_merged = set()  # id() of the --extra models merged

    def merge_model(self, m, mount=None):
        """Merges model m; a service model's top-level objects hang under mount."""
        prefix = mount or ""
        if mount is not None:
            mo = self.objects.get(mount)
            if mo is None:
                raise DmcError("service model %s: mount object %s missing" % (m.name, mount), m.where)
            for p in m.top_params.values():
                mo.params[p.name] = p
        for path, o in m.objects.items():
            full = prefix + path
            cur = self.objects.get(full)
            if cur is None:
                n = copy_obj(o)
                n.path = full
                if n.access is None:
                    raise DmcError("object base '%s' not found in any merged model" % full, o.where)
                self.objects[full] = n
            else:
                merge_obj(cur, o)
        self.models.append(m.name)

    def finish(self):
        """Checks the merged tree, drops deleted items, orders objects in
        preorder and resolves references. Returns self."""
        roots = {p.split(".", 1)[0] for p in self.objects}
        if len(roots) != 1:
            raise DmcError("schema %s: objects under several roots: %s" % (self.name, ", ".join(sorted(roots))))
        self.root = roots.pop()
        for path, o in self.objects.items():
            par = parent_path(path)
            if par is not None and par not in self.objects:
                raise DmcError("object %s: parent %s is not defined" % (path, par), o.where)
            for pn, p in o.params.items():
                if p.patch is not None or p.syntax is None:
                    raise DmcError("parameter base '%s%s' is not defined in any merged model" % (path, pn),
                                   p.where)
            for attr in ("num_entries_param", "enable_param"):
                ref = getattr(o, attr)
                if ref is None:
                    continue
                holder = self.objects.get(par) if attr == "num_entries_param" else o
                if holder is None or ref not in holder.params:
                    # Seen in official files: a dangling reference is reported
                    # and dropped rather than failing the whole model.
                    warn(
                        "object %s: %s '%s' is not a parameter of %s; ignored"
                        % (path, "numEntriesParameter" if attr == "num_entries_param" else "enableParameter", ref,
                           par if attr == "num_entries_param" else path),
                        o.where,
                    )
                    setattr(o, attr, None)
            for key in o.unique_keys:
                for k in key:
                    if k not in o.params and "." not in k:
                        raise DmcError("object %s: uniqueKey parameter '%s' not defined" % (path, k), o.where)
        # Preorder: children after their parent, siblings in definition order.
        children = {}
        for path in self.objects:
            children.setdefault(parent_path(path), []).append(path)
        order = []
        stack = list(reversed(children.get(None, [])))
        while stack:
            p = stack.pop()
            order.append(p)
            stack.extend(reversed(children.get(p, [])))
        self.objects = {p: self.objects[p] for p in order}
        return self

    def dump(self, out):
        for path, o in self.objects.items():
            attrs = [o.access]
            if o.multi or o.min_entries != 1 or o.max_entries != 1:
                attrs.append("entries=%d..%s" % (o.min_entries, "" if o.max_entries is None else o.max_entries))
            if o.num_entries_param:
                attrs.append("numEntries=" + o.num_entries_param)
            if o.enable_param:
                attrs.append("enable=" + o.enable_param)
            if o.status != "current":
                attrs.append(o.status)
            out.write("%s object %s\n" % (path, " ".join(attrs)))
            for p in o.params.values():
                out.write("%s%s %s\n" % (path, p.name, param_line(p)))


def param_line(p):
    s = "%s %s" % (p.syntax.describe(), p.access)
    if p.forced_inform:
        s += " forcedInform"
    if p.active_notify != "normal":
        s += " activeNotify=" + p.active_notify
    if p.status != "current":
        s += " " + p.status
    return s


def parent_path(path):
    """'A.B.{i}.C.' -> 'A.B.{i}.'; 'A.B.{i}.' -> 'A.'; top -> None."""
    segs = path[:-1].split(".")
    if segs[-1] == "{i}":
        segs = segs[:-1]
    segs = segs[:-1]
    if not segs:
        return None
    if segs[-1] == "{i}" and len(segs) == 1:
        return None
    return ".".join(segs) + "."


def merge_obj(cur, o):
    for k in ("access", "min_entries", "max_entries"):
        v = getattr(o, k)
        if v is not None or k == "max_entries" and o.min_entries is not None:
            setattr(cur, k, v)
    for k in ("num_entries_param", "enable_param"):
        if getattr(o, k) is not None:
            setattr(cur, k, getattr(o, k))
    if o.status != "current":
        cur.status = o.status
    if o.unique_keys:
        cur.unique_keys = [list(k) for k in o.unique_keys]
    for name, p in o.params.items():
        base = cur.params.get(name)
        if p.patch is not None and base is not None:
            q = copy_param(base)
            for k in p.patch:
                setattr(q, k, getattr(p, k))
            q.where = p.where
            cur.params[name] = q
        else:
            cur.params[name] = p


def extra_misfit(sch, m, root, mount):
    """Why model m (from a --extra file) does not fit schema sch, or None.

    Root models fit the schema with the same root object. Service models fit
    when the schema's service of that name has the same major version (a
    model with base= is judged by its base), or when the service is new.
    Vendor extensions (X_ names) fit where every object they extend exists.
    Either way every object extended with base= and the parent of every new
    object must be defined by the schema or by the model itself."""
    if m.is_service:
        if mount not in sch.objects:
            return "no %s object" % mount
        key = service_major(m.base_name or m.name)
        vendor = key[0].startswith("X_")
        for top in {p.split(".", 1)[0] for p in m.objects}:
            have = sch.service_models.get(top)
            if have is not None and not vendor and service_major(have) != key:
                return "schema has %s" % have
        prefix = mount
    else:
        roots = {p.split(".", 1)[0] for p in m.objects}
        if roots != {root}:
            if root in roots:
                raise DmcError("model %s spans several roots" % m.name, m.where)
            return "root %s" % ", ".join(sorted(roots))
        prefix = ""
    for path, o in m.objects.items():
        full = prefix + path
        if o.access is None and full not in sch.objects:
            return "object %s is not defined" % full
        par = parent_path(full)
        if par is not None and par not in sch.objects and par[len(prefix):] not in m.objects:
            return "object %s is not defined" % par
    return None


def check_extras_used(loader, schemas, extras):
    """An extra model merged into no schema at all is an error (a typo in a
    vendor file must not silently drop the whole extension)."""
    for f in extras:
        for m in loader.load(f).own_models:
            if not any(id(m) in s.extras_merged for s in schemas):
                why = "; ".join(n.split(": ", 2)[-1] for s in schemas for n in s.notes
                                if n.startswith("%s: model %s not merged" % (os.path.basename(f), m.name)))
                raise DmcError("model %s fits none of the schemas (%s)" % (m.name, why), m.where)


def service_major(name):
    m = re.match(r"^(.*):(\d+)(?:\.\d+)?$", name)
    return (m.group(1), m.group(2)) if m else (name, "")


def build_schema(loader, name, files, extras=(), synth_root=None):
    """Merges the models of `files` (in order) into one schema, then merges
    the models of `extras` whose root matches (root models) or whose service
    name and major version match (service models; a new service name is
    always merged). Returns the finished Schema."""
    sch = Schema(name)
    services = []
    for f in files:
        doc = loader.load(f)
        if not doc.own_models:
            raise DmcError("no model in %s" % f, (f, 1))
        for m in doc.own_models:
            if m.is_service:
                services.append(m)
            else:
                sch.merge_model(m)
    if not sch.objects and synth_root:
        # Service models alone (dump/check of a TR-196 file): a bare root.
        for path in (synth_root + ".", synth_root + ".Services."):
            sch.objects[path] = Obj(path, None)
    if not sch.objects:
        raise DmcError("schema %s: no root model among %s" % (name, ", ".join(files)))
    root = next(iter(sch.objects)).split(".", 1)[0]
    mount = root + ".Services."
    for m in services:
        sch.merge_model(m, mount)
        for path in m.objects:
            sch.service_models.setdefault(path.split(".", 1)[0], m.base_name or m.name)
    for f in extras:
        doc = loader.load(f)
        for m in doc.own_models:
            why = extra_misfit(sch, m, root, mount)
            if why is None:
                sch.merge_model(m, mount if m.is_service else None)
                sch.notes.append("%s: model %s merged" % (os.path.basename(f), m.name))
                sch.extras_merged.add(id(m))
            else:
                sch.notes.append("%s: model %s not merged: %s" % (os.path.basename(f), m.name, why))
    return sch.finish()


# ---------------------------------------------------------------------------
# C tables (format of lib/dm/schema.h, CWMP__DM_SCHEMA_FORMAT 1).

C_TYPE = {
    "string": "CWMP_TYPE_STRING",
    "int": "CWMP_TYPE_INT",
    "unsignedInt": "CWMP_TYPE_UNSIGNED_INT",
    "long": "CWMP_TYPE_LONG",
    "unsignedLong": "CWMP_TYPE_UNSIGNED_LONG",
    "boolean": "CWMP_TYPE_BOOLEAN",
    "dateTime": "CWMP_TYPE_DATETIME",
    "base64": "CWMP_TYPE_BASE64",
    "hexBinary": "CWMP_TYPE_HEXBINARY",
    # No xsd:decimal in enum cwmp_type: carried as a string (no range check).
    "decimal": "CWMP_TYPE_STRING",
}
NOTIFY_FLAG = {
    "normal": "CWMP__DM_NOTIFY_NORMAL",
    "canDeny": "CWMP__DM_NOTIFY_CAN_DENY",
    "willDeny": "CWMP__DM_NOTIFY_CAN_DENY",
    "forceDefaultEnabled": "CWMP__DM_NOTIFY_FORCE_DEFAULT",
    "forceEnabled": "CWMP__DM_NOTIFY_FORCE",
}
ACCESS_FLAG = {
    "readOnly": "CWMP__DM_READ_ONLY",
    "readWrite": "CWMP__DM_READ_WRITE",
    "writeOnceReadOnly": "CWMP__DM_WRITE_ONCE",
}
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
NONE = 0xFFFFFFFF
MAX_CHILDREN = 0xFFFF


class Pool:
    """One NUL-separated string pool, deduplicated, offset 0 = ""."""

    def __init__(self):
        self.strings = [""]
        self.offsets = {"": 0}
        self.size = 1
        self.used = set()  # strings used by the schema being emitted

    def add(self, text):
        self.used.add(text)
        off = self.offsets.get(text)
        if off is None:
            if "\0" in text:
                raise DmcError("NUL character in a string")
            off = self.size
            self.offsets[text] = off
            self.strings.append(text)
            self.size += len(text.encode("utf-8")) + 1
        return off


class TNode:
    __slots__ = ("name", "kind", "obj", "param", "children", "index", "parent")

    def __init__(self, name, kind, obj=None, param=None):
        self.name = name
        self.kind = kind  # 0 object, 1 table, 2 param
        self.obj = obj
        self.param = param
        self.children = []
        self.index = None
        self.parent = None


def hull(pairs):
    """Smallest single interval covering several (lo, hi); None = open."""
    los = [lo for lo, _ in pairs]
    his = [hi for _, hi in pairs]
    lo = None if None in los else min(los)
    hi = None if None in his else max(his)
    return lo, hi


def combined_pattern(patterns):
    """TR-106: a value must match one of the patterns (each a whole-value XML
    Schema regex). Several are joined as one alternation."""
    if not patterns:
        return None
    if len(patterns) == 1:
        return patterns[0]
    return "|".join("(%s)" % p for p in patterns)


def multi_ranges(s):
    """The ranges of an integer parameter with more than one <range>, as
    int64 pairs (open ends = the type's limits), or () when there is at most
    one range or a bound does not fit in int64 (then only the hull applies)."""
    if s.base not in INTEGER_TYPES or len(s.ranges) < 2:
        return ()
    tmin, tmax = INTEGER_TYPES[s.base]
    out = []
    for lo, hi, _st in s.ranges:
        lo = tmin if lo is None else lo
        hi = tmax if hi is None else hi
        if not (INT64_MIN <= lo <= INT64_MAX and INT64_MIN <= hi <= INT64_MAX):
            return ()
        out.append((lo, hi))
    return tuple(out)


def syntax_key(p):
    """(flags, (min, max, list_max, enums, pattern, ranges)) of a parameter."""
    s = p.syntax
    flags = []
    lo = hi = None
    if s.base in INTEGER_TYPES:
        if s.ranges:
            lo, hi = hull([(a, b) for a, b, _ in s.ranges])
    elif s.base in ("string", "base64", "hexBinary"):
        if s.sizes:
            lo, hi = hull(s.sizes)
            if lo == 0:
                lo = None
    if lo is not None and not INT64_MIN <= lo <= INT64_MAX:
        lo = None
    if hi is not None and not INT64_MIN <= hi <= INT64_MAX:
        hi = None
    if lo is not None:
        flags.append("CWMP__DM_HAS_MIN")
    if hi is not None:
        flags.append("CWMP__DM_HAS_MAX")
    list_max = 0
    if s.is_list and s.list_size:
        _, lm = hull(s.list_size)
        list_max = lm or 0
    enums = tuple(v for v, _ro in s.enums) if s.base == "string" else ()
    pattern = combined_pattern(s.patterns) if s.base == "string" else None
    key = (lo or 0, hi or 0, list_max, enums, pattern, multi_ranges(s))
    if key == (0, 0, 0, (), None, ()) and not flags:
        key = None
    return flags, key


def build_tree(sch):
    """Schema -> TNode tree (objects then their parameters and children in
    definition order)."""
    root = None
    by_path = {}
    for path, o in sch.objects.items():
        segs = path[:-1].split(".")
        kind = 0
        if segs[-1] == "{i}":
            kind = 1
            segs = segs[:-1]
        n = TNode(segs[-1], kind, obj=o)
        par = parent_path(path)
        if par is None:
            if root is not None:
                raise DmcError("schema %s: two root objects" % sch.name)
            root = n
        else:
            pn = by_path[par]
            n.parent = pn
            pn.children.append(n)
        by_path[path] = n
        for p in o.params.values():
            c = TNode(p.name, 2, param=p)
            c.parent = n
            n.children.append(c)
    # Parameters first, then child objects (GetParameterNames order).
    for n in by_path.values():
        n.children.sort(key=lambda c: 0 if c.kind == 2 else 1)
        names = set()
        for c in n.children:
            if c.name in names:
                where = c.param.where if c.param else c.obj.where
                raise DmcError("'%s' defined twice under %s" % (c.name, n.obj.path), where)
            names.add(c.name)
        if len(n.children) > MAX_CHILDREN:
            raise DmcError("%s has more than %d children" % (n.obj.path, MAX_CHILDREN), n.obj.where)
    return root


def c_string(text):
    out = []
    for ch in text.encode("utf-8"):
        c = chr(ch)
        if c in '"\\?':
            out.append("\\" + c)
        elif 0x20 <= ch < 0x7F:
            out.append(c)
        else:
            out.append("\\%03o" % ch)
    return '"' + "".join(out) + '"'


def c_char(b):
    """One byte as a C character constant (or a number when not printable)."""
    c = chr(b)
    if c in "'\\":
        return "'\\%s'" % c
    if 0x20 <= b < 0x7F:
        return "'%s'" % c
    return "'\\x%02x'" % b


def c_int64(v):
    if v == INT64_MIN:
        return "INT64_MIN"
    return "INT64_C(%d)" % v


def emit_schema(sch, pool, prefix, out):
    """Writes the static arrays of one schema; returns the C initializer of
    its struct cwmp_dm_schema."""
    root = build_tree(sch)
    pool.used = set()
    order = [root]
    root.index = 0
    i = 0
    while i < len(order):
        n = order[i]
        for c in n.children:
            c.index = len(order)
            order.append(c)
        i += 1
    syntaxes = []
    syn_index = {}
    enums = []
    enum_index = {}
    tables = []
    node_rows = []
    for n in order:
        flags = []
        dflt = "CWMP__DM_NOSTR"
        aux = "CWMP__DM_NONE"
        ctype = "CWMP_TYPE_NONE"
        status = (n.param or n.obj).status
        if n.kind == 2:
            p = n.param
            s = p.syntax
            ctype = C_TYPE[s.base]
            flags.append(ACCESS_FLAG[p.access])
            if p.active_notify != "normal":
                flags.append(NOTIFY_FLAG[p.active_notify])
            if p.forced_inform:
                flags.append("CWMP__DM_FORCED_INFORM")
            if s.hidden:
                flags.append("CWMP__DM_HIDDEN")
            if s.secured:
                flags.append("CWMP__DM_SECURED")
            if s.is_list:
                flags.append("CWMP__DM_LIST")
            sflags, key = syntax_key(p)
            flags += sflags
            if key is not None:
                if key not in syn_index:
                    ev = key[3]
                    if ev:
                        if ev not in enum_index:
                            enum_index[ev] = len(enums)
                            enums.extend(pool.add(v) for v in ev)
                        ef = enum_index[ev]
                    else:
                        ef = 0
                    syn_index[key] = len(syntaxes)
                    syntaxes.append((key, ef))
                aux = str(syn_index[key])
            if s.default is not None:
                dflt = str(pool.add(s.default[1]))
        elif n.kind == 1:
            o = n.obj
            if o.access == "readWrite":
                flags += ["CWMP__DM_CREATE", "CWMP__DM_DELETE"]
            aux = str(len(tables))
            num = NONE
            if o.num_entries_param and n.parent is not None:
                for c in n.parent.children:
                    if c.kind == 2 and c.name == o.num_entries_param:
                        num = c.index
            alias = NONE
            for c in n.children:
                if c.kind == 2 and c.name == "Alias":
                    alias = c.index
            tables.append((n.index, num, o.min_entries or 0, NONE if o.max_entries is None else o.max_entries, alias))
        if status == "deprecated":
            flags.append("CWMP__DM_DEPRECATED")
        elif status == "obsoleted":
            flags.append("CWMP__DM_OBSOLETE")
        node_rows.append(
            "    {%d, %s, %s, %s, %s, %d, %s, %s, %s, 0}, /* %s */"
            % (
                pool.add(n.name),
                "CWMP__DM_NONE" if n.parent is None else str(n.parent.index),
                str(n.children[0].index) if n.children else "0",
                dflt,
                aux,
                len(n.children),
                ("CWMP__DM_OBJECT", "CWMP__DM_TABLE", "CWMP__DM_PARAM")[n.kind],
                ctype,
                " | ".join(flags) if flags else "0",
                node_path(n).replace("*/", "*\\/"),
            )
        )
    out.append("static const struct cwmp__dm_node %s_nodes[%d] = {" % (prefix, len(node_rows)))
    out.extend(node_rows)
    out.append("};")
    ranges = []
    range_index = {}
    if syntaxes:
        out.append("static const struct cwmp__dm_syntax %s_syntaxes[%d] = {" % (prefix, len(syntaxes)))
        for (lo, hi, lm, ev, pat, rg), ef in syntaxes:
            rf = 0
            if rg:
                if rg not in range_index:
                    range_index[rg] = len(ranges)
                    ranges.extend(rg)
                rf = range_index[rg]
            out.append(
                "    {%s, %s, %d, %d, %d, %s DMC_RANGES(%d, %d)},"
                % (c_int64(lo), c_int64(hi), lm, ef if ev else 0, len(ev),
                   "CWMP__DM_NOSTR" if pat is None else str(pool.add(pat)), rf, len(rg))
            )
        out.append("};")
    if ranges:
        out.append("#if CWMP__DM_SCHEMA_FORMAT >= 2")
        out.append("static const struct cwmp__dm_range %s_ranges[%d] = {" % (prefix, len(ranges)))
        for lo, hi in ranges:
            out.append("    {%s, %s}," % (c_int64(lo), c_int64(hi)))
        out.append("};")
        out.append("#endif")
    if enums:
        out.append("static const uint32_t %s_enums[%d] = {" % (prefix, len(enums)))
        for k in range(0, len(enums), 12):
            out.append("    " + " ".join("%d," % e for e in enums[k:k + 12]))
        out.append("};")
    if tables:
        out.append("static const struct cwmp__dm_table %s_tables[%d] = {" % (prefix, len(tables)))
        for t in tables:
            out.append("    {%s}," % ", ".join("CWMP__DM_NONE" if v == NONE else str(v) for v in t))
        out.append("};")
    out.append("")
    nparams = sum(1 for n in order if n.kind == 2)
    title = "%s (%s)" % (" + ".join(dict.fromkeys(sch.models)), sch.name)
    sch.stats = {
        "nodes": len(order),
        "params": nparams,
        "objects": len(order) - nparams,
        "syntaxes": len(syntaxes),
        "enums": len(enums),
        "tables": len(tables),
        "ranges": len(ranges),
        "strings": 1 + sum(len(t.encode("utf-8")) + 1 for t in pool.used if t),
    }
    return (
        "{\n    CWMP__DM_SCHEMA_FORMAT,\n    %s,\n    %s,\n    sizeof(%s),\n"
        "    %s_nodes, %d,\n    %s, %d,\n    %s, %d,\n    %s, %d,\n    %d DMC_SCHEMA_RANGES(%s, %d),\n}"
        % (
            c_string(title),
            "POOLNAME",
            "POOLNAME",
            prefix,
            len(order),
            prefix + "_syntaxes" if syntaxes else "NULL",
            len(syntaxes),
            prefix + "_enums" if enums else "NULL",
            len(enums),
            prefix + "_tables" if tables else "NULL",
            len(tables),
            nparams,
            prefix + "_ranges" if ranges else "NULL",
            len(ranges),
        )
    )


def node_path(n):
    parts = []
    while n is not None:
        parts.append(n.name + (".{i}" if n.kind == 1 else ""))
        n = n.parent
    return ".".join(reversed(parts))


def emit_c(schemas, builtin, sources=()):
    """The whole generated C file. builtin: schema names are enum
    cwmp_dm_model suffixes and cwmp_dm_schema_builtin() is defined;
    otherwise each schema is an exported `const struct cwmp_dm_schema NAME`."""
    pool = Pool()
    body = []
    inits = []
    for sch in schemas:
        prefix = "dm_" + sch.name
        inits.append((sch, emit_schema(sch, pool, prefix, body)))
    poolname = "dm_pool"
    head = [
        "/* Generated by tools/dmc.py from data-model XML: do not edit. */",
        "/* Sources: %s */" % re.sub(r"[^ -~]|\*/", "?", ", ".join(os.path.basename(s) for s in sources)),
        "#include <stddef.h>",
        "#include <stdint.h>",
        "",
        '#include "dm/schema.h"',
        "",
        "/* Format 2 of schema.h adds the list of ranges of a parameter with several. */",
        "#if CWMP__DM_SCHEMA_FORMAT >= 2",
        "#define DMC_RANGES(first, count) , first, count",
        "#define DMC_SCHEMA_RANGES(array, count) , array, count",
        "#else",
        "#define DMC_RANGES(first, count)",
        "#define DMC_SCHEMA_RANGES(array, count)",
        "#endif",
        "",
        "/* %d bytes of strings shared by every schema of this file. */" % pool.size,
        "static const char %s[%d] = {" % (poolname, pool.size),
    ]
    # Character constants rather than one long string literal: ISO C only
    # promises 4095-character literals and some compilers stop at 16 KB.
    for t in pool.strings:
        chars = [c_char(b) for b in t.encode("utf-8")] + ["0"]
        for k in range(0, len(chars), 16):
            head.append("    " + ", ".join(chars[k:k + 16]) + ",")
    head.append("};")
    head.append("")
    tail = []
    for sch, init in inits:
        init = init.replace("POOLNAME", poolname)
        if builtin:
            tail.append("static const struct cwmp_dm_schema dm_schema_%s = %s;" % (sch.name, init))
        else:
            tail.append("extern const struct cwmp_dm_schema %s;" % sch.name)
            tail.append("const struct cwmp_dm_schema %s = %s;" % (sch.name, init))
        tail.append("")
    if builtin:
        tail.append("const struct cwmp_dm_schema *cwmp_dm_schema_builtin(enum cwmp_dm_model model)")
        tail.append("{")
        tail.append("    switch (model) {")
        for sch, _ in inits:
            tail.append("    case CWMP_DM_MODEL_%s:" % sch.name.upper())
            tail.append("        return &dm_schema_%s;" % sch.name)
        tail.append("    default:")
        tail.append("        return NULL;")
        tail.append("    }")
        tail.append("}")
    return "\n".join(head + body + tail) + "\n", pool.size


# sizeof() of the schema.h structs on LP64 (tests/test_dm_schema.c prints the real figures).
# (schema format 2; format 1 had 32-byte syntaxes, a 96-byte schema, no ranges.)
SIZEOF_NODE, SIZEOF_SYNTAX, SIZEOF_TABLE, SIZEOF_SCHEMA, SIZEOF_RANGE = 28, 40, 20, 112, 16


def stats_text(schemas, pool_size):
    """Memory figures (bytes per parameter) of the emitted tables."""
    lines = []
    for sch in schemas:
        st = sch.stats
        tbl = (st["nodes"] * SIZEOF_NODE + st["syntaxes"] * SIZEOF_SYNTAX + st["enums"] * 4
               + st["tables"] * SIZEOF_TABLE + st["ranges"] * SIZEOF_RANGE + SIZEOF_SCHEMA)
        n = max(1, st["params"])
        lines.append(
            "%s: %d params, %d objects, %d syntaxes, %d enum values, %d tables, %d ranges: "
            "%d B tables (%.1f B/param) + %d B own strings = %.1f B/param"
            % (sch.name, st["params"], st["objects"], st["syntaxes"], st["enums"], st["tables"], st["ranges"], tbl,
               tbl / n, st["strings"], (tbl + st["strings"]) / n)
        )
        lines.extend("  " + x for x in sch.notes)
    lines.append("string pool of this file (shared by its schemas): %d B" % pool_size)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# Command line.


def main(argv=None):
    ap = argparse.ArgumentParser(prog="dmc.py", description="libcwmp data-model schema compiler")
    sub = ap.add_subparsers(dest="cmd", required=True)

    def common(p):
        p.add_argument("-I", dest="include", action="append", default=[], help="import search directory")

    pd = sub.add_parser("dump", help="print the merged schema as text")
    common(pd)
    pd.add_argument("files", nargs="+")
    pd.add_argument("--extra", action="append", default=[])
    pd.add_argument("-o", dest="output")
    pd.add_argument("--root", help="root object to mount service models on when no root model is given")
    pk = sub.add_parser("check", help="load and check only")
    common(pk)
    pk.add_argument("--root", help="as for dump")
    pk.add_argument("files", nargs="+")
    pk.add_argument("--extra", action="append", default=[])
    pc = sub.add_parser("c", help="write C tables")
    common(pc)
    pc.add_argument("-o", dest="output", required=True)
    pc.add_argument("--schema", action="append", required=True, metavar="NAME=FILE[,FILE...]")
    pc.add_argument("--extra", action="append", default=[], help="extra XML merged into every schema it fits")
    pc.add_argument("--depfile", help="write a make-style depfile of every XML file read")
    pc.add_argument("--builtin", action="store_true",
                    help="schemas are CWMP_DM_MODEL_<NAME>; define cwmp_dm_schema_builtin()")
    pc.add_argument("--stats", help="write memory figures (bytes per parameter) to this file")
    args = ap.parse_args(argv)
    loader = Loader(args.include)
    del WARNINGS[:]
    try:
        if args.cmd in ("dump", "check"):
            sch = build_schema(loader, "schema", args.files, args.extra, args.root)
            check_extras_used(loader, [sch], args.extra)
            if args.cmd == "dump":
                if args.output:
                    with open(args.output, "w", encoding="utf-8") as f:
                        sch.dump(f)
                else:
                    sch.dump(sys.stdout)
            return 0
        schemas = []
        for spec in args.schema:
            name, _, files = spec.partition("=")
            if not re.match(r"^[a-z][a-z0-9_]*$", name) or not files:
                raise DmcError("--schema wants NAME=FILE[,FILE...] with a C identifier NAME, got '%s'" % spec)
            schemas.append(build_schema(loader, name, files.split(","), args.extra))
        check_extras_used(loader, schemas, args.extra)
        text, pool_size = emit_c(schemas, args.builtin, [f for f in sorted(loader.cache)])
        write_if_changed(args.output, text)
        if args.stats:
            with open(args.stats, "w", encoding="utf-8") as f:
                f.write(stats_text(schemas, pool_size))
        if args.depfile:
            with open(args.depfile, "w", encoding="utf-8") as f:
                esc = lambda t: t.replace(" ", "\\ ").replace("#", "\\#")  # noqa: E731
                f.write("%s: %s\n" % (esc(args.output), " ".join(esc(p) for p in sorted(loader.cache))))
        return 0
    except DmcError as e:
        sys.stderr.write("dmc: %s\n" % e)
        return 1
    finally:
        for w in dict.fromkeys(WARNINGS):
            sys.stderr.write("dmc: %s\n" % w)


def write_if_changed(path, text):
    try:
        with open(path, "r", encoding="utf-8") as f:
            if f.read() == text:
                return
    except OSError:
        pass
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
