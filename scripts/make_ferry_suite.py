# ruff: noqa: E501 - the tasks are data: each file as one string reads best whole
"""Writes ``unstuck/bench/tasks/knowledge-gap-ferry`` (the nineteenth held-out set), written at ``e1f2ec9`` plus the
probe that lands a reply before calling it a new action, after the boatyard run had been read; committed before any
run on it. Kinds in other words and values: an int constant in another module, a ``NameError``, a ``KeyError`` on a
dict lookup, unittest's ``assertRaises`` on a negative argument, an f-string whose constant text must change, and
unittest's ``assertTrue`` on a chained comparison that must include its bound, a kind no relabel covers."""

from __future__ import annotations

import sys
from pathlib import Path

from suite_writer import write_suite

PYTEST = "python -m pytest -q -p no:cacheprovider"
TASKS = {
    "deck_space": {
        "files": {
            "settings.py": "CARS_PER_DECK = 40\n",
            "decks.py": "from settings import CARS_PER_DECK\n\n\ndef deck_space(decks):\n"
                        '    """Cars the ferry carries on this many vehicle decks."""\n    return decks * CARS_PER_DECK\n',
            "test_decks.py": "from decks import deck_space\n\n\ndef test_three_decks():\n    assert deck_space(3) == 135\n",
        },
        "fixed": {"settings.py": "CARS_PER_DECK = 45\n"},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "int constant in another module",
        "fact": "A vehicle deck takes 45 cars: CARS_PER_DECK = 45 in settings.py.",
        "hidden": "from decks import deck_space\nfrom settings import CARS_PER_DECK\n\n\ndef test_hidden():\n"
                  "    assert CARS_PER_DECK == 45\n    assert deck_space(2) == 90\n",
    },
    "child_fare": {
        "files": {
            "fares.py": "CHILD_SHARE = 0.5\n\n\ndef child_fare(adult_fare):\n"
                        '    """A child\'s fare: a share of the adult fare."""\n    return adult_fare * SHARE\n',
            "test_fares.py": "from fares import child_fare\n\n\ndef test_half_price():\n    assert child_fare(30) == 15\n",
        },
        "fixed": {"fares.py": "CHILD_SHARE = 0.5\n\n\ndef child_fare(adult_fare):\n"
                              '    """A child\'s fare: a share of the adult fare."""\n    return adult_fare * CHILD_SHARE\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "NameError",
        "fact": "The share is CHILD_SHARE (there is no SHARE): return adult_fare * CHILD_SHARE.",
        "hidden": "from fares import child_fare\n\n\ndef test_hidden():\n    assert child_fare(12) == 6\n",
    },
    "crossing_hours": {
        "files": {
            "crossings.py": 'HOURS = {"Calais": 1.5, "Bilbao": 24}\n\n\ndef crossing_hours(port):\n'
                            '    """How long the crossing to a port takes, in hours."""\n    return HOURS[port]\n',
            "test_crossings.py": "from crossings import crossing_hours\n\n\ndef test_roscoff():\n"
                                 '    assert crossing_hours("Roscoff") == 6\n',
        },
        "fixed": {"crossings.py": 'HOURS = {"Calais": 1.5, "Bilbao": 24, "Roscoff": 6}\n\n\ndef crossing_hours(port):\n'
                                  '    """How long the crossing to a port takes, in hours."""\n    return HOURS[port]\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "KeyError on a dict lookup (a missing key)",
        "fact": "The crossing to Roscoff takes 6 hours: HOURS needs \"Roscoff\": 6.",
        "hidden": "from crossings import crossing_hours\n\n\ndef test_hidden():\n"
                  '    assert crossing_hours("Roscoff") == 6\n    assert crossing_hours("Calais") == 1.5\n'
                  '    assert crossing_hours("Bilbao") == 24\n',
    },
    "cabin_count": {
        "files": {
            "cabins.py": 'def cabin_count(berths):\n    """Cabins for this many berths, four to a cabin."""\n'
                         "    return -(-berths // 4)\n",
            "test_cabins.py": "import unittest\n\nfrom cabins import cabin_count\n\n\nclass CabinTest(unittest.TestCase):\n"
                              "    def test_no_negative_berths(self):\n        with self.assertRaises(ValueError):\n"
                              "            cabin_count(-8)\n",
        },
        "fixed": {"cabins.py": 'def cabin_count(berths):\n    """Cabins for this many berths, four to a cabin."""\n'
                               "    if berths < 0:\n        raise ValueError(\"berths must not be negative\")\n"
                               "    return -(-berths // 4)\n"},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "unittest assertRaises on a negative argument (the raise guard)",
        "fact": "cabin_count must raise ValueError for a negative number of berths.",
        "hidden": "import pytest\nfrom cabins import cabin_count\n\n\ndef test_hidden():\n"
                  "    assert cabin_count(9) == 3\n    assert cabin_count(8) == 2\n"
                  "    with pytest.raises(ValueError):\n        cabin_count(-1)\n",
    },
    "boarding_call": {
        "files": {
            "calls.py": 'def boarding_call(port):\n    """What the tannoy says when a sailing boards."""\n'
                        '    return f"Passengers for {port}, please board."\n',
            "test_calls.py": "from calls import boarding_call\n\n\ndef test_the_call():\n"
                             '    assert boarding_call("Calais") == "Passengers for Calais: please board now."\n',
        },
        "fixed": {"calls.py": 'def boarding_call(port):\n    """What the tannoy says when a sailing boards."""\n'
                              '    return f"Passengers for {port}: please board now."\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "an f-string whose constant text must change",
        "fact": 'The call reads "Passengers for <port>: please board now."',
        "hidden": "from calls import boarding_call\n\n\ndef test_hidden():\n"
                  '    assert boarding_call("Bilbao") == "Passengers for Bilbao: please board now."\n',
    },
    "ticket_office": {
        "files": {
            "office.py": 'def ticket_office_open(hour):\n    """Whether the ticket office is open at this hour of the day."""\n'
                         "    return 6 < hour < 22\n",
            "test_office.py": "import unittest\n\nfrom office import ticket_office_open\n\n\nclass OfficeTest(unittest.TestCase):\n"
                              "    def test_open_for_the_first_sailing(self):\n        self.assertTrue(ticket_office_open(6))\n",
        },
        "fixed": {"office.py": 'def ticket_office_open(hour):\n    """Whether the ticket office is open at this hour of the day."""\n'
                               "    return 6 <= hour < 22\n"},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "assertTrue on a chained comparison that must include its bound (no relabel covers it)",
        "fact": "The office opens at 6: ticket_office_open(6) is true (6 <= hour < 22).",
        "hidden": "from office import ticket_office_open\n\n\ndef test_hidden():\n"
                  "    assert ticket_office_open(6)\n    assert ticket_office_open(21)\n"
                  "    assert not ticket_office_open(22)\n    assert not ticket_office_open(5)\n",
    },
}


if __name__ == "__main__":
    write_suite(TASKS, Path(sys.argv[1]) if len(sys.argv) > 1 else Path("unstuck/bench/tasks/knowledge-gap-ferry"))
