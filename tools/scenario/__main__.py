"""`python3 tools/scenario BUILD_DIR`: the F1-F13 demo (see flows.py)."""
import os
import sys

sys.dont_write_bytecode = True  # never leave __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from flows import main  # noqa: E402

sys.exit(main())
