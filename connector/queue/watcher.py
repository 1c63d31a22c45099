"""The WorkerWatcher of a process: one Worker per database where connector is installed.

It follows the registries of its process as databases appear and go, keeps its workers'
rows alive, purges the workers that other processes left dead, and, when the process exits
normally, stops its workers so that their jobs are released at once.
"""
import atexit
import logging
import os
import threading

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config

from .worker import Worker, queue_tables_gone

_logger = logging.getLogger(__name__)

DEFAULT_JOB_THREADS = 4  # per database and process; option connector_job_threads
DEFAULT_WORKER_TIMEOUT = 30  # seconds without heartbeat before a worker is dead;
#                              option connector_worker_timeout
STOP_GRACE = 10.0  # seconds running jobs get to finish when the process stops


def queue_settings(options=None):
    """Job threads, worker timeout and heartbeat interval, from Odoo's configuration.

    >>> queue_settings({'connector_job_threads': '4', 'connector_worker_timeout': '60'})
    {'job_threads': 4, 'worker_timeout': 60, 'heartbeat_interval': 10.0}
    """
    options = config if options is None else options
    job_threads = int(options.get('connector_job_threads') or DEFAULT_JOB_THREADS)
    timeout = int(options.get('connector_worker_timeout') or DEFAULT_WORKER_TIMEOUT)
    if job_threads < 1 or timeout < 3:
        raise ValueError('connector_job_threads must be >= 1 and connector_worker_timeout '
                         '>= 3 seconds, got %s and %s' % (job_threads, timeout))
    # several heartbeats fit in a timeout, so one slow beat does not kill a worker
    return {'job_threads': job_threads, 'worker_timeout': timeout,
            'heartbeat_interval': timeout / 6.0}


def databases_with_connector():
    """The databases whose registry is loaded in this process, with connector installed."""
    names = []
    for name in list(Registry.registries.keys()):
        registry = Registry.registries.get(name)
        if registry is not None and registry.ready and 'connector' in registry._init_modules:
            names.append(name)
    return names


class WorkerWatcher(threading.Thread):
    """Creates and destroys this process's Workers, one per database, and keeps them alive.

    Usage::

        watcher = WorkerWatcher(queue_settings())
        watcher.start()           # at the server's start-up points, never at import
        watcher.worker_for('shop_db')
        watcher.stop()            # at exit: workers release their jobs at once
    """

    def __init__(self, settings):
        super().__init__(name='connector.watcher', daemon=True)
        self.settings = settings
        self.pid = os.getpid()
        self.workers = {}
        self._stopping = threading.Event()
        self._lock = threading.Lock()

    def worker_for(self, dbname):
        return self.workers.get(dbname)

    def update_workers(self):
        """Start a worker for each new database, stop those of databases that went away."""
        wanted = set(databases_with_connector())
        with self._lock:
            if self._stopping.is_set():
                return
            crashed = {name for name, worker in self.workers.items() if not worker.is_alive()}
            for dbname in sorted(set(self.workers) - wanted | crashed):
                _logger.info('Connector job worker stops for database %s', dbname)
                self.workers.pop(dbname).stop(STOP_GRACE)
            for dbname in sorted(wanted - set(self.workers)):  # new, or replacing a crashed one
                _logger.info('Connector job worker starts for database %s (%s job threads)',
                             dbname, self.settings['job_threads'])
                worker = Worker(dbname, job_threads=self.settings['job_threads'])
                self.workers[dbname] = worker
                worker.start()

    def check_alive(self, dbname, worker):
        """Heartbeat of a live worker, then purge the dead workers of its database."""
        registry = Registry.registries.get(dbname)
        if registry is None or 'queue.worker' not in registry:
            return  # the database went away, or connector is being uninstalled
        try:
            if worker.is_alive():
                worker.heartbeat()
            with api.Environment.manage(), registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env['queue.worker'].purge_dead_workers(self.settings['worker_timeout'])
        except psycopg2.Error as err:
            if not queue_tables_gone(err):
                raise

    def run(self):
        while not self._stopping.is_set():
            try:
                self.update_workers()
                for dbname, worker in list(self.workers.items()):
                    self.check_alive(dbname, worker)
            except Exception:
                _logger.exception('Connector worker watcher: error, going on')
            # until a registry is ready, look often: workers start as soon as it is
            self._stopping.wait(self.settings['heartbeat_interval'] if self.workers
                                else min(self.settings['heartbeat_interval'], 0.5))

    def stop(self):
        """Stop every worker; their jobs are released at once, not after the timeout."""
        with self._lock:
            self._stopping.set()
            workers = list(self.workers.values())
            self.workers.clear()
        for worker in workers:
            try:
                worker.stop(STOP_GRACE)
            except Exception:
                _logger.exception('Worker of %s did not stop cleanly', worker.dbname)


_watcher = None
_watcher_lock = threading.Lock()


def running_watcher():
    """The watcher of this process, if it started one."""
    if _watcher is not None and _watcher.pid == os.getpid():
        return _watcher
    return None


def ensure_watcher_started():
    """Start this process's WorkerWatcher once; stop it when the process exits normally."""
    global _watcher
    with _watcher_lock:
        if running_watcher() is not None:
            return _watcher
        _watcher = WorkerWatcher(queue_settings())
        _watcher.start()
        atexit.register(_watcher.stop)
        _logger.info('Connector worker watcher started in process %s', os.getpid())
        return _watcher
