"""Backends: the external systems (service and version) and the ConnectorUnits registered on them.

A pure-Python registry: a connector declares its Backends once, registers its units on them,
and asks a Backend for the unit to use for a model.
"""
from .addon import addon_name
from .exception import AmbiguousConnectorUnitError, NoBackendError, NoConnectorUnitError


class BackendRegistry(object):
    """All the Backends declared by the loaded addons.

    Usage::

        BACKENDS.get_backend('coffee', '1900')    # <Backend 'coffee', '1900'>
        BACKENDS.versions('coffee')               # [('1900', 'Coffee 1900'), ...]
    """

    def __init__(self):
        self.backends = []

    def register_backend(self, backend):
        for known in self.backends:
            if (known.service, known.version) == (backend.service, backend.version):
                raise ValueError('%r is already declared' % known)
        self.backends.append(backend)

    def get_backend(self, service, version=None):
        """The Backend declared for ``service`` and ``version``.

        :raise NoBackendError: when none is declared
        """
        for backend in self.backends:
            if backend.match(service, version):
                return backend
        raise NoBackendError('No backend declared for service %r, version %r'
                             % (service, version))

    def versions(self, service):
        """The ``(version, label)`` of every versioned Backend of ``service``.

        The ``version`` selection of a backend model is built from it, so a version is
        declared once, in Python.
        """
        return [(backend.version, backend.label) for backend in self.backends
                if backend.service == service and backend.version]


BACKENDS = BackendRegistry()


def get_backend(service, version=None):
    """Shortcut to ``BACKENDS.get_backend``."""
    return BACKENDS.get_backend(service, version)


class _UnitEntry(object):
    """A ConnectorUnit class registered on a Backend, and the entries that replace it."""

    def __init__(self, cls):
        self.cls = cls
        self.addon = addon_name(cls)
        self.replaced_by = []
        self.replacing = []

    def __repr__(self):
        return '%s.%s' % (self.cls.__module__, self.cls.__qualname__)


class Backend(object):
    """An external system, or a version of it, on which ConnectorUnits are registered.

    A Backend is a service (``'magento'``) and optionally a version (``'1.7'``). A Backend
    with a ``parent`` inherits the parent's service and, at lookup, the parent's units.

    Two ways to change a unit:

    * vertically, by version: a child Backend registers its own unit for a model; it is
      found before the parent's one::

          magento                 <- MagentoPartnerImporter
           └── magento1700        <- Magento1700PartnerImporter (wins on magento1700)

    * horizontally, by addon: an optional addon registers a unit with
      ``replacing=TheOldUnit``; while that addon is installed, the old unit is no longer a
      candidate. Use it sparingly: two addons replacing the same unit are ambiguous.

    Only units of addons installed in the database are candidates. Several candidates
    raise :class:`AmbiguousConnectorUnitError`, which lists them.

    :param service: name of the external system; taken from ``parent`` when omitted
    :param version: version of the external system (``None`` for the service itself)
    :param parent: the Backend this one specializes
    :param label: the version as shown in the backend form (default: the version)
    :param registry: where to declare it (default: :data:`BACKENDS`)

    Usage::

        coffee = Backend('coffee')
        coffee1900 = Backend(parent=coffee, version='1900', label='Coffee Machine 1900')

        @coffee
        class CoffeeAdapter(CRUDAdapter):
            _model_name = 'coffee.order'

        @coffee1900(replacing=CoffeeAdapter)
        class Coffee1900Adapter(CoffeeAdapter):
            ...

        coffee1900.get_class(CRUDAdapter, session, 'coffee.order')   # Coffee1900Adapter
    """

    def __init__(self, service=None, version=None, parent=None, label=None, registry=None):
        if service is None and parent is None:
            raise ValueError('A Backend needs a service or a parent')
        self._service = service
        self.version = version
        self.parent = parent
        self.label = label or version
        self._entries = []
        (registry if registry is not None else BACKENDS).register_backend(self)

    @property
    def service(self):
        return self._service if self._service is not None else self.parent.service

    def match(self, service, version):
        return self.service == service and self.version == version

    def __repr__(self):
        if self.version:
            return '<Backend %r, %r>' % (self.service, self.version)
        return '<Backend %r>' % self.service

    # --- registration -------------------------------------------------------------------

    def register_class(self, cls, replacing=None):
        """Register the ConnectorUnit class ``cls`` on this backend.

        :param replacing: a unit class, or several, registered on this backend, that
                          ``cls`` replaces while the addon of ``cls`` is installed
        """
        if not cls._model_name:
            raise ValueError('%s has no _model_name: set it to the model(s) it serves'
                             % cls.__name__)
        entry = _UnitEntry(cls)
        for replaced_cls in _as_tuple(replacing):
            if replaced_cls is cls:
                raise ValueError('%s cannot replace itself' % cls.__name__)
            replaced = self._entry_of(replaced_cls)
            if replaced is None:
                raise ValueError('%s cannot replace %s: it is not registered on %r'
                                 % (cls.__name__, replaced_cls.__name__, self))
            replaced.replaced_by.append(entry)
            entry.replacing.append(replaced)
        self._entries.append(entry)
        return cls

    def __call__(self, cls=None, replacing=None):
        """Decorator form of :meth:`register_class`: ``@backend`` or
        ``@backend(replacing=OldUnit)``."""
        if cls is None:
            return lambda cls: self.register_class(cls, replacing=replacing)
        return self.register_class(cls, replacing=replacing)

    def _entry_of(self, cls):
        for entry in self._entries:
            if entry.cls is cls:
                return entry
        return None

    # --- lookup -------------------------------------------------------------------------

    def get_class(self, base_class, session, model_name):
        """The unit class to use for ``model_name``, a subclass of ``base_class``.

        Searches this backend, then its parents, and stops at the first that has
        candidates.

        :param session: tells which addons are installed (``is_module_installed``)
        :raise NoConnectorUnitError: when no backend of the chain has one
        :raise AmbiguousConnectorUnitError: when a backend has several
        """
        backend = self
        while backend is not None:
            candidates = backend._candidates(base_class, session, model_name)
            if len(candidates) == 1:
                return candidates[0]
            if candidates:
                raise AmbiguousConnectorUnitError(
                    'Several %s found on %r for model %r: %s. Register one of them with '
                    'replacing= the others.' % (
                        base_class.__name__, backend, model_name,
                        ', '.join(sorted(cls.__qualname__ for cls in candidates))))
            backend = backend.parent
        raise NoConnectorUnitError('No %s found on %r (or its parents) for model %r'
                                   % (base_class.__name__, self, model_name))

    def _candidates(self, base_class, session, model_name):
        """The matching unit classes of this backend once replacements apply."""
        effective = []
        for entry in self._entries:
            if entry.replacing:
                continue  # reached through the entry it replaces
            for effective_entry in _effective_entries(entry, session):
                if effective_entry not in effective:
                    effective.append(effective_entry)
        return [entry.cls for entry in effective
                if issubclass(entry.cls, base_class) and entry.cls.match(session, model_name)]


def _effective_entries(entry, session):
    """What stands for ``entry``: its installed replacements, else itself if installed.

    A replacement whose addon is not installed does not count, so the unit it would have
    replaced stays in use.
    """
    replacements = []
    for replacement in entry.replaced_by:
        replacements.extend(_effective_entries(replacement, session))
    if replacements:
        return replacements
    return [entry] if session.is_module_installed(entry.addon) else []


def _as_tuple(value):
    if value is None:
        return ()
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(value)
    return (value,)
