"""The job queue across real Odoo server processes: exactly-once execution, crash recovery,
release at a normal stop, and prefork cron workers as the only job runners."""
import signal
import time

import pytest

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

from odoo.addons.connector.session import ConnectorSession
from odoo.addons.test_connector_queue import jobs

from odoo_server import TEST_CONFIG, OdooServer, poll_query, query, template_database

QUEUE_MODULES = ['connector', 'test_connector_queue']
QUEUE_SOURCES = ['connector', 'tests/addons/test_connector_queue']
SHORT_WORKER_TIMEOUT = 6  # seconds: a killed server's worker is purged this fast
PREFORK_START_TIMEOUT = 180  # seconds: cron workers first poll 60-70 s after start


@pytest.fixture(scope='session')
def queue_template(dependencies_template):
    return template_database('queue', QUEUE_MODULES, base=dependencies_template,
                             sources=QUEUE_SOURCES)


@pytest.fixture
def queue_database(new_database, queue_template):
    database = new_database(queue_template, 'queue')
    yield database
    # this process loaded the database's registry to delay jobs: close it before the drop
    Registry.delete(database)
    odoo.sql_db.close_db(database)


def queue_config(tmp_path, **options):
    """A copy of the test configuration with job queue options added."""
    text = TEST_CONFIG.read_text() + ''.join(
        '%s = %s\n' % (key, value) for key, value in options.items())
    path = tmp_path / 'queue.conf'
    path.write_text(text)
    return path


def delay_records(database, names, **delay_options):
    """Delay one write_record job per name, all in one committed transaction."""
    with api.Environment.manage(), odoo.registry(database).cursor() as cr:
        session = ConnectorSession.from_env(api.Environment(cr, SUPERUSER_ID, {}))
        return [jobs.write_record.delay(session, name, **delay_options) for name in names]


def wait_for(database, sql, params=(), timeout=60.0):
    """Rows of `sql` once it returns any; fails the test after `timeout` seconds."""
    rows = poll_query(database, sql, params, timeout=timeout)
    assert rows, 'still nothing after %ss: %s %% %r; jobs: %s' % (
        timeout, sql, params, query(database, "SELECT state, count(*) FROM queue_job GROUP BY 1"))
    return rows


def wait_all_done(database, count, timeout):
    return wait_for(database, "SELECT count(*) FROM queue_job WHERE state = 'done' "
                    "HAVING count(*) >= %s", (count,), timeout=timeout)


def records_per_name(database):
    return dict(query(database, "SELECT name, count(*) FROM queue_test_record GROUP BY name"))


def test_two_servers_run_2000_jobs_exactly_once(queue_database, tmp_path):
    config = queue_config(tmp_path, connector_job_threads=2)
    names = ['job-%04d' % index for index in range(2000)]
    with OdooServer(queue_database, config=config) as first, \
            OdooServer(queue_database, config=config) as second:
        delay_records(queue_database, names)
        wait_all_done(queue_database, len(names), timeout=300)
        pids = dict(query(queue_database,
                          "SELECT pid, count(*) FROM queue_test_record GROUP BY pid"))
    counts = records_per_name(queue_database)
    assert sorted(counts) == names
    assert set(counts.values()) == {1}
    assert set(pids) == {first.pid, second.pid}, 'both processes ran jobs: %s' % pids
    assert query(queue_database, "SELECT count(*) FROM queue_job WHERE retry != 1") == [(0,)]


def test_killed_server_jobs_are_recovered_by_the_other_within_the_timeout(
        queue_database, tmp_path):
    config = queue_config(tmp_path, connector_job_threads=2,
                          connector_worker_timeout=SHORT_WORKER_TIMEOUT)
    names = ['slow-%02d' % index for index in range(16)]
    with OdooServer(queue_database, config=config) as victim, \
            OdooServer(queue_database, config=config):
        delay_records(queue_database, names, sleep=1.0)
        started = wait_for(
            queue_database,
            "SELECT j.uuid FROM queue_job j JOIN queue_worker w ON w.id = j.worker_id "
            "WHERE w.pid = %s AND j.state = 'started'", (victim.pid,), timeout=60)
        victim.kill()
        killed_at = time.monotonic()
        lost = [uuid for (uuid,) in started]
        wait_for(queue_database, "SELECT 1 FROM queue_job WHERE uuid IN %s "
                   "GROUP BY 1 HAVING bool_and(state IN ('started', 'done'))",
                   (tuple(lost),), timeout=60)
        recovered_after = time.monotonic() - killed_at
        wait_all_done(queue_database, len(names), timeout=120)
    assert recovered_after < SHORT_WORKER_TIMEOUT * 2, recovered_after
    counts = records_per_name(queue_database)
    assert sorted(counts) == names and set(counts.values()) == {1}
    retries = dict(query(queue_database, "SELECT uuid, retry FROM queue_job WHERE uuid IN %s",
                         (tuple(lost),)))
    assert set(retries.values()) == {2}, 'the lost try counts: %s' % retries
    assert query(queue_database, "SELECT count(*) FROM queue_worker WHERE pid = %s",
                 (victim.pid,)) == [(0,)]


def test_stopped_server_releases_its_jobs_at_once_without_counting(queue_database, tmp_path):
    config = queue_config(tmp_path, connector_job_threads=1)  # default 30 s worker timeout
    with OdooServer(queue_database, config=config) as leaving:
        [interrupted] = delay_records(queue_database, ['interrupted'], sleep=25)
        wait_for(queue_database, "SELECT 1 FROM queue_job WHERE uuid = %s AND state = "
                 "'started'", (interrupted,), timeout=60)
        queued = delay_records(queue_database, ['queued-%d' % index for index in range(3)])
        wait_for(queue_database, "SELECT 1 FROM queue_job WHERE uuid = %s AND state = "
                 "'enqueued'", (queued[0],), timeout=60)
        stopped_at = time.monotonic()
        assert leaving.stop(signal.SIGTERM) == 0
        released_after = time.monotonic() - stopped_at
    rows = dict(query(queue_database, "SELECT uuid, state || ':' || retry FROM queue_job"))
    assert rows[interrupted] == 'pending:0'
    assert {rows[uuid] for uuid in queued} <= {'pending:0', 'done:1'}
    assert query(queue_database, "SELECT count(*) FROM queue_worker") == [(0,)]
    assert released_after < 20, 'released at the stop, not after the worker timeout'
    with OdooServer(queue_database, config=config):
        wait_all_done(queue_database, 4, timeout=90)
    assert query(queue_database, "SELECT retry FROM queue_job WHERE uuid = %s",
                 (interrupted,)) == [(1,)]


def test_prefork_runs_jobs_in_cron_workers_only(queue_database):
    with OdooServer(queue_database, workers=2, max_cron_threads=1) as server:
        [(worker_pid,)] = wait_for(queue_database, "SELECT pid FROM queue_worker",
                                   timeout=PREFORK_START_TIMEOUT)
        cron_pids = server.worker_pids('WorkerCron')
        http_pids = server.worker_pids('WorkerHTTP')
        delay_records(queue_database, ['in prefork'])
        wait_all_done(queue_database, 1, timeout=60)
        runner_pids = [pid for (pid,) in query(queue_database, "SELECT pid FROM queue_worker")]
    assert worker_pid in cron_pids
    assert worker_pid not in http_pids and worker_pid != server.pid
    assert runner_pids == [worker_pid]
    assert query(queue_database, "SELECT pid FROM queue_test_record") == [(worker_pid,)]


def test_recycled_prefork_cron_worker_releases_its_jobs_at_once(queue_database):
    # a memory limit below any process makes Odoo recycle each worker after one loop
    with OdooServer(queue_database, workers=1, max_cron_threads=1,
                    args=['--limit-memory-soft=1']) as server:
        delay_records(queue_database, ['recycled-%d' % index for index in range(12)], sleep=2)
        [record] = server.wait_for_log(r'^Connector worker watcher started in process \d+$',
                                       timeout=PREFORK_START_TIMEOUT)
        cron_pid = int(record.group('pid'))
        server.wait_for_log(r'^Worker \(%d\) exiting' % cron_pid, timeout=120)
        exited_at = time.monotonic()
        server.wait_for_log(r'^Worker \S+ of \S+ stopped: released', timeout=30)
        released_after = time.monotonic() - exited_at
        released = [line for line in server.log_records(r'^Worker \S+ of \S+ stopped: released')
                    if int(line.group('pid')) == cron_pid]
        worker_rows = query(queue_database, "SELECT count(*) FROM queue_worker WHERE pid = %s",
                            (cron_pid,))
        states = query(queue_database, "SELECT state, retry FROM queue_job")
    assert len(released) == 1, 'the exiting cron worker released its jobs itself'
    assert released_after < 15, 'at its exit, not after the 30 s worker timeout'
    assert worker_rows == [(0,)]
    # no try was counted for a job the recycling interrupted: running ones start at 0
    assert set(states) <= {('pending', 0), ('enqueued', 0), ('started', 0), ('done', 1)}, states
