"""Which Odoo processes run jobs: the threaded server's process, or prefork cron workers.

HTTP workers, the prefork master, the gevent (longpolling) process, ``--stop-after-init``
runs, shells and test runners never do.
"""
import os

THREADED = 'threaded server'
CRON_WORKER = 'prefork cron worker'


def job_runner_role(server, config, pid=None):
    """The role that makes this process run jobs, or None if it must not run any.

    ``server`` is ``odoo.service.server.server`` (None outside a server). In prefork mode,
    Odoo 11 closes the listening socket in cron workers only (``WorkerCron.start``): that
    tells a cron worker from an HTTP worker, which keeps serving on it.

    >>> class ThreadedServer(object): pass
    >>> job_runner_role(ThreadedServer(), {'stop_after_init': False})
    'threaded server'
    >>> job_runner_role(ThreadedServer(), {'stop_after_init': True}) is None
    True
    >>> job_runner_role(None, {}) is None
    True
    """
    if server is None or config.get('stop_after_init'):
        return None
    kind = type(server).__name__
    if kind == 'ThreadedServer':
        return THREADED
    if kind == 'PreforkServer':
        pid = os.getpid() if pid is None else pid
        listening = getattr(server, 'socket', None)
        if pid != server.pid and listening is not None and listening.fileno() == -1:
            return CRON_WORKER
    return None


def current_job_runner_role():
    """:func:`job_runner_role` of this very process."""
    import odoo.service.server
    from odoo.tools import config
    return job_runner_role(odoo.service.server.server, config)
