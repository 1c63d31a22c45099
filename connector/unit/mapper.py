"""Mappers: turn an external record into Odoo values (import) and an Odoo record into
external values (export).

A mapper is declared once (``direct`` mappings, ``@mapping`` methods, ``children``) and
evaluated for creation or update, for all fields or only the changed ones.
"""
from collections import namedtuple
from contextlib import contextmanager

from odoo import models

from ..exception import JobError, MappingError, NoConnectorUnitError
from .connector_unit import ConnectorUnit

RELATIONAL_TYPES = ('many2one', 'one2many', 'many2many')


# --- decorators of mapping methods ---------------------------------------------------------

def mapping(func):
    """Declare a mapper method as a mapping: ``method(self, record)`` returns a dict of
    values, or a falsy value for none.

    Usage::

        @mapping
        def name(self, record):
            return {'name': '%s %s' % (record['firstname'], record['lastname'])}
    """
    func.is_mapping = True
    return func


def changed_by(*field_names):
    """Run the mapping only when one of ``field_names`` (source fields) is among the
    ``fields`` asked for in ``values(fields=...)``; without ``fields``, it always runs.

    Usage::

        @changed_by('firstname', 'lastname')
        @mapping
        def name(self, record):
            ...
    """
    def decorate(func):
        func.changed_by = frozenset(field_names)
        return func
    return decorate


def only_create(func):
    """Run the mapping only for ``values(for_create=True)``.

    Usage::

        @only_create
        @mapping
        def customer(self, record):
            return {'customer': True}
    """
    func.only_create = True
    return func


MappingDefinition = namedtuple('MappingDefinition', ['changed_by', 'only_create'])


# --- modifiers of direct mappings ----------------------------------------------------------

class Modifier(object):
    """A transformation applied to a source field in a ``direct`` mapping.

    ``field`` is a source field name or another modifier, so modifiers compose:
    ``none(convert('weight', float))``. The source field is known without inspecting
    closures, so ``values(fields=...)`` can filter direct mappings that use modifiers.

    A custom modifier overrides :meth:`transform`.

    Usage::

        class strip(Modifier):
            def transform(self, mapper, value, to_attr):
                return value.strip() if value else value

        direct = [(none(strip('name')), 'name')]
    """

    def __init__(self, field):
        if not isinstance(field, (str, Modifier)):
            raise TypeError('%s needs a field name or a modifier, not %r'
                            % (type(self).__name__, field))
        self.field = field

    @property
    def source_field(self):
        """Name of the source field the value comes from."""
        if isinstance(self.field, Modifier):
            return self.field.source_field
        return self.field

    def __call__(self, mapper, record, to_attr):
        if isinstance(self.field, Modifier):
            value = self.field(mapper, record, to_attr)
        else:
            value = mapper._source_value(record, self.field)
        return self.transform(mapper, value, to_attr)

    def transform(self, mapper, value, to_attr):
        """The mapped value from the source ``value``."""
        return value

    def __repr__(self):
        return '%s(%r)' % (type(self).__name__, self.field)


# The built-in modifiers keep the classic lower-case names: they read as functions in
# ``direct`` lists (``none(convert('x', int))``).

class none(Modifier):
    """A falsy value becomes ``None`` (the external system wants ``null``, not ``False``).

    Usage::

        direct = [(none('email'), 'email')]
    """

    def transform(self, mapper, value, to_attr):
        return value if value else None


class convert(Modifier):
    """Convert the value with ``conv_type``; a falsy value becomes ``False``.

    Usage::

        direct = [(convert('weight', float), 'weight')]
    """

    def __init__(self, field, conv_type):
        super().__init__(field)
        self.conv_type = conv_type

    def transform(self, mapper, value, to_attr):
        return self.conv_type(value) if value else False


class m2o_to_backend(Modifier):
    """Export: the external ID of the record in a many2one source field.

    Without ``binding``, the many2one points to a binding model; with ``binding``, it
    points to an Odoo record whose binding (of model ``binding``) holds the external ID.

    :raise MappingError: when the record has no external ID on the backend

    Usage::

        direct = [(m2o_to_backend('partner_id', binding='coffee.res.partner'),
                   'customer_id')]
    """

    def __init__(self, field, binding=None):
        super().__init__(field)
        self.binding = binding

    def transform(self, mapper, value, to_attr):
        if not isinstance(value, models.BaseModel):
            raise MappingError('m2o_to_backend needs a many2one source, got %r' % (value,))
        if not value:
            return None
        binder = mapper.binder_for(self.binding or value._name)
        external_id = binder.to_backend(value, wrap=bool(self.binding))
        if not external_id:
            raise MappingError('%s has no external ID on backend %s'
                               % (value, mapper.backend_record.display_name))
        return external_id


class backend_to_m2o(Modifier):
    """Import: the Odoo record bound to the external ID in the source field, for a
    many2one target field.

    Without ``binding``, the target many2one points to a binding model; with
    ``binding``, it points to the Odoo record behind a binding of model ``binding``.

    :raise MappingError: when no record is bound to that external ID (import it first,
                         for instance in the importer's ``_import_dependencies``)

    Usage::

        direct = [(backend_to_m2o('customer_id', binding='coffee.res.partner'),
                   'partner_id')]
    """

    def __init__(self, field, binding=None):
        super().__init__(field)
        self.binding = binding

    def transform(self, mapper, value, to_attr):
        if value is None or value is False or value == '':
            return False
        target = mapper.model._fields.get(to_attr)
        if target is None or target.type != 'many2one':
            raise MappingError('backend_to_m2o needs a many2one target, %s.%s is not one'
                               % (mapper.model._name, to_attr))
        binder = mapper.binder_for(self.binding or target.comodel_name)
        record = binder.to_openerp(value, unwrap=bool(self.binding))
        if not record:
            raise MappingError('No %s is bound to external ID %r on backend %s'
                               % (binder.model._name, value,
                                  mapper.backend_record.display_name))
        return record.id


class follow_m2o_relations(Modifier):
    """Export: follow a dotted path of relations from the record,
    e.g. ``'product_id.categ_id.name'``.

    Usage::

        direct = [(follow_m2o_relations('order_id.partner_id.email'), 'customer_email')]
    """

    def __init__(self, field):
        if not isinstance(field, str):
            raise TypeError('follow_m2o_relations needs a dotted path, not %r' % (field,))
        super().__init__(field)

    @property
    def source_field(self):
        return self.field.split('.', 1)[0]

    def __call__(self, mapper, record, to_attr):
        value = record
        for name in self.field.split('.'):
            value = value[name]
        return value


# --- options of one values() call ---------------------------------------------------------

class MapOptions(dict):
    """The options of one ``values()`` call; a missing option reads as ``None``.

    Usage::

        self.options.for_create     # inside a mapping method
        self.options.tax_included   # a custom option: values(tax_included=True)
    """

    def __getitem__(self, key):
        return self.get(key)

    def __getattr__(self, key):
        if key.startswith('__'):
            raise AttributeError(key)
        return self.get(key)


# --- children (lines) ----------------------------------------------------------------------

class MapChild(ConnectorUnit):
    """Maps the children of a record (the lines of an order) with the child model's mapper.

    Registering one is optional: a mapper uses the default ``ImportMapChild`` or
    ``ExportMapChild``. Register a subclass to skip items (:meth:`skip_item`) or to
    change how the mapped lines are written (:meth:`format_items`).

    Usage::

        @coffee
        class CoffeeLineImportMapChild(ImportMapChild):
            _model_name = 'coffee.order.line'

            def skip_item(self, map_record):
                return map_record.source['quantity'] == 0
    """

    def _child_mapper(self):
        raise NotImplementedError('%s does not implement _child_mapper' % type(self).__name__)

    def skip_item(self, map_record):
        """Whether to leave this item out; ``map_record.parent`` is the parent's record."""
        return False

    def get_items(self, items, parent, to_attr, options):
        """The mapped values of the ``items``, formatted by :meth:`format_items`."""
        mapper = self._child_mapper()
        mapped = []
        for item in items:
            map_record = mapper.map_record(item, parent=parent)
            if self.skip_item(map_record):
                continue
            mapped.append(self.get_item_values(map_record, to_attr, options))
        return self.format_items(mapped, options)

    def get_item_values(self, map_record, to_attr, options):
        """The values of one item, mapped with the parent's options."""
        return map_record.values(**options)

    def format_items(self, items_values, options):
        """What is written in the parent's field from the items' values."""
        return items_values


class ImportMapChild(MapChild):
    """Maps lines to one2many commands.

    On creation, each line is created: ``[(0, 0, values), ...]``. On update (no
    ``for_create``), the existing lines are replaced by the imported ones:
    ``[(5, 0, 0), (0, 0, values), ...]``, so importing an order twice does not duplicate
    its lines (the lines are recreated, with new ids). Each line is mapped as a creation
    with all its fields. A connector whose lines must keep their ids (because other
    records point to them) overrides :meth:`format_items` to update the lines it finds by
    external ID with ``(1, id, values)``.

    Usage::

        @coffee
        class OrderLineImportMapChild(ImportMapChild):
            _model_name = 'sale.order.line'

            def format_items(self, items_values, options):
                # add the lines, never remove the ones already imported
                return [(0, 0, values) for values in items_values]
    """

    def _child_mapper(self):
        return self.unit_for(ImportMapper)

    def get_item_values(self, map_record, to_attr, options):
        return map_record.values(**dict(options, for_create=True, fields=None))

    def format_items(self, items_values, options):
        commands = [(0, 0, values) for values in items_values]
        if not options.for_create:
            commands.insert(0, (5, 0, 0))
        return commands


class ExportMapChild(MapChild):
    """Maps lines to a list of dicts, one per line.

    Usage::

        @coffee
        class OrderLineExportMapChild(ExportMapChild):
            _model_name = 'sale.order.line'

            def skip_item(self, map_record):
                return not map_record.source.product_uom_qty
    """

    def _child_mapper(self):
        return self.unit_for(ExportMapper)


# --- class building helpers ----------------------------------------------------------------

def _source_field(source):
    return source.source_field if isinstance(source, Modifier) else source


def _check_direct(mapper_class):
    for entry in mapper_class.direct:
        if (not isinstance(entry, tuple) or len(entry) != 2
                or not isinstance(entry[0], (str, Modifier)) or not isinstance(entry[1], str)):
            raise TypeError('%s.direct: %r is not a (source field or Modifier, target field) '
                            'pair' % (mapper_class.__name__, entry))
    for entry in mapper_class.children:
        if not isinstance(entry, tuple) or len(entry) != 3:
            raise TypeError('%s.children: %r is not a (source, target, child model) triple'
                            % (mapper_class.__name__, entry))


def _collect_map_methods(mapper_class):
    """The mapping methods of ``mapper_class`` and its bases.

    A method redefined in a subclass keeps the ``changed_by`` fields of its parents' and
    adds its own; ``only_create`` comes from the most derived definition. New definitions
    are built, so the parents' ones are never changed.
    """
    definitions = {}
    for klass in reversed(mapper_class.__mro__):
        for name, attr in vars(klass).items():
            if not getattr(attr, 'is_mapping', False):
                continue
            inherited = definitions.get(name)
            changed = frozenset(getattr(attr, 'changed_by', ()))
            if inherited is not None:
                changed |= inherited.changed_by
            definitions[name] = MappingDefinition(changed_by=changed,
                                                  only_create=getattr(attr, 'only_create',
                                                                      False))
    return definitions


def _failed_source(err, definition):
    """The source field(s) a mapping method failed on, as far as they can be told: the
    missing key, else the fields the method declares with ``@changed_by``."""
    if isinstance(err, KeyError) and err.args:
        return 'source field %r' % (err.args[0],)
    if definition.changed_by:
        return 'source fields %s' % ', '.join(repr(name)
                                              for name in sorted(definition.changed_by))
    return 'source fields not declared (declare them with @changed_by)'


# --- mappers -------------------------------------------------------------------------------

class Mapper(ConnectorUnit):
    """Translates a record of one system into the values of the other.

    Three kinds of mappings:

    * ``direct``: ``(source, target)`` pairs; the source is a field name or a
      :class:`Modifier` (``none``, ``convert``, ``backend_to_m2o``, ``m2o_to_backend``,
      ``follow_m2o_relations`` or your own);
    * methods decorated with :func:`mapping` (and optionally :func:`only_create`,
      :func:`changed_by`), which return a dict;
    * ``children``: ``(source, target, child model)`` triples mapped by the child
      model's mapper through a :class:`MapChild` (the lines of an order).

    A mapping that fails raises :class:`MappingError` naming the mapper, the mapping and
    the source field. Relational fields are never converted implicitly: use
    ``backend_to_m2o`` / ``m2o_to_backend``.

    Usage::

        @coffee
        class CoffeeOrderImportMapper(ImportMapper):
            _model_name = 'coffee.order'

            direct = [('reference', 'name'),
                      (convert('total', float), 'amount_total'),
                      (backend_to_m2o('customer_id', binding='coffee.res.partner'),
                       'partner_id')]
            children = [('lines', 'coffee_line_ids', 'coffee.order.line')]

            @only_create
            @mapping
            def origin(self, record):
                return {'origin': 'Coffee machine %s' % self.backend_record.name}

        map_record = mapper.map_record(external_record)
        values = map_record.values(for_create=True)
    """

    direct = []
    children = []
    _map_child_class = None
    # name -> MappingDefinition, computed for each subclass
    _map_methods = {}
    # the source fields of the direct mappings, of @changed_by and of the children
    _changed_by_fields = frozenset()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _check_direct(cls)
        cls._map_methods = _collect_map_methods(cls)
        cls._changed_by_fields = frozenset(
            [_source_field(source) for source, _target in cls.direct]
            + [name for definition in cls._map_methods.values()
               for name in definition.changed_by]
            + [source for source, _target, _model in cls.children])

    def __init__(self, connector_env):
        super().__init__(connector_env)
        self._options = None

    def is_changed_by(self, field_names):
        """Whether a change of ``field_names`` (source fields) changes what this mapper
        gives: one of them is mapped directly, declared by a ``@changed_by`` or holds
        children. An export consumer uses it to skip the writes that export nothing.

        Usage::

            if mapper.is_changed_by(vals):
                export_record.delay(session, model_name, record_id, fields=sorted(vals))
        """
        return not self._changed_by_fields.isdisjoint(field_names)

    def map_record(self, record, parent=None):
        """Wrap ``record`` for mapping; ``parent`` is the parent's MapRecord for a line."""
        return MapRecord(self, record, parent=parent)

    @property
    def map_methods(self):
        """``(bound method, MappingDefinition)`` of every mapping method."""
        for name, definition in self._map_methods.items():
            yield getattr(self, name), definition

    @property
    def options(self):
        """The :class:`MapOptions` of the ``values()`` call being computed."""
        return self._options

    @contextmanager
    def _mapping_options(self, options):
        previous = self._options
        self._options = options
        try:
            yield
        finally:
            self._options = previous

    def _apply(self, map_record, options=None):
        with self._mapping_options(options or MapOptions()):
            return self._apply_with_options(map_record)

    def _apply_with_options(self, map_record):
        fields = self.options.fields
        if fields is not None:
            fields = frozenset(fields)
        result = {}
        for source, target in self.direct:
            source_field = _source_field(source)
            if fields is not None and source_field not in fields:
                continue
            try:
                result[target] = self._map_direct(map_record.source, source, target)
            except JobError:
                raise  # job control (retry later...), not a mapping failure
            except Exception as err:
                raise MappingError('%s: direct mapping %r -> %r failed on source field '
                                   '%r: %s' % (type(self).__name__, source, target,
                                               source_field, err)) from err

        for method, definition in self.map_methods:
            if definition.only_create and not self.options.for_create:
                continue
            if fields is not None and definition.changed_by \
                    and not definition.changed_by & fields:
                continue
            try:
                values = method(map_record.source)
            except JobError:
                raise
            except Exception as err:
                raise MappingError('%s: mapping method %r failed on %s: %s'
                                   % (type(self).__name__, method.__name__,
                                      _failed_source(err, definition), err)) from err
            if not values:
                continue
            if not isinstance(values, dict):
                raise MappingError('%s: mapping method %r returned %r instead of a dict'
                                   % (type(self).__name__, method.__name__, values))
            result.update(values)

        for source, target, model_name in self.children:
            if fields is not None and source not in fields:
                continue
            result[target] = self._map_child(map_record, source, target, model_name)
        return self.finalize(map_record, result)

    def finalize(self, map_record, values):
        """Last change to the mapped ``values`` (like an onchange); return them."""
        return values

    def _source_value(self, record, field_name):
        """The value of ``field_name`` in a source record."""
        return record[field_name]

    def _map_direct(self, record, source, target):
        raise NotImplementedError('%s does not implement _map_direct' % type(self).__name__)

    def _map_child(self, map_record, source, target, model_name):
        items = self._source_value(map_record.source, source) or []
        map_child = self._get_map_child_unit(model_name)
        return map_child.get_items(items, map_record, target, self.options)

    def _get_map_child_unit(self, model_name):
        """The MapChild registered for ``model_name``, else the default one: registering a
        MapChild is only needed to change how lines are mapped."""
        try:
            return self.unit_for(self._map_child_class, model=model_name)
        except NoConnectorUnitError:
            connector_env = self.connector_env.create_environment(
                self.backend_record, self.session, model_name,
                connector_env=self.connector_env)
            return self._map_child_class(connector_env)


class ImportMapper(Mapper):
    """Maps an external record (a dict) to the values of an Odoo record.

    A direct mapping reads ``record.get(source)``: a missing key or ``None`` gives
    ``False``. A direct mapping to a many2one field needs ``backend_to_m2o`` (an external
    ID is not an Odoo ID).

    Usage::

        @coffee
        class CustomerImportMapper(ImportMapper):
            _model_name = 'coffee.res.partner'
            direct = [('email', 'email'), (none('phone'), 'phone')]

        values = mapper.map_record({'email': 'ada@example.com'}).values(for_create=True)
    """

    _map_child_class = ImportMapChild

    def _source_value(self, record, field_name):
        value = record.get(field_name)
        return False if value is None else value

    def _map_direct(self, record, source, target):
        if isinstance(source, Modifier):
            return source(self, record, target)
        field = self.model._fields.get(target)
        if field is not None and field.type in RELATIONAL_TYPES:
            raise MappingError('%s.%s is a %s: map it with backend_to_m2o or a @mapping '
                               'method' % (self.model._name, target, field.type))
        return self._source_value(record, source)


class ExportMapper(Mapper):
    """Maps an Odoo record (usually a binding) to the values sent to the backend.

    A direct mapping of a relational field needs ``m2o_to_backend`` or
    ``follow_m2o_relations`` (a record is not an external value).

    Usage::

        @coffee
        class OrderExportMapper(ExportMapper):
            _model_name = 'coffee.sale.order'        # the binding model
            direct = [('client_order_ref', 'reference'),
                      (m2o_to_backend('partner_id', binding='coffee.res.partner'),
                       'customer_id')]

        values = mapper.map_record(binding).values(fields=['client_order_ref'])
    """

    _map_child_class = ExportMapChild

    def _map_direct(self, record, source, target):
        if isinstance(source, Modifier):
            return source(self, record, target)
        field = record._fields[source]
        if field.type in RELATIONAL_TYPES:
            raise MappingError('%s.%s is a %s: map it with m2o_to_backend, '
                               'follow_m2o_relations or a @mapping method'
                               % (record._name, source, field.type))
        return record[source]


class MapRecord(object):
    """A source record wrapped for mapping, with values forced by :meth:`update`.

    Usage::

        map_record = mapper.map_record(external_record)
        map_record.update(backend_id=backend.id)          # wins over the mapped values
        values = map_record.values(for_create=True)
        values = map_record.values(fields=['email'])      # only what email changes
        values = map_record.values(tax_included=True)     # custom option: self.options
    """

    def __init__(self, mapper, source, parent=None):
        self._mapper = mapper
        self._source = source
        self._parent = parent
        self._forced_values = {}

    @property
    def source(self):
        return self._source

    @property
    def parent(self):
        return self._parent

    def values(self, for_create=None, fields=None, **options):
        """The mapped values.

        :param for_create: run the ``@only_create`` mappings too
        :param fields: source fields that changed; mappings reading none of them are
                       skipped (``None``: map everything)
        :param options: custom options, read by mappings as ``self.options.<name>``
        """
        map_options = MapOptions(for_create=for_create, fields=fields, **options)
        values = self._mapper._apply(self, options=map_options)
        values.update(self._forced_values)
        return values

    def update(self, *args, **kwargs):
        """Force values, as ``dict.update`` does; they win over the mapped ones."""
        self._forced_values.update(*args, **kwargs)
