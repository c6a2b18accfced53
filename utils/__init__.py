"""Shared helpers for the notebooks: profiles, data, seeding, results, plots, exercises.

Import ``utils`` before ``keras``: it quiets TensorFlow's C++ log noise, which only
works if the variable is set before TensorFlow loads.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide TF's INFO/WARNING C++ logs
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")  # no oneDNN banner, bit-stable CPU maths

from utils.profiles import ProfileError, RunConfig, resolve_profile  # noqa: E402
from utils.repro import seed_everything  # noqa: E402
from utils.results import record_results  # noqa: E402

__all__ = ["ProfileError", "RunConfig", "resolve_profile", "seed_everything", "record_results"]
