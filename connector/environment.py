"""The ConnectorEnvironment: the scope of one synchronization (a backend, a session, a model).

Connector units are looked up and instantiated through it.
"""
from .session import ConnectorSession


class ConnectorEnvironment(object):
    """The backend record, the session and the model a synchronization works with.

    ``lang`` gives the environment a session of its own whose context has that language;
    the session passed in is left untouched (the classic ``set_lang`` changed the caller's
    context in place, so the language leaked into everything that shared the session).

    Subclasses that carry more (an API client, say) list those attributes in
    ``_propagate_kwargs``: :meth:`create_environment` copies them into the environments
    that units create for other models.

    :param backend_record: record of a concrete ``connector.backend`` model
    :param session: the :class:`~odoo.addons.connector.session.ConnectorSession`
    :param model_name: name of the model to synchronize (usually a binding model)
    :param lang: optional language code for the records read and written

    Usage::

        backend = env['coffee.backend'].browse(backend_id)
        connector_env = ConnectorEnvironment(backend, session, 'coffee.order', lang='fr_FR')
        importer = connector_env.get_connector_unit(Importer)
        importer.run(external_id)
    """

    _propagate_kwargs = []

    def __init__(self, backend_record, session, model_name, lang=None):
        self.backend_record = backend_record
        self.backend = backend_record.get_backend()
        if lang and lang != session.context.get('lang'):
            session = ConnectorSession(session.cr, session.uid,
                                       context=dict(session.context, lang=lang))
        self.session = session
        self.model_name = model_name

    @property
    def env(self):
        return self.session.env

    @property
    def model(self):
        return self.env[self.model_name]

    @property
    def lang(self):
        return self.session.context.get('lang')

    def get_connector_unit(self, base_class):
        """An instance of the unit registered on the backend for this model.

        :param base_class: the kind of unit wanted (``Binder``, ``ImportMapper``, ...)
        :raise NoConnectorUnitError: when none is registered
        :raise AmbiguousConnectorUnitError: when several are
        """
        unit_class = self.backend.get_class(base_class, self.session, self.model_name)
        return unit_class(self)

    @classmethod
    def create_environment(cls, backend_record, session, model_name, connector_env=None):
        """A new environment for ``model_name``, carrying over the ``_propagate_kwargs``
        attributes of ``connector_env``."""
        kwargs = {}
        if connector_env is not None:
            kwargs = {name: getattr(connector_env, name) for name in cls._propagate_kwargs}
        return cls(backend_record, session, model_name, **kwargs)

    def __repr__(self):
        return '<ConnectorEnvironment %r %s %s>' % (self.backend, self.backend_record,
                                                    self.model_name)
