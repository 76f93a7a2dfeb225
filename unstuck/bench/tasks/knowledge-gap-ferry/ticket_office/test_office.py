import unittest

from office import ticket_office_open


class OfficeTest(unittest.TestCase):
    def test_open_for_the_first_sailing(self):
        self.assertTrue(ticket_office_open(6))
