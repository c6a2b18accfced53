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


@pytest.mark.parametrize("W, F, P, S", [(32, 3, 1, 1), (32, 5, 0, 2), (227, 11, 0, 4), (31, 2, 0, 2), (7, 3, 0, 2), (8, 3, 1, 1)])
def test_the_calculator_places_one_window_per_output_column(W, F, P, S):
    from utils.conv_arithmetic import window_starts

    starts = window_starts(W, F, P, S)
    assert len(starts) == (W - F + 2 * P) // S + 1
    assert starts[0] == -P and starts[-1] + F <= W + P and starts[-1] + S + F > W + P


def test_the_calculator_explains_a_stride_that_does_not_divide():
    from utils.conv_arithmetic import explain_conv_layer

    uneven = explain_conv_layer(32, 5, 0, 2, 3, 32)
    assert "= 14" in uneven and "2,432" in uneven
    assert "S = 2 does not divide W − F + 2P = 27" in uneven and "1 column is left" in uneven
    assert "P = " not in uneven.splitlines()[-1]  # 27 + 2p is odd for every p: no padding fixes it
    assert "e.g. P = 1" in explain_conv_layer(32, 4, 0, 3, 3, 8)  # 32 − 4 + 2 = 30 = 3·10
    even = explain_conv_layer(227, 11, 0, 4, 3, 96)
    assert "= 55" in even and "34,944" in even and "does not divide" not in even
    assert "does not fit" in explain_conv_layer(3, 5, 0, 1, 3, 8)


def test_the_calculator_figure_draws_a_bar_per_window_and_the_words():
    from matplotlib.patches import Rectangle

    from utils.conv_arithmetic import draw_conv_layer

    fig = draw_conv_layer(32, 5, 0, 2, 3, 32)
    diagram, words = fig.axes
    bars = [p for p in diagram.patches if isinstance(p, Rectangle) and p.get_width() == 5]
    assert len(bars) == 14
    assert "does not divide" in words.texts[0].get_text()
    plt.close(fig)


def test_a_slider_shows_its_number_in_the_format_asked_for():
    assert Slider(2e-2, 1e-4, 1.0, log=True).build("rate").readout_format == ".2g"
    assert Slider(2e-2, 1e-4, 1.0, log=True, readout_format=".3g").build("rate").readout_format == ".3g"
    assert Slider(0.5, 0.0, 1.0, readout_format=".3f").build("share").readout_format == ".3f"
