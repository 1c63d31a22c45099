"""The Connector Manager group and the Connectors menu exist once the addon is installed."""
from odoo.tests.common import TransactionCase


class TestConnectorSecurity(TransactionCase):

    def test_manager_group_implies_internal_user(self):
        group = self.env.ref('connector.group_connector_manager')
        self.assertIn(self.env.ref('base.group_user'), group.implied_ids)

    def test_connectors_menu_is_for_managers_only(self):
        menu = self.env.ref('connector.menu_connector_root')
        self.assertEqual(menu.name, 'Connectors')
        self.assertEqual(menu.groups_id, self.env.ref('connector.group_connector_manager'))
