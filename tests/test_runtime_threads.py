"""A thread started inside the server process opens its own cursor and commits a record, as
the job queue's workers will (started from a model's ``_register_hook``)."""
import requests

from odoo_server import REQUEST_TIMEOUT, OdooServer, log_errors, poll_query

THREAD_TIMEOUT = 60.0   # seconds for the thread's record to be committed once the server serves


def test_thread_in_the_server_process_writes_with_its_own_cursor(addons_database,
                                                                 runtime_probe):
    server = OdooServer(addons_database, args=runtime_probe.server_args,
                        env=runtime_probe.thread_env)
    with server:
        # Read on a connection of our own: the row is there only if the thread committed it.
        rows = poll_query(addons_database, "SELECT pid, thread_name FROM rt_runtime_probe "
                                           "WHERE label = 'thread'", timeout=THREAD_TIMEOUT)
        still_serving = requests.get(server.url('/web/login'), timeout=REQUEST_TIMEOUT)

    assert rows, server.log_text()[-3000:]
    assert {pid for pid, _ in rows} == {server.pid}
    assert {thread_name for _, thread_name in rows} == {'rt-probe-thread'}
    assert still_serving.status_code == 200
    assert server.returncode == 0
    assert log_errors(server.log_text()) == []
