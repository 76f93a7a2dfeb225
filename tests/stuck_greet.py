"""A recorded stuck slice: a test expects a greeting the code does not produce, three times."""

from __future__ import annotations

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
PROMPT = [{"role": "user", "content": (
    'greet.py:\n```python\ndef greet(name):\n    return f"Hello, {name}!"\n```\n'
    f"The test fails:\n{FAILURE_TEXT}\n"
    "Rewrite greet.py so the test passes. Reply with the whole file in a python code block."
)}]
FAILED_ACTION = '```python\ndef greet(name):\n    return f"Hello, {name}!"\n```'


def stuck_steps(n: int = 3) -> list[Step]:
    return [
        Step(i, PROMPT, FAILED_ACTION, {"kind": "write", "path": "greet.py"}, "", CheckResult(False, 1, [FAILURE]))
        for i in range(n)
    ]
