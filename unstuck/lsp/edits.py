"""A run's patch as a ``workspace/applyEdit``: the smallest line edits, per file, against the text the
run started from (a document that changed since is refused by the editor through its version)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from lsprotocol import types

from ..patching import changed_hunks, split_patch


def patched_files(repo: Path, patch: str) -> dict[str, tuple[str, str]]:
    """Path → (text before, text after) for every file ``patch`` changes, computed in a copy."""
    changed = [path for path, _ in split_patch(patch)]
    with tempfile.TemporaryDirectory(prefix="unstuck-edit-") as tmp:
        root = Path(tmp)
        for path in changed:
            if (repo / path).is_file():
                (root / path).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(repo / path, root / path)
        applied = subprocess.run(["git", "apply", "--whitespace=nowarn", "-"], input=patch, text=True, cwd=root,
                                 capture_output=True, env={"GIT_CEILING_DIRECTORIES": tmp, "PATH": "/usr/bin:/bin"})
        if applied.returncode != 0:
            raise ValueError(f"the patch does not apply to the files on disk: {applied.stderr.strip()}")
        return {path: ((repo / path).read_text(encoding="utf-8") if (repo / path).is_file() else "",
                       (root / path).read_text(encoding="utf-8") if (root / path).is_file() else "")
                for path in changed}


def line_edits(before: str, after: str) -> list[types.TextEdit]:
    """The replaced line ranges between two texts (so the editor keeps everything else, cursor included)."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    return [types.TextEdit(types.Range(types.Position(i1, 0), types.Position(i2, 0)), "".join(new[j1:j2]))
            for i1, i2, j1, j2 in changed_hunks(old, new)]


def workspace_edit(repo: Path, patch: str, versions: dict[str, int | None]) -> types.WorkspaceEdit:
    """The edit that applies ``patch`` to the open (or saved) documents; ``versions`` by URI."""
    changes = []
    for path, (before, after) in patched_files(repo, patch).items():
        uri = (repo / path).resolve().as_uri()
        if not before and not (repo / path).exists():
            changes.append(types.CreateFile(uri=uri))
            changes.append(types.TextDocumentEdit(types.OptionalVersionedTextDocumentIdentifier(uri, None),
                                                  [types.TextEdit(types.Range(types.Position(0, 0),
                                                                              types.Position(0, 0)), after)]))
            continue
        document = types.OptionalVersionedTextDocumentIdentifier(uri, versions.get(uri))
        changes.append(types.TextDocumentEdit(document, line_edits(before, after)))
    return types.WorkspaceEdit(document_changes=changes)
