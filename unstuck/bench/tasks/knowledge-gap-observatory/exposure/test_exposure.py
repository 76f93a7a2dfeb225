import unittest

from exposure import exposure_ms


class ExposureTest(unittest.TestCase):
    def test_a_negative_exposure_is_refused(self):
        with self.assertRaises(ValueError):
            exposure_ms("-30")
