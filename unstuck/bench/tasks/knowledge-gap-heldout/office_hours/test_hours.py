import unittest

from hours import is_open


class HoursTest(unittest.TestCase):
    def test_open_at_eight(self):
        self.assertTrue(is_open(8))
