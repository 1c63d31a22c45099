"""The ``external.binding`` abstract model: the link of an Odoo record with a backend record.

It gives every concrete binding model the database-level uniqueness of its bindings.
"""
import hashlib

from odoo import api, fields, models, tools

from ..unit.binder import Binder

MAX_IDENTIFIER_LENGTH = 63  # PostgreSQL truncates longer names (NAMEDATALEN - 1)


def binding_index_name(table, suffix):
    """Name of a binding index, kept distinct when PostgreSQL would truncate it."""
    name = '%s_%s' % (table, suffix)
    if len(name) <= MAX_IDENTIFIER_LENGTH:
        return name
    digest = hashlib.sha1(table.encode('utf-8')).hexdigest()[:8]
    keep = MAX_IDENTIFIER_LENGTH - len(suffix) - len(digest) - 2
    return '%s_%s_%s' % (table[:keep], digest, suffix)


class ExternalBinding(models.AbstractModel):
    """Base of the binding models: an Odoo record as known by one backend.

    A concrete binding ``_inherits`` the Odoo record through ``odoo_id`` and points to its
    backend with ``backend_id``; it stores the backend's ID of the record and any
    backend-specific data. The database holds one binding at most per (backend, external
    ID) and per (backend, Odoo record): unique indexes are created for every concrete
    binding model when its table is created or updated, so two concurrent imports of the
    same record cannot both create a binding (the second one fails and is retried).

    Usage::

        class CoffeeResPartner(models.Model):
            _name = 'coffee.res.partner'
            _inherit = 'external.binding'
            _inherits = {'res.partner': 'odoo_id'}
            _description = 'Coffee Machine Customer'

            odoo_id = fields.Many2one('res.partner', string='Partner', required=True,
                                      ondelete='cascade')
            backend_id = fields.Many2one('coffee.backend', required=True,
                                         ondelete='restrict')
            badge_number = fields.Char()
    """

    _name = 'external.binding'
    _description = 'External Binding (abstract)'

    # a Char: 0 and '007' are valid IDs on some backends
    external_id = fields.Char(string='ID on the Backend', copy=False, readonly=True)
    sync_date = fields.Datetime(string='Last Synchronization Date', copy=False,
                                readonly=True)

    @api.model_cr_context
    def _auto_init(self):
        result = super()._auto_init()
        if self._auto and not self._abstract:
            for index_name, columns, _message in self._binding_unique_indexes():
                tools.create_unique_index(self._cr, index_name, self._table,
                                          ['"%s"' % column for column in columns])
        return result

    @api.model
    def _setup_complete(self):
        super()._setup_complete()
        if not self._abstract:
            # the RPC layer shows this message instead of PostgreSQL's on a violation
            for index_name, _columns, message in self._binding_unique_indexes():
                self.pool._sql_error[index_name] = message

    @api.model
    def _binding_unique_indexes(self):
        """``(index name, columns, message)`` of the unique indexes of a binding model."""
        if Binder._backend_field not in self._fields:
            raise ValueError('Binding model %s must define %s, a Many2one to its backend '
                             'model' % (self._name, Binder._backend_field))
        indexes = [(binding_index_name(self._table, 'backend_external_uniq'),
                    (Binder._backend_field, Binder._external_field),
                    'A binding with the same ID on the backend already exists.')]
        if Binder._odoo_field in self._fields:
            indexes.append((binding_index_name(self._table, 'backend_odoo_uniq'),
                            (Binder._backend_field, Binder._odoo_field),
                            'This record is already bound to the backend.'))
        return indexes
