"""Puts ``tests/`` on ``sys.path`` so that benchmarks share the test helpers in
``tests/support`` (synthetic graphs, server launchers), which are not part of the installed
package. Import it first: ``import _paths  # noqa: F401``."""

import sys
from pathlib import Path

_TESTS = str(Path(__file__).resolve().parents[1] / "tests")
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)
