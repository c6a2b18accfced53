"""Test set-up: smoke profile, a throw-away Keras home and the offline mirror.

These variables must be set before Keras is imported, so they are set here at import.
``make test`` sets the same ones; running ``pytest`` by hand gets them from here.
"""

import hashlib
import os
import sys
import tempfile
from dataclasses import dataclass
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
def fashion_mnist(mirror):
    """Fashion-MNIST as ((60000, 784), labels), ((10000, 784), labels): float32 pixels in [0, 1].

    Loaded once for the whole run; tests take slices or subsets and must not modify it in place.
    ``x.reshape(-1, 28, 28)`` gives the images back without a copy.
    """
    from utils.data import load_fashion_mnist

    def flat(x):
        return (x.reshape(len(x), -1) / 255.0).astype("float32")

    (x_train, y_train), (x_test, y_test) = load_fashion_mnist()
    return (flat(x_train), y_train), (flat(x_test), y_test)


@pytest.fixture(scope="session")
def fashion_flat(fashion_mnist):
    """Fashion-MNIST's 60,000 training images as (60000, 784) float32 pixels in [0, 1], and their labels."""
    return fashion_mnist[0]


@dataclass(frozen=True)
class SmokeRun:
    """What one headless smoke run (``course.runner.main``, i.e. ``make run``) of a notebook left behind."""

    status: int  # runner.main's exit status
    build: Path  # runner.BUILD during the run: results.json, results.md and results/<stem>.json
    executed: Path  # the executed copy of the notebook
    source: Path  # the notebook in notebooks/
    source_sha256_before: str  # the source's digest before the run (the run must not change it)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def smoke_run_00(tmp_path_factory) -> SmokeRun:
    """Notebook 00 executed once for the whole test session, in the smoke profile, through ``runner.main``.

    Tests that need an executed notebook 00 (its results, its outputs, the site built from it)
    share this copy instead of executing it again. Nothing outside a temporary folder is written,
    and the runner restores the environment it gives the kernel.
    """
    from course import runner

    build = tmp_path_factory.mktemp("smoke_run_00")
    (source,) = runner.select_notebooks(["00"])
    before = _sha256(source)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(runner, "BUILD", build)
        status = runner.main(["--nb", source.stem, "--profile", "smoke", "--output", str(build / "executed")])
    return SmokeRun(status=status, build=build, executed=build / "executed" / source.name, source=source,
                    source_sha256_before=before)
