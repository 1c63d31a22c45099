"""ConnectorSession: its env, user and context switches, commit under tests, installed
addons."""
import threading

from odoo import SUPERUSER_ID
from odoo.tests.common import TransactionCase

from odoo.addons.connector.session import ConnectorSession


class RecordingCursor(object):
    """Stands for a cursor of database ``dbname``: records commits and rollbacks."""

    def __init__(self, dbname):
        self.dbname = dbname
        self.calls = []

    def commit(self):
        self.calls.append('commit')

    def rollback(self):
        self.calls.append('rollback')


class TestConnectorSession(TransactionCase):

    def setUp(self):
        super().setUp()
        self.session = ConnectorSession(self.cr, self.uid, context={'lang': 'en_US'})

    def test_attributes_come_from_the_env(self):
        self.assertEqual((self.session.cr, self.session.uid), (self.cr, self.uid))
        self.assertEqual(self.session.context, {'lang': 'en_US'})
        self.assertIs(self.session.registry, self.registry)
        self.assertEqual(self.session.env['res.partner']._name, 'res.partner')
        self.assertEqual(repr(self.session),
                         '<ConnectorSession db: %s, uid: %s>' % (self.cr.dbname, self.uid))

    def test_from_env_keeps_cursor_user_and_context(self):
        env = self.env(context={'tz': 'Europe/Brussels'})

        session = ConnectorSession.from_env(env)

        self.assertIs(session.env, env)

    def test_change_user_restores_the_user_even_on_error(self):
        demo = self.env['res.users'].create({'name': 'Demo', 'login': 'connector_demo'})

        with self.assertRaises(ZeroDivisionError):
            with self.session.change_user(demo.id):
                self.assertEqual(self.session.uid, demo.id)
                self.assertEqual(self.session.env.user, demo)
                1 / 0

        self.assertEqual(self.session.uid, self.uid)

    def test_change_context_extends_then_restores(self):
        env_before = self.session.env

        with self.session.change_context({'tz': 'UTC'}, active_test=False):
            self.assertEqual(self.session.context, {'tz': 'UTC', 'active_test': False})
        with self.session.change_context(active_test=False):
            self.assertEqual(self.session.context, {'lang': 'en_US', 'active_test': False})

        self.assertIs(self.session.env, env_before)
        self.assertEqual(env_before.context, {'lang': 'en_US'})

    def test_is_module_installed(self):
        self.assertTrue(self.session.is_module_installed('connector'))
        self.assertTrue(self.session.is_module_installed('mail'))
        self.assertFalse(self.session.is_module_installed('not_an_addon'))


class TestCommit(TransactionCase):

    def test_commit_is_a_no_op_in_the_thread_running_tests(self):
        cursor = RecordingCursor(self.cr.dbname)

        ConnectorSession(cursor, SUPERUSER_ID).commit()
        ConnectorSession(cursor, SUPERUSER_ID).rollback()

        self.assertEqual(cursor.calls, ['rollback'])

    def test_commit_commits_in_other_threads(self):
        cursor = RecordingCursor(self.cr.dbname)
        # built here: in a thread, the registry could still be loading (Odoo runs the
        # tests of a module while it installs it) and the thread would wait for it
        session = ConnectorSession(cursor, SUPERUSER_ID)

        thread = threading.Thread(target=session.commit)
        thread.start()
        thread.join()

        self.assertEqual(cursor.calls, ['commit'])
