# ruff: noqa: E501 - the tasks are data: each file as one string reads best whole
"""Writes ``unstuck/bench/tasks/knowledge-gap-observatory`` (the fifteenth held-out set): a mirror of the
lighthouse set's six kinds in other words and values, written after the lighthouse run had been read and the
guard's negative example changed on it (``cb3b107``) — four calls that must raise and do not, and the two
kinds no relabel covers (a bound that is a positive number, a list that must come back sorted)."""

from __future__ import annotations

import sys
from pathlib import Path

from suite_writer import write_suite

PYTEST = "python -m pytest -q -p no:cacheprovider"
TASKS = {
    "eyepieces": {
        "files": {
            "eyepieces.py": 'def eyepieces(telescopes):\n    """Eyepieces to pack for a number of telescopes, three each."""\n'
                            "    return telescopes * 3\n",
            "test_eyepieces.py": "import pytest\n\nfrom eyepieces import eyepieces\n\n\ndef test_no_telescopes_is_refused():\n"
                                 "    with pytest.raises(ValueError):\n        eyepieces(0)\n",
        },
        "fixed": {"eyepieces.py": 'def eyepieces(telescopes):\n    """Eyepieces to pack for a number of telescopes, three each."""\n'
                                  '    if telescopes < 1:\n        raise ValueError("at least one telescope")\n'
                                  "    return telescopes * 3\n"},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "raises (no match) on a zero int parameter",
        "fact": "eyepieces must raise ValueError for fewer than one telescope, such as 0.",
        "hidden": "import pytest\nfrom eyepieces import eyepieces\n\n\ndef test_hidden():\n    assert eyepieces(2) == 6\n"
                  "    with pytest.raises(ValueError):\n        eyepieces(-4)\n",
    },
    "star_label": {
        "files": {
            "stars.py": 'def star_label(name):\n    """A star\'s name as the chart prints it."""\n    return name.strip().upper()\n',
            "test_stars.py": "import pytest\n\nfrom stars import star_label\n\n\ndef test_an_empty_name_is_refused():\n"
                             '    with pytest.raises(ValueError, match="no star name"):\n        star_label("")\n',
        },
        "fixed": {"stars.py": 'def star_label(name):\n    """A star\'s name as the chart prints it."""\n'
                              '    if not name.strip():\n        raise ValueError("no star name")\n    return name.strip().upper()\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "raises match on an empty string parameter",
        "fact": 'star_label must raise ValueError("no star name") for an empty or blank name.',
        "hidden": "import pytest\nfrom stars import star_label\n\n\ndef test_hidden():\n"
                  '    assert star_label(" vega ") == "VEGA"\n    with pytest.raises(ValueError, match="no star name"):\n'
                  '        star_label("   ")\n',
    },
    "exposure": {
        "files": {
            "exposure.py": 'def exposure_ms(seconds_text):\n    """An exposure time from the log, in milliseconds."""\n'
                           "    seconds = float(seconds_text)\n    return seconds * 1000\n",
            "test_exposure.py": "import unittest\n\nfrom exposure import exposure_ms\n\n\nclass ExposureTest(unittest.TestCase):\n"
                                "    def test_a_negative_exposure_is_refused(self):\n        with self.assertRaises(ValueError):\n"
                                '            exposure_ms("-30")\n',
        },
        "fixed": {"exposure.py": 'def exposure_ms(seconds_text):\n    """An exposure time from the log, in milliseconds."""\n'
                                 "    seconds = float(seconds_text)\n    if seconds < 0:\n"
                                 '        raise ValueError("negative exposure")\n    return seconds * 1000\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "unittest assertRaises on a negative float through a local",
        "fact": 'exposure_ms must raise ValueError for a negative number of seconds, such as "-30".',
        "hidden": "import pytest\nfrom exposure import exposure_ms\n\n\ndef test_hidden():\n    assert exposure_ms(\"0.5\") == 500.0\n"
                  '    with pytest.raises(ValueError):\n        exposure_ms("-2")\n',
    },
    "planet_order": {
        "files": {
            "planets.py": 'ORDER = {"Venus": 2, "Mars": 4}\n\n\ndef planet_order(planet):\n'
                          '    """A planet\'s place counted from the Sun."""\n    return ORDER.get(planet, 0)\n',
            "test_planets.py": "import pytest\n\nfrom planets import planet_order\n\n\ndef test_an_unknown_planet_is_an_error():\n"
                               '    with pytest.raises(KeyError, match="no such planet"):\n        planet_order("Vulcan")\n',
        },
        "fixed": {"planets.py": 'ORDER = {"Venus": 2, "Mars": 4}\n\n\ndef planet_order(planet):\n'
                                '    """A planet\'s place counted from the Sun."""\n    if planet not in ORDER:\n'
                                '        raise KeyError(f"no such planet: {planet}")\n    return ORDER[planet]\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "raises KeyError match on a .get with a default",
        "fact": 'planet_order must raise KeyError("no such planet …") for a planet it does not know.',
        "hidden": "import pytest\nfrom planets import planet_order\n\n\ndef test_hidden():\n"
                  '    assert planet_order("Mars") == 4\n    with pytest.raises(KeyError, match="no such planet"):\n'
                  '        planet_order("Pluto")\n',
    },
    "night_minutes": {
        "files": {
            "night.py": 'def night_minutes(hours):\n    """Minutes of observing in a night of so many hours."""\n'
                        "    return hours * 60\n",
            "test_night.py": "import pytest\n\nfrom night import night_minutes\n\n\ndef test_a_night_longer_than_a_day_is_refused():\n"
                             "    with pytest.raises(ValueError):\n        night_minutes(30)\n",
        },
        "fixed": {"night.py": 'def night_minutes(hours):\n    """Minutes of observing in a night of so many hours."""\n'
                              '    if hours > 24:\n        raise ValueError("a night is at most 24 hours")\n    return hours * 60\n'},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "raises on a positive number over a bound (no relabel covers it)",
        "fact": "night_minutes must raise ValueError for more than 24 hours, such as 30.",
        "hidden": "import pytest\nfrom night import night_minutes\n\n\ndef test_hidden():\n    assert night_minutes(10) == 600\n"
                  "    with pytest.raises(ValueError):\n        night_minutes(25)\n",
    },
    "star_catalogue": {
        "files": {
            "catalogue.py": 'def star_catalogue(stars):\n    """Star names as the catalogue lists them: alphabetical."""\n'
                            "    return list(stars)\n",
            "test_catalogue.py": "from catalogue import star_catalogue\n\n\ndef test_the_catalogue_order():\n"
                                 '    assert star_catalogue(["Vega", "Altair", "Deneb"]) == ["Altair", "Deneb", "Vega"]\n',
        },
        "fixed": {"catalogue.py": 'def star_catalogue(stars):\n    """Star names as the catalogue lists them: alphabetical."""\n'
                                  "    return sorted(stars)\n"},
        "check": PYTEST, "goal": "Make the test pass.",
        "kind": "list == that must come back sorted (no relabel covers it)",
        "fact": "star_catalogue must return the names sorted alphabetically.",
        "hidden": "from catalogue import star_catalogue\n\n\ndef test_hidden():\n"
                  '    assert star_catalogue(["Rigel", "Castor", "Mira"]) == ["Castor", "Mira", "Rigel"]\n',
    },
}


if __name__ == "__main__":
    write_suite(TASKS, Path(sys.argv[1]) if len(sys.argv) > 1 else Path("unstuck/bench/tasks/knowledge-gap-observatory"))
