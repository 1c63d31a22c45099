"""The ``connector.backend`` abstract model: the record of an external system's instance.

Connectors inherit it with their ``_backend_type``; the Python Backend comes from it.
"""
from odoo import api, fields, models

from ..backend import BACKENDS
from ..environment import ConnectorEnvironment
from ..session import ConnectorSession


class ConnectorBackend(models.AbstractModel):
    """An instance of an external system (a shop, a coffee machine), as a record.

    ``_backend_type`` is the service of the Python Backends; the ``version`` selection
    lists the versions declared by those Backends, so a version is declared once.

    Usage::

        class CoffeeBackend(models.Model):
            _name = 'coffee.backend'
            _inherit = 'connector.backend'
            _description = 'Coffee Machine'
            _backend_type = 'coffee'

            location = fields.Char(required=True)

        backend_record.get_backend()          # <Backend 'coffee', '1900'>
        importer = backend_record.get_environment('coffee.res.partner').get_connector_unit(
            Importer)
        backend_record.add_checkpoint(partner, message='Check the VAT number')
    """

    _name = 'connector.backend'
    _description = 'Connector Backend'
    _backend_type = None

    name = fields.Char(required=True)
    version = fields.Selection(selection='_select_versions', required=True)

    @api.model
    def _select_versions(self):
        return BACKENDS.versions(self._backend_type)

    @api.multi
    def get_backend(self):
        """The Python Backend of this record's service and version."""
        self.ensure_one()
        if not self._backend_type:
            raise ValueError('%s has no _backend_type: set it to the service of its '
                             'Backends' % self._name)
        return BACKENDS.get_backend(self._backend_type, self.version)

    @api.multi
    def get_environment(self, model_name, session=None, lang=None):
        """The :class:`ConnectorEnvironment` to synchronize ``model_name`` with this backend.

        :param session: the session to work in (default: one over this record's env)
        :param lang: language of the records read and written
        """
        self.ensure_one()
        return ConnectorEnvironment(self, session or ConnectorSession.from_env(self.env),
                                    model_name, lang=lang)

    @api.multi
    def add_checkpoint(self, record=None, message=None):
        """Ask the Connector Managers to review ``record`` (and/or read ``message``).

        Created as superuser: the user running the synchronization usually has no access
        to checkpoints, and the review is not theirs to do.

        :return: the ``connector.checkpoint``
        """
        self.ensure_one()
        # a backend with a company files its checkpoints there, else the acting user's
        company = self.company_id if 'company_id' in self._fields else self.env.user.company_id
        return self.env['connector.checkpoint'].sudo().create_for(
            self, record=record, message=message, company=company)
