import unittest

from parts import part_price


class PartsTest(unittest.TestCase):
    def test_an_unknown_part_has_no_price(self):
        with self.assertRaises(KeyError):
            part_price("flux capacitor")
