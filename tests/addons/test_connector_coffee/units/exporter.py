"""Exporters of the coffee machine: customers, and orders with their customer."""
from odoo.addons.connector.unit.synchronizer import Exporter

from ..backend import coffee


@coffee
class CustomerExporter(Exporter):
    _model_name = 'coffee.res.partner'


@coffee
class OrderExporter(Exporter):
    _model_name = 'coffee.sale.order'

    def _export_dependencies(self):
        self._export_dependency(self.binding.partner_id, 'coffee.res.partner')
