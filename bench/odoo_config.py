"""The Odoo configuration file of the benchmark's servers and of its in-process clients.

Written from ``.run/odoo.conf`` (database server, limits) with the benchmark's addons path
and the concurrency both queues get: ``connector_job_threads`` for ours, ``[queue_job]
channels`` for OCA queue_job (read only by a server started with ``--load=web,queue_job``).

Usage::

    from bench.odoo_config import write_config
    config_path = write_config(job_threads=4, oca_addons_dir=ensure_oca_addons())
"""
import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE_CONFIG = ROOT / '.run' / 'odoo.conf'           # written by `make venv`
BENCH_DIR = ROOT / '.run' / 'bench'
CONFIG_PATH = BENCH_DIR / 'odoo-bench.conf'
DATA_DIR = BENCH_DIR / 'data'                        # filestores of the bench_* databases
BENCH_ADDONS = ROOT / 'bench' / 'addons'
COPIED_OPTIONS = ('db_host', 'db_port', 'db_user', 'db_password', 'admin_passwd',
                  'http_interface', 'list_db', 'limit_time_real', 'limit_time_cpu')


def odoo_addons_dir():
    """Odoo's own addons directory: the first entry of the runtime's addons path."""
    base = configparser.ConfigParser()
    base.read(BASE_CONFIG)
    return base['options']['addons_path'].split(',')[0]


def write_config(job_threads, oca_addons_dir, path=CONFIG_PATH):
    """Write the benchmark's configuration file; return its path.

    One addons path serves both queues: each database installs only its own addons.
    """
    base = configparser.ConfigParser()
    if not base.read(BASE_CONFIG):
        raise FileNotFoundError('%s is missing: run `make venv` first' % BASE_CONFIG)
    options = {name: base['options'][name] for name in COPIED_OPTIONS
               if name in base['options']}
    options.update({
        'addons_path': ','.join([odoo_addons_dir(), str(ROOT), str(BENCH_ADDONS),
                                 str(oca_addons_dir)]),
        'data_dir': str(DATA_DIR),
        'connector_job_threads': str(job_threads),
    })
    config = configparser.ConfigParser()
    config['options'] = options
    config['queue_job'] = {'channels': 'root:%d' % job_threads}
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, 'w') as handle:
        config.write(handle)
    return path
