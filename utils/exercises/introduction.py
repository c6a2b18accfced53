"""Checks for notebook 00 (introduction): reading the published ILSVRC and LFW numbers."""

from __future__ import annotations

from typing import Any

from utils.exercises import report

# The published figures the notebook tabulates (top-5 error in %, LFW accuracy in %).
_ILSVRC_TOP5 = {2010: 28.2, 2011: 25.8, 2012: 15.3, 2013: 11.7, 2014: 6.7, 2015: 3.57}
_FIRST_DEEP_WINNER = 2012
_HUMAN_TOP5 = 5.1
_DEEPFACE_ACCURACY = 97.35
_LFW_TEST_PAIRS = 6000


def _year(answer: Any) -> int:
    if isinstance(answer, bool) or float(answer) != int(answer):
        raise ValueError("a year is a whole number")
    return int(answer)


def _within(expected: float, tolerance: float):
    """A predicate: a plain number within ``tolerance`` of ``expected`` (the rounding the prompt asks for)."""
    return lambda answer: not isinstance(answer, bool) and abs(float(answer) - expected) <= tolerance


def check_error_factor(answer: Any) -> bool | None:
    """answer = top-5 error of 2011's winner divided by 2015's (7.23), to one decimal.

    7.2 is accepted, and so is 7.17 from the rounded 3.6 % of the Markdown table.
    """
    return report("How much better", answer, _within(_ILSVRC_TOP5[2011] / _ILSVRC_TOP5[2015], 0.065),
                  "A factor is a ratio, not a difference: divide the older (larger) error by the newer one.")


def check_first_deep_year(answer: Any) -> bool | None:
    """answer = the first year a deep convolutional network won ILSVRC."""
    return report("The turning point", answer, lambda a: _year(a) == _FIRST_DEEP_WINNER,
                  "Look for the year the bars change colour in the ILSVRC chart.")


def check_first_below_human(answer: Any) -> bool | None:
    """answer = the first year the winning top-5 error was below the human annotator's 5.1 %."""
    first = min(year for year, error in _ILSVRC_TOP5.items() if error < _HUMAN_TOP5)
    return report("Below the human reference", answer, lambda a: _year(a) == first,
                  "Compare each winner's error with 5.1 %: it must be strictly below it, not just close.")


def check_deepface_wrong_pairs(answer: Any) -> bool | None:
    """answer = how many of LFW's 6,000 test pairs DeepFace got wrong, to the nearest pair (159)."""
    expected = _LFW_TEST_PAIRS * (100 - _DEEPFACE_ACCURACY) / 100
    return report("DeepFace's mistakes", answer, _within(expected, 0.5),
                  "Start from DeepFace's accuracy in %: what share of the pairs is wrong, and how many pairs "
                  "is that share of all 6,000 (not of one fold)?")
