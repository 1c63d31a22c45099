"""Job functions that the benchmark delays through ``@job`` / ``.delay()``.

Usage::

    from odoo.addons.bench_connector_jobs.jobs import noop, record_start
    noop.delay(session)
    record_start.delay(session, 42)   # bench_job_start gets (42, time the job started)
"""
import time

from odoo.addons.connector.queue.job_function import job


@job
def noop(session):
    """Do nothing (benchmark)"""


@job
def record_start(session, sample):
    """Write when this job started into bench_job_start (benchmark)"""
    started_at = time.time()
    session.env.cr.execute('INSERT INTO bench_job_start (sample, started_at) VALUES (%s, %s)',
                           (sample, started_at))
