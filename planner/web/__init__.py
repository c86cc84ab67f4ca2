"""The local web page (``planner serve``): the office's whole workflow without a terminal.

- :mod:`planner.web.workspace` — the page's state and the plain functions behind every
  panel (no web framework; unit-tested in ``tests/test_web_unit.py``);
- :mod:`planner.web.jobs` — long solves in a child process, with progress and cancel;
- :mod:`planner.web.app` — the NiceGUI page itself (Chinese first), bound to 127.0.0.1.
"""
