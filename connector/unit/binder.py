"""Binders: the link between an external ID and the Odoo record bound to it.

The default Binder works for every binding model built on ``external.binding``.
"""
from odoo import fields

from .connector_unit import ConnectorUnit


class Binder(ConnectorUnit):
    """Finds the binding of an external ID, the external ID of a binding, and binds them.

    A binding model (``coffee.res.partner``) has ``backend_id``, ``external_id``,
    ``sync_date`` and ``odoo_id``, the Odoo record it ``_inherits``
    (see ``external.binding``). Set the ``_*_field`` attributes to use other fields.

    Usage::

        @coffee
        class CoffeeBinder(Binder):
            _model_name = ['coffee.res.partner', 'coffee.sale.order']

        binder = importer.binder_for('coffee.res.partner')
        binding = binder.to_openerp('42')                 # coffee.res.partner(7,)
        partner = binder.to_openerp('42', unwrap=True)    # res.partner(12,)
        binder.to_backend(partner, wrap=True)             # '42'
        binder.bind('42', binding)
    """

    _external_field = 'external_id'
    _backend_field = 'backend_id'
    _odoo_field = 'odoo_id'
    _sync_date_field = 'sync_date'

    def to_openerp(self, external_id, unwrap=False):
        """The binding of ``external_id`` on this backend (an empty recordset if none).

        Archived bindings are found too.

        :param unwrap: return the Odoo record behind the binding instead
        """
        bindings = self.model.with_context(active_test=False).search([
            (self._external_field, '=', str(external_id)),
            (self._backend_field, '=', self.backend_record.id),
        ])
        if bindings:
            bindings.ensure_one()  # the unique index on (backend, external ID) allows one
        if unwrap:
            return bindings[self._odoo_field]
        return bindings

    def to_backend(self, record, wrap=False):
        """The external ID of ``record`` (a binding, or its id), ``None`` if it has none.

        :param wrap: ``record`` is the Odoo record (or its id): its binding on this
                     backend gives the external ID
        """
        if wrap:
            binding = self.wrap_record(record)
        else:
            binding = self.model.browse(record) if isinstance(record, int) else record
        if not binding:
            return None
        binding.ensure_one()
        return binding[self._external_field] or None

    def wrap_record(self, record):
        """The binding of the Odoo ``record`` (or its id) on this backend (an empty
        recordset if none). Archived bindings are found too."""
        record_id = record if isinstance(record, int) else record.id
        return self.model.with_context(active_test=False).search([
            (self._odoo_field, '=', record_id),
            (self._backend_field, '=', self.backend_record.id),
        ])

    def bind(self, external_id, binding):
        """Link ``binding`` (a record or an id) to ``external_id`` and stamp the
        synchronization date.

        The write carries ``connector_no_export`` so that it does not trigger an export.
        """
        if external_id is None or external_id is False or external_id == '':
            raise ValueError('Cannot bind %s to an empty external ID' % (binding,))
        if isinstance(binding, int):
            binding = self.model.browse(binding)
        if not binding:
            raise ValueError('Cannot bind external ID %r to no binding' % (external_id,))
        binding.with_context(connector_no_export=True).write({
            self._external_field: str(external_id),
            self._sync_date_field: fields.Datetime.now(),
        })

    def unwrap_binding(self, binding):
        """The Odoo record behind ``binding`` (a record or an id)."""
        if isinstance(binding, int):
            binding = self.model.browse(binding)
        return binding[self._odoo_field]

    def unwrap_model(self):
        """Name of the Odoo model behind this binding model.

        :raise ValueError: when the binding model has no ``odoo_id`` field
        """
        field = self.model._fields.get(self._odoo_field)
        if field is None:
            raise ValueError('%s has no %s field: it does not wrap an Odoo model'
                             % (self.model._name, self._odoo_field))
        return field.comodel_name
