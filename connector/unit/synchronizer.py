"""Synchronizers: the flow of one synchronization (import a record, export it, delete it).

They reach the mapper, binder and adapter of their model through lazy properties.
"""
from contextlib import contextmanager

import psycopg2
from psycopg2 import errorcodes

from ..exception import IDMissingInBackend, RetryableJobError
from .backend_adapter import BackendAdapter
from .connector_unit import ConnectorUnit
from .mapper import ExportMapper, ImportMapper, Mapper

# seconds before a job retries when a concurrent synchronization got there first
CONCURRENT_SYNC_RETRY_SECONDS = 5


@contextmanager
def retry_on_unique_violation():
    """Turn a unique violation raised in the block into :class:`RetryableJobError`.

    Two transactions creating the binding of the same external record: the unique index
    of the binding model stops the second one; retried, it finds the first one's binding.
    """
    try:
        yield
    except psycopg2.IntegrityError as err:
        if err.pgcode != errorcodes.UNIQUE_VIOLATION:
            raise
        raise RetryableJobError('A concurrent synchronization created the same record: '
                                '%s' % err.pgerror, seconds=CONCURRENT_SYNC_RETRY_SECONDS,
                                ignore_retry=True) from err


class Synchronizer(ConnectorUnit):
    """Base of the synchronization flows; :meth:`run` is the entry point.

    ``mapper``, ``binder`` and ``backend_adapter`` are looked up the first time they are
    used: a flow that does not need one works even where none is registered.

    Usage::

        @coffee
        class CoffeeStockSynchronizer(Synchronizer):
            _model_name = 'coffee.product'

            def run(self):
                for external_id, quantity in self.backend_adapter.stock_levels():
                    ...
    """

    _base_mapper = Mapper
    _base_backend_adapter = BackendAdapter

    def __init__(self, connector_env):
        super().__init__(connector_env)
        self._mapper = None
        self._binder = None
        self._backend_adapter = None

    def run(self, *args, **kwargs):
        raise NotImplementedError('%s does not implement run' % type(self).__name__)

    @property
    def mapper(self):
        if self._mapper is None:
            self._mapper = self.unit_for(self._base_mapper)
        return self._mapper

    @property
    def binder(self):
        if self._binder is None:
            self._binder = self.binder_for()
        return self._binder

    @property
    def backend_adapter(self):
        if self._backend_adapter is None:
            self._backend_adapter = self.unit_for(self._base_backend_adapter)
        return self._backend_adapter

    def _create_data(self, map_record, **options):
        """The mapped values to create a record with."""
        return map_record.values(for_create=True, **options)

    def _update_data(self, map_record, **options):
        """The mapped values to update a record with (``fields=`` limits them)."""
        return map_record.values(**options)


class Importer(Synchronizer):
    """Imports one external record into its binding.

    The flow of :meth:`run`, each step a method to override:

    read the record (``_get_external_data``) → skip it? (``_must_skip``) → lock the
    external ID, so that a concurrent import of it retries (``_lock``) → find the binding
    → up to date? (``_is_uptodate``) → ``_before_import`` → import what it refers to
    (``_import_dependencies``) → map (``_map_data``) → create or update the binding
    (``_create`` / ``_update``, with ``connector_no_export``) → bind the external ID →
    ``_after_import``.

    Usage::

        @coffee
        class CoffeeOrderImporter(Importer):
            _model_name = 'coffee.sale.order'

            def _import_dependencies(self):
                self._import_dependency(self.external_record['customer_id'],
                                        'coffee.res.partner')

        importer = connector_env.get_connector_unit(Importer)
        importer.run('1042')
    """

    _base_mapper = ImportMapper

    def __init__(self, connector_env):
        super().__init__(connector_env)
        self.external_id = None
        self.external_record = None

    def run(self, external_id, force=False):
        """Import the record ``external_id``.

        :param force: import even if the binding is up to date
        :return: why nothing was imported, or ``None`` when it was
        """
        self.external_id = external_id
        try:
            self.external_record = self._get_external_data()
        except IDMissingInBackend:
            return 'Record %s does no longer exist on the backend' % external_id
        skip_reason = self._must_skip()
        if skip_reason:
            return skip_reason
        # locked before the binding is read: a concurrent import of the same record waits
        # for the next try instead of creating a second binding
        self._lock()
        binding = self._get_binding()
        if not force and self._is_uptodate(binding):
            return 'Already up-to-date.'
        self._before_import()
        self._import_dependencies()
        map_record = self._map_data()
        if binding:
            values = self._update_data(map_record)
            self._update(binding, values)
        else:
            values = self._create_data(map_record)
            binding = self._create(values)
        # the unique index on (backend, external ID) is checked here, when the new
        # binding gets its external ID
        with retry_on_unique_violation():
            self.binder.bind(self.external_id, binding)
        self._after_import(binding)
        return None

    def _get_external_data(self):
        """The external record, as the adapter reads it."""
        return self.backend_adapter.read(self.external_id)

    def _must_skip(self):
        """A reason to skip this record (a message), or ``None`` to import it."""
        return None

    def _lock(self):
        self.advisory_lock_or_retry('import %s %s %s' % (
            self.model._name, self.backend_record.id, self.external_id),
            retry_seconds=CONCURRENT_SYNC_RETRY_SECONDS)

    def _get_binding(self):
        return self.binder.to_openerp(self.external_id)

    def _is_uptodate(self, binding):
        """Whether ``binding`` already has the external record's last changes.

        The default imports every time; compare a modification date of the external
        record with ``binding.sync_date`` to skip unchanged records.
        """
        return False

    def _before_import(self):
        """Hook run before the dependencies are imported."""

    def _import_dependencies(self):
        """Import the records the external record refers to, with
        :meth:`_import_dependency`."""

    def _import_dependency(self, external_id, binding_model, importer_class=None,
                           always=False):
        """Import the record ``external_id`` of ``binding_model`` if it has no binding
        yet (or ``always``), so that the mapper finds it."""
        if not external_id:
            return
        binder = self.binder_for(binding_model)
        if always or not binder.to_openerp(external_id):
            importer = self.unit_for(importer_class or Importer, model=binding_model)
            importer.run(external_id)

    def _map_data(self):
        return self.mapper.map_record(self.external_record)

    def _validate_data(self, values):
        """Check the values before they are written; raise
        :class:`~odoo.addons.connector.exception.InvalidDataError` if they are invalid."""

    def _create(self, values):
        self._validate_data(values)
        values = dict(values)
        values.setdefault(self.binder._backend_field, self.backend_record.id)
        with retry_on_unique_violation():
            return self.model.with_context(connector_no_export=True).create(values)

    def _update(self, binding, values):
        self._validate_data(values)
        binding.with_context(connector_no_export=True).write(values)

    def _after_import(self, binding):
        """Hook run once the binding is bound (add a checkpoint, import children...)."""


class BatchImporter(Synchronizer):
    """Imports every record the adapter's ``search`` returns, one by one.

    Usage::

        @coffee
        class CoffeeCustomerBatchImporter(DirectBatchImporter):
            _model_name = 'coffee.res.partner'

        batch = connector_env.get_connector_unit(BatchImporter)
        batch.run(filters={'updated_after': since})
    """

    def run(self, filters=None):
        for external_id in self.backend_adapter.search(filters):
            self._import_record(external_id)

    def _import_record(self, external_id):
        raise NotImplementedError('%s does not implement _import_record'
                                  % type(self).__name__)


class DirectBatchImporter(BatchImporter):
    """Imports each record at once, in this transaction, with the model's Importer.

    Usage::

        @coffee
        class CustomerBatchImporter(DirectBatchImporter):
            _model_name = 'coffee.res.partner'
    """

    def _import_record(self, external_id):
        self.unit_for(Importer).run(external_id)


class DelayedBatchImporter(BatchImporter):
    """Delays one job per record: ``_import_record_job`` is the connector's job function
    ``import_record(session, model_name, backend_id, external_id)``.

    ``_job_options`` are passed to ``delay`` (``priority``, ``max_retries``, ...).

    Usage::

        @coffee
        class CoffeeOrderBatchImporter(DelayedBatchImporter):
            _model_name = 'coffee.sale.order'
            _import_record_job = import_record      # a @job function
            _job_options = {'priority': 20}
    """

    _import_record_job = None
    _job_options = {}

    def _import_record(self, external_id):
        if self._import_record_job is None:
            raise NotImplementedError('%s has no _import_record_job' % type(self).__name__)
        self._import_record_job.delay(self.session, self.model._name, self.backend_record.id,
                                      external_id, **self._job_options)


class Exporter(Synchronizer):
    """Exports one binding to the backend.

    The flow of :meth:`run`: find the external ID → skip? (``_has_to_skip``) → export what
    the record refers to (``_export_dependencies``) → lock the binding row, so that a
    concurrent export of it retries (``_lock``) → map → update only the changed
    ``fields`` (the mappings ``changed_by`` them), or create everything → bind the
    external ID → ``_after_export``.

    Usage::

        @coffee
        class CoffeeCustomerExporter(Exporter):
            _model_name = 'coffee.res.partner'

        exporter = connector_env.get_connector_unit(Exporter)
        exporter.run(binding, fields=['email'])
    """

    _base_mapper = ExportMapper

    def __init__(self, connector_env):
        super().__init__(connector_env)
        self.binding = None
        self.external_id = None

    def run(self, binding, fields=None):
        """Export ``binding`` (a record or an id).

        :param fields: the fields that changed; ``None`` exports everything
        :return: a message saying what was done
        """
        self.binding = self.model.browse(binding) if isinstance(binding, int) else binding
        if not self.binding.exists():
            return 'Record to export does no longer exist.'
        self.external_id = self.binder.to_backend(self.binding)
        skip_reason = self._has_to_skip()
        if skip_reason:
            return skip_reason
        self._export_dependencies()
        self._lock()
        map_record = self._map_data()
        if self.external_id:
            values = self._update_data(map_record, fields=fields)
            if not values:
                return 'Nothing to export.'
            self._update(values)
        else:
            values = self._create_data(map_record)
            if not values:
                return 'Nothing to export.'
            self.external_id = self._create(values)
        self.binder.bind(self.external_id, self.binding)
        self._after_export()
        return 'Exported with external ID %s.' % self.external_id

    def _has_to_skip(self):
        """A reason not to export (a message), or ``None``."""
        return None

    def _export_dependencies(self):
        """Export the records the binding refers to before it, with
        :meth:`_export_dependency`."""

    def _export_dependency(self, record, binding_model, exporter_class=None):
        """Export the Odoo ``record`` through its binding of ``binding_model`` if it has
        no external ID yet, creating the binding if needed, so that the mapper finds it.

        Usage::

            def _export_dependencies(self):
                self._export_dependency(self.binding.partner_id, 'coffee.res.partner')
        """
        binder = self.binder_for(binding_model)
        binding = binder.wrap_record(record)
        if not binding:
            with retry_on_unique_violation():
                binding = binder.model.with_context(connector_no_export=True).create({
                    binder._odoo_field: record.id,
                    binder._backend_field: self.backend_record.id,
                })
        if not binder.to_backend(binding):
            self.unit_for(exporter_class or Exporter, model=binding_model).run(binding)

    def _lock(self):
        """Lock the binding row until the end of the transaction, or retry later if a
        concurrent transaction holds it."""
        sql = 'SELECT id FROM %s WHERE id = %%s FOR UPDATE NOWAIT' % self.model._table
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute(sql, (self.binding.id,), log_exceptions=False)
        except psycopg2.OperationalError as err:
            if err.pgcode != errorcodes.LOCK_NOT_AVAILABLE:
                raise
            raise RetryableJobError('%s is being exported by a concurrent job'
                                    % self.binding, seconds=CONCURRENT_SYNC_RETRY_SECONDS,
                                    ignore_retry=True) from err

    def _map_data(self):
        return self.mapper.map_record(self.binding)

    def _validate_data(self, values):
        """Check the values before they are sent; raise
        :class:`~odoo.addons.connector.exception.InvalidDataError` if they are invalid."""

    def _create(self, values):
        """Create the record on the backend; return its external ID."""
        self._validate_data(values)
        return self.backend_adapter.create(values)

    def _update(self, values):
        self._validate_data(values)
        self.backend_adapter.write(self.external_id, values)

    def _after_export(self):
        """Hook run once the binding is bound."""


class Deleter(Synchronizer):
    """Deletes a record on the backend.

    Usage::

        @coffee
        class CoffeeCustomerDeleter(Deleter):
            _model_name = 'coffee.res.partner'

        connector_env.get_connector_unit(Deleter).run(external_id)
    """

    def run(self, external_id):
        self.backend_adapter.delete(external_id)
        return 'Record %s deleted on the backend.' % external_id
