"""Connector units: the pluggable pieces registered on a Backend, one kind per module."""
from .connector_unit import ConnectorUnit
from .backend_adapter import BackendAdapter, CRUDAdapter
from .binder import Binder
from .mapper import (ExportMapChild, ExportMapper, ImportMapChild, ImportMapper, MapChild,
                     MapOptions, Mapper, MapRecord, Modifier, backend_to_m2o, changed_by,
                     convert, follow_m2o_relations, m2o_to_backend, mapping, none, only_create)
from .synchronizer import (BatchImporter, DelayedBatchImporter, Deleter, DirectBatchImporter,
                           Exporter, Importer, Synchronizer)
