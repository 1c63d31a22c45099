"""A side table the test jobs write into: one row per run proves "ran exactly once"."""
from odoo import fields, models


class QueueTestRecord(models.Model):
    _name = 'queue.test.record'
    _description = 'Row written by a test job'

    name = fields.Char(required=True, index=True)
    pid = fields.Integer(help='Process that ran the job')
    job_uuid = fields.Char()
    uid_ran_as = fields.Integer()
    company_ran_in = fields.Integer()
