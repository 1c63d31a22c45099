"""Bindings: the default Binder, and the uniqueness the database enforces, also across
concurrent transactions."""
import threading
import time

import psycopg2
from psycopg2 import errorcodes

from odoo import api
from odoo.tools import mute_logger

from odoo.addons.connector.unit.binder import Binder

from ..backend import coffee1900
from .common import CoffeeCase, CommittedCoffeeCase

LOCK_WAIT_TIMEOUT = 10  # seconds a test waits for the second insert to block


class TestBinder(CoffeeCase):

    def setUp(self):
        super().setUp()
        self.binder = self.unit(Binder, 'coffee.res.partner')
        self.binding = self.env['coffee.res.partner'].with_context(
            connector_no_export=True).create({'name': 'Ada', 'backend_id': self.backend.id})

    def test_bind_then_find_both_ways(self):
        self.binder.bind('42', self.binding)

        self.assertEqual(self.binding.external_id, '42')
        self.assertTrue(self.binding.sync_date)
        self.assertEqual(self.binder.to_openerp('42'), self.binding)
        self.assertEqual(self.binder.to_openerp(42, unwrap=True), self.binding.odoo_id)
        self.assertEqual(self.binder.to_backend(self.binding), '42')
        self.assertEqual(self.binder.to_backend(self.binding.id), '42')
        self.assertEqual(self.binder.to_backend(self.binding.odoo_id, wrap=True), '42')
        self.assertEqual(self.binder.unwrap_binding(self.binding.id), self.binding.odoo_id)
        self.assertEqual(self.binder.unwrap_model(), 'res.partner')

    def test_zero_is_a_valid_external_id(self):
        self.binder.bind(0, self.binding)

        self.assertEqual(self.binder.to_openerp(0), self.binding)

    def test_empty_external_id_is_refused(self):
        for empty in (None, False, ''):
            with self.assertRaises(ValueError):
                self.binder.bind(empty, self.binding)

    def test_unknown_ids_give_empty_results(self):
        self.assertFalse(self.binder.to_openerp('nope'))
        self.assertEqual(self.binder.to_openerp('nope', unwrap=True)._name, 'res.partner')
        self.assertIsNone(self.binder.to_backend(self.binding))
        other_partner = self.env['res.partner'].create({'name': 'Unbound'})
        self.assertIsNone(self.binder.to_backend(other_partner, wrap=True))

    def test_archived_binding_is_found(self):
        self.binder.bind('42', self.binding)
        self.binding.odoo_id.active = False

        self.assertEqual(self.binder.to_openerp('42'), self.binding)

    def test_external_id_is_per_backend(self):
        other_backend = self.env['coffee.backend'].create({
            'name': 'Hall', 'version': '1900', 'location': 'memory://hall'})
        self.binder.bind('42', self.binding)

        other_binder = self.unit(Binder, 'coffee.res.partner', backend=other_backend)
        self.assertFalse(other_binder.to_openerp('42'))

    def test_same_external_id_twice_is_refused_by_the_database(self):
        self.binder.bind('42', self.binding)
        twin = self.env['coffee.res.partner'].with_context(connector_no_export=True).create(
            {'name': 'Ada bis', 'backend_id': self.backend.id})

        with self.assertRaises(psycopg2.IntegrityError), mute_logger('odoo.sql_db'), \
                self.cr.savepoint():
            self.binder.bind('42', twin)

    def test_same_record_bound_twice_is_refused_by_the_database(self):
        with self.assertRaises(psycopg2.IntegrityError), mute_logger('odoo.sql_db'), \
                self.cr.savepoint():
            self.env['coffee.res.partner'].with_context(connector_no_export=True).create({
                'odoo_id': self.binding.odoo_id.id, 'backend_id': self.backend.id})

    def test_violation_message_is_readable(self):
        self.assertEqual(
            self.registry._sql_error['coffee_res_partner_backend_external_uniq'],
            'A binding with the same ID on the backend already exists.')


class TestBackendModel(CoffeeCase):

    def test_versions_come_from_the_declared_backends(self):
        self.assertEqual(self.env['coffee.backend']._select_versions(),
                         [('1900', 'Coffee Machine 1900'), ('2900', 'Coffee Machine 2900')])
        self.assertIs(self.backend.get_backend(), coffee1900)

    def test_binding_model_without_backend_is_refused(self):
        with self.assertRaises(ValueError):
            self.env['external.binding']._binding_unique_indexes()


class TestConcurrentBindings(CommittedCoffeeCase):
    """Two transactions bind at the same time: the second waits for the first, then fails."""

    def create_binding(self, cr, partner_id, external_id):
        self.committed_env(cr)['coffee.res.partner'].create({'odoo_id': partner_id, 'external_id': external_id,
                                          'backend_id': self.backend_id})

    def assert_second_transaction_refused(self, first, second):
        """``first`` and ``second``: (partner id, external ID) of the two bindings."""
        first_cr = self.registry.cursor()
        self.addCleanup(first_cr.close)
        self.create_binding(first_cr, *first)
        outcome = {}

        def bind_concurrently():
            with api.Environment.manage(), self.registry.cursor() as second_cr:
                try:
                    with mute_logger('odoo.sql_db'):
                        self.create_binding(second_cr, *second)
                except psycopg2.IntegrityError as err:
                    outcome['pgcode'] = err.pgcode
        second_thread = threading.Thread(target=bind_concurrently)
        second_thread.start()
        self.wait_until_blocked_by(first_cr)
        first_cr.commit()
        second_thread.join(LOCK_WAIT_TIMEOUT)

        self.assertFalse(second_thread.is_alive())
        self.assertEqual(outcome.get('pgcode'), errorcodes.UNIQUE_VIOLATION)
        with self.registry.cursor() as cr:
            cr.execute('SELECT count(*) FROM coffee_res_partner WHERE backend_id = %s',
                       (self.backend_id,))
            self.assertEqual(cr.fetchone()[0], 1)

    def wait_until_blocked_by(self, cr):
        """Wait until a transaction waits for a lock held by ``cr``'s transaction."""
        cr.execute('SELECT pg_backend_pid()')
        pid = cr.fetchone()[0]
        deadline = time.monotonic() + LOCK_WAIT_TIMEOUT
        with self.registry.cursor() as watch_cr:
            while time.monotonic() < deadline:
                watch_cr.execute('SELECT count(*) FROM pg_stat_activity '
                                 'WHERE %s = ANY(pg_blocking_pids(pid))', (pid,))
                if watch_cr.fetchone()[0]:
                    return
                watch_cr.rollback()  # a fresh snapshot of pg_stat_activity
                time.sleep(0.05)
        self.fail('The second transaction never waited for the first one')

    def test_same_external_id(self):
        self.assert_second_transaction_refused((self.partner_ids[0], '42'),
                                               (self.partner_ids[1], '42'))

    def test_same_odoo_record(self):
        self.assert_second_transaction_refused((self.partner_ids[0], '42'),
                                               (self.partner_ids[0], '43'))
