import unittest

from cabins import cabin_count


class CabinTest(unittest.TestCase):
    def test_no_negative_berths(self):
        with self.assertRaises(ValueError):
            cabin_count(-8)
