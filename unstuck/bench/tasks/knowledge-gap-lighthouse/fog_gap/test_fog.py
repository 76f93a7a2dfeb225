import unittest

from fog import fog_gap


class FogGapTest(unittest.TestCase):
    def test_a_negative_gap_is_refused(self):
        with self.assertRaises(ValueError):
            fog_gap("-1.5")
