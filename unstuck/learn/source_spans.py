"""Character offsets of ast nodes in their source (ast counts lines from 1 and columns in UTF-8 bytes)."""

from __future__ import annotations

import ast


def position(code: str, lineno: int, col_offset: int) -> int:
    """A character offset from ast's (1-based line, UTF-8 byte column)."""
    lines = code.splitlines(keepends=True)
    line = lines[lineno - 1] if lineno - 1 < len(lines) else ""
    return len("".join(lines[: lineno - 1])) + len(line.encode("utf-8")[:col_offset].decode("utf-8", "replace"))


def start_of(code: str, node: ast.AST) -> int:
    return position(code, node.lineno, node.col_offset)


def end_of(code: str, node: ast.AST) -> int:
    return position(code, node.end_lineno, node.end_col_offset)
