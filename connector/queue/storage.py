"""Storage of jobs in ``queue_job``: ``enqueue`` (what ``.delay()`` does) and the rows of claimed jobs.

Plain SQL through the caller's cursor: a job costs one INSERT, and the ``queue_job_notify``
statement trigger wakes the workers once per transaction, when it commits.
"""
import logging

import psycopg2
from psycopg2 import errorcodes

from odoo.tools import mute_logger

from .job import Job, parse_db_datetime
from . import payload
from .queries import QUERIES

_logger = logging.getLogger(__name__)

# Called as listener(env, job) after each enqueue; the testing kit traps jobs with it.
ENQUEUE_LISTENERS = []

IDENTITY_KEY_ATTEMPTS = 3


def job_description(function, description=None):
    if description:
        return description
    doc_lines = (function.__doc__ or '').strip().splitlines()
    return doc_lines[0] if doc_lines else 'Function %s' % function.__name__


def model_name_of(env, args):
    """The model a job is about: its first recordset argument, or a leading model name."""
    for arg in args:
        if payload.is_recordset(arg):
            return arg._name
    if args and isinstance(args[0], str) and args[0] in env.registry:
        return args[0]
    return None


def backend_model_names(env):
    """The concrete backend models (those inheriting ``connector.backend``)."""
    if 'connector.backend' not in env.registry:
        return []
    return sorted(env.registry['connector.backend']._inherit_children)


def backend_reference(env, args):
    """``model,id`` of the backend a job works for: a backend argument, or a binding's."""
    backend_models = backend_model_names(env)
    for arg in args:
        if not payload.is_recordset(arg) or not arg:
            continue
        if arg._name in backend_models:
            return '%s,%d' % (arg._name, arg[0].id)
        backend_field = arg._fields.get('backend_id')
        if backend_field is not None and backend_field.comodel_name in backend_models:
            return '%s,%d' % (backend_field.comodel_name, arg[0].backend_id.id)
    return None


def enqueue(env, function, args, kwargs, priority=None, eta=None, max_retries=None,
            description=None, identity_key=None, channel=None):
    """Store a job calling ``function(session, *args, **kwargs)``; return its uuid.

    The job runs as ``env.user`` in their company (``force_company`` in the context wins).
    With an identity key held by a job not done yet, nothing is stored and that job's uuid
    is returned, even when two transactions delay at the same time.
    """
    job = Job(function.job_function_name, args, kwargs, priority=priority, eta=eta,
              max_retries=max_retries, description=job_description(function, description),
              channel=channel or function.default_channel,
              retry_pattern=function.retry_pattern, model_name=model_name_of(env, args),
              user_id=env.uid,
              company_id=env.context.get('force_company') or env.user.company_id.id)
    job.identity_key = identity_key(job) if callable(identity_key) else identity_key
    params = {
        'uuid': job.uuid, 'func_name': job.func_name,
        'args': payload.encode(list(job.args), 'args of %s' % function.__name__),
        'kwargs': payload.encode(job.kwargs, 'kwargs of %s' % function.__name__),
        'priority': job.priority, 'eta': job.eta, 'max_retries': job.max_retries,
        'description': job.description, 'identity_key': job.identity_key,
        'channel': job.channel, 'model_name': job.model_name, 'user_id': job.user_id,
        'company_id': job.company_id, 'date_created': job.date_created,
        'backend_ref': backend_reference(env, args),
    }
    if job.identity_key:
        existing_uuid = _insert_unless_identity_taken(env, params)
        if existing_uuid:
            return existing_uuid
    else:
        env.cr.execute(QUERIES['insert_job'], params)
    for listener in ENQUEUE_LISTENERS:
        listener(env, job)
    return job.uuid


def _insert_unless_identity_taken(env, params):
    """Insert the job unless a job not done holds its identity key; return that job's uuid.

    A unique partial index makes the database the judge: a concurrent transaction that
    inserted the same key first makes our INSERT wait, then fail; its job is then read
    through a fresh cursor, since our snapshot predates its commit.
    """
    cr = env.cr
    for _attempt in range(IDENTITY_KEY_ATTEMPTS):
        cr.execute(QUERIES['job_uuid_by_identity_key'], params)
        row = cr.fetchone()
        if row:
            return row[0]
        try:
            with mute_logger('odoo.sql_db'), cr.savepoint():
                cr.execute(QUERIES['insert_job'], params)
            return None
        except psycopg2.IntegrityError as err:
            if err.pgcode != errorcodes.UNIQUE_VIOLATION:
                raise
        with env.registry.cursor() as fresh_cr:
            fresh_cr.execute(QUERIES['job_uuid_by_identity_key'], params)
            row = fresh_cr.fetchone()
        if row:
            return row[0]
    raise RuntimeError('Could not store a job with identity key %r' % params['identity_key'])


def job_from_claimed_row(row):
    """A :class:`Job` from a row of the ``claim_jobs`` query (a dict), its payload still JSON."""
    job = Job(row['func_name'], priority=row['priority'], eta=parse_db_datetime(row['eta']),
              max_retries=row['max_retries'], description=row['name'], uuid=row['uuid'],
              identity_key=row['identity_key'], channel=row['channel'],
              model_name=row['model_name'], user_id=row['user_id'],
              company_id=row['company_id'], state='enqueued', retry=row['retry'],
              date_created=parse_db_datetime(row['date_created']))
    job.id = row['id']
    job.date_enqueued = parse_db_datetime(row['date_enqueued'])
    job.due = parse_db_datetime(row['due'])
    job.payload_args = row['args']
    job.payload_kwargs = row['kwargs']
    return job


def store_outcome(cr, job):
    """Write the state, tries, result, traceback, dates and worker of a job that ran."""
    cr.execute(QUERIES['store_job_outcome'], {
        'job_id': job.id, 'state': job.state, 'retry': job.retry,
        'result': None if job.result is None else str(job.result),
        'exc_info': job.exc_info, 'eta': job.eta, 'worker_id': job.worker_id,
        'date_enqueued': job.date_enqueued, 'date_started': job.date_started,
        'date_done': job.date_done,
    })
