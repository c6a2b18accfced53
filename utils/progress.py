"""How much Keras prints while training: a live progress bar for a person, one line per epoch headless.

    model.fit(x, y, epochs=5, verbose=fit_verbose())

A live bar redraws itself many times a second; in a notebook run headless (papermill, nbval,
CI) every redraw lands in the saved output, so there Keras prints one line per epoch instead.
"""

from __future__ import annotations

import os
import sys

HEADLESS_ENV = "COURSE_HEADLESS"
# Set by course.runner and tests/conftest.py (COURSE_HEADLESS), by pytest (PYTEST_CURRENT_TEST,
# inherited by the kernels nbval starts) and by CI services (CI).
_HEADLESS_MARKERS = (HEADLESS_ENV, "PYTEST_CURRENT_TEST", "CI")


def is_headless() -> bool:
    """True when nobody watches the output live: a headless run, a test, CI, or no terminal or kernel."""
    for name in _HEADLESS_MARKERS:
        value = os.environ.get(name, "").strip().lower()
        if value and value not in {"0", "false", "no"}:
            return True
    in_kernel = "ipykernel" in sys.modules
    return not in_kernel and not (hasattr(sys.stdout, "isatty") and sys.stdout.isatty())


def fit_verbose() -> int | str:
    """Keras's ``verbose=`` for ``fit``: ``"auto"`` (live bar) for a person, ``2`` (a line per epoch) headless."""
    return 2 if is_headless() else "auto"
