"""What the coffee connector tests share: a plugged machine, a backend, drinks."""
import itertools

from odoo import SUPERUSER_ID, api
from odoo.tests.common import TransactionCase

from odoo.addons.connector.session import ConnectorSession
from odoo.addons.connector.unit.binder import Binder

from ..fake_api import CoffeeMachine

_locations = itertools.count(1)


class CoffeeCase(TransactionCase):
    """A coffee machine plugged for the test, its backend record, and two drinks."""

    version = '1900'

    def setUp(self):
        super().setUp()
        self.location = 'memory://coffee-test-%d' % next(_locations)
        self.machine = CoffeeMachine.plug(self.location)
        self.addCleanup(CoffeeMachine.unplug, self.location)
        self.backend = self.env['coffee.backend'].create({
            'name': 'Office', 'version': self.version, 'location': self.location})
        self.session = ConnectorSession.from_env(self.env)
        self.espresso = self.env['product.product'].create({
            'name': 'Espresso', 'default_code': 'ESPRESSO', 'list_price': 1.5})
        self.cappuccino = self.env['product.product'].create({
            'name': 'Cappuccino', 'default_code': 'CAPPUCCINO', 'list_price': 2.0})

    def add_customer(self, **values):
        """Create a customer on the machine; return its external ID."""
        record = {'name': 'Ada Lovelace', 'email': 'ada@example.com', 'badge': 'B-1',
                  'updated_at': '2018-01-01 10:00:00'}
        if self.version == '2900':
            del record['name']
            record.update(first_name='Ada', last_name='Lovelace')
        record.update(values)
        return self.machine.create('customers', record)

    def add_order(self, customer_id, lines, **values):
        """Create an order on the machine; return its external ID."""
        record = {'reference': 'CM-1', 'customer_id': customer_id, 'lines': lines,
                  'updated_at': '2018-01-02 08:00:00'}
        record.update(values)
        return self.machine.create('orders', record)

    def unit(self, base_class, model_name, backend=None):
        """The unit of kind ``base_class`` for ``model_name`` on the backend."""
        connector_env = (backend or self.backend).get_environment(model_name,
                                                                  session=self.session)
        return connector_env.get_connector_unit(base_class)

    def binding_of(self, model_name, external_id):
        return self.unit(Binder, model_name).to_openerp(external_id)



class CommittedCoffeeCase(TransactionCase):
    """A backend and two partners committed by a separate cursor, so that concurrent
    transactions see them (nobody sees the test's own transaction); deleted at the end."""

    # Odoo's runner runs at-install tests while it holds the registry being loaded: other
    # threads and cursors of these tests would wait on it. After install, they do not.
    at_install = False
    post_install = True

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = self.committed_env(cr)
            backend = env['coffee.backend'].create({
                'name': 'Concurrent', 'version': '1900', 'location': 'memory://concurrent'})
            partners = env['res.partner'].create({'name': 'First'}) | \
                env['res.partner'].create({'name': 'Second'})
            self.backend_id, self.partner_ids = backend.id, partners.ids
        self.addCleanup(self.delete_committed_records)

    @staticmethod
    def committed_env(cr):
        return api.Environment(cr, SUPERUSER_ID, {'connector_no_export': True})

    def delete_committed_records(self):
        with self.registry.cursor() as cr:
            env = self.committed_env(cr)
            env['coffee.res.partner'].search([('backend_id', '=', self.backend_id)]).unlink()
            env['res.partner'].browse(self.partner_ids).unlink()
            env['coffee.backend'].browse(self.backend_id).unlink()
