"""Job functions for the job queue tests: each does one observable thing."""
import os
import time

import psycopg2
from psycopg2 import errorcodes

from odoo.addons.connector.exception import NothingToDoJob, RetryableJobError
from odoo.addons.connector.queue.job_function import job


@job
def noop(session):
    """Do nothing (benchmarks)"""


@job(default_channel='root.test')
def write_record(session, name, sleep=0.0):
    """Write one row of queue.test.record named `name`"""
    if sleep:
        time.sleep(sleep)
    record = session.env['queue.test.record'].create({
        'name': name, 'pid': os.getpid(),
        'job_uuid': session.context.get('job_uuid'),
        'uid_ran_as': session.uid,
        'company_ran_in': session.context.get('force_company') or 0,
    })
    return 'wrote %s' % record.name


@job
def echo(session, *args, **kwargs):
    """Return a description of the arguments it received"""
    return repr((args, sorted(kwargs.items())))


@job
def fail(session, message):
    """Raise an error that is not worth retrying"""
    session.env['queue.test.record'].create({'name': 'written before failing'})
    raise ValueError(message)


@job(retry_pattern={1: 1, 3: 2})
def retry_until(session, name, succeed_at_try):
    """Raise a retryable error until the given try"""
    tries = session.env['queue.test.record'].search_count([('name', '=', name + '-try')])
    # the try's own row is rolled back with the error: count tries in a side transaction
    with session.registry.cursor() as side_cr:
        side_cr.execute("INSERT INTO queue_test_record (name) VALUES (%s)", (name + '-try',))
    if tries + 1 < succeed_at_try:
        raise RetryableJobError('not yet (try %d)' % (tries + 1), seconds=0)
    session.env['queue.test.record'].create({'name': name})


@job
def nothing_to_do(session):
    """Find nothing to do"""
    raise NothingToDoJob('Already up to date')


class _ConcurrencyError(psycopg2.OperationalError):
    pgcode = errorcodes.SERIALIZATION_FAILURE


@job
def conflict_once(session, name):
    """Fail with a serialization failure the first time, then write a row"""
    with session.registry.cursor() as side_cr:
        side_cr.execute("SELECT count(*) FROM queue_test_record WHERE name = %s",
                        (name + '-conflict',))
        conflicts = side_cr.fetchone()[0]
        if not conflicts:
            side_cr.execute("INSERT INTO queue_test_record (name) VALUES (%s)",
                            (name + '-conflict',))
    if not conflicts:
        raise _ConcurrencyError('could not serialize access due to concurrent update')
    session.env['queue.test.record'].create({'name': name})


def not_a_job(session):
    """A plain function: never runnable as a job"""
    session.env['queue.test.record'].create({'name': 'undeclared function ran'})
