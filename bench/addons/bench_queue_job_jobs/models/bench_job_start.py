"""The side table of the latency samples, and the job methods queue_job's benchmark delays.

Usage::

    probe = env['bench.job.start']
    probe.with_delay().noop()
    probe.with_delay().record_start(42)   # bench_job_start gets (42, time the job started)
"""
import time

from odoo import fields, models

from odoo.addons.queue_job.job import job


class BenchJobStart(models.Model):
    _name = 'bench.job.start'
    _description = 'Benchmark: job start time'
    _log_access = False

    sample = fields.Integer(required=True, index=True)
    started_at = fields.Float(digits=(16, 6), required=True, help='time.time() at job start')

    @job
    def noop(self):
        """Do nothing (benchmark)"""

    @job
    def record_start(self, sample):
        """Write when this job started into bench_job_start (benchmark)"""
        started_at = time.time()
        self.env.cr.execute('INSERT INTO bench_job_start (sample, started_at) VALUES (%s, %s)',
                            (sample, started_at))
