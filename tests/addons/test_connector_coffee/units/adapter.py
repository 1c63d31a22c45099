"""Adapters: the coffee machine's API, with its failures turned into retryable errors."""
from odoo.addons.connector.exception import IDMissingInBackend
from odoo.addons.connector.unit.backend_adapter import CRUDAdapter

from ..backend import coffee
from ..fake_api import MACHINES, CoffeeMachineNotFound


class CoffeeAdapter(CRUDAdapter):
    """The operations on one collection of the machine (``_collection``)."""

    _collection = None

    @property
    def machine(self):
        return MACHINES[self.backend_record.location]

    def search(self, filters=None):
        with self.retry_on_network_errors():
            return self.machine.search(self._collection, filters)

    def read(self, external_id):
        with self.retry_on_network_errors():
            try:
                return self.machine.read(self._collection, external_id)
            except CoffeeMachineNotFound:
                raise IDMissingInBackend('No %s %s on the machine'
                                         % (self._collection, external_id))

    def create(self, values):
        with self.retry_on_network_errors():
            return self.machine.create(self._collection, values)

    def write(self, external_id, values):
        with self.retry_on_network_errors():
            self.machine.write(self._collection, external_id, values)

    def delete(self, external_id):
        with self.retry_on_network_errors():
            self.machine.delete(self._collection, external_id)


@coffee
class CustomerAdapter(CoffeeAdapter):
    _model_name = 'coffee.res.partner'
    _collection = 'customers'


@coffee
class OrderAdapter(CoffeeAdapter):
    _model_name = 'coffee.sale.order'
    _collection = 'orders'
