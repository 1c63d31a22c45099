"""The ``connector.checkpoint`` model: records a connector asks the Connector Managers to review.

An import that cannot decide alone (a new product without a supplier, say) creates one.
"""
from odoo import _, api, fields, models, tools
from odoo.osv import expression

NEED_REVIEW = 'need_review'
REVIEWED = 'reviewed'

# negative search operator -> its positive counterpart, to search the record names
POSITIVE_OPERATORS = {'not ilike': 'ilike', 'not like': 'like', '!=': '=', 'not in': 'in'}


class ConnectorCheckpoint(models.Model):
    """A record (or a message) to be reviewed, with the backend it came from.

    Creating one subscribes the Connector Managers of its company and notifies them in
    their inbox; reviewing it clears those notifications. Connectors create checkpoints
    through ``backend_record.add_checkpoint``.

    Usage::

        checkpoint = backend_record.add_checkpoint(product, message='No supplier')
        checkpoint.reviewed()
    """

    _name = 'connector.checkpoint'
    _description = 'Connector Checkpoint'
    _inherit = ['mail.thread']
    _order = 'id desc'

    name = fields.Char(string='Record Name', compute='_compute_name', search='_search_name')
    record = fields.Reference(selection='_select_record_models', string='Record',
                              compute='_compute_record')
    model_id = fields.Many2one('ir.model', string='Model', readonly=True,
                               ondelete='cascade', index=True)
    record_id = fields.Integer(string='Record ID', readonly=True)
    backend_id = fields.Reference(selection='_select_backend_models', string='Imported from',
                                  required=True, readonly=True, index=True)
    message = fields.Text(readonly=True)
    state = fields.Selection([(NEED_REVIEW, 'Need Review'), (REVIEWED, 'Reviewed')],
                             string='Status', required=True, readonly=True,
                             default=NEED_REVIEW, track_visibility='onchange')
    company_id = fields.Many2one('res.company', string='Company', required=True,
                                 readonly=True, default=lambda self: self.env.user.company_id)

    _sql_constraints = [
        ('record_or_message',
         'CHECK ((model_id IS NOT NULL AND record_id IS NOT NULL) OR message IS NOT NULL)',
         'A checkpoint needs a record to review or a message.'),
    ]

    @api.model
    def _select_record_models(self):
        return [(name, model._description) for name, model in self.env.registry.models.items()
                if not model._abstract and not model._transient]

    @api.model
    def _select_backend_models(self):
        backend_class = self.env.registry['connector.backend']
        return [(name, model._description) for name, model in self.env.registry.models.items()
                if not model._abstract and issubclass(model, backend_class)]

    @api.depends('model_id', 'record_id')
    def _compute_record(self):
        for checkpoint in self:
            model_name = checkpoint.model_id.model
            if model_name in self.env and checkpoint.record_id:
                checkpoint.record = '%s,%s' % (model_name, checkpoint.record_id)
            else:
                checkpoint.record = False

    @api.depends('model_id', 'record_id', 'message')
    def _compute_name(self):
        for checkpoint in self:
            record = checkpoint.record
            if record:
                # the reviewer must see what to review, even a record they cannot read
                record = record.sudo()
                checkpoint.name = record.display_name if record.exists() else _('(deleted)')
            else:
                checkpoint.name = (checkpoint.message or '').split('\n', 1)[0]

    @api.model
    def _search_name(self, operator, value):
        if operator in POSITIVE_OPERATORS:
            # not a '!' domain: SQL's NOT over NULL columns would drop rows
            matching = self.search(self._search_name(POSITIVE_OPERATORS[operator], value))
            return [('id', 'not in', matching.ids)]
        domain = [('message', operator, value)]
        self.env.cr.execute('SELECT DISTINCT model_id FROM connector_checkpoint '
                            'WHERE model_id IS NOT NULL')
        model_ids = [row[0] for row in self.env.cr.fetchall()]
        for model in self.env['ir.model'].browse(model_ids):
            if model.model not in self.env:
                continue
            found = self.env[model.model].sudo().name_search(name=value, operator=operator,
                                                             limit=None)
            domain = expression.OR([domain, expression.AND([
                [('model_id', '=', model.id)],
                [('record_id', 'in', [id_ for id_, _name in found])]])])
        return domain

    @api.model
    def create(self, values):
        # the managers are subscribed below, not the creator (often the superuser); the
        # notification below says it all: no creation log, no tracking message
        checkpoint = super(ConnectorCheckpoint, self.with_context(
            mail_create_nosubscribe=True, mail_create_nolog=True, mail_notrack=True,
        )).create(values)
        checkpoint._subscribe_managers()
        checkpoint._notify_review_needed()
        return checkpoint

    @api.model
    def create_for(self, backend_record, record=None, message=None, company=None):
        """Create the checkpoint of ``record`` and/or ``message``, from ``backend_record``.

        Prefer ``backend_record.add_checkpoint``, which calls this with the right rights.
        """
        values = {'backend_id': '%s,%s' % (backend_record._name, backend_record.id),
                  'message': message}
        if company:
            values['company_id'] = company.id
        if record:
            record.ensure_one()
            values.update(model_id=self.env['ir.model']._get(record._name).id,
                          record_id=record.id)
        return self.create(values)

    @api.multi
    def reviewed(self):
        """Mark the checkpoints reviewed and clear their notifications in every inbox."""
        self.write({'state': REVIEWED})
        self.env['mail.notification'].sudo().search([
            ('mail_message_id', 'in', self.mapped('message_ids').ids),
            ('is_read', '=', False),
        ]).write({'is_read': True})
        return True

    @api.multi
    def _subscribe_managers(self):
        managers = self.env.ref('connector.group_connector_manager').sudo().users
        for checkpoint in self:
            reviewers = managers.filtered(
                lambda user: user.active and checkpoint.company_id in user.company_ids)
            checkpoint.message_subscribe(partner_ids=reviewers.mapped('partner_id').ids)

    @api.multi
    def _notify_review_needed(self):
        for checkpoint in self:
            if checkpoint.message:
                body = tools.plaintext2html(checkpoint.message)
            else:
                body = _('A %s needs a review.') % tools.html_escape(checkpoint.model_id.name)
            # the author is often a manager too: they must be notified like the others
            checkpoint.with_context(mail_notify_author=True).message_post(
                body=body, subtype='mail.mt_comment')
