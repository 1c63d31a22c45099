"""The named queries of ``sql/queries.sql``, read once at import.

Usage::

    from odoo.addons.connector.queue.queries import QUERIES
    cr.execute(QUERIES['heartbeat'], {'worker_id': worker_id})
"""
import os
import re

QUERIES_FILE = os.path.join(os.path.dirname(__file__), 'sql', 'queries.sql')
_NAME_LINE = re.compile(r'^-- name: (\w+)\s*$')


def parse_queries(text):
    """Map each ``-- name: x`` block to its SQL, without comment lines.

    >>> parse_queries('-- name: one\\n-- what it does\\nSELECT 1\\n\\n-- name: two\\nSELECT 2')
    {'one': 'SELECT 1', 'two': 'SELECT 2'}
    """
    queries = {}
    name = None
    for line in text.splitlines():
        match = _NAME_LINE.match(line)
        if match:
            name = match.group(1)
            if name in queries:
                raise ValueError('Query %s is defined twice' % name)
            queries[name] = []
        elif name is not None and not line.startswith('--'):
            queries[name].append(line)
    return {key: '\n'.join(lines).strip() for key, lines in queries.items()}


with open(QUERIES_FILE, encoding='utf-8') as _queries_file:
    QUERIES = parse_queries(_queries_file.read())
