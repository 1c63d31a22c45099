"""Imports from the coffee machine, through the whole chain, on the real database."""
from odoo.tools import mute_logger

from odoo.addons.connector.advisory_lock import lock_key
from odoo.addons.connector.exception import (
    MappingError, NetworkRetryableError, RetryableJobError)
from odoo.addons.connector.queue.testing import trap_jobs
from odoo.addons.connector.unit.synchronizer import Importer

from ..jobs import export_record, import_record
from .common import CoffeeCase


class TestImportCustomer(CoffeeCase):

    def test_import_creates_a_bound_partner(self):
        external_id = self.add_customer()

        result = import_record(self.session, 'coffee.res.partner', self.backend.id, external_id)

        self.assertIsNone(result)
        binding = self.binding_of('coffee.res.partner', external_id)
        self.assertEqual(binding.name, 'Ada Lovelace')
        self.assertEqual(binding.email, 'ada@example.com')
        self.assertEqual(binding.badge, 'B-1')
        self.assertTrue(binding.customer, 'only_create mapping applied on creation')
        self.assertEqual(binding.backend_id, self.backend)
        self.assertEqual(binding.external_id, external_id)
        self.assertTrue(binding.sync_date)
        self.assertEqual(binding.odoo_id._name, 'res.partner')

    def test_reimport_updates_the_same_partner(self):
        external_id = self.add_customer()
        import_record(self.session, 'coffee.res.partner', self.backend.id, external_id)
        binding = self.binding_of('coffee.res.partner', external_id)
        partner_count = self.env['res.partner'].search_count([])
        binding.odoo_id.customer = False
        self.machine.write('customers', external_id, {'name': 'Ada King',
                                                      'updated_at': '2030-01-01 00:00:00'})

        import_record(self.session, 'coffee.res.partner', self.backend.id, external_id)

        self.assertEqual(self.binding_of('coffee.res.partner', external_id), binding)
        self.assertEqual(binding.name, 'Ada King')
        self.assertFalse(binding.customer, 'only_create mapping not applied on update')
        self.assertEqual(self.env['res.partner'].search_count([]), partner_count)

    def test_up_to_date_record_is_skipped_unless_forced(self):
        external_id = self.add_customer()
        import_record(self.session, 'coffee.res.partner', self.backend.id, external_id)
        # changed on the machine, but dated before the last synchronization
        self.machine.write('customers', external_id, {'name': 'Ada King'})

        result = import_record(self.session, 'coffee.res.partner', self.backend.id,
                               external_id)
        binding = self.binding_of('coffee.res.partner', external_id)
        self.assertEqual(result, 'Already up-to-date.')
        self.assertEqual(binding.name, 'Ada Lovelace')

        import_record(self.session, 'coffee.res.partner', self.backend.id, external_id,
                      force=True)
        self.assertEqual(binding.name, 'Ada King')

    def test_record_missing_on_the_machine_is_reported(self):
        result = import_record(self.session, 'coffee.res.partner', self.backend.id, '999')

        self.assertEqual(result, 'Record 999 does no longer exist on the backend')
        self.assertFalse(self.binding_of('coffee.res.partner', '999'))

    def test_offline_machine_raises_a_retryable_error(self):
        external_id = self.add_customer()
        self.machine.online = False

        with self.assertRaises(NetworkRetryableError) as raised:
            import_record(self.session, 'coffee.res.partner', self.backend.id, external_id)
        self.assertIn('CustomerAdapter could not reach Office', str(raised.exception))

    def test_customer_without_email_gets_a_checkpoint(self):
        external_id = self.add_customer(email=None)

        import_record(self.session, 'coffee.res.partner', self.backend.id, external_id)

        partner = self.binding_of('coffee.res.partner', external_id).odoo_id
        checkpoint = self.env['connector.checkpoint'].search([('record_id', '=', partner.id),
                                                               ('model_id.model', '=',
                                                                'res.partner')])
        self.assertEqual(len(checkpoint), 1)
        self.assertEqual(checkpoint.backend_id, self.backend)
        self.assertEqual(checkpoint.message, 'Customer Ada Lovelace has no email address')
        self.assertEqual(checkpoint.state, 'need_review')

    def test_import_is_not_exported_back(self):
        external_id = self.add_customer()

        with trap_jobs() as trap:
            import_record(self.session, 'coffee.res.partner', self.backend.id, external_id)
            self.machine.write('customers', external_id, {'updated_at': '2030-01-01 00:00:00'})
            import_record(self.session, 'coffee.res.partner', self.backend.id, external_id)

        trap.assert_jobs_count(0, only=export_record)

    def test_import_of_a_record_being_imported_elsewhere_is_retried(self):
        external_id = self.add_customer()
        lock_name = 'import coffee.res.partner %s %s' % (self.backend.id, external_id)
        other_cr = self.registry.cursor()
        self.addCleanup(other_cr.close)
        self.addCleanup(other_cr.rollback)
        other_cr.execute('SELECT pg_advisory_xact_lock(%s)', (lock_key(lock_name),))

        with self.assertRaises(RetryableJobError) as raised:
            import_record(self.session, 'coffee.res.partner', self.backend.id, external_id)
        self.assertTrue(raised.exception.ignore_retry)
        self.assertFalse(self.binding_of('coffee.res.partner', external_id))


    def test_binding_committed_meanwhile_by_another_import_makes_it_retry(self):
        external_id = self.add_customer()
        import_record(self.session, 'coffee.res.partner', self.backend.id, external_id)
        importer = self.unit(Importer, 'coffee.res.partner')
        # as if the binding was read before the other import committed it
        importer._get_binding = lambda: self.env['coffee.res.partner']

        with self.assertRaises(RetryableJobError), mute_logger('odoo.sql_db'), \
                self.cr.savepoint():
            importer.run(external_id)


class TestImportCustomer2900(CoffeeCase):

    version = '2900'

    def test_version_mapper_replaces_the_parent_one(self):
        external_id = self.add_customer(first_name='Grace', last_name='Hopper')

        import_record(self.session, 'coffee.res.partner', self.backend.id, external_id)

        binding = self.binding_of('coffee.res.partner', external_id)
        self.assertEqual(binding.name, 'Grace Hopper')
        self.assertEqual(binding.badge, 'B-1', 'direct mappings inherited from the parent')


class TestImportOrder(CoffeeCase):

    def setUp(self):
        super().setUp()
        self.customer_id = self.add_customer()

    def lines_of(self, binding):
        return sorted((line.product_id.default_code, line.product_uom_qty, line.price_unit)
                      for line in binding.order_line)

    def test_order_imports_its_customer_and_its_lines(self):
        order_id = self.add_order(self.customer_id, [
            {'drink': 'ESPRESSO', 'quantity': 2, 'price': 1.5},
            {'drink': 'CAPPUCCINO', 'quantity': 0, 'price': 2.0},
            {'drink': 'CAPPUCCINO', 'quantity': 1, 'price': 2.2},
        ])

        import_record(self.session, 'coffee.sale.order', self.backend.id, order_id)

        order = self.binding_of('coffee.sale.order', order_id)
        customer = self.binding_of('coffee.res.partner', self.customer_id)
        self.assertTrue(customer, 'the customer was imported as a dependency')
        self.assertEqual(order.partner_id, customer.odoo_id)
        self.assertEqual(order.client_order_ref, 'CM-1')
        self.assertEqual(order.origin, 'Coffee machine Office')
        self.assertEqual(self.lines_of(order), [('CAPPUCCINO', 1.0, 2.2),
                                                ('ESPRESSO', 2.0, 1.5)],
                         'the line of quantity 0 is skipped by the MapChild')

    def test_reimport_replaces_lines_without_duplicating_them(self):
        order_id = self.add_order(self.customer_id, [
            {'drink': 'ESPRESSO', 'quantity': 2, 'price': 1.5}])
        import_record(self.session, 'coffee.sale.order', self.backend.id, order_id)
        order = self.binding_of('coffee.sale.order', order_id)
        self.machine.write('orders', order_id, {
            'updated_at': '2030-01-01 00:00:00',
            'lines': [{'drink': 'ESPRESSO', 'quantity': 3, 'price': 1.5},
                      {'drink': 'CAPPUCCINO', 'quantity': 1, 'price': 2.0}]})

        import_record(self.session, 'coffee.sale.order', self.backend.id, order_id)

        self.assertEqual(self.binding_of('coffee.sale.order', order_id), order)
        self.assertEqual(self.lines_of(order), [('CAPPUCCINO', 1.0, 2.0),
                                                ('ESPRESSO', 3.0, 1.5)])

    def test_failing_line_mapping_names_mapper_method_and_field(self):
        order_id = self.add_order(self.customer_id, [
            {'drink': 'TEA', 'quantity': 1, 'price': 1.0}])

        with self.assertRaises(MappingError) as raised:
            import_record(self.session, 'coffee.sale.order', self.backend.id, order_id)

        message = str(raised.exception)
        self.assertIn('OrderLineImportMapper', message)
        self.assertIn("mapping method 'product'", message)
        self.assertIn('drink', message)
        self.assertIn("No product has the code of drink 'TEA'", message)

    def test_order_of_an_unknown_customer_names_the_direct_mapping(self):
        order_id = self.add_order('404', [])
        importer = self.unit(Importer, 'coffee.sale.order')
        # skip the dependency import: the mapper alone meets the unknown customer
        importer._import_dependencies = lambda: None

        with self.assertRaises(MappingError) as raised:
            importer.run(order_id)

        message = str(raised.exception)
        self.assertIn('OrderImportMapper', message)
        self.assertIn("source field 'customer_id'", message)
        self.assertIn("external ID '404'", message)


class TestBatchImport(CoffeeCase):

    def test_customers_are_imported_at_once(self):
        external_ids = [self.add_customer(name='Customer %d' % number) for number in range(3)]

        self.backend.import_customers()

        names = [self.binding_of('coffee.res.partner', external_id).name
                 for external_id in external_ids]
        self.assertEqual(names, ['Customer 0', 'Customer 1', 'Customer 2'])

    def test_orders_are_imported_by_one_job_each(self):
        customer_id = self.add_customer()
        order_ids = [self.add_order(customer_id, [], reference='CM-%d' % number)
                     for number in range(2)]

        with trap_jobs() as trap:
            self.backend.import_orders()
            trap.assert_jobs_count(2, only=import_record)
            for order_id in order_ids:
                trap.assert_enqueued_job(
                    import_record, args=('coffee.sale.order', self.backend.id, order_id),
                    properties={'priority': 20})
            trap.perform_enqueued_jobs()

        references = [self.binding_of('coffee.sale.order', order_id).client_order_ref
                      for order_id in order_ids]
        self.assertEqual(references, ['CM-0', 'CM-1'])
