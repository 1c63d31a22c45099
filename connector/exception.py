"""The exceptions of the connector framework and its job queue, defined once and shared.

Job functions and connector units raise them; the job queue reads them to decide whether a
job is retried, postponed, cancelled or failed.

Usage::

    from odoo.addons.connector.exception import RetryableJobError

    def read(self, external_id):
        try:
            return self.client.get('/orders/%s' % external_id)
        except TimeoutError as err:
            raise RetryableJobError('Shop did not answer: %s' % err, seconds=60)
"""


class ConnectorException(Exception):
    """Base of every exception raised by the connector framework."""


# --- job queue ----------------------------------------------------------------------------

class JobError(ConnectorException):
    """Base of the errors of the job queue."""


class RetryableJobError(JobError):
    """The job failed for a reason worth retrying later (network, lock, remote busy).

    :param msg: why, stored on the job
    :param seconds: postpone the job this many seconds (default: the job's retry pattern)
    :param ignore_retry: retry without counting it against ``max_retries``
    """

    def __init__(self, msg, seconds=None, ignore_retry=False):
        super().__init__(msg)
        self.seconds = seconds
        self.ignore_retry = ignore_retry


class FailedJobError(JobError):
    """The job failed for good: it will not be retried (raised once max retries is reached)."""


class NothingToDoJob(JobError):
    """The job has nothing to do: it ends as ``cancelled`` with the message as its result."""


class NoSuchJobError(JobError):
    """No job has this uuid."""


class NotReadableJobError(JobError):
    """A stored job cannot be read back (malformed payload, unknown job function)."""


class JobPayloadError(JobError, TypeError):
    """An argument of ``.delay()`` cannot be stored as JSON (only declared types are)."""


class UndeclaredJobFunctionError(JobError):
    """A job names a function that is not declared with ``@job`` in an installed addon."""


# --- connector framework ------------------------------------------------------------------

class NoConnectorUnitError(ConnectorException):
    """No ConnectorUnit is registered for this base class and model on the backend."""


class AmbiguousConnectorUnitError(ConnectorException):
    """Several ConnectorUnits match one lookup; the message lists the candidates."""


class InvalidDataError(ConnectorException):
    """Data from or for the backend is invalid."""


class MappingError(ConnectorException):
    """A mapping failed; the message names the mapping and the source field."""


class NetworkRetryableError(RetryableJobError):
    """A network error that is worth retrying (connection refused, timeout, 5xx)."""


class IDMissingInBackend(JobError):
    """The record does not exist (any more) on the backend."""


class ManyIDSInBackend(ConnectorException):
    """Several records matched where the backend should have had one."""


class NoBackendError(ConnectorException):
    """No Backend is declared for this service and version."""
