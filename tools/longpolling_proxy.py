"""A small reverse proxy for prefork mode: /longpolling/ to Odoo's gevent port, the rest to
the HTTP workers, on one address, as the nginx rule of the README does. For development only.

Usage::

    make run WORKERS=2                                # Odoo on 8069, its gevent process on 8072
    .venv/bin/python tools/longpolling_proxy.py       # then browse http://127.0.0.1:8080
    .venv/bin/python tools/longpolling_proxy.py --port 9000 --http 8069 --longpolling 8072
"""
import argparse

from werkzeug.exceptions import NotFound
from werkzeug.middleware.http_proxy import ProxyMiddleware
from werkzeug.serving import run_simple

PROXY_TIMEOUT = 120   # seconds; Odoo holds a /longpolling/poll request open for 50 s


def _target(host, port):
    # The Host header is kept, so that Odoo's redirects and URLs point at the proxy.
    return {'target': 'http://%s:%d/' % (host, port), 'host': None, 'remove_prefix': False,
            'headers': {}, 'ssl_context': None}


def longpolling_proxy(http_port, longpolling_port, host='127.0.0.1'):
    """WSGI app sending /longpolling/ to `longpolling_port` and all else to `http_port`."""
    to_http_workers = ProxyMiddleware(NotFound(), {}, timeout=PROXY_TIMEOUT)
    http_workers = _target(host, http_port)

    def everything_else(environ, start_response):
        # ProxyMiddleware matches "/prefix/" paths only: "/" itself is this fallback.
        proxy = to_http_workers.proxy_to(http_workers, environ['PATH_INFO'], '/')
        return proxy(environ, start_response)

    return ProxyMiddleware(everything_else, {'/longpolling/': _target(host, longpolling_port)},
                           timeout=PROXY_TIMEOUT)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--port', type=int, default=8080, help='port to listen on')
    parser.add_argument('--http', type=int, default=8069, help="Odoo's --http-port")
    parser.add_argument('--longpolling', type=int, default=8072,
                        help="Odoo's --longpolling-port")
    options = parser.parse_args(argv)
    print('Odoo through the proxy: http://127.0.0.1:%d/web/login' % options.port, flush=True)
    run_simple('127.0.0.1', options.port, longpolling_proxy(options.http, options.longpolling),
               threaded=True)


if __name__ == '__main__':
    main()
