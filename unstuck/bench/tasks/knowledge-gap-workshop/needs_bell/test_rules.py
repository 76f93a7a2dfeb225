import unittest

from rules import needs_bell


class RulesTest(unittest.TestCase):
    def test_road_bikes_have_bells(self):
        self.assertTrue(needs_bell("road"))
