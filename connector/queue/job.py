"""The Job: one call of a declared job function, with its state machine and retry rules.

Plain Python: the ``queue.job`` model only stores it, so every rule here is testable without
a database.
"""
from datetime import datetime, timedelta
import uuid as uuid_module

from ..exception import FailedJobError, RetryableJobError

PENDING = 'pending'
ENQUEUED = 'enqueued'
STARTED = 'started'
DONE = 'done'
FAILED = 'failed'
CANCELLED = 'cancelled'

STATES = [
    (PENDING, 'Pending'),
    (ENQUEUED, 'Enqueued'),
    (STARTED, 'Started'),
    (DONE, 'Done'),
    (FAILED, 'Failed'),
    (CANCELLED, 'Cancelled'),
]

# Requeue (back to pending) is allowed from every state but `started`: a started job may be
# running somewhere, and running it again could run it twice to completion.
TRANSITIONS = {
    PENDING: {ENQUEUED, DONE, CANCELLED, PENDING},
    ENQUEUED: {STARTED, PENDING, DONE, CANCELLED},
    STARTED: {DONE, FAILED, CANCELLED, PENDING},
    DONE: {PENDING},
    FAILED: {PENDING, DONE, CANCELLED},
    CANCELLED: {PENDING},
}

DEFAULT_PRIORITY = 10  # lower runs first
DEFAULT_MAX_RETRIES = 5  # tries; 0 means retry forever
RETRY_INTERVAL = 10 * 60  # seconds, when neither the error nor the retry pattern says
CONCURRENCY_RETRY_SECONDS = 5  # seconds, after a serialization failure or a deadlock


class InvalidJobTransitionError(ValueError):
    """A state change that the job's state machine does not allow."""


def utcnow():
    """Now, as the naive UTC datetime Odoo stores."""
    return datetime.utcnow()


def parse_db_datetime(value):
    """A datetime from the database: Odoo's cursors return timestamps as text.

    >>> parse_db_datetime('2026-11-30 02:30:27.311839')
    datetime.datetime(2026, 11, 30, 2, 30, 27, 311839)
    >>> parse_db_datetime('2026-11-30 02:30:27')
    datetime.datetime(2026, 11, 30, 2, 30, 27)
    """
    if value is None or isinstance(value, datetime):
        return value
    return datetime.strptime(value, '%Y-%m-%d %H:%M:%S.%f' if '.' in value
                             else '%Y-%m-%d %H:%M:%S')


def resolve_eta(eta, now=None):
    """An absolute naive UTC datetime from a datetime, a timedelta or a number of seconds."""
    now = now or utcnow()
    if eta is None or isinstance(eta, datetime):
        return eta
    if isinstance(eta, timedelta):
        return now + eta
    if isinstance(eta, (int, float)) and not isinstance(eta, bool):
        return now + timedelta(seconds=eta)
    raise TypeError('eta must be a datetime, a timedelta or a number of seconds, not %r' % (eta,))


def retry_seconds_for(retry_pattern, retry):
    """Seconds before the next try, from a pattern ``{tries: seconds}``.

    The entry with the largest number of tries not above ``retry`` applies; with no such
    entry, :data:`RETRY_INTERVAL`.

    >>> pattern = {1: 10, 3: 60, 5: 600}
    >>> [retry_seconds_for(pattern, retry) for retry in (0, 1, 2, 3, 4, 5, 9)]
    [600, 10, 10, 60, 60, 600, 600]
    >>> retry_seconds_for(None, 2)
    600
    """
    applicable = [tries for tries in (retry_pattern or {}) if tries <= retry]
    if not applicable:
        return RETRY_INTERVAL
    return retry_pattern[max(applicable)]


class Job(object):
    """A call of a job function, as stored in ``queue.job``, and its life cycle.

    The state changes are methods; each checks :data:`TRANSITIONS` and stamps its date.
    :meth:`perform` runs the function and turns a retryable error into a failure once
    ``max_retries`` tries are spent.

    Usage::

        job = Job('odoo.addons.my_shop.jobs.import_order', args=(42,), priority=5)
        job.set_enqueued(worker_id=3)
        job.set_started()
        job.perform(session, import_order)      # raises what the function raises
        job.set_done(result='Order 42 imported')
    """

    def __init__(self, func_name, args=(), kwargs=None, priority=None, eta=None,
                 max_retries=None, description=None, uuid=None, identity_key=None,
                 channel='root', retry_pattern=None, model_name=None, user_id=None,
                 company_id=None, state=PENDING, retry=0, date_created=None):
        self.func_name = func_name
        self.args = tuple(args)
        self.kwargs = dict(kwargs or {})
        self.priority = DEFAULT_PRIORITY if priority is None else priority
        self.eta = resolve_eta(eta)
        self.max_retries = DEFAULT_MAX_RETRIES if max_retries is None else max_retries
        self.description = description
        self.uuid = uuid or str(uuid_module.uuid4())
        self.identity_key = identity_key
        self.channel = channel
        self.retry_pattern = retry_pattern
        self.model_name = model_name
        self.user_id = user_id
        self.company_id = company_id
        self.state = state
        self.retry = retry
        self.result = None
        self.exc_info = None
        self.worker_id = None
        self.date_created = date_created or utcnow()
        self.date_enqueued = None
        self.date_started = None
        self.date_done = None

    def __repr__(self):
        return '<Job %s %s %s>' % (self.uuid, self.func_name, self.state)

    # --- state machine --------------------------------------------------------------------

    def _change_state(self, state):
        if state not in TRANSITIONS[self.state]:
            raise InvalidJobTransitionError(
                'Job %s cannot go from %s to %s' % (self.uuid, self.state, state))
        self.state = state

    def set_pending(self, result=None, reset_retry=False):
        """Back to the queue: after a retryable error, a lost worker, or a manual requeue."""
        self._change_state(PENDING)
        self.worker_id = None
        self.date_enqueued = self.date_started = None
        if result is not None:
            self.result = result
        if reset_retry:
            self.retry = 0
            self.eta = None

    def set_enqueued(self, worker_id):
        """Claimed by a worker, waiting in its in-memory queue."""
        self._change_state(ENQUEUED)
        self.worker_id = worker_id
        self.date_enqueued = utcnow()
        self.date_started = None

    def set_started(self):
        self._change_state(STARTED)
        self.date_started = utcnow()

    def set_done(self, result=None):
        self._change_state(DONE)
        self.result = result
        self.exc_info = None
        self.date_done = utcnow()
        self.worker_id = None

    def set_failed(self, exc_info, result=None):
        self._change_state(FAILED)
        self.exc_info = exc_info
        self.result = result
        self.worker_id = None

    def set_cancelled(self, result=None):
        """Nothing to do (:class:`NothingToDoJob`), or cancelled by a user."""
        self._change_state(CANCELLED)
        self.result = result
        self.date_done = utcnow()
        self.worker_id = None

    def postpone(self, seconds=None, result=None, exc_info=None):
        """Back to pending, due again after ``seconds`` (default: the retry pattern)."""
        if seconds is None:
            seconds = retry_seconds_for(self.retry_pattern, self.retry)
        self.set_pending(result=result)
        self.exc_info = exc_info
        self.eta = utcnow() + timedelta(seconds=seconds)

    # --- execution ------------------------------------------------------------------------

    @property
    def retries_exhausted(self):
        return bool(self.max_retries) and self.retry >= self.max_retries

    def perform(self, session, function):
        """Call ``function(session, *args, **kwargs)``; count the try; keep its result.

        A :class:`RetryableJobError` on the last allowed try becomes a
        :class:`FailedJobError`; one raised with ``ignore_retry`` does not count as a try.
        """
        self.retry += 1
        try:
            self.result = function(session, *self.args, **self.kwargs)
        except RetryableJobError as err:
            if err.ignore_retry:
                self.retry -= 1
            elif self.retries_exhausted:
                raise FailedJobError(
                    'Max. retries (%d) reached: %s' % (self.max_retries, err)) from err
            raise
        return self.result
