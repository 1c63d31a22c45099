"""Our addons install and uninstall through Odoo's own flows, and their tests pass under
Odoo's own test runner (``--test-enable``), each in a fresh database."""
import re

import pytest

from odoo_server import (
    ADDONS, OdooServer, installed_modules, log_errors, log_tail, query, run_odoo, template_database,
)

# Seconds for installing connector and the test addons and running their tests. Odoo holds
# the registry lock while at-install tests run: a test whose thread opens the registry hangs
# until this timeout.
TEST_ENABLE_TIMEOUT = 600
# The addons whose tests Odoo's runner runs: connector, and the test addons that exercise it
# (their tests need their job functions and models, so they live with them).
TEST_ENABLE_ADDONS = ['connector', 'test_connector_queue', 'test_connector_coffee']


def test_addons_install_then_uninstall(new_database, dependencies_template):
    database = new_database(dependencies_template, 'install')

    returncode, log = run_odoo(database, '-i', ','.join(ADDONS), '--without-demo=all')

    assert returncode == 0, log_tail(log)
    assert log_errors(log) == []
    assert installed_modules(database, ADDONS) == set(ADDONS)
    assert query(database, "SELECT name FROM ir_ui_menu WHERE id = (SELECT res_id FROM "
                           "ir_model_data WHERE module = 'connector' "
                           "AND name = 'menu_connector_root')") == [('Connectors',)]

    # Uninstalled as from the Apps menu: the button, through JSON-RPC, on a running server.
    with OdooServer(database) as server:
        rpc = server.rpc_session('admin', 'admin')
        module_ids = rpc.call('ir.module.module', 'search', [('name', 'in', list(ADDONS))])
        rpc.call('ir.module.module', 'button_immediate_uninstall', module_ids)
    assert server.returncode == 0
    assert log_errors(server.log_text()) == []
    states = dict(query(database, 'SELECT name, state FROM ir_module_module '
                                  'WHERE name = ANY(%s)', (list(ADDONS),)))
    assert states == {addon: 'uninstalled' for addon in ADDONS}
    assert query(database, 'SELECT module, model, name FROM ir_model_data '
                           'WHERE module = ANY(%s)', (list(ADDONS),)) == []
    assert query(database, "SELECT id FROM ir_ui_menu WHERE name = 'Connectors'") == []


@pytest.fixture(scope='session')
def connector_dependencies_demo_template():
    """Base and the dependencies of connector and of the test addons, with their demo data:
    what `odoo-bin -i` would install first (Odoo runs a module's tests only with demo, and
    only those of the modules installed by that run: not sale's)."""
    return template_database('connector_deps_demo', ['mail', 'sale'], demo=True)


def test_addon_tests_pass_under_odoo_test_enable(
        new_database, connector_dependencies_demo_template):
    database = new_database(connector_dependencies_demo_template, 'test_enable')

    returncode, log = run_odoo(database, '-i', ','.join(TEST_ENABLE_ADDONS), '--test-enable',
                               timeout=TEST_ENABLE_TIMEOUT)

    assert returncode == 0, log_tail(log)
    assert log_errors(log) == []    # a failing or erroring test logs ERROR lines
    assert installed_modules(database, TEST_ENABLE_ADDONS) == set(TEST_ENABLE_ADDONS)
    # Odoo's runner logs "<module> running tests." then unittest's "Ran N tests in Xs".
    started = re.findall(r' (odoo\.addons\.\w+\.tests\.\w+) running tests\.$', log, re.M)
    # Odoo finds test modules through the imports of each addon's tests/__init__.py.
    for module in ('odoo.addons.connector.tests.test_security',
                   'odoo.addons.test_connector_queue.tests.test_queue_worker',
                   'odoo.addons.test_connector_coffee.tests.test_import'):
        assert module in started, started
    ran = [int(count) for count in re.findall(
        r' odoo\.addons\.\w+\.tests\.\w+: Ran (\d+) tests? in ', log)]
    assert len(ran) >= len(set(started)) and sum(ran) >= 100
