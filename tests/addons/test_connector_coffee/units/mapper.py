"""Mappers between the coffee machine's records and Odoo's, for both versions."""
from odoo.addons.connector.exception import MappingError
from odoo.addons.connector.unit.mapper import (
    ExportMapper, ImportMapChild, ImportMapper, backend_to_m2o, changed_by, convert,
    follow_m2o_relations, m2o_to_backend, mapping, none, only_create)

from ..backend import coffee, coffee2900


# --- customers -----------------------------------------------------------------------------

@coffee
class CustomerImportMapper(ImportMapper):
    _model_name = 'coffee.res.partner'

    direct = [('email', 'email'),
              ('badge', 'badge')]

    @changed_by('name')
    @mapping
    def name(self, record):
        return {'name': record['name']}

    @only_create
    @mapping
    def customer(self, record):
        return {'customer': True}


@coffee2900
class Customer2900ImportMapper(CustomerImportMapper):
    """The 2900 splits the name in two."""

    @changed_by('first_name', 'last_name')
    @mapping
    def name(self, record):
        return {'name': '%s %s' % (record['first_name'], record['last_name'])}


@coffee
class CustomerExportMapper(ExportMapper):
    _model_name = 'coffee.res.partner'

    direct = [('name', 'name'),
              (none('email'), 'email'),
              ('badge', 'badge')]


@coffee2900
class Customer2900ExportMapper(ExportMapper):
    _model_name = 'coffee.res.partner'

    direct = [(none('email'), 'email'),
              ('badge', 'badge')]

    @changed_by('name')
    @mapping
    def names(self, record):
        first_name, _space, last_name = record.name.partition(' ')
        return {'first_name': first_name, 'last_name': last_name}


# --- orders --------------------------------------------------------------------------------

@coffee
class OrderImportMapper(ImportMapper):
    _model_name = 'coffee.sale.order'

    direct = [('reference', 'client_order_ref'),
              (backend_to_m2o('customer_id', binding='coffee.res.partner'), 'partner_id')]
    children = [('lines', 'order_line', 'sale.order.line')]

    @only_create
    @mapping
    def origin(self, record):
        return {'origin': 'Coffee machine %s' % self.backend_record.name}


@coffee
class OrderLineImportMapper(ImportMapper):
    _model_name = 'sale.order.line'

    direct = [(convert('quantity', float), 'product_uom_qty'),
              (convert('price', float), 'price_unit')]

    @changed_by('drink')
    @mapping
    def product(self, record):
        product = self.env['product.product'].search([('default_code', '=', record['drink'])],
                                                     limit=1)
        if not product:
            raise MappingError('No product has the code of drink %r' % record['drink'])
        return {'product_id': product.id, 'name': product.display_name,
                'product_uom': product.uom_id.id}


@coffee
class OrderLineImportMapChild(ImportMapChild):
    """Lines of nothing (a cancelled drink) are not imported."""

    _model_name = 'sale.order.line'

    def skip_item(self, map_record):
        return not map_record.source.get('quantity')


@coffee
class OrderExportMapper(ExportMapper):
    _model_name = 'coffee.sale.order'

    direct = [('client_order_ref', 'reference'),
              (m2o_to_backend('partner_id', binding='coffee.res.partner'), 'customer_id')]
    children = [('order_line', 'lines', 'sale.order.line')]


@coffee
class OrderLineExportMapper(ExportMapper):
    _model_name = 'sale.order.line'

    direct = [(follow_m2o_relations('product_id.default_code'), 'drink'),
              ('product_uom_qty', 'quantity'),
              ('price_unit', 'price')]
