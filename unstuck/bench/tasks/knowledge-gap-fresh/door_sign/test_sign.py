import unittest

from sign import sign


class SignTest(unittest.TestCase):
    def test_says_open_daily(self):
        self.assertIn("open daily", sign())
