"""The ``queue.job`` model: stores jobs, shows them, and lets managers act on them.

The life cycle itself runs in plain SQL (``connector/queue``); this model is the storage
schema, the views' actions, the failure notification and the autovacuum.
"""
import logging
from datetime import timedelta

import psycopg2
from psycopg2 import errorcodes

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import mute_logger

from ..queue import payload
from ..queue.job import CANCELLED, DONE, PENDING, STARTED, STATES, Job, utcnow
from ..queue.job_function import JOB_FUNCTIONS
from ..queue.queries import QUERIES
from ..queue.storage import backend_model_names
from ..session import ConnectorSession

_logger = logging.getLogger(__name__)

REMOVAL_DAYS_PARAMETER = 'connector.queue_job_removal_days'
DEFAULT_REMOVAL_DAYS = 30  # days a done or cancelled job is kept
AUTOVACUUM_BATCH = 1000  # jobs deleted per transaction


class QueueJob(models.Model):
    _name = 'queue.job'
    _description = 'Connector Job'
    _inherit = ['mail.thread']
    _log_access = False
    _order = 'date_created DESC, id DESC'
    _rec_name = 'name'

    uuid = fields.Char(string='UUID', readonly=True, required=True)  # unique index in init()
    name = fields.Char(string='Description', readonly=True)
    func_name = fields.Char(string='Job Function', readonly=True)
    func_string = fields.Char(string='Task', compute='_compute_func_string')
    args = fields.Text(string='Arguments (JSON)', readonly=True)
    kwargs = fields.Text(string='Keyword Arguments (JSON)', readonly=True)
    state = fields.Selection(STATES, required=True, readonly=True, index=True,
                             default=PENDING, track_visibility='onchange')
    priority = fields.Integer(default=10, help='Lower runs first.')
    eta = fields.Datetime(string='Execute only after')
    retry = fields.Integer(string='Current try', readonly=True, default=0)
    max_retries = fields.Integer(
        string='Max. retries', default=5,
        help='The job fails once it has been tried this many times. 0: retry forever.')
    result = fields.Text(readonly=True)
    exc_info = fields.Text(string='Exception Info', readonly=True)
    date_created = fields.Datetime(string='Created', readonly=True, index=True)
    date_enqueued = fields.Datetime(string='Enqueued', readonly=True)
    date_started = fields.Datetime(string='Started', readonly=True)
    date_done = fields.Datetime(string='Done', readonly=True)
    user_id = fields.Many2one('res.users', string='User', readonly=True, required=True)
    company_id = fields.Many2one('res.company', string='Company', readonly=True, index=True)
    model_name = fields.Char(string='Model', readonly=True)
    channel = fields.Char(readonly=True)
    identity_key = fields.Char(readonly=True)
    worker_id = fields.Many2one('queue.worker', string='Worker', readonly=True,
                                ondelete='set null', index=True)
    backend_ref = fields.Reference(selection='_selection_backend_models', string='Backend',
                                   readonly=True)

    def init(self):
        cr = self.env.cr
        # claim order, and the identity keys of jobs not done (the database judges duplicates)
        cr.execute("""
            CREATE INDEX IF NOT EXISTS queue_job_claim_order_index ON queue_job
                (priority, (COALESCE(eta, date_created)), id) WHERE state = 'pending';
            CREATE INDEX IF NOT EXISTS queue_job_pending_eta_index ON queue_job (eta)
                WHERE state = 'pending' AND eta IS NOT NULL;
            CREATE UNIQUE INDEX IF NOT EXISTS queue_job_identity_key_unique ON queue_job
                (identity_key) WHERE identity_key IS NOT NULL
                AND state NOT IN ('done', 'cancelled');
            CREATE UNIQUE INDEX IF NOT EXISTS queue_job_uuid_unique ON queue_job (uuid);
        """)
        # one notification per transaction that delays jobs: PostgreSQL folds identical
        # notifications of a transaction into one, and a statement trigger fires per INSERT
        # statement, not per row
        cr.execute("""
            CREATE OR REPLACE FUNCTION queue_job_notify() RETURNS trigger AS $$
            BEGIN
                PERFORM pg_notify('connector_queue', current_database());
                RETURN NULL;
            END;
            $$ LANGUAGE plpgsql;
            DROP TRIGGER IF EXISTS queue_job_notify ON queue_job;
            CREATE TRIGGER queue_job_notify AFTER INSERT ON queue_job
                FOR EACH STATEMENT EXECUTE PROCEDURE queue_job_notify();
        """)

    @api.depends('func_name', 'args', 'kwargs')
    def _compute_func_string(self):
        for record in self:
            arguments = [record.args or '[]']
            if record.kwargs and record.kwargs != '{}':
                arguments.append('**' + record.kwargs)
            record.func_string = '%s(%s)' % (record.func_name, ', '.join(arguments))

    @api.model
    def _selection_backend_models(self):
        return [(name, self.env[name]._description) for name in backend_model_names(self.env)]

    # --- notifications ------------------------------------------------------------------

    def _connector_managers(self):
        managers = self.env.ref('connector.group_connector_manager').users
        if self.company_id:
            managers = managers.filtered(lambda user: self.company_id in user.company_ids)
        return managers

    def _notify_failure(self):
        """Tell the Connector Managers, once, that a job failed for good.

        Odoo 11 has no counters on menus: the message is a notification to each manager,
        counted in the messaging menu of the top bar and in Discuss until read.
        """
        for job in self:
            job.message_subscribe(partner_ids=job._connector_managers().mapped('partner_id').ids)
            job.message_post(
                body=_('The job failed for good after %s tries. The traceback is in its '
                       '"Exception Information" section.') % job.retry,
                subtype='connector.mt_job_failed',
                author_id=self.env.ref('connector.partner_job_queue').id)

    # --- actions ------------------------------------------------------------------------

    def _lock_not_running(self):
        """Lock the jobs for a manual change, refusing jobs that a worker is running."""
        try:
            with mute_logger('odoo.sql_db'), self.env.cr.savepoint():
                self.env.cr.execute(QUERIES['lock_jobs_not_running'], {'job_ids': self.ids})
        except psycopg2.OperationalError as err:
            if err.pgcode != errorcodes.LOCK_NOT_AVAILABLE:
                raise
            raise UserError(_('A worker is running one of these jobs right now: '
                              'wait until it ends.'))
        self.invalidate_cache(ids=self.ids)
        if any(job.state == STARTED for job in self):
            raise UserError(_('Started jobs cannot be changed by hand: %s')
                            % ', '.join(self.filtered(lambda job: job.state == STARTED)
                                        .mapped('uuid')))

    def requeue(self):
        """Back to the queue, tries reset; workers are woken at commit."""
        self._lock_not_running()
        self.write({'state': PENDING, 'retry': 0, 'eta': False, 'worker_id': False,
                    'date_enqueued': False, 'date_started': False, 'date_done': False,
                    'exc_info': False, 'result': False})
        self.env.cr.execute(QUERIES['wake_workers'])
        return True

    def button_done(self):
        self._lock_not_running()
        self.write({'state': DONE, 'date_done': fields.Datetime.now(), 'worker_id': False,
                    'result': _('Manually set to done by %s') % self.env.user.name})
        return True

    def button_cancel(self):
        self._lock_not_running()
        self.write({'state': CANCELLED, 'date_done': fields.Datetime.now(),
                    'worker_id': False,
                    'result': _('Cancelled by %s') % self.env.user.name})
        return True

    def open_related_action(self):
        """The job function's related action (e.g. open the record it synchronizes)."""
        self.ensure_one()
        function = JOB_FUNCTIONS.get(self.func_name)
        action = getattr(function, 'related_action', None)
        result = action(ConnectorSession.from_env(self.env), self._as_job()) if action else None
        if not result:
            raise UserError(_('No action available for this job'))
        return result

    def _as_job(self):
        """The plain :class:`Job` of this record, its arguments decoded."""
        job = Job(self.func_name, args=payload.decode(self.args, self.env) or [],
                  kwargs=payload.decode(self.kwargs, self.env) or {}, priority=self.priority,
                  max_retries=self.max_retries, description=self.name, uuid=self.uuid,
                  model_name=self.model_name, user_id=self.user_id.id,
                  company_id=self.company_id.id, state=self.state, retry=self.retry)
        job.id = self.id
        return job

    # --- maintenance --------------------------------------------------------------------

    @api.model
    def autovacuum(self):
        """Delete done and cancelled jobs older than the configured number of days.

        Deletes in batches with a commit each, so a large backlog never holds a long lock.
        """
        days = int(self.env['ir.config_parameter'].sudo().get_param(
            REMOVAL_DAYS_PARAMETER, DEFAULT_REMOVAL_DAYS))
        limit = fields.Datetime.to_string(utcnow() - timedelta(days=days))
        deleted = 0
        while True:
            jobs = self.search([('state', 'in', (DONE, CANCELLED)), ('date_done', '<', limit)],
                               limit=AUTOVACUUM_BATCH)
            if not jobs:
                return deleted
            deleted += len(jobs)
            jobs.unlink()
            ConnectorSession.from_env(self.env).commit()  # a no-op inside tests
