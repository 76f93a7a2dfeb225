import unittest

from stock import metals


class MetalsTest(unittest.TestCase):
    def test_bronze_is_worked(self):
        self.assertIn("bronze", metals())
