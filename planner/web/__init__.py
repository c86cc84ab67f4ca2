"""The local web page (``planner serve``): the office's whole workflow without a terminal.

- :mod:`planner.web.state` — the page's state (no web framework): data, plan, results, job;
- :mod:`planner.web.jobs` — long solves in a child process, one task per use case;
- :mod:`planner.web.page` — the shell: header, messages, the job bar, the timer;
- one module per tab: :mod:`~planner.web.data_tab`, :mod:`~planner.web.pairing_tab`,
  :mod:`~planner.web.changes_tab` (+ :mod:`~planner.web.rotation_view`),
  :mod:`~planner.web.calendar_tab`, :mod:`~planner.web.downloads_tab`;
- :mod:`planner.web.server` — ``run_server``: 127.0.0.1 only, foreign Host and cross-origin
  requests refused.

Everything the page computes comes from :mod:`planner.app`, as for the command line.
"""

import os
import tempfile
from pathlib import Path

# NiceGUI keeps its storage files in ./.nicegui unless told otherwise; keep the office's
# folder (and the repository) clean. Set here, before any module of the page imports NiceGUI.
os.environ.setdefault("NICEGUI_STORAGE_PATH", str(Path(tempfile.gettempdir()) / "planner-web"))
