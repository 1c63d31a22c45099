"""The rules written as doctests in the job queue modules run as tests."""
import doctest
import unittest

from odoo.addons.connector.queue import job, payload, process_role, queries, watcher


class TestQueueDoctests(unittest.TestCase):

    def test_doctests_pass(self):
        for module in (job, payload, process_role, queries, watcher):
            with self.subTest(module=module.__name__):
                failed, attempted = doctest.testmod(module)
                self.assertGreater(attempted, 0)
                self.assertEqual(failed, 0)
