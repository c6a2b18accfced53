"""Run profiles: one notebook, three sizes.

- ``full`` (the default): what students run; every lesson claim holds in it (3 of 3 seeds).
- ``class``: for a lecture on a 2-core laptop: each notebook in at most 3 minutes, no cell over
  60 s, and its claims still hold, except those marked ``full_only="reason"`` (:mod:`utils.claims`).
- ``smoke``: seconds, for CI (at most 30 s a notebook); its claims prove nothing.

A notebook's ``parameters`` cell holds ``profile``, ``seed`` and its own knobs. Each knob
is ``None`` ("the profile's choice") or a value that overrides the profile. The next cell,
tagged ``profile-sizes``, holds only the literal ``SIZES`` table: one row per knob, one
column per profile. Adding a profile means adding its name to :data:`PROFILES` and one value
to every row. Only sizes change between profiles, never the code path.
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Mapping

PROFILES = ("full", "class", "smoke")
# The tag of the notebook cell that holds only the literal SIZES table.
SIZES_TAG = "profile-sizes"
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
            f"Set `profile = \"full\"` in the parameters cell, or {PROFILE_ENV}=class in the environment."
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


def _check_sizes(notebook: str, sizes: Mapping[str, Mapping[str, Any]]) -> None:
    """Every knob needs one value per profile, and only known profiles are allowed as columns."""
    for name, per_profile in sizes.items():
        if not isinstance(per_profile, Mapping):
            raise ProfileError(
                f"{notebook}: SIZES[{name!r}] must map each profile to a value, e.g. "
                f"{{{', '.join(f'{p!r}: ...' for p in PROFILES)}}}; got {per_profile!r}."
            )
        missing = [p for p in PROFILES if p not in per_profile]
        unknown = sorted(set(per_profile) - set(PROFILES))
        if missing or unknown:
            raise ProfileError(
                f"{notebook}: knob `{name}` must give one value for each profile {list(PROFILES)}; "
                + (f"missing {missing}" if missing else "")
                + ("; " if missing and unknown else "")
                + (f"unknown profile(s) {unknown}" if unknown else "")
                + "."
            )


def resolve_profile(
    notebook: str,
    profile: str | None,
    seed: int,
    sizes: Mapping[str, Mapping[str, Any]],
    **knobs: Any,
) -> RunConfig:
    """Resolve a notebook's profile and knobs into a :class:`RunConfig`.

    ``profile=None`` reads ``$COURSE_PROFILE`` and falls back to ``"full"``; an explicit
    value (e.g. papermill's ``-p profile smoke``) wins over the environment.
    ``sizes`` has one row per knob and one column per profile,
    ``{"epochs": {"full": 12, "class": 4, "smoke": 1}, ...}``; ``knobs`` are the parameter-cell values,
    where ``None`` keeps the profile's value.
    """
    profile = _check_profile(profile)
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ProfileError(f"Parameter `seed` must be a non-negative whole number, got {seed!r}.")
    _check_sizes(notebook, sizes)
    unknown = sorted(set(knobs) - set(sizes))
    if unknown:
        raise ProfileError(f"Unknown parameter(s) {unknown}; this notebook's knobs are {sorted(sizes)}.")
    values = {name: _check_value(name, knobs.get(name), per_profile[profile]) for name, per_profile in sizes.items()}
    return RunConfig(notebook=notebook, profile=profile, seed=seed, sizes=values)


def start_notebook(notebook: str, sizes: Mapping[str, Mapping[str, Any]], params: Mapping[str, Any]) -> RunConfig:
    """The setup every notebook shares; returns the resolved :class:`RunConfig`.

    ``params`` is the notebook's ``globals()``: it reads ``profile``, ``seed`` and one variable per
    knob of ``sizes`` (as the parameters cell, or papermill, set them), resolves them with
    :func:`resolve_profile`, seeds every random generator, sets the classroom plot style and
    prints the configuration in one line.
    """
    from utils.plots import use_classroom_style
    from utils.repro import seed_everything

    missing = [name for name in ("profile", "seed", *sizes) if name not in params]
    if missing:
        raise ProfileError(
            f"{notebook}: the parameters cell does not set {missing}; add a line such as "
            f"`{missing[0]} = None` to it (None: the profile's value)."
        )
    config = resolve_profile(notebook, params["profile"], params["seed"], sizes,
                             **{name: params[name] for name in sizes})
    seed_everything(config.seed)
    use_classroom_style()
    print(config)
    return config
