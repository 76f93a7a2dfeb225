"""A recorded stuck slice for the learner tests: the agent's own prompt on the bundled greet task, a
test that expects a greeting the code does not produce, and the same failing edit three times."""

from __future__ import annotations

from unstuck.agent import AgentSettings
from unstuck.learn.guard import FormatProbe
from unstuck.learn.probe import action_probe
from unstuck.policy import Policy
from unstuck.prompts import TurnState, build_messages
from unstuck.trajectory import CheckResult, Failure, Step

FAILURE_TEXT = '''def test_greet():
>       assert greet("Bob") == "Ahoy, Bob!"
E       AssertionError: assert 'Hello, Bob!' == 'Ahoy, Bob!'
E
E         - Ahoy, Bob!
E         + Hello, Bob!

test_greet.py:4: AssertionError'''

FAILURE = Failure(
    "test_greet.py::test_greet", "AssertionError",
    "AssertionError: assert 'Hello, Bob!' == 'Ahoy, Bob!'", "test_greet.py:4", FAILURE_TEXT,
)
SOURCE = 'def greet(name):\n    """Greet a visitor of the harbour."""\n    return f"Hello, {name}!"\n'
PROMPT = build_messages(TurnState(
    "Make the failing tests pass.", "python -m pytest -q -p no:cacheprovider",
    "test_greet.py:\n  def test_greet():\ngreet.py:\n  def greet(name):", "greet.py", SOURCE,
    CheckResult(False, 1, [FAILURE]),
))
FAILED_ACTION = f"```python\n{SOURCE}```\n"


def stuck_steps(n: int = 3) -> list[Step]:
    """``n`` steps writing the same wrong file, each failing the same way."""
    return [
        Step(i, PROMPT, FAILED_ACTION, {"kind": "write", "path": "greet.py", "text": SOURCE},
             "", CheckResult(False, 1, [FAILURE]))
        for i in range(n)
    ]


def stuck_probe(policy: Policy) -> FormatProbe:
    """The format probe the agent would hand the guard after these steps (their prompt and action)."""
    tokens = len(policy.encode(FAILED_ACTION))
    return action_probe(PROMPT, FAILED_ACTION, tokens, AgentSettings().max_new_tokens, "greet.py")
