"""Events: subscriptions without a database, and the record events the ORM fires."""
import unittest

from odoo.tests.common import TransactionCase

from odoo.addons.connector.event import (
    Event, export_consumer, on_record_create, on_record_unlink, on_record_write)

from .stand_ins import Session

NOT_INSTALLED_MODULE = 'odoo.addons.not_installed_addon.consumer'


class CallRecorder(object):
    """A consumer that records its calls; ``module`` sets the addon it seems to come from."""

    def __init__(self, module=__name__):
        self.calls = []
        self.__module__ = module

    def __call__(self, session, model_name, *args, **kwargs):
        self.calls.append((model_name,) + args)


class TestEvent(unittest.TestCase):

    def setUp(self):
        self.event = Event('on_test')
        self.session = Session()

    def test_consumers_for_every_model_and_for_some(self):
        everywhere, partners = CallRecorder(), CallRecorder()
        self.event.subscribe(everywhere)
        self.event.subscribe(partners, model_names=['res.partner', 'res.users'])

        self.event.fire(self.session, 'res.partner', 1, key='ignored by the recorder')
        self.event.fire(self.session, 'res.company', 2)

        self.assertEqual(everywhere.calls, [('res.partner', 1), ('res.company', 2)])
        self.assertEqual(partners.calls, [('res.partner', 1)])

    def test_consumers_are_called_in_subscription_order_global_first(self):
        order = []
        first = lambda session, model_name: order.append('first')  # noqa: E731
        second = lambda session, model_name: order.append('second')  # noqa: E731
        everywhere = lambda session, model_name: order.append('everywhere')  # noqa: E731
        self.event.subscribe(first, model_names='res.partner')
        self.event.subscribe(second, model_names='res.partner')
        self.event.subscribe(everywhere)

        self.event.fire(self.session, 'res.partner')

        self.assertEqual(order, ['everywhere', 'first', 'second'])

    def test_unsubscribe(self):
        consumer = CallRecorder()
        self.event.subscribe(consumer, model_names='res.partner')
        self.event.unsubscribe(consumer, model_names='res.partner')
        self.event.unsubscribe(CallRecorder(), model_names='res.users')  # unknown: ignored

        self.event.fire(self.session, 'res.partner')

        self.assertEqual(consumer.calls, [])

    def test_replacing_a_consumer(self):
        original, replacement = CallRecorder(), CallRecorder()
        self.event.subscribe(original, model_names='res.partner')
        self.event.subscribe(replacement, model_names='res.partner', replacing=original)

        self.event.fire(self.session, 'res.partner')

        self.assertEqual((original.calls, replacement.calls), ([], [('res.partner',)]))

    def test_decorator_forms(self):
        calls = []

        @self.event
        def everywhere(session, model_name):
            calls.append(('everywhere', model_name))

        @self.event(model_names='res.users')
        def users(session, model_name):
            calls.append(('users', model_name))

        @self.event(model_names='res.users', replacing=users)
        def users_instead(session, model_name):
            calls.append(('users_instead', model_name))

        self.event.fire(self.session, 'res.users')

        self.assertEqual(calls, [('everywhere', 'res.users'), ('users_instead', 'res.users')])

    def test_consumer_of_an_addon_not_installed_is_not_called(self):
        installed, not_installed = CallRecorder(), CallRecorder(module=NOT_INSTALLED_MODULE)
        self.event.subscribe(not_installed, model_names='res.partner')

        self.assertTrue(self.event.has_consumers('res.partner'))
        self.assertFalse(self.event.has_consumer_for(self.session, 'res.partner'))
        self.event.subscribe(installed, model_names='res.partner')
        self.assertTrue(self.event.has_consumer_for(self.session, 'res.partner'))

        self.event.fire(self.session, 'res.partner', 3)

        self.assertEqual((installed.calls, not_installed.calls), ([('res.partner', 3)], []))

    def test_fire_needs_a_model_name(self):
        with self.assertRaises(TypeError):
            self.event.fire(self.session, ['res.partner'])

    def test_export_consumer_is_silenced_by_connector_no_export(self):
        consumer = CallRecorder()
        exporter = export_consumer(consumer)

        exporter(Session(context={'connector_no_export': True}), 'res.partner', 1)
        exporter(Session(), 'res.partner', 2)

        self.assertEqual(consumer.calls, [('res.partner', 2)])
        self.assertEqual(exporter.__module__, consumer.__module__,
                         'the wrapper keeps the addon of the consumer')


class TestRecordEvents(TransactionCase):
    """The ORM fires the three record events for the consumers of installed addons."""

    def subscribe(self, event, consumer, model_names='res.partner'):
        event.subscribe(consumer, model_names=model_names)
        self.addCleanup(event.unsubscribe, consumer, model_names=model_names)
        return consumer

    def test_create_fires_with_the_values(self):
        consumer = self.subscribe(on_record_create, CallRecorder())

        partner = self.env['res.partner'].create({'name': 'Ada', 'ref': 'A1'})

        [(model_name, record_id, vals)] = consumer.calls
        self.assertEqual((model_name, record_id), ('res.partner', partner.id))
        self.assertEqual((vals['name'], vals['ref']), ('Ada', 'A1'))

    def test_write_fires_once_per_record_with_the_written_fields(self):
        partners = self.env['res.partner'].create({'name': 'Ada'}) | \
            self.env['res.partner'].create({'name': 'Grace'})
        consumer = self.subscribe(on_record_write, CallRecorder())

        partners.write({'ref': 'X'})

        self.assertEqual(consumer.calls, [('res.partner', partners[0].id, {'ref': 'X'}),
                                          ('res.partner', partners[1].id, {'ref': 'X'})])

    def test_unlink_fires_while_the_record_can_still_be_read(self):
        partner = self.env['res.partner'].create({'name': 'Ada'})
        names = []

        def read_name(session, model_name, record_id):
            names.append(session.env[model_name].browse(record_id).name)
        self.subscribe(on_record_unlink, read_name)

        partner.unlink()

        self.assertEqual(names, ['Ada'])
        self.assertFalse(partner.exists())

    def test_consumers_of_other_models_are_not_called(self):
        consumer = self.subscribe(on_record_create, CallRecorder(), model_names='res.country')

        self.env['res.partner'].create({'name': 'Ada'})

        self.assertEqual(consumer.calls, [])

    def test_consumer_of_an_addon_not_installed_is_silent(self):
        consumer = self.subscribe(on_record_write, CallRecorder(module=NOT_INSTALLED_MODULE))

        self.env['res.partner'].create({'name': 'Ada'}).write({'ref': 'X'})

        self.assertEqual(consumer.calls, [])

    def test_consumer_gets_the_writer_context(self):
        contexts = []

        def keep_context(session, model_name, record_id, vals):
            contexts.append(session.context.get('connector_no_export'))
        partner = self.env['res.partner'].create({'name': 'Ada'})
        self.subscribe(on_record_write, keep_context)

        partner.with_context(connector_no_export=True).write({'ref': 'X'})
        partner.write({'ref': 'Y'})

        self.assertEqual(contexts, [True, None])

    def test_consumer_cannot_change_the_values_written(self):
        partner = self.env['res.partner'].create({'name': 'Ada'})

        def tamper(session, model_name, record_id, vals):
            vals['ref'] = 'tampered'
        self.subscribe(on_record_write, tamper)
        values = {'name': 'Grace'}

        partner.write(values)

        self.assertEqual(values, {'name': 'Grace'})
