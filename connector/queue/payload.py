"""JSON payloads of jobs: arguments in, results out. Never pickle.

Plain JSON values pass as they are; recordsets, dates, datetimes, Decimals and tuples are
tagged objects. Anything else is refused when the job is delayed, not when it runs.
"""
from datetime import date, datetime
from decimal import Decimal
import json

from ..exception import JobPayloadError, NotReadableJobError

TYPE_KEY = '_type'
DATETIME_FORMAT = '%Y-%m-%dT%H:%M:%S.%f'
DATE_FORMAT = '%Y-%m-%d'


def is_recordset(value):
    return hasattr(value, '_name') and hasattr(value, '_ids') and hasattr(value, 'env')


def _tagged(value, path):
    if is_recordset(value):
        return {TYPE_KEY: 'recordset', 'model': value._name, 'ids': list(value._ids)}
    if isinstance(value, datetime):
        return {TYPE_KEY: 'datetime', 'value': value.strftime(DATETIME_FORMAT)}
    if isinstance(value, date):
        return {TYPE_KEY: 'date', 'value': value.strftime(DATE_FORMAT)}
    if isinstance(value, Decimal):
        return {TYPE_KEY: 'decimal', 'value': str(value)}
    if isinstance(value, tuple):
        return {TYPE_KEY: 'tuple', 'items': [_encodable(item, '%s[%d]' % (path, index))
                                             for index, item in enumerate(value)]}
    raise JobPayloadError(
        'Cannot store %s of type %s in a job: only JSON values, recordsets, dates, datetimes, '
        'Decimals and tuples are allowed' % (path, type(value).__name__))


def _encodable(value, path):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if value != value or value in (float('inf'), float('-inf')):
            raise JobPayloadError('Cannot store %s in a job: %r is not JSON' % (path, value))
        return value
    if isinstance(value, list):
        return [_encodable(item, '%s[%d]' % (path, index)) for index, item in enumerate(value)]
    if isinstance(value, dict):
        encoded = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise JobPayloadError(
                    'Cannot store %s in a job: dict key %r is not a string' % (path, key))
            if key == TYPE_KEY:
                raise JobPayloadError(
                    'Cannot store %s in a job: the key %r is reserved' % (path, TYPE_KEY))
            encoded[key] = _encodable(item, '%s[%r]' % (path, key))
        return encoded
    return _tagged(value, path)


def encode(value, name='argument'):
    """The JSON text of ``value``; raises :class:`JobPayloadError` naming what is refused.

    >>> encode([1, ('a', 2.5)], 'args')
    '[1, {"_type": "tuple", "items": ["a", 2.5]}]'
    >>> encode({1: 'x'}, 'kwargs')
    Traceback (most recent call last):
    ...
    odoo.addons.connector.exception.JobPayloadError: Cannot store kwargs in a job: dict key 1 is not a string
    """
    return json.dumps(_encodable(value, name), ensure_ascii=False, sort_keys=True)


def _decode_tagged(obj, env):
    kind = obj.get(TYPE_KEY)
    if kind is None:
        return obj
    if kind == 'recordset':
        if env is None:
            raise NotReadableJobError('A recordset argument needs an environment to be read')
        if obj['model'] not in env.registry:
            raise NotReadableJobError('Model %s of a job argument does not exist' % obj['model'])
        return env[obj['model']].browse(obj['ids'])
    if kind == 'datetime':
        return datetime.strptime(obj['value'], DATETIME_FORMAT)
    if kind == 'date':
        return datetime.strptime(obj['value'], DATE_FORMAT).date()
    if kind == 'decimal':
        return Decimal(obj['value'])
    if kind == 'tuple':
        return tuple(obj['items'])
    raise NotReadableJobError('Unknown payload type %r' % kind)


def decode(text, env=None):
    """The value of a JSON payload; recordsets are browsed in ``env``."""
    if text is None:
        return None
    try:
        return json.loads(text, object_hook=lambda obj: _decode_tagged(obj, env))
    except ValueError as err:
        raise NotReadableJobError('Malformed job payload: %s' % err) from err
