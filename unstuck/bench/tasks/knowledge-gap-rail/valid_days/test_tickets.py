import unittest

from tickets import return_valid_days


class TicketsTest(unittest.TestCase):
    def test_a_month(self):
        self.assertEqual(return_valid_days(), 30)
