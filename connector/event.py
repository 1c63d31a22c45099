"""Events: hooks in Odoo on which connectors plug consumers (an Observer pattern).

The ORM fires the three record events (see ``models/base.py``); connectors may declare
their own events.
"""
import functools

from .addon import addon_name

# context key telling export consumers not to export (set by imports and binders, so that
# an import does not bounce back to the backend as an export)
NO_EXPORT_KEY = 'connector_no_export'


class Event(object):
    """A hook on which consumers are subscribed, for all models or for some.

    A consumer is called as ``consumer(session, model_name, *args, **kwargs)`` when the
    event is fired, in the order of subscription (global consumers first). Only
    consumers of addons installed in the session's database are called.

    Usage::

        on_coffee_ready = Event('on_coffee_ready')

        @on_coffee_ready(model_names=['coffee.sale.order'])
        def notify_barista(session, model_name, record_id):
            ...

        on_coffee_ready.fire(session, 'coffee.sale.order', order.id)
    """

    def __init__(self, name=None, doc=None):
        self.name = name
        if doc:
            self.__doc__ = doc
        # model name (None: every model) -> consumers, in subscription order
        self._consumers = {None: []}

    def subscribe(self, consumer, model_names=None, replacing=None):
        """Call ``consumer`` when the event fires for ``model_names`` (a name, a list of
        names, or ``None`` for every model), instead of ``replacing`` if given."""
        if replacing is not None:
            self.unsubscribe(replacing, model_names=model_names)
        for model_name in _as_list(model_names):
            consumers = self._consumers.setdefault(model_name, [])
            if consumer not in consumers:
                consumers.append(consumer)

    def unsubscribe(self, consumer, model_names=None):
        """Stop calling ``consumer`` for ``model_names``; unknown consumers are ignored."""
        for model_name in _as_list(model_names):
            consumers = self._consumers.get(model_name, [])
            if consumer in consumers:
                consumers.remove(consumer)

    def has_consumer_for(self, session, model_name):
        """Whether firing for ``model_name`` would call at least one consumer."""
        return any(True for _consumer in self._consumers_for(session, model_name))

    def has_consumers(self, model_name):
        """Whether any consumer is subscribed for ``model_name``, installed or not.

        A cheap test that needs no session: the ORM hooks use it before building one.
        """
        return bool(self._consumers[None] or self._consumers.get(model_name))

    def _consumers_for(self, session, model_name):
        for consumer in self._consumers[None] + self._consumers.get(model_name, []):
            if session.is_module_installed(addon_name(consumer)):
                yield consumer

    def fire(self, session, model_name, *args, **kwargs):
        """Call the consumers subscribed for ``model_name`` and for every model."""
        if not isinstance(model_name, str):
            raise TypeError('%s.fire needs a model name, not %r' % (self, model_name))
        for consumer in list(self._consumers_for(session, model_name)):
            consumer(session, model_name, *args, **kwargs)

    def __call__(self, consumer=None, model_names=None, replacing=None):
        """Decorator form of :meth:`subscribe`: ``@event`` or
        ``@event(model_names=..., replacing=...)``."""
        def subscribe(func):
            self.subscribe(func, model_names=model_names, replacing=replacing)
            return func
        if consumer is None:
            return subscribe
        return subscribe(consumer)

    def __repr__(self):
        return '<Event %s>' % (self.name or hex(id(self)))


def export_consumer(consumer):
    """Make an export consumer do nothing when the context has ``connector_no_export``.

    Imports write with that key, so what an import writes is not exported back.

    Usage::

        @on_record_write(model_names='coffee.res.partner')
        @export_consumer
        def delay_export(session, model_name, record_id, vals):
            export_record.delay(session, model_name, record_id, fields=list(vals))
    """
    @functools.wraps(consumer)
    def consume_unless_no_export(session, model_name, *args, **kwargs):
        if session.context.get(NO_EXPORT_KEY):
            return None
        return consumer(session, model_name, *args, **kwargs)
    return consume_unless_no_export


def _as_list(model_names):
    if model_names is None or isinstance(model_names, str):
        return [model_names]
    return list(model_names)


on_record_create = Event('on_record_create', doc="""Fired after a record is created.

Consumers: ``consumer(session, model_name, record_id, vals)``; ``vals`` is a copy of the
values given to ``create``, as the model's own overrides passed them down (``res.partner``,
for one, adds its images).
""")

on_record_write = Event('on_record_write', doc="""Fired after records are written, once per
record.

Consumers: ``consumer(session, model_name, record_id, vals)``; ``vals`` is a copy of the
written values: its keys are the written field names.
""")

on_record_unlink = Event('on_record_unlink', doc="""Fired before records are deleted, once per
record, while the record (and its bindings' external IDs) can still be read.

Consumers: ``consumer(session, model_name, record_id)``.
""")
