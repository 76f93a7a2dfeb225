import unittest

from vessels import vessel_kinds


class VesselKindsTest(unittest.TestCase):
    def test_the_harbour_takes_trawlers(self):
        self.assertIn("trawler", vessel_kinds())
