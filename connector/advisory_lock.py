"""PostgreSQL advisory locks taken by name, held until the end of the transaction.

Two transactions synchronizing the same record at once (two imports of one order, say)
take the same lock: the second one finds it taken and retries later.
"""
import hashlib
import struct


def lock_key(name):
    """The signed 64-bit integer PostgreSQL locks on, from any string ``name``."""
    digest = hashlib.sha1(name.encode('utf-8')).digest()
    return struct.unpack('q', digest[:8])[0]


def try_advisory_xact_lock(cr, name):
    """Take the transaction-level advisory lock ``name`` if it is free.

    :return: True if the lock is now held by this transaction (until commit or rollback),
             False if another transaction holds it

    Usage::

        if not try_advisory_xact_lock(env.cr, 'import coffee.order 42 on backend 1'):
            raise RetryableJobError('Order 42 is being imported by another job')
    """
    cr.execute('SELECT pg_try_advisory_xact_lock(%s)', (lock_key(name),))
    return cr.fetchone()[0]
