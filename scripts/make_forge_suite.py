# ruff: noqa: E501 - the tasks are data: each file as one string reads best whole
"""Writes ``unstuck/bench/tasks/knowledge-gap-forge`` (the twenty-first held-out set), written at ``544d79d`` after the
mill run had been read; committed before any run on it. Kinds in other words and values: a check that is not pytest on
an int a module constant gives, unittest's ``assertIn`` on a list, a ``KeyError`` from a dict lookup, ``pytest.raises``
with ``match`` on a negative argument, an f-string whose constant text must change, and an ``AttributeError`` on a
misspelt attribute."""

from __future__ import annotations

import sys
from pathlib import Path

from suite_writer import write_suite

PYTEST = "python -m pytest -q -p no:cacheprovider"
TASKS = {
    "heating_time": {
        "files": {
            "heating.py": "HEAT_MINUTES = 12\n\n\ndef heating_time(bars):\n"
                          '    """Minutes to bring this many iron bars to a working heat."""\n    return bars * HEAT_MINUTES\n',
            "check_heat.py": "from heating import heating_time\n\nEXPECTED = 45\nactual = heating_time(3)\nif actual != EXPECTED:\n"
                             '    print(f"expected: {EXPECTED}")\n    print(f"actual: {actual}")\n    raise SystemExit(1)\n'
                             'print("heat ok")\n',
        },
        "fixed": {"heating.py": "HEAT_MINUTES = 15\n\n\ndef heating_time(bars):\n"
                                '    """Minutes to bring this many iron bars to a working heat."""\n    return bars * HEAT_MINUTES\n'},
        "check": "python check_heat.py", "goal": "Make the heat check pass.",
        "kind": "non-pytest check on an int a module constant gives",
        "fact": "A bar takes 15 minutes to heat: HEAT_MINUTES = 15, so heating_time(3) == 45.",
        "hidden": "from heating import heating_time\n\n\ndef test_hidden():\n    assert heating_time(2) == 30\n",
    },
    "metals": {
        "files": {
            "stock.py": 'def metals():\n    """The metals the forge works."""\n    return ["iron", "steel"]\n',
            "test_stock.py": "import unittest\n\nfrom stock import metals\n\n\nclass MetalsTest(unittest.TestCase):\n"
                             '    def test_bronze_is_worked(self):\n        self.assertIn("bronze", metals())\n',
        },
        "fixed": {"stock.py": 'def metals():\n    """The metals the forge works."""\n    return ["iron", "steel", "bronze"]\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "unittest assertIn on a list",
        "fact": 'The forge works bronze too: "bronze" is among metals().',
        "hidden": "from stock import metals\n\n\ndef test_hidden():\n    assert sorted(metals()) == [\"bronze\", \"iron\", \"steel\"]\n",
    },
    "tong_count": {
        "files": {
            "tongs.py": 'TONGS = {"flat": 3, "round": 2}\n\n\ndef tong_count(kind):\n'
                        '    """How many tongs of this kind hang by the anvil."""\n    return TONGS[kind]\n',
            "test_tongs.py": "from tongs import tong_count\n\n\ndef test_wolf_jaw_tongs():\n    assert tong_count(\"wolf\") == 1\n",
        },
        "fixed": {"tongs.py": 'TONGS = {"flat": 3, "round": 2, "wolf": 1}\n\n\ndef tong_count(kind):\n'
                              '    """How many tongs of this kind hang by the anvil."""\n    return TONGS[kind]\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "KeyError from a dict lookup",
        "fact": 'There is one pair of wolf-jaw tongs: TONGS["wolf"] = 1.',
        "hidden": "from tongs import tong_count\n\n\ndef test_hidden():\n"
                  '    assert tong_count("wolf") == 1\n    assert tong_count("flat") == 3\n',
    },
    "anvil_weight": {
        "files": {
            "anvils.py": 'def anvil_weight(kg):\n    """An anvil\'s weight as stamped on its side, in kilograms."""\n    return int(kg)\n',
            "test_anvils.py": "import pytest\n\nfrom anvils import anvil_weight\n\n\ndef test_no_negative_anvil():\n"
                              '    with pytest.raises(ValueError, match="negative"):\n        anvil_weight(-5)\n',
        },
        "fixed": {"anvils.py": 'def anvil_weight(kg):\n    """An anvil\'s weight as stamped on its side, in kilograms."""\n'
                               '    if kg < 0:\n        raise ValueError("an anvil cannot weigh a negative amount")\n    return int(kg)\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "pytest.raises with match on a negative argument",
        "fact": "anvil_weight must raise ValueError (\"negative\") for a negative weight.",
        "hidden": "import pytest\nfrom anvils import anvil_weight\n\n\ndef test_hidden():\n"
                  "    assert anvil_weight(80.6) == 80\n    with pytest.raises(ValueError):\n        anvil_weight(-1)\n",
    },
    "maker_stamp": {
        "files": {
            "stamps.py": 'def maker_stamp(smith):\n    """The mark struck into every blade."""\n    return f"{smith} made"\n',
            "test_stamps.py": "from stamps import maker_stamp\n\n\ndef test_stamp():\n"
                              '    assert maker_stamp("Ada") == "Forged by Ada"\n',
        },
        "fixed": {"stamps.py": 'def maker_stamp(smith):\n    """The mark struck into every blade."""\n    return f"Forged by {smith}"\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "an f-string whose constant text must change",
        "fact": 'The stamp reads "Forged by <smith>": return f"Forged by {smith}".',
        "hidden": "from stamps import maker_stamp\n\n\ndef test_hidden():\n    assert maker_stamp(\"Bo\") == \"Forged by Bo\"\n",
    },
    "bellows": {
        "files": {
            "bellows.py": 'class Bellows:\n    """The forge\'s bellows, counting its strokes."""\n\n'
                          "    def __init__(self):\n        self.strokes = 0\n\n"
                          "    def pump(self):\n        self.stroke += 1\n        return self.strokes\n",
            "test_bellows.py": "from bellows import Bellows\n\n\ndef test_one_pump_is_one_stroke():\n"
                               "    bellows = Bellows()\n    assert bellows.pump() == 1\n",
        },
        "fixed": {"bellows.py": 'class Bellows:\n    """The forge\'s bellows, counting its strokes."""\n\n'
                                "    def __init__(self):\n        self.strokes = 0\n\n"
                                "    def pump(self):\n        self.strokes += 1\n        return self.strokes\n"},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "AttributeError on a misspelt attribute",
        "fact": "The counter is self.strokes (there is no self.stroke): self.strokes += 1.",
        "hidden": "from bellows import Bellows\n\n\ndef test_hidden():\n"
                  "    bellows = Bellows()\n    bellows.pump()\n    assert bellows.pump() == 2\n",
    },
}


if __name__ == "__main__":
    write_suite(TASKS, Path(sys.argv[1]) if len(sys.argv) > 1 else Path("unstuck/bench/tasks/knowledge-gap-forge"))
