import unittest

from speaker import announcement


class SpeakerTest(unittest.TestCase):
    def test_warns_about_the_gap(self):
        self.assertIn("mind the gap", announcement())
