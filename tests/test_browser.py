"""JupyterLab in a real browser, the way a student uses it.

Starts JupyterLab on 127.0.0.1 with a token, opens notebook 01 in headless Chromium,
runs all cells in the smoke profile and checks that no cell shows an error and that
figures rendered, then that its "Try it" widget renders and redraws when its slider moves.
The server (and so its kernel) runs without the headless markers, as on a student's machine,
so utils.widgets shows controls. Screenshots go to build/browser/. Skipped (with the reason)
only when no Chromium or no Playwright is installed; .ci/run installs both.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = REPO_ROOT / "notebooks" / "01_perceptron.ipynb"
SCREENSHOT_DIR = REPO_ROOT / "build" / "browser"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


HEADLESS_MARKERS = ("COURSE_HEADLESS", "PYTEST_CURRENT_TEST", "CI")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def jupyter_lab(tmp_path_factory):
    """A JupyterLab server on a copy of notebook 01 (so autosave never touches notebooks/)."""
    tmp_path = tmp_path_factory.mktemp("lab_home")
    if CHROMIUM is None:
        pytest.skip("no Chromium browser found (install Debian's `chromium`; .ci/run does)")
    pytest.importorskip("playwright", reason="playwright is not installed in the venv")
    root = tmp_path / "lab"
    root.mkdir()
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
    settings = tmp_path / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # Render every cell (no virtual scrolling), so all outputs are in the page.
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    news = tmp_path / "settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    port, token = _free_port(), secrets.token_hex(16)
    # Without the headless markers (utils.progress.is_headless): the kernel shows widgets, as for a student.
    env = {name: value for name, value in os.environ.items() if name not in HEADLESS_MARKERS}
    env = dict(env, COURSE_PROFILE="smoke", PYTHONPATH=str(REPO_ROOT),
               JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    log = open(tmp_path / "lab.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         f"--LabApp.user_settings_dir={tmp_path / 'settings'}", f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}"]
        + (["--allow-root"] if os.geteuid() == 0 else []),
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    pytest.fail(f"JupyterLab did not start:\n{(tmp_path / 'lab.log').read_text()[-3000:]}")
                time.sleep(0.5)
        yield base, token, root
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def _open_and_run_all(page, base: str, token: str, name: str) -> None:
    """Open a notebook in JupyterLab, start its kernel, run all cells and wait until the kernel is idle again."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(f"{base}/lab/tree/{name}?token={token}")
    page.wait_for_selector(".jp-NotebookPanel .jp-CodeCell", timeout=120_000)
    # JupyterLab may ask which kernel to start; a student clicks "Select" (Python 3).
    accept = page.locator(".jp-Dialog .jp-mod-accept")
    try:
        accept.wait_for(timeout=20_000)
        accept.click()
    except PlaywrightTimeout:
        pass
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator(".lm-Menu-item[data-command='runmenu:run-all']").click()
    # Done when no cell is queued or running and the kernel is idle again.
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
            const busy = prompts.some(p => p.textContent.includes('*'));
            const ran = prompts.some(p => /\\[\\d+\\]/.test(p.textContent));
            const idle = document.querySelector(".jp-Notebook-ExecutionIndicator[data-status='idle']");
            return ran && !busy && idle;
        }""",
        timeout=300_000, polling=1000,
    )


@pytest.fixture(scope="module")
def lab_page(jupyter_lab):
    """Notebook 01 opened in headless Chromium and run top to bottom once; the tests below share the page, in order."""
    from playwright.sync_api import sync_playwright

    base, token, root = jupyter_lab
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            _open_and_run_all(page, base, token, NOTEBOOK.name)
            yield page
        finally:
            browser.close()


def test_notebook_01_runs_in_jupyterlab(lab_page):
    """Read right after "Run all", before the tests below move a slider and edit a cell."""
    page = lab_page
    prompts = page.locator(".jp-CodeCell .jp-InputArea-prompt").all_text_contents()
    tracebacks = page.locator(".jp-OutputArea-output", has_text="Traceback").count()
    error_names = page.locator(".jp-OutputArea-output", has_text="Error:").all_text_contents()
    figures = page.locator(".jp-OutputArea-output img").count()
    if figures:
        page.locator(".jp-OutputArea-output img").first.scroll_into_view_if_needed()
    outputs = page.locator(".jp-OutputArea-output").all_text_contents()
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "01_perceptron_jupyterlab.png"))
    assert tracebacks == 0 and not error_names, f"a cell showed an error: {error_names[:1]}"
    assert all("[" in p and "]" in p and p.strip("[]: ").isdigit() for p in prompts), f"not every cell ran: {prompts}"
    assert figures >= 1, f"no figure rendered; outputs: {[o[:80] for o in outputs][:12]}"


def test_a_widget_renders_and_redraws_when_its_slider_moves(lab_page):
    """Notebook 01's "Try it" slider: it renders, and moving it (keyboard, as a person can) redraws the figure."""
    page = lab_page
    sliders = page.locator(".jp-OutputArea-output .widget-slider")
    sliders.first.wait_for(timeout=30_000)
    n_sliders = sliders.count()
    widget = page.locator(".jp-OutputArea-output .widget-vbox").first
    image = widget.locator("img.widget-image")
    image.wait_for(timeout=30_000)
    widget.scroll_into_view_if_needed()
    readout_before = widget.locator(".widget-readout").first.inner_text()
    image_before = image.get_attribute("src")
    handle = widget.locator(".noUi-handle").first
    handle.focus()
    handle.press("ArrowLeft")  # one step down from the default, the middle one of several updates
    # The kernel redraws and sends a new PNG: the image's src (a blob URL) changes.
    page.wait_for_function("([img, before]) => img.getAttribute('src') !== before",
                           arg=[image.element_handle(), image_before], timeout=30_000)
    readout_after = widget.locator(".widget-readout").first.inner_text()
    page.wait_for_timeout(500)  # let the new image paint before the screenshot
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "01_perceptron_widget.png"))
    tracebacks = page.locator(".jp-OutputArea-output", has_text="Traceback").count()
    assert n_sliders >= 1
    assert int(readout_after) == int(readout_before) - 1, (readout_before, readout_after)
    assert tracebacks == 0, "a cell (or the widget's redraw) showed an error"


WRONG_STEP = '''import numpy as np


def perceptron_step(w_aug, x, y, learning_rate):
    # the course notes' bias rule: the bias moves by learning_rate * error * (old bias)
    x_aug = np.append(x, 1.0)
    error = y - int(x_aug @ w_aug >= 0)
    new = w_aug + learning_rate * error * x_aug
    new[-1] = w_aug[-1] + learning_rate * error * w_aug[-1]
    return new


check_perceptron_step(perceptron_step)
'''
RIGHT_STEP = '''import numpy as np


def perceptron_step(w_aug, x, y, learning_rate):
    x_aug = np.append(x, 1.0)
    error = y - int(x_aug @ w_aug >= 0)
    return w_aug + learning_rate * error * x_aug


check_perceptron_step(perceptron_step)
'''


def _run_cell_with(page, cell, source: str) -> str:
    """Replace a code cell's text as a student would (select all, paste), run it, return its output."""
    editor = cell.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(source)  # pasted text: no auto-indent or auto-closed brackets
    page.keyboard.press("Control+Enter")  # run this cell, stay on it
    output = cell.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stdout']")
    page.wait_for_function("([el]) => /[✔✘○]/.test(el.innerText)", arg=[cell.element_handle()], timeout=60_000)
    return output.inner_text()


def test_a_coding_exercise_tells_a_wrong_function_from_a_right_one_in_jupyterlab(lab_page):
    """Notebook 01's coding exercise as a student meets it: not attempted, then a wrong step, then a right one."""
    page = lab_page
    cell = page.locator(".jp-CodeCell", has_text="def perceptron_step").last
    cell.scroll_into_view_if_needed()
    untouched = cell.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stdout']").inner_text()
    wrong = _run_cell_with(page, cell, WRONG_STEP)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "01_coding_exercise_wrong.png"))
    right = _run_cell_with(page, cell, RIGHT_STEP)
    page.screenshot(path=str(SCREENSHOT_DIR / "01_coding_exercise_right.png"))
    assert "not attempted" in untouched, untouched
    assert wrong.startswith("✘") and "on input" in wrong and "Hint:" in wrong and "Traceback" not in wrong, wrong
    assert right.startswith("✔") and "correct on" in right, right
