import unittest

from sign import shop_sign


class SignTest(unittest.TestCase):
    def test_says_it_is_fresh(self):
        self.assertIn("baked fresh daily", shop_sign())
