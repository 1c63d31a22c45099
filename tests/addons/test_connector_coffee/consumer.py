"""Consumers: what changes in Odoo is exported to the coffee machines, as jobs.

Imports write with ``connector_no_export``: ``export_consumer`` makes these consumers skip
those writes, so an import is not sent back to the machine.
"""
from odoo.addons.connector.event import (
    export_consumer, on_record_create, on_record_unlink, on_record_write)
from odoo.addons.connector.queue.job_function import identity_exact
from odoo.addons.connector.unit.mapper import ExportMapper

from .jobs import export_delete_record, export_record


def delay_export_if_mapped(session, binding, vals):
    """Delay the export of ``binding`` if its backend's mapper exports a written field."""
    connector_env = binding.backend_id.get_environment(binding._name, session=session)
    if connector_env.get_connector_unit(ExportMapper).is_changed_by(vals):
        # a write of the partner's fields through the binding fires for res.partner
        # too: the identity key keeps one job for both
        export_record.delay(session, binding._name, binding.id, fields=sorted(vals),
                            identity_key=identity_exact)


@on_record_create(model_names='coffee.res.partner')
@export_consumer
def delay_export_new_customer(session, model_name, record_id, vals):
    export_record.delay(session, model_name, record_id)


@on_record_write(model_names='coffee.res.partner')
@export_consumer
def delay_export_customer(session, model_name, record_id, vals):
    delay_export_if_mapped(session, session.env[model_name].browse(record_id), vals)


@on_record_write(model_names='res.partner')
@export_consumer
def delay_export_partner_customers(session, model_name, record_id, vals):
    for binding in session.env[model_name].browse(record_id).coffee_bind_ids:
        delay_export_if_mapped(session, binding, vals)


@on_record_unlink(model_names='coffee.res.partner')
@export_consumer
def delay_delete_customer(session, model_name, record_id):
    binding = session.env[model_name].browse(record_id)
    if binding.external_id:
        export_delete_record.delay(session, model_name, binding.backend_id.id,
                                   binding.external_id)
