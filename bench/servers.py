"""Real ``odoo-bin`` servers for the benchmark, through the system tests' ``OdooServer``.

A server is stopped when its ``with`` block ends, whatever happens inside (Ctrl-C and
errors included; ``OdooServer`` also kills what is left at interpreter exit). Its log is
kept under ``.run/bench/logs`` and its ERROR lines are collected for the report.

Usage::

    from bench.servers import start_server, SERVER_ERRORS
    with start_server('bench_db', config_path, workers=2, args=['--load=web,queue_job']):
        ...
    SERVER_ERRORS   # [(log file, error line), ...] of every server stopped so far
"""
import shutil
import sys
from contextlib import contextmanager

from .odoo_config import BENCH_DIR, ROOT

sys.path.insert(0, str(ROOT / 'tests'))
from odoo_server import OdooServer, log_errors  # noqa: E402

LOG_DIR = BENCH_DIR / 'logs'
SERVER_ERRORS = []   # (log file name, ERROR/CRITICAL line) of the servers stopped so far


class BenchServerError(Exception):
    """A benchmark server did not get ready (its queue did not start)."""


@contextmanager
def start_server(database, config_path, workers=0, max_cron_threads=0, args=()):
    """One ``odoo-bin`` on `database` (threaded if workers=0), without cron threads unless
    asked; stopped and its log filed when the block ends."""
    server = OdooServer(database, workers=workers, max_cron_threads=max_cron_threads,
                        args=list(args), config=config_path)
    try:
        with server:
            yield server
    finally:
        _file_log(server)


def _file_log(server):
    if not server.log_path.exists():
        return
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    kept = LOG_DIR / ('%s-%d.log' % (server.database, server.http_port))
    shutil.move(str(server.log_path), str(kept))
    text = kept.read_text(encoding='utf-8', errors='replace')
    SERVER_ERRORS.extend((kept.name, line) for line in log_errors(text))


def clear_logs():
    """Forget the logs of a previous run."""
    shutil.rmtree(LOG_DIR, ignore_errors=True)
    del SERVER_ERRORS[:]


__all__ = ['BenchServerError', 'SERVER_ERRORS', 'clear_logs', 'start_server']
