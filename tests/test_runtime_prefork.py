"""Prefork mode (``--workers=2 --max-cron-threads=1``): HTTP and cron workers start and stay
up, serve requests, the gevent process serves /longpolling (also behind the README's proxy),
and cron jobs run in a cron worker."""
import os
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest
import requests

from odoo_server import (
    POLL_INTERVAL, PYTHON, REQUEST_TIMEOUT, ROOT, OdooServer, free_port, log_errors, poll_query,
)

HTTP_WORKERS = 2
CRON_WORKERS = 1
PROXY_START_TIMEOUT = 30.0   # seconds
WATCH_SECONDS = 10.0   # more than two 4 s beats: each HTTP worker checks its limits each beat
CRON_TIMEOUT = 60.0    # seconds for a due cron job to run once its worker is woken


@pytest.fixture(scope='module')
def prefork_server(module_addons_database, runtime_probe):
    server = OdooServer(module_addons_database, workers=HTTP_WORKERS,
                        max_cron_threads=CRON_WORKERS, args=runtime_probe.server_args)
    with server:
        server.wait_for_log(r'^Worker WorkerHTTP \(\d+\) alive$', count=HTTP_WORKERS)
        server.wait_for_log(r'^Worker WorkerCron \(\d+\) alive$', count=CRON_WORKERS)
        yield server


def master_children(server):
    return {child.pid: child for child in psutil.Process(server.pid).children()}


def test_http_and_cron_workers_start_and_stay_up(prefork_server):
    http_pids = prefork_server.worker_pids('WorkerHTTP')
    cron_pids = prefork_server.worker_pids('WorkerCron')
    children = master_children(prefork_server)
    longpolling = [child for child in children.values() if 'gevent' in child.cmdline()]

    assert len(http_pids) == HTTP_WORKERS and len(cron_pids) == CRON_WORKERS
    assert set(http_pids) | set(cron_pids) <= set(children)
    assert len(longpolling) == 1

    deadline = time.monotonic() + WATCH_SECONDS
    while time.monotonic() < deadline:   # watching for deaths over a span of time
        assert set(master_children(prefork_server)) == set(children)
        time.sleep(0.5)
    assert all(child.is_running() and child.status() != psutil.STATUS_ZOMBIE
               for child in children.values())
    assert prefork_server.log_records(r'Worker \(\d+\) (Exception occured|exiting)') == []
    assert log_errors(prefork_server.log_text()) == []


def test_http_workers_serve_requests(prefork_server):
    def get_login_page(_):
        return requests.get(prefork_server.url('/web/login'), timeout=REQUEST_TIMEOUT).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(get_login_page, range(40)))

    assert statuses == [200] * 40
    rpc = prefork_server.rpc_session('admin', 'admin')
    assert rpc.call('res.users', 'search_count', [('login', '=', 'admin')]) == 1


def longpoll_request(channel):
    return {'jsonrpc': '2.0', 'method': 'call', 'id': 1,
            'params': {'channels': [channel], 'last': 0, 'options': {}}}


def test_longpolling_is_served_by_the_gevent_process_only(prefork_server):
    rpc = prefork_server.rpc_session('admin', 'admin')
    channel = 'rt_runtime_channel'
    rpc.call('bus.bus', 'sendone', channel, {'probe': 42})
    poll = longpoll_request(channel)

    on_gevent = rpc.http.post(prefork_server.longpolling_url('/longpolling/poll'), json=poll,
                              timeout=REQUEST_TIMEOUT).json()
    on_http_worker = rpc.http.post(prefork_server.url('/longpolling/poll'), json=poll,
                                   timeout=REQUEST_TIMEOUT).json()

    assert [note['message'] for note in on_gevent['result']] == [{'probe': 42}]
    # Why prefork needs the proxy rule of the README: HTTP workers refuse /longpolling.
    assert 'bus.Bus unavailable' in str(on_http_worker['error'])


@pytest.fixture
def longpolling_proxy(prefork_server):
    """tools/longpolling_proxy.py in front of the prefork server; its base URL."""
    port = free_port()
    proxy = subprocess.Popen(
        [str(PYTHON), 'tools/longpolling_proxy.py', '--port=%d' % port,
         '--http=%d' % prefork_server.http_port,
         '--longpolling=%d' % prefork_server.longpolling_port],
        cwd=str(ROOT), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base_url = 'http://127.0.0.1:%d' % port
    try:
        deadline = time.monotonic() + PROXY_START_TIMEOUT
        while time.monotonic() < deadline and proxy.poll() is None:
            try:
                requests.get(base_url + '/web/login', timeout=REQUEST_TIMEOUT)
                break
            except requests.ConnectionError:
                time.sleep(POLL_INTERVAL)
        yield base_url
    finally:
        proxy.kill()
        proxy.wait()


def test_proxy_of_the_readme_routes_web_client_and_longpolling(prefork_server, longpolling_proxy):
    browser = requests.Session()
    login = browser.post(longpolling_proxy + '/web/session/authenticate', timeout=REQUEST_TIMEOUT,
                         json={'jsonrpc': '2.0', 'method': 'call', 'id': 1, 'params': {
                             'db': prefork_server.database, 'login': 'admin',
                             'password': 'admin'}}).json()
    assert login['result']['uid']
    channel = 'rt_proxy_channel'
    browser.post(longpolling_proxy + '/web/dataset/call_kw/bus.bus/sendone',
                 timeout=REQUEST_TIMEOUT, json={'jsonrpc': '2.0', 'method': 'call', 'id': 2,
                                                'params': {'model': 'bus.bus', 'method': 'sendone',
                                                           'args': [channel, 'via proxy'],
                                                           'kwargs': {}}})

    poll = browser.post(longpolling_proxy + '/longpolling/poll', json=longpoll_request(channel),
                        timeout=REQUEST_TIMEOUT).json()

    assert [note['message'] for note in poll['result']] == ['via proxy']
    page = browser.get(longpolling_proxy + '/web', timeout=REQUEST_TIMEOUT)
    assert page.status_code == 200 and page.url == longpolling_proxy + '/web'


def test_cron_job_runs_in_a_cron_worker(prefork_server):
    rpc = prefork_server.rpc_session('admin', 'admin')
    model_id = rpc.call('ir.model', 'search', [('model', '=', 'rt.runtime.probe')])[0]
    rpc.call('ir.cron', 'create', {
        'name': 'Runtime probe cron', 'model_id': model_id, 'state': 'code',
        'code': "model.record_process('cron')", 'interval_number': 1,
        'interval_type': 'minutes', 'numbercall': 1})   # due now: nextcall defaults to now

    # A cron worker sleeps 60-69 s in select() before each poll; any signal with a Python
    # handler ends that select (set_wakeup_fd). SIGQUIT's handler only logs the stacks (SIGUSR1
    # would not do: Odoo 11's log_ormcache_stats dies on cached dicts, on any Python).
    cron_pids = prefork_server.worker_pids('WorkerCron')
    for pid in cron_pids:
        os.kill(pid, signal.SIGQUIT)
    rows = poll_query(prefork_server.database, "SELECT pid, thread_name FROM rt_runtime_probe "
                                               "WHERE label = 'cron'", timeout=CRON_TIMEOUT)

    assert len(rows) == 1
    (pid, _thread_name), = rows
    assert pid in cron_pids
    assert pid != prefork_server.pid and pid not in prefork_server.worker_pids('WorkerHTTP')
    started = prefork_server.log_records(r'^Starting job `Runtime probe cron`\.$')
    assert [int(record.group('pid')) for record in started] == [pid]
