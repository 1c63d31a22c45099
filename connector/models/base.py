"""Fires the record events (create, write, unlink) from every model, through ``base``.

Only databases where ``connector`` is installed have this override.
"""
from odoo import api, models

from ..event import on_record_create, on_record_unlink, on_record_write
from ..session import ConnectorSession


class Base(models.AbstractModel):
    """Every model fires ``on_record_create``, ``on_record_write`` and ``on_record_unlink``
    for the consumers of installed addons.

    Usage::

        @on_record_write(model_names='res.partner')
        def log_partner_write(session, model_name, record_id, vals):
            ...
    """

    _inherit = 'base'

    @api.model
    def create(self, vals):
        record = super().create(vals)
        if on_record_create.has_consumers(self._name):
            session = ConnectorSession.from_env(self.env)
            on_record_create.fire(session, self._name, record.id, dict(vals))
        return record

    @api.multi
    def write(self, vals):
        result = super().write(vals)
        if on_record_write.has_consumers(self._name):
            session = ConnectorSession.from_env(self.env)
            for record_id in self.ids:
                on_record_write.fire(session, self._name, record_id, dict(vals))
        return result

    @api.multi
    def unlink(self):
        # fired before the deletion: consumers still read the record and its bindings
        if on_record_unlink.has_consumers(self._name):
            session = ConnectorSession.from_env(self.env)
            for record_id in self.ids:
                on_record_unlink.fire(session, self._name, record_id)
        return super().unlink()
