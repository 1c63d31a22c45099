"""The ``queue.worker`` model: the live job workers of this database, one per process.

Also the start-up point of the WorkerWatcher (registry loading, and the "Enqueue Jobs" cron
that runs in cron workers) and the purge of dead workers.
"""
import logging

from odoo import _, api, fields, models

from ..queue.process_role import current_job_runner_role
from ..queue.queries import QUERIES
from ..queue.watcher import ensure_watcher_started, queue_settings

_logger = logging.getLogger(__name__)

LOST_WORKER_MESSAGE = ('Worker lost: the process running this job stopped answering; '
                       'the try is counted.')
STALLED_AFTER = 60  # seconds a due job may wait unclaimed before the cron assigns it
ASSIGN_LIMIT = 1000  # jobs the cron assigns per run


class QueueWorker(models.Model):
    _name = 'queue.worker'
    _description = 'Connector Job Worker'
    _log_access = False
    _rec_name = 'uuid'
    _order = 'date_start DESC'

    uuid = fields.Char(string='UUID', readonly=True, required=True)
    pid = fields.Integer(string='PID', readonly=True)
    hostname = fields.Char(string='Host', readonly=True)
    database = fields.Char(readonly=True)
    date_start = fields.Datetime(string='Started', readonly=True)
    date_alive = fields.Datetime(string='Last Alive Check', readonly=True)
    job_ids = fields.One2many('queue.job', 'worker_id', string='Jobs', readonly=True)
    job_count = fields.Integer(compute='_compute_job_count', string='Jobs assigned')

    _sql_constraints = [('uuid_unique', 'UNIQUE(uuid)', 'A worker uuid is unique.')]

    def _compute_job_count(self):
        groups = self.env['queue.job'].read_group(
            [('worker_id', 'in', self.ids)], ['worker_id'], ['worker_id'])
        counts = {group['worker_id'][0]: group['worker_id_count'] for group in groups}
        for worker in self:
            worker.job_count = counts.get(worker.id, 0)

    @api.model_cr
    def _register_hook(self):
        super()._register_hook()
        if current_job_runner_role():
            ensure_watcher_started()

    @api.model
    def purge_dead_workers(self, timeout=None):
        """Remove workers silent for ``timeout`` seconds and free their jobs.

        Jobs they had claimed go back to the queue; jobs they had started are requeued with
        the lost try counted, or failed once their tries are spent. Returns the ids of the
        purged workers.
        """
        timeout = timeout or queue_settings()['worker_timeout']
        cr = self.env.cr
        cr.execute(QUERIES['dead_workers'], {'timeout': timeout})
        worker_ids = [row[0] for row in cr.fetchall()]
        if not worker_ids:
            return []
        params = {'worker_ids': worker_ids, 'message': LOST_WORKER_MESSAGE}
        cr.execute(QUERIES['free_queued_jobs'], params)
        freed = cr.rowcount
        cr.execute(QUERIES['requeue_lost_jobs'], params)
        lost = cr.fetchall()
        cr.execute(QUERIES['delete_workers_without_jobs'], params)
        purged = [row[0] for row in cr.fetchall()]
        failed_ids = [job_id for job_id, state in lost if state == 'failed']
        self.env['queue.job'].invalidate_cache()
        if failed_ids:
            self.env['queue.job'].browse(failed_ids)._notify_failure()
        if freed or lost:
            cr.execute(QUERIES['wake_workers'])
        _logger.info('Purged dead workers %s: %s queued jobs freed, %s started jobs requeued '
                     '(%s failed for good)', purged, freed, len(lost), len(failed_ids))
        return purged

    @api.model
    def assign_jobs(self, limit=ASSIGN_LIMIT):
        """The "Enqueue Jobs" cron: start this process's workers if it runs jobs, purge dead
        workers, and assign jobs that nobody claimed for a while to live workers."""
        if current_job_runner_role():
            ensure_watcher_started()
        self.purge_dead_workers()
        cr = self.env.cr
        cr.execute(QUERIES['assign_stalled_jobs'], {
            'timeout': queue_settings()['worker_timeout'], 'stalled_after': STALLED_AFTER,
            'limit': limit})
        assigned = cr.rowcount
        if assigned:
            _logger.info('Assigned %s stalled jobs to live workers', assigned)
            cr.execute(QUERIES['wake_workers'])
        return assigned

    def name_get(self):
        return [(worker.id, _('%s (pid %s on %s)') % (worker.uuid[:8], worker.pid,
                                                      worker.hostname))
                for worker in self]
