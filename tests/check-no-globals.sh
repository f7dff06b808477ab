#!/bin/sh
# Fails when the library defines symbols in writable data sections (.data,
# .bss, thread-local .tdata/.tbss): libcwmp keeps no global or static
# mutable state. Read-only-after-relocation data (.data.rel.ro, e.g. a const
# table of function pointers) is allowed.
# Usage: check-no-globals.sh OBJDUMP LIBRARY
set -eu
objdump_bin=$1
lib=$2
bad=$("$objdump_bin" -t "$lib" | awk '
  $0 ~ /[[:space:]](\.data|\.bss|\.tdata|\.tbss)[[:space:]]/ &&
  $NF !~ /^(__bss_start|_edata|_end|__dso_handle|__TMC_END__|completed\.[0-9]+|__data_start|data_start)$/ {print}')
if [ -n "$bad" ]; then
  echo "writable data symbols in $lib:"
  echo "$bad"
  exit 1
fi
echo "no writable data symbols in $lib"
