import unittest

from fees import mooring_fee


class MooringFeeTest(unittest.TestCase):
    def test_three_nights(self):
        self.assertEqual(mooring_fee(3), 45)
