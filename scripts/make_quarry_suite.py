# ruff: noqa: E501 - the tasks are data: each file as one string reads best whole
"""Writes ``unstuck/bench/tasks/knowledge-gap-quarry`` (the seventeenth held-out set), written at ``a4807e2`` before
any change of 2026-12-03 and committed before any run on it. Kinds in other words and values: a float through a
module constant, unittest's ``assertEqual`` on a string a dict holds, a ``TypeError`` on a keyword argument, a
non-pytest check on an int through a local, an int constant in another module, and one kind no relabel covers (a
code that must come back upper-cased)."""

from __future__ import annotations

import sys
from pathlib import Path

from suite_writer import write_suite

PYTEST = "python -m pytest -q -p no:cacheprovider"
TASKS = {
    "block_weight": {
        "files": {
            "blocks.py": 'DENSITY = 2.5\n\n\ndef block_weight(cubic_metres):\n    """Tonnes of a granite block."""\n'
                         "    return round(cubic_metres * DENSITY, 2)\n",
            "test_blocks.py": "from blocks import block_weight\n\n\ndef test_two_cubic_metres():\n"
                              "    assert block_weight(2) == 5.4\n",
        },
        "fixed": {"blocks.py": 'DENSITY = 2.7\n\n\ndef block_weight(cubic_metres):\n    """Tonnes of a granite block."""\n'
                               "    return round(cubic_metres * DENSITY, 2)\n"},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "float == through a module constant",
        "fact": "Granite weighs 2.7 tonnes a cubic metre: DENSITY = 2.7, so block_weight(2) == 5.4.",
        "hidden": "from blocks import block_weight\n\n\ndef test_hidden():\n    assert block_weight(3) == 8.1\n",
    },
    "stone_grade": {
        "files": {
            "grades.py": 'GRADES = {"A": "prime", "B": "standard", "C": "rubble"}\n\n\ndef stone_grade(letter):\n'
                         '    """What the yard calls a stone of this grade letter."""\n    return GRADES[letter]\n',
            "test_grades.py": "import unittest\n\nfrom grades import stone_grade\n\n\nclass GradeTest(unittest.TestCase):\n"
                              "    def test_grade_b(self):\n        self.assertEqual(stone_grade(\"B\"), \"select\")\n",
        },
        "fixed": {"grades.py": 'GRADES = {"A": "prime", "B": "select", "C": "rubble"}\n\n\ndef stone_grade(letter):\n'
                               '    """What the yard calls a stone of this grade letter."""\n    return GRADES[letter]\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "unittest assertEqual on a string a dict holds",
        "fact": 'Grade B is called "select": GRADES["B"] = "select".',
        "hidden": "from grades import stone_grade\n\n\ndef test_hidden():\n"
                  '    assert stone_grade("B") == "select"\n    assert stone_grade("A") == "prime"\n',
    },
    "cut_order": {
        "files": {
            "cutting.py": 'def cut_order(stone, depth):\n    """A saw order for a slab of stone."""\n'
                          '    return {"stone": stone, "mm": depth}\n',
            "test_cutting.py": "from cutting import cut_order\n\n\ndef test_a_slate_order():\n"
                               '    assert cut_order("slate", thickness=20) == {"stone": "slate", "mm": 20}\n',
        },
        "fixed": {"cutting.py": 'def cut_order(stone, thickness):\n    """A saw order for a slab of stone."""\n'
                                '    return {"stone": stone, "mm": thickness}\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "TypeError on a keyword argument",
        "fact": "cut_order's second parameter is named thickness: def cut_order(stone, thickness).",
        "hidden": "from cutting import cut_order\n\n\ndef test_hidden():\n"
                  '    assert cut_order("marble", thickness=30) == {"stone": "marble", "mm": 30}\n',
    },
    "blast_holes": {
        "files": {
            "blasting.py": 'def charges(holes):\n    """Charges to load for a round of drill holes."""\n'
                           "    per_hole = 3\n    return holes * per_hole\n",
            "check_blast.py": "from blasting import charges\n\nEXPECTED = 48\nactual = charges(12)\nif actual != EXPECTED:\n"
                              '    print(f"expected: {EXPECTED}")\n    print(f"actual: {actual}")\n    raise SystemExit(1)\n'
                              'print("blast ok")\n',
        },
        "fixed": {"blasting.py": 'def charges(holes):\n    """Charges to load for a round of drill holes."""\n'
                                 "    per_hole = 4\n    return holes * per_hole\n"},
        "check": "python check_blast.py", "goal": "Make the blast check pass.",
        "kind": "non-pytest check on an int through a local",
        "fact": "Each hole takes 4 charges: per_hole = 4, so charges(12) == 48.",
        "hidden": "from blasting import charges\n\n\ndef test_hidden():\n    assert charges(5) == 20\n",
    },
    "haul_loads": {
        "files": {
            "settings.py": "LORRY_TONNES = 20\n",
            "haulage.py": 'import math\n\nfrom settings import LORRY_TONNES\n\n\ndef haul_loads(tonnes):\n'
                          '    """Lorry loads to haul so many tonnes of stone."""\n    return math.ceil(tonnes / LORRY_TONNES)\n',
            "test_haulage.py": "from haulage import haul_loads\n\n\ndef test_a_hundred_tonnes():\n"
                               "    assert haul_loads(100) == 4\n",
        },
        "fixed": {"settings.py": "LORRY_TONNES = 28\n"},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "an int constant in another module",
        "fact": "A lorry carries 28 tonnes: LORRY_TONNES = 28 in settings.py, so haul_loads(100) == 4.",
        "hidden": "from haulage import haul_loads\n\n\ndef test_hidden():\n    assert haul_loads(56) == 2\n    assert haul_loads(57) == 3\n",
    },
    "pit_code": {
        "files": {
            "pits.py": 'def pit_code(name):\n    """A pit\'s code on the haul tickets: its name in capitals."""\n'
                       "    return name.strip()\n",
            "test_pits.py": "from pits import pit_code\n\n\ndef test_the_ticket():\n"
                            '    assert pit_code(" north face") == "NORTH FACE"\n',
        },
        "fixed": {"pits.py": 'def pit_code(name):\n    """A pit\'s code on the haul tickets: its name in capitals."""\n'
                             "    return name.strip().upper()\n"},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "a string that must come back upper-cased (no relabel covers it)",
        "fact": "pit_code must return the name in capitals.",
        "hidden": "from pits import pit_code\n\n\ndef test_hidden():\n"
                  '    assert pit_code("east bench ") == "EAST BENCH"\n',
    },
}


if __name__ == "__main__":
    write_suite(TASKS, Path(sys.argv[1]) if len(sys.argv) > 1 else Path("unstuck/bench/tasks/knowledge-gap-quarry"))
