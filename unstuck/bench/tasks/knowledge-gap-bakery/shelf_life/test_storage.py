import unittest

from storage import shelf_life_days


class StorageTest(unittest.TestCase):
    def test_three_days(self):
        self.assertEqual(shelf_life_days(), 3)
