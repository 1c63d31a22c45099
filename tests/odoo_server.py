"""Real Odoo servers and databases for system tests: ``odoo-bin`` processes on PostgreSQL.

Nothing here stands in for Odoo: a server is the ``odoo-bin`` of ``.venv`` in its own process
group, on free ports; a database is a PostgreSQL copy of a template built once by Odoo itself.

Usage::

    from odoo_server import OdooServer, copy_database, drop_database, template_database

    template = template_database('connector', ['connector'])     # built once, then reused
    database = copy_database(template, 'rt_example')
    try:
        with OdooServer(database, workers=2, max_cron_threads=1) as server:
            assert requests.get(server.url('/web/login')).status_code == 200
            rpc = server.rpc_session('admin', 'admin')
            rpc.call('res.partner', 'search_count', [])
            server.pid, server.worker_pids('WorkerCron'), server.log_text()
    finally:
        drop_database(database)

Every server started here is killed, with its whole process group, at the latest when the
Python process exits. The helpers create and drop only databases named ``rt_*``.
"""
import atexit
import configparser
import hashlib
import itertools
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psutil
import psycopg2
import requests

ROOT = Path(__file__).resolve().parents[1]
ADDONS = ('connector', 'connector_ecommerce')   # the addons of this repository
VENV_BIN = ROOT / '.venv' / 'bin'
NODE_BIN = ROOT / '.run' / 'node' / 'node_modules' / '.bin'   # lessc for the backend CSS
ODOO_BIN = VENV_BIN / 'odoo-bin'
PYTHON = VENV_BIN / 'python'
TEST_CONFIG = ROOT / '.run' / 'odoo-test.conf'   # written by `make venv`
LOG_DIR = ROOT / '.run' / 'test-logs'             # one file per server, kept for post-mortems

DATABASE_PREFIX = 'rt_'           # the only databases these helpers create or drop
TEMPLATE_PREFIX = 'rt_template_'
START_TIMEOUT = 240.0             # seconds from spawn to /web/login answering (-i included)
STOP_TIMEOUT = 60.0               # seconds from the stop signal to the whole group's exit
COMMAND_TIMEOUT = 600.0           # seconds for one `odoo-bin --stop-after-init` run
REQUEST_TIMEOUT = 30.0            # seconds for one HTTP request to a server
STACK_DUMP_TIMEOUT = 2.0          # seconds given to a hung odoo-bin to log its stacks
POLL_INTERVAL = 0.2               # seconds between two looks at a process, a log or a table
TEMPLATE_LOCK_KEY = 0x72745f746d  # pg_advisory_lock key serializing template builds and copies
TEMPLATE_HOLD_CLASS = 0x7274      # first key of the shared locks that mark templates in use

# "2026-01-31 12:00:00,123 4242 INFO rt_db odoo.service.server: message"
LOG_LINE = re.compile(
    r'^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (?P<pid>\d+) (?P<level>[A-Z]+) '
    r'(?P<database>\S+) (?P<logger>\S+): (?P<message>.*)$', re.MULTILINE)

_running_servers = set()
_database_counter = itertools.count(1)


class OdooServerError(Exception):
    """An Odoo process did not start, serve, stop or finish as expected; carries its log."""


# --- processes --------------------------------------------------------------------------------

def server_environment(**overrides):
    """The environment Odoo processes get: ours, with .venv/bin and lessc first on PATH."""
    environment = dict(os.environ)
    environment['PATH'] = os.pathsep.join(
        [str(VENV_BIN), str(NODE_BIN), environment.get('PATH', '')])
    environment.update(overrides)
    return environment


def free_port():
    """A TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def log_tail(text, lines=60):
    return '\n'.join(text.splitlines()[-lines:])


def log_errors(text):
    """The ERROR and CRITICAL lines of an Odoo log."""
    return [match.group(0) for match in LOG_LINE.finditer(text)
            if match.group('level') in ('ERROR', 'CRITICAL')]


class JsonRpcSession:
    """A logged-in web session on one server: JSON-RPC as the web client speaks it.

    Usage::

        rpc = server.rpc_session('admin', 'admin')
        rpc.call('ir.cron', 'create', {'name': 'Probe', 'model_id': model_id})
        rpc.post('/web/dataset/search_read', {'model': 'res.users', 'fields': ['login']})
    """

    def __init__(self, server, login, password):
        self.server = server
        self.http = requests.Session()
        self.info = self.post('/web/session/authenticate', {
            'db': server.database, 'login': login, 'password': password})
        if not self.info.get('uid'):
            raise OdooServerError('login %r refused by %s' % (login, server.database))

    def post(self, path, params):
        """POST a JSON-RPC request to `path`; its result, or OdooServerError with Odoo's error."""
        response = self.http.post(
            self.server.url(path), timeout=REQUEST_TIMEOUT,
            json={'jsonrpc': '2.0', 'method': 'call', 'id': 1, 'params': params})
        response.raise_for_status()
        body = response.json()
        if 'error' in body:
            raise OdooServerError('%s failed: %s' % (path, body['error']))
        return body.get('result')   # Odoo leaves 'result' out when it is None

    def call(self, model, method, *args, **kwargs):
        """Call a public method of a model, as the web client's call_kw does."""
        return self.post('/web/dataset/call_kw/%s/%s' % (model, method), {
            'model': model, 'method': method, 'args': list(args), 'kwargs': kwargs})


class OdooServer:
    """One real ``odoo-bin`` server, threaded (workers=0) or prefork (workers>0).

    The server runs in its own process group (its prefork workers and the gevent longpolling
    process included) and logs, stdout and stderr together, to :attr:`log_path` (in
    ``.run/test-logs/``, kept after the test). Leaving the
    ``with`` block stops it with SIGTERM, then kills whatever is left of its group.

    Usage::

        with OdooServer('rt_db', workers=2, max_cron_threads=1, args=['-i', 'my_addon']) as server:
            server.url('/web/login'), server.longpolling_url('/longpolling/poll')
            server.pid, server.worker_pids('WorkerHTTP'), server.group_processes()
            server.wait_for_log(r'Worker WorkerCron \\(\\d+\\) alive')
        assert server.returncode == 0

    `command` replaces ``odoo-bin`` by another program that takes Odoo's arguments (a
    launcher script run by ``.venv/bin/python``, say); `env` adds environment variables.
    """

    def __init__(self, database, *, workers=0, max_cron_threads=0, args=(), config=TEST_CONFIG,
                 env=None, command=(str(ODOO_BIN),)):
        self.database = database
        self.http_port = free_port()
        self.longpolling_port = free_port()
        self.argv = [
            *command, '-c', str(config), '-d', database,
            '--db-filter=^%s$' % re.escape(database), '--http-interface=127.0.0.1',
            '--http-port=%d' % self.http_port, '--longpolling-port=%d' % self.longpolling_port,
            '--workers=%d' % workers, '--max-cron-threads=%d' % max_cron_threads,
            '--log-level=info', *args,
        ]
        self.env = server_environment(**(env or {}))
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        log_fd, log_name = tempfile.mkstemp(prefix='%s-' % database, suffix='.log',
                                            dir=str(LOG_DIR))
        os.close(log_fd)
        self.log_path = Path(log_name)
        self.process = None

    # -- life cycle

    def start(self, timeout=START_TIMEOUT):
        """Spawn the server and return once it preloaded its database and /web/login answers
        200; kill it if it does not."""
        if self.process is not None:
            raise OdooServerError('server of %s already started' % self.database)
        with open(self.log_path, 'wb') as log:
            self.process = subprocess.Popen(
                self.argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                env=self.env, cwd=str(ROOT), start_new_session=True)
        _running_servers.add(self)
        try:
            self._wait_until_serving(timeout)
        except BaseException:
            self.kill()
            raise
        return self

    def _wait_until_serving(self, timeout):
        deadline = time.monotonic() + timeout
        # A threaded server listens before it preloads the database: a request then would
        # load a registry of its own, and a signal would land in the middle of the preload.
        self.wait_for_log(r'^Modules loaded\.$', timeout)
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise OdooServerError('odoo-bin exited with %s before serving:\n%s' % (
                    self.process.returncode, log_tail(self.log_text())))
            try:
                # Short timeout: a prefork master accepts connections before its workers exist.
                if requests.get(self.url('/web/login'), timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(POLL_INTERVAL)
        raise OdooServerError('/web/login did not answer 200 within %ss:\n%s' % (
            timeout, log_tail(self.log_text())))

    def stop(self, signum=signal.SIGTERM, timeout=STOP_TIMEOUT):
        """Send `signum` to the master process only, as an operator would, and wait for the
        whole group to exit; return the master's exit code. Past `timeout`, kill everything
        and raise OdooServerError."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            os.kill(self.process.pid, signum)
        deadline = time.monotonic() + timeout
        try:
            self.process.wait(max(deadline - time.monotonic(), 0))
            self._wait_for_group_exit(deadline)
        except (subprocess.TimeoutExpired, OdooServerError):
            self.kill()
            raise OdooServerError('server of %s did not stop on signal %s within %ss:\n%s' % (
                self.database, signum, timeout, log_tail(self.log_text())))
        _running_servers.discard(self)
        return self.process.returncode

    def kill(self):
        """SIGKILL the whole process group at once (a crash, as the kernel's OOM killer does)."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        for process in self.group_processes():   # a worker may outlive the group kill briefly
            process.kill()
        _running_servers.discard(self)

    def _wait_for_group_exit(self, deadline):
        while self.group_processes():
            if time.monotonic() >= deadline:
                raise OdooServerError('processes of %s outlived the master' % self.database)
            time.sleep(POLL_INTERVAL)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        if self.process is not None and self.process.poll() is None:
            try:
                self.stop()
            except OdooServerError:
                pass   # stop() has killed the group already; the test's own outcome matters
        else:
            self.kill()

    # -- what a test looks at

    @property
    def pid(self):
        """Pid of the master process (the only process of a threaded server)."""
        return self.process.pid

    @property
    def returncode(self):
        return self.process.poll() if self.process else None

    def url(self, path='/'):
        return 'http://127.0.0.1:%d%s' % (self.http_port, path)

    def longpolling_url(self, path='/'):
        """URL on the gevent process that serves /longpolling in prefork mode."""
        return 'http://127.0.0.1:%d%s' % (self.longpolling_port, path)

    def rpc_session(self, login='admin', password='admin'):
        """A :class:`JsonRpcSession` logged in as `login`."""
        return JsonRpcSession(self, login, password)

    def log_text(self):
        return self.log_path.read_text(encoding='utf-8', errors='replace')

    def log_records(self, message_pattern):
        """Match objects (pid, level, database, logger, message) of the log lines whose
        message matches `message_pattern`."""
        pattern = re.compile(message_pattern)
        return [record for record in LOG_LINE.finditer(self.log_text())
                if pattern.search(record.group('message'))]

    def wait_for_log(self, message_pattern, timeout=START_TIMEOUT, count=1):
        """Wait until `count` log lines match `message_pattern`; return their match objects."""
        deadline = time.monotonic() + timeout
        while True:
            records = self.log_records(message_pattern)
            if len(records) >= count:
                return records
            if time.monotonic() >= deadline or self.process.poll() is not None:
                raise OdooServerError('no %d log line(s) matching %r within %ss:\n%s' % (
                    count, message_pattern, timeout, log_tail(self.log_text())))
            time.sleep(POLL_INTERVAL)

    def worker_pids(self, kind):
        """Pids of the prefork workers of `kind` ('WorkerHTTP' or 'WorkerCron') that started."""
        return [int(record.group('pid'))
                for record in self.log_records(r'^Worker %s \(\d+\) alive$' % kind)]

    def group_processes(self):
        """The live (not zombie) processes of the server's process group, master included."""
        if self.process is None:
            return []
        members = []
        for process in psutil.process_iter():
            try:
                if (os.getpgid(process.pid) == self.process.pid
                        and process.status() != psutil.STATUS_ZOMBIE):
                    members.append(process)
            except (ProcessLookupError, psutil.Error):
                continue
        return members


@atexit.register
def _kill_running_servers():
    for server in list(_running_servers):
        server.kill()


def run_odoo(database, *args, config=TEST_CONFIG, env=None, timeout=COMMAND_TIMEOUT):
    """Run ``odoo-bin -d database ARGS --stop-after-init`` to its end; (exit code, log text).

    Usage::

        returncode, log = run_odoo('rt_db', '-i', 'connector', '--test-enable')
    """
    argv = [str(ODOO_BIN), '-c', str(config), '-d', database, '--stop-after-init',
            '--http-interface=127.0.0.1', '--http-port=%d' % free_port(),
            '--log-level=info', *args]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            env=server_environment(**(env or {})), cwd=str(ROOT), start_new_session=True)
        try:
            returncode = process.wait(timeout)
        except subprocess.TimeoutExpired:
            returncode = None
            # A hung run: Odoo's SIGQUIT handler logs every thread's stack, for the message.
            os.kill(process.pid, signal.SIGQUIT)
            try:
                process.wait(STACK_DUMP_TIMEOUT)
            except subprocess.TimeoutExpired:
                pass
        finally:
            try:
                os.killpg(process.pid, signal.SIGKILL)   # an HTTP test thread may linger
            except ProcessLookupError:
                pass
            process.wait()
        log.seek(0)
        text = log.read().decode('utf-8', errors='replace')
    if returncode is None:
        raise OdooServerError('odoo-bin %s did not finish within %ss:\n%s' % (
            ' '.join(args), timeout, log_tail(text, 150)))
    return returncode, text


# --- databases ------------------------------------------------------------------------------

def database_settings(config=TEST_CONFIG):
    """psycopg2 connection keywords from the Odoo configuration file."""
    options = configparser.ConfigParser()
    options.read(config)
    section = options['options']
    settings = {'host': section.get('db_host'), 'port': section.get('db_port'),
                'user': section.get('db_user')}
    if section.get('db_password', 'False') != 'False':
        settings['password'] = section['db_password']
    return {key: value for key, value in settings.items() if value and value != 'False'}


def addons_path_with(*directories, config=TEST_CONFIG):
    """The configuration's addons path with `directories` added: an --addons-path value."""
    options = configparser.ConfigParser()
    options.read(config)
    return ','.join([options['options']['addons_path'], *map(str, directories)])


def filestore_path(database, config=TEST_CONFIG):
    """Where Odoo keeps the attachments (web asset bundles included) of `database`."""
    options = configparser.ConfigParser()
    options.read(config)
    return Path(options['options']['data_dir']) / 'filestore' / database


def connect(database='postgres', config=TEST_CONFIG):
    """An autocommit psycopg2 connection to `database`, as Odoo's database user."""
    connection = psycopg2.connect(dbname=database, **database_settings(config))
    connection.autocommit = True
    return connection


def query(database, sql, params=(), config=TEST_CONFIG):
    """Rows of one SQL statement run in `database` on a connection of its own."""
    connection = connect(database, config)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params or None)   # None: a literal % needs no escaping
            return cursor.fetchall() if cursor.description else []
    finally:
        connection.close()


def poll_query(database, sql, params=(), timeout=60.0):
    """Rows of `sql` as soon as it returns any, polled until `timeout` seconds; [] if never."""
    deadline = time.monotonic() + timeout
    while True:
        rows = query(database, sql, params)
        if rows or time.monotonic() >= deadline:
            return rows
        time.sleep(POLL_INTERVAL)


def database_exists(name):
    return bool(query('postgres', 'SELECT 1 FROM pg_database WHERE datname = %s', (name,)))


def installed_modules(database, names):
    """Those of `names` whose state is 'installed' in `database`."""
    rows = query(database, "SELECT name FROM ir_module_module WHERE state = 'installed' "
                           "AND name = ANY(%s)", (list(names),))
    return {name for (name,) in rows}


def _check_ours(name):
    if not name.startswith(DATABASE_PREFIX):
        raise ValueError('%r: these helpers only touch databases named %s*'
                         % (name, DATABASE_PREFIX))


def unique_database_name(purpose):
    """A database name no other test, process or session uses: rt_<purpose>_<pid>_<n>."""
    return '%s%s_%d_%d' % (DATABASE_PREFIX, purpose, os.getpid(), next(_database_counter))


class _TemplateLock:
    """PostgreSQL advisory lock: one process at a time builds, copies or drops templates."""

    def __enter__(self):
        self.connection = connect('postgres')
        with self.connection.cursor() as cursor:
            cursor.execute('SELECT pg_advisory_lock(%s)', (TEMPLATE_LOCK_KEY,))
        return self

    def drop_unless_held(self, template):
        """Drop `template` unless a running process holds it (see _hold_template)."""
        with self.connection.cursor() as cursor:
            cursor.execute('SELECT pg_try_advisory_lock(%s, hashtext(%s))',
                           (TEMPLATE_HOLD_CLASS, template))
            if cursor.fetchone()[0]:
                drop_database(template)
                cursor.execute('SELECT pg_advisory_unlock(%s, hashtext(%s))',
                               (TEMPLATE_HOLD_CLASS, template))

    def __exit__(self, *exc_info):
        self.connection.close()   # releases the session-level lock


def _copy(template, name):
    # Odoo keeps attachments, the web client's asset bundles among them, in the filestore:
    # a database copied without it serves empty bundles (as Odoo's own duplicate does).
    query('postgres', 'CREATE DATABASE "%s" TEMPLATE "%s"' % (name, template))
    source = filestore_path(template)
    if source.is_dir():
        shutil.copytree(source, filestore_path(name))


def copy_database(template, name):
    """Create database `name` (rt_*) as a copy of `template`, filestore included."""
    _check_ours(name)
    with _TemplateLock():
        _copy(template, name)
    return name


def drop_database(name):
    """Drop database `name` (rt_*) and its filestore; disconnects its sessions first."""
    _check_ours(name)
    connection = connect('postgres')
    try:
        with connection.cursor() as cursor:
            cursor.execute('SELECT pg_terminate_backend(pid) FROM pg_stat_activity '
                           'WHERE datname = %s AND pid <> pg_backend_pid()', (name,))
            cursor.execute('DROP DATABASE IF EXISTS "%s"' % name)
    finally:
        connection.close()
    shutil.rmtree(filestore_path(name), ignore_errors=True)


def source_fingerprint(paths):
    """Hash of the contents of the files under `paths` (relative to the repository root)."""
    digest = hashlib.sha1()
    for relative in paths:
        path = ROOT / relative
        files = sorted(path.rglob('*')) if path.is_dir() else [path]
        for file in files:
            if file.is_file() and '__pycache__' not in file.parts and file.suffix != '.pyc':
                digest.update(str(file.relative_to(ROOT)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()


RUNTIME_SOURCES = ('requirements.txt', 'requirements-odoo.txt', 'odoo_py311')


def template_database(label, modules, *, base=None, sources=(), demo=False):
    """Name of a template database with `modules` installed, with demo data if `demo`.

    Built by ``odoo-bin -i`` on first use (from a copy of template `base` if given) and kept
    across test sessions while nothing it is built from changed: its name carries a
    fingerprint of the runtime, of `sources` (paths of the addons it installs), of `modules`,
    of `base` and of `demo`, and a mark of this checkout (its filestore is ours alone). When
    a new one is built, older templates of the same label and checkout that no running test
    session holds are dropped.

    Usage::

        dependencies = template_database('deps', ['mail', 'sale_stock'])
        addons = template_database('addons', ['connector'], base=dependencies,
                                   sources=['connector'])
    """
    fingerprint = hashlib.sha1(' '.join([
        source_fingerprint(RUNTIME_SOURCES + tuple(sources)), ','.join(sorted(modules)),
        base or '', 'demo' if demo else 'without-demo']).encode()).hexdigest()[:12]
    checkout = hashlib.sha1(str(filestore_path('')).encode()).hexdigest()[:4]
    family = '%s%s_%s_' % (TEMPLATE_PREFIX, label, checkout)
    name = family + fingerprint
    with _TemplateLock() as lock:
        # Its filestore goes with it: a template whose filestore is gone is rebuilt.
        if not (database_exists(name) and filestore_path(name).is_dir()):
            for (older,) in query('postgres', 'SELECT datname FROM pg_database '
                                              'WHERE starts_with(datname, %s)', (family,)):
                lock.drop_unless_held(older)
            _build_template(name, modules, base, demo)
        _hold_template(name)
    return name


def _build_template(name, modules, base, demo):
    # Built under another name and renamed once complete: an interrupted build never leaves
    # a template that looks usable.
    building = unique_database_name('building')
    try:
        if base:
            _copy(base, building)
        demo_args = [] if demo else ['--without-demo=all']
        returncode, log = run_odoo(building, '-i', ','.join(modules), *demo_args)
        errors = log_errors(log)
        missing = set(modules) - installed_modules(building, modules)
        if returncode or errors or missing:
            raise OdooServerError('building template %s failed (exit %s, not installed: %s):\n%s'
                                  % (name, returncode, missing, '\n'.join(errors) or log_tail(log)))
        query('postgres', 'ALTER DATABASE "%s" RENAME TO "%s"' % (building, name))
        filestore_path(building).mkdir(parents=True, exist_ok=True)
        filestore_path(building).rename(filestore_path(name))
    finally:
        drop_database(building)


_template_holds = []   # the connection holding a shared advisory lock on each template we use


def _hold_template(name):
    # Held until this process exits: another session then knows not to drop the template.
    if not _template_holds:
        _template_holds.append(connect('postgres'))
    with _template_holds[0].cursor() as cursor:
        cursor.execute('SELECT pg_advisory_lock_shared(%s, hashtext(%s))',
                       (TEMPLATE_HOLD_CLASS, name))
