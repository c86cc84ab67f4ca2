"""The college's state across the three years: the workspace (CONTRACT.md §11).

A workspace is one folder holding an embedded database (:mod:`planner.store`): every version
of the rosters, rules, settings and calendar (each import with its source files' names,
hashes and date), every plan version (草案 → 已采用 → 已审定, with dates and what produced it),
staff changes with their effective dates, schedules, and every records table (merged on each
import, duplicates reported). The command line (``planner workspace …``) and the web page use
this module alone to read and change it.

The DATA the use cases work on is the workspace written out as a DATA folder and read back by
the product's own reader, so the page, ``workspace export`` and the command line always agree.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from models import Plan, Problem
from planner.app.data import load_data
from planner.app.plans import make_plan, plan_reasons, plan_xlsx_bytes
from planner.app.records import plan_in_force as pif
from planner.app.whatif import WhatifOutcome
from planner.errors import InputError, InputProblem, Note
from planner.io.data_files import (
    RECORD_KEYS,
    ROSTER_TABLES,
    record_tables,
    roster_tables,
    write_data_folder,
)
from planner.io.plan_files import write_plan_csv
from planner.io.read import DataSet
from planner.io.write import staged_output, write_json
from planner.records import PlanInForce, cycle_bounds
from planner.store import (
    PlanOrigin,
    PlanStatus,
    PlanVersion,
    SourceFile,
    Store,
    WorkspaceError,
    default_folder,
)

Key = tuple[str, str]

__all__ = [
    "STATUS_FOLDER",
    "ExportResult",
    "ImportResult",
    "PlanOrigin",
    "PlanStatus",
    "PlanVersion",
    "Workspace",
    "WorkspaceError",
    "default_folder",
    "records_in",
    "version_row",
]

STATUS_FOLDER = {
    PlanStatus.DRAFT: "草案",
    PlanStatus.ADOPTED: "已采用",
    PlanStatus.APPROVED: "已审定",
}


@dataclass
class ImportResult:
    """What one import added: a data version, earlier cycles' plans, merged records."""

    data_version: int
    earlier_plans: list[int] = field(default_factory=list)
    added: dict[str, int] = field(default_factory=dict)
    duplicates: dict[str, list[int]] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)

    def summary(self, lang: str = "zh") -> str:
        """One line for the office."""
        n_add = sum(self.added.values())
        n_dup = sum(len(v) for v in self.duplicates.values())
        if lang == "zh":
            return (
                f"已导入名单版本 {self.data_version};历史周期方案 {len(self.earlier_plans)} 份;"
                f"新增记录 {n_add} 行,重复 {n_dup} 行未重复导入。"
            )
        return (
            f"data version {self.data_version} imported; {len(self.earlier_plans)} earlier "
            f"cycle plan(s); {n_add} record row(s) added, {n_dup} duplicate(s) skipped."
        )


@dataclass
class ExportResult:
    """The files ``workspace export`` wrote."""

    files: list[Path] = field(default_factory=list)
    plan_in_force: PlanVersion | None = None


def _sha256(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


class Workspace:
    """The workspace in a folder: open it, import, read the DATA in force, keep plan versions.

    Parameters
    ----------
    folder
        The workspace folder (created owner-only if missing); None: the per-user default.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_folder()
        self.store = Store.open(self.folder)
        self._bare_cache: tuple[int, Problem] | None = None

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----- importing -------------------------------------------------------------------------
    def import_source(self, src: Path, *, by: str = "", at: datetime | None = None) -> ImportResult:
        """Add a version of the rosters, rules, settings and calendar from a DATA folder or
        workbook; its 历史联系 plans become earlier cycles; its records tables are merged.

        Nothing is wiped: plans and records stay; duplicates are reported.

        Raises
        ------
        InputError
            For bad input (nothing is stored then).
        """
        src = Path(src)
        ds = load_data(src)
        return self.import_data(ds, by=by, at=at, source=src)

    def import_data(
        self,
        ds: DataSet,
        *,
        by: str = "",
        at: datetime | None = None,
        source: Path | None = None,
        problem: Problem | None = None,
        note: str = "",
    ) -> ImportResult:
        """Store ``ds`` (optionally with another problem: rosters after a staff change)."""
        rosters = roster_tables(ds, problem)
        files = sorted({p for p in ds.sources.values() if p.is_file()})
        sources = []
        for f in files:
            digest, size = _sha256(f)
            sources.append(SourceFile(f.name, digest, size))
        version = self.store.add_data_version(
            {k: v[1] for k, v in rosters.items()},
            sources,
            columns={k: v[0] for k, v in rosters.items()},
            note=note or (source.name if source else ""),
            created_at=at,
            created_by=by,
        )
        result = ImportResult(version, notes=list(ds.notes))
        if problem is None:
            result.earlier_plans = self._import_history(ds, by=by, at=at)
        for name, (cols, rows) in record_tables(ds).items():
            merged = self.store.merge_rows(name, rows, RECORD_KEYS[name], columns=cols)
            result.added[name] = len(merged.added)
            if merged.duplicates:
                result.duplicates[name] = list(merged.duplicates)
        return result

    def _import_history(self, ds: DataSet, *, by: str, at: datetime | None) -> list[int]:
        """Earlier cycles of the history become approved plan versions (once per cycle)."""
        p = ds.problem
        have = {v.cycle: v for v in self.store.plan_versions()}
        by_cycle: dict[str, list[Key]] = {}
        for h in p.history:
            by_cycle.setdefault(h.cycle, []).append((h.leader_id, h.counselor_id))
        out = []
        for cycle in sorted(by_cycle):
            if cycle == p.cycle or cycle in have:
                continue
            start, _, _ = cycle_bounds(cycle, p, None)
            vid = self.store.add_plan_version(
                cycle,
                list(dict.fromkeys(by_cycle[cycle])),
                PlanOrigin.IMPORT,
                created_at=at,
                created_by=by,
            )
            self.store.adopt_plan(vid, start, by or "导入")
            self.store.approve_plan(vid, start, by or "导入")
            out.append(vid)
        return out

    # ----- the DATA in force -----------------------------------------------------------------
    @contextmanager
    def data_folder(self, *, with_history: bool = True) -> Iterator[Path]:
        """The workspace written out as a DATA folder (temporary), for the product's reader."""
        with tempfile.TemporaryDirectory(prefix="planner-ws-") as tmp:
            folder = Path(tmp) / "data"
            self._write_data(folder, with_history=with_history)
            yield folder

    def has_data(self) -> bool:
        return self.store.current_data_version() is not None

    def data(self, cycle: str | None = None) -> DataSet:
        """The DATA now in force (rosters of the latest version, every record).

        Raises
        ------
        InputError
            When nothing has been imported yet.
        """
        if not self.has_data():
            raise InputError(
                [
                    InputProblem(
                        str(self.folder),
                        "工作区中还没有数据,请先导入名单(planner workspace import)",
                        "the workspace holds no data yet; import the rosters first",
                    )
                ]
            )
        with self.data_folder() as folder:
            ds = load_data(folder, cycle=cycle)
            # The folder is temporary: keep the data, not the paths.
            ds.sources = {}
            return ds

    def write_data(self, folder: Path) -> DataSet:
        """Write the DATA now in force into ``folder`` and read it back (its paths kept), for a
        front end that needs the files on disk (the page's calendar, ``report.toml``, a plan
        of another cycle read against them).

        Raises
        ------
        InputError
            When nothing has been imported yet.
        """
        if not self.has_data():
            self.data()  # raises the message naming the folder
        self._write_data(Path(folder), with_history=True)
        return load_data(Path(folder))

    def merge_records(self, ds: DataSet) -> ImportResult:
        """Only the records tables of ``ds`` (联系记录, growth, news, issues, …), merged into
        the workspace with duplicates reported; the rosters stay as they are."""
        cur = self.store.current_data_version()
        result = ImportResult(cur.id if cur else 0, notes=list(ds.notes))
        for name, (cols, rows) in record_tables(ds).items():
            merged = self.store.merge_rows(name, rows, RECORD_KEYS[name], columns=cols)
            result.added[name] = len(merged.added)
            if merged.duplicates:
                result.duplicates[name] = list(merged.duplicates)
        return result

    def revision(self) -> tuple[object, ...]:
        """A value that changes whenever anything in the workspace changes (another window or
        process wrote): data version, plan versions with status and pairs, hand-edit steps,
        schedules and the records' rows."""
        cur = self.store.current_data_version()
        plans = []
        for v in self.store.plan_versions():
            sched = self.store.latest_schedule(v.id)
            steps = len(self.store.edit_steps(v.id)) if v.status == PlanStatus.DRAFT else 0
            plans.append(
                (
                    v.id,
                    v.status.value,
                    hash(v.pairs),
                    v.adopted_on,
                    v.approved_on,
                    steps,
                    sched.id if sched else None,
                )
            )
        records = tuple((t, len(self.store.rows(t))) for t in self.store.record_tables())
        return (cur.id if cur else None, tuple(plans), records)

    def data_version_id(self) -> int | None:
        """The id of the data version in force (None before the first import)."""
        cur = self.store.current_data_version()
        return cur.id if cur else None

    def data_note(self) -> str:
        """What the data version in force was imported from (a file name, a staff change)."""
        cur = self.store.current_data_version()
        return cur.note if cur else ""

    def schedule_id(self, version: int) -> int | None:
        """The id of the latest schedule kept for a plan version."""
        s = self.store.latest_schedule(version)
        return s.id if s else None

    def original_pairs(self, version: int) -> list[Key]:
        """A draft's pairs before its first hand edit (its pairs when it has none)."""
        steps = self.store.edit_steps(version)
        if steps and isinstance(steps[0].payload, dict) and "before" in steps[0].payload:
            return [(str(a), str(b)) for a, b in steps[0].payload["before"]]
        return list(self.store.plan_version(version).pairs)

    def _write_data(self, folder: Path, *, with_history: bool) -> list[Path]:
        current = self.store.current_data_version()
        if current is None:
            raise InputError(
                [
                    InputProblem(
                        str(self.folder), "工作区中还没有数据", "the workspace holds no data"
                    )
                ]
            )
        rosters = {
            k: (current.columns.get(k, []), current.tables.get(k, []))
            for k in ROSTER_TABLES
            if k in current.tables or k in current.columns
        }
        records = {}
        for name in self.store.record_tables():
            rows = [r.values for r in self.store.rows(name)]
            records[name] = (self.store.record_columns(name), rows)
        history: dict[str, Path] = {}
        folder.mkdir(parents=True, exist_ok=True)
        if with_history:
            # The history files name people by the rosters; read them without history first.
            base = self._bare_for(current.id, rosters)
            stage = folder.parent / ".history"
            stage.mkdir(exist_ok=True)
            for cycle, version in sorted(self.earlier_plans().items()):
                path = stage / f"{len(history):03d}.csv"
                # Pairs of people on no roster of this version (another college's rosters
                # imported, a counselor removed from the table) cannot be written by name:
                # the rotation rule concerns the people on the rosters only.
                known = [
                    (a, b)
                    for a, b in version.pairs
                    if a in base.leader_by_id and b in base.counselor_by_id
                ]
                if not known:
                    continue
                plan = make_plan(base, known, cycle)
                write_plan_csv(path, base, plan, plan_reasons(base, plan))
                history[cycle] = path
        files = write_data_folder(folder, rosters, records, history)
        shutil.rmtree(folder.parent / ".history", ignore_errors=True)
        return files

    def _bare_for(self, version_id: int, rosters: Any) -> Problem:
        """The rosters of data version ``version_id`` read without history or records (a
        data version never changes, so the last one read is kept)."""
        cached = self._bare_cache
        if cached is not None and cached[0] == version_id:
            return cached[1]
        with tempfile.TemporaryDirectory(prefix="planner-ws-") as tmp:
            bare = Path(tmp) / "data"
            write_data_folder(bare, rosters, {})
            problem = load_data(bare).problem
        self._bare_cache = (version_id, problem)
        return problem

    # ----- plan versions ---------------------------------------------------------------------
    def plans(self, cycle: str | None = None) -> list[PlanVersion]:
        """Every plan version, oldest first."""
        return self.store.plan_versions(cycle=cycle)

    def earlier_plans(self) -> dict[str, PlanVersion]:
        """Per earlier cycle (before the current data's cycle): its last approved, else last
        adopted plan version."""
        current = self._current_cycle()
        out: dict[str, PlanVersion] = {}
        for v in self.store.plan_versions():
            if current is not None and not _starts_before(v.cycle, current):
                continue
            if v.status == PlanStatus.DRAFT:
                continue
            best = out.get(v.cycle)
            if best is None or _rank(v) >= _rank(best):
                out[v.cycle] = v
        return out

    def _current_cycle(self) -> str | None:
        cur = self.store.current_data_version()
        if cur is None:
            return None
        rosters = {
            k: (cur.columns.get(k, []), cur.tables.get(k, []))
            for k in ROSTER_TABLES
            if k in cur.tables or k in cur.columns
        }
        return self._bare_for(cur.id, rosters).cycle

    def add_plan(
        self,
        plan: Plan,
        origin: PlanOrigin,
        *,
        by: str = "",
        parent: int | None = None,
        change: Mapping[str, Any] | None = None,
        run_record: Mapping[str, Any] | None = None,
        at: datetime | None = None,
    ) -> int:
        """Keep ``plan`` as a new draft version."""
        cur = self.store.current_data_version()
        return self.store.add_plan_version(
            plan.cycle,
            [p.key for p in plan.pairs],
            origin,
            parent_id=parent,
            change=dict(change) if change else None,
            data_version_id=cur.id if cur else None,
            created_at=at,
            created_by=by,
            run_record=dict(run_record) if run_record else None,
        )

    def adopt(self, version: int, on: date, by: str = "") -> PlanVersion:
        """采用: the version is in force from ``on``."""
        return self.store.adopt_plan(version, on, by)

    def approve(self, version: int, on: date, by: str = "") -> PlanVersion:
        """已审定: the leading group approved the version on ``on``."""
        return self.store.approve_plan(version, on, by)

    def plan_xlsx_bytes(self, version: int, problem: Problem, lang: str = "zh") -> bytes:
        """``plan.xlsx`` of plan version ``version``: once it is 已审定 its 联系对应表 says
        经领导小组审定 with the day of approval."""
        v = self.store.plan_version(version)
        plan = make_plan(problem, v.pairs, v.cycle)
        approved = v.approved_on if v.status == PlanStatus.APPROVED else None
        return plan_xlsx_bytes(problem, plan, lang, approved_on=approved)

    def in_force(self, day: date) -> PlanVersion | None:
        """The plan in force on ``day``: the last version adopted on or before it."""
        return self.store.plan_in_force(day)

    def plans_in_force(self, problem: Problem, start: date, end: date) -> list[PlanInForce]:
        """Every version in force at some day of [start, end], each with the days it was in
        force, so a record counts against the plan in force on its date."""
        adopted = sorted(
            (v for v in self.store.plan_versions() if v.adopted_on is not None),
            key=lambda v: (v.adopted_on, v.id),
        )
        out = []
        for i, v in enumerate(adopted):
            assert v.adopted_on is not None
            nxt = next(
                (
                    w.adopted_on
                    for w in adopted[i + 1 :]
                    if w.adopted_on is not None and w.adopted_on > v.adopted_on
                ),
                None,
            )
            same_day_later = any(
                w.adopted_on == v.adopted_on and w.id > v.id for w in adopted[i + 1 :]
            )
            if same_day_later:
                continue
            last = date.fromordinal(nxt.toordinal() - 1) if nxt else None
            if (last is not None and last < start) or v.adopted_on > end:
                continue
            plan = pif(problem, v.pairs, None, source=f"方案版本 {v.id}")
            # An earlier cycle's version keeps its own cycle's days.
            c_start, c_end, c_years = cycle_bounds(v.cycle, problem, None)
            plan = PlanInForce(
                v.cycle,
                plan.pairs,
                c_start,
                c_end,
                plan.source,
                plan.names,
                c_years,
                valid_from=v.adopted_on,
                valid_to=last,
            )
            out.append(plan)
        return out

    def adopt_repair(
        self,
        outcome: WhatifOutcome,
        *,
        parent: int | None,
        on: date,
        by: str = "",
        at: datetime | None = None,
    ) -> int:
        """Adopt a what-if repair: the rosters change (leavers 离岗, joiners added) and the
        repaired plan is in force from ``on``. Returns the new plan version's id."""
        if outcome.result.plan is None:
            raise ValueError("adopt_repair needs a repaired plan")
        applied = outcome.applied
        ds = self.data()
        self.import_data(
            ds, problem=applied.problem, by=by, at=at, note=f"人员变动 {on.isoformat()}"
        )
        change = {
            "name": applied.change.name,
            "date": on.isoformat(),
            "leaders_leave": list(applied.left_leaders),
            "counselors_leave": list(applied.left_counselors),
            "leaders_join": list(applied.joined_leaders),
            "counselors_join": list(applied.joined_counselors),
            "moves": outcome.result.moves,
        }
        vid = self.add_plan(
            outcome.result.plan, PlanOrigin.REPAIR, by=by, parent=parent, change=change, at=at
        )
        for kind, ids in (
            ("leader_leave", applied.left_leaders),
            ("counselor_leave", applied.left_counselors),
            ("leader_join", applied.joined_leaders),
            ("counselor_join", applied.joined_counselors),
        ):
            for pid in ids:
                self.store.add_staff_change(
                    kind,
                    pid,
                    on,
                    payload={"change": applied.change.name},
                    plan_version_id=vid,
                    created_at=at,
                    created_by=by,
                )
        self.adopt(vid, on, by)
        return vid

    # ----- hand edits, schedules, records ----------------------------------------------------
    def edit(self, version: int, pairs: Sequence[Key], step: Mapping[str, Any]) -> None:
        """A hand edit of a draft: its new pairs and what was done (one step of the undo log).

        The pairs before the edit are kept with the step, so :meth:`undo` restores them.
        """
        before = [list(k) for k in self.store.plan_version(version).pairs]
        self.store.push_edit(version, {**dict(step), "before": before}, pairs=list(pairs))

    def undo(self, version: int) -> list[Key] | None:
        """Undo the draft's last hand edit; its pairs before that edit (None: nothing to undo)."""
        steps = self.store.edit_steps(version)
        if not steps:
            return None
        last = steps[-1].payload
        before = (
            [tuple(x) for x in (last or {}).get("before", [])] if isinstance(last, dict) else []
        )
        self.store.pop_edit(version, pairs=before)
        return [(a, b) for a, b in before]

    def edit_steps(self, version: int) -> int:
        """How many hand edits of the draft can be undone."""
        return len(self.store.edit_steps(version))

    def save_schedule(
        self,
        version: int,
        rows: Sequence[Mapping[str, str]],
        columns: Sequence[str],
        *,
        by: str = "",
        extra: Mapping[str, Any] | None = None,
    ) -> int:
        """Keep a schedule (its ``schedule.csv`` rows) for a plan version; ``extra`` is what
        the file cannot say (the cycle's bounds, the remarks), kept as its run record."""
        return self.store.add_schedule(
            version,
            list(rows),
            columns=list(columns),
            created_by=by,
            run_record=dict(extra) if extra else None,
        )

    def schedule_rows(self, version: int) -> tuple[list[str], list[dict[str, str]]] | None:
        """The latest schedule of a plan version: (columns, rows), None when it has none."""
        s = self.store.latest_schedule(version)
        return None if s is None else (list(s.columns), list(s.rows))

    def schedule_extra(self, version: int) -> dict[str, Any]:
        """What :meth:`save_schedule` kept beside the rows of the latest schedule."""
        s = self.store.latest_schedule(version)
        return dict(s.run_record) if s is not None and isinstance(s.run_record, dict) else {}

    def add_records(
        self, table: str, rows: Sequence[Mapping[str, object]], *, file: str = "网页录入"
    ) -> ImportResult:
        """Records entered on the page, validated exactly as a records table of DATA is.

        ``rows`` are typed the way the office types them (Chinese or English keys, any date
        form). Every problem is raised at once, naming the row and column; nothing is stored then.

        Raises
        ------
        InputError
            For a value the reader would refuse (a bad date, an unknown 形式, …).
        """
        from planner.io.data_files import table_rows
        from planner.io.read import read_table_file
        from planner.io.write import write_csv
        from planner.schema import TABLES

        schema = TABLES[table]
        keys = [c.key for c in schema.columns]
        with tempfile.TemporaryDirectory(prefix="planner-ws-") as tmp:
            path = Path(tmp) / f"{file}.csv"
            by_zh = {c.zh: c.key for c in schema.columns}
            norm = [{by_zh.get(k, k): v for k, v in r.items()} for r in rows]
            write_csv(
                path,
                [c.zh for c in schema.columns],
                [[_cell(r.get(k)) for k in keys] for r in norm],
            )
            typed = read_table_file(path, table)
        cols, text_rows = table_rows(schema, typed)
        merged = self.store.merge_rows(table, text_rows, RECORD_KEYS[table], columns=cols)
        cur = self.store.current_data_version()
        result = ImportResult(cur.id if cur else 0)
        result.added[table] = len(merged.added)
        if merged.duplicates:
            result.duplicates[table] = list(merged.duplicates)
        return result

    # ----- export and backup -----------------------------------------------------------------
    def export(self, out: Path, today: date | None = None, lang: str = "zh") -> ExportResult:
        """Write the workspace as the office's files (CONTRACT.md §11), all or none."""
        today = today or date.today()
        result = ExportResult()
        with staged_output(out, "workspace-export") as stage:
            files = self._write_data(stage / "data", with_history=True)
            result.files += [out / f.relative_to(stage) for f in files]
            ds = load_data(stage / "data")
            problem = ds.problem
            for i, v in enumerate(self.store.plan_versions(), start=1):
                folder = stage / "plans" / f"{i:03d}-{STATUS_FOLDER[v.status]}"
                folder.mkdir(parents=True, exist_ok=True)
                plan = make_plan(problem, v.pairs, v.cycle)
                write_plan_csv(
                    folder / "plan.csv", problem, plan, plan_reasons(problem, plan, lang), lang
                )
                write_json(folder / "plan.json", _version_record(v))
                result.files += [out / "plans" / folder.name / n for n in ("plan.csv", "plan.json")]
            now = self.in_force(today)
            result.plan_in_force = now
            # OUT/plan.csv is the plan in force today for the cycle data/ describes (an earlier
            # cycle's plan cannot be checked against today's rosters; it is under plans/).
            if now is not None and now.cycle == problem.cycle:
                plan = make_plan(problem, now.pairs, now.cycle)
                write_plan_csv(
                    stage / "plan.csv", problem, plan, plan_reasons(problem, plan, lang), lang
                )
                result.files.append(out / "plan.csv")
                sched = self.store.latest_schedule(now.id)
                if sched is not None:
                    from planner.io.write import write_csv

                    write_csv(
                        stage / "schedule.csv",
                        sched.columns,
                        [[r.get(c, "") for c in sched.columns] for r in sched.rows],
                    )
                    result.files.append(out / "schedule.csv")
        return result

    def export_zip_bytes(self, today: date | None = None, lang: str = "zh") -> bytes:
        """:meth:`export` as one zip (``data/``, ``plans/``, ``plan.csv``, ``schedule.csv``)."""
        from planner.io.write import zip_folder_bytes

        return zip_folder_bytes(lambda root: self.export(root, today, lang).files)

    def backup(self, dest: Path) -> Path:
        """One consistent copy of the workspace, safe while the page runs."""
        return self.store.backup(dest)


ORIGIN_LABEL = {
    PlanOrigin.SOLVER: ("求解", "solver"),
    PlanOrigin.REPAIR: ("人员变动调整", "repair"),
    PlanOrigin.HAND_EDIT: ("手工调整", "hand edit"),
    PlanOrigin.UPLOAD: ("上传", "upload"),
    PlanOrigin.IMPORT: ("历史联系导入", "imported history"),
}


def version_row(v: PlanVersion, lang: str = "zh", current: bool = False) -> list[str]:
    """One line of the plan-version list: id, cycle, status, origin, pairs, saved, in force
    from, approved, and what made it (the change, the parent)."""
    zh = lang == "zh"
    origin = ORIGIN_LABEL[v.origin][0 if zh else 1]
    note = []
    if current:
        note.append("当前" if zh else "current")
    change = v.change if isinstance(v.change, dict) else {}
    if change.get("name"):
        note.append(str(change["name"]))
    if change.get("leaders_leave"):
        note.append(("离岗 " if zh else "leave ") + "、".join(map(str, change["leaders_leave"])))
    if change.get("leaders_join"):
        note.append(("到岗 " if zh else "join ") + "、".join(map(str, change["leaders_join"])))
    if v.parent_id is not None:
        note.append(f"由版本 {v.parent_id} 而来" if zh else f"from version {v.parent_id}")
    return [
        str(v.id),
        v.cycle,
        STATUS_FOLDER[v.status] if zh else v.status.value,
        origin,
        str(len(v.pairs)),
        v.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
        v.adopted_on.isoformat() if v.adopted_on else "",
        v.approved_on.isoformat() if v.approved_on else "",
        ";".join(note),
    ]


def records_in(ds: DataSet) -> dict[str, int]:
    """The records tables of ``ds`` (联系记录, growth, news, issues, …) with their row counts."""
    return {name: len(rows) for name, (_, rows) in record_tables(ds).items()}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _version_record(v: PlanVersion) -> dict[str, Any]:
    return {
        "version": v.id,
        "cycle": v.cycle,
        "status": v.status.value,
        "status_zh": STATUS_FOLDER[v.status],
        "origin": v.origin.value,
        "parent": v.parent_id,
        "created_at": v.created_at.isoformat(timespec="seconds"),
        "created_by": v.created_by,
        "adopted_on": v.adopted_on.isoformat() if v.adopted_on else None,
        "adopted_by": v.adopted_by,
        "approved_on": v.approved_on.isoformat() if v.approved_on else None,
        "approved_by": v.approved_by,
        "change": v.change,
        "pairs": len(v.pairs),
    }


def _rank(v: PlanVersion) -> tuple[int, int]:
    return (1 if v.status == PlanStatus.APPROVED else 0, v.id)


def _starts_before(cycle: str, current: str) -> bool:
    from models import cycle_first_year

    a, b = cycle_first_year(cycle), cycle_first_year(current)
    return a is not None and b is not None and a < b


def pairs_of(version: PlanVersion) -> Sequence[Key]:
    """The pairs of a plan version, in order."""
    return version.pairs
