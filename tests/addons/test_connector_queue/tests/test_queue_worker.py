"""Workers on the real database, with real threads: jobs committed by one transaction run in
another, exactly once, with every outcome stored."""
import threading
import time
from datetime import timedelta
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.tools import mute_logger

from odoo.addons.connector.queue.job import utcnow
from odoo.addons.connector.queue.worker import INTERRUPTED_MESSAGE
from odoo.addons.connector.models.queue_worker import LOST_WORKER_MESSAGE
from odoo.addons.connector.session import ConnectorSession
from odoo.addons.test_connector_queue import jobs

from .queue_common import TEST_JOBS, CommittedQueueCase


class TestWorkerRunsJobs(CommittedQueueCase):
    at_install = False
    post_install = True

    def test_committed_job_runs_once_in_a_worker_thread(self):
        uuid = self.delay(jobs.write_record, 'first')
        self.start_worker()
        row = self.wait_for_states([uuid], {'done'})[uuid]
        records = self.records_named('first')
        self.assertEqual(len(records), 1)
        self.assertEqual(records[0]['job_uuid'], uuid)
        self.assertEqual(row['result'], 'wrote first')
        self.assertEqual(row['retry'], 1)
        self.assertIsNone(row['worker_id'])
        self.assertTrue(row['date_created'] <= row['date_enqueued'] <= row['date_started']
                        <= row['date_done'])

    def test_job_runs_as_the_user_who_delayed_it_in_their_company(self):
        # a company cannot be deleted once stock made its warehouse: found or made once
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env['res.company'].search([('name', '=', 'Queue Test Company')]) \
                or env['res.company'].create({'name': 'Queue Test Company'})
            user = env['res.users'].search([('login', '=', 'queue_test_user')]) \
                or env['res.users'].create({
                    'name': 'Queue Test User', 'login': 'queue_test_user',
                    'company_id': company.id, 'company_ids': [(6, 0, [company.id])],
                    'groups_id': [(6, 0, [env.ref('base.group_user').id])]})
            user_id, company_id = user.id, company.id
        uuid = self.delay(jobs.write_record, 'as user', uid=user_id)
        self.start_worker()
        self.wait_for_states([uuid], {'done'})
        record = self.records_named('as user')[0]
        self.assertEqual((record['uid_ran_as'], record['company_ran_in']), (user_id, company_id))
        self.assertEqual(self.job_row(uuid)['company_id'], company_id)

    def test_failure_keeps_payload_and_traceback_and_rolls_back(self):
        uuid = self.delay(jobs.fail, 'boom')
        self.start_worker()
        row = self.wait_for_states([uuid], {'failed'})[uuid]
        self.assertIn('ValueError: boom', row['exc_info'])
        self.assertIn('Traceback', row['exc_info'])
        self.assertEqual(row['result'], 'ValueError: boom')
        self.assertEqual(row['args'], '["boom"]')
        self.assertEqual(self.records_named('written before failing'), [])

    def test_failure_notifies_the_managers_once(self):
        uuid = self.delay(jobs.fail, 'notify')
        self.start_worker()
        row = self.wait_for_states([uuid], {'failed'})[uuid]
        messages = self.query(
            "SELECT m.id, m.body FROM mail_message m JOIN mail_message_subtype s "
            "ON s.id = m.subtype_id WHERE m.model = 'queue.job' AND m.res_id = %s "
            "AND s.name = 'Job failed'", (row['id'],))
        self.assertEqual(len(messages), 1)
        followers = self.query(
            "SELECT partner_id FROM mail_followers WHERE res_model = 'queue.job' "
            "AND res_id = %s", (row['id'],))
        admin_partner = self.query("SELECT partner_id FROM res_users WHERE id = %s",
                                   (SUPERUSER_ID,))[0]['partner_id']
        self.assertIn(admin_partner, [follower['partner_id'] for follower in followers])
        # the counter of the messaging menu: one unread notification for the manager
        unread = self.query(
            "SELECT count(*) FROM mail_message_res_partner_needaction_rel "
            "WHERE mail_message_id = %s AND res_partner_id = %s AND is_read IS NOT TRUE",
            (messages[0]['id'], admin_partner))
        self.assertEqual(unread[0]['count'], 1)

    def test_failure_is_stored_even_when_the_notification_fails(self):
        notify = patch.object(self.registry['queue.job'], '_notify_failure',
                              side_effect=RuntimeError('mail server down'))
        with notify, mute_logger('odoo.addons.connector.queue.execution'):
            uuid = self.delay(jobs.fail, 'unheard')
            self.start_worker()
            row = self.wait_for_states([uuid], {'failed'})[uuid]
        self.assertIn('ValueError: unheard', row['exc_info'])
        self.assertEqual(row['retry'], 1)

    def test_retryable_error_retries_until_success(self):
        uuid = self.delay(jobs.retry_until, 'flaky', 3)
        self.start_worker()
        row = self.wait_for_states([uuid], {'done'})[uuid]
        self.assertEqual(row['retry'], 3)
        self.assertEqual(len(self.records_named('flaky-try')), 3)
        self.assertEqual(len(self.records_named('flaky')), 1)

    def test_retryable_error_fails_at_max_retries(self):
        uuid = self.delay(jobs.retry_until, 'hopeless', 99, max_retries=2)
        self.start_worker()
        row = self.wait_for_states([uuid], {'failed'})[uuid]
        self.assertEqual(row['retry'], 2)
        self.assertIn('Max. retries (2) reached', row['result'])
        self.assertEqual(len(self.records_named('hopeless-try')), 2)

    def test_nothing_to_do_cancels(self):
        uuid = self.delay(jobs.nothing_to_do)
        self.start_worker()
        row = self.wait_for_states([uuid], {'cancelled'})[uuid]
        self.assertEqual(row['result'], 'Already up to date')

    def test_concurrency_error_is_retried_without_counting(self):
        uuid = self.delay(jobs.conflict_once, 'contended')
        self.start_worker()
        row = self.wait_for_rows([uuid], lambda row: row['eta'] is not None, what='postponed')[uuid]
        self.assertEqual(row['state'], 'pending')
        self.assertEqual(row['retry'], 0)
        self.assertIn('40001', row['result'])
        self.assertIsNotNone(row['eta'])
        row = self.wait_for_states([uuid], {'done'}, timeout=30)[uuid]
        self.assertEqual(row['retry'], 1)
        self.assertEqual(len(self.records_named('contended')), 1)

    def test_job_waits_for_its_eta(self):
        uuid = self.delay(jobs.write_record, 'later', eta=2)
        self.start_worker()
        time.sleep(1)
        self.assertEqual(self.job_row(uuid)['state'], 'pending')
        self.wait_for_states([uuid], {'done'}, timeout=10)

    def test_lower_priority_number_runs_first(self):
        uuids = [self.delay(jobs.write_record, 'p%d' % priority, priority=priority)
                 for priority in (30, 20, 10)]
        self.start_worker(job_threads=1)
        self.wait_for_states(uuids, {'done'})
        names = [row['name'] for row in self.query("SELECT name FROM queue_test_record ORDER BY id")]
        self.assertEqual(names, ['p10', 'p20', 'p30'])


class TestOnlyDeclaredFunctionsRun(CommittedQueueCase):
    at_install = False
    post_install = True

    def forge_job(self, func_name):
        """A row written behind the API, naming a function that @job did not declare."""
        uuid = self.delay(jobs.noop)
        with self.registry.cursor() as cr:
            cr.execute("UPDATE queue_job SET func_name = %s WHERE uuid = %s", (func_name, uuid))
        return uuid

    def test_forged_rows_fail_without_running_anything(self):
        undeclared = self.forge_job(TEST_JOBS + 'not_a_job')
        outside = self.forge_job('os.system')
        self.start_worker()
        rows = self.wait_for_states([undeclared, outside], {'failed'})
        for row in rows.values():
            self.assertIn('is not declared with @job', row['result'])
        self.assertEqual(self.records_named('undeclared function ran'), [])


class TestIdentityKey(CommittedQueueCase):
    at_install = False
    post_install = True

    def test_same_key_in_one_transaction_gives_one_job(self):
        with api.Environment.manage(), self.registry.cursor() as cr:
            session = ConnectorSession.from_env(api.Environment(cr, SUPERUSER_ID, {}))
            first = jobs.write_record.delay(session, 'k', identity_key='key-1')
            second = jobs.write_record.delay(session, 'k', identity_key='key-1')
        self.assertEqual(first, second)
        self.assertEqual(len(self.query("SELECT id FROM queue_job WHERE identity_key = 'key-1'")), 1)

    def test_same_key_from_two_concurrent_transactions_gives_one_job(self):
        results = {}
        first_delayed = threading.Event()
        release_first = threading.Event()

        def first_transaction():
            with api.Environment.manage(), self.registry.cursor() as cr:
                session = ConnectorSession.from_env(api.Environment(cr, SUPERUSER_ID, {}))
                results['first'] = jobs.write_record.delay(session, 'k', identity_key='key-2')
                first_delayed.set()
                release_first.wait(10)

        def second_transaction():
            first_delayed.wait(10)
            with api.Environment.manage(), self.registry.cursor() as cr:
                session = ConnectorSession.from_env(api.Environment(cr, SUPERUSER_ID, {}))
                results['second'] = jobs.write_record.delay(session, 'k', identity_key='key-2')

        threads = [threading.Thread(target=first_transaction),
                   threading.Thread(target=second_transaction)]
        for thread in threads:
            thread.start()
        first_delayed.wait(10)
        time.sleep(0.5)  # the second INSERT now waits on the unique index
        self.assertNotIn('second', results)
        release_first.set()
        for thread in threads:
            thread.join(20)
        self.assertEqual(results['first'], results['second'])
        self.assertEqual(len(self.query("SELECT id FROM queue_job WHERE identity_key = 'key-2'")), 1)

    def test_key_is_free_again_once_the_job_is_done(self):
        first = self.delay(jobs.write_record, 'k3', identity_key='key-3')
        self.start_worker()
        self.wait_for_states([first], {'done'})
        second = self.delay(jobs.write_record, 'k3', identity_key='key-3')
        self.assertNotEqual(first, second)


class TestRecovery(CommittedQueueCase):
    at_install = False
    post_install = True

    def dead_worker_with_jobs(self, states_and_retries):
        """A worker row silent for an hour, holding one job per (state, retry, max_retries)."""
        uuids = [self.delay(jobs.write_record, 'lost-%d' % index, max_retries=max_retries)
                 for index, (_state, _retry, max_retries) in enumerate(states_and_retries)]
        with self.registry.cursor() as cr:
            cr.execute("INSERT INTO queue_worker (uuid, pid, hostname, database, date_start, "
                       "date_alive) VALUES ('dead-worker', 1, 'gone', current_database(), "
                       "%s, %s) RETURNING id", (utcnow() - timedelta(hours=2),
                                                utcnow() - timedelta(hours=1)))
            worker_id = cr.fetchone()[0]
            for uuid, (state, retry, _max) in zip(uuids, states_and_retries):
                cr.execute("UPDATE queue_job SET state = %s, retry = %s, worker_id = %s "
                           "WHERE uuid = %s", (state, retry, worker_id, uuid))
        return worker_id, uuids

    def purge(self):
        with api.Environment.manage(), self.registry.cursor() as cr:
            return api.Environment(cr, SUPERUSER_ID, {})['queue.worker'].purge_dead_workers(30)

    def test_dead_worker_is_purged_and_its_jobs_freed(self):
        worker_id, (enqueued, started, last_try) = self.dead_worker_with_jobs(
            [('enqueued', 0, 5), ('started', 1, 5), ('started', 2, 3)])
        self.assertEqual(self.purge(), [worker_id])
        rows = self.job_rows([enqueued, started, last_try])
        self.assertEqual((rows[enqueued]['state'], rows[enqueued]['retry'],
                          rows[enqueued]['worker_id']), ('pending', 0, None))
        self.assertEqual((rows[started]['state'], rows[started]['retry']), ('pending', 2))
        self.assertEqual(rows[started]['result'], LOST_WORKER_MESSAGE)
        self.assertEqual((rows[last_try]['state'], rows[last_try]['retry']), ('failed', 3))
        self.assertEqual(self.query("SELECT id FROM queue_worker WHERE id = %s", (worker_id,)), [])

    def test_freed_jobs_run_on_a_live_worker(self):
        _worker_id, uuids = self.dead_worker_with_jobs([('enqueued', 0, 5), ('started', 0, 5)])
        self.purge()
        self.start_worker()
        self.wait_for_states(uuids, {'done'})
        self.assertEqual(len(self.query("SELECT id FROM queue_test_record")), 2)

    def test_live_worker_is_not_purged(self):
        worker = self.start_worker()
        uuid = self.delay(jobs.write_record, 'alive')
        self.wait_for_states([uuid], {'done'})
        self.assertEqual(self.purge(), [])
        self.assertEqual(len(self.query("SELECT id FROM queue_worker WHERE id = %s",
                                        (worker.worker_id,))), 1)

    def test_stop_releases_queued_and_interrupted_jobs_at_once_without_counting(self):
        worker = self.start_worker(job_threads=1)
        running = self.delay(jobs.write_record, 'slow', sleep=30)
        self.wait_for_states([running], {'started'})
        queued = self.delay(jobs.write_record, 'queued')
        self.wait_for_states([queued], {'enqueued'})
        worker.stop(grace=0.5)
        rows = self.job_rows([running, queued])
        self.assertEqual({row['state'] for row in rows.values()}, {'pending'})
        self.assertEqual(rows[running]['retry'], 0)
        self.assertEqual(rows[running]['result'], INTERRUPTED_MESSAGE)
        self.assertIsNone(rows[queued]['worker_id'])
        self.assertEqual(self.query("SELECT id FROM queue_worker"), [])
        self.assertEqual(self.records_named('slow'), [])
