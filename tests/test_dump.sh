#!/bin/sh
# cwmp-dump on good and bad input: exit status, output, one-line errors.
#   test_dump.sh CWMP_DUMP DATA_DIR
set -u
dump=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
failures=0
n=0

check() { # description, condition (already evaluated: 0 = pass)
  n=$((n + 1))
  if [ "$2" -eq 0 ]; then
    echo "ok $n - $1"
  else
    echo "not ok $n - $1"
    failures=$((failures + 1))
  fi
}

run() { # args...: runs cwmp-dump, sets $rc, out in $tmp/out, err in $tmp/err
  "$dump" "$@" > "$tmp/out" 2> "$tmp/err"
  rc=$?
}

lines() { wc -l < "$1" | tr -d ' '; }

good="$data/envelopes/inform-boot.xml"

# A good envelope: exit 0, the dump on stdout, nothing on stderr.
run "$good"
check "good file: exit 0" "$([ $rc -eq 0 ]; echo $?)"
check "good file: dump names the method" "$(grep -q 'Inform' "$tmp/out"; echo $?)"
check "good file: dump has a parameter" \
  "$(grep -q 'Device.Services.FAPService.1.CellConfig.LTE.RAN.RF.EARFCNDL' "$tmp/out"; echo $?)"
check "good file: stderr empty" "$([ ! -s "$tmp/err" ]; echo $?)"
cp "$tmp/out" "$tmp/dump-file"

# The same from stdin, with and without "-".
"$dump" < "$good" > "$tmp/dump-stdin" 2> /dev/null
check "stdin: same dump" "$(cmp -s "$tmp/dump-file" "$tmp/dump-stdin"; echo $?)"
"$dump" - < "$good" > "$tmp/dump-stdin2" 2> /dev/null
check "stdin '-': same dump" "$(cmp -s "$tmp/dump-file" "$tmp/dump-stdin2"; echo $?)"

# --reencode: XML out, and it decodes (strict) to the same message.
run --reencode "$good"
check "reencode: exit 0" "$([ $rc -eq 0 ]; echo $?)"
check "reencode: XML output" "$(grep -q 'Envelope' "$tmp/out"; echo $?)"
cp "$tmp/out" "$tmp/re.xml"
run --strict "$tmp/re.xml"
check "reencode: output decodes in strict mode" "$([ $rc -eq 0 ]; echo $?)"
grep -v -i '^warning' "$tmp/dump-file" > "$tmp/a"
grep -v -i '^warning' "$tmp/out" > "$tmp/b"
check "reencode: same message after a round trip" "$(cmp -s "$tmp/a" "$tmp/b"; echo $?)"

# Every golden envelope (tests/data/envelopes: <name>.xml plus .expected,
# .encoded, .error, .strict, .encode-error, see tests/test_codec.c) gives
# exactly the golden output through cwmp-dump.
detail_of() { sed -n 2p "$1"; } # line 2 of an .error/.strict file
for f in "$data"/envelopes/*.xml; do
  b=${f%.xml}
  name=${f##*/}
  run "$f"
  if [ -f "$b.error" ]; then
    check "golden $name: refused, exit 1" "$([ $rc -eq 1 ]; echo $?)"
    check "golden $name: one line" "$([ "$(lines "$tmp/err")" -eq 1 ]; echo $?)"
    check "golden $name: names the problem" "$(grep -qF "$(detail_of "$b.error")" "$tmp/err"; echo $?)"
    continue
  fi
  check "golden $name: exit 0" "$([ $rc -eq 0 ]; echo $?)"
  if [ -f "$b.expected" ]; then
    check "golden $name: dump = .expected" "$(cmp -s "$tmp/out" "$b.expected"; echo $?)"
  fi
  run --reencode "$f"
  if [ -f "$b.encode-error" ]; then
    check "golden $name: --reencode refused, exit 1" "$([ $rc -eq 1 ]; echo $?)"
    check "golden $name: --reencode names the problem" \
      "$(grep -qF "$(detail_of "$b.encode-error")" "$tmp/err"; echo $?)"
  elif [ -f "$b.encoded" ]; then
    check "golden $name: --reencode = .encoded" "$(cmp -s "$tmp/out" "$b.encoded"; echo $?)"
  fi
  run --strict "$f"
  if [ -f "$b.strict" ]; then
    check "golden $name: --strict refused, exit 1" "$([ $rc -eq 1 ]; echo $?)"
    check "golden $name: --strict names the deviation" \
      "$(grep -qF "$(detail_of "$b.strict")" "$tmp/err"; echo $?)"
  else
    check "golden $name: --strict accepted" "$([ $rc -eq 0 ]; echo $?)"
  fi
done

# Bad input: exit 1, nothing on stdout, ONE line on stderr naming the file.
# (Strict mode: invalid-utf8.xml is accepted, repaired, in lenient mode.)
for f in "$data"/hostile/*.xml; do
  name=${f##*/}
  if [ "$name" = invalid-utf8.xml ]; then
    run --strict "$f"
  else
    run "$f"
  fi
  check "bad $name: exit 1" "$([ $rc -eq 1 ]; echo $?)"
  check "bad $name: stdout empty" "$([ ! -s "$tmp/out" ]; echo $?)"
  check "bad $name: one line on stderr" "$([ "$(lines "$tmp/err")" -eq 1 ]; echo $?)"
  check "bad $name: the line names the file" "$(grep -q "$name" "$tmp/err"; echo $?)"
done
run "$data/hostile/missing-argument.xml"
check "missing argument: the line names the element" "$(grep -q 'NextLevel' "$tmp/err"; echo $?)"
run "$data/hostile/billion-laughs.xml"
check "DTD: the line says so" "$(grep -qi 'DTD\|DOCTYPE\|entit' "$tmp/err"; echo $?)"

# Byte offsets are translated into line and column.
run --strict "$data/hostile/invalid-utf8.xml"
check "offset: line and column given" "$(grep -q '(line 5, column 50)' "$tmp/err"; echo $?)"

# Empty input.
run /dev/null
check "empty input: exit 1" "$([ $rc -eq 1 ]; echo $?)"
check "empty input: one line" "$([ "$(lines "$tmp/err")" -eq 1 ]; echo $?)"

# Lenient vs strict on a quirky (but decodable) capture.
q="$data/hostile/invalid-utf8.xml"
run --strict "$q"
check "invalid UTF-8, strict: exit 1" "$([ $rc -eq 1 ]; echo $?)"
printf '%s' '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><soap:Body><cwmp:GetParameterNames><ParameterPath>Device.Bad' > "$tmp/q.xml"
printf '\377' >> "$tmp/q.xml"
printf '%s' '</ParameterPath><NextLevel>true</NextLevel></cwmp:GetParameterNames></soap:Body></soap:Envelope>' >> "$tmp/q.xml"
run "$tmp/q.xml"
check "invalid UTF-8, lenient: exit 0" "$([ $rc -eq 0 ]; echo $?)"
check "invalid UTF-8, lenient: a warning is listed" "$(grep -qi 'warning' "$tmp/out"; echo $?)"
run --reencode "$tmp/q.xml"
check "invalid UTF-8, reencode: warning on stderr" "$(grep -qi 'warning' "$tmp/err"; echo $?)"
check "invalid UTF-8, reencode: U+FFFD in the output" "$(grep -q "$(printf '\357\277\275')" "$tmp/out"; echo $?)"
run --strict "$tmp/q.xml"
check "invalid UTF-8, strict: exit 1" "$([ $rc -eq 1 ]; echo $?)"
check "invalid UTF-8, strict: one line" "$([ "$(lines "$tmp/err")" -eq 1 ]; echo $?)"

# Usage errors: exit 2.
run --no-such-option "$good"
check "unknown option: exit 2" "$([ $rc -eq 2 ]; echo $?)"
run "$tmp/does-not-exist.xml"
check "missing file: exit 2" "$([ $rc -eq 2 ]; echo $?)"
check "missing file: one line" "$([ "$(lines "$tmp/err")" -eq 1 ]; echo $?)"
run "$good" "$good"
check "two files: exit 2" "$([ $rc -eq 2 ]; echo $?)"
run --help
check "--help: exit 0 and usage" "$([ $rc -eq 0 ] && grep -q usage "$tmp/out"; echo $?)"

echo "1..$n"
[ "$failures" -eq 0 ]
