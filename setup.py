"""Connector: Odoo 11 addons for bi-directional connectors, and the runtime they run on.

``pip install -e .`` installs the Python 3.11 compatibility layer (``odoo_py311``) and the
``odoo-bin`` launcher. Odoo finds the addons (connector, connector_ecommerce) through the
addons path that the Makefile writes into ``.run/odoo.conf``: the repository root.
"""
from setuptools import setup

setup(
    name='connector',
    version='11.0.1.0.0',
    description='Odoo 11 connector framework with a PostgreSQL job queue',
    license='AGPL-3',
    python_requires='>=3.11',
    packages=['odoo_py311'],
    entry_points={'console_scripts': ['odoo-bin = odoo_py311.launcher:main']},
)
