"""Shared helpers for the notebooks: profiles, data, seeding, results, plots, exercises.

Import ``utils`` before ``keras``: it quiets TensorFlow's C++ log noise, which only works
if it happens before TensorFlow loads. Set ``KERAS_BACKEND`` (tensorflow, jax or torch)
before importing either.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # hide TF's C++ INFO/WARNING/ERROR logs
from utils.backend import choose_cpu_kernels, quiet_tensorflow_import  # noqa: E402

choose_cpu_kernels()  # oneDNN off (the course's default) unless the notebook set COURSE_FAST_CPU_KERNELS=1
quiet_tensorflow_import()

from utils.progress import fit_verbose  # noqa: E402
from utils.profiles import ProfileError, RunConfig, resolve_profile, start_notebook  # noqa: E402
from utils.repro import seed_everything  # noqa: E402
from utils.results import record_results  # noqa: E402

__all__ = ["fit_verbose", "ProfileError", "RunConfig", "resolve_profile", "start_notebook", "seed_everything", "record_results"]
