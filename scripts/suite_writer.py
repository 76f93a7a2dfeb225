"""Writes a suite of bench tasks: each task's repo as given, and its task.json with the reference fix as a
git diff (made by git itself). The ``make_*_suite.py`` scripts hold the tasks as data and call ``write_suite``."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path


def reference_patch(files: dict[str, str], fixed: dict[str, str]) -> str:
    """The change from ``files`` to ``files`` with ``fixed`` written over them, as ``git diff`` prints it."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        for name, text in files.items():
            (repo / name).write_text(text)
        git = ["git", "-c", "user.name=u", "-c", "user.email=u@u"]
        subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
        subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
        subprocess.run([*git, "commit", "-qm", "as given"], cwd=repo, check=True)
        for name, text in fixed.items():
            (repo / name).write_text(text)
        return subprocess.run([*git, "diff"], cwd=repo, check=True, capture_output=True, text=True).stdout


def write_suite(tasks: dict[str, dict], out: Path) -> None:
    """One folder per task under ``out``: the files as given and task.json (goal, check, kind, reference_patch,
    fact, hidden_test)."""
    for name, task in tasks.items():
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        for path, text in task["files"].items():
            (folder / path).write_text(text)
        meta = {"goal": task["goal"], "check": task["check"], "kind": task["kind"],
                "reference_patch": reference_patch(task["files"], task["fixed"]), "fact": task["fact"],
                "hidden_test": task["hidden"]}
        (folder / "task.json").write_text(json.dumps(meta, indent=2) + "\n")
