#!/usr/bin/env python3
# libcwmp - CWMP (TR-069) library for CPE and ACS.
# SPDX-License-Identifier: BSD-2-Clause
"""Unit tests of the schema compiler (tools/dmc.py) on small XML snippets:
imports and search paths, dataTypes, ranges, enumerations, lists,
components, model/object/parameter base, status, service mounting, extra
(vendor) files, deterministic C output, and errors with file:line.

  test_dmc.py TOOLS_DIR [STANDARDS_DIR]
"""

import io
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True
TOOLS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "tools")
STANDARDS = sys.argv[2] if len(sys.argv) > 2 else ""
sys.path.insert(0, TOOLS)
import dmc  # noqa: E402

NS = "urn:broadband-forum-org:cwmp:datamodel-1-14"


def doc(body, spec="urn:example-com:test"):
    return '<?xml version="1.0"?>\n<dm:document xmlns:dm="%s" spec="%s">\n%s\n</dm:document>\n' % (NS, spec, body)


ROOT = doc("""
  <dataType name="Name64"><string><size maxLength="64"/></string></dataType>
  <model name="Device:2.0">
    <object name="Device." access="readOnly" minEntries="1" maxEntries="1">
      <parameter name="RootDataModelVersion" access="readOnly" forcedInform="true">
        <syntax><string><size maxLength="32"/></string></syntax>
      </parameter>
    </object>
    <object name="Device.Services." access="readOnly" minEntries="1" maxEntries="1"/>
    <object name="Device.ManagementServer." access="readOnly" minEntries="1" maxEntries="1">
      <parameter name="ParameterKey" access="readOnly" activeNotify="canDeny" forcedInform="true">
        <syntax><dataType ref="Name64"/></syntax>
      </parameter>
      <parameter name="Password" access="readWrite">
        <syntax hidden="true"><string><size maxLength="256"/></string></syntax>
      </parameter>
      <parameter name="Old" access="readOnly" status="deprecated">
        <syntax><boolean/></syntax>
      </parameter>
      <parameter name="Gone" access="readOnly" status="deleted">
        <syntax><boolean/></syntax>
      </parameter>
    </object>
  </model>
""")

SERVICE = doc("""
  <model name="ABCService:1.0" isService="true">
    <parameter name="ABCServiceNumberOfEntries" access="readOnly">
      <syntax><unsignedInt/></syntax>
    </parameter>
    <object name="ABCService.{i}." access="readWrite" minEntries="0" maxEntries="4"
        numEntriesParameter="ABCServiceNumberOfEntries">
      <parameter name="Alias" access="writeOnceReadOnly">
        <syntax><string><size maxLength="64"/></string></syntax>
      </parameter>
      <parameter name="Level" access="readWrite">
        <syntax>
          <int><range minInclusive="-10" maxInclusive="10"/><range minInclusive="20" maxInclusive="30"/></int>
          <default type="object" value="0"/>
        </syntax>
      </parameter>
    </object>
  </model>
""")


class Base(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="dmc-test-")
        del dmc.WARNINGS[:]

    def tearDown(self):
        shutil.rmtree(self.dir)

    def write(self, name, text, sub=None):
        d = os.path.join(self.dir, sub) if sub else self.dir
        os.makedirs(d, exist_ok=True)
        p = os.path.join(d, name)
        with open(p, "w", encoding="utf-8") as f:
            f.write(text)
        return p

    def schema(self, files, extras=(), dirs=()):
        loader = dmc.Loader(list(dirs))
        sch = dmc.build_schema(loader, "t", files, extras)
        dmc.check_extras_used(loader, [sch], extras)
        return sch

    def error(self, files, extras=(), dirs=()):
        with self.assertRaises(dmc.DmcError) as cm:
            self.schema(files, extras, dirs)
        return str(cm.exception)

    def param(self, sch, path):
        obj, _, name = path.rpartition(".")
        return sch.objects[obj + "."].params[name]


class TestModels(Base):
    def test_root_and_attributes(self):
        sch = self.schema([self.write("root.xml", ROOT)])
        self.assertEqual(sch.root, "Device")
        p = self.param(sch, "Device.ManagementServer.ParameterKey")
        self.assertEqual(p.syntax.base, "string")
        self.assertEqual(p.syntax.datatype, "Name64")
        self.assertEqual(p.syntax.sizes, [(None, 64)])
        self.assertTrue(p.forced_inform)
        self.assertEqual(p.active_notify, "canDeny")
        self.assertTrue(self.param(sch, "Device.ManagementServer.Password").syntax.hidden)
        self.assertEqual(self.param(sch, "Device.ManagementServer.Old").status, "deprecated")
        self.assertNotIn("Gone", sch.objects["Device.ManagementServer."].params)

    def test_service_mount(self):
        sch = self.schema([self.write("root.xml", ROOT), self.write("svc.xml", SERVICE)])
        self.assertIn("Device.Services.ABCService.{i}.", sch.objects)
        self.assertIn("ABCServiceNumberOfEntries", sch.objects["Device.Services."].params)
        o = sch.objects["Device.Services.ABCService.{i}."]
        self.assertEqual((o.min_entries, o.max_entries, o.access), (0, 4, "readWrite"))
        lvl = self.param(sch, "Device.Services.ABCService.{i}.Level")
        self.assertEqual(lvl.syntax.ranges, [(-10, 10, None), (20, 30, None)])
        self.assertEqual(lvl.syntax.default, ("object", "0"))
        # preorder: parent before children
        keys = list(sch.objects)
        self.assertLess(keys.index("Device.Services."), keys.index("Device.Services.ABCService.{i}."))

    def test_datatype_chain_and_facets(self):
        f = self.write("t.xml", doc("""
          <dataType name="IPAddress"><string><size maxLength="45"/></string></dataType>
          <dataType name="IPv4Address" base="IPAddress"><size maxLength="15"/><pattern value=""/><pattern value="\\d+(\\.\\d+){3}"/></dataType>
          <dataType name="Pair"><list minItems="2" maxItems="2"/><unsignedInt/></dataType>
          <model name="Device:2.0">
            <object name="Device." access="readOnly" minEntries="1" maxEntries="1">
              <parameter name="A" access="readWrite"><syntax><dataType ref="IPv4Address"/></syntax></parameter>
              <parameter name="B" access="readWrite"><syntax><dataType ref="IPAddress"><size maxLength="20"/></dataType></syntax></parameter>
              <parameter name="C" access="readOnly"><syntax><dataType ref="Pair"/></syntax></parameter>
              <parameter name="D" access="readWrite"><syntax><list maxItems="8"><size maxLength="100"/></list>
                <string><enumeration value="X"/><enumeration value="Y" access="readOnly"/></string></syntax></parameter>
              <parameter name="E" access="readOnly"><syntax><unsignedLong><range maxInclusive="18446744073709551615"/></unsignedLong></syntax></parameter>
            </object>
          </model>"""))
        sch = self.schema([f])
        a = self.param(sch, "Device.A").syntax
        self.assertEqual((a.base, a.datatype, a.sizes), ("string", "IPv4Address", [(None, 15)]))
        self.assertEqual(a.patterns, ["", "\\d+(\\.\\d+){3}"])
        self.assertEqual(self.param(sch, "Device.B").syntax.sizes, [(None, 20)])
        c = self.param(sch, "Device.C").syntax
        self.assertTrue(c.is_list)
        self.assertEqual((c.base, c.list_items), ("unsignedInt", (2, 2)))
        d = self.param(sch, "Device.D").syntax
        self.assertEqual((d.is_list, d.list_items, d.list_size), (True, (0, 8), [(None, 100)]))
        self.assertEqual(d.enums, [("X", False), ("Y", True)])
        self.assertEqual(self.param(sch, "Device.E").syntax.ranges, [(None, 2**64 - 1, None)])

    def test_import_search_path_and_corrigendum(self):
        self.write("tr-999-1-0-1-types.xml", doc('<dataType name="T"><int/></dataType>'), sub="lib")
        self.write("tr-999-1-0-2-types.xml", doc('<dataType name="T"><boolean/></dataType>'), sub="lib")
        f = self.write("m.xml", doc("""
          <import file="tr-999-1-0-types.xml" spec="urn:example-com:test"><dataType name="T"/><dataType name="U" ref="T"/></import>
          <model name="Device:2.0"><object name="Device." access="readOnly" minEntries="1" maxEntries="1">
            <parameter name="P" access="readOnly"><syntax><dataType ref="U"/></syntax></parameter>
          </object></model>"""))
        sch = self.schema([f], dirs=[os.path.join(self.dir, "lib")])
        # the latest corrigendum (-2) wins
        self.assertEqual(self.param(sch, "Device.P").syntax.base, "boolean")
        msg = self.error([f])
        self.assertIn("m.xml:4: error: imported file 'tr-999-1-0-types.xml' not found", msg)

    def test_import_model_components_and_base(self):
        self.write("base.xml", doc("""
          <component name="Stats">
            <parameter name="BytesSent" access="readOnly"><syntax><unsignedLong/></syntax></parameter>
            <object name="Detail." access="readOnly" minEntries="1" maxEntries="1">
              <parameter name="Errors" access="readOnly"><syntax><unsignedInt/></syntax></parameter>
            </object>
          </component>
          <model name="Device:2.0">
            <object name="Device." access="readOnly" minEntries="1" maxEntries="1">
              <parameter name="Keep" access="readOnly"><syntax><boolean/></syntax></parameter>
              <parameter name="Drop" access="readOnly"><syntax><boolean/></syntax></parameter>
            </object>
            <object name="Device.If.{i}." access="readOnly" minEntries="0" maxEntries="unbounded"/>
            <object name="Device.If.{i}.Stats." access="readOnly" minEntries="1" maxEntries="1"/>
            <object base="Device.If.{i}.">
              <component ref="Stats" path="Stats."/>
            </object>
          </model>"""))
        f = self.write("ext.xml", doc("""
          <import file="base.xml"><model name="Device:2.0"/><component name="Stats"/></import>
          <model name="Device:2.1" base="Device:2.0">
            <object base="Device." access="readOnly" minEntries="1" maxEntries="1">
              <parameter base="Keep" access="readWrite"/>
              <parameter name="Drop" access="readOnly" status="deleted"><syntax><boolean/></syntax></parameter>
              <component ref="Stats"/>
            </object>
          </model>"""))
        sch = self.schema([f])
        # the base model is not changed by the model built on it
        base_model = dmc.Loader().load(os.path.join(self.dir, "base.xml")).models["Device:2.0"]
        self.assertEqual(base_model.objects["Device."].params["Keep"].access, "readOnly")
        self.assertIn("BytesSent", sch.objects["Device.If.{i}.Stats."].params)
        self.assertIn("Errors", sch.objects["Device.If.{i}.Stats.Detail."].params)
        self.assertIn("Errors", sch.objects["Device.Detail."].params)
        self.assertEqual(self.param(sch, "Device.Keep").access, "readWrite")
        self.assertNotIn("Drop", sch.objects["Device."].params)

    def test_extra_patches_a_parameter(self):
        """An extension file changes attributes of a parameter defined in
        the root model (parameter base=), keeping the rest of it."""
        root = self.write("root.xml", ROOT)
        ext = self.write("ext.xml", doc("""
          <model name="X_ABCDEF_Device:1.0">
            <object base="Device.ManagementServer.">
              <parameter base="Password" access="readOnly" activeNotify="canDeny"/>
            </object>
          </model>"""))
        sch = self.schema([root], extras=[ext])
        p = self.param(sch, "Device.ManagementServer.Password")
        self.assertEqual((p.access, p.active_notify), ("readOnly", "canDeny"))
        self.assertTrue(p.syntax.hidden)
        self.assertEqual(p.syntax.sizes, [(None, 256)])
        bad = self.write("bad.xml", doc("""
          <model name="X_ABCDEF_Device:1.0">
            <object base="Device.ManagementServer.">
              <parameter base="Nope" access="readOnly"/>
            </object>
          </model>"""))
        self.assertIn("bad.xml:6: error: parameter base 'Device.ManagementServer.Nope' is not defined",
                      self.error([root], extras=[bad]))

    def test_extra_files_merge_rules(self):
        root = self.write("root.xml", ROOT)
        svc = self.write("svc.xml", SERVICE)
        vendor = self.write("vendor.xml", doc("""
          <model name="X_ABCDEF_Device:1.0">
            <object base="Device.ManagementServer." >
              <parameter name="X_ABCDEF_Debug" access="readWrite"><syntax><boolean/></syntax></parameter>
            </object>
            <object name="Device.X_ABCDEF_Radio." access="readOnly" minEntries="1" maxEntries="1">
              <parameter name="Power" access="readWrite"><syntax><int><range minInclusive="0" maxInclusive="20"/></int></syntax></parameter>
            </object>
          </model>"""))
        igd = self.write("igd.xml", doc("""
          <model name="InternetGatewayDevice:1.0">
            <object name="InternetGatewayDevice." access="readOnly" minEntries="1" maxEntries="1"/>
          </model>"""))
        svc2 = self.write("svc2.xml", doc("""
          <model name="ABCService:2.0" isService="true">
            <object name="ABCService.{i}." access="readOnly" minEntries="0" maxEntries="unbounded">
              <parameter name="New" access="readOnly"><syntax><boolean/></syntax></parameter>
            </object>
          </model>"""))
        loader = dmc.Loader()
        sch = dmc.build_schema(loader, "t", [root, svc], [vendor, igd, svc2])
        self.assertEqual(len(sch.notes), 3)
        self.assertIn("igd.xml: model InternetGatewayDevice:1.0 not merged: root InternetGatewayDevice", sch.notes)
        self.assertIn("svc2.xml: model ABCService:2.0 not merged: schema has ABCService:1.0", sch.notes)
        # a model merged into no schema at all is an error
        with self.assertRaises(dmc.DmcError) as cm:
            dmc.check_extras_used(loader, [sch], [vendor, igd, svc2])
        self.assertIn("igd.xml:4: error: model InternetGatewayDevice:1.0 fits none", str(cm.exception))
        self.assertIn("X_ABCDEF_Debug", sch.objects["Device.ManagementServer."].params)
        self.assertIn("Device.X_ABCDEF_Radio.", sch.objects)
        # another root and another major version of the service are not merged
        self.assertNotIn("New", sch.objects["Device.Services.ABCService.{i}."].params)
        self.assertEqual(sch.root, "Device")
        # an extension of an object nobody defines is an error with its line
        bad = self.write("bad.xml", doc("""
          <model name="X:1.0">
            <object base="Device.Nowhere." ><parameter name="P" access="readOnly"><syntax><int/></syntax></parameter></object>
          </model>"""))
        self.assertRegex(self.error([root], extras=[bad]),
                         r"bad\.xml:4: error: model X:1.0 fits none of the schemas "
                         r"\(object Device.Nowhere. is not defined\)")


class TestErrors(Base):
    def check(self, body, line, text, whole=False):
        f = self.write("e.xml", body if whole else doc(body))
        msg = self.error([f])
        self.assertIn("e.xml:%d: error: " % line, msg)
        self.assertIn(text, msg)

    def test_dtd_refused(self):
        self.check('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<dm:document xmlns:dm="%s"/>' % NS,
                   2, "DTD", whole=True)

    def test_external_entity_refused(self):
        self.check('<?xml version="1.0"?>\n<!DOCTYPE x SYSTEM "file:///etc/passwd">\n<x/>', 2, "DTD", whole=True)

    def test_malformed(self):
        self.check('<?xml version="1.0"?>\n<dm:document xmlns:dm="%s">\n<model>\n</dm:document>' % NS, 4,
                   "malformed XML", whole=True)

    def test_wrong_root(self):
        self.check('<?xml version="1.0"?>\n\n<document/>', 3, "root element must be dm:document", whole=True)

    def test_unknown_datatype(self):
        self.check("""<model name="D:1.0">
  <object name="D." access="readOnly" minEntries="1" maxEntries="1">
    <parameter name="P" access="readOnly"><syntax><dataType ref="Nope"/></syntax></parameter>
  </object></model>""", 5, "unknown dataType 'Nope'")

    def test_bad_range(self):
        self.check("""<model name="D:1.0">
  <object name="D." access="readOnly" minEntries="1" maxEntries="1">
    <parameter name="P" access="readOnly"><syntax><int>
      <range minInclusive="5" maxInclusive="1"/></int></syntax></parameter>
  </object></model>""", 6, "minInclusive 5 > maxInclusive 1")
        self.check("""<model name="D:1.0">
  <object name="D." access="readOnly" minEntries="1" maxEntries="1">
    <parameter name="P" access="readOnly"><syntax><unsignedInt>
      <range minInclusive="-1"/></unsignedInt></syntax></parameter>
  </object></model>""", 6, "outside unsignedInt")
        self.check("""<model name="D:1.0">
  <object name="D." access="readOnly" minEntries="1" maxEntries="1">
    <parameter name="P" access="readOnly"><syntax><string>
      <range minInclusive="1"/></string></syntax></parameter>
  </object></model>""", 6, "range facet on string")

    def test_bad_enumeration(self):
        self.check("""<model name="D:1.0">
  <object name="D." access="readOnly" minEntries="1" maxEntries="1">
    <parameter name="P" access="readOnly"><syntax><string>
      <enumeration value="A"/>
      <enumeration value="A"/></string></syntax></parameter>
  </object></model>""", 7, "duplicate enumeration value 'A'")

    def test_bad_attributes(self):
        self.check("""<model name="D:1.0">
  <object name="D." access="readOnly" minEntries="1" maxEntries="1">
    <parameter name="P" access="readOnly" activeNotify="always"><syntax><int/></syntax></parameter>
  </object></model>""", 5, "activeNotify='always'")
        self.check("""<model name="D:1.0">
  <object name="D." access="readOnly" minEntries="1" maxEntries="1">
    <parameter name="P" access="sometimes"><syntax><int/></syntax></parameter>
  </object></model>""", 5, "access='sometimes'")
        self.check("""<model name="D:1.0">
  <object name="D." access="readOnly" minEntries="1" maxEntries="1">
    <parameter name="Bad.Name" access="readOnly"><syntax><int/></syntax></parameter>
  </object></model>""", 5, "invalid parameter name")
        self.check("""<model name="D:1.0">
  <object name="D.T." access="readOnly" minEntries="0" maxEntries="unbounded"/>
  </model>""", 4, "must end with '{i}.'")
        self.check("""<model name="D:1.0">
  <object name="D." access="readOnly" minEntries="1" maxEntries="1">
    <parameter name="P" access="readOnly"/>
  </object></model>""", 5, "without syntax")
        self.check("""<model name="D:1.0">
  <object name="D." access="readOnly" minEntries="1" maxEntries="1">
    <parameter name="P" access="readOnly"><syntax><list maxItems="-1"/><int/></syntax></parameter>
  </object></model>""", 5, "minItems/maxItems")

    def test_missing_parent(self):
        self.check("""<model name="D:1.0">
  <object name="D." access="readOnly" minEntries="1" maxEntries="1"/>
  <object name="D.A.B." access="readOnly" minEntries="1" maxEntries="1"/>
  </model>""", 5, "parent D.A. is not defined")

    def test_import_cycle_and_component_recursion(self):
        self.write("a.xml", doc('<import file="b.xml"/>'))
        self.write("b.xml", doc('<import file="a.xml"/>'))
        msg = self.error([os.path.join(self.dir, "a.xml")])
        self.assertIn("import cycle", msg)
        self.check("""<component name="C"><component ref="C"/></component>
  <model name="D:1.0"><object name="D." access="readOnly" minEntries="1" maxEntries="1">
  <component ref="C"/></object></model>""", 3, "nested deeper")

    def test_import_path_refused(self):
        self.check('<import file="../etc/x.xml"/>', 3, "plain file name")

    def test_dangling_num_entries_is_a_warning(self):
        f = self.write("w.xml", doc("""<model name="D:1.0">
  <object name="D." access="readOnly" minEntries="1" maxEntries="1"/>
  <object name="D.T.{i}." access="readOnly" minEntries="0" maxEntries="unbounded" numEntriesParameter="TNumberOfEntries"/>
  </model>"""))
        sch = self.schema([f])
        self.assertIsNone(sch.objects["D.T.{i}."].num_entries_param)
        self.assertEqual(len(dmc.WARNINGS), 1)
        self.assertIn("w.xml:5: warning:", dmc.WARNINGS[0])


class TestHostileInput(Base):
    """Broken or hostile XML gives a DmcError (file:line), never a traceback."""

    def test_deep_nesting(self):
        f = self.write("deep.xml", doc("<a>" * 5000 + "</a>" * 5000))
        self.assertIn("deep.xml:3: error: elements nested deeper", self.error([f]))

    def test_mutations(self):
        import random

        rnd = random.Random(1234)  # deterministic
        pieces = ['"', "<", ">", "/>", "</object>", "<object name=\"X.{i}.\">", "{i}", ".", "unbounded",
                  "-1", "99999999999999999999", "&amp;", "&x;", "<![CDATA[", "<syntax>", "<list/>",
                  "<dataType ref=\"Y\"/>", "<component ref=\"Z\"/>", "\x00", "\u00e9", "base=\"A.\""]
        sources = [ROOT, SERVICE]
        ok = bad = 0
        for i in range(int(os.environ.get("DMC_MUTATIONS", "400"))):
            text = rnd.choice(sources)
            for _ in range(rnd.randint(1, 4)):
                pos = rnd.randrange(len(text))
                if rnd.random() < 0.5:
                    text = text[:pos] + rnd.choice(pieces) + text[pos:]
                else:
                    text = text[:pos] + text[pos + rnd.randint(1, 20):]
            f = self.write("m%d.xml" % i, text)
            try:
                sch = dmc.build_schema(dmc.Loader(), "t", [self.write("root.xml", ROOT), f])
                dmc.emit_c([sch], False)
                ok += 1
            except dmc.DmcError as e:
                self.assertRegex(str(e), r"(m%d\.xml:\d+: |root\.xml|^error: )" % i)
                bad += 1
        self.assertGreater(bad, 100)
        self.assertGreater(ok, 0)


class TestOutput(Base):
    def run_c(self, *extra):
        root = self.write("root.xml", ROOT)
        svc = self.write("svc.xml", SERVICE)
        out = os.path.join(self.dir, "out.c")
        err = io.StringIO()
        old = sys.stderr
        sys.stderr = err
        try:
            rc = dmc.main(["c", "-o", out, "--builtin", "--schema", "device2=%s,%s" % (root, svc)] + list(extra))
        finally:
            sys.stderr = old
        text = None
        if rc == 0:
            with open(out, encoding="utf-8") as f:
                text = f.read()
        return rc, text, err.getvalue()

    def test_c_output(self):
        rc, text, _ = self.run_c()
        self.assertEqual(rc, 0)
        self.assertIn("cwmp_dm_schema_builtin(enum cwmp_dm_model model)", text)
        self.assertIn("case CWMP_DM_MODEL_DEVICE2:", text)
        self.assertIn("CWMP__DM_READ_ONLY | CWMP__DM_NOTIFY_CAN_DENY | CWMP__DM_FORCED_INFORM | CWMP__DM_HAS_MAX", text)
        self.assertIn("CWMP__DM_TABLE", text)
        self.assertIn("CWMP__DM_CREATE | CWMP__DM_DELETE", text)
        # two ranges -> their hull
        self.assertIn("{INT64_C(-10), INT64_C(30), 0, 0, 0, CWMP__DM_NOSTR DMC_RANGES(0, 2)}", text)
        self.assertIn("{INT64_C(-10), INT64_C(10)},\n    {INT64_C(20), INT64_C(30)},", text)
        self.assertNotIn("Gone", text)
        # deterministic: a second run writes the same bytes
        _, text2, _ = self.run_c()
        self.assertEqual(text, text2)

    def test_c_errors(self):
        bad = self.write("bad.xml", "<nope")
        rc, _, err = self.run_c("--extra", bad)
        self.assertEqual(rc, 1)
        self.assertIn("bad.xml:1: error: malformed XML", err)
        rc, _, err = dmc_main_capture(["c", "-o", os.path.join(self.dir, "x.c"), "--schema", "Bad-Name=x.xml"])
        self.assertEqual(rc, 1)
        self.assertIn("C identifier", err)

    def test_builtins_with_vendor_and_official_xml(self):
        """What -Ddm_xml=... does: the example vendor file (and the official
        TR-196 / TR-181 XML when present) merged into the built-in schemas."""
        models = os.path.join(TOOLS, "..", "lib", "dm", "models")
        here = os.path.dirname(os.path.abspath(__file__))
        m = lambda *f: ",".join(os.path.join(models, x) for x in f)  # noqa: E731
        odd = self.write("odd.xml", doc("""
          <model name="X_0000FF_Device:1.0">
            <object base="Device.DeviceInfo.">
              <parameter name="X_0000FF_Odd" access="readWrite"><syntax><string>
                <enumeration value="\u00dcn\u00efcode"/><enumeration value="a&quot;b"/>
                <enumeration value="c\\d"/><enumeration value="'q'"/><enumeration value="??="/>
                <enumeration value="*/"/><pattern value="[a-z]+?"/></string>
                <default type="object" value="??="/></syntax></parameter>
            </object>
          </model>"""))
        extras = ["--extra", os.path.join(here, "data", "x-001122-vendor.xml"), "--extra", odd]
        official = STANDARDS and os.path.isdir(STANDARDS)
        if official:
            extras += ["--extra", os.path.join(STANDARDS, "tr-196-2-1-2-cwmp-full.xml")]
        out = os.path.join(self.dir, "b.c")
        stats = os.path.join(self.dir, "b.txt")
        rc, _, err = dmc_main_capture(
            ["c", "--builtin", "-I", models, "-o", out, "--stats", stats,
             "--schema", "device2=" + m("device-2.xml", "device-2-femto.xml", "fapservice-2.xml"),
             "--schema", "igd_issue1=" + m("igd-1.xml", "fapservice-1.xml")] + extras)
        self.assertEqual(rc, 0, err)
        with open(out, encoding="utf-8") as f:
            text = f.read()
        with open(stats, encoding="utf-8") as f:
            st = f.read()
        self.assertIn("/* Device.Services.FAPService.{i}.X_001122_LEDMode */", text)
        self.assertIn("/* InternetGatewayDevice.Services.FAPService.{i}.X_001122_Debug.LogLevel */", text)
        self.assertIn("/* Device.DeviceInfo.X_001122_BoardTemperature */", text)
        self.assertIn("'\\xc3', '\\x9c', 'n'", text)
        self.assertNotIn("InternetGatewayDevice.DeviceInfo.X_001122_BoardTemperature", text)
        self.assertIn("x-001122-vendor.xml: model X_001122_Device:1.0 not merged: root Device", st)
        if official:
            self.assertIn("CellConfig.CDMA2000", text)
            self.assertIn("tr-196-2-1-2-cwmp-full.xml: model FAPService:2.1 not merged: schema has FAPService:1.1", st)
        cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
        if cc:
            root = os.path.join(TOOLS, "..")
            r = subprocess.run([cc, "-std=c11", "-Wall", "-Wextra", "-Werror", "-fsyntax-only",
                                "-I", os.path.join(root, "include"), "-I", os.path.join(root, "lib"), out],
                               capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)

    def test_c_string_escaping(self):
        self.assertEqual(dmc.c_char(ord("'")), "'\\''")
        self.assertEqual(dmc.c_char(0xE9), "'\\xe9'")
        self.assertEqual(dmc.c_char(ord("a")), "'a'")
        self.assertEqual(dmc.c_string('a"b\\c??=d\n'), '"a\\"b\\\\c\\?\\?=d\\012"')
        self.assertEqual(dmc.combined_pattern(["", "x"]), "()|(x)")


def dmc_main_capture(argv):
    err = io.StringIO()
    old = sys.stderr
    sys.stderr = err
    try:
        rc = dmc.main(argv)
    finally:
        sys.stderr = old
    return rc, None, err.getvalue()


class TestSubset(Base):
    """tools/dm-subset.py: a selection of a model, facts only."""

    def test_subset(self):
        src = self.write("full.xml", doc("""
          <dataType name="Name64"><description>Prose that must not be copied.</description>
            <string><size maxLength="64"/></string></dataType>
          <model name="Device:2.0">
            <object name="Device." access="readOnly" minEntries="1" maxEntries="1">
              <description>Root prose.</description>
              <parameter name="TNumberOfEntries" access="readOnly"><syntax><unsignedInt/></syntax></parameter>
              <parameter name="UNumberOfEntries" access="readOnly"><syntax><unsignedInt/></syntax></parameter>
              <parameter name="Skip" access="readOnly"><syntax><boolean/></syntax></parameter>
            </object>
            <object name="Device.T.{i}." access="readWrite" minEntries="0" maxEntries="unbounded"
                numEntriesParameter="TNumberOfEntries">
              <parameter name="Name" access="readWrite" activeNotify="canDeny">
                <description>More prose.</description>
                <syntax><dataType ref="Name64"/><default type="object" value="x"/></syntax></parameter>
              <parameter name="Old" access="readOnly" status="deprecated"><syntax><int/></syntax></parameter>
            </object>
            <object name="Device.U.{i}." access="readOnly" minEntries="0" maxEntries="unbounded"
                numEntriesParameter="UNumberOfEntries"/>
          </model>"""))
        sel = self.write("sel.txt", "# comment\nDevice.T.{i}.\n")
        types = self.write("types.xml", doc('<dataType name="Name64"><string><size maxLength="64"/></string></dataType>',
                                              spec="urn:libcwmp:types"))
        out = os.path.join(self.dir, "out.xml")
        script = os.path.join(TOOLS, "dm-subset.py")
        r = subprocess.run([sys.executable, script, "--select", sel, "--types-ref", os.path.basename(types),
                            src, out], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, encoding="utf-8") as f:
            text = f.read()
        self.assertNotIn("prose", text.lower())
        self.assertNotIn("description", text)
        self.assertNotIn("Skip", text)  # not selected
        self.assertNotIn("UNumberOfEntries", text)  # counts an unselected table
        self.assertNotIn("Old", text)  # deprecated, not asked for
        sch = self.schema([out])
        self.assertEqual(list(sch.objects), ["Device.", "Device.T.{i}."])
        self.assertEqual(list(sch.objects["Device."].params), ["TNumberOfEntries"])
        p = self.param(sch, "Device.T.{i}.Name")
        self.assertEqual((p.access, p.active_notify, p.syntax.datatype, p.syntax.default),
                         ("readWrite", "canDeny", "Name64", ("object", "x")))
        bad = self.write("bad.txt", "Device.Nope.\n")
        r = subprocess.run([sys.executable, script, "--select", bad, src, out], capture_output=True, text=True)
        self.assertEqual(r.returncode, 1)
        self.assertIn("Device.Nope.", r.stderr)


class TestCrosscheckSkips(Base):
    def test_absent_standards_skip_visibly(self):
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "crosscheck.py")
        models = os.path.join(TOOLS, "..", "lib", "dm", "models")
        r = subprocess.run([sys.executable, script, TOOLS, models, os.path.join(self.dir, "absent")],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 77)
        self.assertIn("SKIP", r.stdout)


class TestCrosscheckCanFail(Base):
    """The cross-check must catch a wrong fact (guards against a test that
    always passes)."""

    def test_wrong_access_detected(self):
        if not STANDARDS or not os.path.isdir(STANDARDS):
            self.skipTest("official XML absent")
        models = os.path.join(TOOLS, "..", "lib", "dm", "models")
        mine = os.path.join(self.dir, "models")
        shutil.copytree(models, mine)
        p = os.path.join(mine, "fapservice-2.xml")
        text = open(p, encoding="utf-8").read()
        needle = '<parameter name="AdminState" access="readWrite">'
        self.assertIn(needle, text)
        with open(p, "w", encoding="utf-8") as f:
            f.write(text.replace(needle, '<parameter name="AdminState" access="readOnly">', 1))
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "crosscheck.py")
        r = subprocess.run([sys.executable, script, TOOLS, mine, STANDARDS], capture_output=True, text=True)
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("AdminState", r.stdout)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
