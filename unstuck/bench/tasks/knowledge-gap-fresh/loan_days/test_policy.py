import unittest

from policy import loan_days


class PolicyTest(unittest.TestCase):
    def test_three_weeks(self):
        self.assertEqual(loan_days(), 21)
