"""Declared job functions: ``@job`` marks a function runnable by the queue and gives it ``.delay()``.

Only functions declared here, by an addon installed in the database, can run as jobs: a
stored job naming anything else fails without running anything.
"""
import functools
import hashlib

from ..addon import addon_name
from ..exception import UndeclaredJobFunctionError
from . import payload

# name ("odoo.addons.<addon>.<module>.<function>") -> the declared function
JOB_FUNCTIONS = {}


def job_function_name(function):
    return '%s.%s' % (function.__module__, function.__qualname__)


def job(function=None, default_channel='root', retry_pattern=None):
    """Declare a module-level function ``f(session, *args, **kwargs)`` as a job function.

    The function keeps working when called directly. ``f.delay(session, *args, **kwargs)``
    stores a job in the caller's transaction and returns its uuid; the job runs after the
    commit, in a worker, as the user who delayed it. Reserved keyword arguments of
    ``delay``: ``priority`` (10; lower runs first), ``eta`` (datetime, timedelta or
    seconds), ``max_retries`` (5; 0 = forever), ``description``, ``identity_key`` (a string,
    or a function of the job such as :func:`identity_exact`) and ``channel``.

    :param default_channel: channel of the jobs (``root`` or ``root.<sub>...``)
    :param retry_pattern: ``{tries: seconds}`` delays between retries, e.g. ``{1: 60, 5: 600}``

    Usage::

        from odoo.addons.connector.queue.job_function import job

        @job(default_channel='root.shop', retry_pattern={1: 60, 5: 600})
        def import_order(session, backend, external_id):
            '''Import one order from the shop'''
            ...

        uuid = import_order.delay(session, backend, '1042', priority=5)
    """
    if function is None:
        return functools.partial(job, default_channel=default_channel,
                                 retry_pattern=retry_pattern)
    if not (default_channel == 'root' or default_channel.startswith('root.')):
        raise ValueError('Channel %r of %s must be root or start with "root."'
                         % (default_channel, function.__name__))
    if retry_pattern is not None and not all(
            isinstance(tries, int) and isinstance(seconds, (int, float))
            for tries, seconds in retry_pattern.items()):
        raise ValueError('retry_pattern of %s must map tries (int) to seconds'
                         % function.__name__)
    if '<locals>' in function.__qualname__ or '.' in function.__qualname__:
        raise ValueError('@job needs a module-level function, not %s' % function.__qualname__)
    name = job_function_name(function)
    function.job_function_name = name
    function.default_channel = default_channel
    function.retry_pattern = retry_pattern
    function.delay = functools.partial(_delay, function)
    JOB_FUNCTIONS[name] = function
    return function


def related_action(action, **kwargs):
    """Attach the "open the related record" action to a job function.

    ``action(session, job, **kwargs)`` returns an ``ir.actions.*`` dict, or None.

    Usage::

        @job
        @related_action(action=unwrap_binding)
        def export_record(session, model_name, binding_id, fields=None):
            ...
    """
    def decorate(function):
        function.related_action = functools.partial(action, **kwargs) if kwargs else action
        return function
    return decorate


def identity_exact(job_):
    """An identity key made of the function, its arguments, the user and the company.

    Usage::

        export_product.delay(session, product, identity_key=identity_exact)
    """
    digest = hashlib.sha1()
    for part in (job_.func_name, payload.encode(list(job_.args)),
                 payload.encode(job_.kwargs), str(job_.user_id), str(job_.company_id)):
        digest.update(part.encode('utf-8'))
        digest.update(b'\0')
    return digest.hexdigest()


def declared_job_function(env, name):
    """The function a stored job names, if it is declared by an addon installed in ``env``."""
    function = JOB_FUNCTIONS.get(name)
    if function is None or addon_name(function) not in env.registry._init_modules:
        raise UndeclaredJobFunctionError(
            'Job function %r is not declared with @job by an addon installed in this '
            'database: the job was not run' % name)
    return function


def _delay(function, session, *args, priority=None, eta=None, max_retries=None,
           description=None, identity_key=None, channel=None, **kwargs):
    from .storage import enqueue  # the storage needs Odoo; the decorator does not
    return enqueue(session.env, function, args, kwargs, priority=priority, eta=eta,
                   max_retries=max_retries, description=description,
                   identity_key=identity_key, channel=channel)
