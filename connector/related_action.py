"""Ready-made related actions of jobs: what "Open related" shows for a job.

``unwrap_binding`` opens the Odoo record behind the binding a job synchronized.
"""
from odoo import models

from .environment import ConnectorEnvironment
from .unit.binder import Binder


def unwrap_binding(session, job, id_pos=2, binder_class=Binder):
    """Related action opening the Odoo record behind the binding of a job.

    The binding is the job function's argument at position ``id_pos`` (the session being
    position 0): a binding recordset, or a binding id whose model is the job's model. When
    the binder cannot unwrap it, the binding itself is opened; when the binding no longer
    exists, there is nothing to open (``None``).

    Usage::

        @job
        @related_action(action=unwrap_binding)
        def export_record(session, model_name, binding_id, fields=None):
            ...
    """
    binding = job.args[id_pos - 1]
    if not isinstance(binding, models.BaseModel):
        binding = session.env[job.model_name].browse(binding)
    binding = binding.with_env(session.env).exists()
    if not binding:
        return None
    connector_env = ConnectorEnvironment(binding.backend_id, session, binding._name)
    binder = connector_env.get_connector_unit(binder_class)
    try:
        model_name = binder.unwrap_model()
        record = binder.unwrap_binding(binding)
    except ValueError:
        model_name, record = binding._name, binding
    return {
        'name': 'Related Record',
        'type': 'ir.actions.act_window',
        'view_type': 'form',
        'view_mode': 'form',
        'res_model': model_name,
        'res_id': record.id,
    }
