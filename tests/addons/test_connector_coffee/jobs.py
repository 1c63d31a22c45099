"""Jobs of the coffee machine connector: import a record, export a binding, delete a record."""
from odoo.addons.connector.queue.job_function import job, related_action
from odoo.addons.connector.related_action import unwrap_binding
from odoo.addons.connector.unit.synchronizer import Deleter, Exporter, Importer


@job
def import_record(session, model_name, backend_id, external_id, force=False):
    """Import a record from a coffee machine"""
    backend = session.env['coffee.backend'].browse(backend_id)
    importer = backend.get_environment(model_name, session=session).get_connector_unit(Importer)
    return importer.run(external_id, force=force)


@job
@related_action(action=unwrap_binding)
def export_record(session, model_name, binding_id, fields=None):
    """Export a record to a coffee machine"""
    binding = session.env[model_name].browse(binding_id)
    connector_env = binding.backend_id.get_environment(model_name, session=session)
    return connector_env.get_connector_unit(Exporter).run(binding, fields=fields)


@job
def export_delete_record(session, model_name, backend_id, external_id):
    """Delete a record on a coffee machine"""
    backend = session.env['coffee.backend'].browse(backend_id)
    deleter = backend.get_environment(model_name, session=session).get_connector_unit(Deleter)
    return deleter.run(external_id)
