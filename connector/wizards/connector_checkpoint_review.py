"""The ``connector.checkpoint.review`` wizard: mark many checkpoints reviewed at once."""
from odoo import api, fields, models

from ..models.connector_checkpoint import NEED_REVIEW


class ConnectorCheckpointReview(models.TransientModel):
    """Reviews the checkpoints selected in the list ("Action" > "Review Checkpoints").

    Usage::

        wizard = env['connector.checkpoint.review'].with_context(
            active_model='connector.checkpoint', active_ids=checkpoints.ids).create({})
        wizard.review()
    """

    _name = 'connector.checkpoint.review'
    _description = 'Review Connector Checkpoints'

    @api.model
    def _default_checkpoint_ids(self):
        if self.env.context.get('active_model') != 'connector.checkpoint':
            return self.env['connector.checkpoint']
        checkpoints = self.env['connector.checkpoint'].browse(
            self.env.context.get('active_ids') or [])
        return checkpoints.filtered(lambda checkpoint: checkpoint.state == NEED_REVIEW)

    checkpoint_ids = fields.Many2many(
        'connector.checkpoint', 'connector_checkpoint_review_rel', 'review_id',
        'checkpoint_id', string='Checkpoints', domain=[('state', '=', NEED_REVIEW)],
        default=_default_checkpoint_ids)

    @api.multi
    def review(self):
        self.mapped('checkpoint_ids').reviewed()
        return {'type': 'ir.actions.act_window_close'}
