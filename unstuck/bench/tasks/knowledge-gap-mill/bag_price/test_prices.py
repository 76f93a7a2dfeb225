import unittest

from prices import bag_price


class PriceTest(unittest.TestCase):
    def test_wholemeal(self):
        self.assertEqual(bag_price("wholemeal"), 1.6)
