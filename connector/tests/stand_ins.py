"""Stand-ins for the Odoo side (session, models, backend record) so that the pure-Python
core (backends, units, mappers, events) is tested without a database."""
from odoo.addons.connector.backend import Backend, BackendRegistry
from odoo.addons.connector.environment import ConnectorEnvironment


class Session(object):
    """A session of a database where ``addons`` are installed (``connector`` by default:
    the units defined in these tests come from ``odoo.addons.connector.tests``)."""

    def __init__(self, addons=('connector',), models=None, context=None):
        self.addons = set(addons)
        self.env = {name: Model(name, fields) for name, fields in (models or {}).items()}
        self.context = dict(context or {})

    def is_module_installed(self, module_name):
        return module_name in self.addons


class Field(object):
    def __init__(self, type_, comodel_name=None):
        self.type = type_
        self.comodel_name = comodel_name


class Model(object):
    """A model with its fields: ``{'partner_id': Field('many2one', 'res.partner')}``."""

    def __init__(self, name, fields):
        self._name = name
        self._fields = dict(fields)


class BackendRecord(object):
    """A backend record whose ``get_backend`` gives ``backend``."""

    id = 1
    display_name = 'Test Backend'

    def __init__(self, backend):
        self.backend = backend

    def get_backend(self):
        return self.backend


def new_backend(service='test', version=None, parent=None):
    """A Backend in a registry of its own, so tests never touch the global one."""
    return Backend(service, version=version, parent=parent, registry=BackendRegistry())


def connector_env(backend, model_name, session=None, env_class=ConnectorEnvironment):
    return env_class(BackendRecord(backend), session or Session(), model_name)
