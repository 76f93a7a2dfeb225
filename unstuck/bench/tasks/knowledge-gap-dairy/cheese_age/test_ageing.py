import unittest

from ageing import months_aged


class AgeingTest(unittest.TestCase):
    def test_cheddar(self):
        self.assertEqual(months_aged("cheddar"), 12)
