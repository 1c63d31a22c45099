"""Synchronizers and adapters: lazy units, batch importers, errors worth retrying."""
import unittest

import psycopg2
from odoo.tests.common import TransactionCase
from odoo.tools import mute_logger

from odoo.addons.connector.exception import (
    NetworkRetryableError, NoConnectorUnitError, RetryableJobError)
from odoo.addons.connector.unit.backend_adapter import BackendAdapter, CRUDAdapter
from odoo.addons.connector.unit.mapper import ImportMapper
from odoo.addons.connector.unit.synchronizer import (
    DelayedBatchImporter, DirectBatchImporter, Importer, Synchronizer,
    retry_on_unique_violation)

from .stand_ins import Session, connector_env, new_backend


class DelayRecorder(object):
    """Stands for a job function: records the calls of ``delay``."""

    def __init__(self):
        self.calls = []

    def delay(self, *args, **kwargs):
        self.calls.append((args, kwargs))


class TestSynchronizer(unittest.TestCase):

    def setUp(self):
        self.backend = new_backend()
        self.session = Session(models={'shop.order': {}})
        self.env = connector_env(self.backend, 'shop.order', self.session)

        @self.backend
        class OrderAdapter(CRUDAdapter):
            _model_name = 'shop.order'

            def search(self, filters=None):
                return ['1', '2']

        self.OrderAdapter = OrderAdapter

    def test_units_are_looked_up_when_used_and_once(self):
        @self.backend
        class OrderSynchronizer(Synchronizer):
            _model_name = 'shop.order'

        synchronizer = self.env.get_connector_unit(OrderSynchronizer)

        self.assertIsInstance(synchronizer.backend_adapter, self.OrderAdapter)
        self.assertIs(synchronizer.backend_adapter, synchronizer.backend_adapter)
        # no mapper is registered: only using it fails
        with self.assertRaises(NoConnectorUnitError):
            synchronizer.mapper

    def test_importer_looks_up_an_import_mapper(self):
        @self.backend
        class OrderImportMapper(ImportMapper):
            _model_name = 'shop.order'

        @self.backend
        class OrderImporter(Importer):
            _model_name = 'shop.order'

        self.assertIsInstance(self.env.get_connector_unit(OrderImporter).mapper,
                              OrderImportMapper)

    def test_direct_batch_imports_each_record_now(self):
        imported = []

        @self.backend
        class OrderImporter(Importer):
            _model_name = 'shop.order'

            def run(self, external_id, force=False):
                imported.append(external_id)

        @self.backend
        class OrderBatchImporter(DirectBatchImporter):
            _model_name = 'shop.order'

        self.env.get_connector_unit(OrderBatchImporter).run()

        self.assertEqual(imported, ['1', '2'])

    def test_delayed_batch_delays_a_job_per_record(self):
        import_record = DelayRecorder()

        @self.backend
        class OrderBatchImporter(DelayedBatchImporter):
            _model_name = 'shop.order'
            _import_record_job = import_record
            _job_options = {'priority': 30}

        self.env.get_connector_unit(OrderBatchImporter).run()

        self.assertEqual(import_record.calls, [
            ((self.session, 'shop.order', 1, '1'), {'priority': 30}),
            ((self.session, 'shop.order', 1, '2'), {'priority': 30})])

    def test_delayed_batch_needs_a_job_function(self):
        @self.backend
        class OrderBatchImporter(DelayedBatchImporter):
            _model_name = 'shop.order'

        with self.assertRaises(NotImplementedError):
            self.env.get_connector_unit(OrderBatchImporter).run()


class TestAdapter(unittest.TestCase):

    def setUp(self):
        backend = new_backend()

        @backend
        class OrderAdapter(CRUDAdapter):
            _model_name = 'shop.order'

        self.adapter = connector_env(backend, 'shop.order').get_connector_unit(BackendAdapter)

    def test_operations_not_implemented_name_the_adapter(self):
        for operation in ('search', 'read', 'search_read', 'create', 'write', 'delete'):
            with self.assertRaises(NotImplementedError) as raised:
                getattr(self.adapter, operation)('1')
            self.assertEqual(str(raised.exception),
                             '%s is not implemented by OrderAdapter' % operation)

    def test_network_errors_become_retryable(self):
        for error in (ConnectionRefusedError('refused'), TimeoutError('too slow')):
            with self.assertRaises(NetworkRetryableError) as raised:
                with self.adapter.retry_on_network_errors():
                    raise error
            self.assertIsInstance(raised.exception, RetryableJobError)
            self.assertIs(raised.exception.__cause__, error)
            self.assertIn('OrderAdapter could not reach Test Backend', str(raised.exception))

    def test_other_errors_are_left_alone(self):
        with self.assertRaises(KeyError):
            with self.adapter.retry_on_network_errors():
                raise KeyError('not a network error')


class TestUniqueViolation(TransactionCase):

    def test_unique_violation_becomes_retryable(self):
        with self.assertRaises(RetryableJobError) as raised, mute_logger('odoo.sql_db'), \
                self.cr.savepoint(), retry_on_unique_violation():
            self.cr.execute("INSERT INTO ir_config_parameter (key, value) "
                            "VALUES ('connector.test', 'a'), ('connector.test', 'b')")
        self.assertTrue(raised.exception.ignore_retry)

    def test_other_integrity_errors_are_left_alone(self):
        with self.assertRaises(psycopg2.IntegrityError), mute_logger('odoo.sql_db'), \
                self.cr.savepoint(), retry_on_unique_violation():
            self.cr.execute("INSERT INTO ir_config_parameter (key, value) VALUES (NULL, 'a')")
