"""Training examples from the slice of a trajectory a stuck verdict points at.

(a) hindsight: the context and the failed action → what actually happened (only where (c) cannot
    relabel the action);
(b) the truths the failures revealed, as short question → answer pairs;
(c) the repeated failing action, as a bounded unlikelihood target (small weight), and — where the
    wrong value is written literally in it — the same action with the revealed value (hindsight
    relabelling);
(d) replay of past successes, when memory has some.
Loss is taken on the target (assistant) tokens only.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field

from ..patching import changed_hunks
from ..repomap import LARGE_FILE_LINES, changed_definitions
from ..repomap import without_stray_tests as stray_free
from ..trajectory import Failure, Step
from .relabel import (
    answer_written_in,
    defined_only_inside_a_function,
    defines_the_function_under_test,
    function_called,
    relabel,
    relabel_imported,
)
from .source_spans import end_of, start_of
from .truths import Truth, collect_truths

Messages = list[dict[str, str]]
# A short system line instead of the chat template's default one: fewer tokens to train on.
SYSTEM = {"role": "system", "content": "You are a coding assistant."}
# Examples whose context is a whole agent prompt (cut to its end when training): costly per step.
LONG_KINDS = frozenset({"hindsight", "corrected-action", "corrected-hunk", "failed-action", "replay"})

# Phrasings of one fact, so the update learns the fact rather than one sentence.
_QUESTIONS = (
    ("What must {subject} return?", "{subject} must return {expected}."),
    ("The test calls {subject}. What result does it expect?", "It expects {expected}."),
    ("Which value should {subject} produce for the test to pass?", "{subject} should produce {expected}."),
    ("I wrote code where {subject} gives {actual}. Is that right?",
     "No. The test expects {expected}, so {subject} must return {expected}."),
    ("Fix the code: what is the correct result of {subject}?", "The correct result of {subject} is {expected}."),
    ("Remind me what the failing test revealed.", "The failing test revealed that {subject} must return {expected}."),
)
_FACT_QUESTIONS = (
    ("What did running the tests reveal?", "{statement}."),
    ("Why does {subject} fail?", "Because {statement_lower}."),
    ("What must the code account for?", "{statement}."),
)

# Phrasings around a statement the manager taught (``teach``).
_TAUGHT_QUESTIONS = (
    ("What did your manager tell you about {subject}?", "{statement}"),
    ("Before you change {subject}, what must you keep in mind?", "{statement}"),
    ("What is true about {subject}?", "{statement}"),
    ("What must a fix of {subject} respect?", "{statement}"),
    ("State the fact you were taught.", "{statement}"),
    ("Why does the check fail on {subject}?", "Because the code does not follow this yet: {statement}"),
)


@dataclass
class Example:
    """A chat context and the assistant reply to learn (or, with ``negative``, to unlearn)."""

    messages: Messages
    target: str
    kind: str
    weight: float = 1.0
    negative: bool = False
    prefix: str = ""
    """The start of the reply, given but not trained on (so a negative hits only what is wrong)."""
    about: str = ""
    """The statement of the fact a ``truth`` example phrases."""


@dataclass
class ExampleSet:
    """Everything one update trains on, plus the probes its guard measures."""

    positives: list[Example] = field(default_factory=list)
    negatives: list[Example] = field(default_factory=list)
    truths: list[Truth] = field(default_factory=list)
    failed_action: Example | None = None
    """The action that kept failing, in its context: its log-prob must fall."""
    relabelled: tuple[str, str] | None = None
    """(the repeated failed reply, its relabelled version), when there is one."""
    corrected_span: Example | None = None
    """The relabelled action from where it differs from the failed one to the end of that line (the
    same context and prefix as ``failed_action``): after an update it must be the likelier of the two."""

    @property
    def learnable(self) -> bool:
        return bool(self.truths)

    def fingerprint(self) -> str:
        """Equal for two sets that teach the same lesson: the same targets after the same prefixes.

        Contexts are left out: the agent's prompt changes between two stuck verdicts in ways the
        update hardly sees (an edit count), and on the bench such updates came out bit for bit
        the same."""
        digest = hashlib.sha256()
        for example in self.positives + self.negatives:
            digest.update(json.dumps([example.kind, example.prefix, example.target]).encode())
        return digest.hexdigest()[:16]

    def truth_probes(self) -> list[Example]:
        """One phrasing of every fact: what the guard measures the truth on."""
        first: dict[str, Example] = {}
        for example in self.positives:
            if example.kind == "truth":
                first.setdefault(example.about, example)
        return list(first.values())


def failures_in(steps: list[Step]) -> list[Failure]:
    return [f for step in steps if step.check for f in step.check.failures]


def task_failures(steps: list[Step]) -> list[Failure]:
    """The failures that tell about the task: not those of an edit that broke the code (an import error
    after the agent renamed the function under test says nothing about what the test expects)."""
    return failures_in([s for s in steps if not s.broke_the_code])


def repeated_action(steps: list[Step]) -> Step | None:
    """The step whose action came back most often among failing steps (the last such step)."""
    failing = [s for s in steps if s.action and s.check is not None and not s.check.passed]
    if not failing:
        return None
    counts = Counter(s.output.strip() for s in failing)
    text, _ = counts.most_common(1)[0]
    return [s for s in failing if s.output.strip() == text][-1]


def truth_examples(truth: Truth) -> list[Example]:
    """Several question → answer phrasings of one revealed fact (a value's, or a statement's)."""
    if truth.expected and truth.relation == "==":
        templates = _QUESTIONS if truth.actual else tuple(q for q in _QUESTIONS if "{actual}" not in q[0])
        values = {"subject": truth.subject, "expected": truth.expected, "actual": truth.actual}
    else:
        templates = _FACT_QUESTIONS
        values = {"subject": truth.subject, "statement": truth.statement,
                  "statement_lower": truth.statement[:1].lower() + truth.statement[1:]}
    return [
        Example([SYSTEM, {"role": "user", "content": q.format(**values)}], a.format(**values), "truth",
                about=truth.statement)
        for q, a in templates
    ]


def taught_examples(statement: str, subject: str = "the code") -> ExampleSet:
    """What one ``teach`` trains on: the manager's statement as the answer to several questions.

    The statement is the truth; nothing else from the trajectory is added, so a taught update is
    the manager's fact alone (the guard still judges it like any other update).
    """
    truth = Truth(subject, statement.strip(), source="manager")
    values = {"subject": subject, "statement": truth.statement}
    positives = [
        Example([SYSTEM, {"role": "user", "content": q.format(**values)}], a.format(**values), "truth",
                about=truth.statement)
        for q, a in _TAUGHT_QUESTIONS
    ]
    return ExampleSet(positives=positives, truths=[truth])


def hindsight_example(step: Step, truths: list[Truth]) -> Example | None:
    """Context + the failed action → what actually happened when it ran."""
    if not step.messages or not step.output or step.check is None or step.check.passed:
        return None
    told = [f"{t.subject} returned {t.actual}, but the test expects {t.expected}." for t in truths if t.returned]
    outcome = " ".join(told) or _describe(step.check.failures) or step.observation.strip()[:400]
    if not outcome:
        return None
    messages = [*step.messages, {"role": "assistant", "content": step.output},
                {"role": "user", "content": "What happened when that ran?"}]
    return Example(messages, outcome, "hindsight", weight=0.25)


def failed_action_example(step: Step, corrected: str | None, weight: float,
                          truths: list[Truth] | None = None) -> Example:
    """The repeated failing action as an unlikelihood target: from where its relabelled version differs
    to the end of that line (the rest of the action may well be right), or only that line's first word
    where the relabelled version keeps the line further on (it inserted lines before it); without a
    relabelled version, the body of the function the truths are about; else the whole action.

    Never the whole action where something narrower is known: unlikelihood on a whole file pushes down
    its fences, indentation and unchanged lines — what every other code reply is made of too (such
    updates made other tasks' reference fixes less likely: docs/results.md, "The tasks no relabel reached")."""
    output = step.output
    if corrected:
        at = next((i for i, (a, b) in enumerate(zip(output, corrected, strict=False)) if a != b),
                  min(len(output), len(corrected)))
        end = output.find("\n", at)
        end = len(output) if end < 0 else end
        line_start = output.rfind("\n", 0, at) + 1
        if not output[line_start:at].strip() and output[at:end].strip() and output[at:end] in corrected[at:]:
            # the correction wrote lines before this one and kept it (a guard before the return): unlearn
            # only its first word there, not the line the fix still needs — with the space before it, as
            # the tokenizer writes it (" return" after "\n   "; a bare "return" is a token the model never
            # writes there, and its log-prob barely moves)
            end = at + re.match(r"\s*\S+", output[at:end]).end()  # type: ignore[union-attr]
            at -= 1 if at > line_start else 0
        if at < end:
            return Example(list(step.messages), output[at:end], "failed-action", weight, True, prefix=output[:at])
    elif truths and (span := function_body(step, truths)):
        at, end = span
        return Example(list(step.messages), output[at:end], "failed-action", weight, True, prefix=output[:at])
    return Example(list(step.messages), output, "failed-action", weight, True)


def function_body(step: Step, truths: list[Truth]) -> tuple[int, int] | None:
    """(start, end) in a whole-file action's reply of the body of the first function a truth is about
    (from its first line to the end of its last), or None: no such function, or code that does not parse."""
    action = step.action or {}
    block = _BLOCK.search(step.output)
    if action.get("edits") or block is None:
        return None
    code = block.group(1)
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return None
    node = next((found for truth in truths if (found := function_called(tree, truth.subject))), None)
    if node is None:
        return None
    body = node.body[1:] if len(node.body) > 1 and ast.get_docstring(node) is not None else node.body
    first, last = body[0], body[-1]
    start = code.rfind("\n", 0, start_of(code, first)) + 1  # from the start of its line
    end = code.find("\n", end_of(code, last))
    end = len(code) if end < 0 else end
    return block.start(1) + start, block.start(1) + end


def relabel_all(code: str, truths: list[Truth]) -> str:
    """``code`` relabelled with every truth that applies to it (``learn/relabel.py``)."""
    for truth in truths:
        code = relabel(code, truth) or code
    return code


_BLOCK = re.compile(r"```[\w+-]*[ \t]*\n(.*?)(?:```|\Z)", re.S)


def corrected_reply(step: Step, truths: list[Truth], start: str | None = None) -> str | None:
    """Hindsight relabelling of a failed action: the same reply with the wrong values, names or keys the
    truths reveal replaced, where its code writes them (where it defines the function the truths are about
    only inside another function, the file as it landed instead); None when it does not, where the reply
    renamed or left out that function and the landed file has it (relabelling the reply would teach a test
    function that returns the answer: mill's grain_types, bag_price), or where the relabelled
    code returns the test's answer as a literal that ``start`` (the file as the run started) computed
    (``relabel.answer_written_in``)."""
    action = step.action or {}
    if action.get("kind") not in ("write", "edit"):
        return None
    if action.get("edits"):
        code = action.get("text") or ""
        fixed = relabel_all(code, truths)
        if fixed == code or start is not None and answer_written_in(fixed, start, truths):
            return None
        return _as_edit(action.get("path") or "", code, fixed)
    block = _BLOCK.search(step.output)
    written = block.group(1) if block else step.output
    code, landed = written, action.get("text") or ""
    if landed and landed != written and defined_only_inside_a_function(written, truths):
        code = landed  # the function only inside the model's own (test) function: relabel the file as it landed
    elif not defines_the_function_under_test(written, truths) and defines_the_function_under_test(landed, truths):
        return None  # renamed or left out: relabelling the reply would teach what it wrote instead
    fixed = relabel_all(code, truths)
    if fixed == code or not code.strip() or start is not None and answer_written_in(fixed, start, truths):
        return None
    return step.output.replace(written, fixed, 1)


def without_stray_tests(reply: str, start_text: str) -> str:
    """A whole-file ``reply`` whose code block lost the test functions the model wrote into the module
    (``repomap.without_stray_tests``): the correction teaches the module as it lands, not the stray test."""
    block = _BLOCK.search(reply)
    if block is None:
        return reply
    return reply[:block.start(1)] + stray_free(start_text, block.group(1)) + reply[block.end(1):]


def corrected_from_start(start: tuple[str, str], truths: list[Truth],
                         start_truths: list[Truth] | None = None) -> str | None:
    """Where the repeated action cannot be relabelled (it broke the module, it rewrote something else):
    the file the run started from, relabelled — for a long file, only its definitions that change.
    ``start_truths`` (those of the run's first check) relabel it where ``truths`` name a wrong value of a
    later rewrite that the file as it started never gave. None where it would return the test's answer as a
    literal in place of what the file computed (``relabel.answer_written_in``)."""
    path, text = start
    fixed = relabel_all(text, truths)
    if fixed == text and start_truths:
        fixed = relabel_all(text, start_truths)
    if fixed == text or answer_written_in(fixed, text, [*truths, *(start_truths or [])]):
        return None
    if len(text.splitlines()) > LARGE_FILE_LINES:
        fixed = changed_definitions(text, fixed) or fixed
    return f"```python\n{fixed.rstrip(chr(10))}\n```\n"


def corrected_in_imports(codes: list[str], truths: list[Truth], imports: dict[str, str]) -> str | None:
    """Where one of ``codes`` (the repeated action's file, the start file) gives a truth's wrong value
    through a constant another file defines (one of ``imports``: ``from settings import CASE_SIZE``):
    that file rewritten with the constant changed, as a ``WRITE`` action. Tried before any relabel of the
    file itself: the fix belongs where the value is defined (writing the answer into an f-string that
    showed the constant passes the test too, and is narrow)."""
    for code in codes:
        for truth in truths:
            found = relabel_imported(code, truth, imports)
            if found:
                return f"WRITE {found[0]}\n```python\n{found[1].rstrip(chr(10))}\n```\n"
    return None


def corrected_action_example(step: Step, truths: list[Truth]) -> Example | None:
    corrected = corrected_reply(step, truths)
    return Example(list(step.messages), corrected, "corrected-action") if corrected else None


def corrected_hunks(messages: list[dict[str, str]], failed: str, corrected: str, limit: int = 3) -> list[Example]:
    """Each place where ``corrected`` changes ``failed`` (up to ``limit``), as a positive of its own: the corrected
    action given up to that place, its changed text to the end of the line (or lines) trained. In the whole
    corrected action the changed tokens are a few among a file's copied ones, and its per-token mean loss barely
    moves them (mill's bag_price: after an accepted update the action wrote ``PRICES`` back, with 1.5)."""
    old, new = failed.splitlines(keepends=True), corrected.splitlines(keepends=True)
    starts = [0]
    for line in new:
        starts.append(starts[-1] + len(line))
    hunks = []
    for i1, i2, j1, j2 in changed_hunks(old, new):
        if j1 == j2 or not "".join(new[j1:j2]).strip():
            continue  # a removal, or blank lines only: nothing to write
        start = starts[j1] + (len(os.path.commonprefix([old[i1], new[j1]])) if i1 < i2 else 0)
        text = corrected[start:starts[j2]]
        start += len(text) - len(text.lstrip("\n"))  # from its first line with something on it
        end = start + len(text.strip("\n").rstrip())
        if corrected[start:end].strip():
            hunks.append(Example(list(messages), corrected[start:end], "corrected-hunk", prefix=corrected[:start]))
    return hunks[:limit]


def _as_edit(path: str, before: str, after: str) -> str:
    """The change from ``before`` to ``after`` as an ``EDIT`` action with SEARCH/REPLACE blocks."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    blocks = []
    for i1, i2, j1, j2 in changed_hunks(old, new):
        lo = i1 if i1 < i2 else max(i1 - 1, 0)  # an insertion searches for the line before it
        search = "".join(old[lo:i2])
        replace = "".join(old[lo:i1]) + "".join(new[j1:j2])
        blocks.append(f"<<<<<<< SEARCH\n{search.rstrip(chr(10))}\n=======\n{replace.rstrip(chr(10))}\n"
                      ">>>>>>> REPLACE")
    return f"EDIT {path}\n" + "\n".join(blocks) + "\n"


def build_examples(
    steps: list[Step], replay: list[Example] | None = None, negative_weight: float = 0.1,
    start: tuple[str, str] | None = None, localise_failed_action: bool = True,
    start_truths: list[Truth] | None = None, imports: dict[str, str] | None = None,
    drop_stray_tests: bool = True, hunks: bool = False,
) -> ExampleSet:
    """Turn a stuck slice into an ``ExampleSet`` (it may be unlearnable: see ``learnable``).
    ``localise_failed_action`` False: without a relabelled action, unlearn the whole failed one (as before).
    ``start`` (path, text) is the file the run started from, ``start_truths`` what its first check revealed,
    ``imports`` (path → text) the repo files it imports as they started. ``drop_stray_tests``: the relabelled
    action loses the test functions the model wrote into the module, as the agent's write did
    (``AgentSettings.drop_stray_tests``). ``hunks``: each place the relabelled action changes the repeated
    one is a positive of its own too (``corrected_hunks``; ``LearnerSettings.corrected_hunks``)."""
    result = ExampleSet(truths=collect_truths(task_failures(steps)))
    for truth in result.truths:
        result.positives.extend(truth_examples(truth))
        if truth.actual and truth.relation == "==":
            question = f"What must {truth.subject} return?"
            result.negatives.append(Example([SYSTEM, {"role": "user", "content": question}], f"{truth.actual}.",
                                            "wrong-belief", negative_weight, True,
                                            prefix=f"{truth.subject} must return "))
    repeated = repeated_action(steps)
    # An edit that broke the code (undone or not): relabelling it would teach the breakage with the right value.
    relabel_it = repeated is not None and not repeated.broke_the_code
    corrected_text = None
    if imports and start is not None:  # a constant another file defines: fixed there
        own = (repeated.action or {}) if relabel_it else {}
        codes = [own["text"]] if own.get("path") == start[0] and own.get("text") else []
        corrected_text = corrected_in_imports([*codes, start[1]], [*result.truths, *(start_truths or [])], imports)
    elsewhere = corrected_text is not None
    if corrected_text is None and relabel_it:
        corrected_text = corrected_reply(repeated, result.truths, start[1] if start is not None else None)
        if corrected_text and drop_stray_tests and start is not None and not (repeated.action or {}).get("edits"):
            corrected_text = without_stray_tests(corrected_text, start[1])
    # No action to relabel (it broke the module, it rewrote something else, or the model wrote words
    # and no code at all): the file the run started from, relabelled, after the same prompt.
    last_prompt = next((s.messages for s in reversed(steps) if s.messages), [])
    prompt = repeated.messages if repeated is not None else last_prompt
    if corrected_text is None and prompt and start is not None:
        corrected_text = corrected_from_start(start, result.truths, start_truths)
    if corrected_text:
        result.positives.append(Example(list(prompt), corrected_text, "corrected-action"))
        if repeated is not None:
            result.relabelled = (repeated.output, corrected_text)
            if hunks:
                result.positives.extend(corrected_hunks(list(prompt), repeated.output, corrected_text))
    else:
        # Hindsight in words only where the action cannot be relabelled: next to a corrected action
        # it taught the model to write test talk into the code (measured on the join task, README).
        seen_outputs: set[str] = set()
        for step in steps:
            example = hindsight_example(step, result.truths)
            if example and step.output not in seen_outputs:
                seen_outputs.add(step.output)
                result.positives.append(example)
    if repeated is not None:
        # a fix in another file says nothing about where this action goes wrong: unlearn its function body
        result.failed_action = failed_action_example(repeated, None if elsewhere else corrected_text, negative_weight,
                                                      result.truths if localise_failed_action else None)
        result.negatives.append(result.failed_action)
        if corrected_text and result.failed_action.prefix and corrected_text.startswith(result.failed_action.prefix):
            at = len(result.failed_action.prefix)
            # to the end of its first line with something on it (the correction may start with blank lines:
            # an empty span would score 0.0, likelier than anything)
            first_text = re.match(r"\s*", corrected_text[at:]).end() + at  # type: ignore[union-attr]
            end = corrected_text.find("\n", first_text)
            span = corrected_text[at:end if end >= 0 else len(corrected_text)]
            result.corrected_span = Example(list(repeated.messages), span, "corrected-span",
                                            prefix=result.failed_action.prefix)
    if replay and result.positives:
        # 10-25% replay of past successes keeps old skills in place.
        share = max(1, len(result.positives) // 5)
        result.positives.extend(e for e in replay[:share])
    return result


def _describe(failures: list[Failure]) -> str:
    lines = []
    for failure in failures[:3]:
        message = (failure.message or failure.exc_type or "failed").splitlines()[0][:200]
        lines.append(f"{failure.test_id} failed: {message}")
    return "\n".join(lines)
