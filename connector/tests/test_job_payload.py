"""JSON job payloads without a database: every declared type round trips, others are refused."""
import json
import unittest
from datetime import date, datetime
from decimal import Decimal

from odoo.addons.connector.exception import JobPayloadError, NotReadableJobError
from odoo.addons.connector.queue import payload


class TestPayload(unittest.TestCase):

    def test_round_trip_of_declared_types(self):
        value = [None, True, 3, 2.5, 'é', [1, 2], {'a': {'b': [3]}},
                 date(2026, 11, 30), datetime(2026, 11, 30, 1, 2, 3, 4567),
                 Decimal('12.3400'), (1, ('nested', 2))]
        decoded = payload.decode(payload.encode(value))
        self.assertEqual(decoded, value)
        self.assertIsInstance(decoded[-1], tuple)
        self.assertIsInstance(decoded[-1][1], tuple)
        self.assertEqual(str(decoded[9]), '12.3400')

    def test_payload_is_plain_json(self):
        text = payload.encode({'when': date(2026, 1, 2)})
        self.assertEqual(json.loads(text), {'when': {'_type': 'date', 'value': '2026-01-02'}})

    def test_refuses_undeclared_types_naming_them(self):
        for value, fragment in ((object(), 'type object'), ({1, 2}, 'type set'),
                                (b'raw', 'type bytes'), ({'k': lambda: 1}, "args['k']"),
                                ({2: 'x'}, 'dict key 2'), (float('nan'), 'not JSON'),
                                ({'_type': 'x'}, 'reserved')):
            with self.assertRaises(JobPayloadError) as raised:
                payload.encode(value, 'args')
            self.assertIn(fragment, str(raised.exception))

    def test_refusal_is_a_type_error(self):
        with self.assertRaises(TypeError):
            payload.encode(object())

    def test_malformed_payload_is_not_readable(self):
        with self.assertRaises(NotReadableJobError):
            payload.decode('{not json')
        with self.assertRaises(NotReadableJobError):
            payload.decode('{"_type": "pickle", "value": "x"}')

    def test_recordset_needs_an_environment(self):
        with self.assertRaises(NotReadableJobError):
            payload.decode('{"_type": "recordset", "model": "res.partner", "ids": [1]}')
