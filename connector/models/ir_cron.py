"""Cron jobs as a start-up point of the job workers, in the processes that run crons."""
from odoo import models

from ..queue.process_role import current_job_runner_role
from ..queue.watcher import ensure_watcher_started


class IrCron(models.Model):
    _inherit = 'ir.cron'

    @classmethod
    def _process_job(cls, job_cr, job, cron_cr):
        # Prefork cron workers are forked with their registries loaded: no registry hook runs
        # in them. Whatever cron a process runs first starts its job workers, so each cron
        # worker gets one at its first poll, not only the one that runs "Enqueue Jobs".
        if current_job_runner_role():
            ensure_watcher_started()
        return super(IrCron, cls)._process_job(job_cr, job, cron_cr)
