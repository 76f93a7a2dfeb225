import unittest

from wools import is_wool


class WoolTest(unittest.TestCase):
    def test_merino_is_spun(self):
        self.assertTrue(is_wool("merino"))
