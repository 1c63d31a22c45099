"""ConnectorUnit and ConnectorEnvironment without a database: models served, lookups of
other units, environments for other models."""
import unittest

from odoo.addons.connector.environment import ConnectorEnvironment
from odoo.addons.connector.unit.binder import Binder
from odoo.addons.connector.unit.connector_unit import ConnectorUnit

from .stand_ins import Model, Session, connector_env, new_backend


class ApiEnvironment(ConnectorEnvironment):
    """An environment carrying an API client to the environments it creates."""

    _propagate_kwargs = ['api']

    def __init__(self, backend_record, session, model_name, api=None):
        super().__init__(backend_record, session, model_name)
        self.api = api


class TestConnectorUnit(unittest.TestCase):

    def setUp(self):
        self.backend = new_backend()

        @self.backend
        class PartnerUnit(ConnectorUnit):
            _model_name = 'res.partner'

        @self.backend
        class UserUnit(ConnectorUnit):
            _model_name = ['res.users', 'res.groups']

        @self.backend
        class PartnerBinder(Binder):
            _model_name = 'res.partner'

        self.PartnerUnit, self.UserUnit, self.PartnerBinder = PartnerUnit, UserUnit, \
            PartnerBinder
        self.session = Session()
        self.session.env['res.partner'] = Model('res.partner', {})
        self.env = connector_env(self.backend, 'res.partner', self.session)

    def test_model_names_as_a_list(self):
        self.assertEqual(self.PartnerUnit.for_model_names(), ['res.partner'])
        self.assertEqual(self.UserUnit.for_model_names(), ['res.users', 'res.groups'])
        self.assertEqual(ConnectorUnit.for_model_names(), [])

    def test_match_a_model_name_or_a_model(self):
        self.assertTrue(self.UserUnit.match(self.session, 'res.groups'))
        self.assertTrue(self.PartnerUnit.match(self.session, Model('res.partner', {})))
        self.assertFalse(self.PartnerUnit.match(self.session, 'res.users'))

    def test_unit_gets_backend_session_and_model(self):
        unit = self.env.get_connector_unit(self.PartnerUnit)

        self.assertIsInstance(unit, self.PartnerUnit)
        self.assertIs(unit.backend, self.backend)
        self.assertIs(unit.session, self.session)
        self.assertIs(unit.backend_record, self.env.backend_record)
        self.assertEqual(unit.model._name, 'res.partner')

    def test_unit_for_the_same_model_shares_the_environment(self):
        unit = self.env.get_connector_unit(self.PartnerUnit)

        self.assertIs(unit.unit_for(self.PartnerUnit).connector_env, self.env)
        self.assertIs(unit.binder_for().connector_env, self.env)
        self.assertIsInstance(unit.binder_for(), self.PartnerBinder)

    def test_unit_for_another_model_gets_a_new_environment(self):
        unit = self.env.get_connector_unit(self.PartnerUnit)

        user_unit = unit.unit_for(ConnectorUnit, model='res.groups')

        self.assertIsInstance(user_unit, self.UserUnit)
        self.assertEqual(user_unit.connector_env.model_name, 'res.groups')
        self.assertIs(user_unit.session, self.session)
        self.assertIs(user_unit.backend_record, self.env.backend_record)

    def test_custom_environment_propagates_its_attributes(self):
        api = object()
        env = connector_env(self.backend, 'res.partner', self.session, env_class=ApiEnvironment)
        env.api = api

        user_unit = env.get_connector_unit(self.PartnerUnit).unit_for(ConnectorUnit,
                                                                       model='res.users')

        self.assertIsInstance(user_unit.connector_env, ApiEnvironment)
        self.assertIs(user_unit.connector_env.api, api)
