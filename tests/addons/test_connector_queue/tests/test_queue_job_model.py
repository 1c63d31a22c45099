"""queue.job in the test transaction: what .delay() stores, the manual actions, access rights,
the testing kit, and the autovacuum."""
from datetime import date, datetime, timedelta
from decimal import Decimal

from odoo.exceptions import AccessError, UserError
from odoo.tests.common import TransactionCase

from odoo.addons.connector.exception import JobPayloadError
from odoo.addons.connector.queue import payload
from odoo.addons.connector.queue.job_function import identity_exact, job
from odoo.addons.connector.queue.testing import trap_jobs
from odoo.addons.connector.session import ConnectorSession
from odoo.addons.test_connector_queue import jobs


class QueueJobCase(TransactionCase):

    def setUp(self):
        super().setUp()
        self.session = ConnectorSession.from_env(self.env)
        self.QueueJob = self.env['queue.job']

    def stored(self, uuid):
        return self.QueueJob.search([('uuid', '=', uuid)])


class TestDelay(QueueJobCase):

    def test_delay_stores_a_pending_job_in_the_callers_transaction(self):
        uuid = jobs.write_record.delay(self.session, 'x', priority=3, max_retries=7,
                                       description='Write x', eta=timedelta(hours=1))
        record = self.stored(uuid)
        self.assertEqual(len(record), 1)
        self.assertEqual(record.state, 'pending')
        self.assertEqual(record.func_name, 'odoo.addons.test_connector_queue.jobs.write_record')
        self.assertEqual((record.priority, record.max_retries, record.retry), (3, 7, 0))
        self.assertEqual(record.name, 'Write x')
        self.assertEqual(record.channel, 'root.test')
        self.assertEqual(record.user_id, self.env.user)
        self.assertEqual(record.company_id, self.env.user.company_id)
        self.assertTrue(record.eta > record.date_created)
        self.assertEqual(payload.decode(record.args), ['x'])

    def test_description_defaults_to_the_docstring(self):
        record = self.stored(jobs.write_record.delay(self.session, 'y'))
        self.assertEqual(record.name, 'Write one row of queue.test.record named `name`')

    def test_payload_round_trip_through_the_database(self):
        partners = self.env['res.partner'].search([], limit=3)
        values = (partners, date(2026, 1, 2), datetime(2026, 1, 2, 3, 4, 5, 6),
                  Decimal('1.10'), ('a', 1), {'nested': [partners[:1], None]})
        record = self.stored(jobs.echo.delay(self.session, *values, flag=True))
        args = payload.decode(record.args, self.env)
        self.assertEqual(tuple(args), values)
        self.assertEqual(args[0]._name, 'res.partner')
        self.assertEqual(payload.decode(record.kwargs, self.env), {'flag': True})
        self.assertEqual(record.model_name, 'res.partner')

    def test_unsupported_argument_is_refused_and_nothing_stored(self):
        before = self.QueueJob.search_count([])
        with self.assertRaises(JobPayloadError) as raised:
            jobs.echo.delay(self.session, {1, 2})
        self.assertIn('args of echo[0] of type set', str(raised.exception))
        self.assertEqual(self.QueueJob.search_count([]), before)

    def test_identity_key_returns_the_existing_job(self):
        first = jobs.write_record.delay(self.session, 'same', identity_key=identity_exact)
        second = jobs.write_record.delay(self.session, 'same', identity_key=identity_exact)
        third = jobs.write_record.delay(self.session, 'other', identity_key=identity_exact)
        self.assertEqual(first, second)
        self.assertNotEqual(first, third)

    def test_only_module_level_functions_can_be_jobs(self):
        def local_function(session):
            pass
        with self.assertRaises(ValueError):
            job(local_function)
        with self.assertRaises(ValueError):
            job(default_channel='other')(jobs.noop)


class TestManualActions(QueueJobCase):

    def test_requeue_resets_a_failed_job(self):
        record = self.stored(jobs.fail.delay(self.session, 'x'))
        record.write({'state': 'failed', 'retry': 5, 'exc_info': 'Traceback', 'result': 'bad'})
        record.requeue()
        self.assertEqual((record.state, record.retry, record.exc_info), ('pending', 0, False))

    def test_set_to_done_and_cancel_say_who(self):
        done = self.stored(jobs.noop.delay(self.session))
        cancelled = self.stored(jobs.noop.delay(self.session))
        done.button_done()
        cancelled.button_cancel()
        self.assertEqual(done.state, 'done')
        self.assertIn(self.env.user.name, done.result)
        self.assertEqual(cancelled.state, 'cancelled')
        self.assertIn('Cancelled by', cancelled.result)

    def test_started_jobs_cannot_be_changed_by_hand(self):
        record = self.stored(jobs.noop.delay(self.session))
        record.write({'state': 'started'})
        for action in (record.requeue, record.button_done, record.button_cancel):
            with self.assertRaises(UserError):
                action()

    def test_mass_actions_are_bound_to_the_list(self):
        for xmlid in ('action_queue_job_requeue', 'action_queue_job_done',
                      'action_queue_job_cancel'):
            action = self.env.ref('connector.%s' % xmlid)
            self.assertEqual(action.binding_model_id.model, 'queue.job')

    def test_failed_jobs_have_their_own_menu(self):
        action = self.env.ref('connector.menu_queue_job_failed').action
        self.assertEqual(action.domain, "[('state', '=', 'failed')]")

    def test_no_related_action_is_a_clear_error(self):
        record = self.stored(jobs.noop.delay(self.session))
        with self.assertRaises(UserError):
            record.open_related_action()


class TestAccessRights(QueueJobCase):

    def setUp(self):
        super().setUp()
        self.plain_user = self.env['res.users'].create({
            'name': 'Plain', 'login': 'plain_queue_user',
            'groups_id': [(6, 0, [self.env.ref('base.group_user').id])]})
        self.record = self.stored(jobs.noop.delay(self.session))

    def test_plain_user_can_delay_but_not_read_nor_requeue(self):
        plain_session = ConnectorSession.from_env(self.env(user=self.plain_user.id))
        uuid = jobs.noop.delay(plain_session)
        self.assertEqual(self.stored(uuid).user_id, self.plain_user)
        as_plain = self.record.sudo(self.plain_user)
        with self.assertRaises(AccessError):
            as_plain.read(['state'])
        with self.assertRaises(AccessError):
            as_plain.requeue()
        with self.assertRaises(AccessError):
            self.env['queue.worker'].sudo(self.plain_user).search([])

    def test_manager_of_another_company_does_not_see_the_job(self):
        other = self.env['res.company'].create({'name': 'Other Queue Company'})
        manager = self.env['res.users'].create({
            'name': 'Other manager', 'login': 'other_queue_manager',
            'company_id': other.id, 'company_ids': [(6, 0, [other.id])],
            'groups_id': [(6, 0, [self.env.ref('connector.group_connector_manager').id])]})
        self.assertFalse(self.QueueJob.sudo(manager).search([('id', '=', self.record.id)]))
        self.assertTrue(self.QueueJob.search([('id', '=', self.record.id)]))


class TestTrapJobs(QueueJobCase):

    def test_trap_asserts_and_performs_in_the_transaction(self):
        with trap_jobs() as trap:
            jobs.write_record.delay(self.session, 'trapped', priority=4)
            jobs.noop.delay(self.session)
            trap.assert_jobs_count(2)
            trap.assert_jobs_count(1, only=jobs.write_record)
            trap.assert_enqueued_job(jobs.write_record, args=('trapped',),
                                     properties={'priority': 4})
            with self.assertRaises(AssertionError):
                trap.assert_enqueued_job(jobs.write_record, args=('other',))
            results = trap.perform_enqueued_jobs()
        self.assertEqual(results, ['wrote trapped', None])
        self.assertEqual(self.env['queue.test.record'].search_count([('name', '=', 'trapped')]), 1)
        self.assertEqual(set(self.QueueJob.search([('func_name', 'like', 'test_connector_queue')])
                             .mapped('state')), {'done'})

    def test_trap_stops_at_the_end_of_the_block(self):
        with trap_jobs() as trap:
            pass
        jobs.noop.delay(self.session)
        self.assertEqual(trap.enqueued_jobs, [])


class TestAutovacuum(QueueJobCase):

    def test_removes_old_done_and_cancelled_jobs_only(self):
        old = datetime.utcnow() - timedelta(days=40)
        records = {state: self.stored(jobs.noop.delay(self.session))
                   for state in ('done', 'cancelled', 'failed', 'pending')}
        for state, record in records.items():
            record.write({'state': state, 'date_done': old})
        recent = self.stored(jobs.noop.delay(self.session))
        recent.write({'state': 'done', 'date_done': datetime.utcnow()})
        self.assertGreaterEqual(self.QueueJob.autovacuum(), 2)
        self.assertFalse(records['done'].exists() or records['cancelled'].exists())
        self.assertTrue(records['failed'].exists() and records['pending'].exists()
                        and recent.exists())

    def test_removal_interval_is_configurable(self):
        self.env['ir.config_parameter'].set_param('connector.queue_job_removal_days', '5')
        record = self.stored(jobs.noop.delay(self.session))
        record.write({'state': 'done', 'date_done': datetime.utcnow() - timedelta(days=6)})
        self.QueueJob.autovacuum()
        self.assertFalse(record.exists())
