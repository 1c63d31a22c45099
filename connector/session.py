"""The ConnectorSession: the cursor, user and context a synchronization or a job runs with.

One object carries them through jobs, events and connector units, over an Odoo ``env``.
"""
import threading
from contextlib import contextmanager

from odoo import api


def running_tests():
    """Return whether the current thread runs Odoo tests.

    Odoo's test loader and pytest-odoo both set ``testing`` on the thread that runs the
    tests. The flag is per thread on purpose: a job worker thread started by a system test
    must still commit its own transactions, only the test's transaction must not be
    committed (it is rolled back at the end of the test).
    """
    return getattr(threading.current_thread(), 'testing', False)


class ConnectorSession(object):
    """The cursor, user and context of a synchronization, over an Odoo environment.

    The attributes ``cr``, ``uid``, ``context`` and ``registry`` are read from ``env``;
    ``change_user`` and ``change_context`` swap ``env`` for the duration of a ``with``
    block and put the previous one back on exit, even when the block raises.

    :param cr: database cursor
    :param uid: id of the user the session acts as
    :param context: the Odoo context (copied; ``None`` means an empty context)

    Usage::

        session = ConnectorSession.from_env(self.env)
        with session.change_context(connector_no_export=True):
            session.env['res.partner'].browse(partner_id).write({'name': 'Smith'})
        if session.is_module_installed('sale'):
            ...
        session.commit()      # a no-op while tests run
    """

    def __init__(self, cr, uid, context=None):
        self.env = api.Environment(cr, uid, dict(context or {}))

    @classmethod
    def from_env(cls, env):
        """Build a session that acts with the cursor, user and context of ``env``."""
        return cls(env.cr, env.uid, context=env.context)

    @property
    def cr(self):
        return self.env.cr

    @property
    def uid(self):
        return self.env.uid

    @property
    def context(self):
        return self.env.context

    @property
    def registry(self):
        return self.env.registry

    @contextmanager
    def change_user(self, uid):
        """Act as the user ``uid`` inside the ``with`` block.

        Usage::

            with session.change_user(job_user_id):
                session.env['sale.order'].create(values)
        """
        previous_env = self.env
        self.env = previous_env(user=uid)
        try:
            yield self
        finally:
            self.env = previous_env

    @contextmanager
    def change_context(self, *args, **kwargs):
        """Extend the context inside the ``with`` block.

        Accepts what ``Model.with_context`` accepts: a dict replacing the context, and/or
        keywords added to it.

        Usage::

            with session.change_context({'lang': 'fr_FR'}, active_test=False):
                session.env['product.product'].search([])
        """
        previous_env = self.env
        context = dict(args[0] if args else previous_env.context, **kwargs)
        self.env = previous_env(context=context)
        try:
            yield self
        finally:
            self.env = previous_env

    def commit(self):
        """Commit the transaction, except while tests run in this thread.

        A test's transaction is rolled back when the test ends; committing it would leak
        the test's records into the database.
        """
        if running_tests():
            return
        self.cr.commit()

    def rollback(self):
        """Roll the transaction back."""
        self.cr.rollback()

    def is_module_installed(self, module_name):
        """Return whether the Odoo addon ``module_name`` is installed in this database."""
        return module_name in self.registry._init_modules

    def __repr__(self):
        return '<ConnectorSession db: %s, uid: %s>' % (self.cr.dbname, self.uid)
