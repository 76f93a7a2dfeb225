import unittest

from gate import gate_sign


class GateTest(unittest.TestCase):
    def test_says_what_it_sells(self):
        self.assertIn("plants for every garden", gate_sign())
