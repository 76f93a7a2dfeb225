import unittest

from glue import drying_window


class GlueTest(unittest.TestCase):
    def test_window(self):
        self.assertEqual(drying_window(), (20, 40))
