# ruff: noqa: E501 - the tasks are data: each file as one string reads best whole
"""Writes ``unstuck/bench/tasks/knowledge-gap-pottery`` (the thirteenth held-out set): each task's repo as
given, and its task.json with the reference fix as a git diff (made by git itself)."""

from __future__ import annotations

import sys
from pathlib import Path

from suite_writer import write_suite

PYTEST = "python -m pytest -q -p no:cacheprovider"
TASKS = {
    "glaze_check": {
        "files": {
            "glaze.py": 'def glaze_ml(pots):\n    """Millilitres of glaze a batch of pots takes."""\n'
                        "    ml_per_pot = 120\n    return pots * ml_per_pot\n",
            "check_glaze.py": "from glaze import glaze_ml\n\nEXPECTED = 600\nresult = glaze_ml(4)\n"
                              "if result != EXPECTED:\n    print(f\"expected: {EXPECTED}\")\n"
                              "    print(f\"got: {result}\")\n    raise SystemExit(1)\nprint(\"glaze ok\")\n",
        },
        "fixed": {"glaze.py": 'def glaze_ml(pots):\n    """Millilitres of glaze a batch of pots takes."""\n'
                              "    ml_per_pot = 150\n    return pots * ml_per_pot\n"},
        "check": "python check_glaze.py", "goal": "Make the glaze check pass.",
        "kind": "non-pytest check (expected/got lines) on an int through a local",
        "fact": "A pot takes 150 ml of glaze: ml_per_pot = 150, so glaze_ml(4) == 600.",
        "hidden": "from glaze import glaze_ml\n\n\ndef test_hidden():\n    assert glaze_ml(2) == 300\n",
    },
    "clay_cost": {
        "files": {
            "clay.py": "PRICE_PER_KG = 2.5\n\n\ndef clay_cost(kg):\n    \"\"\"What kg of stoneware clay costs.\"\"\"\n"
                       "    return round(kg * PRICE_PER_KG, 2)\n",
            "test_clay.py": "import unittest\n\nfrom clay import clay_cost\n\n\nclass ClayCostTest(unittest.TestCase):\n"
                            "    def test_four_kilos(self):\n        self.assertEqual(clay_cost(4), 14.0)\n",
        },
        "fixed": {"clay.py": "PRICE_PER_KG = 3.5\n\n\ndef clay_cost(kg):\n    \"\"\"What kg of stoneware clay costs.\"\"\"\n"
                             "    return round(kg * PRICE_PER_KG, 2)\n"},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "unittest assertEqual on a float through a module constant",
        "fact": "Stoneware clay costs 3.5 a kilo: PRICE_PER_KG = 3.5, so clay_cost(4) == 14.0.",
        "hidden": "from clay import clay_cost\n\n\ndef test_hidden():\n    assert clay_cost(2) == 7.0\n",
    },
    "studio_welcome": {
        "files": {
            "studio.py": 'def welcome(name):\n    """What the studio says to a potter at the door."""\n'
                         '    return f"Hello {name}, mind the wheel"\n',
            "test_studio.py": "from studio import welcome\n\n\ndef test_welcome_ana():\n"
                              '    assert welcome("Ana") == "Welcome to the studio, Ana!"\n',
        },
        "fixed": {"studio.py": 'def welcome(name):\n    """What the studio says to a potter at the door."""\n'
                               '    return f"Welcome to the studio, {name}!"\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "str == through an f-string around a parameter",
        "fact": 'The studio greets with "Welcome to the studio, <name>!".',
        "hidden": 'from studio import welcome\n\n\ndef test_hidden():\n    assert welcome("Raj") == "Welcome to the studio, Raj!"\n',
    },
    "wet_clay": {
        "files": {
            "moisture.py": "def check_moisture(percent):\n    \"\"\"Refuse clay too wet to throw.\"\"\"\n"
                           "    if percent > 30:\n        raise ValueError(\"clay is too dry\")\n    return percent\n",
            "test_moisture.py": "import pytest\n\nfrom moisture import check_moisture\n\n\ndef test_soaked_clay_is_refused():\n"
                                '    with pytest.raises(ValueError, match="clay too wet"):\n        check_moisture(40)\n',
        },
        "fixed": {"moisture.py": "def check_moisture(percent):\n    \"\"\"Refuse clay too wet to throw.\"\"\"\n"
                                 "    if percent > 30:\n        raise ValueError(\"clay too wet\")\n    return percent\n"},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "pytest.raises match on an exception's message",
        "fact": 'Clay over 30 % moisture is refused with ValueError("clay too wet").',
        "hidden": "import pytest\n\nfrom moisture import check_moisture\n\n\ndef test_hidden():\n"
                  '    with pytest.raises(ValueError, match="clay too wet"):\n        check_moisture(55)\n'
                  "    assert check_moisture(20) == 20\n",
    },
    "glaze_colour": {
        "files": {
            "colours.py": 'COLOURS = {"celadon": "green", "tenmoku": "brown"}\n\n\ndef colour(glaze):\n'
                          '    """The colour a glaze fires to."""\n    return COLOURS[glaze]\n',
            "test_colours.py": "from colours import colour\n\n\ndef test_shino():\n"
                               '    assert colour("shino") == "orange"\n',
        },
        "fixed": {"colours.py": 'COLOURS = {"celadon": "green", "tenmoku": "brown", "shino": "orange"}\n\n\n'
                                'def colour(glaze):\n    """The colour a glaze fires to."""\n    return COLOURS[glaze]\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "KeyError on a dict lookup",
        "fact": 'Shino glaze fires orange: COLOURS["shino"] = "orange".',
        "hidden": "from colours import colour\n\n\ndef test_hidden():\n"
                  '    assert colour("shino") == "orange"\n    assert colour("celadon") == "green"\n',
    },
    "pots_fired": {
        "files": {
            "config.py": "SHELVES = 4\n",
            "kiln.py": "from config import SHELVES\n\n\ndef pots_fired(loads):\n"
                       '    """Pots fired in a number of kiln loads, eight to a shelf."""\n    return loads * SHELVES * 8\n',
            "test_kiln.py": "from kiln import pots_fired\n\n\ndef test_two_loads():\n    assert pots_fired(2) == 80\n",
        },
        "fixed": {"config.py": "SHELVES = 5\n"},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "int constant in another module (config.py)",
        "fact": "The kiln has 5 shelves: SHELVES = 5 in config.py, so pots_fired(2) == 80.",
        "hidden": "from kiln import pots_fired\n\n\ndef test_hidden():\n    assert pots_fired(1) == 40\n",
    },
}


if __name__ == "__main__":
    write_suite(TASKS, Path(sys.argv[1]) if len(sys.argv) > 1 else Path("unstuck/bench/tasks/knowledge-gap-pottery"))
