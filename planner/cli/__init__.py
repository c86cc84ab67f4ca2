"""The command line ``planner`` (typer + rich): one module per command group.

- :mod:`planner.cli.common` — consoles, exit codes, options, error handling (shared);
- :mod:`planner.cli.pairing` — ``assign``, ``validate``;
- :mod:`planner.cli.changes` — ``whatif``, ``compare``, ``rotate``;
- :mod:`planner.cli.schedule` — ``schedule``;
- :mod:`planner.cli.records` — ``init``, ``status``, ``report``;
- :mod:`planner.cli.office` — ``forms``, ``collect``, ``province``;
- :mod:`planner.cli.workspace` — ``workspace import|export|backup``;
- :mod:`planner.cli.serve` — ``serve`` (starts the web page);
- :mod:`planner.cli.demo` — ``demo`` (every command on the demo college).

Commands call :mod:`planner.app` only, and import it inside the command, so ``planner --help``
loads neither the solver nor the spreadsheet libraries.
"""

from __future__ import annotations

import sys

import typer

from planner.cli import changes, demo, office, pairing, records, schedule, serve, workspace, zh
from planner.cli.common import err_console

__all__ = ["app", "main"]

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="领导干部直接联系服务辅导员:结对、日程、统计。",
)

for group in (pairing, changes, schedule, records, office, workspace, serve, demo):
    group.register(app)


def main() -> None:
    """Console-script entry point (``planner``, ``python -m planner``).

    Usage errors are printed here (in Chinese unless ``--lang en``) with exit 2.
    """
    # typer's vendored click: the lock file pins typer, so these names are stable here.
    from typer import Abort
    from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError

    zh.install()
    try:
        code = app(standalone_mode=False)
    except KeyboardInterrupt:
        err_console.print("已取消 (cancelled)")
        sys.exit(130)
    except Abort:
        err_console.print("已取消 (cancelled)")
        sys.exit(130)
    except UsageError as exc:
        if zh.is_english() or isinstance(exc, NoArgsIsHelpError):
            exc.show()
        else:
            sys.stderr.write(zh.usage_error_text(exc) + "\n")
        sys.exit(exc.exit_code)
    except ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)
