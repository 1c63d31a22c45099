"""OCA queue_job 11.0 under benchmark: ``with_delay()`` and its job runner, as its README says.

The runner is a thread of the server's main process, loaded as a server-wide module
(``--load=web,queue_job``), with ``[queue_job] channels = root:N`` in the benchmark's
configuration; it runs each job through an HTTP request to ``/queue_job/runjob`` on the
server's own port. One process is a threaded server; two processes are a prefork server with
two HTTP workers (the runner only ever calls its own server, and only one runner may run per
database, so two separate servers would not share the work).

Usage::

    from bench import queue_oca as queue
    template = queue.template()
    with queue.servers('bench_oca_run', 'threaded_1', config_path=path):
        ...   # jobs delayed with queue.noop_delayer(env)() now run
"""
from contextlib import contextmanager

from .databases import template_database
from .oca_addons import SITE, queue_job_version
from .servers import start_server

LABEL = 'oca'
ADDONS = ['bench_queue_job_jobs']
SOURCES = ['bench/addons/bench_queue_job_jobs']   # queue_job itself: bench/requirements.txt
SERVER_WIDE = '--load=web,queue_job'
RUNNER_READY = r'database connections ready'      # logged by queue_job's runner
READY_TIMEOUT = 60.0   # seconds for the runner (it sleeps 5 s after the server starts)
# setup name -> prefork HTTP workers (0: threaded); measured in this order. There is no
# threaded_2: one runner per database, calling its own server only.
SETUPS = {'threaded_1': 0, 'prefork_2': 2}


def template():
    """The template database with queue_job and the benchmark's job methods installed."""
    return template_database(LABEL, ADDONS, sources=SOURCES)


def describe(job_threads):
    return {'name': 'OCA queue_job %s' % queue_job_version(),
            'source': 'PyPI odoo11-addon-queue-job, in %s' % SITE.relative_to(SITE.parents[2]),
            'concurrency': 'channels root:%d (runner capacity)' % job_threads,
            'processes': 'threaded_1: threaded odoo-bin; prefork_2: odoo-bin --workers=2 '
                         '(its 2 HTTP workers run the jobs, the runner is a thread of the '
                         'master)',
            'addons': ['queue_job', 'base_sparse_field'] + ADDONS}


def noop_delayer(env):
    """A function that delays one no-op job in `env`'s transaction."""
    probe = env['bench.job.start']
    return lambda: probe.with_delay().noop()


def probe_delayer(env):
    """A function of a sample number that delays one start-time probe job."""
    probe = env['bench.job.start']
    return lambda sample: probe.with_delay().record_start(sample)


@contextmanager
def servers(database, setup, config_path):
    """The server of `setup` (a key of SETUPS) on `database`, its job runner ready.

    Yields ``{'servers': [server], 'job_processes': n}``: the processes that run jobs.
    """
    workers = SETUPS[setup]
    with start_server(database, config_path, workers=workers, args=[SERVER_WIDE]) as server:
        server.wait_for_log(RUNNER_READY, timeout=READY_TIMEOUT)
        yield {'servers': [server], 'job_processes': workers or 1}
