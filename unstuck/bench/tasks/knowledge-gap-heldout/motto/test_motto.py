import unittest

from motto import motto


class MottoTest(unittest.TestCase):
    def test_motto(self):
        self.assertIn("fair winds", motto())
