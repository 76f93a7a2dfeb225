import unittest

from labels import wine_label


class LabelTest(unittest.TestCase):
    def test_merlot(self):
        self.assertEqual(wine_label("Merlot", 2024), "Merlot (2024)")
