"""Each patch of ``odoo_py311`` is needed: the Odoo code it covers fails on Python 3.11 without it.

Each case runs a snippet of real Odoo code in a fresh ``.venv/bin/python`` (where the ``.pth``
applies the patches before anything else) twice: as is, where it must print OK, and with
``ODOO_PY311_DISABLE=<patch>``, where it must fail with the error Python 3.11 gives Odoo 11.
"""
import re
import subprocess

import pytest

from odoo_py311.patches import ODOO_MODULE_PATCHES, STDLIB_PATCHES
from odoo_server import (
    PYTHON, ROOT, TEST_CONFIG, copy_database, drop_database, server_environment,
    unique_database_name,
)

SNIPPET_TIMEOUT = 120   # seconds; a snippet that opens a registry loads a whole database

# patch name -> (Odoo code that needs it, what Python 3.11 says when it is missing).
# A snippet gets the configuration file as sys.argv[1] and a database as sys.argv[2].
CASES = {
    'restore_collections_abcs': ("""
import collections.abc
from odoo.models import BaseModel   # models.py registers BaseModel as collections.Set
assert issubclass(BaseModel, collections.abc.Set)
""", r"cannot import name '\w+' from 'collections'|module 'collections' has no attribute"),

    'restore_inspect_getargspec': ("""
from odoo.tools import ormcache

class Model:
    @ormcache('key')     # builds its key function from getargspec/formatargspec
    def lookup(self, key):
        return key
""", r"cannot import name '(getargspec|formatargspec)' from 'inspect'"
        r"|module 'inspect' has no attribute"),

    'restore_base64_encodestring': ("""
from odoo.addons.base.ir.ir_ui_menu import IrUiMenu
# what the web_icon of the Connectors menu goes through at install
icon = IrUiMenu.read_image(None, 'base,static/description/icon.png')
assert icon.startswith(b'iVBOR'), icon[:10]
""", r"module 'base64' has no attribute 'encodestring'"),

    'restore_thread_isalive': ("""
import threading, time
from odoo.service.server import ThreadedServer
request_thread = threading.Thread(target=time.sleep, args=(0.2,))
request_thread.start()
ThreadedServer(app=None).stop()     # joins non-daemon threads while thread.isAlive()
assert not request_thread.is_alive()
""", r"'Thread' object has no attribute 'isAlive'"),

    'accept_float_rlimits': ("""
import odoo
from odoo.service.server import PreforkServer, Worker
odoo.tools.config.parse_config([])
worker = Worker(PreforkServer(app=None))
worker.pid = 0
worker.process_limit()   # every prefork worker sets RLIMIT_CPU from getrusage() floats
""", r"'float' object cannot be interpreted as an integer"),

    'allow_py311_safe_eval_opcodes': ("""
from odoo.tools.safe_eval import safe_eval
assert safe_eval('[1, 2, 3]') == [1, 2, 3]
domain = "[('state', 'in', ['draft', 'done']), ('id', 'not in', ids)]"
expected = [('state', 'in', ['draft', 'done']), ('id', 'not in', [1])]
assert safe_eval(domain, {'ids': [1]}) == expected
assert safe_eval("'%s-%s' % (a, b)", {'a': 1, 'b': 2}) == '1-2'
""", r"forbidden opcode\(s\) in"),

    'compile_qweb_ast_on_py311': ("""
from lxml import etree
from odoo.addons.base.ir.ir_qweb.qweb import QWeb
template = etree.fromstring('<t t-name="probe"><p t-if="show" t-esc="value"/></t>')
html = QWeb().render(template, {'show': True, 'value': 'ok'})
assert html == b'<p>ok</p>', html
""", r'required field "posonlyargs" missing from arguments'),

    'restore_etree_getchildren': ("""
import os
import odoo.addons.web
from odoo.addons.web.controllers.main import concat_xml
base_xml = os.path.join(os.path.dirname(odoo.addons.web.__file__), 'static/src/xml/base.xml')
templates, checksum = concat_xml([base_xml])   # what /web/webclient/qweb serves
assert b't-name="Loading"' in templates
""", r"'xml.etree.ElementTree.Element' object has no attribute 'getchildren'"),

    'load_yaml_with_full_loader': ("""
import io, sys
import odoo
from odoo.tools.yaml_import import yaml_import
odoo.tools.config.parse_config(['-c', sys.argv[1]])
document = io.StringIO('- !record {model: res.partner, id: rt_yaml_partner}:\\n'
                       '    name: Loaded from YAML\\n')
document.name = 'probe.yml'
with odoo.api.Environment.manage(), odoo.registry(sys.argv[2]).cursor() as cr:
    yaml_import(cr, 'base', document, 'demo')
    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
    assert env.ref('base.rt_yaml_partner').name == 'Loaded from YAML'
    cr.rollback()
""", r"load\(\) missing 1 required positional argument: 'Loader'"),
}


def run_snippet(code, database, disabled=''):
    return subprocess.run(
        [str(PYTHON), '-c', code + "\nprint('OK')\n", str(TEST_CONFIG), database],
        env=server_environment(ODOO_PY311_DISABLE=disabled), cwd=str(ROOT),
        capture_output=True, text=True, timeout=SNIPPET_TIMEOUT)


@pytest.fixture(scope='module')
def snippet_database(dependencies_template):
    database = copy_database(dependencies_template, unique_database_name('patches'))
    yield database
    drop_database(database)


def test_every_patch_has_a_case():
    patch_names = {patch.__name__ for patch in STDLIB_PATCHES}
    patch_names |= {patch.__name__ for patch in ODOO_MODULE_PATCHES.values()}
    assert patch_names == set(CASES)


@pytest.mark.parametrize('patch_name', sorted(CASES))
def test_odoo_code_runs_with_the_patch(patch_name, snippet_database):
    code, _error = CASES[patch_name]
    result = run_snippet(code, snippet_database)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == 'OK'


@pytest.mark.parametrize('patch_name', sorted(CASES))
def test_odoo_code_fails_without_the_patch(patch_name, snippet_database):
    code, error = CASES[patch_name]
    result = run_snippet(code, snippet_database, disabled=patch_name)
    assert result.returncode != 0, 'ran fine without %s:\n%s' % (patch_name, result.stdout)
    assert 'OK' not in result.stdout.split()
    assert re.search(error, result.stderr), result.stderr[-3000:]


def test_patched_safe_eval_still_refuses_what_odoo_refused(snippet_database):
    # The 3.11 opcodes added to the whitelists grant nothing Odoo 11 refused on 3.6.
    result = run_snippet("""
from odoo.tools.safe_eval import safe_eval
refused = []
for expression, mode in [('import os', 'exec'), ('().__class__', 'eval'),
                         ('__import__("os")', 'eval'), ('open("/etc/passwd")', 'eval')]:
    try:
        safe_eval(expression, mode=mode)
    except Exception as error:
        refused.append(expression)
assert len(refused) == 4, refused
""", snippet_database)
    assert result.returncode == 0, result.stderr[-3000:]
