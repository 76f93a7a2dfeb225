import unittest

from crew import crew_roles


class CrewTest(unittest.TestCase):
    def test_a_bosun_sails(self):
        self.assertIn("bosun", crew_roles())
