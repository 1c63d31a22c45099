"""Consumers: what changes in Odoo is exported to the coffee machines, as jobs.

Imports write with ``connector_no_export``: ``export_consumer`` makes these consumers skip
those writes, so an import is not sent back to the machine.
"""
from odoo.addons.connector.event import (
    export_consumer, on_record_create, on_record_unlink, on_record_write)
from odoo.addons.connector.queue.job_function import identity_exact

from .jobs import export_delete_record, export_record


@on_record_create(model_names='coffee.res.partner')
@export_consumer
def delay_export_new_customer(session, model_name, record_id, vals):
    export_record.delay(session, model_name, record_id)


@on_record_write(model_names='coffee.res.partner')
@export_consumer
def delay_export_customer(session, model_name, record_id, vals):
    # a write of the partner's fields through the binding also fires for res.partner:
    # the identity key keeps one job for both
    export_record.delay(session, model_name, record_id, fields=sorted(vals),
                        identity_key=identity_exact)


@on_record_write(model_names='res.partner')
@export_consumer
def delay_export_partner_customers(session, model_name, record_id, vals):
    partner = session.env[model_name].browse(record_id)
    for binding in partner.coffee_bind_ids:
        export_record.delay(session, binding._name, binding.id, fields=sorted(vals),
                            identity_key=identity_exact)


@on_record_unlink(model_names='coffee.res.partner')
@export_consumer
def delay_delete_customer(session, model_name, record_id):
    binding = session.env[model_name].browse(record_id)
    if binding.external_id:
        export_delete_record.delay(session, model_name, binding.backend_id.id,
                                   binding.external_id)
