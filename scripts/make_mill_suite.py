# ruff: noqa: E501 - the tasks are data: each file as one string reads best whole
"""Writes ``unstuck/bench/tasks/knowledge-gap-mill`` (the twentieth held-out set), written at ``9be879d`` (the recipe of
``3c2aba6``, the landing-probe trial off) after the ferry runs had been read; committed before any run on it. Kinds in
other words and values: ``pytest.approx`` on a float through a local, ``in`` a tuple, a ``NameError``, unittest's
``assertEqual`` on a price a dict holds, ``pytest.raises`` with ``match`` over a limit, and a result that must be
positive (``>``), a kind no relabel covers."""

from __future__ import annotations

import sys
from pathlib import Path

from suite_writer import write_suite

PYTEST = "python -m pytest -q -p no:cacheprovider"
TASKS = {
    "flour_yield": {
        "files": {
            "milling.py": 'def flour_yield(grain_kg):\n    """Kilograms of flour from this much grain."""\n'
                          "    extraction = 0.72\n    return grain_kg * extraction\n",
            "test_milling.py": "import pytest\n\nfrom milling import flour_yield\n\n\ndef test_a_hundred_kilos():\n"
                               "    assert flour_yield(100) == pytest.approx(75.0)\n",
        },
        "fixed": {"milling.py": 'def flour_yield(grain_kg):\n    """Kilograms of flour from this much grain."""\n'
                               "    extraction = 0.75\n    return grain_kg * extraction\n"},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "pytest.approx on a float through a local",
        "fact": "The mill extracts 75 %: extraction = 0.75, so flour_yield(100) == 75.0.",
        "hidden": "import pytest\nfrom milling import flour_yield\n\n\ndef test_hidden():\n    assert flour_yield(40) == pytest.approx(30.0)\n",
    },
    "grain_types": {
        "files": {
            "grains.py": 'def grain_types():\n    """The grains the mill grinds."""\n    return ("wheat", "rye", "barley")\n',
            "test_grains.py": "from grains import grain_types\n\n\ndef test_spelt_is_ground():\n"
                              '    assert "spelt" in grain_types()\n',
        },
        "fixed": {"grains.py": 'def grain_types():\n    """The grains the mill grinds."""\n    return ("wheat", "rye", "barley", "spelt")\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "in a tuple",
        "fact": 'The mill grinds spelt too: "spelt" is among grain_types().',
        "hidden": "from grains import grain_types\n\n\ndef test_hidden():\n"
                  '    assert set(grain_types()) == {"wheat", "rye", "barley", "spelt"}\n',
    },
    "stone_output": {
        "files": {
            "stones.py": "MILLSTONES = 2\n\n\ndef stone_output(hours):\n"
                         '    """Kilograms the mill grinds in this many hours, 40 kg an hour a pair of stones."""\n'
                         "    return hours * STONES * 40\n",
            "test_stones.py": "from stones import stone_output\n\n\ndef test_three_hours():\n    assert stone_output(3) == 240\n",
        },
        "fixed": {"stones.py": "MILLSTONES = 2\n\n\ndef stone_output(hours):\n"
                               '    """Kilograms the mill grinds in this many hours, 40 kg an hour a pair of stones."""\n'
                               "    return hours * MILLSTONES * 40\n"},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "NameError",
        "fact": "The number of stones is MILLSTONES (there is no STONES): return hours * MILLSTONES * 40.",
        "hidden": "from stones import stone_output\n\n\ndef test_hidden():\n    assert stone_output(1) == 80\n",
    },
    "bag_price": {
        "files": {
            "prices.py": 'PRICES = {"white": 1.2, "wholemeal": 1.5}\n\n\ndef bag_price(flour):\n'
                         '    """The price of a kilo bag of this flour, in pounds."""\n    return PRICES[flour]\n',
            "test_prices.py": "import unittest\n\nfrom prices import bag_price\n\n\nclass PriceTest(unittest.TestCase):\n"
                              "    def test_wholemeal(self):\n        self.assertEqual(bag_price(\"wholemeal\"), 1.6)\n",
        },
        "fixed": {"prices.py": 'PRICES = {"white": 1.2, "wholemeal": 1.6}\n\n\ndef bag_price(flour):\n'
                               '    """The price of a kilo bag of this flour, in pounds."""\n    return PRICES[flour]\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "unittest assertEqual on a price a dict holds",
        "fact": "A bag of wholemeal costs 1.6: PRICES[\"wholemeal\"] = 1.6.",
        "hidden": "from prices import bag_price\n\n\ndef test_hidden():\n"
                  '    assert bag_price("wholemeal") == 1.6\n    assert bag_price("white") == 1.2\n',
    },
    "sack_weight": {
        "files": {
            "sacks.py": 'def sack_weight(kg):\n    """A sack\'s weight as labelled, in kilograms."""\n    return round(kg, 1)\n',
            "test_sacks.py": "import pytest\n\nfrom sacks import sack_weight\n\n\ndef test_too_heavy_to_lift():\n"
                             '    with pytest.raises(ValueError, match="heavier than 25"):\n        sack_weight(30)\n',
        },
        "fixed": {"sacks.py": 'def sack_weight(kg):\n    """A sack\'s weight as labelled, in kilograms."""\n'
                              "    if kg > 25:\n        raise ValueError(\"a sack may not be heavier than 25 kg\")\n"
                              "    return round(kg, 1)\n"},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "pytest.raises with match over a limit (the raise guard)",
        "fact": "sack_weight must raise ValueError (\"heavier than 25\") for a sack over 25 kg.",
        "hidden": "import pytest\nfrom sacks import sack_weight\n\n\ndef test_hidden():\n"
                  "    assert sack_weight(12.34) == 12.3\n    with pytest.raises(ValueError):\n        sack_weight(26)\n",
    },
    "sieve_gap": {
        "files": {
            "sieves.py": 'def sieve_gap(mesh):\n    """Millimetres between the wires of a sieve of this mesh number."""\n'
                         "    return 2 - mesh\n",
            "test_sieves.py": "from sieves import sieve_gap\n\n\ndef test_a_gap_is_never_closed():\n"
                              "    assert sieve_gap(4) > 0\n",
        },
        "fixed": {"sieves.py": 'def sieve_gap(mesh):\n    """Millimetres between the wires of a sieve of this mesh number."""\n'
                               "    return 2 / mesh\n"},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "a result that must be positive (> 0; no relabel covers it)",
        "fact": "The gap is 2 mm divided by the mesh number: return 2 / mesh.",
        "hidden": "from sieves import sieve_gap\n\n\ndef test_hidden():\n    assert sieve_gap(4) == 0.5\n    assert sieve_gap(8) == 0.25\n",
    },
}


if __name__ == "__main__":
    write_suite(TASKS, Path(sys.argv[1]) if len(sys.argv) > 1 else Path("unstuck/bench/tasks/knowledge-gap-mill"))
