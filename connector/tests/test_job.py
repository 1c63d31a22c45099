"""The Job state machine, retry rules and perform(), without a database."""
import unittest
from datetime import datetime, timedelta

from odoo.addons.connector.exception import FailedJobError, RetryableJobError
from odoo.addons.connector.queue.job import (
    CANCELLED, DONE, ENQUEUED, FAILED, PENDING, RETRY_INTERVAL, STARTED,
    InvalidJobTransitionError, Job, resolve_eta, retry_seconds_for, utcnow)


def make_job(**kwargs):
    return Job('odoo.addons.test_connector_queue.jobs.echo', args=(1, 'a'), **kwargs)


class TestJobStateMachine(unittest.TestCase):

    def test_new_job_is_pending_with_defaults(self):
        job = make_job()
        self.assertEqual(job.state, PENDING)
        self.assertEqual((job.priority, job.max_retries, job.retry), (10, 5, 0))
        self.assertEqual(len(job.uuid), 36)
        self.assertNotEqual(job.uuid, make_job().uuid)

    def test_full_life_cycle_stamps_dates(self):
        job = make_job()
        job.set_enqueued(worker_id=7)
        self.assertEqual((job.state, job.worker_id), (ENQUEUED, 7))
        self.assertIsNotNone(job.date_enqueued)
        job.set_started()
        self.assertEqual(job.state, STARTED)
        self.assertIsNotNone(job.date_started)
        job.set_done(result='ok')
        self.assertEqual((job.state, job.result, job.worker_id), (DONE, 'ok', None))
        self.assertIsNotNone(job.date_done)

    def test_failed_keeps_traceback_and_result(self):
        job = make_job()
        job.set_enqueued(1)
        job.set_started()
        job.set_failed(exc_info='Traceback ...ValueError', result='ValueError: bad')
        self.assertEqual((job.state, job.exc_info, job.result),
                         (FAILED, 'Traceback ...ValueError', 'ValueError: bad'))

    def test_refused_transitions(self):
        job = make_job()
        with self.assertRaises(InvalidJobTransitionError):
            job.set_started()  # not claimed yet
        job.set_enqueued(1)
        job.set_started()
        job.set_done()
        for change in (job.set_started, lambda: job.set_enqueued(2),
                       lambda: job.set_failed('x'), job.set_cancelled):
            with self.assertRaises(InvalidJobTransitionError):
                change()

    def test_requeue_from_failed_resets_tries(self):
        job = make_job(eta=60)
        job.set_enqueued(1)
        job.set_started()
        job.retry = 3
        job.set_failed('tb')
        job.set_pending(reset_retry=True)
        self.assertEqual((job.state, job.retry, job.eta, job.worker_id), (PENDING, 0, None, None))

    def test_cancel_from_pending(self):
        job = make_job()
        job.set_cancelled(result='Cancelled by Admin')
        self.assertEqual((job.state, job.result), (CANCELLED, 'Cancelled by Admin'))

    def test_postpone_uses_given_seconds(self):
        job = make_job()
        job.set_enqueued(1)
        job.set_started()
        before = utcnow()
        job.postpone(seconds=30, result='later')
        self.assertEqual(job.state, PENDING)
        self.assertEqual(job.result, 'later')
        self.assertTrue(before + timedelta(seconds=29) <= job.eta <= utcnow() + timedelta(seconds=31))

    def test_postpone_uses_retry_pattern(self):
        job = make_job(retry_pattern={1: 10, 3: 100})
        job.set_enqueued(1)
        job.set_started()
        job.retry = 3
        before = utcnow()
        job.postpone()
        self.assertAlmostEqual((job.eta - before).total_seconds(), 100, delta=2)


class TestRetryRules(unittest.TestCase):

    def test_retry_pattern_takes_largest_reached_step(self):
        pattern = {1: 10, 3: 60, 5: 600}
        self.assertEqual([retry_seconds_for(pattern, retry) for retry in range(7)],
                         [RETRY_INTERVAL, 10, 10, 60, 60, 600, 600])

    def test_no_pattern_uses_retry_interval(self):
        self.assertEqual(retry_seconds_for(None, 4), RETRY_INTERVAL)

    def test_eta_forms(self):
        now = datetime(2026, 1, 1, 12, 0, 0)
        self.assertEqual(resolve_eta(30, now), now + timedelta(seconds=30))
        self.assertEqual(resolve_eta(timedelta(hours=1), now), now + timedelta(hours=1))
        self.assertEqual(resolve_eta(now), now)
        self.assertIsNone(resolve_eta(None))
        with self.assertRaises(TypeError):
            resolve_eta('tomorrow')


class TestPerform(unittest.TestCase):

    def test_perform_calls_function_with_session_and_arguments(self):
        calls = []
        job = Job('x.f', args=(1, 2), kwargs={'k': 3})
        result = job.perform('session', lambda *args, **kwargs: calls.append((args, kwargs)) or 'r')
        self.assertEqual(calls, [(('session', 1, 2), {'k': 3})])
        self.assertEqual((result, job.result, job.retry), ('r', 'r', 1))

    def test_retryable_error_becomes_failure_at_max_retries(self):
        def flaky(session):
            raise RetryableJobError('remote busy')
        job = Job('x.flaky', max_retries=3)
        for expected_try in (1, 2):
            with self.assertRaises(RetryableJobError) as raised:
                job.perform(None, flaky)
            self.assertNotIsInstance(raised.exception, FailedJobError)
            self.assertEqual(job.retry, expected_try)
        with self.assertRaises(FailedJobError) as raised:
            job.perform(None, flaky)
        self.assertIn('Max. retries (3) reached: remote busy', str(raised.exception))

    def test_zero_max_retries_retries_forever(self):
        def flaky(session):
            raise RetryableJobError('again')
        job = Job('x.flaky', max_retries=0)
        for _try in range(20):
            with self.assertRaises(RetryableJobError) as raised:
                job.perform(None, flaky)
            self.assertNotIsInstance(raised.exception, FailedJobError)
        self.assertEqual(job.retry, 20)

    def test_ignore_retry_does_not_count(self):
        def locked(session):
            raise RetryableJobError('lock taken', seconds=1, ignore_retry=True)
        job = Job('x.locked', max_retries=1)
        for _try in range(3):
            with self.assertRaises(RetryableJobError) as raised:
                job.perform(None, locked)
            self.assertNotIsInstance(raised.exception, FailedJobError)
        self.assertEqual(job.retry, 0)
