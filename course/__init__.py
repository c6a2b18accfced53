"""The course's own tooling: run, tabulate and publish the notebooks. Notebooks never import it.

- :mod:`course.runner`: ``make run``; :func:`course.runner.run_notebook` runs one notebook and
  returns its record (every other command runs notebooks through it);
- :mod:`course.results_table`: ``make results`` (several seeds) and ``make results-backends``;
- :mod:`course.records`: gathering recorded runs into one row per notebook;
- :mod:`course.report`: the one writer of ``build/results.md``;
- :mod:`course.compare`: the table comparing backends (``build/results_backends.md``);
- :mod:`course.slides`: slide metadata (``make annotate``) and reveal.js decks (``make slides``);
- :mod:`course.site`: the static HTML site (``make html``).

What notebooks use lives in ``utils`` (recording results, ``utils.stats``, ``utils.collection``);
``course`` imports ``utils``, never the other way round (``tests/test_layout.py`` checks it).
"""
