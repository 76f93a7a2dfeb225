"""A map of the repo for the prompt: files, classes and function signatures, ranked to fit a budget.

Python files are parsed with tree-sitter (the per-language grammar wheel); other files are listed
by name. The failing tests' files come first, then the files they import, then the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from sandbox.snapshot import repo_files

from .trajectory import CheckResult

_DEFINITIONS = ("function_definition", "class_definition")
MAX_MAP_FILE_BYTES = 100_000


@dataclass
class FileSummary:
    """One file's entry in the map."""

    path: str
    signatures: list[str] = field(default_factory=list)

    def render(self) -> str:
        return "\n".join([f"{self.path}:", *(f"  {s}" for s in self.signatures)]) if self.signatures else self.path


@cache
def _parser():
    import tree_sitter_python
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_python.language()))


def python_signatures(source: str) -> list[str]:
    """``class X(Base):`` and ``def f(args) -> T:`` lines (methods indented), in file order."""
    tree = _parser().parse(source.encode("utf-8", errors="replace"))
    found: list[str] = []

    def visit(node, depth: int) -> None:
        for child in node.children:
            target = child
            if child.type == "decorated_definition":
                target = child.child_by_field_name("definition") or child
            if target.type in _DEFINITIONS:
                body = target.child_by_field_name("body")
                end = body.start_byte if body is not None else target.end_byte
                header = target.text[: end - target.start_byte].decode("utf-8", errors="replace")
                found.append("  " * depth + " ".join(header.split()))
                if body is not None and target.type == "class_definition":
                    visit(body, depth + 1)

    visit(tree.root_node, 0)
    return found


def imported_files(files: dict[str, str], path: str) -> list[str]:
    """The repo files that ``path`` imports (``from pkg.mod import x`` → ``pkg/mod.py``), sorted by module name."""
    modules = {p[:-3].replace("/", "."): p for p in files if p.endswith(".py")}
    found = []
    for name in sorted(set(re.findall(r"^\s*(?:from|import)\s+([\w.]+)", files.get(path, ""), re.M))):
        target = modules.get(name) or modules.get(name.split(".")[-1])
        if target and target not in found:
            found.append(target)
    return found


def build_repo_map(files: dict[str, str], first: list[str] = (), budget_chars: int = 1500) -> str:
    """The map of ``files`` (path → text), ``first`` files and what they import ranked on top,
    cut to ``budget_chars``; files that did not fit are counted at the end."""
    ranked: list[str] = [p for p in first if p in files]
    for path in list(ranked):
        ranked.extend(target for target in imported_files(files, path) if target not in ranked)
    rest = sorted((p for p in files if p not in ranked), key=lambda p: (not p.endswith(".py"), p.count("/"), p))
    lines: list[str] = []
    used = 0
    left_out = 0
    for path in [*ranked, *rest]:
        entry = FileSummary(path, python_signatures(files[path]) if path.endswith(".py") else []).render()
        if used + len(entry) + 1 > budget_chars:
            left_out += 1
            continue
        lines.append(entry)
        used += len(entry) + 1
    if left_out:
        lines.append(f"(… {left_out} more file(s) not shown)")
    return "\n".join(lines)


def read_repo(repo: Path) -> dict[str, str]:
    """Text of the repo's files (read-only), for the repo map; big or binary files as empty."""
    files = {}
    for name in repo_files(repo):
        path = repo / name
        try:
            data = path.read_bytes() if path.is_file() and path.stat().st_size <= MAX_MAP_FILE_BYTES else b""
        except OSError:
            data = b""
        files[name] = "" if b"\0" in data else data.decode("utf-8", errors="replace")
    return files


def is_test_file(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name.startswith("test_") or name.endswith("_test.py") or "/tests/" in f"/{path}" or name == "conftest.py"


def find_focus(files: dict[str, str], check: CheckResult) -> str | None:
    """The file to repair: where the failure points outside the tests, else what the failing test imports."""
    for failure in check.failures:
        frame_path = failure.frame.split(":")[0]
        if frame_path in files and not is_test_file(frame_path):
            return frame_path
    for failure in check.failures:
        test_path = failure.test_id.split("::")[0]
        for target in imported_files(files, test_path):
            if not is_test_file(target):
                return target
    candidates = [p for p in files if p.endswith(".py") and not is_test_file(p)]
    return candidates[0] if candidates else None
