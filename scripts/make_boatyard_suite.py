# ruff: noqa: E501 - the tasks are data: each file as one string reads best whole
"""Writes ``unstuck/bench/tasks/knowledge-gap-boatyard`` (the eighteenth held-out set), written at ``a1798db`` (the recipe of ``bf9cd75``) after
the quarry run had been read and the day's three changes made (a str-method relabel, comment-only edits not kept,
no correction that writes the test's answer in); committed before any run on it. Kinds from issue #16's list in
other words and values: ``pytest.approx`` on a float through a local, ``not in`` a list, a ``NameError``,
unittest's ``assertIn``, a string that must come back lower-cased (the day's relabel), and ``is None``, a kind no
relabel covers."""

from __future__ import annotations

import sys
from pathlib import Path

from suite_writer import write_suite

PYTEST = "python -m pytest -q -p no:cacheprovider"
TASKS = {
    "rope_length": {
        "files": {
            "ropes.py": 'def rope_length(metres):\n    """Rope to cut for a mooring line, with the stretch allowance."""\n'
                        "    stretch = 1.02\n    return metres * stretch\n",
            "test_ropes.py": "import pytest\n\nfrom ropes import rope_length\n\n\ndef test_a_hundred_metres():\n"
                             "    assert rope_length(100) == pytest.approx(105.0)\n",
        },
        "fixed": {"ropes.py": 'def rope_length(metres):\n    """Rope to cut for a mooring line, with the stretch allowance."""\n'
                              "    stretch = 1.05\n    return metres * stretch\n"},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "pytest.approx on a float through a local",
        "fact": "The stretch allowance is 5 %: stretch = 1.05, so rope_length(100) == 105.0.",
        "hidden": "import pytest\nfrom ropes import rope_length\n\n\ndef test_hidden():\n    assert rope_length(40) == pytest.approx(42.0)\n",
    },
    "knot_names": {
        "files": {
            "knots.py": 'def knot_names():\n    """The knots the yard teaches new hands."""\n'
                        '    return ["bowline", "cleat hitch", "granny", "reef knot"]\n',
            "test_knots.py": "from knots import knot_names\n\n\ndef test_no_granny_knot():\n"
                             '    assert "granny" not in knot_names()\n',
        },
        "fixed": {"knots.py": 'def knot_names():\n    """The knots the yard teaches new hands."""\n'
                              '    return ["bowline", "cleat hitch", "reef knot"]\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "not in a list",
        "fact": 'The yard does not teach the granny knot: "granny" is not among knot_names().',
        "hidden": "from knots import knot_names\n\n\ndef test_hidden():\n"
                  '    assert knot_names() == ["bowline", "cleat hitch", "reef knot"]\n',
    },
    "sail_area": {
        "files": {
            "sails.py": "MAST_HEIGHT = 9\n\n\ndef sail_area(foot):\n"
                        '    """Square metres of a triangular mainsail with this foot, up the mast."""\n'
                        "    return foot * HEIGHT / 2\n",
            "test_sails.py": "from sails import sail_area\n\n\ndef test_a_four_metre_foot():\n"
                             "    assert sail_area(4) == 18\n",
        },
        "fixed": {"sails.py": "MAST_HEIGHT = 9\n\n\ndef sail_area(foot):\n"
                              '    """Square metres of a triangular mainsail with this foot, up the mast."""\n'
                              "    return foot * MAST_HEIGHT / 2\n"},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "NameError",
        "fact": "The mast's height is MAST_HEIGHT (there is no HEIGHT): return foot * MAST_HEIGHT / 2.",
        "hidden": "from sails import sail_area\n\n\ndef test_hidden():\n    assert sail_area(2) == 9\n",
    },
    "crew_roles": {
        "files": {
            "crew.py": 'def crew_roles():\n    """The roles on the yard\'s delivery crew."""\n'
                       '    return ["skipper", "mate", "cook"]\n',
            "test_crew.py": "import unittest\n\nfrom crew import crew_roles\n\n\nclass CrewTest(unittest.TestCase):\n"
                            '    def test_a_bosun_sails(self):\n        self.assertIn("bosun", crew_roles())\n',
        },
        "fixed": {"crew.py": 'def crew_roles():\n    """The roles on the yard\'s delivery crew."""\n'
                             '    return ["skipper", "mate", "cook", "bosun"]\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "unittest assertIn on a list",
        "fact": 'The delivery crew has a bosun: "bosun" is among crew_roles().',
        "hidden": "from crew import crew_roles\n\n\ndef test_hidden():\n"
                  '    assert set(crew_roles()) == {"skipper", "mate", "cook", "bosun"}\n',
    },
    "tide_label": {
        "files": {
            "tides.py": 'def tide_label(reading):\n    """The tide board\'s word for a gauge reading: lower case, no spaces."""\n'
                        "    return reading.strip()\n",
            "test_tides.py": "from tides import tide_label\n\n\ndef test_the_board():\n"
                             '    assert tide_label(" FLOOD") == "flood"\n',
        },
        "fixed": {"tides.py": 'def tide_label(reading):\n    """The tide board\'s word for a gauge reading: lower case, no spaces."""\n'
                              "    return reading.strip().lower()\n"},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "a string that must come back lower-cased (the str-method relabel of 51c3118)",
        "fact": "tide_label must return the reading in lower case.",
        "hidden": "from tides import tide_label\n\n\ndef test_hidden():\n"
                  '    assert tide_label("Ebb ") == "ebb"\n',
    },
    "free_berth": {
        "files": {
            "berths.py": 'BERTHS = {"A1": "Curlew", "A2": ""}\n\n\ndef free_berth(berth):\n'
                         '    """The boat in a berth, or None where the berth is free."""\n    return BERTHS[berth]\n',
            "test_berths.py": "from berths import free_berth\n\n\ndef test_an_empty_berth():\n"
                              '    assert free_berth("A2") is None\n',
        },
        "fixed": {"berths.py": 'BERTHS = {"A1": "Curlew", "A2": ""}\n\n\ndef free_berth(berth):\n'
                               '    """The boat in a berth, or None where the berth is free."""\n    return BERTHS[berth] or None\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "is None (no relabel covers it)",
        "fact": "free_berth must return None, not an empty string, for a free berth.",
        "hidden": "from berths import free_berth\n\n\ndef test_hidden():\n"
                  '    assert free_berth("A1") == "Curlew"\n    assert free_berth("A2") is None\n',
    },
}


if __name__ == "__main__":
    write_suite(TASKS, Path(sys.argv[1]) if len(sys.argv) > 1 else Path("unstuck/bench/tasks/knowledge-gap-boatyard"))
