"""Helpers for job queue tests that need committed jobs and real worker threads.

Jobs a worker runs must be committed, so these tests use their own cursors, not the test
transaction, and delete what they created when they end.
"""
import time
import unittest

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import config

from odoo.addons.connector.queue.worker import Worker
from odoo.addons.connector.session import ConnectorSession

TEST_JOBS = 'odoo.addons.test_connector_queue.jobs.'
WAIT_TIMEOUT = 60.0  # seconds a test waits for workers to reach a state


class CommittedQueueCase(unittest.TestCase):
    """Delays and inspects committed jobs of the test database; cleans them up afterwards.

    Usage::

        class TestSomething(CommittedQueueCase):
            def test_it(self):
                uuid = self.delay(jobs.write_record, 'a')
                worker = self.start_worker()
                self.wait_for_states([uuid], {'done'})
    """

    def setUp(self):
        super().setUp()
        self.registry = odoo.registry(config['db_name'])
        self.workers = []
        self.clean_queue()
        self.addCleanup(self.clean_queue)
        self.addCleanup(self.stop_workers)

    def clean_queue(self):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM queue_job WHERE func_name LIKE %s", (TEST_JOBS + '%',))
            cr.execute("DELETE FROM queue_test_record")
            cr.execute("DELETE FROM queue_worker")

    def stop_workers(self):
        for worker in self.workers:
            worker.stop(grace=5)

    def start_worker(self, job_threads=2):
        worker = Worker(self.registry.db_name, job_threads=job_threads)
        self.workers.append(worker)
        worker.start()
        return worker

    def delay(self, job_function, *args, uid=SUPERUSER_ID, context=None, **kwargs):
        """Delay a job in its own committed transaction; return its uuid."""
        with api.Environment.manage(), self.registry.cursor() as cr:
            env = api.Environment(cr, uid, context or {})
            return job_function.delay(ConnectorSession.from_env(env), *args, **kwargs)

    def query(self, sql, params=()):
        with self.registry.cursor() as cr:
            cr.execute(sql, params)
            return cr.dictfetchall()

    def job_rows(self, uuids):
        rows = self.query("SELECT * FROM queue_job WHERE uuid IN %s", (tuple(uuids),))
        return {row['uuid']: row for row in rows}

    def job_row(self, uuid):
        return self.job_rows([uuid])[uuid]

    def wait_for_rows(self, uuids, condition, timeout=WAIT_TIMEOUT, what='the condition'):
        """Wait until ``condition(row)`` holds for every job; return their rows."""
        deadline = time.time() + timeout
        while True:
            rows = self.job_rows(uuids)
            if len(rows) == len(uuids) and all(condition(row) for row in rows.values()):
                return rows
            if time.time() > deadline:
                self.fail('Jobs did not reach %s in %ss: %s' % (
                    what, timeout, {uuid: row['state'] for uuid, row in rows.items()}))
            time.sleep(0.05)

    def wait_for_states(self, uuids, states, timeout=WAIT_TIMEOUT):
        """Wait until every job is in one of ``states``; return their rows."""
        return self.wait_for_rows(uuids, lambda row: row['state'] in states, timeout,
                                  'the states %s' % sorted(states))

    def records_named(self, name):
        return self.query("SELECT * FROM queue_test_record WHERE name = %s ORDER BY id", (name,))
