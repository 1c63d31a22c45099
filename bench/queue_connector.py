"""Our job queue under benchmark: connector's ``@job`` / ``.delay()`` and its Workers.

How the benchmark delays jobs (a ConnectorSession over the client's environment) and runs
them, in three server setups on one database: 1 or 2 threaded ``odoo-bin`` processes (the
main process of each runs a WorkerWatcher and one Worker of ``connector_job_threads`` job
threads), or one prefork ``odoo-bin --workers=2 --max-cron-threads=2`` (only its 2 cron
workers run jobs; they start their Worker at their first "Enqueue Jobs" cron run, which
Odoo 11 makes about 60-70 s after the start).

Usage::

    from bench import queue_connector as queue
    template = queue.template()
    with queue.servers('bench_connector_run', 'threaded_2', config_path=path):
        ...   # jobs delayed with queue.noop_delayer(env)() now run
"""
import time
from contextlib import ExitStack, contextmanager

from .databases import query, template_database
from .servers import BenchServerError, start_server

LABEL = 'connector'
ADDONS = ['bench_connector_jobs']
SOURCES = ['connector', 'bench/addons/bench_connector_jobs']   # the template's fingerprint
READY_TIMEOUT = 60.0   # seconds for a threaded process's Worker to register in queue_worker
PREFORK_READY_TIMEOUT = 150.0   # seconds for the cron workers' Workers (first cron ~70 s)
READY_POLL = 0.1       # seconds between two looks at queue_worker
PREFORK_WORKERS = 2    # prefork setup: HTTP workers, and as many cron workers
PREFORK_SETTLE = 5.0   # seconds given to the second cron worker once the first has a Worker
# setup name -> (threaded processes, prefork cron workers); measured in this order
SETUPS = {'threaded_1': (1, 0), 'threaded_2': (2, 0), 'prefork_2': (0, PREFORK_WORKERS)}


def template():
    """The template database with connector and the benchmark's job functions installed."""
    return template_database(LABEL, ADDONS, sources=SOURCES)


def describe(job_threads):
    return {'name': 'connector (ours)', 'source': 'connector/ (this repository)',
            'concurrency': '%d job threads per process (connector_job_threads)' % job_threads,
            'processes': 'threaded_N: N threaded odoo-bin on the same database; prefork_2: '
                         'odoo-bin --workers=2 --max-cron-threads=2 (the 2 cron workers run '
                         'the jobs)',
            'addons': ['connector'] + ADDONS}


def noop_delayer(env):
    """A function that delays one no-op job in `env`'s transaction."""
    from odoo.addons.bench_connector_jobs.jobs import noop
    from odoo.addons.connector.session import ConnectorSession
    session = ConnectorSession.from_env(env)
    return lambda: noop.delay(session)


def probe_delayer(env):
    """A function of a sample number that delays one start-time probe job."""
    from odoo.addons.bench_connector_jobs.jobs import record_start
    from odoo.addons.connector.session import ConnectorSession
    session = ConnectorSession.from_env(env)
    return lambda sample: record_start.delay(session, sample)


def _database_now(database):
    return query(database, "SELECT now() AT TIME ZONE 'UTC'")[0][0]


def _live_workers(database, since):
    """Workers registered since `since` (the database's UTC time) and not removed."""
    return query(database, 'SELECT count(*) FROM queue_worker WHERE date_start >= %s',
                 (since,))[0][0]


@contextmanager
def servers(database, setup, config_path):
    """The servers of `setup` (a key of SETUPS) on `database`, once their Workers registered.

    Yields ``{'servers': [...], 'job_processes': n}``, n being the processes that have a
    Worker. A prefork server is taken as ready with one Worker: a cron worker starts its
    Worker only when it is the one that runs the "Enqueue Jobs" cron (one run a minute), so
    the second cron worker may take minutes to get one; PREFORK_SETTLE gives it a chance.
    """
    threaded, cron_workers = SETUPS[setup]
    since = _database_now(database)
    with ExitStack() as stack:
        started = []
        for _index in range(threaded):
            started.append(stack.enter_context(start_server(database, config_path)))
        if cron_workers:
            started.append(stack.enter_context(start_server(
                database, config_path, workers=PREFORK_WORKERS,
                max_cron_threads=cron_workers)))
        expected = threaded + cron_workers
        required = threaded or 1
        deadline = time.monotonic() + (PREFORK_READY_TIMEOUT if cron_workers else READY_TIMEOUT)
        while _live_workers(database, since) < required:
            if time.monotonic() > deadline:
                raise BenchServerError('%d of %d connector workers registered in %s' % (
                    _live_workers(database, since), required, database))
            time.sleep(READY_POLL)
        settle = time.monotonic() + (PREFORK_SETTLE if cron_workers else 0.0)
        while _live_workers(database, since) < expected and time.monotonic() < settle:
            time.sleep(READY_POLL)
        yield {'servers': started, 'job_processes': _live_workers(database, since)}
