import unittest

from clay import clay_cost


class ClayCostTest(unittest.TestCase):
    def test_four_kilos(self):
        self.assertEqual(clay_cost(4), 14.0)
