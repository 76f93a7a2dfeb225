import unittest

from varieties import varieties


class VarietiesTest(unittest.TestCase):
    def test_the_orchard_grows_bramleys(self):
        self.assertIn("Bramley", varieties())
