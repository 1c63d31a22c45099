"""Fixtures of the system tests: template databases built once, fresh copies per test.

The system tests never touch pytest-odoo's ``--odoo-database``: every database they use is a
``rt_*`` copy of a template that :mod:`odoo_server` builds with ``odoo-bin`` itself.
"""
import ast
import collections

import pytest

from odoo_server import (
    ADDONS, ROOT, OdooServer, addons_path_with, copy_database, drop_database, template_database,
    unique_database_name,
)


def addon_dependencies():
    """What our addons depend on, read from their manifests, less our addons themselves."""
    depends = set()
    for addon in ADDONS:
        manifest = ast.literal_eval((ROOT / addon / '__manifest__.py').read_text())
        depends.update(manifest.get('depends', []))
    return sorted(depends - set(ADDONS))


@pytest.fixture(scope='session')
def dependencies_template():
    """Template database with our addons' dependencies installed, but not our addons."""
    return template_database('deps', addon_dependencies())


@pytest.fixture(scope='session')
def addons_template(dependencies_template):
    """Template database with connector and connector_ecommerce installed, no demo data."""
    return template_database('addons', ADDONS, base=dependencies_template, sources=ADDONS)


@pytest.fixture
def new_database():
    """Factory: ``new_database(template, purpose)`` copies `template` into a fresh rt_*
    database, dropped when the test ends."""
    created = []

    def create(template, purpose):
        created.append(copy_database(template, unique_database_name(purpose)))
        return created[-1]

    yield create
    for database in created:
        drop_database(database)


@pytest.fixture
def addons_database(new_database, addons_template):
    """A fresh database with our addons installed, dropped when the test ends."""
    return new_database(addons_template, 'addons')


@pytest.fixture(scope='module')
def module_addons_database(addons_template):
    """Like `addons_database`, shared by the tests of one module (a server they share)."""
    database = copy_database(addons_template, unique_database_name('module'))
    yield database
    drop_database(database)


@pytest.fixture(scope='module')
def threaded_server(module_addons_database):
    """A threaded odoo-bin on a copy of the addons template, shared by one test module."""
    with OdooServer(module_addons_database) as server:
        yield server


# An addon that only the runtime tests install: it records which process and which thread ran
# a piece of server code. Written out at test time, since it is no part of the product.
RUNTIME_PROBE_THREAD_ENV = 'RT_RUNTIME_PROBE_THREAD'   # set: a thread writes a probe at start
RUNTIME_PROBE_ADDON = {
    '__manifest__.py': """{
    'name': 'Runtime probe (system tests only)',
    'version': '11.0.1.0.0',
    'depends': ['base'],
    'data': ['ir.model.access.csv'],
    'installable': True,
}
""",
    '__init__.py': 'from . import runtime_probe\n',
    'ir.model.access.csv': (
        'id,name,model_id:id,group_id:id,perm_read,perm_write,perm_create,perm_unlink\n'
        'access_rt_runtime_probe,rt.runtime.probe,model_rt_runtime_probe,base.group_user,'
        '1,1,1,1\n'),
    'runtime_probe.py': '''"""Records which process and thread ran a piece of server code."""
import os
import threading

import odoo
from odoo import api, fields, models


class RuntimeProbe(models.Model):
    _name = 'rt.runtime.probe'
    _description = 'Which process and thread ran server code'

    label = fields.Char(required=True)
    pid = fields.Integer(required=True)
    thread_name = fields.Char(required=True)

    @api.model
    def record_process(self, label):
        return self.create({'label': label, 'pid': os.getpid(),
                            'thread_name': threading.current_thread().name}).id

    @api.model_cr
    def _register_hook(self):
        super(RuntimeProbe, self)._register_hook()
        if os.environ.get(%r):
            threading.Thread(target=record_from_own_thread, args=(self.env.cr.dbname,),
                             name='rt-probe-thread', daemon=True).start()


def record_from_own_thread(database):
    # odoo.registry() blocks on the registry lock until the thread loading it is done.
    with api.Environment.manage():
        with odoo.registry(database).cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {})
            env['rt.runtime.probe'].record_process('thread')
''' % RUNTIME_PROBE_THREAD_ENV,
}


RuntimeProbe = collections.namedtuple('RuntimeProbe', 'server_args thread_env')


@pytest.fixture(scope='session')
def runtime_probe(tmp_path_factory):
    """The runtime probe addon: `server_args` make odoo-bin find and install it; a server
    started with `thread_env` set in its environment starts the probe thread."""
    addons_dir = tmp_path_factory.mktemp('runtime_probe_addons')
    (addons_dir / 'rt_runtime_probe').mkdir()
    for name, text in RUNTIME_PROBE_ADDON.items():
        (addons_dir / 'rt_runtime_probe' / name).write_text(text)
    server_args = ['--addons-path=%s' % addons_path_with(addons_dir), '-i', 'rt_runtime_probe']
    return RuntimeProbe(server_args, {RUNTIME_PROBE_THREAD_ENV: '1'})
