"""utils.widgets: headless runs draw the figure once and create no widget; a person gets controls that redraw it."""

from __future__ import annotations

import ipywidgets
import matplotlib.pyplot as plt
import pytest
from ipywidgets.widgets import widget as widget_module

from utils import widgets as course_widgets
from utils.widgets import Choice, Explorer, Slider, explore


def draw_line(slope, colour="tab:blue"):
    """A line through the origin: a figure that depends visibly on both controls."""
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [0, slope], color=colour)
    ax.set(xlim=(0, 1), ylim=(-3, 3), xlabel="x", ylabel="y")
    return fig


@pytest.fixture
def calls():
    """Every set of values draw_line was called with."""
    seen = []

    def recording_draw(**values):
        seen.append(values)
        return draw_line(**values)

    recording_draw.seen = seen
    return recording_draw


def test_headless_draws_the_static_figure_and_creates_no_widget(monkeypatch, calls):
    monkeypatch.setenv("COURSE_HEADLESS", "1")
    shown = []
    monkeypatch.setattr(plt, "show", lambda: shown.append(plt.get_fignums()))
    widgets_before = len(widget_module._instances)
    explore(calls, slope=Slider(1.0, -2.0, 2.0), colour=Choice("tab:red", ["tab:blue", "tab:red"]))
    assert calls.seen == [{"slope": 1.0, "colour": "tab:red"}]
    assert shown and shown[0], "the figure at the defaults was not shown"
    assert len(widget_module._instances) == widgets_before
    plt.close("all")


def test_interactive_path_builds_the_controls_and_shows_them(monkeypatch, calls):
    monkeypatch.setattr(course_widgets, "is_headless", lambda: False)
    displayed = []
    monkeypatch.setattr("IPython.display.display", lambda obj: displayed.append(obj))
    explore(calls, slope=Slider(1.0, -2.0, 2.0), colour=Choice("tab:red", ["tab:blue", "tab:red"]))
    assert len(displayed) == 1 and isinstance(displayed[0], ipywidgets.VBox)
    kinds = {type(w) for row in displayed[0].children[:-1] for w in row.children}
    assert kinds == {ipywidgets.FloatSlider, ipywidgets.Dropdown}
    assert isinstance(displayed[0].children[-1], ipywidgets.Image) and displayed[0].children[-1].value
    assert calls.seen == [{"slope": 1.0, "colour": "tab:red"}]


def test_new_values_redraw_the_figure_once(calls):
    explorer = Explorer(calls, {"slope": Slider(1.0, -2.0, 2.0), "colour": Choice("tab:red", ["tab:blue", "tab:red"])})
    first = explorer.image.value
    explorer.update(slope=-1.5, colour="tab:blue")
    assert calls.seen[-1] == {"slope": -1.5, "colour": "tab:blue"} and len(calls.seen) == 2
    assert explorer.image.value != first
    explorer.controls["slope"].value = 0.5  # what a person's drag does
    assert calls.seen[-1]["slope"] == 0.5 and len(calls.seen) == 3
    assert plt.get_fignums() == [], "figures drawn for the image must be closed"


@pytest.mark.parametrize("control, kind", [
    (Slider(3, 1, 10), ipywidgets.IntSlider),
    (Slider(0.5, 0.0, 1.0), ipywidgets.FloatSlider),
    (Slider(1e-2, 1e-4, 1.0, log=True), ipywidgets.FloatLogSlider),
    (Choice("a", ["a", "b"]), ipywidgets.Dropdown),
])
def test_each_control_builds_its_widget_with_the_default(control, kind):
    built = control.build("knob")
    assert type(built) is kind
    assert built.value == pytest.approx(control.default)
    assert built.description == "knob"
