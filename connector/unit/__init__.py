"""Connector units: the pluggable pieces registered on a Backend, one kind per module
(``connector_unit``, ``mapper``, ``binder``, ``backend_adapter``, ``synchronizer``)."""
