"""Run real Odoo 11.0 on Python 3.11: restores what Python and libraries removed since 3.6.

Loaded before Odoo in every process of the project's virtualenv through ``odoo_py311.pth``
(written by ``make venv``), so the server, its prefork workers and pytest all get it.
Each patch lives in :mod:`odoo_py311.patches`; the addons never import this package.

Usage::

    import odoo_py311          # applies every patch once, idempotent
    import odoo                # now imports and runs on Python 3.11

Set ``ODOO_PY311_DISABLE=name,name`` to leave named patches out (the runtime tests use it to
prove that each patch is needed).
"""
from .patches import apply_all

apply_all()
