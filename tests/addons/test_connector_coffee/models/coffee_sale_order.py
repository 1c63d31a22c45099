"""The ``coffee.sale.order`` binding: a sale order as an order of a coffee machine."""
from odoo import fields, models


class CoffeeSaleOrder(models.Model):
    """An order of a coffee machine, bound to an Odoo sale order."""

    _name = 'coffee.sale.order'
    _inherit = 'coffee.binding'
    _inherits = {'sale.order': 'odoo_id'}
    _description = 'Coffee Machine Order'

    odoo_id = fields.Many2one('sale.order', string='Sale Order', required=True,
                              ondelete='cascade')


class SaleOrder(models.Model):
    _inherit = 'sale.order'

    coffee_bind_ids = fields.One2many('coffee.sale.order', 'odoo_id',
                                      string='Coffee Machine Bindings')
