"""The threaded HTTP server serves the login page, logs admin in and gives the web client
everything it loads (menus with Connectors, asset bundles, QWeb templates); it stops on the
signals an operator sends."""
import re
import signal

import pytest
import requests

from odoo_server import REQUEST_TIMEOUT, OdooServer, log_errors


def test_login_page_answers(threaded_server):
    response = requests.get(threaded_server.url('/web/login'), timeout=REQUEST_TIMEOUT)

    assert response.status_code == 200
    assert 'name="login"' in response.text and 'name="csrf_token"' in response.text


def test_admin_login_with_the_form_opens_the_web_client(threaded_server):
    browser = requests.Session()
    login_page = browser.get(threaded_server.url('/web/login'), timeout=REQUEST_TIMEOUT)
    csrf_token = re.search(r'name="csrf_token" value="([^"]+)"', login_page.text).group(1)

    response = browser.post(threaded_server.url('/web/login'), timeout=REQUEST_TIMEOUT, data={
        'login': 'admin', 'password': 'admin', 'csrf_token': csrf_token, 'redirect': ''})

    # Odoo 11 answers a successful login with a script that keeps the URL's #hash.
    assert response.status_code == 200
    assert "window.location = '/web'" in response.text
    web_client = browser.get(threaded_server.url('/web'), timeout=REQUEST_TIMEOUT)
    assert web_client.url == threaded_server.url('/web')   # not sent back to /web/login
    assert 'odoo.session_info' in web_client.text


def test_web_client_of_admin_shows_the_connectors_menu(threaded_server):
    rpc = threaded_server.rpc_session('admin', 'admin')

    # Odoo 11 renders the menus into the /web page; the web client reads them from there.
    page = rpc.http.get(threaded_server.url('/web'), timeout=REQUEST_TIMEOUT).text
    menu = re.search(r'<a [^>]*data-menu-xmlid="connector\.menu_connector_root"[^>]*>(.*?)</a>',
                     page, re.S)
    assert menu and 'Connectors' in menu.group(1)
    menus = rpc.call('ir.ui.menu', 'load_menus', False)
    assert 'Connectors' in [child['name'] for child in menus['children']]


def test_web_client_loads_its_assets_and_templates(threaded_server):
    rpc = threaded_server.rpc_session('admin', 'admin')
    page = rpc.http.get(threaded_server.url('/web'), timeout=REQUEST_TIMEOUT).text

    assert '__assetsBundleErrorSeen' not in page   # Odoo's alert for a failed CSS build (lessc)
    bundles = re.findall(r'(?:href|src)="(/web/content/[^"]*web\.assets_\w+[^"]*)"', page)
    assert any(url.endswith('.css') for url in bundles)
    assert any(url.endswith('.js') for url in bundles)
    for url in bundles:
        response = rpc.http.get(threaded_server.url(url), timeout=REQUEST_TIMEOUT)
        assert response.status_code == 200 and len(response.content) > 1000, url
    # What the web client fetches next: its QWeb templates, concatenated by concat_xml.
    templates = rpc.http.get(threaded_server.url('/web/webclient/qweb?mods=web,connector'),
                             timeout=REQUEST_TIMEOUT)
    assert templates.status_code == 200 and 't-name="WebClient.DebugManager"' in templates.text
    assert log_errors(threaded_server.log_text()) == []


@pytest.mark.parametrize('signum', [signal.SIGTERM, signal.SIGINT], ids=['SIGTERM', 'SIGINT'])
def test_threaded_server_stops_cleanly_on_signal(module_addons_database, signum):
    server = OdooServer(module_addons_database).start()

    returncode = server.stop(signum)

    assert returncode == 0
    assert server.group_processes() == []
    assert 'Initiating shutdown' in server.log_text()
    assert log_errors(server.log_text()) == []
