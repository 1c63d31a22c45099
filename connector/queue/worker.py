"""The Worker of one database in one process: claims jobs into its JobsQueue and runs them.

A Worker is a thread that LISTENs for new jobs, claims due ones with ``FOR UPDATE SKIP
LOCKED`` into its in-memory queue, and feeds a few job threads. Its row in ``queue_worker``
is kept alive by the WorkerWatcher; when the worker stops, its jobs are released at once.
"""
import logging
import os
import select
import socket
import threading
import time
import uuid as uuid_module
from datetime import datetime

import psycopg2
import psycopg2.extras
from psycopg2 import errorcodes

from odoo.modules.registry import Registry
from odoo.sql_db import connection_info_for

from .job import PENDING, parse_db_datetime
from .jobs_queue import JobsQueue
from .execution import run_claimed_job
from .queries import QUERIES
from .storage import job_from_claimed_row

_logger = logging.getLogger(__name__)

NOTIFY_CHANNEL = 'connector_queue'
POLL_INTERVAL = 5.0  # seconds between claims when no notification arrives
JOB_THREAD_WAIT = 1.0  # seconds a job thread waits on an empty queue before checking again
ERROR_BACKOFF = 5.0  # seconds before retrying after a database error in the claim loop
RELEASE_ATTEMPTS = 20  # tries of 0.1 s to release jobs whose interrupted cursor is closing
SIGNALING_CHECK_INTERVAL = 1.0  # seconds between two checks for a registry changed elsewhere
INTERRUPTED_MESSAGE = 'Interrupted: the worker stopped; requeued without counting a try.'
UNFINISHED_MESSAGE = 'Requeued: the worker failed while running the job (%s: %s).'


def queue_tables_gone(error):
    """Whether a database error says the queue's tables are gone (connector uninstalled)."""
    return getattr(error, 'pgcode', None) == errorcodes.UNDEFINED_TABLE


class Worker(threading.Thread):
    """One database, one process: claims due jobs and runs them in ``job_threads`` threads.

    Usage::

        worker = Worker('shop_db', job_threads=2)
        worker.start()            # registers in queue_worker, LISTENs, claims, runs jobs
        worker.heartbeat()        # what the WorkerWatcher calls every few seconds
        worker.stop(grace=10)     # finishes or interrupts running jobs, releases the others
    """

    def __init__(self, dbname, job_threads=2):
        super().__init__(name='connector.worker.%s' % dbname, daemon=True)
        self.dbname = dbname
        self.uuid = str(uuid_module.uuid4())
        self.job_threads = job_threads
        self.queue = JobsQueue()
        self.worker_id = None
        self.running_cursors = {}
        self._stopping = threading.Event()
        self._registered = threading.Event()
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_write, False)
        self._control = None
        self._control_lock = threading.Lock()
        self._threads = []
        self._more_to_claim = False
        self._next_due = None  # when the next postponed job is due, as far as we know
        self.registry = None
        self._signaling_checked_at = 0.0

    # --- database connections -------------------------------------------------------------

    def _connect(self):
        _dbname, params = connection_info_for(self.dbname)
        connection = psycopg2.connect(**params)
        connection.autocommit = True
        with connection.cursor() as cr:
            # claims, heartbeats and releases: losing the last ones in an OS crash only
            # leaves jobs pending or a worker to purge, so they need not wait for the disk
            cr.execute('SET synchronous_commit TO OFF')
        return connection

    def _execute(self, query_name, params=None, fetch=True):
        """Run a named query on the worker's own autocommit connection."""
        with self._control_lock:
            if self._control is None or self._control.closed:
                self._control = self._connect()
            with self._control.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cr:
                cr.execute(QUERIES[query_name], params or {})
                return cr.fetchall() if fetch and cr.description else None

    def register(self):
        rows = self._execute('register_worker', {
            'uuid': self.uuid, 'pid': os.getpid(), 'hostname': socket.gethostname()})
        self.worker_id = rows[0]['id']
        self._registered.set()
        return self.worker_id

    def heartbeat(self):
        """Tell the database this worker is alive; register again if it was purged."""
        if not self._registered.is_set() or self._stopping.is_set():
            return
        if not self._execute('heartbeat', {'worker_id': self.worker_id}):
            _logger.warning('Worker %s of %s was purged as dead; registering again',
                            self.uuid, self.dbname)
            self.queue.drain()  # those jobs were freed: others may run them now
            self.register()

    def wake(self):
        try:
            os.write(self._wake_write, b'.')
        except BlockingIOError:
            pass  # the pipe is full: a wake-up is already pending

    # --- the claim loop -------------------------------------------------------------------

    def run(self):
        threading.current_thread().dbname = self.dbname
        listener = None
        try:
            self.register()
            for index in range(self.job_threads):
                thread = threading.Thread(target=self._run_jobs, daemon=True,
                                          name='connector.job.%s.%d' % (self.dbname, index))
                thread.start()
                self._threads.append(thread)
            while not self._stopping.is_set():
                try:
                    if listener is None or listener.closed:
                        listener = self._connect()
                        listener.cursor().execute('LISTEN %s' % NOTIFY_CHANNEL)
                    self._refresh_registry()
                    timeout = self._claim()
                    self._wait(listener, timeout)
                except psycopg2.Error as err:
                    if queue_tables_gone(err):
                        _logger.info('Worker %s of %s stops: connector was uninstalled',
                                     self.uuid, self.dbname)
                        return
                    _logger.exception('Worker %s of %s: database error; retrying in %ss',
                                      self.uuid, self.dbname, ERROR_BACKOFF)
                    listener = None
                    self._stopping.wait(ERROR_BACKOFF)
        finally:
            if listener is not None and not listener.closed:
                listener.close()

    def _refresh_registry(self):
        """The registry job threads use; reloaded when another process changed modules."""
        registry = Registry.registries.get(self.dbname)
        if registry is not None and time.time() - self._signaling_checked_at \
                >= SIGNALING_CHECK_INTERVAL:
            registry = registry.check_signaling()
            self._signaling_checked_at = time.time()
        self.registry = registry

    def _claim(self):
        """Claim jobs to keep the queue filled; return how long to wait before the next claim."""
        wanted = 2 * self.job_threads - len(self.queue)
        if wanted > 0:
            rows = self._execute('claim_jobs', {'worker_id': self.worker_id, 'limit': wanted})
            for row in rows:
                job = job_from_claimed_row(row)
                job.worker_id = self.worker_id
                self.queue.put(job, (job.priority, job.due, job.id))
            # a full claim means more may be due: job threads ask for more when running low
            self._more_to_claim = len(rows) == wanted
            if self._more_to_claim:
                return 0.0 if len(self.queue) < self.job_threads else POLL_INTERVAL
            if rows:
                return self._seconds_until(self._next_due)  # caught up with what is due
        elif self._more_to_claim:
            return POLL_INTERVAL
        rows = self._execute('next_due_date', {'worker_id': self.worker_id})
        self._next_due = parse_db_datetime(rows[0]['min']) if rows else None
        return self._seconds_until(self._next_due)

    @staticmethod
    def _seconds_until(due):
        if due is None:
            return POLL_INTERVAL
        seconds = (due - datetime.utcnow()).total_seconds()
        return min(POLL_INTERVAL, max(seconds, 0.05))

    def _postponed(self, job):
        """A job thread postponed a job: claim it again when it is due."""
        self._next_due = min(job.eta, self._next_due or job.eta)
        self.wake()

    def _wait(self, listener, timeout):
        if timeout <= 0:
            return
        readable, _, _ = select.select([listener, self._wake_read], [], [], timeout)
        if self._wake_read in readable:
            os.read(self._wake_read, 4096)
        if listener in readable:
            listener.poll()
            del listener.notifies[:]

    # --- the job threads ------------------------------------------------------------------

    def _run_jobs(self):
        """A job thread: runs jobs from the queue, on one cursor kept from job to job."""
        threading.current_thread().dbname = self.dbname
        cursor = None
        try:
            while not self._stopping.is_set():
                job = self.queue.get(timeout=JOB_THREAD_WAIT)
                if self._more_to_claim and len(self.queue) < self.job_threads:
                    self.wake()  # running low while more jobs are due: claim more
                if job is None or self._stopping.is_set():
                    continue  # a job taken while stopping stays enqueued: release_jobs frees it
                if self.registry is None:
                    continue  # the server is shutting down: release_jobs frees the job at stop
                try:
                    if cursor is None or cursor.closed:
                        cursor = self.registry.cursor()
                    if run_claimed_job(cursor, job, self.worker_id,
                                       self.running_cursors) == PENDING:
                        self._postponed(job)
                except Exception as err:
                    _logger.exception('Worker %s of %s could not run job %s',
                                      self.uuid, self.dbname, job.uuid)
                    cursor = self._discard(cursor)
                    self._requeue_unfinished(err)
        finally:
            self._discard(cursor)

    def _requeue_unfinished(self, error):
        """After an error of the worker itself (its connection broke while it stored an
        outcome, say), requeue its started jobs that nobody runs: their transactions were
        rolled back. The try counts, so a job that always trips the worker ends failed."""
        try:
            self._execute('requeue_lost_jobs', {
                'worker_ids': [self.worker_id],
                'message': UNFINISHED_MESSAGE % (type(error).__name__, error)})
        except psycopg2.Error:
            _logger.exception('Worker %s of %s could not requeue its unfinished jobs; the '
                              'worker timeout will', self.uuid, self.dbname)

    @staticmethod
    def _discard(cursor):
        """Close a job thread's cursor whatever its state; the next job opens a new one."""
        if cursor is not None and not cursor.closed:
            try:
                cursor.close()
            except psycopg2.Error:
                pass  # its connection is already broken: closing it was the point
        return None

    # --- stopping -------------------------------------------------------------------------

    def stop(self, grace=10.0):
        """Stop claiming; let running jobs finish for ``grace`` seconds, interrupt the rest;
        release every job of this worker without counting a try; remove its row."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        self.wake()
        self.queue.wake_all()
        deadline = time.time() + grace
        for thread in self._threads:
            thread.join(max(deadline - time.time(), 0))
        self._interrupt_running_jobs()
        if self._registered.is_set():
            try:
                self.release_jobs()
            except psycopg2.Error as err:
                if not queue_tables_gone(err):
                    raise  # gone tables: connector was uninstalled, with its jobs
        self.join(max(deadline - time.time(), 1.0))
        with self._control_lock:
            if self._control is not None and not self._control.closed:
                self._control.close()

    def _interrupt_running_jobs(self):
        for job_id in list(self.running_cursors):
            cursor = self.running_cursors.pop(job_id)
            _logger.warning('Worker %s of %s interrupts job %s at stop',
                            self.uuid, self.dbname, job_id)
            connection = cursor._cnx
            connection.cancel()
            connection.close()

    def release_jobs(self):
        """Give back this worker's jobs at once: queued ones, and started ones not counted."""
        params = {'worker_ids': [self.worker_id], 'message': INTERRUPTED_MESSAGE}
        self.queue.drain()
        freed = interrupted = 0
        for _attempt in range(RELEASE_ATTEMPTS):
            freed += len(self._execute('free_queued_jobs', params))
            interrupted += len(self._execute('release_interrupted_jobs', params))
            if self._execute('delete_workers_without_jobs', params):
                _logger.info('Worker %s of %s stopped: released %d queued and %d interrupted '
                             'jobs', self.uuid, self.dbname, freed, interrupted)
                return True
            time.sleep(0.1)  # an interrupted job's backend may still hold its row lock
        _logger.warning('Worker %s of %s: some jobs stayed locked; the timeout will free them',
                        self.uuid, self.dbname)
        return False
