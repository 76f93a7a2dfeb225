"""The action language: what a reply from the model may ask for, and how it is parsed.

Kept small enough for a 135M model to follow. A reply holds one action:

* a ```` ```bash ```` block — run the command in the sandbox;
* ``WRITE path`` followed by a code block — replace the whole file;
* a bare ```` ```python ```` block — replace the whole *focus file* (the file under repair);
* ``EDIT path`` followed by one or more ``<<<<<<< SEARCH`` / ``=======`` / ``>>>>>>> REPLACE`` blocks;
* ``FINISH`` on its own line — the agent believes the check passes now;
* a whole Python file without a fence (small models drop fences) — replaces the focus file, when
  it parses and defines, imports or assigns something at its top level.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

FORMAT_HELP = (
    "Reply with exactly one action:\n"
    "- the whole fixed file in a ```python code block (it replaces {focus}), or\n"
    "- WRITE <path> then a code block with the whole new file, or\n"
    "- EDIT <path> then <<<<<<< SEARCH / old lines / ======= / new lines / >>>>>>> REPLACE, or\n"
    "- a ```bash code block with one shell command to run, or\n"
    "- FINISH when the check passes."
)
ACTION_STOP = "\n```\n"
"""A reply ends when its code block closes (the stop string for generation)."""
_FENCE = re.compile(r"```([\w+-]*)[ \t]*\n(.*?)(?:```|\Z)", re.S)
_WRITE = re.compile(r"^\s*WRITE\s+`?([^\s`]+)`?\s*$", re.M)
_EDIT = re.compile(r"^\s*EDIT\s+`?([^\s`]+)`?\s*$", re.M)
_BLOCK = re.compile(r"<<<<<<< SEARCH\n(.*?)\n?=======\n(.*?)\n?>>>>>>> REPLACE", re.S)
_FINISH = re.compile(r"^\s*FINISH\s*\.?\s*$", re.M)
_SHELL = {"bash", "sh", "shell", "console"}


class FormatError(ValueError):
    """A reply with no action in it; the message is the hint shown to the model."""


@dataclass(frozen=True)
class Action:
    """One parsed action."""

    kind: str
    """``run``, ``write``, ``edit`` or ``finish``."""
    path: str = ""
    text: str = ""
    """The command (``run``) or the new file content (``write``)."""
    edits: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    """(search, replace) pairs for ``edit``."""
    bare: bool = False
    """A code block with no ``WRITE path``: the focus file — or, for a long one shown as a region, the
    part of it the block redefines."""

    @property
    def changes_files(self) -> bool:
        return self.kind in ("write", "edit")

    def key(self) -> str:
        """What identifies the action when comparing steps (whitespace at the ends ignored)."""
        body = self.text.strip() if self.kind != "edit" else "\n".join(f"{s}\0{r}" for s, r in self.edits)
        return f"{self.kind}:{self.path}:{body}"

    def summary(self) -> str:
        if self.kind == "run":
            return f"run: {self.text.strip().splitlines()[0][:80] if self.text.strip() else ''}"
        if self.kind == "write":
            return f"write {self.path} ({len(self.text.splitlines())} lines)"
        if self.kind == "edit":
            return f"edit {self.path} ({len(self.edits)} block(s))"
        return "finish"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "path": self.path, "text": self.text, "edits": [list(e) for e in self.edits]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Action:
        return cls(data["kind"], data.get("path", ""), data.get("text", ""),
                   tuple(tuple(e) for e in data.get("edits", [])))


def parse_action(reply: str, focus: str | None) -> Action:
    """The action in ``reply``; ``FormatError`` (with a hint for the model) when there is none."""
    edit = _EDIT.search(reply)
    if edit:
        blocks = [(s, r) for s, r in _BLOCK.findall(reply[edit.end():])]
        if not blocks:
            raise FormatError(f"EDIT {edit.group(1)} needs <<<<<<< SEARCH / ======= / >>>>>>> REPLACE blocks.")
        return Action("edit", edit.group(1), edits=tuple(blocks))
    write = _WRITE.search(reply)
    fences = list(_FENCE.finditer(reply))
    if write:
        after = [f for f in fences if f.start() > write.start()]
        if not after:
            raise FormatError(f"WRITE {write.group(1)} needs the new file in a code block after it.")
        return Action("write", write.group(1), _with_newline(after[0].group(2)))
    for fence in fences:
        language, body = fence.group(1).lower(), fence.group(2)
        if language in _SHELL and body.strip():
            return Action("run", text=body.strip())
        if body.strip() and focus:
            return Action("write", focus, _with_newline(body), bare=True)
    if _FINISH.search(reply):
        return Action("finish")
    if focus and focus.endswith(".py") and _is_python_file(reply):
        return Action("write", focus, _with_newline(reply.strip("\n")), bare=True)
    raise FormatError("No action found in your reply.")


def _is_python_file(text: str) -> bool:
    """A reply that is a Python module (not prose that happens to parse): definitions, imports or assignments."""
    if not text.strip():
        return False
    try:
        module = ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom, ast.Assign)
    return any(isinstance(node, kinds) for node in module.body)


def apply_edits(source: str, edits: tuple[tuple[str, str], ...], path: str) -> str:
    """``source`` with each SEARCH block replaced once; ``FormatError`` if a block is not found."""
    for search, replace in edits:
        if search and search in source:
            source = source.replace(search, replace, 1)
        elif search.strip() and search.strip() in source:
            source = source.replace(search.strip(), replace.strip(), 1)
        else:
            raise FormatError(f"The SEARCH block was not found in {path}; copy the lines exactly as they are.")
    return source


def _with_newline(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"
