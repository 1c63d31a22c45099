"""Checkpoints: creation from a backend, the managers' notification, review, access."""
import psycopg2

from odoo.exceptions import AccessError
from odoo.tools import mute_logger

from .common import CoffeeCase


class CheckpointCase(CoffeeCase):

    def setUp(self):
        super().setUp()
        self.company = self.env.user.company_id
        self.other_company = self.env['res.company'].create({'name': 'Other Coffee Co'})
        self.manager = self.new_user('manager', 'connector.group_connector_manager')
        self.other_manager = self.new_user('other_manager', 'connector.group_connector_manager',
                                           company=self.other_company)
        self.plain_user = self.new_user('plain_user')
        self.partner = self.env['res.partner'].create({'name': 'Ada Lovelace'})

    def new_user(self, login, *groups, company=None):
        """A user who reads their notifications in Odoo (the inbox), not by email."""
        company = company or self.company
        group_ids = [self.env.ref('base.group_user').id] + [self.env.ref(xml_id).id
                                                            for xml_id in groups]
        return self.env['res.users'].with_context(no_reset_password=True).create({
            'name': login.replace('_', ' ').title(), 'login': login,
            'email': '%s@example.com' % login, 'company_id': company.id,
            'company_ids': [(6, 0, [company.id])], 'groups_id': [(6, 0, group_ids)],
            'notification_type': 'inbox'})

    def inbox_count(self, user):
        """How many messages wait for ``user`` in their inbox."""
        return self.env['mail.message'].sudo(user).search_count([('needaction', '=', True)])


class TestCheckpoint(CheckpointCase):

    def test_checkpoint_of_a_record(self):
        checkpoint = self.backend.add_checkpoint(self.partner)

        self.assertEqual(checkpoint.record, self.partner)
        self.assertEqual(checkpoint.model_id.model, 'res.partner')
        self.assertEqual(checkpoint.backend_id, self.backend)
        self.assertEqual(checkpoint.company_id, self.backend.company_id)
        self.assertEqual(checkpoint.state, 'need_review')
        self.assertEqual(checkpoint.name, 'Ada Lovelace')

    def test_managers_of_the_company_follow_and_are_notified(self):
        checkpoint = self.backend.add_checkpoint(self.partner)

        followers = checkpoint.message_partner_ids
        self.assertIn(self.manager.partner_id, followers)
        self.assertIn(self.env.ref('base.user_root').partner_id, followers)
        self.assertNotIn(self.other_manager.partner_id, followers, 'not their company')
        self.assertNotIn(self.plain_user.partner_id, followers)
        [message] = checkpoint.message_ids
        self.assertIn('A Contact needs a review.', message.body)
        self.assertIn(self.manager.partner_id, message.needaction_partner_ids)
        self.assertEqual(self.inbox_count(self.manager), 1)

    def test_checkpoint_of_a_message_only(self):
        checkpoint = self.backend.add_checkpoint(message='Stock <b>mismatch</b>\nsee log')

        self.assertFalse(checkpoint.record)
        self.assertEqual(checkpoint.name, 'Stock <b>mismatch</b>')
        self.assertIn('Stock &lt;b&gt;mismatch&lt;/b&gt;', checkpoint.message_ids.body)

    def test_checkpoint_needs_a_record_or_a_message(self):
        with self.assertRaises(psycopg2.IntegrityError), mute_logger('odoo.sql_db'), \
                self.cr.savepoint():
            self.backend.add_checkpoint()

    def test_reviewing_clears_the_inbox_of_every_manager(self):
        checkpoint = self.backend.add_checkpoint(self.partner)
        other_manager = self.new_user('second_manager', 'connector.group_connector_manager')
        self.backend.add_checkpoint(message='Another one')
        self.assertEqual((self.inbox_count(self.manager), self.inbox_count(other_manager)),
                         (2, 1))

        checkpoint.sudo(self.manager).reviewed()

        self.assertEqual(checkpoint.state, 'reviewed')
        self.assertEqual((self.inbox_count(self.manager), self.inbox_count(other_manager)),
                         (1, 1))

    def test_review_wizard_reviews_the_selected_checkpoints_to_review(self):
        checkpoints = self.env['connector.checkpoint'].browse()
        for number in range(3):
            checkpoints |= self.backend.add_checkpoint(message='Check %d' % number)
        checkpoints[0].reviewed()

        wizard = self.env['connector.checkpoint.review'].sudo(self.manager).with_context(
            active_model='connector.checkpoint', active_ids=checkpoints.ids).create({})
        self.assertEqual(wizard.checkpoint_ids, checkpoints[1:])
        wizard.review()

        self.assertEqual(checkpoints.mapped('state'), ['reviewed'] * 3)

    def test_search_by_record_name_or_message(self):
        by_record = self.backend.add_checkpoint(self.partner)
        by_message = self.backend.add_checkpoint(message='Ada has two badges')
        other = self.backend.add_checkpoint(message='Unrelated')
        checkpoints = self.env['connector.checkpoint']

        self.assertEqual(checkpoints.search([('name', 'ilike', 'ada')]), by_message | by_record)
        self.assertEqual(checkpoints.search([('name', 'not ilike', 'ada'),
                                             ('id', 'in', (by_record | other).ids)]), other)


class TestCheckpointAccess(CheckpointCase):

    def test_plain_user_is_refused(self):
        checkpoint = self.backend.add_checkpoint(self.partner)
        Checkpoint = self.env['connector.checkpoint'].sudo(self.plain_user)

        with self.assertRaises(AccessError):
            Checkpoint.browse(checkpoint.id).read(['state'])
        with self.assertRaises(AccessError):
            Checkpoint.browse(checkpoint.id).reviewed()
        with self.assertRaises(AccessError):
            Checkpoint.create({'backend_id': '%s,%s' % (self.backend._name, self.backend.id),
                               'message': 'Not mine to create'})
        with self.assertRaises(AccessError):
            self.env['coffee.backend'].sudo(self.plain_user).browse(self.backend.id).read(
                ['name'])

    def test_manager_sees_the_checkpoints_of_their_companies_only(self):
        checkpoint = self.backend.add_checkpoint(self.partner)
        domain = [('id', '=', checkpoint.id)]

        self.assertEqual(
            self.env['connector.checkpoint'].sudo(self.manager).search(domain), checkpoint)
        self.assertFalse(
            self.env['connector.checkpoint'].sudo(self.other_manager).search(domain))


class TestCheckpointMenu(CheckpointCase):

    def test_menu_opens_the_checkpoints_to_review(self):
        menu = self.env.ref('connector.menu_connector_checkpoints')
        action = self.env.ref('connector.action_connector_checkpoint')

        self.assertEqual(menu.parent_id, self.env.ref('connector.menu_connector_root'))
        self.assertEqual(menu.action, action)
        self.assertIn("'search_default_to_review': 1", action.context)

    def test_review_wizard_is_in_the_action_menu_of_checkpoints(self):
        action = self.env.ref('connector.action_connector_checkpoint_review')

        self.assertEqual(action.binding_model_id.model, 'connector.checkpoint')
