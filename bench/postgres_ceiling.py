"""The raw PostgreSQL ceiling: a claim-based job life cycle in plain SQL, driven by pgbench.

One pgbench transaction script is one job's life, three commits as in a claim-based queue:
INSERT a pending job; claim the best pending one (``UPDATE ... WHERE id = (SELECT ... FOR
UPDATE SKIP LOCKED)``); mark it done. The table has the shape and indexes of a job table
(uuid unique, state, a partial claim-order index on pending jobs) and no trigger; the
database is a fresh ``bench_pg_ceiling`` dropped afterwards. pgbench is written in C, so the
client costs the two cores as little as a client can.

Usage::

    from bench.postgres_ceiling import measure_ceiling
    measure_ceiling(clients=(1, 4))
    # {'1': {'jobs_per_second': 850.0, ...}, '4': {...}}

    python -m bench.postgres_ceiling        # prints the same, alone
"""
import glob
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .databases import connection_settings, drop_database, query

DATABASE = 'bench_pg_ceiling'
CLIENTS = (1, 4)              # pgbench client connections, one run each
DURATION = 8                  # seconds of each pgbench run
PGBENCH_TIMEOUT = 120.0       # seconds before a pgbench run is killed
PGBENCH_FALLBACK = '/usr/lib/postgresql/*/bin/pgbench'

SCHEMA = """
CREATE TABLE ceiling_job (
    id bigserial PRIMARY KEY,
    uuid varchar NOT NULL,
    state varchar NOT NULL,
    priority integer NOT NULL DEFAULT 10,
    eta timestamp,
    func_name varchar NOT NULL,
    args text,
    worker integer,
    date_created timestamp,
    date_started timestamp,
    date_done timestamp
);
CREATE UNIQUE INDEX ceiling_job_uuid ON ceiling_job (uuid);
CREATE INDEX ceiling_job_state ON ceiling_job (state);
CREATE INDEX ceiling_job_claim_order ON ceiling_job (priority, id) WHERE state = 'pending';
"""

# One job's life per pgbench transaction: three statements, three commits (autocommit).
LIFE_CYCLE_SCRIPT = """
INSERT INTO ceiling_job (uuid, state, priority, func_name, args, date_created)
VALUES (gen_random_uuid()::text, 'pending', 10, 'noop', '[]', now() AT TIME ZONE 'UTC');
WITH claimed AS (
    UPDATE ceiling_job SET state = 'started', worker = :client_id,
                           date_started = now() AT TIME ZONE 'UTC'
     WHERE id = (SELECT id FROM ceiling_job WHERE state = 'pending'
                  ORDER BY priority, id LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING id)
SELECT coalesce((SELECT id FROM claimed), 0) AS job_id \\gset
UPDATE ceiling_job SET state = 'done', date_done = now() AT TIME ZONE 'UTC' WHERE id = :job_id;
"""


class CeilingError(Exception):
    """pgbench could not run or its output could not be read."""


def pgbench_path():
    found = shutil.which('pgbench') or next(iter(sorted(glob.glob(PGBENCH_FALLBACK))), None)
    if not found:
        raise CeilingError('pgbench not found (PATH, %s)' % PGBENCH_FALLBACK)
    return found


def _run_pgbench(script_path, clients):
    settings = connection_settings()
    command = [pgbench_path(), '--no-vacuum', '--file', str(script_path),
               '--client', str(clients), '--jobs', str(min(clients, 2)),
               '--time', str(DURATION),
               '--host', settings.get('host', '127.0.0.1'),
               '--port', str(settings.get('port', 5432)),
               '--username', settings.get('user', 'odoo'), DATABASE]
    result = subprocess.run(command, capture_output=True, text=True, timeout=PGBENCH_TIMEOUT)
    if result.returncode:
        raise CeilingError('pgbench failed (%s):\n%s' % (result.returncode, result.stderr))
    processed = re.search(r'number of transactions actually processed: (\d+)', result.stdout)
    tps = re.search(r'tps = ([\d.]+) \(without initial connection time\)', result.stdout)
    if not (processed and tps):
        raise CeilingError('unexpected pgbench output:\n%s' % result.stdout)
    return int(processed.group(1)), float(tps.group(1))


def measure_ceiling(clients=CLIENTS):
    """jobs/s of the plain-SQL life cycle for each number of client connections."""
    drop_database(DATABASE)
    query('postgres', 'CREATE DATABASE "%s"' % DATABASE)
    results = {}
    try:
        query(DATABASE, SCHEMA)
        with tempfile.TemporaryDirectory(prefix='bench-ceiling-') as directory:
            script_path = Path(directory) / 'life_cycle.sql'
            script_path.write_text(LIFE_CYCLE_SCRIPT)
            for count in clients:
                query(DATABASE, 'TRUNCATE ceiling_job RESTART IDENTITY')
                query(DATABASE, 'VACUUM ANALYZE ceiling_job')
                transactions, tps = _run_pgbench(script_path, count)
                done = query(DATABASE, "SELECT count(*) FROM ceiling_job WHERE state = 'done'")
                done = done[0][0]
                # a claim that found nothing (another client took the job) completes no job
                results[str(count)] = {
                    'clients': count, 'seconds': DURATION, 'scripts': transactions,
                    'jobs_done': done,
                    'jobs_per_second': round(tps * done / transactions, 1) if transactions else 0.0,
                    'commits_per_second': round(3 * tps, 1)}
    finally:
        drop_database(DATABASE)
    return results


if __name__ == '__main__':
    print(json.dumps(measure_ceiling(), indent=2))
