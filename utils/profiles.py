"""Run profiles: one notebook, two sizes ("full" for students, "smoke" for CI).

A notebook's ``parameters`` cell holds ``profile``, ``seed`` and its own knobs. Each knob
is ``None`` ("the profile's choice") or a value that overrides the profile. Only sizes
change between profiles, never the code path.
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Mapping

PROFILES = ("full", "smoke")
DEFAULT_PROFILE = "full"
PROFILE_ENV = "COURSE_PROFILE"


class ProfileError(ValueError):
    """A bad profile name or parameter value; the message names the fix."""


@dataclass
class RunConfig:
    """The resolved settings of one notebook run. Knobs read as attributes: ``cfg.epochs``."""

    notebook: str
    profile: str
    seed: int
    sizes: dict[str, Any] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def __getattr__(self, name: str) -> Any:
        sizes = self.__dict__.get("sizes", {})
        if name in sizes:
            return sizes[name]
        raise AttributeError(f"RunConfig has no setting {name!r}; known: {sorted(sizes)}")

    def elapsed(self) -> float:
        """Seconds since the profile was resolved (the notebook's wall time so far)."""
        return time.perf_counter() - self.started

    def __str__(self) -> str:
        from utils.backend import backend_name

        knobs = " ".join(f"{k}={v}" for k, v in self.sizes.items())
        return f"{self.notebook}: profile={self.profile} seed={self.seed} backend={backend_name()} | {knobs}"


def _check_profile(profile: str | None) -> str:
    if profile is None:
        profile = os.environ.get(PROFILE_ENV) or DEFAULT_PROFILE
        source = f"the environment variable {PROFILE_ENV}" if os.environ.get(PROFILE_ENV) else "the default"
    else:
        source = "the parameter `profile`"
    if profile not in PROFILES:
        raise ProfileError(
            f"Unknown profile {profile!r} (from {source}). Allowed values: {', '.join(map(repr, PROFILES))}. "
            f"Set `profile = \"full\"` in the parameters cell, or pass `-p profile smoke` to papermill."
        )
    return profile


def _check_value(name: str, value: Any, default: Any) -> Any:
    if value is None:
        return default
    if isinstance(default, bool) or isinstance(value, bool):
        if not isinstance(value, bool):
            raise ProfileError(f"Parameter `{name}` must be True or False, got {value!r}.")
        return value
    if isinstance(default, (int, float)):
        if not isinstance(value, (int, float)):
            raise ProfileError(f"Parameter `{name}` must be a number, got {value!r}.")
        if isinstance(default, int) and not isinstance(value, int):
            raise ProfileError(f"Parameter `{name}` must be a whole number, got {value!r}.")
        if value <= 0:
            raise ProfileError(
                f"Parameter `{name}` must be positive, got {value!r}. "
                f"Use a value > 0, or None for the profile's choice ({default!r})."
            )
    return value


def resolve_profile(
    notebook: str,
    profile: str | None,
    seed: int,
    defaults: Mapping[str, Mapping[str, Any]],
    **knobs: Any,
) -> RunConfig:
    """Resolve a notebook's profile and knobs into a :class:`RunConfig`.

    ``profile=None`` reads ``$COURSE_PROFILE`` and falls back to ``"full"``; an explicit
    value (e.g. papermill's ``-p profile smoke``) wins over the environment.
    ``defaults`` maps each profile to its knob values; ``knobs`` are the parameter-cell
    values, where ``None`` keeps the profile's value.
    """
    profile = _check_profile(profile)
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ProfileError(f"Parameter `seed` must be a non-negative whole number, got {seed!r}.")
    missing = [p for p in PROFILES if p not in defaults]
    if missing:
        raise ProfileError(f"{notebook}: no sizes defined for profile(s) {missing}.")
    table = dict(defaults[profile])
    unknown = sorted(set(knobs) - set(table))
    if unknown:
        raise ProfileError(f"Unknown parameter(s) {unknown}; this notebook's knobs are {sorted(table)}.")
    sizes = {name: _check_value(name, knobs.get(name), default) for name, default in table.items()}
    config = RunConfig(notebook=notebook, profile=profile, seed=seed, sizes=sizes)
    return config
