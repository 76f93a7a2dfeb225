import unittest

from grades import hide_grade


class GradeTest(unittest.TestCase):
    def test_an_unknown_letter(self):
        with self.assertRaises(KeyError):
            hide_grade("Z")
