"""Find a reference answer from ``solutions/`` in a piece of text (teacher notes, handouts).

A notebook's exercises import their checks from ``utils.exercises.<topic>``; the answers are
``solutions/<topic>.py``'s ``REFERENCE``. :func:`leaks` looks for each answer the way a person
would write it:

- a number: as written, rounded to 2-5 significant digits, with thousands separators, in
  ``1e-2`` form; the sign is ignored. Whole numbers below 100 are skipped: "7", "32" or "64"
  appear in any text about a notebook (section numbers, minutes, image sizes), so they would
  flag everything and mean nothing;
- a tuple or list: each number in it, and the whole as ``(3, 6)`` or ``3 × 6``;
- a string of 3 characters or more: as a whole word, in any case;
- a function (coding exercises): every line of its body of 20 characters or more (spaces
  ignored), so a copied line of the reference implementation is found.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any, Iterator

REPO_ROOT = Path(__file__).resolve().parent.parent
SMALLEST_CHECKED_INTEGER = 100
SHORTEST_CODE_LINE = 20


def exercise_topics(notebook: Path) -> list[str]:
    """The ``utils.exercises`` modules a notebook's code cells import from."""
    cells = json.loads(Path(notebook).read_text())["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return sorted(set(re.findall(r"from\s+utils\.exercises\.(\w+)\s+import", code)) - {"coding"})


def load_solutions(topic: str) -> ModuleType:
    """``solutions/<topic>.py`` as a module (the folder is not a package)."""
    spec = importlib.util.spec_from_file_location(f"solutions_{topic}", REPO_ROOT / "solutions" / f"{topic}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _number_pattern(form: str) -> str:
    return rf"(?<![\w.]){re.escape(form)}(?![\d]|[.,]\d)"


def number_forms(value: float) -> set[str]:
    """How a person may write ``value`` (see the module doc); empty for whole numbers below 100."""
    value = abs(float(value))
    if value.is_integer():
        whole = int(value)
        if whole < SMALLEST_CHECKED_INTEGER:
            return set()
        grouped = f"{whole:,}"
        return {str(whole), grouped, grouped.replace(",", " "), grouped.replace(",", "\u202f"),
                grouped.replace(",", "\u2009"), f"{whole:_}"}
    forms = {f"{value:g}", repr(value)}
    if value >= 1000:  # 44,159.26 and 44,159.3 as well as 44159.26
        forms |= {f"{value:,.2f}", f"{value:,.1f}"}
    for digits in range(2, 6):
        rounded = f"{value:.{digits}g}"
        if "e" in rounded:
            continue
        if "." in rounded:
            forms.add(rounded)
        elif int(rounded) >= SMALLEST_CHECKED_INTEGER:
            forms |= number_forms(int(rounded))
    mantissa, exponent = f"{value:e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    if len(mantissa.replace(".", "")) <= 3:
        forms.add(f"{mantissa}e{int(exponent)}")
        if mantissa == "1":
            forms.add(f"10^{{{int(exponent)}}}")
    return forms


def _code_lines(function: Any) -> set[str]:
    """The body lines of a reference function, spaces removed, long enough to be distinctive."""
    source = inspect.getsource(function)
    body = source.split(":\n", 1)[1] if ":\n" in source else source
    body = re.sub(r'"""[\s\S]*?"""', "", body)
    lines = set()
    for line in body.splitlines():
        code = re.sub(r"#.*", "", line)
        squeezed = re.sub(r"\s+", "", code)
        if len(squeezed) >= SHORTEST_CODE_LINE:
            lines.add(squeezed)
    return lines


def answer_patterns(answer: Any) -> Iterator[tuple[str, str]]:
    """(what, regex or ``code:`` line) pairs that find ``answer`` in a text."""
    if callable(answer):
        for line in sorted(_code_lines(answer)):
            yield f"a line of {answer.__name__}", "code:" + line
    elif isinstance(answer, str):
        if len(answer) >= 3:
            yield repr(answer), rf"(?i)\b{re.escape(answer)}\b"
    elif isinstance(answer, (tuple, list)):
        flat = list(_flatten(answer))
        if all(isinstance(x, (int, float)) for x in flat) and 1 < len(flat) <= 4:
            parts = [f"{x:g}" if isinstance(x, float) else str(x) for x in flat]
            yield repr(answer), r"\(\s*" + r"\s*,\s*".join(map(re.escape, parts)) + r"\s*\)"
            yield repr(answer), r"(?<![\w.])" + r"\s*[×x]\s*".join(map(re.escape, parts)) + r"(?![\w.])"
        for item in flat:
            yield from answer_patterns(item)
    elif isinstance(answer, (int, float)) and not isinstance(answer, bool):
        for form in sorted(number_forms(answer)):
            yield f"{answer!r} written as {form!r}", _number_pattern(form)


def _flatten(items: Any) -> Iterator[Any]:
    for item in items:
        if isinstance(item, (tuple, list)):
            yield from _flatten(item)
        else:
            yield item


def leaks(text: str, reference: dict[str, Any]) -> list[tuple[str, str]]:
    """(check name, what was found) for every answer of ``reference`` that ``text`` contains."""
    squeezed = re.sub(r"\s+", "", text)
    found = []
    for check, answer in reference.items():
        for what, pattern in answer_patterns(answer):
            if pattern.startswith("code:"):
                hit = pattern[len("code:"):] in squeezed
            else:
                hit = re.search(pattern, text) is not None
            if hit:
                found.append((check, what))
                break
    return found
