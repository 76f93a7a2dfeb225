# ruff: noqa: E501 - the tasks are data: each file as one string reads best whole
"""Writes ``unstuck/bench/tasks/knowledge-gap-weavers`` (the twenty-fourth held-out set), written at ``46acda2`` after
the bindery run had been read; committed before any run on it. Kinds in other words and values: ``==`` on a dict, unittest's
``assertTrue`` on membership in a set, a ``TypeError`` naming a keyword the signature lacks, ``<`` on a module constant
(no value named, a kind no relabel covers), a multi-line assert on an f-string, and a script check whose ``assert``
fails outside pytest."""

from __future__ import annotations

import sys
from pathlib import Path

from suite_writer import write_suite

PYTEST = "python -m pytest -q -p no:cacheprovider"
TASKS = {
    "dye_colours": {
        "files": {
            "dyes.py": 'def dye_colours():\n    """The colour each dye plant gives the wool."""\n    return {"madder": "red", "woad": "green"}\n',
            "test_dyes.py": "from dyes import dye_colours\n\n\ndef test_colours():\n"
                            '    assert dye_colours() == {"madder": "red", "woad": "blue"}\n',
        },
        "fixed": {"dyes.py": 'def dye_colours():\n    """The colour each dye plant gives the wool."""\n    return {"madder": "red", "woad": "blue"}\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "== on a dict",
        "fact": 'Woad dyes wool blue: dye_colours()["woad"] == "blue".',
        "hidden": "from dyes import dye_colours\n\n\ndef test_hidden():\n    assert dye_colours()[\"woad\"] == \"blue\"\n    assert dye_colours()[\"madder\"] == \"red\"\n",
    },
    "wool_kinds": {
        "files": {
            "wools.py": 'WOOLS = {"shetland", "jacob"}\n\n\ndef is_wool(name):\n    """Whether the mill spins this wool."""\n    return name in WOOLS\n',
            "test_wools.py": "import unittest\n\nfrom wools import is_wool\n\n\nclass WoolTest(unittest.TestCase):\n"
                             '    def test_merino_is_spun(self):\n        self.assertTrue(is_wool("merino"))\n',
        },
        "fixed": {"wools.py": 'WOOLS = {"shetland", "jacob", "merino"}\n\n\ndef is_wool(name):\n    """Whether the mill spins this wool."""\n    return name in WOOLS\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "unittest assertTrue on membership in a set",
        "fact": 'The mill spins merino too: "merino" is in WOOLS.',
        "hidden": "from wools import is_wool\n\n\ndef test_hidden():\n    assert is_wool(\"merino\") and is_wool(\"jacob\")\n    assert not is_wool(\"cotton\")\n",
    },
    "warp_length": {
        "files": {
            "warp.py": 'def warp_length(metres, threads):\n    """Metres of yarn to wind a warp this long with this many threads."""\n    return metres * threads\n',
            "test_warp.py": "from warp import warp_length\n\n\ndef test_a_scarf_warp():\n    assert warp_length(2, ends=300) == 600\n",
        },
        "fixed": {"warp.py": 'def warp_length(metres, ends):\n    """Metres of yarn to wind a warp this long with this many threads."""\n    return metres * ends\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "TypeError naming a keyword the signature lacks",
        "fact": "warp_length takes its thread count as ends=: def warp_length(metres, ends).",
        "hidden": "from warp import warp_length\n\n\ndef test_hidden():\n    assert warp_length(3, ends=100) == 300\n",
    },
    "shuttle_weight": {
        "files": {
            "shuttles.py": 'SHUTTLE_GRAMS = 250\n\n\ndef shuttle_weight():\n    """Grams a boat shuttle weighs, empty."""\n    return SHUTTLE_GRAMS\n',
            "test_shuttles.py": "from shuttles import shuttle_weight\n\n\ndef test_light_enough_to_throw():\n    assert shuttle_weight() < 200\n",
        },
        "fixed": {"shuttles.py": 'SHUTTLE_GRAMS = 180\n\n\ndef shuttle_weight():\n    """Grams a boat shuttle weighs, empty."""\n    return SHUTTLE_GRAMS\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "< on a module constant, no value named",
        "fact": "A shuttle must weigh under 200 g: SHUTTLE_GRAMS = 180.",
        "hidden": "from shuttles import shuttle_weight\n\n\ndef test_hidden():\n    assert 0 < shuttle_weight() < 200\n",
    },
    "bolt_label": {
        "files": {
            "bolts.py": 'def bolt_label(cloth, metres):\n    """The tag on a bolt of cloth."""\n    return f"{cloth.title()}: {metres} m"\n',
            "test_bolts.py": "from bolts import bolt_label\n\n\ndef test_tweed_bolt():\n    assert bolt_label(\"tweed\", 30) == (\n"
                             '        "Tweed, 30 m"\n    )\n',
        },
        "fixed": {"bolts.py": 'def bolt_label(cloth, metres):\n    """The tag on a bolt of cloth."""\n    return f"{cloth.title()}, {metres} m"\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "multi-line assert on an f-string",
        "fact": 'A bolt is tagged "<Cloth>, <metres> m": return f"{cloth.title()}, {metres} m".',
        "hidden": "from bolts import bolt_label\n\n\ndef test_hidden():\n    assert bolt_label(\"linen\", 12) == \"Linen, 12 m\"\n",
    },
    "loom_count": {
        "files": {
            "looms.py": 'LOOMS = {"shed one": 4, "shed two": 4}\n\n\ndef loom_count():\n    """Looms in the mill, all sheds together."""\n    return sum(LOOMS.values())\n',
            "check_looms.py": "from looms import loom_count\n\nassert loom_count() == 12, f\"expected 12 looms, found {loom_count()}\"\nprint(\"looms ok\")\n",
        },
        "fixed": {"looms.py": 'LOOMS = {"shed one": 4, "shed two": 8}\n\n\ndef loom_count():\n    """Looms in the mill, all sheds together."""\n    return sum(LOOMS.values())\n'},
        "check": "python check_looms.py", "goal": "Make the loom check pass.",
        "kind": "script check whose assert fails outside pytest",
        "fact": "The mill has 12 looms: shed two holds 8.",
        "hidden": "from looms import LOOMS, loom_count\n\n\ndef test_hidden():\n    assert loom_count() == sum(LOOMS.values()) == 12\n",
    },
}


if __name__ == "__main__":
    write_suite(TASKS, Path(sys.argv[1]) if len(sys.argv) > 1 else Path("unstuck/bench/tasks/knowledge-gap-weavers"))
