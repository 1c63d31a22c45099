"""Backend adapters: the one place that speaks the external system's protocol.

Synchronizers call ``search``, ``read``, ``create``, ``write``, ``delete``; the adapter
translates them into API calls and network failures into retryable errors.
"""
from contextlib import contextmanager

from ..exception import NetworkRetryableError
from .connector_unit import ConnectorUnit


class BackendAdapter(ConnectorUnit):
    """Base of the adapters to an external system.

    ``_retryable_errors`` are the exceptions that mean "the network failed, try again
    later"; :meth:`retry_on_network_errors` turns them into
    :class:`~odoo.addons.connector.exception.NetworkRetryableError`, which the job queue
    retries. Add your client library's errors to it (``requests.ConnectionError`` is not
    a builtin ``ConnectionError``).

    Usage::

        @coffee
        class CoffeeAdapter(CRUDAdapter):
            _model_name = 'coffee.res.partner'
            _retryable_errors = CRUDAdapter._retryable_errors + (requests.ConnectionError,)

            def read(self, external_id):
                with self.retry_on_network_errors():
                    return self.client.get('/customers/%s' % external_id)
    """

    _retryable_errors = (ConnectionError, TimeoutError)
    _retry_seconds = None  # None: the job's retry pattern decides

    @contextmanager
    def retry_on_network_errors(self):
        """Re-raise the ``_retryable_errors`` raised in the block as
        :class:`NetworkRetryableError`."""
        try:
            yield
        except self._retryable_errors as err:
            raise NetworkRetryableError('%s could not reach %s: %s'
                                        % (type(self).__name__,
                                           self.backend_record.display_name, err),
                                        seconds=self._retry_seconds) from err


class CRUDAdapter(BackendAdapter):
    """An adapter with the usual operations; each raises ``NotImplementedError`` until the
    connector's adapter implements it.

    Usage::

        @coffee
        class CoffeeCustomerAdapter(CRUDAdapter):
            _model_name = 'coffee.res.partner'

            def search(self, filters=None):
                return self.machine.search('customers', filters or {})

            def read(self, external_id):
                return self.machine.read('customers', external_id)
    """

    def search(self, *args, **kwargs):
        """Search records according to some criteria; return their external IDs."""
        raise self._not_implemented('search')

    def read(self, *args, **kwargs):
        """Return the data of a record."""
        raise self._not_implemented('read')

    def search_read(self, *args, **kwargs):
        """Search records according to some criteria; return their data."""
        raise self._not_implemented('search_read')

    def create(self, *args, **kwargs):
        """Create a record on the external system; return its external ID."""
        raise self._not_implemented('create')

    def write(self, *args, **kwargs):
        """Update a record on the external system."""
        raise self._not_implemented('write')

    def delete(self, *args, **kwargs):
        """Delete a record on the external system."""
        raise self._not_implemented('delete')

    def _not_implemented(self, operation):
        return NotImplementedError('%s is not implemented by %s'
                                   % (operation, type(self).__name__))
