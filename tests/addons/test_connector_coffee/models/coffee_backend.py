"""The ``coffee.backend`` model: one coffee machine, where it answers and its version."""
from odoo import api, fields, models

from odoo.addons.connector.unit.synchronizer import BatchImporter


class CoffeeBackend(models.Model):
    """A coffee machine; its ``version`` lists the versions declared in ``backend.py``."""

    _name = 'coffee.backend'
    _inherit = 'connector.backend'
    _description = 'Coffee Machine'
    _backend_type = 'coffee'

    location = fields.Char(required=True, help='Where the coffee machine answers.')
    company_id = fields.Many2one('res.company', string='Company', required=True,
                                 default=lambda self: self.env.user.company_id)

    @api.multi
    def import_customers(self):
        """Import every customer of the machines, now."""
        self._import_batch('coffee.res.partner')
        return True

    @api.multi
    def import_orders(self):
        """Delay one import job per order of the machines."""
        self._import_batch('coffee.sale.order')
        return True

    @api.multi
    def _import_batch(self, model_name, filters=None):
        for backend in self:
            connector_env = backend.get_environment(model_name)
            connector_env.get_connector_unit(BatchImporter).run(filters=filters)
