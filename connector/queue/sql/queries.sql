-- The SQL of the job queue, one named query each; Python refers to them by name through
-- connector.queue.queries. Times are naive UTC, as Odoo stores them. Job states are literals.

-- name: insert_job
-- Store a new pending job, in the transaction of the code that delays it.
INSERT INTO queue_job (uuid, func_name, args, kwargs, state, priority, eta, retry, max_retries,
                       name, identity_key, channel, model_name, user_id, company_id,
                       date_created, backend_ref)
VALUES (%(uuid)s, %(func_name)s, %(args)s, %(kwargs)s, 'pending', %(priority)s, %(eta)s, 0,
        %(max_retries)s, %(description)s, %(identity_key)s, %(channel)s, %(model_name)s,
        %(user_id)s, %(company_id)s, %(date_created)s, %(backend_ref)s)

-- name: job_uuid_by_identity_key
-- The uuid of the job, not done nor cancelled, that holds an identity key.
SELECT uuid FROM queue_job
 WHERE identity_key = %(identity_key)s AND state NOT IN ('done', 'cancelled')

-- name: register_worker
-- Create the row of a worker, or mark it alive again if it exists.
INSERT INTO queue_worker (uuid, pid, hostname, database, date_start, date_alive)
VALUES (%(uuid)s, %(pid)s, %(hostname)s, current_database(),
        now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
ON CONFLICT (uuid) DO UPDATE SET date_alive = EXCLUDED.date_alive
RETURNING id

-- name: heartbeat
-- Mark a worker alive; no row back means it was purged as dead.
UPDATE queue_worker SET date_alive = now() AT TIME ZONE 'UTC' WHERE id = %(worker_id)s
RETURNING id

-- name: claim_jobs
-- Take the next due jobs, best first, that are free or assigned to this worker.
WITH next_jobs AS (
    SELECT id FROM queue_job
     WHERE state = 'pending'
       AND COALESCE(eta, date_created) <= now() AT TIME ZONE 'UTC'
       AND (worker_id IS NULL OR worker_id = %(worker_id)s)
     ORDER BY priority, COALESCE(eta, date_created), id
     LIMIT %(limit)s
       FOR UPDATE SKIP LOCKED)
UPDATE queue_job
   SET state = 'enqueued', worker_id = %(worker_id)s,
       date_enqueued = now() AT TIME ZONE 'UTC', date_started = NULL
  FROM next_jobs
 WHERE queue_job.id = next_jobs.id
RETURNING queue_job.id, queue_job.uuid, queue_job.func_name, queue_job.args, queue_job.kwargs,
          queue_job.priority, COALESCE(queue_job.eta, queue_job.date_created) AS due,
          queue_job.retry, queue_job.max_retries, queue_job.user_id, queue_job.company_id,
          queue_job.channel, queue_job.model_name, queue_job.identity_key, queue_job.name,
          queue_job.date_created, queue_job.eta, queue_job.date_enqueued

-- name: next_due_date
-- When the next postponed job that this worker may claim is due.
SELECT min(eta) FROM queue_job
 WHERE state = 'pending' AND eta > now() AT TIME ZONE 'UTC'
   AND (worker_id IS NULL OR worker_id = %(worker_id)s)

-- name: start_job
-- Mark a claimed job started; no row back means it is no longer this worker's to run.
-- Its commit need not wait for the disk: a lost mark only costs the job one more try.
SET LOCAL synchronous_commit TO OFF;
UPDATE queue_job SET state = 'started', date_started = now() AT TIME ZONE 'UTC'
 WHERE id = %(job_id)s AND state = 'enqueued' AND worker_id = %(worker_id)s
RETURNING id

-- name: lock_started_job
-- Hold the row of a running job until its transaction ends: no one else can touch it.
SELECT id FROM queue_job WHERE id = %(job_id)s AND state = 'started' FOR NO KEY UPDATE

-- name: store_job_outcome
-- Write what running a job changed (state, tries, result, traceback, dates, worker).
UPDATE queue_job
   SET state = %(state)s, retry = %(retry)s, result = %(result)s, exc_info = %(exc_info)s,
       eta = %(eta)s, worker_id = %(worker_id)s, date_enqueued = %(date_enqueued)s,
       date_started = %(date_started)s, date_done = %(date_done)s
 WHERE id = %(job_id)s

-- name: dead_workers
-- Workers silent for longer than the timeout (seconds).
SELECT id FROM queue_worker
 WHERE date_alive < now() AT TIME ZONE 'UTC' - %(timeout)s * interval '1 second'
   FOR UPDATE SKIP LOCKED

-- name: free_queued_jobs
-- Give back the jobs that workers claimed but did not start.
UPDATE queue_job SET state = 'pending', worker_id = NULL, date_enqueued = NULL
 WHERE id IN (SELECT id FROM queue_job
               WHERE worker_id = ANY(%(worker_ids)s) AND state IN ('pending', 'enqueued')
                 FOR UPDATE SKIP LOCKED)
RETURNING id

-- name: requeue_lost_jobs
-- Started jobs of dead workers (or of a worker that failed while running them): count the
-- lost try, then requeue, or fail once tries are spent. Rows still locked belong to a job
-- that is still running somewhere: they are left alone.
UPDATE queue_job
   SET state = CASE WHEN max_retries > 0 AND retry + 1 >= max_retries
                    THEN 'failed' ELSE 'pending' END,
       retry = retry + 1, worker_id = NULL, date_enqueued = NULL, date_started = NULL,
       result = %(message)s, exc_info = %(message)s
 WHERE id IN (SELECT id FROM queue_job
               WHERE worker_id = ANY(%(worker_ids)s) AND state = 'started'
                 FOR UPDATE SKIP LOCKED)
RETURNING id, state

-- name: release_interrupted_jobs
-- Started jobs of a worker that stops normally: requeue them without counting a try.
UPDATE queue_job
   SET state = 'pending', worker_id = NULL, date_enqueued = NULL, date_started = NULL,
       result = %(message)s
 WHERE id IN (SELECT id FROM queue_job
               WHERE worker_id = ANY(%(worker_ids)s) AND state = 'started'
                 FOR UPDATE SKIP LOCKED)
RETURNING id

-- name: delete_workers_without_jobs
-- Remove worker rows that no job refers to any more.
DELETE FROM queue_worker
 WHERE id = ANY(%(worker_ids)s)
   AND NOT EXISTS (SELECT 1 FROM queue_job WHERE queue_job.worker_id = queue_worker.id)
RETURNING id

-- name: assign_stalled_jobs
-- Safety net of the "Enqueue Jobs" cron: spread due jobs that nobody claimed for a while
-- over the live workers, round robin.
WITH live AS (
    SELECT id, row_number() OVER (ORDER BY id) - 1 AS slot, count(*) OVER () AS workers
      FROM queue_worker
     WHERE date_alive >= now() AT TIME ZONE 'UTC' - %(timeout)s * interval '1 second'),
stalled AS (
    SELECT id FROM queue_job
     WHERE state = 'pending' AND worker_id IS NULL
       AND COALESCE(eta, date_created)
           <= now() AT TIME ZONE 'UTC' - %(stalled_after)s * interval '1 second'
     ORDER BY priority, COALESCE(eta, date_created), id
     LIMIT %(limit)s
       FOR UPDATE SKIP LOCKED),
ranked AS (SELECT id, row_number() OVER () - 1 AS rank FROM stalled)
UPDATE queue_job SET worker_id = live.id
  FROM ranked JOIN live ON ranked.rank %% live.workers = live.slot
 WHERE queue_job.id = ranked.id
RETURNING queue_job.id

-- name: wake_workers
-- Wake the workers of this database (they LISTEN on this channel).
SELECT pg_notify('connector_queue', current_database())

-- name: lock_jobs_not_running
-- Lock jobs for a manual change; fails at once (55P03) if one of them is running.
SELECT id FROM queue_job WHERE id = ANY(%(job_ids)s) FOR NO KEY UPDATE NOWAIT
