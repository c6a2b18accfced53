"""Claim checks: a sentence that states a measured result, judged on this run's own numbers.

A notebook writes the sentence in its "What to notice" text and, under it, a claim cell::

    claim(cfg, "momentum needs fewer steps than SGD", steps_momentum < steps_sgd,
          momentum=steps_momentum, sgd=steps_sgd)

It prints ✔ or ✘ with the numbers and keeps the verdict on the run config, so that
:func:`utils.results.record_results` writes every claim into the notebook's record (claims
checked after the last ``record_results`` call are added to the record as they come).
In the smoke profile the sizes are too small to prove anything: the verdict is printed
as information only.

A claim that needs the full sizes to show (more data, more epochs) says why with
``full_only="the 0.90 accuracy needs the full data"``. The full profile judges it like any other;
the class profile prints its verdict, then the reason, and records the reason with it (the class
claims table lists it as full-only, not as failed).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from utils.profiles import RunConfig

FAILED_MEANS = ("  ✘ means the lesson did not show in this run: look at the figure, try another seed, "
                "and report it if it keeps failing.")
FULL_ONLY_NOTE = "  (full-only: {reason}; this lesson is judged on the full profile)"
SMOKE_NOTE = "  (smoke profile: claims are judged at full size; smoke sizes prove nothing, so this verdict is for information only)"


def _format(value: Any) -> str:
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.3g}"
    return str(value)


def _plain(value: Any) -> Any:
    """A JSON-friendly copy of a number (NumPy scalars become Python ones)."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    return str(value)


def claims_of(config: RunConfig) -> list[dict[str, Any]]:
    """The claims judged so far in this run (a list kept on the config)."""
    return vars(config).setdefault("claims", [])


def claim(config: RunConfig, sentence: str, condition: Any, full_only: str | None = None, **numbers: Any) -> bool:
    """Print ✔/✘ for ``sentence`` judged by ``condition``, with ``numbers``; store it; return the verdict.

    ``full_only``: why the class profile cannot show this lesson (read in the class profile only).
    """
    held = bool(condition)
    shown = ", ".join(f"{name}={_format(value)}" for name, value in numbers.items())
    print(f"{'✔' if held else '✘'} {sentence}" + (f" ({shown})" if shown else ""))
    marked = full_only if config.profile == "class" and full_only else None
    if config.profile == "smoke":
        print(SMOKE_NOTE)
    elif marked:
        print(FULL_ONLY_NOTE.format(reason=marked))
    elif not held:
        print(FAILED_MEANS)
    item = {"sentence": sentence, "held": held, "numbers": {k: _plain(v) for k, v in numbers.items()}}
    if marked:
        item["full_only"] = marked
    claims_of(config).append(item)
    from utils.results import save_claims  # here: utils.results imports this module's neighbours only

    save_claims(config)
    return held
