"""Our job queue under benchmark: connector's ``@job`` / ``.delay()`` and its Workers.

How the benchmark delays jobs (a ConnectorSession over the client's environment) and runs
them: N threaded ``odoo-bin`` processes on one database, each with a WorkerWatcher and one
Worker of ``connector_job_threads`` job threads (set in the benchmark's configuration).

Usage::

    from bench import queue_connector as queue
    template = queue.template()
    with queue.servers('bench_connector_run', processes=2, config_path=path):
        ...   # jobs delayed with queue.noop_delayer(env)() now run
"""
import time
from contextlib import ExitStack, contextmanager

from .databases import ROOT, query, template_database
from .servers import BenchServerError, start_server

LABEL = 'connector'
ADDONS = ['bench_connector_jobs']
SOURCES = ['connector', 'bench/addons/bench_connector_jobs']   # the template's fingerprint
READY_TIMEOUT = 60.0   # seconds for a started process's Worker to register in queue_worker
READY_POLL = 0.1       # seconds between two looks at queue_worker


def template():
    """The template database with connector and the benchmark's job functions installed."""
    return template_database(LABEL, ADDONS, sources=SOURCES)


def describe(job_threads):
    return {'name': 'connector (ours)', 'source': str(ROOT / 'connector'),
            'concurrency': '%d job threads per process (connector_job_threads)' % job_threads,
            'processes': 'N threaded odoo-bin processes on the same database',
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


def _live_workers(database):
    return query(database, 'SELECT count(*) FROM queue_worker')[0][0]


@contextmanager
def servers(database, processes, config_path):
    """`processes` threaded servers on `database`, each with its Worker registered."""
    with ExitStack() as stack:
        started = []
        for _index in range(processes):
            started.append(stack.enter_context(start_server(database, config_path)))
        deadline = time.monotonic() + READY_TIMEOUT
        while _live_workers(database) < processes:
            if time.monotonic() > deadline:
                raise BenchServerError('%d of %d connector workers registered in %s' % (
                    _live_workers(database), processes, database))
            time.sleep(READY_POLL)
        yield started
