# ruff: noqa: E501 - the tasks are data: each file as one string reads best whole
"""Writes ``unstuck/bench/tasks/knowledge-gap-apiary`` (the sixteenth held-out set), written at ``8301eb4``
after the observatory run had been read, the sorted-list relabel written (``535b293``) and the stray test
functions dropped where an action lands (``8301eb4``); committed before any run on it. Kinds in other words
and values: a zero int and a blank string that must raise, a ``KeyError`` whose message must match from a
``.get``, two lists that must come back sorted (ascending from a comprehension, descending from ``list``),
and one kind no relabel covers (a name that must come back title-cased)."""

from __future__ import annotations

import sys
from pathlib import Path

from suite_writer import write_suite

PYTEST = "python -m pytest -q -p no:cacheprovider"
TASKS = {
    "hive_frames": {
        "files": {
            "hives.py": 'def hive_frames(boxes):\n    """Frames to order for so many brood boxes, eleven each."""\n'
                        "    return boxes * 11\n",
            "test_hives.py": "import pytest\n\nfrom hives import hive_frames\n\n\ndef test_no_boxes_is_refused():\n"
                             "    with pytest.raises(ValueError):\n        hive_frames(0)\n",
        },
        "fixed": {"hives.py": 'def hive_frames(boxes):\n    """Frames to order for so many brood boxes, eleven each."""\n'
                              '    if boxes < 1:\n        raise ValueError("at least one box")\n    return boxes * 11\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "raises (no match) on a zero int parameter",
        "fact": "hive_frames must raise ValueError for fewer than one box, such as 0.",
        "hidden": "import pytest\nfrom hives import hive_frames\n\n\ndef test_hidden():\n    assert hive_frames(3) == 33\n"
                  "    with pytest.raises(ValueError):\n        hive_frames(-2)\n",
    },
    "queen_mark": {
        "files": {
            "queens.py": 'def queen_mark(colour):\n    """The paint mark of a queen, as the hive record writes it."""\n'
                         "    return colour.strip().lower()\n",
            "test_queens.py": "import pytest\n\nfrom queens import queen_mark\n\n\ndef test_a_blank_colour_is_refused():\n"
                              '    with pytest.raises(ValueError, match="no colour"):\n        queen_mark("  ")\n',
        },
        "fixed": {"queens.py": 'def queen_mark(colour):\n    """The paint mark of a queen, as the hive record writes it."""\n'
                               '    if not colour.strip():\n        raise ValueError("no colour")\n    return colour.strip().lower()\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "raises match on a blank string parameter",
        "fact": 'queen_mark must raise ValueError("no colour") for an empty or blank colour.',
        "hidden": "import pytest\nfrom queens import queen_mark\n\n\ndef test_hidden():\n"
                  '    assert queen_mark(" Blue ") == "blue"\n    with pytest.raises(ValueError, match="no colour"):\n'
                  '        queen_mark("")\n',
    },
    "nectar_source": {
        "files": {
            "nectar.py": 'SOURCES = {"heather": "August", "lime": "July"}\n\n\ndef nectar_source(plant):\n'
                         '    """The month a plant yields nectar."""\n    return SOURCES.get(plant, "")\n',
            "test_nectar.py": "import pytest\n\nfrom nectar import nectar_source\n\n\ndef test_an_unknown_plant_is_an_error():\n"
                              '    with pytest.raises(KeyError, match="unknown plant"):\n        nectar_source("fern")\n',
        },
        "fixed": {"nectar.py": 'SOURCES = {"heather": "August", "lime": "July"}\n\n\ndef nectar_source(plant):\n'
                               '    """The month a plant yields nectar."""\n    if plant not in SOURCES:\n'
                               '        raise KeyError("unknown plant")\n    return SOURCES[plant]\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "raises KeyError match on a .get with a default",
        "fact": 'nectar_source must raise KeyError("unknown plant") for a plant it does not know.',
        "hidden": "import pytest\nfrom nectar import nectar_source\n\n\ndef test_hidden():\n"
                  '    assert nectar_source("lime") == "July"\n    with pytest.raises(KeyError, match="unknown plant"):\n'
                  '        nectar_source("moss")\n',
    },
    "jar_sizes": {
        "files": {
            "jars.py": 'def jar_sizes(grams):\n    """Jar sizes in grams, smallest first, as the price list shows them."""\n'
                       "    return [size for size in grams]\n",
            "test_jars.py": "from jars import jar_sizes\n\n\ndef test_smallest_first():\n"
                            "    assert jar_sizes([454, 227, 340]) == [227, 340, 454]\n",
        },
        "fixed": {"jars.py": 'def jar_sizes(grams):\n    """Jar sizes in grams, smallest first, as the price list shows them."""\n'
                             "    return sorted(grams)\n"},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "list == that must come back sorted, ascending, from a comprehension",
        "fact": "jar_sizes must return the sizes sorted, smallest first.",
        "hidden": "from jars import jar_sizes\n\n\ndef test_hidden():\n    assert jar_sizes([680, 113, 907, 340]) == [113, 340, 680, 907]\n",
    },
    "top_yields": {
        "files": {
            "yields.py": 'def top_yields(kilos):\n    """Honey yields of the hives, largest first."""\n    return list(kilos)\n',
            "test_yields.py": "from yields import top_yields\n\n\ndef test_largest_first():\n"
                              "    assert top_yields([12, 30, 18]) == [30, 18, 12]\n",
        },
        "fixed": {"yields.py": 'def top_yields(kilos):\n    """Honey yields of the hives, largest first."""\n'
                               "    return sorted(kilos, reverse=True)\n"},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "list == that must come back sorted, descending",
        "fact": "top_yields must return the yields sorted largest first.",
        "hidden": "from yields import top_yields\n\n\ndef test_hidden():\n    assert top_yields([5, 40, 22, 9]) == [40, 22, 9, 5]\n",
    },
    "apiary_name": {
        "files": {
            "apiary.py": 'def apiary_name(name):\n    """An apiary\'s name as the sign shows it: each word capitalised."""\n'
                         "    return name.strip()\n",
            "test_apiary.py": "from apiary import apiary_name\n\n\ndef test_the_sign():\n"
                              '    assert apiary_name("old mill ") == "Old Mill"\n',
        },
        "fixed": {"apiary.py": 'def apiary_name(name):\n    """An apiary\'s name as the sign shows it: each word capitalised."""\n'
                               "    return name.strip().title()\n"},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "a string that must come back title-cased (no relabel covers it)",
        "fact": "apiary_name must return the name with each word capitalised.",
        "hidden": "from apiary import apiary_name\n\n\ndef test_hidden():\n"
                  '    assert apiary_name(" high heath") == "High Heath"\n',
    },
}


if __name__ == "__main__":
    write_suite(TASKS, Path(sys.argv[1]) if len(sys.argv) > 1 else Path("unstuck/bench/tasks/knowledge-gap-apiary"))
