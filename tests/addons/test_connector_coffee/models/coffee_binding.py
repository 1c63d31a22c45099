"""The ``coffee.binding`` abstract model: what every coffee machine binding has."""
from odoo import fields, models


class CoffeeBinding(models.AbstractModel):
    """A record bound to a coffee machine: ``external.binding`` with its backend."""

    _name = 'coffee.binding'
    _inherit = 'external.binding'
    _description = 'Coffee Machine Binding (abstract)'

    backend_id = fields.Many2one('coffee.backend', string='Coffee Machine', required=True,
                                 ondelete='restrict')
