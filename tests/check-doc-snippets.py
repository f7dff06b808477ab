#!/usr/bin/env python3
"""Compiles every ```c block of the given Markdown files as its own
translation unit (-Wall -Wextra -Werror, public headers only), so the
examples users copy from README.md and doc/ keep building.
Usage: check-doc-snippets.py INCLUDE_DIR COMPILER... -- FILE.md..."""
import os
import re
import subprocess
import sys
import tempfile

args = sys.argv[1:]
sep = args.index('--')
inc, compiler, files = args[0], args[1:sep], args[sep + 1:]
failed = count = 0
with tempfile.TemporaryDirectory() as tmp:
    for md in files:
        text = open(md, encoding='utf-8').read()
        for i, m in enumerate(re.finditer(r'^```c\n(.*?)^```', text, re.S | re.M)):
            count += 1
            src = os.path.join(tmp, 'snippet%d.c' % count)
            with open(src, 'w', encoding='utf-8') as f:
                f.write(m.group(1))
            line = text.count('\n', 0, m.start()) + 1
            cmd = compiler + ['-std=c11', '-Wall', '-Wextra', '-Werror',
                              '-Wno-unused-function', '-I', inc, '-c', src,
                              '-o', src + '.o']
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode != 0:
                failed += 1
                print('%s:%d: C snippet does not compile:\n%s' % (md, line, r.stderr))
            else:
                print('%s:%d: ok' % (md, line))
print('%d snippets, %d failed' % (count, failed))
sys.exit(1 if failed or count == 0 else 0)
