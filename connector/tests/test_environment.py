"""ConnectorEnvironment on a real session: the language is the environment's own."""
from odoo.tests.common import TransactionCase

from odoo.addons.connector.environment import ConnectorEnvironment
from odoo.addons.connector.session import ConnectorSession

from .stand_ins import BackendRecord, new_backend


class TestEnvironmentLanguage(TransactionCase):

    def setUp(self):
        super().setUp()
        self.session = ConnectorSession(self.cr, self.uid, context={'lang': 'en_US'})
        self.backend_record = BackendRecord(new_backend())

    def test_language_does_not_leak_into_the_callers_session(self):
        connector_env = ConnectorEnvironment(self.backend_record, self.session, 'res.partner',
                                             lang='fr_FR')

        self.assertEqual(connector_env.lang, 'fr_FR')
        self.assertEqual(connector_env.model.env.lang, 'fr_FR')
        self.assertEqual(self.session.context, {'lang': 'en_US'})
        self.assertIs(connector_env.session.cr, self.cr)

    def test_same_language_keeps_the_session(self):
        connector_env = ConnectorEnvironment(self.backend_record, self.session, 'res.partner',
                                             lang='en_US')

        self.assertIs(connector_env.session, self.session)
        self.assertIs(connector_env.env, self.session.env)
