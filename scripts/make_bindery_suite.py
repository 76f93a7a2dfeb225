# ruff: noqa: E501 - the tasks are data: each file as one string reads best whole
"""Writes ``unstuck/bench/tasks/knowledge-gap-bindery`` (the twenty-third held-out set), written at ``ee69c21`` after the
dairy run had been read; committed before any run on it. Kinds in other words and values: ``>=`` on an int a literal in
the function gives, ``not in`` a list, unittest's ``assertEqual`` on a tuple, a ``KeyError`` naming the missing key, a
non-pytest check printing expected and actual text, and an ``AttributeError`` on an attribute the class does not have."""

from __future__ import annotations

import sys
from pathlib import Path

from suite_writer import write_suite

PYTEST = "python -m pytest -q -p no:cacheprovider"
TASKS = {
    "thread_length": {
        "files": {
            "sewing.py": 'def thread_length(sections):\n    """Centimetres of linen thread to sew this many sections."""\n    return sections * 25\n',
            "test_sewing.py": "from sewing import thread_length\n\n\ndef test_four_sections():\n    assert thread_length(4) >= 120\n",
        },
        "fixed": {"sewing.py": 'def thread_length(sections):\n    """Centimetres of linen thread to sew this many sections."""\n    return sections * 30\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": ">= on an int a literal in the function gives",
        "fact": "A section takes 30 cm of thread: thread_length(4) must be at least 120.",
        "hidden": "from sewing import thread_length\n\n\ndef test_hidden():\n    assert thread_length(2) == 60\n",
    },
    "cover_cloths": {
        "files": {
            "cloths.py": 'def cover_cloths():\n    """The cloths the bindery covers books in."""\n    return ["buckram", "linen", "vinyl"]\n',
            "test_cloths.py": "from cloths import cover_cloths\n\n\ndef test_no_plastic_covers():\n"
                              '    assert "vinyl" not in cover_cloths()\n',
        },
        "fixed": {"cloths.py": 'def cover_cloths():\n    """The cloths the bindery covers books in."""\n    return ["buckram", "linen"]\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "not in a list",
        "fact": 'The bindery covers no book in vinyl: "vinyl" is not among cover_cloths().',
        "hidden": "from cloths import cover_cloths\n\n\ndef test_hidden():\n    assert sorted(cover_cloths()) == [\"buckram\", \"linen\"]\n",
    },
    "drying_window": {
        "files": {
            "glue.py": 'def drying_window():\n    """The shortest and longest minutes glued boards stay in the press."""\n    return (15, 40)\n',
            "test_glue.py": "import unittest\n\nfrom glue import drying_window\n\n\nclass GlueTest(unittest.TestCase):\n"
                            "    def test_window(self):\n        self.assertEqual(drying_window(), (20, 40))\n",
        },
        "fixed": {"glue.py": 'def drying_window():\n    """The shortest and longest minutes glued boards stay in the press."""\n    return (20, 40)\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "unittest assertEqual on a tuple",
        "fact": "Glued boards stay in the press 20 to 40 minutes: drying_window() == (20, 40).",
        "hidden": "from glue import drying_window\n\n\ndef test_hidden():\n    low, high = drying_window()\n    assert (low, high) == (20, 40)\n",
    },
    "paper_weight": {
        "files": {
            "papers.py": 'WEIGHTS = {"laid": 90, "wove": 80}\n\n\ndef paper_weight(kind):\n'
                         '    """Grams per square metre of this kind of paper."""\n    return WEIGHTS[kind]\n',
            "test_papers.py": "from papers import paper_weight\n\n\ndef test_cartridge_paper():\n"
                              '    assert paper_weight("cartridge") == 120\n',
        },
        "fixed": {"papers.py": 'WEIGHTS = {"laid": 90, "wove": 80, "cartridge": 120}\n\n\ndef paper_weight(kind):\n'
                               '    """Grams per square metre of this kind of paper."""\n    return WEIGHTS[kind]\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "KeyError naming the missing key",
        "fact": 'Cartridge paper weighs 120 g: WEIGHTS["cartridge"] = 120.',
        "hidden": "from papers import paper_weight\n\n\ndef test_hidden():\n"
                  '    assert paper_weight("cartridge") == 120\n    assert paper_weight("laid") == 90\n',
    },
    "press_label": {
        "files": {
            "presses.py": 'def press_label(number):\n    """The plate on each standing press."""\n    return f"Press #{number}"\n',
            "check_presses.py": "from presses import press_label\n\nEXPECTED = \"Press No. 3\"\nactual = press_label(3)\n"
                                "if actual != EXPECTED:\n    print(f\"expected: {EXPECTED}\")\n    print(f\"actual: {actual}\")\n"
                                "    raise SystemExit(1)\nprint(\"presses ok\")\n",
        },
        "fixed": {"presses.py": 'def press_label(number):\n    """The plate on each standing press."""\n    return f"Press No. {number}"\n'},
        "check": "python check_presses.py", "goal": "Make the press check pass.",
        "kind": "non-pytest check on an f-string's constant text",
        "fact": 'A press plate reads "Press No. <number>": return f"Press No. {number}".',
        "hidden": "from presses import press_label\n\n\ndef test_hidden():\n    assert press_label(12) == \"Press No. 12\"\n",
    },
    "board_count": {
        "files": {
            "boards.py": "class Book:\n    def __init__(self, volumes):\n        self.volumes = volumes\n\n\n"
                         'def board_count(book):\n    """Boards to cut: two for each volume."""\n    return 2 * book.volume_count\n',
            "test_boards.py": "from boards import Book, board_count\n\n\ndef test_three_volumes():\n    assert board_count(Book(3)) == 6\n",
        },
        "fixed": {"boards.py": "class Book:\n    def __init__(self, volumes):\n        self.volumes = volumes\n\n\n"
                               'def board_count(book):\n    """Boards to cut: two for each volume."""\n    return 2 * book.volumes\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "AttributeError on an attribute the class does not have",
        "fact": "A Book keeps its volumes in book.volumes (there is no volume_count): return 2 * book.volumes.",
        "hidden": "from boards import Book, board_count\n\n\ndef test_hidden():\n    assert board_count(Book(1)) == 2\n",
    },
}


if __name__ == "__main__":
    write_suite(TASKS, Path(sys.argv[1]) if len(sys.argv) > 1 else Path("unstuck/bench/tasks/knowledge-gap-bindery"))
