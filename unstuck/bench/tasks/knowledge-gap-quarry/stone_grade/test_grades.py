import unittest

from grades import stone_grade


class GradeTest(unittest.TestCase):
    def test_grade_b(self):
        self.assertEqual(stone_grade("B"), "select")
