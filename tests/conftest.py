"""Fixtures of the system tests: template databases built once, fresh copies per test.

The system tests never touch pytest-odoo's ``--odoo-database``: every database they use is a
``rt_*`` copy of a template that :mod:`odoo_server` builds with ``odoo-bin`` itself.
"""
import ast

import pytest

from odoo_server import (
    ADDONS, ROOT, OdooServer, copy_database, drop_database, template_database, unique_database_name,
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
