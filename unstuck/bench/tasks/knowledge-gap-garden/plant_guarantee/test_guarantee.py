import unittest

from guarantee import guarantee_months


class GuaranteeTest(unittest.TestCase):
    def test_six_months(self):
        self.assertEqual(guarantee_months(), 6)
