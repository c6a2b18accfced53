"""Figures you can play with: controls for a person, the same figure drawn once for headless runs.

    explore(draw_boundary_after, update=Slider(1, 1, n_updates, label="update"))

``draw`` takes the controls' values as keyword arguments and returns a matplotlib figure.
Headless (papermill, nbval, CI, the slides and site builds: see :func:`utils.progress.is_headless`)
``explore`` draws ``draw(**defaults)`` as an ordinary figure and creates no widget, so nothing waits
for a person. In a notebook opened by a person it shows the controls above that same figure,
redrawn whenever a control changes (on release, so a slow drawing never piles up).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import matplotlib.pyplot as plt

from utils.progress import is_headless

Figure = plt.Figure


@dataclass
class Slider:
    """A number between ``low`` and ``high``; integers give an integer slider, ``log=True`` a log scale.

    ``readout_format`` is the format of the number shown next to the slider (".3g": three significant
    digits); by default ".2g" on a log scale and ipywidgets' own otherwise.
    """

    default: float
    low: float
    high: float
    step: float | None = None
    label: str = ""
    log: bool = False
    readout_format: str | None = None

    def build(self, name: str) -> Any:
        """The ipywidgets slider for this control."""
        import ipywidgets as widgets

        common = dict(description=self.label or name, continuous_update=False, style={"description_width": "initial"},
                      layout=widgets.Layout(width="420px"))
        if self.log:
            return widgets.FloatLogSlider(value=self.default, min=math.log10(self.low), max=math.log10(self.high),
                                          step=self.step or 0.1, readout_format=self.readout_format or ".2g", **common)
        if all(isinstance(v, int) for v in (self.default, self.low, self.high, self.step or 1)):
            return widgets.IntSlider(value=self.default, min=self.low, max=self.high, step=self.step or 1, **common)
        if self.readout_format:
            common["readout_format"] = self.readout_format
        return widgets.FloatSlider(value=self.default, min=self.low, max=self.high,
                                   step=self.step or (self.high - self.low) / 100, **common)


@dataclass
class Choice:
    """One of a few options (a drop-down list)."""

    default: Any
    options: Sequence[Any] = field(default_factory=list)
    label: str = ""

    def build(self, name: str) -> Any:
        """The ipywidgets drop-down for this control."""
        import ipywidgets as widgets

        return widgets.Dropdown(value=self.default, options=list(self.options), description=self.label or name,
                                style={"description_width": "initial"})


Control = Slider | Choice


def figure_png(fig: Figure) -> bytes:
    """The figure as PNG bytes; the figure is closed (it is not shown a second time)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


class Explorer:
    """Controls, and an image of ``draw(**values)`` redrawn whenever one of them changes."""

    def __init__(self, draw: Callable[..., Figure], controls: dict[str, Control]):
        import ipywidgets as widgets

        self.draw = draw
        self.controls = {name: control.build(name) for name, control in controls.items()}
        # align_self: shown at its own size (a VBox would stretch it to the full width), shrunk only to fit.
        self.image = widgets.Image(format="png",
                                   layout=widgets.Layout(max_width="100%", height="auto", align_self="flex-start"))
        self._muted = False
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        rows = [widgets.HBox(list(self.controls.values())[i:i + 3]) for i in range(0, len(self.controls), 3)]
        self.box = widgets.VBox([*rows, self.image])
        self.update()

    def values(self) -> dict[str, Any]:
        """The current value of every control."""
        return {name: control.value for name, control in self.controls.items()}

    def update(self, **new_values: Any) -> None:
        """Set the given controls (if any), then redraw the figure once."""
        self._muted = True
        try:
            for name, value in new_values.items():
                self.controls[name].value = value
        finally:
            self._muted = False
        self.image.value = figure_png(self.draw(**self.values()))

    def _on_change(self, _change: dict) -> None:
        if not self._muted:
            self.update()


def explore(draw: Callable[..., Figure], **controls: Control) -> None:
    """Show ``draw(**values)`` with controls for a person; headless, only the figure at the defaults."""
    if is_headless():
        draw(**{name: control.default for name, control in controls.items()})
        plt.show()
        return
    from IPython.display import display

    display(Explorer(draw, controls).box)
