"""A convolution layer's arithmetic in words and in a picture: where each filter window lands along the width.

Notebook 08's calculator draws :func:`draw_conv_layer` for the values of its sliders. The formulas are the
ones its text states: output width ⌊(W − F + 2P)/S⌋ + 1, parameters F·F·D_in·K + K.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.patches import Patch, Rectangle


def window_starts(W: int, F: int, P: int, S: int) -> list[int]:
    """Left edge of every filter window along the padded width (input column 0 is position 0, padding is negative)."""
    return list(range(-P, W + P - F + 1, S))


def explain_conv_layer(W: int, F: int, P: int, S: int, D_in: int, K: int) -> str:
    """The output size and parameter count, worked out, and what happens when S does not divide W − F + 2P."""
    span = W - F + 2 * P
    if span < 0:
        return (f"A {F}-wide filter does not fit in an input {W} wide padded by {P} on each side "
                f"({W + 2 * P} in all): no output. Pad more or use a smaller filter.")
    side = span // S + 1
    lines = [
        f"output width = ⌊(W − F + 2P) / S⌋ + 1 = ⌊({W} − {F} + {2 * P}) / {S}⌋ + 1 = ⌊{span} / {S}⌋ + 1 = {side}",
        f"output volume {side} × {side} × {K};  parameters F·F·D_in·K + K = {F}·{F}·{D_in}·{K} + {K} = "
        f"{F * F * D_in * K + K:,}",
    ]
    left_over = span % S
    if left_over:
        fixed_padding = next((p for p in range(P + 1, P + S) if (W - F + 2 * p) % S == 0), None)
        lines.append(
            f"S = {S} does not divide W − F + 2P = {span}: the windows do not tile the padded input. After window "
            f"{side}, {left_over} column{'s are' if left_over > 1 else ' is'} left, too few for another step of {S}, "
            f"so {'they are' if left_over > 1 else 'it is'} never read: Keras takes the floor and drops "
            f"{'them' if left_over > 1 else 'it'} (shown in red)."
        )
        if fixed_padding is not None:
            lines.append(f"To use every column, make W − F + 2P a multiple of S: e.g. P = {fixed_padding}, or S = 1.")
        else:
            lines.append("To use every column, make W − F + 2P a multiple of S: change F or W by one, or use S = 1.")
    return "\n".join(lines)


def draw_conv_layer(W: int, F: int, P: int, S: int, D_in: int, K: int) -> plt.Figure:
    """One bar per filter window over the padded width (padding grey, dropped columns red), and the arithmetic."""
    import textwrap

    fig, (ax, text_ax) = plt.subplots(2, 1, figsize=(11, 7.5), gridspec_kw={"height_ratios": [3, 1.3]})
    starts = window_starts(W, F, P, S) if W + 2 * P >= F else []
    covered_until = starts[-1] + F if starts else -P
    for column in range(-P, W + P):
        padding = column < 0 or column >= W
        colour = "0.75" if padding else ("tab:red" if column >= covered_until else "white")
        ax.add_patch(Rectangle((column, -1.2), 1, 1, facecolor=colour, edgecolor="0.3", lw=0.6 if W + 2 * P < 80 else 0))
    ax.add_patch(Rectangle((0, -1.2), W, 1, fill=False, edgecolor="0.3", lw=1.0))  # the input, whatever its width
    for row, start in enumerate(starts, start=1):
        ax.add_patch(Rectangle((start, row - 0.4), F, 0.8, facecolor="tab:blue", alpha=0.55, edgecolor="tab:blue"))
    ax.set(xlim=(-P - 0.5, W + P + 0.5), ylim=(-1.5, max(len(starts), 1) + 0.8),
           xlabel="input column (0 … W − 1; padding outside)", ylabel="output column (one filter window each)",
           title=f"W = {W}, F = {F}, P = {P}, S = {S}: {len(starts)} window position{'s' if len(starts) != 1 else ''} "
                 f"per row")
    ax.grid(False)
    ax.legend(handles=[Patch(facecolor="tab:blue", alpha=0.55, label="filter window"),
                       Patch(facecolor="0.75", edgecolor="0.3", label="zero padding"),
                       Patch(facecolor="white", edgecolor="0.3", label="input column"),
                       Patch(facecolor="tab:red", edgecolor="0.3", label="never read (dropped)")],
              loc="upper left", fontsize=11, framealpha=0.95)
    text_ax.axis("off")
    wrapped = "\n".join(textwrap.fill(line, 105) for line in explain_conv_layer(W, F, P, S, D_in, K).splitlines())
    text_ax.text(0, 1, wrapped, va="top", ha="left", fontsize=12, family="DejaVu Sans", transform=text_ax.transAxes)
    fig.tight_layout()
    return fig
