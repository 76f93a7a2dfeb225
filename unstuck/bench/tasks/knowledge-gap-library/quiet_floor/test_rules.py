import unittest

from rules import is_quiet


class QuietTest(unittest.TestCase):
    def test_the_reading_room_is_quiet(self):
        self.assertTrue(is_quiet(3))
