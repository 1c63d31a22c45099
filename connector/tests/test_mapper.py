"""Mappers without a database: every kind of mapping, the options, the children, the
errors, and how mapping definitions are inherited."""
import unittest

from odoo.addons.connector.exception import MappingError, RetryableJobError
from odoo.addons.connector.unit.binder import Binder
from odoo.addons.connector.unit.mapper import (
    ExportMapChild, ExportMapper, ImportMapChild, ImportMapper, MapOptions, MappingDefinition,
    Modifier, backend_to_m2o, changed_by, convert, follow_m2o_relations, m2o_to_backend,
    mapping, none, only_create)

from .stand_ins import Field, Session, connector_env, new_backend

ORDER_FIELDS = {
    'name': Field('char'),
    'partner_id': Field('many2one', 'shop.res.partner'),
    'user_id': Field('many2one', 'res.users'),
    'line_ids': Field('one2many', 'shop.order.line'),
}


class upper(Modifier):
    """A custom modifier, as a connector author writes one."""

    def transform(self, mapper, value, to_attr):
        return value.upper() if value else value


class BindingLookupBinder(Binder):
    """Stand-in binder: external ID '7' is bound to record 70 (binding) / 700 (unwrapped)."""

    _model_name = ['shop.res.partner']
    calls = []

    def to_openerp(self, external_id, unwrap=False):
        self.calls.append(('to_openerp', external_id, unwrap))
        return Record(700 if unwrap else 70) if external_id == '7' else Record(None)


class Record(object):
    def __init__(self, id_):
        self.id = id_

    def __bool__(self):
        return self.id is not None


class TestMappingDefinitions(unittest.TestCase):

    def test_decorators_make_definitions(self):
        class OrderMapper(ImportMapper):
            @mapping
            def plain(self, record):
                return {}

            @only_create
            @changed_by('a', 'b')
            @mapping
            def decorated(self, record):
                return {}

        self.assertEqual(OrderMapper._map_methods, {
            'plain': MappingDefinition(changed_by=frozenset(), only_create=False),
            'decorated': MappingDefinition(changed_by=frozenset({'a', 'b'}),
                                           only_create=True)})

    def test_redefined_mapping_adds_changed_by_without_touching_the_parent(self):
        class BaseMapper(ImportMapper):
            @only_create
            @changed_by('firstname')
            @mapping
            def name(self, record):
                return {}

        class ChildMapper(BaseMapper):
            @changed_by('lastname')
            @mapping
            def name(self, record):
                return {}

        self.assertEqual(ChildMapper._map_methods['name'],
                         MappingDefinition(changed_by=frozenset({'firstname', 'lastname'}),
                                           only_create=False))
        self.assertEqual(BaseMapper._map_methods['name'],
                         MappingDefinition(changed_by=frozenset({'firstname'}),
                                           only_create=True))

    def test_several_bases_add_up(self):
        class NameMapper(ImportMapper):
            @changed_by('firstname')
            @mapping
            def name(self, record):
                return {}

        class EmailMapper(ImportMapper):
            @mapping
            def email(self, record):
                return {}

        class OtherNameMapper(ImportMapper):
            @changed_by('nickname')
            @mapping
            def name(self, record):
                return {}

        class BothMapper(NameMapper, EmailMapper, OtherNameMapper):
            pass

        self.assertEqual(set(BothMapper._map_methods), {'name', 'email'})
        self.assertEqual(BothMapper._map_methods['name'].changed_by,
                         frozenset({'firstname', 'nickname'}))
        self.assertEqual(NameMapper._map_methods['name'].changed_by, frozenset({'firstname'}))
        self.assertEqual(OtherNameMapper._map_methods['name'].changed_by,
                         frozenset({'nickname'}))

    def test_changed_by_fields_gathers_every_source_field(self):
        class OrderMapper(ImportMapper):
            direct = [('ref', 'name'), (none(convert('total', float)), 'amount')]
            children = [('items', 'line_ids', 'shop.order.line')]

            @changed_by('customer')
            @mapping
            def partner(self, record):
                return {}

        self.assertEqual(OrderMapper._changed_by_fields,
                         frozenset({'ref', 'total', 'items', 'customer'}))
        mapper = OrderMapper(connector_env(new_backend(), 'shop.order'))
        self.assertTrue(mapper.is_changed_by(['comment', 'total']))
        self.assertFalse(mapper.is_changed_by({'comment': 'x'}))

    def test_malformed_direct_mapping_is_refused_at_class_creation(self):
        with self.assertRaises(TypeError):
            class BrokenMapper(ImportMapper):
                direct = [(lambda mapper, record, to_attr: 1, 'name')]
        with self.assertRaises(TypeError):
            class AlsoBrokenMapper(ImportMapper):
                direct = [('a', 'b', 'c')]


class MapperCase(unittest.TestCase):
    """A test backend with the mapper classes of a test registered on it."""

    def setUp(self):
        self.backend = new_backend()
        self.session = Session(models={'shop.order': ORDER_FIELDS,
                                       'shop.order.line': {'product_id': Field('char')},
                                       'shop.res.partner': {}})

    def mapper(self, mapper_class, model_name='shop.order'):
        return mapper_class(connector_env(self.backend, model_name, self.session))


class TestImportMapping(MapperCase):

    def test_direct_methods_and_options(self):
        class OrderMapper(ImportMapper):
            _model_name = 'shop.order'
            direct = [('ref', 'name'), (convert('total', float), 'amount'),
                      (none('note'), 'note'), ('missing', 'origin')]

            @mapping
            def tax(self, record):
                return {'tax_included': bool(self.options.tax_included)}

            @only_create
            @mapping
            def state(self, record):
                return {'state': 'draft'}

        map_record = self.mapper(OrderMapper).map_record({'ref': 'SO1', 'total': '12.5',
                                                         'note': ''})

        self.assertEqual(map_record.values(), {'name': 'SO1', 'amount': 12.5, 'note': None,
                                               'origin': False, 'tax_included': False})
        self.assertEqual(map_record.values(for_create=True, tax_included=True), {
            'name': 'SO1', 'amount': 12.5, 'note': None, 'origin': False,
            'tax_included': True, 'state': 'draft'})

    def test_falsy_values_other_than_none_are_kept(self):
        class OrderMapper(ImportMapper):
            _model_name = 'shop.order'
            direct = [('quantity', 'quantity'), ('total', 'amount')]

        values = self.mapper(OrderMapper).map_record({'quantity': 0}).values()

        self.assertEqual(values, {'quantity': 0, 'amount': False})

    def test_modifiers_compose(self):
        class OrderMapper(ImportMapper):
            _model_name = 'shop.order'
            direct = [(none(convert('total', float)), 'amount'),
                      (none(convert('zero', float)), 'zero'),
                      (upper(none('code')), 'code'),
                      (upper('empty'), 'empty')]

        values = self.mapper(OrderMapper).map_record(
            {'total': '3', 'zero': 0, 'code': 'ab', 'empty': ''}).values()

        self.assertEqual(values, {'amount': 3.0, 'zero': None, 'code': 'AB', 'empty': ''})

    def test_fields_limits_the_mappings_to_what_changed(self):
        class OrderMapper(ImportMapper):
            _model_name = 'shop.order'
            direct = [('ref', 'name'), (convert('total', float), 'amount')]

            @changed_by('firstname', 'lastname')
            @mapping
            def contact(self, record):
                return {'contact': record['firstname']}

            @mapping
            def always(self, record):
                return {'always': True}

        map_record = self.mapper(OrderMapper).map_record(
            {'ref': 'SO1', 'total': '2', 'firstname': 'Ada', 'lastname': 'L'})

        self.assertEqual(map_record.values(fields=['total']), {'amount': 2.0, 'always': True})
        self.assertEqual(map_record.values(fields=['lastname']),
                         {'contact': 'Ada', 'always': True})
        self.assertEqual(map_record.values(fields=[]), {'always': True})

    def test_forced_values_win_and_finalize_has_the_last_word(self):
        class OrderMapper(ImportMapper):
            _model_name = 'shop.order'
            direct = [('ref', 'name'), ('total', 'amount')]

            def finalize(self, map_record, values):
                values['summary'] = '%s: %s' % (values['name'], values['amount'])
                return values

        map_record = self.mapper(OrderMapper).map_record({'ref': 'SO1', 'total': 5})
        map_record.update({'name': 'forced'}, backend_id=3)

        self.assertEqual(map_record.values(), {'name': 'forced', 'amount': 5,
                                               'summary': 'SO1: 5', 'backend_id': 3})

    def test_relational_target_needs_a_modifier(self):
        class OrderMapper(ImportMapper):
            _model_name = 'shop.order'
            direct = [('salesman', 'user_id')]

        with self.assertRaises(MappingError) as raised:
            self.mapper(OrderMapper).map_record({'salesman': 4}).values()
        self.assertIn('shop.order.user_id is a many2one', str(raised.exception))
        self.assertIn("source field 'salesman'", str(raised.exception))

    def test_backend_to_m2o_finds_the_bound_record(self):
        self.backend(BindingLookupBinder)
        BindingLookupBinder.calls = []

        class OrderMapper(ImportMapper):
            _model_name = 'shop.order'
            direct = [(backend_to_m2o('customer'), 'partner_id'),
                      (backend_to_m2o('customer', binding='shop.res.partner'), 'user_id')]

        values = self.mapper(OrderMapper).map_record({'customer': '7'}).values()

        self.assertEqual(values, {'partner_id': 70, 'user_id': 700})
        self.assertEqual(BindingLookupBinder.calls, [('to_openerp', '7', False),
                                                     ('to_openerp', '7', True)])

    def test_backend_to_m2o_without_binding_says_which_id(self):
        self.backend(BindingLookupBinder)

        class OrderMapper(ImportMapper):
            _model_name = 'shop.order'
            direct = [(backend_to_m2o('customer'), 'partner_id')]

        mapper = self.mapper(OrderMapper)
        with self.assertRaises(MappingError) as raised:
            mapper.map_record({'customer': '8'}).values()
        message = str(raised.exception)
        self.assertIn("OrderMapper: direct mapping backend_to_m2o('customer') -> "
                      "'partner_id' failed on source field 'customer'", message)
        self.assertIn("external ID '8'", message)
        self.assertEqual(mapper.map_record({'customer': None}).values(), {'partner_id': False})

    def test_backend_to_m2o_needs_a_many2one_target(self):
        class OrderMapper(ImportMapper):
            _model_name = 'shop.order'
            direct = [(backend_to_m2o('customer'), 'name')]

        with self.assertRaises(MappingError) as raised:
            self.mapper(OrderMapper).map_record({'customer': '7'}).values()
        self.assertIn('needs a many2one target', str(raised.exception))

    def test_failing_method_names_the_missing_source_field(self):
        class OrderMapper(ImportMapper):
            _model_name = 'shop.order'

            @mapping
            def contact(self, record):
                return {'contact': record['firstname']}

        with self.assertRaises(MappingError) as raised:
            self.mapper(OrderMapper).map_record({}).values()
        self.assertIn("OrderMapper: mapping method 'contact' failed on source field "
                      "'firstname'", str(raised.exception))

    def test_failing_method_names_its_declared_fields(self):
        class OrderMapper(ImportMapper):
            _model_name = 'shop.order'

            @changed_by('total', 'rate')
            @mapping
            def amount(self, record):
                return {'amount': record['total'] / record['rate']}

        with self.assertRaises(MappingError) as raised:
            self.mapper(OrderMapper).map_record({'total': 1, 'rate': 0}).values()
        self.assertIn("failed on source fields 'rate', 'total': division by zero",
                      str(raised.exception))

    def test_method_returning_something_else_than_a_dict_is_an_error(self):
        class OrderMapper(ImportMapper):
            _model_name = 'shop.order'

            @mapping
            def name(self, record):
                return 'oops'

        with self.assertRaises(MappingError):
            self.mapper(OrderMapper).map_record({}).values()

    def test_job_errors_are_not_turned_into_mapping_errors(self):
        class OrderMapper(ImportMapper):
            _model_name = 'shop.order'

            @mapping
            def rate(self, record):
                raise RetryableJobError('rates service busy')

        with self.assertRaises(RetryableJobError):
            self.mapper(OrderMapper).map_record({}).values()


class TestChildren(MapperCase):

    def setUp(self):
        super().setUp()

        @self.backend
        class LineMapper(ImportMapper):
            _model_name = 'shop.order.line'
            direct = [('sku', 'product_id')]

            @only_create
            @mapping
            def sequence(self, record):
                return {'sequence': 10}

        class OrderMapper(ImportMapper):
            _model_name = 'shop.order'
            direct = [('ref', 'name')]
            children = [('items', 'line_ids', 'shop.order.line')]

        self.order_mapper = self.mapper(OrderMapper)
        self.record = {'ref': 'SO1', 'items': [{'sku': 'A'}, {'sku': 'B'}]}

    def test_lines_are_created(self):
        values = self.order_mapper.map_record(self.record).values(for_create=True)

        self.assertEqual(values['line_ids'], [(0, 0, {'product_id': 'A', 'sequence': 10}),
                                              (0, 0, {'product_id': 'B', 'sequence': 10})])

    def test_update_replaces_the_lines_created_again_in_full(self):
        values = self.order_mapper.map_record(self.record).values(fields=['items'])

        self.assertEqual(values, {'line_ids': [
            (5, 0, 0),
            (0, 0, {'product_id': 'A', 'sequence': 10}),
            (0, 0, {'product_id': 'B', 'sequence': 10})]})

    def test_lines_are_left_alone_when_they_did_not_change(self):
        values = self.order_mapper.map_record(self.record).values(fields=['ref'])

        self.assertEqual(values, {'name': 'SO1'})

    def test_registered_map_child_filters_items_and_sees_the_parent(self):
        @self.backend
        class LineMapChild(ImportMapChild):
            _model_name = 'shop.order.line'

            def skip_item(self, map_record):
                return map_record.source['sku'] == map_record.parent.source['ref']

        self.record['items'].append({'sku': 'SO1'})
        values = self.order_mapper.map_record(self.record).values(for_create=True)

        self.assertEqual([command[2]['product_id'] for command in values['line_ids']],
                         ['A', 'B'])

    def test_export_children_are_a_list_of_values(self):
        @self.backend
        class LineExportMapper(ExportMapper):
            _model_name = 'shop.order.line'
            direct = [(follow_m2o_relations('product.code'), 'sku')]

        class OrderExportMapper(ExportMapper):
            _model_name = 'shop.order'
            children = [('lines', 'items', 'shop.order.line')]

        self.assertIs(OrderExportMapper._map_child_class, ExportMapChild)
        order = {'lines': [{'product': {'code': 'A'}}, {'product': {'code': 'B'}}]}
        values = self.mapper(OrderExportMapper).map_record(order).values()

        self.assertEqual(values, {'items': [{'sku': 'A'}, {'sku': 'B'}]})


class TestModifiersAndOptions(MapperCase):

    def test_source_field_of_composed_modifiers(self):
        self.assertEqual(none(convert('total', float)).source_field, 'total')
        self.assertEqual(follow_m2o_relations('product_id.categ_id.name').source_field,
                         'product_id')
        self.assertEqual(repr(none(convert('total', float))), "none(convert('total'))")

    def test_modifier_needs_a_field_name_or_a_modifier(self):
        with self.assertRaises(TypeError):
            none(42)
        with self.assertRaises(TypeError):
            follow_m2o_relations(none('a'))

    def test_m2o_to_backend_needs_a_record(self):
        class OrderExportMapper(ExportMapper):
            _model_name = 'shop.order'
            direct = [(m2o_to_backend(follow_m2o_relations('partner.name')), 'customer')]

        with self.assertRaises(MappingError) as raised:
            self.mapper(OrderExportMapper).map_record({'partner': {'name': 'x'}}).values()
        self.assertIn("m2o_to_backend needs a many2one source, got 'x'", str(raised.exception))

    def test_map_options_read_missing_keys_as_none(self):
        options = MapOptions(for_create=True)

        self.assertTrue(options.for_create)
        self.assertIsNone(options.fields)
        self.assertIsNone(options['anything'])
        with self.assertRaises(AttributeError):
            options.__deepcopy__
