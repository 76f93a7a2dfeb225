"""What unstuck remembers across tasks: one SQLite file in WAL mode.

Episodes (one per run) with their steps' fingerprints, lessons (reflections that preceded a
success), adapters (accepted or not, keyed by repo and failure fingerprint) and successes for
replay. Every write is its own transaction, so a crash loses nothing already committed.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

APPLICATION_ID = 0x756E7374  # "unst": marks the file as ours
SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS episodes (
    id INTEGER PRIMARY KEY, repo TEXT NOT NULL, goal TEXT, check_cmd TEXT, model TEXT, strategy TEXT,
    status TEXT NOT NULL DEFAULT 'running', started REAL NOT NULL, ended REAL, steps INTEGER DEFAULT 0,
    first_fingerprint TEXT, trajectory TEXT, summary TEXT
);
CREATE TABLE IF NOT EXISTS steps (
    episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
    action TEXT, fingerprint TEXT, n_failed INTEGER, verdict TEXT, PRIMARY KEY (episode_id, idx)
);
CREATE TABLE IF NOT EXISTS lessons (
    id INTEGER PRIMARY KEY, episode_id INTEGER REFERENCES episodes(id) ON DELETE CASCADE,
    repo TEXT NOT NULL, fingerprint TEXT, text TEXT NOT NULL, created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS adapters (
    id INTEGER PRIMARY KEY, episode_id INTEGER REFERENCES episodes(id) ON DELETE CASCADE,
    repo TEXT NOT NULL, fingerprint TEXT, model TEXT NOT NULL, path TEXT, accepted INTEGER NOT NULL,
    metrics TEXT, created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS successes (
    id INTEGER PRIMARY KEY, episode_id INTEGER REFERENCES episodes(id) ON DELETE CASCADE,
    repo TEXT NOT NULL, messages TEXT NOT NULL, target TEXT NOT NULL, created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS lessons_repo ON lessons(repo, fingerprint);
CREATE INDEX IF NOT EXISTS adapters_repo ON adapters(repo, fingerprint, model);
"""


def _locked(method: Callable[..., Any]) -> Callable[..., Any]:
    """One thread at a time on the connection (a run writes from its worker thread, a surface reads)."""

    @functools.wraps(method)
    def wrapper(self: Memory, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            return method(self, *args, **kwargs)

    return wrapper


class MemoryUnusable(Exception):
    """The memory file cannot be used (corrupt, foreign, unwritable); the message says which."""


@dataclass
class Recall:
    """What memory knows at the start of a task on a repo with a given failure."""

    lessons: list[str] = field(default_factory=list)
    adapter: dict[str, Any] | None = None
    """The newest accepted adapter for this repo, fingerprint and model, if its files still exist."""
    episodes: int = 0
    """Earlier episodes on this repo with the same starting failure."""
    failed_actions: list[str] = field(default_factory=list)
    """Edits that earlier episodes tried on this failure without fixing it."""


class Memory:
    """The store. Open it with ``Memory(path)``; use it as a context manager or call ``close``."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            self.db.row_factory = sqlite3.Row
            self._open()
        except sqlite3.DatabaseError as error:
            raise MemoryUnusable(f"memory file {self.path} cannot be used: {error}") from error
        except OSError as error:
            raise MemoryUnusable(f"memory file {self.path} cannot be opened: {error.strerror or error}") from error

    def _open(self) -> None:
        app_id = self.db.execute("PRAGMA application_id").fetchone()[0]
        tables = self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if tables and app_id != APPLICATION_ID:
            raise MemoryUnusable(f"{self.path} is an SQLite file of another program, not unstuck's memory")
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise MemoryUnusable(f"{self.path} was written by a newer unstuck (schema {version})")
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.execute("PRAGMA synchronous=NORMAL")
        with self._transaction():
            for statement in _statements(_SCHEMA):
                self.db.execute(statement)
            self.db.execute(f"PRAGMA application_id={APPLICATION_ID}")
            self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    @_locked
    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Memory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------------

    @_locked
    def start_episode(self, repo: str, goal: str, check: str, model: str, strategy: str,
                      fingerprint: str | None, trajectory: str | None = None) -> int:
        with self._transaction():
            cursor = self.db.execute(
                "INSERT INTO episodes (repo, goal, check_cmd, model, strategy, started, first_fingerprint, trajectory)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (repo, goal, check, model, strategy, time.time(), fingerprint, trajectory),
            )
        return int(cursor.lastrowid)

    @_locked
    def record_step(self, episode: int, index: int, action: str | None, fingerprint: str | None,
                    n_failed: int | None, verdict: str | None) -> None:
        with self._transaction():
            self.db.execute("INSERT OR REPLACE INTO steps VALUES (?, ?, ?, ?, ?, ?)",
                            (episode, index, action, fingerprint, n_failed, verdict))
            self.db.execute("UPDATE episodes SET steps = ? WHERE id = ?", (index + 1, episode))

    @_locked
    def finish_episode(self, episode: int, status: str, summary: dict[str, Any]) -> None:
        with self._transaction():
            self.db.execute("UPDATE episodes SET status = ?, ended = ?, summary = ? WHERE id = ?",
                            (status, time.time(), json.dumps(summary), episode))

    @_locked
    def add_lesson(self, episode: int, repo: str, fingerprint: str | None, text: str) -> None:
        with self._transaction():
            self.db.execute("INSERT INTO lessons (episode_id, repo, fingerprint, text, created) VALUES (?, ?, ?, ?, ?)",
                            (episode, repo, fingerprint, text, time.time()))

    @_locked
    def add_adapter(self, episode: int, repo: str, fingerprint: str | None, model: str, path: str | None,
                    accepted: bool, metrics: dict[str, Any]) -> int:
        with self._transaction():
            cursor = self.db.execute(
                "INSERT INTO adapters (episode_id, repo, fingerprint, model, path, accepted, metrics, created)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (episode, repo, fingerprint, model, path, int(accepted), json.dumps(metrics), time.time()),
            )
        return int(cursor.lastrowid)

    @_locked
    def add_success(self, episode: int, repo: str, messages: list[dict[str, str]], target: str) -> None:
        with self._transaction():
            self.db.execute(
                "INSERT INTO successes (episode_id, repo, messages, target, created) VALUES (?, ?, ?, ?, ?)",
                (episode, repo, json.dumps(messages), target, time.time()))

    # -- reading ---------------------------------------------------------------------------------

    @_locked
    def recall(self, repo: str, fingerprint: str | None, model: str) -> Recall:
        """Lessons, the archived adapter and earlier attempts for this repo and starting failure."""
        lessons = [r["text"] for r in self.db.execute(
            "SELECT text FROM lessons WHERE repo = ? ORDER BY (fingerprint IS ?) DESC, created DESC LIMIT 3",
            (repo, fingerprint))]
        adapter = None
        for row in self.db.execute(
            "SELECT * FROM adapters WHERE repo = ? AND fingerprint IS ? AND model = ? AND accepted = 1"
            " ORDER BY created DESC", (repo, fingerprint, model)):
            if row["path"] and Path(row["path"]).is_dir():
                adapter = {**dict(row), "metrics": json.loads(row["metrics"] or "{}")}
                break
        episodes = self.db.execute(
            "SELECT count(*) FROM episodes WHERE repo = ? AND first_fingerprint IS ? AND status != 'running'",
            (repo, fingerprint)).fetchone()[0]
        failed = [r["action"] for r in self.db.execute(
            "SELECT DISTINCT s.action FROM steps s JOIN episodes e ON e.id = s.episode_id"
            " WHERE e.repo = ? AND e.first_fingerprint IS ? AND s.fingerprint IS ? AND s.action LIKE 'write%'"
            " LIMIT 3", (repo, fingerprint, fingerprint))]
        return Recall(lessons, adapter, int(episodes), failed)

    @_locked
    def replay(self, limit: int = 8) -> list[tuple[list[dict[str, str]], str]]:
        """Stored successes (messages, reply), newest first."""
        rows = self.db.execute("SELECT messages, target FROM successes ORDER BY created DESC LIMIT ?", (limit,))
        return [(json.loads(r["messages"]), r["target"]) for r in rows]

    @_locked
    def repo_summary(self, repo: str) -> dict[str, int]:
        """How much memory holds for ``repo``: episodes, lessons, accepted adapters."""
        count = {table: self.db.execute(f"SELECT count(*) FROM {table} WHERE repo = ?{extra}", (repo,)).fetchone()[0]
                 for table, extra in (("episodes", ""), ("lessons", ""), ("adapters", " AND accepted = 1"))}
        return {"episodes": count["episodes"], "lessons": count["lessons"], "adapters": count["adapters"]}

    @_locked
    def episodes(self, repo: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        query = "SELECT * FROM episodes" + (" WHERE repo = ?" if repo else "") + " ORDER BY id DESC LIMIT ?"
        return [dict(r) for r in self.db.execute(query, (repo, limit) if repo else (limit,))]

    @_locked
    def episode(self, episode: int) -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM episodes WHERE id = ?", (episode,)).fetchone()
        if row is None:
            return None
        result = dict(row)
        for table in ("steps", "lessons", "adapters"):
            order = "idx" if table == "steps" else "id"
            result[table] = [dict(r) for r in self.db.execute(
                f"SELECT * FROM {table} WHERE episode_id = ? ORDER BY {order}", (episode,))]
        return result

    @_locked
    def forget(self, episode: int | None = None, repo: str | None = None) -> int:
        """Delete one episode, or every episode of a repo, or everything; returns episodes removed.

        Adapter files on disk are left to the caller (their paths are returned by ``adapter_paths``).
        """
        with self._transaction():
            if episode is not None:
                cursor = self.db.execute("DELETE FROM episodes WHERE id = ?", (episode,))
            elif repo is not None:
                cursor = self.db.execute("DELETE FROM episodes WHERE repo = ?", (repo,))
                for table in ("lessons", "adapters", "successes"):
                    self.db.execute(f"DELETE FROM {table} WHERE repo = ?", (repo,))
            else:
                cursor = self.db.execute("DELETE FROM episodes")
                for table in ("lessons", "adapters", "successes", "steps"):
                    self.db.execute(f"DELETE FROM {table}")
        return cursor.rowcount

    @_locked
    def adapter_paths(self, episode: int | None = None, repo: str | None = None) -> list[str]:
        if episode is not None:
            rows = self.db.execute("SELECT path FROM adapters WHERE episode_id = ?", (episode,))
        elif repo is not None:
            rows = self.db.execute("SELECT path FROM adapters WHERE repo = ?", (repo,))
        else:
            rows = self.db.execute("SELECT path FROM adapters")
        return [r["path"] for r in rows if r["path"]]


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
