import unittest

from greetings import welcome


class WelcomeTest(unittest.TestCase):
    def test_the_usher_names_the_cinema(self):
        self.assertEqual(welcome("Ana"), "Welcome to the Odeon, Ana!")
