# ruff: noqa: E501 - the tasks are data: each file as one string reads best whole
"""Writes ``unstuck/bench/tasks/knowledge-gap-tannery`` (the twenty-fifth held-out set), written at ``0180093`` after the
weavers run had been read; committed before any run on it. Kinds in other words and values: ``pytest.approx`` on a
float a literal in the function gives, ``in`` a dict's keys, unittest's ``assertRaises`` with no message, ``!=`` (no
value named, a kind no relabel covers), an ``ImportError`` naming a constant another module spells otherwise, and a
string that must come back in another case."""

from __future__ import annotations

import sys
from pathlib import Path

from suite_writer import write_suite

PYTEST = "python -m pytest -q -p no:cacheprovider"
TASKS = {
    "soak_hours": {
        "files": {
            "soaking.py": 'def soak_hours(hides):\n    """Hours this many hides soak in the lime pit."""\n    return hides * 3\n',
            "test_soaking.py": "import pytest\n\nfrom soaking import soak_hours\n\n\ndef test_two_hides():\n"
                               "    assert soak_hours(2) == pytest.approx(7.5)\n",
        },
        "fixed": {"soaking.py": 'def soak_hours(hides):\n    """Hours this many hides soak in the lime pit."""\n    return hides * 3.75\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "pytest.approx on a float a literal in the function gives",
        "fact": "A hide soaks 3.75 hours: soak_hours(2) == 7.5.",
        "hidden": "import pytest\nfrom soaking import soak_hours\n\n\ndef test_hidden():\n    assert soak_hours(4) == pytest.approx(15.0)\n",
    },
    "tan_barks": {
        "files": {
            "barks.py": 'def tan_barks():\n    """Weeks a tan of each bark takes to cure a hide."""\n    return {"chestnut": 4, "willow": 2}\n',
            "test_barks.py": "from barks import tan_barks\n\n\ndef test_oak_bark_is_used():\n    assert \"oak\" in tan_barks()\n",
        },
        "fixed": {"barks.py": 'def tan_barks():\n    """Weeks a tan of each bark takes to cure a hide."""\n    return {"chestnut": 4, "willow": 2, "oak": 6}\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "in a dict's keys",
        "fact": 'The tannery uses oak bark too: "oak" is a key of tan_barks().',
        "hidden": "from barks import tan_barks\n\n\ndef test_hidden():\n    barks = tan_barks()\n    assert \"oak\" in barks and barks[\"chestnut\"] == 4\n",
    },
    "hide_grade": {
        "files": {
            "grades.py": 'GRADES = {"A": "full grain", "B": "top grain"}\n\n\ndef hide_grade(letter):\n'
                         '    """What a grade letter stamped on a hide means."""\n    return GRADES.get(letter, "unknown")\n',
            "test_grades.py": "import unittest\n\nfrom grades import hide_grade\n\n\nclass GradeTest(unittest.TestCase):\n"
                              '    def test_an_unknown_letter(self):\n        with self.assertRaises(KeyError):\n            hide_grade("Z")\n',
        },
        "fixed": {"grades.py": 'GRADES = {"A": "full grain", "B": "top grain"}\n\n\ndef hide_grade(letter):\n'
                               '    """What a grade letter stamped on a hide means."""\n    return GRADES[letter]\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "unittest assertRaises with no message",
        "fact": "An unknown grade letter must raise KeyError: return GRADES[letter].",
        "hidden": "import pytest\nfrom grades import hide_grade\n\n\ndef test_hidden():\n"
                  "    assert hide_grade(\"A\") == \"full grain\"\n    with pytest.raises(KeyError):\n        hide_grade(\"Q\")\n",
    },
    "calf_colour": {
        "files": {
            "colours.py": 'def leather_colour(hide):\n    """The colour a hide tans to."""\n    return "grey"\n',
            "test_colours.py": "from colours import leather_colour\n\n\ndef test_calf_is_not_grey():\n"
                               '    assert leather_colour("calf") != "grey"\n',
        },
        "fixed": {"colours.py": 'def leather_colour(hide):\n    """The colour a hide tans to."""\n    return "tan"\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "!= with no value named",
        "fact": "Tanned calf is not grey: leather_colour(\"calf\") must return another colour (tan).",
        "hidden": "from colours import leather_colour\n\n\ndef test_hidden():\n    assert leather_colour(\"calf\") not in (\"grey\", \"\")\n",
    },
    "hide_price": {
        "files": {
            "settings.py": "PRICE_PER_HIDE = 12\n",
            "prices.py": 'from settings import HIDE_PRICE\n\n\ndef hides_cost(count):\n    """What this many raw hides cost, in pounds."""\n    return count * HIDE_PRICE\n',
            "test_prices.py": "from prices import hides_cost\n\n\ndef test_ten_hides():\n    assert hides_cost(10) == 120\n",
        },
        "fixed": {"prices.py": 'from settings import PRICE_PER_HIDE\n\n\ndef hides_cost(count):\n    """What this many raw hides cost, in pounds."""\n    return count * PRICE_PER_HIDE\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "ImportError naming a constant another module spells otherwise",
        "fact": "settings.py names the price PRICE_PER_HIDE: from settings import PRICE_PER_HIDE.",
        "hidden": "from prices import hides_cost\n\n\ndef test_hidden():\n    assert hides_cost(3) == 36\n",
    },
    "bark_stamp": {
        "files": {
            "stamps.py": 'def bark_stamp(bark):\n    """The stamp on a bale of bark."""\n    return bark.title()\n',
            "test_stamps.py": "from stamps import bark_stamp\n\n\ndef test_oak_stamp():\n    assert bark_stamp(\"oak bark\") == \"OAK BARK\"\n",
        },
        "fixed": {"stamps.py": 'def bark_stamp(bark):\n    """The stamp on a bale of bark."""\n    return bark.upper()\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "a string that must come back in another case",
        "fact": "A bale is stamped in capitals: return bark.upper().",
        "hidden": "from stamps import bark_stamp\n\n\ndef test_hidden():\n    assert bark_stamp(\"willow\") == \"WILLOW\"\n",
    },
}


if __name__ == "__main__":
    write_suite(TASKS, Path(sys.argv[1]) if len(sys.argv) > 1 else Path("unstuck/bench/tasks/knowledge-gap-tannery"))
