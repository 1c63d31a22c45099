"""The Backend registry, without a database: declaration, lookup through parents,
replacement, installed addons, ambiguity."""
import unittest

from odoo.addons.connector.backend import Backend, BackendRegistry
from odoo.addons.connector.exception import (
    AmbiguousConnectorUnitError, NoBackendError, NoConnectorUnitError)
from odoo.addons.connector.unit.binder import Binder
from odoo.addons.connector.unit.connector_unit import ConnectorUnit
from odoo.addons.connector.unit.mapper import ImportMapper

from .stand_ins import Session

NOT_INSTALLED_MODULE = 'odoo.addons.not_installed_addon.units'


def unit(name, base=ConnectorUnit, model_name='res.partner', module=None):
    """A new unit class; ``module`` sets the addon it seems to come from."""
    cls = type(name, (base,), {'_model_name': model_name})
    if module:
        cls.__module__ = module
    return cls


class TestBackendDeclaration(unittest.TestCase):

    def setUp(self):
        self.registry = BackendRegistry()

    def test_version_inherits_the_service_of_its_parent(self):
        shop = Backend('shop', registry=self.registry)
        shop2 = Backend(parent=shop, version='2.0', registry=self.registry)

        self.assertEqual((shop2.service, shop2.version, shop2.parent), ('shop', '2.0', shop))
        self.assertEqual(repr(shop2), "<Backend 'shop', '2.0'>")
        self.assertEqual(repr(shop), "<Backend 'shop'>")

    def test_a_backend_needs_a_service_or_a_parent(self):
        with self.assertRaises(ValueError):
            Backend(version='1.0', registry=self.registry)

    def test_the_same_backend_cannot_be_declared_twice(self):
        Backend('shop', version='1.0', registry=self.registry)
        with self.assertRaises(ValueError):
            Backend('shop', version='1.0', registry=self.registry)

    def test_get_backend_by_service_and_version(self):
        shop = Backend('shop', registry=self.registry)
        shop2 = Backend(parent=shop, version='2.0', registry=self.registry)

        self.assertIs(self.registry.get_backend('shop', '2.0'), shop2)
        self.assertIs(self.registry.get_backend('shop'), shop)
        with self.assertRaises(NoBackendError):
            self.registry.get_backend('shop', '3.0')

    def test_versions_are_listed_once_per_service(self):
        shop = Backend('shop', registry=self.registry)
        Backend(parent=shop, version='1.0', registry=self.registry)
        Backend(parent=shop, version='2.0', label='Shop 2', registry=self.registry)
        Backend('other', version='9', registry=self.registry)

        self.assertEqual(self.registry.versions('shop'), [('1.0', '1.0'), ('2.0', 'Shop 2')])


class TestUnitLookup(unittest.TestCase):

    def setUp(self):
        registry = BackendRegistry()
        self.shop = Backend('shop', registry=registry)
        self.shop2 = Backend(parent=self.shop, version='2.0', registry=registry)
        self.session = Session()

    def lookup(self, base=ConnectorUnit, model_name='res.partner', backend=None):
        return (backend or self.shop2).get_class(base, self.session, model_name)

    def test_registered_unit_is_found_for_its_models(self):
        partner_unit = self.shop2.register_class(unit('PartnerUnit',
                                                      model_name=['res.partner', 'x.y']))

        self.assertIs(self.lookup(), partner_unit)
        self.assertIs(self.lookup(model_name='x.y'), partner_unit)
        with self.assertRaises(NoConnectorUnitError):
            self.lookup(model_name='res.users')

    def test_lookup_filters_on_the_base_class(self):
        binder = self.shop2(unit('PartnerBinder', base=Binder))
        mapper = self.shop2(unit('PartnerMapper', base=ImportMapper))

        self.assertIs(self.lookup(Binder), binder)
        self.assertIs(self.lookup(ImportMapper), mapper)

    def test_parent_unit_is_found_from_a_child_backend(self):
        parent_unit = self.shop(unit('ParentUnit'))

        self.assertIs(self.lookup(), parent_unit)

    def test_child_unit_wins_over_the_parent_one(self):
        self.shop(unit('ParentUnit'))
        child_unit = self.shop2(unit('ChildUnit'))

        self.assertIs(self.lookup(), child_unit)
        self.assertIsNot(self.lookup(backend=self.shop), child_unit)

    def test_nothing_found_names_the_lookup(self):
        with self.assertRaises(NoConnectorUnitError) as raised:
            self.lookup(Binder, 'res.partner')
        self.assertIn("No Binder found on <Backend 'shop', '2.0'>", str(raised.exception))
        self.assertIn("'res.partner'", str(raised.exception))

    def test_unit_of_an_addon_not_installed_is_ignored(self):
        parent_unit = self.shop(unit('ParentUnit'))
        self.shop2(unit('ChildUnit', module=NOT_INSTALLED_MODULE))

        self.assertIs(self.lookup(), parent_unit)

    def test_two_candidates_are_ambiguous_and_listed(self):
        self.shop(unit('ParentUnit'))
        self.shop2(unit('FirstUnit'))
        self.shop2(unit('SecondUnit'))

        with self.assertRaises(AmbiguousConnectorUnitError) as raised:
            self.lookup()
        message = str(raised.exception)
        self.assertIn('FirstUnit, SecondUnit', message)
        self.assertIn("<Backend 'shop', '2.0'>", message)

    def test_a_registered_unit_needs_a_model(self):
        with self.assertRaises(ValueError):
            self.shop(unit('NoModel', model_name=None))


class TestUnitReplacement(unittest.TestCase):

    def setUp(self):
        self.shop = Backend('shop', registry=BackendRegistry())
        self.session = Session()
        self.original = self.shop(unit('Original'))

    def lookup(self):
        return self.shop.get_class(ConnectorUnit, self.session, 'res.partner')

    def test_replacing_unit_is_used_instead(self):
        replacement = self.shop(replacing=self.original)(unit('Replacement'))

        self.assertIs(self.lookup(), replacement)

    def test_replacement_from_an_addon_not_installed_leaves_the_original(self):
        self.shop.register_class(unit('Replacement', module=NOT_INSTALLED_MODULE),
                                 replacing=self.original)

        self.assertIs(self.lookup(), self.original)

    def test_replacements_chain(self):
        second = self.shop(replacing=self.original)(unit('Second'))
        third = self.shop(replacing=second)(unit('Third'))

        self.assertIs(self.lookup(), third)

    def test_chain_skips_a_replacement_not_installed(self):
        second = self.shop(replacing=self.original)(unit('Second'))
        self.shop(replacing=second)(unit('Third', module=NOT_INSTALLED_MODULE))

        self.assertIs(self.lookup(), second)

    def test_one_unit_replacing_two(self):
        other = self.shop(unit('Other'))
        both = self.shop(replacing=(self.original, other))(unit('Both'))

        self.assertIs(self.lookup(), both)

    def test_two_units_replacing_the_same_one_are_ambiguous(self):
        self.shop(replacing=self.original)(unit('FirstReplacement'))
        self.shop(replacing=self.original)(unit('SecondReplacement'))

        with self.assertRaises(AmbiguousConnectorUnitError) as raised:
            self.lookup()
        self.assertIn('FirstReplacement, SecondReplacement', str(raised.exception))

    def test_replacing_an_unregistered_unit_is_refused(self):
        with self.assertRaises(ValueError):
            self.shop(replacing=unit('Unregistered'))(unit('Replacement'))

    def test_a_unit_cannot_replace_itself(self):
        with self.assertRaises(ValueError):
            self.shop.register_class(self.original, replacing=self.original)
