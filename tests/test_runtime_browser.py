"""The web client runs in a real browser: headless Chromium opens /web as admin, Odoo's
JavaScript starts without an error and shows the Connectors menu.

Needs Debian's ``chromium`` (``.ci/run`` installs it); without it the test is skipped, and
pytest's summary says so.
"""
import json
import shutil
import subprocess
import tempfile
import time

import pytest
import requests
import websocket

from odoo_server import POLL_INTERVAL, REQUEST_TIMEOUT, free_port

CHROMIUM = shutil.which('chromium')
BROWSER_START_TIMEOUT = 30.0   # seconds until Chromium's DevTools endpoint answers
WEB_CLIENT_TIMEOUT = 60.0      # seconds until the web client shows its menus

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason='Debian chromium is not installed')


class HeadlessChromium:
    """Chromium driven over the DevTools protocol; keeps the console errors and uncaught
    exceptions of the page."""

    def __init__(self):
        self.port = free_port()
        self.profile = tempfile.mkdtemp(prefix='rt-chromium-')
        self.process = subprocess.Popen(
            [CHROMIUM, '--headless=new', '--no-sandbox', '--disable-gpu',
             '--remote-debugging-port=%d' % self.port, '--user-data-dir=' + self.profile,
             'about:blank'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.errors = []
        self._ids = iter(range(1, 1 << 30))
        try:
            self.socket = websocket.create_connection(self._page_socket_url(),
                                                      timeout=REQUEST_TIMEOUT,
                                                      suppress_origin=True)
            for domain in ('Runtime', 'Log', 'Network', 'Page'):
                self.call(domain + '.enable')
        except BaseException:
            self.close()
            raise

    def _page_socket_url(self):
        deadline = time.monotonic() + BROWSER_START_TIMEOUT
        while True:
            try:
                targets = requests.get('http://127.0.0.1:%d/json' % self.port,
                                       timeout=REQUEST_TIMEOUT).json()
                return next(target['webSocketDebuggerUrl'] for target in targets
                            if target['type'] == 'page')
            except (requests.ConnectionError, StopIteration):
                if time.monotonic() >= deadline or self.process.poll() is not None:
                    raise
                time.sleep(POLL_INTERVAL)

    def call(self, method, **params):
        """Send a DevTools command and return its result; events read meanwhile are kept."""
        message_id = next(self._ids)
        self.socket.send(json.dumps({'id': message_id, 'method': method, 'params': params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get('id') == message_id:
                if 'error' in message:
                    raise RuntimeError('%s: %s' % (method, message['error']))
                return message.get('result', {})
            self._keep_error(message)

    def _keep_error(self, event):
        method, params = event.get('method'), event.get('params', {})
        if method == 'Runtime.exceptionThrown':
            self.errors.append(params['exceptionDetails'].get('exception', {}).get(
                'description') or params['exceptionDetails'].get('text'))
        elif method == 'Runtime.consoleAPICalled' and params['type'] in ('error', 'assert'):
            self.errors.append(' '.join(str(arg.get('value', arg.get('description')))
                                        for arg in params['args']))
        elif method == 'Log.entryAdded' and params['entry']['level'] == 'error':
            self.errors.append('%s %s' % (params['entry'].get('url'), params['entry']['text']))

    def evaluate(self, expression):
        result = self.call('Runtime.evaluate', expression=expression, returnByValue=True)
        return result['result'].get('value')

    def wait_for(self, expression, timeout):
        """Poll a JavaScript expression until it is truthy; its value, or None at timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(POLL_INTERVAL)
        return None

    def close(self):
        self.process.kill()
        self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture
def chromium():
    browser = HeadlessChromium()
    yield browser
    browser.close()


CONNECTORS_MENU = ('Array.from(document.querySelectorAll('
                   '\'a[data-menu-xmlid="connector.menu_connector_root"]\'))'
                   '.filter(link => link.offsetParent !== null).map(link => link.innerText.trim())')


def test_web_client_starts_without_errors_and_shows_connectors(threaded_server, chromium):
    rpc = threaded_server.rpc_session('admin', 'admin')
    chromium.call('Network.setCookie', name='session_id', url=threaded_server.url('/'),
                  value=rpc.http.cookies['session_id'])

    chromium.call('Page.navigate', url=threaded_server.url('/web'))
    menu = chromium.wait_for(CONNECTORS_MENU, WEB_CLIENT_TIMEOUT)
    # The first action (Discuss) rendered its breadcrumb: the client's JS, its QWeb templates
    # and its RPCs all worked.
    breadcrumb = chromium.wait_for(
        "(document.querySelector('.o_control_panel .breadcrumb') || {}).innerText",
        WEB_CLIENT_TIMEOUT)

    assert menu == ['Connectors']
    assert breadcrumb and breadcrumb.strip()
    assert chromium.errors == []
