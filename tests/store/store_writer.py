"""A child process for the crash and backup tests: writes to a workspace in a loop.

Usage: ``python store_writer.py FOLDER MODE START ROWS``. Prints ``ready`` once open, then for
each transaction ``begin N`` before it and ``done N`` after its commit (flushed at once, so the
parent knows exactly which transactions were reported committed when it kills this process).

MODE ``big``: transaction N stores ROWS rows — even N as a records merge into table ``stress``
(every row carries ``batch = N``), odd N as a data version noted ``batch N`` with a table of ROWS
rows. MODE ``small``: transaction N merges one row ``{"seq": N}`` into table ``seq``.
"""

from __future__ import annotations

import sys
from itertools import count
from pathlib import Path

from planner.store import Store

PAD = "填" * 40  # makes each transaction span many pages, so a kill lands inside one


def main() -> None:
    folder, mode, start, rows = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    store = Store.open(folder)
    print("ready", flush=True)
    for n in count(start):
        print(f"begin {n}", flush=True)
        if mode == "small":
            store.merge_rows("seq", [{"seq": str(n)}], ["seq"])
        elif n % 2 == 0:
            batch = [{"batch": str(n), "i": str(i), "pad": PAD} for i in range(rows)]
            store.merge_rows("stress", batch, ["batch", "i"])
        else:
            table = [{"i": str(i), "pad": PAD} for i in range(rows)]
            store.add_data_version({"big": table}, note=f"batch {n}")
        print(f"done {n}", flush=True)


if __name__ == "__main__":
    main()
