"""The run store: an SQLite database of runs and their items (stdlib ``sqlite3``, pandas for tables).

Each item is written in its own transaction the moment it finishes, so a crash, Ctrl-C or SIGKILL
loses at most the items in flight; a run whose ``ended`` is NULL was interrupted and ``--resume``
finishes it. The queryable columns (status, verdicts, metrics, tokens) sit beside the item's full
JSON, which reads back into the same dataclasses (``Item.from_dict``).
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import closing, contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from rtlgen.errors import ConfigError
from rtlgen.regress.model import Item, RunInfo

if TYPE_CHECKING:
    import pandas as pd

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tag TEXT, suites TEXT NOT NULL, candidates TEXT NOT NULL,
    started TEXT NOT NULL, ended TEXT,
    rtlgen_version TEXT, git_commit TEXT, tool_versions TEXT,
    flow TEXT, liberty TEXT, liberty_sha256 TEXT, clock_ns REAL, llm_model TEXT,
    info TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS items (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    suite TEXT NOT NULL, problem TEXT NOT NULL,
    candidate_hash TEXT, status TEXT NOT NULL,
    lint TEXT, autotb TEXT, formal TEXT, official TEXT, strength TEXT, failure_class TEXT,
    area_um2 REAL, delay_ns REAL, power_w REAL,
    prompt_tokens INTEGER, completion_tokens INTEGER,
    started TEXT, ended TEXT, seconds REAL,
    data TEXT NOT NULL,
    PRIMARY KEY (run_id, suite, problem)
);
CREATE INDEX IF NOT EXISTS items_problem ON items (suite, problem);
"""
ITEM_COLUMNS = ("run_id", "suite", "problem", "candidate_hash", "status", "lint", "autotb", "formal", "official",
                "strength", "failure_class", "area_um2", "delay_ns", "power_w", "prompt_tokens",
                "completion_tokens", "started", "ended", "seconds")


def now() -> str:
    """UTC timestamp, ISO 8601 with seconds: sorts as text and reads as a date."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """One SQLite file. Opens a short-lived connection per operation, so it can be handed to threads
    and survive a crash of the writer (WAL journal: readers never block the writer)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser().resolve()
        if self.path.is_dir():
            raise ConfigError(f"--store {self.path} is a folder; give a database file, e.g. {self.path}/regress.db")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)
            found = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if found is None:
                db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            elif int(found[0]) != SCHEMA_VERSION:
                raise ConfigError(f"{self.path}: store schema {found[0]}, this rtlgen reads schema {SCHEMA_VERSION}")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A transaction: committed when the block ends, rolled back if it raises."""
        try:
            conn = sqlite3.connect(self.path, timeout=30)
        except sqlite3.Error as exc:
            raise ConfigError(f"cannot open the run store {self.path}: {exc}") from exc
        with closing(conn):
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")  # an acknowledged item survives a power cut too
            with conn:
                yield conn

    # --- runs -------------------------------------------------------------------------------------
    def start_run(self, info: RunInfo) -> RunInfo:
        """Record a new run (``ended`` NULL until ``finish_run``) and return it with its id."""
        with self._connect() as db:
            cur = db.execute(
                "INSERT INTO runs (tag, suites, candidates, started, rtlgen_version, git_commit, tool_versions, flow, "
                "liberty, liberty_sha256, clock_ns, llm_model, info) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (info.tag, ",".join(info.suites), info.candidates, info.started, info.rtlgen_version, info.git_commit,
                 json.dumps(info.tool_versions), info.flow, info.liberty, info.liberty_sha256, info.clock_ns,
                 info.llm_model, "{}"))
            stored = info.with_(id=cur.lastrowid)
            db.execute("UPDATE runs SET info = ? WHERE id = ?", (json.dumps(stored.to_dict()), stored.id))
        return stored

    def finish_run(self, run: RunInfo) -> RunInfo:
        done = run.with_(ended=now())
        with self._connect() as db:
            db.execute("UPDATE runs SET ended = ?, info = ? WHERE id = ?", (done.ended, json.dumps(done.to_dict()), run.id))
        return done

    def runs(self) -> list[RunInfo]:
        """Every run, oldest first."""
        with self._connect() as db:
            return [RunInfo.from_dict(json.loads(row[0])) for row in db.execute("SELECT info FROM runs ORDER BY id")]

    def run(self, run_id: int) -> RunInfo:
        found = [r for r in self.runs() if r.id == run_id]
        if not found:
            raise ConfigError(f"{self.path} has no run {run_id}")
        return found[0]

    def interrupted(self, suites: tuple[str, ...] | None = None) -> RunInfo | None:
        """The newest run that never ended (optionally over exactly these suites)."""
        open_runs = [r for r in self.runs() if not r.complete and (suites is None or r.suites == suites)]
        return open_runs[-1] if open_runs else None

    # --- items ------------------------------------------------------------------------------------
    def record(self, run_id: int, item: Item) -> None:
        """Write one item in its own transaction (replacing an earlier record of the same problem)."""
        rec = item.record
        values = (run_id, item.suite, item.problem, item.candidate_hash, item.status, rec.lint, rec.autotb,
                  rec.formal, rec.official, rec.strength, rec.failure_class, rec.area_um2, rec.delay_ns, rec.power_w,
                  item.llm.get("prompt_tokens"), item.llm.get("completion_tokens"), item.started, item.ended,
                  item.seconds, json.dumps(item.to_dict()))
        with self._connect() as db:
            db.execute(f"INSERT OR REPLACE INTO items ({', '.join(ITEM_COLUMNS)}, data) "
                       f"VALUES ({', '.join('?' * (len(ITEM_COLUMNS) + 1))})", values)

    def items(self, run_id: int) -> list[Item]:
        """The run's items as the dataclasses they were written from, in (suite, problem) order."""
        with self._connect() as db:
            rows = db.execute("SELECT data FROM items WHERE run_id = ? ORDER BY suite, problem", (run_id,))
            return [Item.from_dict(json.loads(row[0])) for row in rows]

    def recorded_keys(self, run_id: int) -> set[tuple[str, str]]:
        with self._connect() as db:
            return {(s, p) for s, p in db.execute("SELECT suite, problem FROM items WHERE run_id = ?", (run_id,))}

    def last_seconds(self) -> dict[tuple[str, str], float]:
        """Each (suite, problem)'s time in its most recent recorded item: what to schedule first."""
        with self._connect() as db:
            rows = db.execute("SELECT suite, problem, seconds FROM items ORDER BY run_id")
            return {(suite, problem): seconds for suite, problem, seconds in rows}

    # --- tables -----------------------------------------------------------------------------------
    def table(self, problem: str | None = None, suite: str | None = None) -> "pd.DataFrame":
        """Every item of every run joined with its run's tag and start time (pandas), oldest run first."""
        import pandas as pd

        where, params = [], []
        if problem:
            where.append("i.problem = ?")
            params.append(problem)
        if suite:
            where.append("i.suite = ?")
            params.append(suite)
        sql = (f"SELECT r.id AS run, r.tag, r.started AS run_started, r.ended IS NOT NULL AS complete, "
               f"{', '.join('i.' + c for c in ITEM_COLUMNS if c != 'run_id')} FROM items i JOIN runs r ON r.id = i.run_id"
               + (f" WHERE {' AND '.join(where)}" if where else "") + " ORDER BY r.id, i.suite, i.problem")
        with self._connect() as db:
            return pd.read_sql_query(sql, db, params=params)
