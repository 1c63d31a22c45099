"""The side table where a benchmark job writes the moment it started (latency samples)."""
from odoo import fields, models


class BenchJobStart(models.Model):
    _name = 'bench.job.start'
    _description = 'Benchmark: job start time'
    _log_access = False

    sample = fields.Integer(required=True, index=True)
    started_at = fields.Float(digits=(16, 6), required=True, help='time.time() at job start')
