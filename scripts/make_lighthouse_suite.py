# ruff: noqa: E501 - the tasks are data: each file as one string reads best whole
"""Writes ``unstuck/bench/tasks/knowledge-gap-lighthouse`` (the fourteenth held-out set): four calls that must
raise and do not — the kinds the raise guard of ``587591e`` covers, in other words and values — and two kinds
no relabel covers (a bound that is a positive number, a list that must come back sorted)."""

from __future__ import annotations

import sys
from pathlib import Path

from suite_writer import write_suite

PYTEST = "python -m pytest -q -p no:cacheprovider"
TASKS = {
    "lamp_turns": {
        "files": {
            "lamp.py": 'def lamp_turns(hours):\n    """Turns the lamp makes in a number of hours, three a minute."""\n'
                       "    return hours * 60 * 3\n",
            "test_lamp.py": "import pytest\n\nfrom lamp import lamp_turns\n\n\ndef test_no_hours_is_refused():\n"
                            "    with pytest.raises(ValueError):\n        lamp_turns(0)\n",
        },
        "fixed": {"lamp.py": 'def lamp_turns(hours):\n    """Turns the lamp makes in a number of hours, three a minute."""\n'
                             "    if hours < 1:\n        raise ValueError(\"at least one hour\")\n    return hours * 60 * 3\n"},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "raises (no match) on a zero int parameter",
        "fact": "lamp_turns must raise ValueError for fewer than one hour, such as 0.",
        "hidden": "import pytest\nfrom lamp import lamp_turns\n\n\ndef test_hidden():\n    assert lamp_turns(2) == 360\n"
                  "    with pytest.raises(ValueError):\n        lamp_turns(-1)\n",
    },
    "keeper_name": {
        "files": {
            "keepers.py": 'def keeper_name(name):\n    """A keeper\'s name as the log writes it."""\n    return name.strip().title()\n',
            "test_keepers.py": "import pytest\n\nfrom keepers import keeper_name\n\n\ndef test_a_blank_name_is_refused():\n"
                               '    with pytest.raises(ValueError, match="blank name"):\n        keeper_name("   ")\n',
        },
        "fixed": {"keepers.py": 'def keeper_name(name):\n    """A keeper\'s name as the log writes it."""\n'
                                '    if not name.strip():\n        raise ValueError("blank name")\n    return name.strip().title()\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "raises match on a blank string parameter",
        "fact": 'keeper_name must raise ValueError("blank name") for a name that is only spaces.',
        "hidden": "import pytest\nfrom keepers import keeper_name\n\n\ndef test_hidden():\n"
                  '    assert keeper_name(" ada ") == "Ada"\n    with pytest.raises(ValueError, match="blank name"):\n'
                  '        keeper_name("")\n',
    },
    "fog_gap": {
        "files": {
            "fog.py": 'def fog_gap(seconds_text):\n    """Seconds between two blasts of the fog horn, from the log."""\n'
                      "    seconds = float(seconds_text)\n    return seconds * 2\n",
            "test_fog.py": "import unittest\n\nfrom fog import fog_gap\n\n\nclass FogGapTest(unittest.TestCase):\n"
                           "    def test_a_negative_gap_is_refused(self):\n        with self.assertRaises(ValueError):\n"
                           '            fog_gap("-1.5")\n',
        },
        "fixed": {"fog.py": 'def fog_gap(seconds_text):\n    """Seconds between two blasts of the fog horn, from the log."""\n'
                            "    seconds = float(seconds_text)\n    if seconds < 0:\n"
                            '        raise ValueError("negative gap")\n    return seconds * 2\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "unittest assertRaises on a negative float through a local",
        "fact": "fog_gap must raise ValueError for a negative number of seconds, such as \"-1.5\".",
        "hidden": "import pytest\nfrom fog import fog_gap\n\n\ndef test_hidden():\n    assert fog_gap(\"2.5\") == 5.0\n"
                  '    with pytest.raises(ValueError):\n        fog_gap("-0.5")\n',
    },
    "ship_flag": {
        "files": {
            "ships.py": 'FLAGS = {"Mary Rose": "red", "Cutty Sark": "blue"}\n\n\ndef ship_flag(ship):\n'
                        '    """The flag a ship flies."""\n    return FLAGS.get(ship, "none")\n',
            "test_ships.py": "import pytest\n\nfrom ships import ship_flag\n\n\ndef test_an_unknown_ship_is_an_error():\n"
                             '    with pytest.raises(KeyError, match="unknown ship"):\n        ship_flag("Argo")\n',
        },
        "fixed": {"ships.py": 'FLAGS = {"Mary Rose": "red", "Cutty Sark": "blue"}\n\n\ndef ship_flag(ship):\n'
                              '    """The flag a ship flies."""\n    if ship not in FLAGS:\n'
                              '        raise KeyError(f"unknown ship {ship}")\n    return FLAGS[ship]\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "raises KeyError match on a .get with a default",
        "fact": 'ship_flag must raise KeyError("unknown ship …") for a ship it does not know.',
        "hidden": "import pytest\nfrom ships import ship_flag\n\n\ndef test_hidden():\n"
                  '    assert ship_flag("Cutty Sark") == "blue"\n    with pytest.raises(KeyError, match="unknown ship"):\n'
                  '        ship_flag("Beagle")\n',
    },
    "gale_force": {
        "files": {
            "wind.py": 'def gale_force(knots):\n    """The Beaufort number of a wind speed, roughly one per five knots."""\n'
                       "    return knots // 5\n",
            "test_wind.py": "import pytest\n\nfrom wind import gale_force\n\n\ndef test_an_impossible_wind_is_refused():\n"
                            "    with pytest.raises(ValueError):\n        gale_force(300)\n",
        },
        "fixed": {"wind.py": 'def gale_force(knots):\n    """The Beaufort number of a wind speed, roughly one per five knots."""\n'
                             '    if knots > 200:\n        raise ValueError("no wind is that fast")\n    return knots // 5\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "raises on a positive number over a bound (no relabel covers it)",
        "fact": "gale_force must raise ValueError for a wind over 200 knots, such as 300.",
        "hidden": "import pytest\nfrom wind import gale_force\n\n\ndef test_hidden():\n    assert gale_force(40) == 8\n"
                  "    with pytest.raises(ValueError):\n        gale_force(250)\n",
    },
    "beacon_order": {
        "files": {
            "beacons.py": 'def beacon_order(names):\n    """Beacon names in the order the chart lists them: alphabetical."""\n'
                          "    return list(names)\n",
            "test_beacons.py": "from beacons import beacon_order\n\n\ndef test_the_chart_order():\n"
                               '    assert beacon_order(["Tor", "Aln", "Fal"]) == ["Aln", "Fal", "Tor"]\n',
        },
        "fixed": {"beacons.py": 'def beacon_order(names):\n    """Beacon names in the order the chart lists them: alphabetical."""\n'
                                "    return sorted(names)\n"},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "list == that must come back sorted (no relabel covers it)",
        "fact": "beacon_order must return the names sorted alphabetically.",
        "hidden": "from beacons import beacon_order\n\n\ndef test_hidden():\n"
                  '    assert beacon_order(["Wick", "Bass", "Mull"]) == ["Bass", "Mull", "Wick"]\n',
    },
}


if __name__ == "__main__":
    write_suite(TASKS, Path(sys.argv[1]) if len(sys.argv) > 1 else Path("unstuck/bench/tasks/knowledge-gap-lighthouse"))
