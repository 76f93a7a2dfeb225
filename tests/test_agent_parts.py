"""The agent's pieces on their own: actions, repo map, focus file, ladder, memory, applying a patch."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from memory import Memory, MemoryUnusable
from unstuck.actions import FormatError, apply_edits, parse_action
from unstuck.errors import UsageError
from unstuck.ladder import Ladder
from unstuck.learn.examples import build_examples
from unstuck.learn.slices import stuck_slice
from unstuck.patching import apply_patch, dirty_reason, tree_state
from unstuck.repomap import build_repo_map, find_focus, python_signatures, read_repo
from unstuck.trajectory import CheckResult, Failure, Step

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


# -- actions ------------------------------------------------------------------------------------

def test_a_bare_python_block_writes_the_focus_file():
    action = parse_action("Here it is:\n```python\ndef f():\n    return 1\n```\nDone.", "m.py")
    assert (action.kind, action.path, action.text) == ("write", "m.py", "def f():\n    return 1\n")


def test_write_bash_edit_and_finish_are_parsed():
    assert parse_action("WRITE pkg/a.py\n```\nx = 1\n```", None).path == "pkg/a.py"
    assert parse_action("```bash\npytest -q\n```", "m.py").text == "pytest -q"
    edit = parse_action("EDIT m.py\n<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n>>>>>>> REPLACE", None)
    assert edit.kind == "edit" and edit.edits == (("x = 1", "x = 2"),)
    assert parse_action("All good now.\nFINISH", "m.py").kind == "finish"


def test_a_reply_without_an_action_is_a_format_error():
    with pytest.raises(FormatError):
        parse_action("I think the problem is in the greeting.", "m.py")
    with pytest.raises(FormatError, match="SEARCH"):
        parse_action("EDIT m.py\nchange x to 2", None)


def test_search_replace_needs_the_exact_lines():
    assert apply_edits("a = 1\nb = 2\n", (("b = 2", "b = 3"),), "m.py") == "a = 1\nb = 3\n"
    with pytest.raises(FormatError, match="not found"):
        apply_edits("a = 1\n", (("c = 1", "c = 2"),), "m.py")


# -- repo map and focus -------------------------------------------------------------------------

def test_a_rewrite_of_the_file_under_repair_keeps_what_it_drops(tmp_path: Path):
    # harbour's stern_light: the model's rewrite was the right constant alone; light_colour, which the
    # test imports, was gone, and every later check an ImportError.
    from sandbox import LocalSandbox
    from unstuck.actions import Action

    start = 'LIGHTS = {"port": "red"}\nPORT = "red"\n\n\ndef light_colour(side):\n    return LIGHTS[side]\n'
    (tmp_path / "lights.py").write_text(start)
    run = _resolving_run(tmp_path, "lights.py", start)
    with LocalSandbox(tmp_path) as run.sandbox:
        landed = run.resolve(Action("write", "lights.py", 'LIGHTS = {"port": "red", "stern": "white"}\n'))
        assert landed.text == ('LIGHTS = {"port": "red", "stern": "white"}\n\nPORT = "red"\n\n\n'
                               "def light_colour(side):\n    return LIGHTS[side]\n")
        other = run.resolve(Action("write", "notes.py", "X = 1\n"))  # a new file is the model's own
        assert other.text == "X = 1\n"


@pytest.mark.parametrize("drop", [True, False])
def test_a_module_lands_without_the_test_functions_the_model_wrote_into_it(drop: bool, tmp_path: Path):
    """Observatory's eyepieces: the model wrote `test_no_telescopes_is_refused` above the function into
    eyepieces.py, every later prompt showed it, and every later action copied it. A test file written as
    a test file, and the functions the module had, stay."""
    from sandbox import LocalSandbox
    from unstuck.actions import Action

    start = "def test_helper():\n    return 1\n\n\ndef eyepieces(n):\n    return n * 3\n"
    (tmp_path / "eyepieces.py").write_text(start)
    run = _resolving_run(tmp_path, "eyepieces.py", start, drop_stray_tests=drop)
    written = ("import pytest\n\n\ndef test_none():\n    with pytest.raises(ValueError):\n        eyepieces(0)\n\n\n"
               + start)
    with LocalSandbox(tmp_path) as run.sandbox:
        landed = run.resolve(Action("write", "eyepieces.py", written))
        assert landed.text == (start if drop else written)
        test_file = run.resolve(Action("write", "test_more.py", "def test_x():\n    assert True\n"))
        assert test_file.text == "def test_x():\n    assert True\n"


def _resolving_run(repo: Path, path: str, start: str, **settings):
    """A run with only what resolving an action reads."""
    from unstuck.agent import AgentSettings, _Run
    from unstuck.prompts import TurnState

    run = object.__new__(_Run)
    run.state, run.start_file = TurnState("goal", "pytest", "", path), (path, start)
    run.settings = AgentSettings(**settings)
    return run


def test_repo_map_lists_signatures_with_failing_tests_first():
    source = "class Shop(Base):\n    @property\n    def total(self,\n   tax: float = 0.2) -> float:\n        ...\n"
    assert python_signatures(source) == ["class Shop(Base):", "  def total(self, tax: float = 0.2) -> float:"]
    files = {"a.py": "def a(): pass\n", "shop.py": source, "tests/test_shop.py": "from shop import Shop\n",
             "README.md": "hi"}
    text = build_repo_map(files, first=["tests/test_shop.py"])
    assert text.index("tests/test_shop.py") < text.index("shop.py:") < text.index("a.py")
    assert "(… " in build_repo_map(files, budget_chars=40)


def test_the_focus_is_the_module_the_failing_test_imports():
    files = read_repo(EXAMPLES / "greet")
    check = CheckResult(False, 1, [Failure("test_greet.py::test_greet", "AssertionError", "x", "test_greet.py:5")])
    assert find_focus(files, check) == "greet.py"


# -- the ladder ---------------------------------------------------------------------------------

def test_ladder_rungs_per_strategy():
    learn = Ladder("learn", max_updates=2)
    assert [learn.next_rung() for _ in range(5)] == ["nudge", "learn", "learn", "give-up", "give-up"]
    reflect = Ladder("reflect", max_updates=2)
    assert [reflect.next_rung() for _ in range(4)] == ["nudge", "reflect", "reflect", "give-up"]
    sample = Ladder("sample", max_updates=2)
    assert [sample.next_rung() for _ in range(4)] == ["nudge", "sample", "sample", "give-up"]
    assert Ladder("retry").next_rung() == "none"
    learn.progress()
    assert learn.next_rung() == "nudge"
    with pytest.raises(ValueError):
        Ladder("pray")


# -- hindsight relabelling ---------------------------------------------------------------------------

def test_the_failed_action_is_relabelled_with_the_revealed_value():
    from tests.stuck_greet import stuck_steps

    examples = build_examples(stuck_steps())
    corrected = [e for e in examples.positives if e.kind == "corrected-action"]
    assert len(corrected) == 1 and 'return f"Ahoy, {name}!"' in corrected[0].target


@pytest.mark.parametrize("drop", [True, False])
def test_the_corrected_action_is_written_without_the_test_the_model_wrote_into_the_module(drop: bool):
    from dataclasses import replace

    from tests.stuck_greet import SOURCE, stuck_steps

    stray = "def test_greet():\n    assert greet('Bob') == 'Ahoy, Bob!'\n\n\n"
    steps = [replace(step, output=f"```python\n{stray}{SOURCE}```\n") for step in stuck_steps()]
    examples = build_examples(steps, start=("greet.py", SOURCE), drop_stray_tests=drop)
    corrected = next(e for e in examples.positives if e.kind == "corrected-action").target
    assert 'return f"Ahoy, {name}!"' in corrected and ("def test_greet" in corrected) is not drop


def test_only_the_differing_part_of_a_wrong_value_is_unlearned():
    """Seen on the join task: 'dock/pier' is not written in `"/".join(parts)`; unlearning the whole
    action pushed the model off `def join_path` too. The negative starts where the relabelled action
    differs (the `/`) and ends with that line."""
    from unstuck.learn.examples import corrected_reply, failed_action_example
    from unstuck.learn.truths import Truth

    output = '```python\ndef join_path(parts):\n    return "/".join(parts)\n```\n'
    step = Step(1, [], output, parse_action(output, "paths.py").to_dict())
    truth = Truth('join_path(["dock", "pier"])', "", '"dock::pier"', "'dock/pier'")
    corrected = corrected_reply(step, [truth])
    assert 'return "::".join(parts)' in corrected
    example = failed_action_example(step, corrected, 0.1)
    assert example.target == '/".join(parts)' and example.prefix.endswith('return "')


@pytest.mark.parametrize(("start", "output", "truth", "corrected"), [
    # quarry's stone_grade: the model's hack returns a literal; relabelled, it would return the test's answer
    ('GRADES = {"B": "standard"}\n\n\ndef stone_grade(letter):\n    return GRADES[letter]\n',
     'GRADES = {"B": "standard"}\n\n\ndef stone_grade(letter):\n    return "stone" if letter in GRADES else "x"\n',
     ('stone_grade("B")', "'select'", "'stone'"), None),
    # quarry's pit_code: the same, with the whole return a literal
    ('def pit_code(name):\n    return name.strip()\n', 'def pit_code(name):\n    return "NORTH"\n',
     ('pit_code("north")', "'NORTH FACE'", "'NORTH'"), None),
    # the start returned a literal too: changing it is the fix
    ('def sign(n):\n    return "minus" if n < 0 else "plu"\n', 'def sign(n):\n    return "minus" if n < 0 else "plu"\n',
     ("sign(1)", "'plus'", "'plu'"), 'def sign(n):\n    return "minus" if n < 0 else "plus"\n'),
    # no arguments: a literal is the fix
    ('def version():\n    return VERSION\n', 'def version():\n    return "0.9"\n',
     ("version()", "'1.0'", "'0.9'"), 'def version():\n    return "1.0"\n'),
])
def test_a_relabel_that_writes_the_answer_in_where_the_start_computed_it_is_not_taught(start, output, truth,
                                                                                         corrected):
    from unstuck.learn.examples import corrected_reply
    from unstuck.learn.truths import Truth

    reply = f"```python\n{output}```\n"
    step = Step(1, [], reply, parse_action(reply, "m.py").to_dict())
    subject, expected, actual = truth
    assert corrected_reply(step, [Truth(subject, "", expected, actual)], start) == \
        (f"```python\n{corrected}```\n" if corrected else None)


def test_a_function_written_only_inside_the_models_own_function_is_corrected_as_the_file_landed():
    """Seen on boatyard's tide_label: the reply nested the function inside a `test_the_board` of its own; the
    action landed as the file with the stray test dropped and the function kept, and relabelling the reply
    taught the nesting. The correction is the landed file, relabelled."""
    from unstuck.learn.examples import corrected_reply
    from unstuck.learn.truths import Truth

    landed = "def tide_label(reading):\n    return reading.strip()\n"
    reply = ("```python\ndef test_the_board():\n    def tide_label(reading):\n        return reading.strip()\n"
             "    return [test_the_board()]\n```\n")
    step = Step(1, [], reply, {"kind": "write", "path": "tides.py", "text": landed})
    truth = Truth('tide_label(" FLOOD")', "", '"flood"', "'FLOOD'")
    assert corrected_reply(step, [truth], landed) == \
        "```python\ndef tide_label(reading):\n    return reading.strip().lower()\n```\n"
    step.output = f"```python\n{landed}```\n"  # written at the top level: the reply itself, relabelled
    assert corrected_reply(step, [truth], landed) == \
        "```python\ndef tide_label(reading):\n    return reading.strip().lower()\n```\n"


def test_a_reply_that_renamed_the_function_under_test_is_not_relabelled_the_start_file_is():
    """Seen on mill's grain_types: the reply renamed the function for the test's name (the write put the function
    back); relabelled, the reply taught a test function returning the right tuple. The start file, relabelled,
    is the correction instead."""
    from dataclasses import replace

    from unstuck.learn.examples import corrected_reply
    from unstuck.learn.truths import Truth

    start = 'def grain_types():\n    return ("wheat", "rye")\n'
    reply = '```python\ndef test_spelt_is_ground():\n    return ("wheat", "rye")\n```\n'
    step = Step(1, [], reply, {"kind": "write", "path": "grains.py", "text": start})
    truth = Truth("grain_types()", "", "'spelt'", "('wheat', 'rye')", relation="in")
    assert corrected_reply(step, [truth], start) is None
    assert corrected_reply(replace(step, action={**step.action, "text": "X = 1\n"}), [truth], start) is not None, \
        "where the landed file lacks the function too, the reply is all there is"
    facts = [{"kind": "compare", "op": "in", "left": "'spelt'", "right": "('wheat', 'rye')"},
             {"kind": "assert", "source": 'assert "spelt" in grain_types()', "left": '"spelt"', "op": "In",
              "right": "grain_types()"}]  # as the facts plugin records them
    check = CheckResult(False, 1, [Failure("test_grains.py::test", "AssertionError",
                                           "AssertionError: assert 'spelt' in ('wheat', 'rye')", facts=facts)])
    steps = [Step(i, [{"role": "user", "content": "fix"}], reply, step.action, check=check) for i in range(3)]
    corrected = next(e for e in build_examples(steps, start=("grains.py", start)).positives
                     if e.kind == "corrected-action")
    assert corrected.target == '```python\ndef grain_types():\n    return ("wheat", "rye", "spelt")\n```\n'


def test_each_place_the_correction_changes_is_a_positive_of_its_own():
    """Seen on mill's bag_price: trained on the whole corrected action, the next action wrote the dict back
    with the old price; each changed place, given the corrected action up to it, is trained on its own."""
    from unstuck.learn.examples import corrected_hunks

    failed = "```python\n# prices\n\ndef bag_price(flour):\n    return PRICES[flour]\n```\n"
    corrected = ('```python\n# prices\n\nPRICES = {"rye": 1.6}\n\n\ndef bag_price(flour):\n'
                 '    if flour not in PRICES:\n        raise KeyError(flour)\n    return PRICES[flour]\n```\n')
    hunks = corrected_hunks([], failed, corrected)
    assert [h.target for h in hunks] == ['PRICES = {"rye": 1.6}',
                                         "    if flour not in PRICES:\n        raise KeyError(flour)"]
    assert all(corrected.startswith(h.prefix + h.target) and not h.negative for h in hunks)
    grown = corrected_hunks([], '    return ("a", "b")\n', '    return ("a", "b", "c")\n')
    assert [(h.prefix, h.target) for h in grown] == [('    return ("a", "b"', ', "c")')]
    assert corrected_hunks([], failed, failed) == []


def test_the_corrected_span_is_never_empty():
    """Where the correction has blank lines at the point it differs, the corrected span runs on to the first
    line with something on it: an empty span scores 0.0, likelier than any failed action, and the guard would
    read that as the correction preferred."""
    from dataclasses import replace

    from tests.stuck_greet import SOURCE, stuck_steps

    start = f"# greetings\n\n\n{SOURCE}"
    reply = "```python\n# greetings\ndef test_greet():\n    return 'Hello, Bob!'\n```\n"
    steps = [replace(step, output=reply, action={"kind": "write", "path": "greet.py", "text": start})
             for step in stuck_steps()]
    examples = build_examples(steps, start=("greet.py", start))
    assert examples.failed_action.target == "def test_greet():"
    assert examples.corrected_span.target == "\n\ndef greet(name):"


def test_where_the_correction_inserts_a_guard_only_the_first_word_of_the_line_it_keeps_is_unlearned():
    """Seen on spoke_count: unlearning all of `return 32 * wheels` (the line the guard goes before, and
    that the fix keeps) made the next action `return spokes(wheels)`, then `return wheels`."""
    from unstuck.learn.examples import corrected_reply, failed_action_example
    from unstuck.learn.truths import Truth

    output = '```python\ndef spokes(wheels):\n    return 32 * wheels\n```\n'
    step = Step(1, [], output, parse_action(output, "spokes.py").to_dict())
    corrected = corrected_reply(step, [Truth("spokes(0)", "", "ValueError", relation="raises")])
    assert "    if wheels < 1:\n        raise ValueError(" in corrected and "    return 32 * wheels" in corrected
    example = failed_action_example(step, corrected, 0.1)
    assert example.target == " return" and example.prefix.endswith("def spokes(wheels):\n   ")


def test_a_correction_drops_the_test_functions_the_model_wrote_into_the_module():
    """Seen on fog_gap: the model wrote its own `test_fog_gap` with `pytest.raises` into fog.py, and after an
    update copied that `pytest.raises` into fog_gap itself. The relabelled action is the module as it lands:
    without such functions (and the `import pytest` only they read); functions the file had stay."""
    from unstuck.learn.examples import without_stray_tests

    start = "def test_helper():\n    return 1\n\n\ndef gap(s):\n    return s * 2\n"
    reply = ("```python\nimport pytest\n\n\ndef test_gap():\n    with pytest.raises(ValueError):\n        gap(-1)\n\n\n"
             "def test_helper():\n    return 1\n\n\ndef gap(s):\n    if s < 0:\n        raise ValueError('x')\n"
             "    return s * 2\n```\n")
    assert without_stray_tests(reply, start) == (
        "```python\ndef test_helper():\n    return 1\n\n\ndef gap(s):\n    if s < 0:\n        raise ValueError('x')\n"
        "    return s * 2\n```\n")
    assert without_stray_tests("```python\ndef gap(s:\n```\n", start) == "```python\ndef gap(s:\n```\n"
    renamed = "```python\nimport pytest\n\n\ndef test_gap(s):\n    return s * 2\n```\n"  # nothing else left
    assert without_stray_tests(renamed, start) == renamed


def test_without_a_relabelled_action_only_the_body_of_the_function_under_test_is_unlearned():
    """Unlearning a whole file pushed down its fences and unchanged lines, which every code reply
    shares (forgetting check: −0.098 nat/token on other tasks' fixes for such updates, against −0.021
    with a relabelled action). Without a relabelled version, the negative is the body of the function
    the truth is about (its docstring left out); code that does not parse is unlearned whole."""
    from unstuck.learn.examples import failed_action_example
    from unstuck.learn.truths import Truth

    output = ('```python\nRATE = 2\n\n\ndef other():\n    return 1\n\n\ndef is_open(hour):\n'
              '    """Open hours."""\n    if hour < 9:\n        return False\n    return True\n```\n')
    step = Step(1, [], output, parse_action(output, "shop.py").to_dict())
    truth = Truth("is_open(8)", "is_open(8) must be true", "True", "False")
    example = failed_action_example(step, None, 0.1, [truth])
    assert example.target == "    if hour < 9:\n        return False\n    return True"
    assert example.prefix.endswith('"""Open hours."""\n') and example.negative
    assert failed_action_example(step, None, 0.1, [Truth("missing(1)", "", "1", "2")]).target == output
    broken = output.replace("def is_open(hour):", "def is_open(hour)")
    step = Step(1, [], broken, parse_action(broken, "shop.py").to_dict())
    assert failed_action_example(step, None, 0.1, [truth]).target == broken


def test_a_model_that_answers_in_words_is_taught_the_relabelled_start_file_on_the_next_prompt():
    """Seen on ovens, greenhouses, platforms and catalogue (one in each held-out set): the model echoed
    the check in words, so there was no action to relabel and the update taught words only. The file the
    run started from, relabelled, is now the correction, after the prompt the agent sends next."""
    from tests.stuck_greet import FAILURE, PROMPT, SOURCE
    from unstuck.learn.slices import on_next_prompt

    words = [Step(i, PROMPT, "The check fails: greet returns Hello.", None, "",
                  CheckResult(False, 1, [FAILURE])) for i in range(3)]
    upcoming = [*PROMPT[:-1], {"role": "user", "content": PROMPT[-1]["content"] + "\n\nReply with code."}]
    slice_ = on_next_prompt(words, upcoming)
    assert [s.index for s in slice_] == [0, 1, 2, 3] and slice_[-1].messages == upcoming and not slice_[-1].output
    examples = build_examples(slice_, start=("greet.py", SOURCE))
    [corrected] = [e for e in examples.positives if e.kind == "corrected-action"]
    assert corrected.messages == upcoming and 'return f"Ahoy, {name}!"' in corrected.target
    assert examples.failed_action is None and examples.relabelled is None
    assert not [e for e in examples.positives if e.kind == "hindsight"]
    without_start = build_examples(slice_)
    assert {e.kind for e in without_start.positives} == {"truth", "hindsight"}


def test_an_update_relabels_the_repeated_action_on_the_prompt_the_agent_sends_next():
    """The next prompt counts one edit more: the correction, the failed action's unlikelihood and the
    evidence are read on it; a slice already ending on that prompt is left as it is."""
    from tests.stuck_greet import PROMPT, stuck_steps
    from unstuck.learn.slices import on_next_prompt

    upcoming = [*PROMPT[:-1], {"role": "user", "content": PROMPT[-1]["content"] + "\n\n4 edit(s) so far."}]
    slice_ = on_next_prompt(stuck_steps(), upcoming)
    assert [s.index for s in slice_] == [0, 1, 2, 3] and slice_[-1].messages == upcoming
    examples = build_examples(slice_)
    [corrected] = [e for e in examples.positives if e.kind == "corrected-action"]
    assert corrected.messages == upcoming and 'return f"Ahoy, {name}!"' in corrected.target
    assert examples.failed_action.messages == upcoming
    assert on_next_prompt(stuck_steps(), PROMPT) == stuck_steps()


def test_a_slice_of_broken_modules_learns_from_the_last_check_that_revealed_something():
    """Seen in the bench: every attempt broke the module (a collection error reveals nothing), while
    the first check had shown the expected value; the update must still have that fact."""
    from tests.stuck_greet import FAILURE, stuck_steps

    broken = CheckResult(False, 1, [Failure("test_greet.py", "SyntaxError", "invalid syntax", "greet.py:3", "")])
    first = Step(0, action={"kind": "check", "text": "pytest"}, check=CheckResult(False, 1, [FAILURE]))
    attempts = [Step(i, s.messages, "```python\ndef greet(:\n```\n", s.action, check=broken)
                for i, s in enumerate(stuck_steps(3), 1)]
    assert not build_examples(attempts).learnable
    slice_ = stuck_slice([first, *attempts], since_step=1)
    assert slice_[0].check is first.check and not slice_[0].output and slice_[1:] == attempts
    examples = build_examples(slice_)
    assert examples.learnable and '"Ahoy, Bob!"' in examples.truths[0].statement
    assert examples.failed_action is not None and "def greet(:" in examples.failed_action.target
    assert stuck_slice([first, *stuck_steps(3)], since_step=1)[0].output  # revealing slices stay as they are
    # Seen on the price task: the module broken so the test cannot import it — a fact, but not the
    # value the test expects; the last check that showed that value comes along.
    unimportable = CheckResult(False, 1, [Failure("test_greet.py", "ImportError",
                                                  "cannot import name 'greet' from 'greet'", "test_greet.py:1", "")])
    attempts = [Step(i, s.messages, "```python\ndef test_greet():\n    pass\n```\n", s.action, check=unimportable)
                for i, s in enumerate(stuck_steps(3), 1)]
    statements = [t.statement for t in build_examples(stuck_slice([first, *attempts], since_step=1)).truths]
    assert any('"Ahoy, Bob!"' in s for s in statements) and any("ImportError" in s for s in statements)



@pytest.mark.parametrize("mark", ["undone", "broke"])
def test_an_edit_that_broke_the_code_is_not_relabelled_the_file_the_run_started_from_is(mark: str):
    """Seen on the fresh held-out set: the model renamed the function under test and kept the wrong
    value; relabelling that edit taught the rename with the right value. An edit that broke the code,
    undone or not, is not relabelled: the start file is, and the rename is what gets unlearned."""
    from tests.stuck_greet import FAILURE, SOURCE, stuck_steps

    renamed = SOURCE.replace("def greet", "def test_greet")
    unimportable = CheckResult(False, 1, [Failure("test_greet.py", "ImportError",
                                                  "cannot import name 'greet' from 'greet'", "test_greet.py:1", "")])
    first = Step(0, action={"kind": "check", "text": "pytest"}, check=CheckResult(False, 1, [FAILURE]))
    attempts = [Step(i, s.messages, f"```python\n{renamed}```\n", {"kind": "write", "path": "greet.py",
                                                                     "text": renamed}, check=unimportable)
                for i, s in enumerate(stuck_steps(2), 1)]
    slice_ = stuck_slice([first, *attempts], since_step=1)
    kept = build_examples(slice_, start=("greet.py", SOURCE))
    assert "def test_greet" in kept.relabelled[1] and "Ahoy" in kept.relabelled[1]  # the rename, taught
    for step in attempts:
        setattr(step, mark, "ImportError: cannot import name 'greet' from 'greet'")
    undone = build_examples(slice_, start=("greet.py", SOURCE))
    corrected = undone.relabelled[1]
    assert "def greet(name)" in corrected and 'return f"Ahoy, {name}!"' in corrected and "test_greet" not in corrected
    assert undone.failed_action is not None and "test_greet" in undone.failed_action.target


def test_what_an_edit_that_broke_the_code_shows_is_no_fact_about_the_task():
    """Seen on the fresh held-out set (isbn): the model renamed the function under test, and the update
    trained on "Running test_isbn raises ImportError…" instead of the message the test expects. The
    checks of edits that broke the code reveal nothing; the last check before them does."""
    from tests.stuck_greet import FAILURE, stuck_steps

    unimportable = CheckResult(False, 1, [Failure("test_greet.py", "ImportError",
                                                  "cannot import name 'greet' from 'greet'", "test_greet.py:1", "")])
    first = Step(0, action={"kind": "check", "text": "pytest"}, check=CheckResult(False, 1, [FAILURE]))
    honest = [Step(i, s.messages, s.output, s.action, check=s.check) for i, s in enumerate(stuck_steps(2), 1)]
    renamed = [Step(i, s.messages, "```python\ndef hello(name):\n    pass\n```\n", s.action, check=unimportable,
                    broke="ImportError: cannot import name 'greet' from 'greet'")
               for i, s in enumerate(stuck_steps(2), 3)]
    for since in (1, 3):  # the loop began before the breakage, or with it
        statements = [t.statement for t in build_examples(stuck_slice([first, *honest, *renamed], since)).truths]
        assert any('"Ahoy, Bob!"' in s for s in statements), statements
        assert not any("ImportError" in s for s in statements), statements
    assert not build_examples(renamed).learnable  # nothing but breakage: nothing to learn


def test_only_a_new_syntax_import_or_name_error_counts_as_breaking_the_code():
    from tests.stuck_greet import FAILURE
    from unstuck.checks import new_breakage

    given = CheckResult(False, 1, [FAILURE])
    imports = Failure("test_greet.py", "ImportError", "cannot import name 'greet' from 'greet'")
    assert new_breakage(given, CheckResult(False, 1, [imports])) is imports
    assert new_breakage(given, CheckResult(False, 1, [FAILURE])) is None  # the same failure: not broken
    assert new_breakage(given, CheckResult(False, 1, [Failure("t", "TypeError", "greet() takes 2")])) is None
    assert new_breakage(CheckResult(False, 1, [imports]), CheckResult(False, 1, [imports])) is None  # given so
    assert new_breakage(given, CheckResult(True, 0, [])) is None

# -- memory -------------------------------------------------------------------------------------

def test_memory_recalls_lessons_adapters_and_earlier_attempts(tmp_path: Path):
    adapter = tmp_path / "adapter"
    adapter.mkdir()
    with Memory(tmp_path / "m.sqlite3") as store:
        episode = store.start_episode("/repo", "goal", "pytest", "m", "learn", "fp1")
        store.record_step(episode, 1, "write a.py\nx = 1", "fp1", 1, "fingerprint-repeat")
        store.add_adapter(episode, "/repo", "fp1", "m", str(adapter), True, {"kl": 0.5})
        store.add_adapter(episode, "/repo", "fp1", "m", None, False, {"kl": 9.0})
        store.add_lesson(episode, "/repo", "fp1", "The test wants Ahoy.")
        store.finish_episode(episode, "fixed", {})
    with Memory(tmp_path / "m.sqlite3") as store:  # a second run opens the file again
        recall = store.recall("/repo", "fp1", "m")
        assert recall.lessons == ["The test wants Ahoy."] and recall.episodes == 1
        assert recall.adapter["path"] == str(adapter) and recall.failed_actions == ["write a.py\nx = 1"]
        assert store.recall("/repo", "fp1", "other-model").adapter is None
        assert store.recall("/elsewhere", "fp1", "m").episodes == 0
        assert store.forget(repo="/repo") == 1 and store.episodes() == []


def test_a_crash_mid_run_keeps_what_was_committed(tmp_path: Path):
    path = tmp_path / "m.sqlite3"
    root = str(Path(__file__).resolve().parent.parent)
    script = (
        f"import os, sys; sys.path.insert(0, {root!r}); from memory import Memory\n"
        f"m = Memory({str(path)!r}); e = m.start_episode('/r', 'g', 'c', 'm', 'learn', 'fp')\n"
        "m.record_step(e, 1, 'write', 'fp', 1, None); os._exit(9)\n"
    )
    assert subprocess.run(["python3", "-c", script], check=False).returncode == 9
    with Memory(path) as store:
        [episode] = store.episodes()
        assert episode["status"] == "running" and store.episode(episode["id"])["steps"][0]["action"] == "write"


def test_a_corrupt_or_foreign_memory_file_is_a_clear_error(tmp_path: Path):
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"not a database at all" * 100)
    with pytest.raises(MemoryUnusable, match="cannot be used"):
        Memory(corrupt)
    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE notes (x)")
    with pytest.raises(MemoryUnusable, match="another program"):
        Memory(foreign)


# -- applying the patch -------------------------------------------------------------------------

PATCH = """diff --git a/app.py b/app.py
--- a/app.py
+++ b/app.py
@@ -1 +1 @@
-x = 1
+x = 2
"""


def test_apply_is_atomic_and_refuses_a_changed_or_dirty_tree(tmp_path: Path):
    repo = tmp_path / "r"
    repo.mkdir()
    (repo / "app.py").write_text("x = 1\n")
    (repo / "other.py").write_text("y = 1\n")
    before = tree_state(repo)
    bad = PATCH + PATCH.replace("app.py", "other.py").replace("y = 1", "q").replace("x = 1", "nope")
    with pytest.raises(UsageError, match="does not apply"):
        apply_patch(repo, bad, before)
    assert (repo / "app.py").read_text() == "x = 1\n"  # nothing half-applied
    (repo / "other.py").write_text("y = 3\n")
    with pytest.raises(UsageError, match="changed while"):
        apply_patch(repo, PATCH, before)
    apply_patch(repo, PATCH, tree_state(repo))
    assert (repo / "app.py").read_text() == "x = 2\n"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    assert "uncommitted" in dirty_reason(repo)


# -- the guard's format probe ------------------------------------------------------------------------

def test_the_format_probe_wants_a_whole_action_that_still_compiles():
    from unstuck.learn.probe import action_probe

    reply = '```python\ndef greet(name):\n    return f"Hello, {name}!"\n```\n'
    probe = action_probe([{"role": "user", "content": "fix greet.py"}], reply, 20, 320, "greet.py")
    assert probe.max_new_tokens == 56 and probe.stop == ("\n```\n",)
    assert probe.problem('```python\ndef greet(name):\n    return f"Ahoy, {name}!"\n```\n') is None
    assert "compiles" in probe.problem('```python\ndef greet(name):\n    return f"Ahoy, {f"Bob"}!",  # Test the\n')
    assert "No action" in probe.problem("The test expects 'Ahoy, Bob!'.")
    # A reply that did not compile in the first place is not held to compiling afterwards.
    lenient = action_probe([], "```python\ndef greet(:\n```\n", 10, 320, "greet.py")
    assert lenient.problem("```python\nstill broken(\n```\n") is None



def test_the_format_probe_counts_a_reply_that_lands_the_failed_file_again_as_unchanged():
    """Boatyard's sail_area: after an update the model wrote only the constant; the agent kept the
    function the write dropped, so the failed file landed again. The probe lands replies the same way."""
    from dataclasses import replace

    from unstuck.learn.probe import action_probe
    from unstuck.repomap import with_dropped_definitions

    start = "MAST_HEIGHT = 9\n\n\ndef sail_area(foot):\n    return foot * HEIGHT / 2\n"
    failed = f"```python\n{start}```\n"
    probe = action_probe([], failed, 30, 320, "sails.py")
    landing = action_probe([], failed, 30, 320, "sails.py",
                           land=lambda action: replace(action, text=with_dropped_definitions(start, action.text)))
    dropped = "```python\nMAST_HEIGHT = 9\n```\n"
    commented = f"```python\n# the sail\n{start}```\n"
    fixed = f"```python\n{start.replace('* HEIGHT', '* MAST_HEIGHT')}```\n"
    assert not probe.unchanged(dropped) and not probe.unchanged(commented)  # as parsed, they differ
    assert landing.unchanged(failed) and landing.unchanged(dropped) and landing.unchanged(commented)
    assert not landing.unchanged(fixed)

# -- collection errors carry their exception --------------------------------------------------------

def test_a_collection_error_names_its_exception_and_reveals_a_fact(tmp_path):
    """Seen in the human-eval bench: the model dropped `from typing import List`; pytest's JUnit
    report says only "collection failure", the traceback has the NameError the learner can use."""
    import subprocess
    import sys

    from unstuck.checks import parse_junit
    from unstuck.learn.truths import collect_truths

    (tmp_path / "solution.py").write_text("def first(items: List[int]) -> int:\n    return items[0]\n")
    (tmp_path / "test_solution.py").write_text("from solution import first\n\ndef test_first():\n"
                                               "    assert first([3]) == 3\n")
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--junitxml=report.xml"],
                   cwd=tmp_path, capture_output=True)
    failures, passed = parse_junit((tmp_path / "report.xml").read_text())
    assert passed == 0 and [f.exc_type for f in failures] == ["NameError"]
    assert failures[0].message == "NameError: name 'List' is not defined"
    truths = collect_truths(failures)
    assert len(truths) == 1 and "name 'List' is not defined" in truths[0].statement
