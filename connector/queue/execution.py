"""Running one claimed job: in its own cursor and transaction, under a lock on its row.

The job is marked started in a first, quick transaction; then its row is locked for as long
as the job's own transaction lasts, so no other worker, in any process, can start or requeue
it. The outcome (done, retry later, cancelled, failed) is stored with the job's own changes.
"""
import logging
import traceback

import psycopg2
from psycopg2 import errorcodes

from odoo import SUPERUSER_ID, api

from ..exception import NothingToDoJob, RetryableJobError
from ..session import ConnectorSession
from . import payload
from .job import CONCURRENCY_RETRY_SECONDS, FAILED
from .job_function import declared_job_function
from .queries import QUERIES
from .storage import store_outcome

_logger = logging.getLogger(__name__)

# PostgreSQL errors that say "try again": the job is postponed, the try is not counted.
CONCURRENCY_ERROR_CODES = {
    errorcodes.SERIALIZATION_FAILURE,
    errorcodes.DEADLOCK_DETECTED,
    errorcodes.LOCK_NOT_AVAILABLE,
}


def is_concurrency_error(error):
    return isinstance(error, psycopg2.Error) and error.pgcode in CONCURRENCY_ERROR_CODES


def run_claimed_job(cr, job, worker_id, running_cursors=None):
    """Run ``job``, claimed by ``worker_id``, on cursor ``cr``; store its outcome; return its
    final state.

    Returns None when the job is no longer this worker's to run (requeued, cancelled or
    purged meanwhile): then nothing ran. ``running_cursors`` (a dict) maps job ids to the
    cursor running them while they run, so that a stopping worker can interrupt them. The
    cursor's transaction is committed or rolled back on return, so it can run the next job.
    """
    with api.Environment.manage():
        cr.execute(QUERIES['start_job'], {'job_id': job.id, 'worker_id': worker_id})
        if not cr.fetchone():
            cr.rollback()
            return None
        cr.commit()
        job.set_started()
        cr.execute(QUERIES['lock_started_job'], {'job_id': job.id})
        if not cr.fetchone():
            cr.rollback()
            return None
        if running_cursors is not None:
            running_cursors[job.id] = cr
        try:
            return _perform_and_store(cr, job)
        finally:
            if running_cursors is not None:
                running_cursors.pop(job.id, None)


def _job_environment(cr, job):
    context = {'job_uuid': job.uuid}
    if job.company_id:
        context['force_company'] = job.company_id
    return api.Environment(cr, job.user_id or SUPERUSER_ID, context)


def _perform_and_store(cr, job):
    env = _job_environment(cr, job)
    try:
        function = declared_job_function(env, job.func_name)
        job.args = tuple(payload.decode(job.payload_args, env))
        job.kwargs = payload.decode(job.payload_kwargs, env)
        job.perform(ConnectorSession.from_env(env), function)
        job.set_done(result=job.result)
    except NothingToDoJob as err:
        _rollback(cr, env)
        job.set_cancelled(result=str(err) or 'Nothing to do')
    except RetryableJobError as err:
        _rollback(cr, env)
        job.postpone(seconds=err.seconds, result=str(err), exc_info=traceback.format_exc())
    except Exception as err:
        _rollback(cr, env)
        if is_concurrency_error(err):
            job.retry -= 1  # PostgreSQL asked to try again: not the job's failure
            job.postpone(seconds=CONCURRENCY_RETRY_SECONDS, exc_info=traceback.format_exc(),
                         result='Postponed after a concurrency error: %s' % err.pgcode)
        else:
            _logger.info('Job %s (%s) failed', job.uuid, job.func_name, exc_info=True)
            job.set_failed(exc_info=traceback.format_exc(),
                           result='%s: %s' % (type(err).__name__, err))
    store_outcome(cr, job)
    cr.commit()
    if job.state == FAILED:
        _notify_failure(cr, job)
    return job.state


def _notify_failure(cr, job):
    """Tell the managers, in a transaction of its own: the outcome is already stored and a
    notification that cannot be sent must not put it back in doubt."""
    try:
        api.Environment(cr, SUPERUSER_ID, {})['queue.job'].browse(job.id)._notify_failure()
        cr.commit()
    except Exception:
        cr.rollback()
        _logger.exception('Job %s failed for good, but the managers could not be notified',
                          job.uuid)


def _rollback(cr, env):
    cr.rollback()
    env.clear()

