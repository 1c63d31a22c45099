"""Which Odoo addon a Python class or function comes from.

Connector units and event consumers take part only in the databases where their addon is
installed; this module names that addon.
"""

ADDONS_PACKAGE = 'odoo.addons.'


def addon_name(obj):
    """Name of the addon that defines ``obj`` (a class or a function), from its module.

    ``odoo.addons.sale.models.sale_order`` gives ``sale``. Code outside ``odoo.addons``
    gives its top-level package, which no database lists as an installed addon, so units
    and consumers defined there are never used.

    Usage::

        addon_name(CoffeeImporter)   # 'test_connector_coffee'
    """
    module = obj.__module__
    if module.startswith(ADDONS_PACKAGE):
        module = module[len(ADDONS_PACKAGE):]
    return module.split('.', 1)[0]
