"""Test set-up: smoke profile, a throw-away Keras home and the offline mirror.

These variables must be set before Keras is imported, so they are set here at import.
``make test`` sets the same ones; running ``pytest`` by hand gets them from here.
"""

import os
import sys
import tempfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

os.environ.setdefault("COURSE_PROFILE", "smoke")
os.environ.setdefault("COURSE_HEADLESS", "1")  # Keras prints a line per epoch, not a live bar
os.environ.setdefault("KERAS_HOME", tempfile.mkdtemp(prefix="keras_home_"))
os.environ.setdefault("COURSE_RESULTS_DIR", tempfile.mkdtemp(prefix="results_"))
_shared = REPO_ROOT.parent / "shared" / "datasets"
if "COURSE_DATA_MIRROR" not in os.environ and _shared.is_dir():
    os.environ["COURSE_DATA_MIRROR"] = str(_shared)

import matplotlib  # noqa: E402

# Agg for figures drawn in this process only. MPLBACKEND stays unset so that notebook
# kernels (nbval, JupyterLab) keep the inline backend and really render every figure:
# a bad LaTeX label, for instance, only fails when the figure is drawn.
matplotlib.use("Agg")
os.environ.pop("MPLBACKEND", None)

import utils  # noqa: E402,F401  (quiets TensorFlow before any test imports Keras)


@pytest.fixture(scope="session")
def mirror() -> Path:
    """The offline data mirror; tests that need real data skip without it."""
    value = os.environ.get("COURSE_DATA_MIRROR")
    if not value or not Path(value).is_dir():
        pytest.skip("no data mirror: set COURSE_DATA_MIRROR (CI uses ../shared/datasets)")
    return Path(value)


@pytest.fixture(scope="session")
def fashion_flat(mirror):
    """Fashion-MNIST's 60,000 training images as (60000, 784) float32 pixels in [0, 1], and their labels.

    Loaded once for the whole run; tests take slices or subsets and must not modify it in place.
    """
    from utils.data import load_fashion_mnist

    (x, y), _ = load_fashion_mnist()
    return (x.reshape(len(x), -1) / 255.0).astype("float32"), y
