"""Our addons install and uninstall through Odoo's own flows, and their tests pass under
Odoo's own test runner (``--test-enable``), each in a fresh database."""
import re

import pytest

from odoo_server import (
    ADDONS, OdooServer, installed_modules, log_errors, log_tail, query, run_odoo, template_database,
)

# Seconds for installing connector and running its tests. Odoo holds the registry lock while
# at-install tests run: a test whose thread opens the registry hangs until this timeout.
TEST_ENABLE_TIMEOUT = 300


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
    """Base and connector's dependencies with their demo data: what `odoo-bin -i connector`
    on an empty database would install first (Odoo runs a module's tests only with demo)."""
    return template_database('connector_deps_demo', ['mail'], demo=True)


def test_addon_tests_pass_under_odoo_test_enable(
        new_database, connector_dependencies_demo_template):
    database = new_database(connector_dependencies_demo_template, 'test_enable')

    returncode, log = run_odoo(database, '-i', 'connector', '--test-enable',
                               timeout=TEST_ENABLE_TIMEOUT)

    assert returncode == 0, log_tail(log)
    assert log_errors(log) == []    # a failing or erroring test logs ERROR lines
    assert installed_modules(database, ['connector']) == {'connector'}
    # Odoo's runner logs "<module> running tests." then unittest's "Ran N tests in Xs".
    started = re.findall(r' (odoo\.addons\.connector\.tests\.\w+) running tests\.$', log, re.M)
    # Odoo finds test modules through the imports of connector/tests/__init__.py.
    assert 'odoo.addons.connector.tests.test_security' in started, started
    ran = [int(count) for count in re.findall(
        r' odoo\.addons\.connector\.tests\.\w+: Ran (\d+) tests? in ', log)]
    assert len(ran) >= len(set(started)) and sum(ran) >= 2
