"""A testing kit for connector authors: trap the jobs code delays, assert on them, run them.

Everything happens in the test's own transaction: the jobs are stored as usual (and rolled
back with the test); performing them runs the functions synchronously, as the user who
delayed them, and marks their rows done.
"""
import threading
from contextlib import contextmanager

from odoo import api

from ..session import ConnectorSession
from .job_function import JOB_FUNCTIONS
from .storage import ENQUEUE_LISTENERS, store_outcome


class JobsTrap(object):
    """The jobs delayed by this thread inside :func:`trap_jobs`, in delay order.

    Usage::

        with trap_jobs() as trap:
            partner.write({'name': 'Changed'})           # an event delays an export
            trap.assert_jobs_count(1, only=export_record)
            trap.assert_enqueued_job(export_record, args=('shop.res.partner', binding.id))
            trap.perform_enqueued_jobs()                 # runs it now, in this transaction
    """

    def __init__(self):
        self.thread = threading.current_thread()
        self.enqueued_jobs = []
        self._envs = {}

    def _record(self, env, job):
        if threading.current_thread() is self.thread:
            self.enqueued_jobs.append(job)
            self._envs[job.uuid] = env

    def jobs_for(self, function):
        name = function.job_function_name
        return [job for job in self.enqueued_jobs if job.func_name == name]

    def assert_jobs_count(self, expected, only=None):
        jobs = self.jobs_for(only) if only else self.enqueued_jobs
        if len(jobs) != expected:
            raise AssertionError('Expected %d delayed jobs%s, got %d: %s' % (
                expected, ' of %s' % only.__name__ if only else '', len(jobs), jobs))

    def assert_enqueued_job(self, function, args=None, kwargs=None, properties=None):
        """At least one trapped job calls ``function`` with these args, kwargs and
        job properties (priority, eta, max_retries, description, identity_key, channel)."""
        for job in self.jobs_for(function):
            if args is not None and job.args != tuple(args):
                continue
            if kwargs is not None and job.kwargs != kwargs:
                continue
            if properties and any(getattr(job, key) != value
                                  for key, value in properties.items()):
                continue
            return job
        raise AssertionError('No delayed job %s(args=%r, kwargs=%r, %r) among %s' % (
            function.__name__, args, kwargs, properties or {}, self.enqueued_jobs))

    def perform_enqueued_jobs(self):
        """Run the trapped jobs now, in order, in the test transaction; return their results.

        Jobs delayed by these jobs are trapped and run too. An exception of a job is raised
        as it is, for the test to see.
        """
        results = []
        while self.enqueued_jobs:
            job = self.enqueued_jobs.pop(0)
            env = self._envs.pop(job.uuid)
            job_env = api.Environment(env.cr, job.user_id, dict(env.context, job_uuid=job.uuid))
            session = ConnectorSession.from_env(job_env)
            results.append(job.perform(session, JOB_FUNCTIONS[job.func_name]))
            env.cr.execute('SELECT id FROM queue_job WHERE uuid = %s', (job.uuid,))
            job.id = env.cr.fetchone()[0]
            job.set_done(result=job.result)
            store_outcome(env.cr, job)
        return results


@contextmanager
def trap_jobs():
    """Trap the jobs delayed inside the block; see :class:`JobsTrap`."""
    trap = JobsTrap()
    ENQUEUE_LISTENERS.append(trap._record)
    try:
        yield trap
    finally:
        ENQUEUE_LISTENERS.remove(trap._record)
