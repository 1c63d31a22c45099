"""Importers of the coffee machine: customers, orders (with their customer), batches."""
from odoo.addons.connector.unit.synchronizer import (
    DelayedBatchImporter, DirectBatchImporter, Importer)

from ..backend import coffee
from ..jobs import import_record


class CoffeeImporter(Importer):
    """Skips a record the machine did not change since the last import."""

    def _is_uptodate(self, binding):
        # both are UTC 'YYYY-MM-DD HH:MM:SS' strings: they compare as dates
        return bool(binding.sync_date) and \
            self.external_record['updated_at'] <= binding.sync_date


@coffee
class CustomerImporter(CoffeeImporter):
    _model_name = 'coffee.res.partner'

    def _after_import(self, binding):
        if not binding.email:
            self.backend_record.add_checkpoint(
                binding.odoo_id, message='Customer %s has no email address' % binding.name)


@coffee
class OrderImporter(CoffeeImporter):
    _model_name = 'coffee.sale.order'

    def _import_dependencies(self):
        self._import_dependency(self.external_record['customer_id'], 'coffee.res.partner')


@coffee
class CustomerBatchImporter(DirectBatchImporter):
    """Customers are few: imported at once."""

    _model_name = 'coffee.res.partner'


@coffee
class OrderBatchImporter(DelayedBatchImporter):
    """Orders are many: one job each."""

    _model_name = 'coffee.sale.order'
    _import_record_job = import_record
    _job_options = {'priority': 20}
