"""The benchmark's PostgreSQL databases: ``bench_*`` only, templates built once and copied per run.

A template is installed by ``odoo-bin -i`` and named after a fingerprint of everything it is
built from, so a run reuses it until the runtime or an installed addon changes; each run
measures on fresh copies and drops them.

Usage::

    from bench.databases import template_database, copy_database, drop_database, query
    template = template_database('connector', ['bench_connector_jobs'], sources=['connector'])
    database = copy_database(template, 'bench_connector_run')
    query(database, 'SELECT count(*) FROM queue_job')
    drop_database(database)
"""
import hashlib
import shutil
import sys

from .odoo_config import CONFIG_PATH, DATA_DIR, ROOT

sys.path.insert(0, str(ROOT / 'tests'))
import odoo_server  # noqa: E402  (tests/ is no package)
from odoo_server import (  # noqa: E402
    database_settings, log_errors, log_tail, run_odoo, source_fingerprint)

PREFIX = 'bench_'                   # the only databases this module creates or drops
TEMPLATE_PREFIX = 'bench_template_'
RUNTIME_SOURCES = ('requirements.txt', 'requirements-odoo.txt', 'odoo_py311',
                   'bench/requirements.txt')
BUILD_TIMEOUT = 600.0               # seconds for one `odoo-bin -i` of a template


class BenchDatabaseError(Exception):
    """A benchmark database could not be built, copied or dropped."""


def connection_settings():
    """psycopg2 keywords of the database server named in the benchmark's configuration."""
    return database_settings(CONFIG_PATH)


def connect(database='postgres'):
    """An autocommit psycopg2 connection to `database` as Odoo's database user."""
    return odoo_server.connect(database, CONFIG_PATH)


def query(database, sql, params=()):
    """The rows of one statement run in `database` on a connection of its own."""
    return odoo_server.query(database, sql, params, CONFIG_PATH)


def database_exists(name):
    return bool(query('postgres', 'SELECT 1 FROM pg_database WHERE datname = %s', (name,)))


def _check_ours(name):
    if not name.startswith(PREFIX):
        raise ValueError('%r: the benchmark only touches databases named %s*' % (name, PREFIX))


def filestore_path(database):
    return DATA_DIR / 'filestore' / database


def drop_database(name):
    """Drop `name` (bench_*) and its filestore, disconnecting its sessions first."""
    _check_ours(name)
    query('postgres', 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity '
                      'WHERE datname = %s AND pid <> pg_backend_pid()', (name,))
    query('postgres', 'DROP DATABASE IF EXISTS "%s"' % name)
    shutil.rmtree(filestore_path(name), ignore_errors=True)


def copy_database(template, name):
    """Create `name` (bench_*) as a copy of `template`, filestore included; replace it if it
    exists (left over by an interrupted run)."""
    _check_ours(name)
    drop_database(name)
    query('postgres', 'CREATE DATABASE "%s" TEMPLATE "%s"' % (name, template))
    if filestore_path(template).is_dir():
        shutil.copytree(filestore_path(template), filestore_path(name))
    return name


def template_database(label, modules, sources=()):
    """Name of a bench_template_<label>_<fingerprint> database with `modules` installed
    (no demo data); built on first use, older ones of the same label dropped."""
    fingerprint = hashlib.sha1(' '.join([
        source_fingerprint(RUNTIME_SOURCES + tuple(sources)), ','.join(sorted(modules))]
    ).encode()).hexdigest()[:12]
    name = '%s%s_%s' % (TEMPLATE_PREFIX, label, fingerprint)
    if database_exists(name):
        return name
    stale = query('postgres', 'SELECT datname FROM pg_database WHERE starts_with(datname, %s)',
                  ('%s%s_' % (TEMPLATE_PREFIX, label),))
    for (stale_name,) in stale:
        drop_database(stale_name)
    building = '%sbuilding_%s' % (PREFIX, label)
    drop_database(building)
    try:
        returncode, log = run_odoo(building, '-i', ','.join(modules), '--without-demo=all',
                                   '--max-cron-threads=0', config=CONFIG_PATH,
                                   timeout=BUILD_TIMEOUT)
        errors = log_errors(log)
        installed = {row[0] for row in query(
            building, "SELECT name FROM ir_module_module WHERE state = 'installed' "
                      "AND name = ANY(%s)", (list(modules),))}
        if returncode or errors or set(modules) - installed:
            raise BenchDatabaseError('building %s failed (exit %s, not installed: %s):\n%s' % (
                name, returncode, set(modules) - installed, '\n'.join(errors) or log_tail(log)))
        query('postgres', 'ALTER DATABASE "%s" RENAME TO "%s"' % (building, name))
        if filestore_path(building).is_dir():
            filestore_path(building).rename(filestore_path(name))
    finally:
        if database_exists(building):
            drop_database(building)
    return name
