"""The ConnectorUnit: base of every pluggable piece of a connector (mappers, binders, ...).

A unit serves one or several models and reaches the other units of its backend.
"""
from ..advisory_lock import try_advisory_xact_lock
from ..exception import RetryableJobError


class ConnectorUnit(object):
    """Base of the classes registered on a Backend and used for synchronizations.

    ``_model_name`` is the model (a str) or the models (a list) the unit serves; a unit
    registered on a backend must set it.

    .. attribute:: connector_env

        the :class:`~odoo.addons.connector.environment.ConnectorEnvironment` it works in;
        ``backend``, ``backend_record`` and ``session`` are taken from it

    Usage::

        @coffee
        class CoffeeOrderAddCheckpoint(ConnectorUnit):
            _model_name = ['coffee.order']

            def run(self, binding):
                self.backend_record.add_checkpoint(binding.odoo_id)

        partner_binder = unit.binder_for('coffee.res.partner')
        adapter = unit.unit_for(CRUDAdapter, model='coffee.res.partner')
    """

    _model_name = None

    def __init__(self, connector_env):
        self.connector_env = connector_env
        self.backend = connector_env.backend
        self.backend_record = connector_env.backend_record
        self.session = connector_env.session

    @classmethod
    def for_model_names(cls):
        """The models the unit serves, as a list."""
        if isinstance(cls._model_name, str):
            return [cls._model_name]
        return list(cls._model_name or [])

    @classmethod
    def match(cls, session, model):
        """Whether the unit serves ``model`` (a model name or a recordset)."""
        model_name = model if isinstance(model, str) else model._name
        return model_name in cls.for_model_names()

    @property
    def env(self):
        return self.session.env

    @property
    def model(self):
        return self.env[self.connector_env.model_name]

    def unit_for(self, connector_unit_class, model=None):
        """The unit of kind ``connector_unit_class`` for ``model`` (default: this unit's
        model) on the same backend and session.

        Usage::

            importer = self.unit_for(Importer, model='coffee.res.partner')
        """
        if model is None or model == self.connector_env.model_name:
            connector_env = self.connector_env
        else:
            connector_env = self.connector_env.create_environment(
                self.backend_record, self.session, model, connector_env=self.connector_env)
        return connector_env.get_connector_unit(connector_unit_class)

    def binder_for(self, model=None):
        """The :class:`~odoo.addons.connector.unit.binder.Binder` for ``model`` (default:
        this unit's model)."""
        # binder.py builds on this module: import at call time
        from .binder import Binder
        return self.unit_for(Binder, model=model)

    def advisory_lock_or_retry(self, lock_name, retry_seconds=1):
        """Hold the advisory lock ``lock_name`` until the end of the transaction, or raise
        :class:`~odoo.addons.connector.exception.RetryableJobError` if another transaction
        holds it (the job is then retried, not counted as a failure).

        Usage::

            self.advisory_lock_or_retry('import %s %s %s' % (
                self.model._name, self.backend_record.id, external_id))
        """
        if not try_advisory_xact_lock(self.env.cr, lock_name):
            raise RetryableJobError('Could not acquire advisory lock %r: another '
                                    'transaction holds it' % lock_name,
                                    seconds=retry_seconds, ignore_retry=True)
