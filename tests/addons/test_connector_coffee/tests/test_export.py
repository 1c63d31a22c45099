"""Exports to the coffee machine: events delay jobs, jobs run the exporters."""
from unittest import mock

from odoo.addons.connector.exception import NetworkRetryableError, RetryableJobError
from odoo.addons.connector.queue.testing import trap_jobs
from odoo.addons.connector.related_action import unwrap_binding
from odoo.addons.connector.session import ConnectorSession
from odoo.addons.connector.unit.synchronizer import Exporter

from ..fake_api import CoffeeMachine
from ..jobs import export_delete_record, export_record, import_record
from ..units.binder import CoffeeBinder
from .common import CoffeeCase, CommittedCoffeeCase


class TestExportCustomer(CoffeeCase):

    def setUp(self):
        super().setUp()
        self.partner = self.env['res.partner'].create({'name': 'Alan Turing',
                                                       'email': 'alan@example.com'})

    def bind_partner(self):
        """A binding of the partner, created in Odoo: its creation delays an export."""
        with trap_jobs() as trap:
            binding = self.env['coffee.res.partner'].create({
                'odoo_id': self.partner.id, 'backend_id': self.backend.id, 'badge': 'B-9'})
            trap.assert_enqueued_job(export_record, args=('coffee.res.partner', binding.id))
            trap.perform_enqueued_jobs()
        return binding

    def test_new_binding_is_created_on_the_machine(self):
        binding = self.bind_partner()

        self.assertTrue(binding.external_id)
        self.assertTrue(binding.sync_date)
        customer = self.machine.read('customers', binding.external_id)
        self.assertEqual(customer, {'id': binding.external_id, 'name': 'Alan Turing',
                                    'email': 'alan@example.com', 'badge': 'B-9'})
        self.assertEqual(binding.odoo_id, self.partner, 'no new partner for the binding')

    def test_partner_write_exports_the_changed_fields(self):
        binding = self.bind_partner()
        # changed on the machine since: an export of the name only must keep it
        self.machine.write('customers', binding.external_id, {'email': 'turing@example.com'})

        with trap_jobs() as trap:
            self.partner.write({'name': 'Alan M. Turing'})
            trap.assert_jobs_count(1, only=export_record)
            job = trap.assert_enqueued_job(export_record,
                                           args=('coffee.res.partner', binding.id),
                                           kwargs={'fields': ['name']})
            results = trap.perform_enqueued_jobs()

        self.assertEqual(results, ['Exported with external ID %s.' % binding.external_id])
        customer = self.machine.read('customers', binding.external_id)
        self.assertEqual(customer['name'], 'Alan M. Turing')
        self.assertEqual(customer['email'], 'turing@example.com')
        self.assertEqual(job.model_name, 'coffee.res.partner')

    def test_write_through_the_binding_delays_one_export(self):
        binding = self.bind_partner()

        with trap_jobs() as trap:
            binding.write({'name': 'Alan M. Turing'})

        # fired for coffee.res.partner and for res.partner: the identity key keeps one job
        trap.assert_jobs_count(1, only=export_record)

    def test_unmapped_field_change_exports_nothing(self):
        binding = self.bind_partner()
        exporter = self.unit(Exporter, 'coffee.res.partner')

        with trap_jobs() as trap:
            self.partner.write({'comment': 'Prefers tea'})
        trap.assert_jobs_count(0)
        self.assertEqual(exporter.run(binding, fields=['comment']), 'Nothing to export.')

    def test_unlinked_binding_is_deleted_on_the_machine(self):
        binding = self.bind_partner()
        external_id = binding.external_id

        with trap_jobs() as trap:
            binding.unlink()
            trap.assert_enqueued_job(export_delete_record, args=(
                'coffee.res.partner', self.backend.id, external_id))
            trap.perform_enqueued_jobs()

        self.assertEqual(self.machine.search('customers'), [])

    def test_offline_machine_raises_a_retryable_error(self):
        binding = self.env['coffee.res.partner'].with_context(connector_no_export=True).create(
            {'odoo_id': self.partner.id, 'backend_id': self.backend.id})
        self.machine.online = False

        with self.assertRaises(NetworkRetryableError):
            export_record(self.session, 'coffee.res.partner', binding.id)
        self.assertFalse(binding.external_id)

    def test_related_action_opens_the_partner(self):
        with trap_jobs() as trap:
            binding = self.env['coffee.res.partner'].create({
                'odoo_id': self.partner.id, 'backend_id': self.backend.id})
        job = trap.assert_enqueued_job(export_record, args=('coffee.res.partner', binding.id))

        action = unwrap_binding(self.session, job)

        self.assertEqual((action['res_model'], action['res_id']), ('res.partner',
                                                                    self.partner.id))
        with mock.patch.object(CoffeeBinder, 'unwrap_model', side_effect=ValueError):
            action = unwrap_binding(self.session, job)
        self.assertEqual((action['res_model'], action['res_id']),
                         ('coffee.res.partner', binding.id),
                         'the binding itself when the binder cannot unwrap it')
        binding.with_context(connector_no_export=True).unlink()
        self.assertIsNone(unwrap_binding(self.session, job),
                          'nothing to open once the binding is gone')


class TestExportCustomer2900(CoffeeCase):

    version = '2900'

    def test_version_mapper_splits_the_name(self):
        external_id = self.add_customer()
        import_record(self.session, 'coffee.res.partner', self.backend.id, external_id)
        binding = self.binding_of('coffee.res.partner', external_id)

        with trap_jobs() as trap:
            binding.odoo_id.write({'name': 'Ada King Lovelace'})
            trap.perform_enqueued_jobs()

        customer = self.machine.read('customers', external_id)
        self.assertEqual((customer['first_name'], customer['last_name']),
                         ('Ada', 'King Lovelace'))


class TestExportOrder(CoffeeCase):

    def test_order_is_exported_with_its_customer_and_lines(self):
        partner = self.env['res.partner'].create({'name': 'Alan Turing'})
        order = self.env['sale.order'].create({
            'partner_id': partner.id, 'client_order_ref': 'ODOO-1',
            'order_line': [(0, 0, {'product_id': self.espresso.id, 'product_uom_qty': 2,
                                   'price_unit': 1.5})]})
        binding = self.env['coffee.sale.order'].with_context(connector_no_export=True).create(
            {'odoo_id': order.id, 'backend_id': self.backend.id})

        self.unit(Exporter, 'coffee.sale.order').run(binding)

        customer_binding = self.binding_of('coffee.res.partner',
                                           partner.coffee_bind_ids.external_id)
        self.assertEqual(customer_binding.odoo_id, partner, 'customer exported first')
        exported = self.machine.read('orders', binding.external_id)
        self.assertEqual(exported, {
            'id': binding.external_id, 'reference': 'ODOO-1',
            'customer_id': customer_binding.external_id,
            'lines': [{'drink': 'ESPRESSO', 'quantity': 2.0, 'price': 1.5}]})


class TestConcurrentExport(CommittedCoffeeCase):

    def test_export_of_a_binding_locked_by_another_transaction_is_retried(self):
        machine = CoffeeMachine.plug('memory://concurrent')
        self.addCleanup(CoffeeMachine.unplug, 'memory://concurrent')
        with self.registry.cursor() as cr:
            binding_id = self.committed_env(cr)['coffee.res.partner'].create({
                'odoo_id': self.partner_ids[0], 'backend_id': self.backend_id}).id
        other_cr = self.registry.cursor()
        self.addCleanup(other_cr.close)
        other_cr.execute('SELECT id FROM coffee_res_partner WHERE id = %s FOR UPDATE',
                         (binding_id,))
        session = ConnectorSession.from_env(self.env)

        with self.assertRaises(RetryableJobError) as raised:
            export_record(session, 'coffee.res.partner', binding_id)

        self.assertTrue(raised.exception.ignore_retry)
        self.assertEqual(machine.search('customers'), [], 'nothing sent to the machine')
