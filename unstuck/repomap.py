"""A map of the repo for the prompt: files, classes and function signatures, ranked to fit a budget.

Python files are parsed with tree-sitter (the per-language grammar wheel); other files are listed
by name. The failing tests' files come first, then the files they import, then the rest.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
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


_FROM_IMPORT = re.compile(r"^\s*from\s+([\w.]+)\s+import\s+\(?([\w\s,*]+?)\)?\s*$", re.M)
_IMPORT = re.compile(r"^\s*import\s+([\w.]+)", re.M)
_RELATIVE = re.compile(r"^\s*from\s+(\.+)([\w.]*)\s+import\s+\(?([\w\s,*]+?)\)?\s*$", re.M)


def module_files(files: dict[str, str]) -> dict[str, str]:
    """Module name → file, packages by their ``__init__.py``, a ``src/`` layout without its prefix."""
    modules = {p[:-3].replace("/", "."): p for p in files if p.endswith(".py")}
    modules.update({p[: -len("/__init__.py")].replace("/", "."): p for p in files if p.endswith("/__init__.py")})
    for module, file in list(modules.items()):
        if module.startswith("src."):
            modules.setdefault(module[4:], file)
    return modules


def defining_file(files: dict[str, str], module_file: str, name: str, seen: frozenset[str] = frozenset()) -> str:
    """The file that defines ``name`` as ``module_file`` exposes it, following a package's relative
    re-exports (``from .slugify import *``); ``module_file`` itself when it defines it or cannot tell."""
    source = files.get(module_file, "")
    if module_file in seen or re.search(rf"^(?:async\s+)?(?:def|class)\s+{name}\b|^{name}\s*=", source, re.M):
        return module_file
    package = module_file.rsplit("/", 1)[0] if "/" in module_file else ""
    for dots, module, names in _RELATIVE.findall(source):
        imported = {n.strip().split(" as ")[0] for n in names.split(",")}
        if "*" not in imported and name not in imported:
            continue
        base = package.split("/")[: len(package.split("/")) - (len(dots) - 1)] if package else []
        stem = "/".join([*base, *module.split(".")]) if module else "/".join(base)
        for target in (f"{stem}.py", f"{stem}/__init__.py"):
            if target in files:
                found = defining_file(files, target, name, seen | {module_file})
                if found != target or re.search(rf"^(?:def|class)\s+{name}\b", files[target], re.M):
                    return found
    return module_file


def imported_files(files: dict[str, str], path: str) -> list[str]:
    """The repo files that ``path`` imports, the file defining each imported name first
    (``from pkg import f`` → where ``f`` is defined, through ``pkg/__init__.py``'s re-exports)."""
    modules, source = module_files(files), files.get(path, "")
    found: list[str] = []

    def add(file: str | None) -> None:
        if file and file not in found:
            found.append(file)

    for module, names in sorted(_FROM_IMPORT.findall(source)):
        target = modules.get(module) or modules.get(module.split(".")[-1])
        if target is None:
            continue
        for name in (n.strip().split(" as ")[0] for n in names.split(",")):
            if name and name != "*":
                add(defining_file(files, target, name))
        add(target)
    for module in sorted(_IMPORT.findall(source)):
        add(modules.get(module) or modules.get(module.split(".")[-1]))
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


def check_scripts(files: dict[str, str], command: str | None) -> list[str]:
    """Repo files a check command runs (``python check_release.py``): tests in all but name."""
    if not command:
        return []
    return [word for word in re.split(r"[\s;&|()]+", command) if word in files]


def find_focus(files: dict[str, str], check: CheckResult, command: str | None = None) -> str | None:
    """The file to repair: where the failure points outside the tests, else what the failing test (or
    the script the check runs) imports."""
    scripts = check_scripts(files, command)

    def testing(path: str) -> bool:
        return is_test_file(path) or path in scripts

    for failure in check.failures:
        frame_path = failure.frame.split(":")[0]
        if frame_path in files and not testing(frame_path):
            return frame_path
    sources = [f.test_id.split("::")[0] for f in check.failures] + scripts
    for source in sources:
        for target in imported_files(files, source):
            if not testing(target):
                return target
    candidates = [p for p in files if p.endswith(".py") and not testing(p)]
    return candidates[0] if candidates else None


LARGE_FILE_LINES = 50
"""A focus file longer than this is shown as the region the failure points at, and edited with
SEARCH/REPLACE blocks (a small model cannot rewrite a long file whole)."""


def failure_region(source: str, names: set[str], lines: set[int] = frozenset()) -> str | None:
    """The parts of ``source`` a failure points at: the top-level functions and classes it calls
    (``names``) or whose lines a traceback frame is on (1-based ``lines``), with the top-level
    assignments they use — verbatim, in file order, for SEARCH blocks to copy. None if none is found."""
    tree = _parser().parse(source.encode("utf-8", errors="replace"))
    definitions, assignments = [], {}
    for node in tree.root_node.children:
        target = node.child_by_field_name("definition") if node.type == "decorated_definition" else node
        if target is not None and target.type in _DEFINITIONS:
            name = target.child_by_field_name("name")
            first, last = node.start_point[0] + 1, node.end_point[0] + 1
            if (name is not None and name.text.decode() in names) or any(first <= n <= last for n in lines):
                definitions.append(node)
        elif node.type == "expression_statement" and node.children and node.children[0].type == "assignment":
            left = node.children[0].child_by_field_name("left")
            if left is not None and left.type == "identifier":
                assignments[left.text.decode()] = node
    if not definitions:
        return None
    used = {n.text.decode() for d in definitions for n in _identifiers(d)}
    chosen = sorted([*definitions, *(a for name, a in assignments.items() if name in used)],
                    key=lambda n: n.start_byte)
    return "\n\n".join(n.text.decode("utf-8", errors="replace") for n in chosen) + "\n"


def _identifiers(node):
    if node.type == "identifier":
        yield node
    for child in node.children:
        yield from _identifiers(child)


def pointed_at(failures: list, path: str) -> tuple[set[str], set[int]]:
    """(names the failing tests call or name, 1-based lines of ``path`` their tracebacks are on)."""
    names: set[str] = set()
    lines: set[int] = set()
    for failure in failures:
        for fact in failure.facts:
            sources = [fact.get(key) or "" for key in ("left", "right", "body", "source")]
            for source in [*sources, *(fact.get("args") or [])] if fact.get("kind") == "assert" else sources:
                names |= _called(source)
            names |= {fact[key] for key in ("callable", "object_type") if fact.get(key)}
        lines |= {int(n) for frame_path, n in re.findall(r"^([\w./-]+\.py):(\d+):", failure.text or "", re.M)
                  if frame_path == path}
    return names, lines


def _called(source: str) -> set[str]:
    """The functions a piece of source calls (``harbour_dues(10) == 35.0`` → ``{"harbour_dues"}``)."""
    source = source.strip()
    try:
        tree = ast.parse(source + (" pass" if source.endswith(":") else ""))
    except SyntaxError:
        return set()
    calls = [node.func for node in ast.walk(tree) if isinstance(node, ast.Call)]
    return {f.id if isinstance(f, ast.Name) else f.attr for f in calls if isinstance(f, ast.Name | ast.Attribute)}


def splice_definitions(source: str, block: str) -> str | None:
    """``source`` with the top-level functions, classes and assignments of ``block`` in place of those of
    the same name (new ones appended): how a reply that rewrites the region of a long file is applied.
    None when ``block`` defines nothing ``source`` has (it is not a part of this file)."""
    parser = _parser()
    old = _top_level(parser.parse(source.encode("utf-8")).root_node)
    new = _top_level(parser.parse(block.encode("utf-8")).root_node)
    if not new or not set(new) & set(old):
        return None
    data, additions = source.encode("utf-8"), []
    for name, node in sorted(((n, old[n]) for n in new if n in old), key=lambda item: -item[1].start_byte):
        data = data[:node.start_byte] + new[name].text + data[node.end_byte:]
    additions = [new[n].text for n in new if n not in old]
    if additions:
        data = data.rstrip(b"\n") + b"\n\n\n" + b"\n\n\n".join(additions) + b"\n"
    return data.decode("utf-8", errors="replace")


_LITERALS = ("integer", "float", "string", "concatenated_string", "true", "false", "none", "list", "tuple",
             "dictionary", "set", "unary_operator")


def with_dropped_constants(source: str, block: str) -> str:
    """``block``, a whole new version of ``source``, with the top-level constants of ``source`` it drops
    (``MAX_LOANS = 8``: a name bound to a literal that ``block`` binds nowhere at its top level) put back
    before its first definition. A small model rewriting a file often keeps only the function it fixes;
    a constant lost so breaks nothing the check sees, and the name the fix needed is gone."""
    data = block.encode("utf-8")
    root = _parser().parse(data).root_node
    dropped = _dropped(source, root, lambda node: node.type == "expression_statement" and (
        value := node.children[0].child_by_field_name("right")) is not None and value.type in _LITERALS)
    if not dropped:
        return block
    first = next((n for n in root.children if n.type in (*_DEFINITIONS, "decorated_definition")), None)
    at = first.start_byte if first is not None else len(data)
    head, tail = data[:at].rstrip(b"\n"), data[at:].lstrip(b"\n")
    parts = [part for part in (head, b"\n".join(dropped)) if part]
    return (b"\n\n".join(parts) + (b"\n\n\n" + tail if tail else b"\n")).decode("utf-8")


def without_stray_tests(source: str, code: str) -> str:
    """``code``, a whole new version of the module ``source`` (not a test file), without the top-level
    ``test_*`` functions ``source`` does not define, and without an ``import pytest`` nothing left reads
    where ``source`` had none. The small model writes the failing test into the module under repair (27 %
    of the module writes in the committed bench runs); every later prompt shows it and the model copies it
    (observatory's eyepieces), or copies its ``pytest.raises`` into the function (lighthouse's fog_gap).
    Unchanged where either does not parse, or where nothing but imports would be left."""
    try:
        tree, kept = ast.parse(code), {name for name, _ in _functions(ast.parse(source))}
    except (SyntaxError, ValueError):
        return code
    stray = [node for name, node in _functions(tree) if name.startswith("test") and name not in kept]
    if not stray:
        return code
    lines = code.splitlines(keepends=True)
    drop = {i for node in stray for i in range((node.decorator_list or [node])[0].lineno - 1, node.end_lineno)}
    left = "".join(line for i, line in enumerate(lines) if i not in drop)
    if "pytest" not in source and "pytest." not in left:
        left = re.sub(r"^import pytest\n", "", left, flags=re.M)
    try:
        rest = ast.parse(left).body
    except SyntaxError:
        return code
    if all(isinstance(node, ast.Import | ast.ImportFrom) for node in rest):
        return code  # all it wrote was test functions (a rename of the function under test): not a stray test
    return re.sub(r"\n{3,}", "\n\n\n", left).lstrip("\n")


def same_code(before: str, after: str) -> bool:
    """Whether ``after`` differs from the Python source ``before`` only in comments and layout (both parse
    to the same tree): an edit that cannot change what the check sees."""
    try:
        return before != after and ast.dump(ast.parse(before)) == ast.dump(ast.parse(after))
    except (SyntaxError, ValueError):
        return False


def _functions(tree: ast.Module) -> list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    return [(node.name, node) for node in tree.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]


def with_dropped_definitions(source: str, block: str) -> str:
    """``block``, a whole new version of ``source``, with the top-level functions and classes of ``source``
    it defines nowhere at its top level appended as they were. The small model's rewrite often keeps only
    what it was writing about (a constant, a test it invented); the function the tests import is gone, and
    every later check is an ``ImportError`` that says nothing about the fix (harbour's last_berth and
    stern_light)."""
    root = _parser().parse(block.encode("utf-8")).root_node
    dropped = _dropped(source, root, lambda node: node.type in (*_DEFINITIONS, "decorated_definition"))
    if not dropped:
        return block
    kept = [block.rstrip("\n")] if block.strip() else []
    return "\n\n\n".join(kept + [text.decode("utf-8") for text in dropped]) + "\n"


def _dropped(source: str, root, kind: Callable[[object], bool]) -> list[bytes]:
    """The text of each top-level node of ``source`` of that ``kind`` whose name the module ``root`` (a new
    version of it) binds nowhere at its top level."""
    new = _top_level(root)
    old = _top_level(_parser().parse(source.encode("utf-8")).root_node)
    return [node.text for name, node in old.items() if name not in new and kind(node)]


def _top_level(root) -> dict[str, object]:
    """Name → node of a module's top-level definitions and single-name assignments."""
    found = {}
    for node in root.children:
        target = node.child_by_field_name("definition") if node.type == "decorated_definition" else node
        if target is not None and target.type in _DEFINITIONS and target.child_by_field_name("name") is not None:
            found[target.child_by_field_name("name").text.decode()] = node
        elif node.type == "expression_statement" and node.children and node.children[0].type == "assignment":
            left = node.children[0].child_by_field_name("left")
            if left is not None and left.type == "identifier":
                found[left.text.decode()] = node
    return found


def changed_definitions(before: str, after: str) -> str | None:
    """The top-level definitions and assignments of ``after`` whose text differs from ``before``'s."""
    parser = _parser()
    old = _top_level(parser.parse(before.encode("utf-8")).root_node)
    new = _top_level(parser.parse(after.encode("utf-8")).root_node)
    changed = [node for name, node in new.items() if name not in old or old[name].text != node.text]
    return "\n\n".join(n.text.decode("utf-8", errors="replace") for n in changed) + "\n" if changed else None
