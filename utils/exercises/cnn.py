"""Exercise checks for notebook 07 (convolutional networks on CIFAR-10)."""

from __future__ import annotations

from typing import Any

from utils.exercises import close_to, report


def _whole(expected: int):
    def predicate(answer: Any) -> bool:
        return not isinstance(answer, bool) and float(answer) == float(expected)

    return predicate


def check_output_size(answer: Any) -> bool | None:
    """Output width of a 7x7, P=3, S=2 convolution on a 63-wide input."""
    return report(
        "Output size", answer, _whole((63 - 7 + 2 * 3) // 2 + 1),
        "use W_out = (W - F + 2P)/S + 1 with W=63, F=7, P=3, S=2; the +1 goes outside the fraction, "
        "and the padding counts on both sides.",
    )


def check_conv_params(answer: Any) -> bool | None:
    """Parameters of Conv2D(128, 5) on a 64-channel input."""
    return report(
        "Conv2D parameters", answer, close_to(5 * 5 * 64 * 128 + 128, rel=0, abs_tol=0.5),
        "each of the K filters spans F x F x D_in weights (all input channels), and each filter has one bias.",
    )


def check_receptive_field(answer: Any) -> bool | None:
    """Receptive field of three stacked 3x3 stride-1 convolutions."""
    return report(
        "Receptive field", answer, _whole(7),
        "each extra 3x3 stride-1 layer widens the patch by 2 pixels (one on each side), starting from 3 for one layer.",
    )
