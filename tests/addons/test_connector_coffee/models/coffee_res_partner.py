"""The ``coffee.res.partner`` binding: a partner as a customer of a coffee machine."""
from odoo import fields, models


class CoffeeResPartner(models.Model):
    """A customer of a coffee machine, bound to an Odoo partner."""

    _name = 'coffee.res.partner'
    _inherit = 'coffee.binding'
    _inherits = {'res.partner': 'odoo_id'}
    _description = 'Coffee Machine Customer'

    odoo_id = fields.Many2one('res.partner', string='Partner', required=True,
                              ondelete='cascade')
    badge = fields.Char(help='Badge number of the customer on the machine')


class ResPartner(models.Model):
    _inherit = 'res.partner'

    coffee_bind_ids = fields.One2many('coffee.res.partner', 'odoo_id',
                                      string='Coffee Machine Bindings')
