"""The three measurements both queues get, written once: enqueue rate, drain throughput, latency.

A queue plugs in as two factories, given an Odoo environment: ``noop_delayer(env)`` returns
a function that delays one no-op job, ``probe_delayer(env)`` one of a sample number that
delays a job writing ``time.time()`` at its start into ``bench_job_start``. Nothing here
knows which queue it measures.

Usage::

    from bench.measure import OdooClient, enqueue_rate, drain_throughput, start_latency
    client = OdooClient(config_path)
    registry = client.registry('bench_db')
    enqueue_rate(client, registry, queue.noop_delayer, 10000)
    drain_throughput(client, registry, queue.noop_delayer, 2000)   # servers must be running
    start_latency(client, registry, queue.probe_delayer, 200)      # idle queue
"""
import random
import statistics
import time
from contextlib import contextmanager

from .databases import connect

DONE_POLL_INTERVAL = 0.02     # seconds between two counts of done jobs
PROBE_POLL_INTERVAL = 0.002   # seconds between two looks for a latency sample's row
DRAIN_TIMEOUT = 300.0         # seconds for a batch of jobs to be done
SAMPLE_TIMEOUT = 30.0         # seconds for one latency probe job to start
LATENCY_GAP = (0.01, 0.05)    # seconds, uniform random pause between two latency samples
RANDOM_SEED = 20260101        # the same gaps in every run


class BenchmarkError(Exception):
    """A measurement could not complete: jobs failed, stalled, or never started."""


class OdooClient:
    """Odoo loaded in this process as a client: it delays jobs, it never runs them.

    No server is started here (``odoo.service.server.server`` stays None), so neither
    connector's WorkerWatcher nor queue_job's runner starts in this process.
    """

    def __init__(self, config_path):
        import odoo
        odoo.tools.config.parse_config(
            ['-c', str(config_path), '--max-cron-threads=0', '--log-level=warn'])
        self.odoo = odoo

    def registry(self, database):
        return self.odoo.registry(database)

    @contextmanager
    def environment(self, registry):
        """A superuser environment on a new cursor; the caller commits."""
        api = self.odoo.api
        with api.Environment.manage(), registry.cursor() as cr:
            yield api.Environment(cr, self.odoo.SUPERUSER_ID, {})


def _job_states(database):
    rows = _query_rows(database, 'SELECT state, count(*) FROM queue_job GROUP BY state')
    return dict(rows)


def _query_rows(database, sql, params=()):
    connection = connect(database)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        connection.close()


def enqueue_rate(client, registry, noop_delayer, count):
    """Delay `count` no-op jobs in one transaction and commit; jobs/s of the whole, commit
    included. Run it with no server on the database, so that nothing competes for CPU."""
    with client.environment(registry) as env:
        delay = noop_delayer(env)
        started = time.perf_counter()
        for _index in range(count):
            delay()
        env.cr.commit()
        seconds = time.perf_counter() - started
    return {'jobs': count, 'seconds': round(seconds, 3),
            'jobs_per_second': round(count / seconds, 1)}


def wait_until_done(database, expected_done, timeout=DRAIN_TIMEOUT):
    """Poll until `expected_done` jobs are done; the time.time() when seen. Raises
    BenchmarkError when a job failed or the jobs stall past `timeout`."""
    connection = connect(database)
    deadline = time.monotonic() + timeout
    try:
        with connection.cursor() as cursor:
            while True:
                cursor.execute("SELECT count(*) FILTER (WHERE state = 'done'), "
                               "count(*) FILTER (WHERE state = 'failed') FROM queue_job")
                done, failed = cursor.fetchone()
                now = time.time()
                if failed:
                    raise BenchmarkError('%d job(s) failed in %s: %s' % (
                        failed, database, _job_states(database)))
                if done >= expected_done:
                    return now
                if time.monotonic() > deadline:
                    raise BenchmarkError('only %d of %d jobs done in %s after %ss: %s' % (
                        done, expected_done, database, timeout, _job_states(database)))
                time.sleep(DONE_POLL_INTERVAL)
    finally:
        connection.close()


def drain_throughput(client, registry, noop_delayer, count, database=None):
    """Delay `count` no-op jobs in one transaction, commit, and wait until all are done.

    jobs/s = count / (time all are seen done - time right after the commit): the life cycle
    of a burst (wake-up, claim, start, run, done), without the cost of delaying it, which
    ``enqueue_rate`` measures.
    """
    database = database or registry.db_name
    done_before = _job_states(database).get('done', 0)
    with client.environment(registry) as env:
        delay = noop_delayer(env)
        for _index in range(count):
            delay()
        env.cr.commit()
        committed_at = time.time()
    done_at = wait_until_done(database, done_before + count)
    seconds = done_at - committed_at
    return {'jobs': count, 'seconds': round(seconds, 3),
            'jobs_per_second': round(count / seconds, 1)}


def percentile(values, fraction):
    """The `fraction` quantile of `values`, linear between closest ranks.

    >>> percentile([1, 2, 3, 4, 5], 0.5), percentile([1, 2, 3, 4, 5], 0.99)
    (3.0, 4.96)
    """
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def start_latency(client, registry, probe_delayer, samples, database=None):
    """Commit-of-a-delay to job-start latency, one job at a time on an idle queue.

    For each sample: delay a probe job, commit, note ``time.time()`` right after the commit;
    the job writes ``time.time()`` when its function starts; latency = the difference. The
    next sample waits for the previous job's row, then a small random gap.
    """
    database = database or registry.db_name
    rng = random.Random(RANDOM_SEED)
    latencies = []
    watcher = connect(database)
    try:
        with watcher.cursor() as cursor:
            cursor.execute('SELECT coalesce(max(sample), 0) FROM bench_job_start')
            first = cursor.fetchone()[0] + 1
            for sample in range(first, first + samples):
                with client.environment(registry) as env:
                    probe_delayer(env)(sample)
                    env.cr.commit()
                    committed_at = time.time()
                deadline = time.monotonic() + SAMPLE_TIMEOUT
                while True:
                    cursor.execute('SELECT started_at FROM bench_job_start WHERE sample = %s',
                                   (sample,))
                    row = cursor.fetchone()
                    if row:
                        latencies.append(row[0] - committed_at)
                        break
                    if time.monotonic() > deadline:
                        raise BenchmarkError('probe job %d did not start within %ss: %s' % (
                            sample, SAMPLE_TIMEOUT, _job_states(database)))
                    time.sleep(PROBE_POLL_INTERVAL)
                time.sleep(rng.uniform(*LATENCY_GAP))
    finally:
        watcher.close()
    milliseconds = [value * 1000.0 for value in latencies]
    return {'samples': len(milliseconds),
            'p50_ms': round(percentile(milliseconds, 0.50), 2),
            'p99_ms': round(percentile(milliseconds, 0.99), 2),
            'mean_ms': round(statistics.mean(milliseconds), 2),
            'min_ms': round(min(milliseconds), 2),
            'max_ms': round(max(milliseconds), 2)}
