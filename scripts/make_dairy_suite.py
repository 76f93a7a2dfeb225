# ruff: noqa: E501 - the tasks are data: each file as one string reads best whole
"""Writes ``unstuck/bench/tasks/knowledge-gap-dairy`` (the twenty-second held-out set), written at ``cdc43d9`` after the
forge run had been read; committed before any run on it. Kinds in other words and values: unittest's ``assertEqual`` on
an int a dict holds, ``in`` a list, an f-string whose constant text must change, ``pytest.approx`` on a float through a
module constant, ``pytest.raises`` with ``match`` naming a bound, and a ``NameError``."""

from __future__ import annotations

import sys
from pathlib import Path

from suite_writer import write_suite

PYTEST = "python -m pytest -q -p no:cacheprovider"
TASKS = {
    "cheese_age": {
        "files": {
            "ageing.py": 'AGES = {"cheddar": 9, "brie": 1}\n\n\ndef months_aged(cheese):\n'
                         '    """Months a wheel of this cheese ripens in the cellar."""\n    return AGES[cheese]\n',
            "test_ageing.py": "import unittest\n\nfrom ageing import months_aged\n\n\nclass AgeingTest(unittest.TestCase):\n"
                              '    def test_cheddar(self):\n        self.assertEqual(months_aged("cheddar"), 12)\n',
        },
        "fixed": {"ageing.py": 'AGES = {"cheddar": 12, "brie": 1}\n\n\ndef months_aged(cheese):\n'
                               '    """Months a wheel of this cheese ripens in the cellar."""\n    return AGES[cheese]\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "unittest assertEqual on an int a dict holds",
        "fact": 'Cheddar ripens for 12 months: AGES["cheddar"] = 12.',
        "hidden": "from ageing import months_aged\n\n\ndef test_hidden():\n"
                  '    assert months_aged("cheddar") == 12\n    assert months_aged("brie") == 1\n',
    },
    "herd_breeds": {
        "files": {
            "herd.py": 'def breeds():\n    """The breeds of cow in the herd."""\n    return ["Jersey", "Holstein"]\n',
            "test_herd.py": "from herd import breeds\n\n\ndef test_guernseys_are_kept():\n"
                            '    assert "Guernsey" in breeds()\n',
        },
        "fixed": {"herd.py": 'def breeds():\n    """The breeds of cow in the herd."""\n    return ["Jersey", "Holstein", "Guernsey"]\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "in a list",
        "fact": 'The herd keeps Guernseys too: "Guernsey" is among breeds().',
        "hidden": "from herd import breeds\n\n\ndef test_hidden():\n"
                  '    assert sorted(breeds()) == ["Guernsey", "Holstein", "Jersey"]\n',
    },
    "lot_label": {
        "files": {
            "labels.py": 'def lot_label(batch):\n    """The label on every crate of a batch."""\n    return f"Batch {batch}"\n',
            "test_labels.py": "from labels import lot_label\n\n\ndef test_label():\n    assert lot_label(7) == \"Lot 7\"\n",
        },
        "fixed": {"labels.py": 'def lot_label(batch):\n    """The label on every crate of a batch."""\n    return f"Lot {batch}"\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "an f-string whose constant text must change",
        "fact": 'A crate is labelled "Lot <batch>": return f"Lot {batch}".',
        "hidden": "from labels import lot_label\n\n\ndef test_hidden():\n    assert lot_label(12) == \"Lot 12\"\n",
    },
    "fat_grams": {
        "files": {
            "cream.py": "FAT_SHARE = 0.035\n\n\ndef fat_grams(litres):\n"
                        '    """Grams of butterfat in this much milk."""\n    return litres * 1000 * FAT_SHARE\n',
            "test_cream.py": "import pytest\n\nfrom cream import fat_grams\n\n\ndef test_two_litres():\n"
                             "    assert fat_grams(2) == pytest.approx(80.0)\n",
        },
        "fixed": {"cream.py": "FAT_SHARE = 0.04\n\n\ndef fat_grams(litres):\n"
                              '    """Grams of butterfat in this much milk."""\n    return litres * 1000 * FAT_SHARE\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "pytest.approx on a float through a module constant",
        "fact": "The milk is 4 % butterfat: FAT_SHARE = 0.04, so fat_grams(2) == 80.0.",
        "hidden": "import pytest\nfrom cream import fat_grams\n\n\ndef test_hidden():\n    assert fat_grams(0.5) == pytest.approx(20.0)\n",
    },
    "churn_load": {
        "files": {
            "churns.py": 'def churn_load(litres):\n    """Kilograms of butter a churn gives from this much cream."""\n    return litres * 0.4\n',
            "test_churns.py": "import pytest\n\nfrom churns import churn_load\n\n\ndef test_an_overfull_churn():\n"
                              '    with pytest.raises(ValueError, match="more than 40"):\n        churn_load(55)\n',
        },
        "fixed": {"churns.py": 'def churn_load(litres):\n    """Kilograms of butter a churn gives from this much cream."""\n'
                               '    if litres > 40:\n        raise ValueError("a churn holds no more than 40 litres")\n    return litres * 0.4\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "pytest.raises with match naming a bound",
        "fact": "churn_load must raise ValueError (\"more than 40\") for more than 40 litres.",
        "hidden": "import pytest\nfrom churns import churn_load\n\n\ndef test_hidden():\n"
                  "    assert churn_load(10) == 4.0\n    with pytest.raises(ValueError):\n        churn_load(41)\n",
    },
    "milk_cost": {
        "files": {
            "costs.py": "MILK_PRICE = 0.4\n\n\ndef milk_cost(litres):\n"
                        '    """What this much milk costs the dairy, in pounds."""\n    return litres * PRICE\n',
            "test_costs.py": "from costs import milk_cost\n\n\ndef test_ten_litres():\n    assert milk_cost(10) == 4.0\n",
        },
        "fixed": {"costs.py": "MILK_PRICE = 0.4\n\n\ndef milk_cost(litres):\n"
                              '    """What this much milk costs the dairy, in pounds."""\n    return litres * MILK_PRICE\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "NameError",
        "fact": "The price is MILK_PRICE (there is no PRICE): return litres * MILK_PRICE.",
        "hidden": "from costs import milk_cost\n\n\ndef test_hidden():\n    assert milk_cost(5) == 2.0\n",
    },
}


if __name__ == "__main__":
    write_suite(TASKS, Path(sys.argv[1]) if len(sys.argv) > 1 else Path("unstuck/bench/tasks/knowledge-gap-dairy"))
