"""Each patch that Odoo 11.0 needs on Python 3.11, as one named function.

A patch restores what Odoo saw on Python 3.6 and nothing more. Patches of the standard library
apply at once; patches of an Odoo module apply right after that module is first imported.

Usage::

    from odoo_py311.patches import apply_all, STDLIB_PATCHES
    apply_all()                       # what ``import odoo_py311`` does
    sorted(p.__name__ for p in STDLIB_PATCHES)
"""
import ast
import base64
import builtins
import collections
import collections.abc
import importlib.abc
import importlib.machinery
import inspect
import os
import sys
import threading
import types
from functools import partial
from xml.etree import ElementTree

DISABLE_ENV = 'ODOO_PY311_DISABLE'


# --- standard library ---------------------------------------------------------------------

def restore_collections_abcs():
    # Python 3.10 removed the ABC aliases from `collections`: models.py registers
    # BaseModel as collections.Set/Sequence at import, expression.py tests collections.Iterable.
    for name in collections.abc.__all__:
        if not hasattr(collections, name):
            setattr(collections, name, getattr(collections.abc, name))


ArgSpec = collections.namedtuple('ArgSpec', 'args varargs keywords defaults')


def _getargspec(func):
    spec = inspect.getfullargspec(func)
    return ArgSpec(spec.args, spec.varargs, spec.varkw, spec.defaults)


def _formatargspec(args, varargs=None, varkw=None, defaults=None):
    first_default = len(args) - len(defaults or ())
    specs = [
        arg if index < first_default else '%s=%r' % (arg, defaults[index - first_default])
        for index, arg in enumerate(args)
    ]
    if varargs is not None:
        specs.append('*' + varargs)
    if varkw is not None:
        specs.append('**' + varkw)
    return '(%s)' % ', '.join(specs)


def restore_inspect_getargspec():
    # Python 3.11 removed inspect.getargspec/formatargspec: api.py reads `.args` of every
    # decorated method and tools/cache.py builds every ormcache key function with them.
    if not hasattr(inspect, 'getargspec'):
        inspect.getargspec = _getargspec
    if not hasattr(inspect, 'formatargspec'):
        inspect.formatargspec = _formatargspec


def restore_base64_encodestring():
    # Python 3.9 removed base64.encodestring/decodestring: binary fields, attachments and
    # mail use them.
    if not hasattr(base64, 'encodestring'):
        base64.encodestring = base64.encodebytes
    if not hasattr(base64, 'decodestring'):
        base64.decodestring = base64.decodebytes


def restore_thread_isalive():
    # Python 3.9 removed Thread.isAlive: the threaded server's shutdown waits on it.
    if not hasattr(threading.Thread, 'isAlive'):
        threading.Thread.isAlive = threading.Thread.is_alive


def accept_float_rlimits():
    # Python 3.10 made resource.setrlimit refuse floats: every prefork worker sets its CPU
    # limit from getrusage() floats at start and dies with TypeError.
    try:
        import resource
    except ImportError:
        return
    setrlimit = getattr(resource.setrlimit, 'original', resource.setrlimit)

    def setrlimit_accepting_floats(which, limits):
        return setrlimit(which, tuple(int(limit) for limit in limits))

    setrlimit_accepting_floats.original = setrlimit
    resource.setrlimit = setrlimit_accepting_floats


STDLIB_PATCHES = (
    restore_collections_abcs,
    restore_inspect_getargspec,
    restore_base64_encodestring,
    restore_thread_isalive,
    accept_float_rlimits,
)


# --- Odoo modules, patched right after their import ------------------------------------------

def _opcodes(*names):
    from opcode import opmap
    return {opmap[name] for name in names if name in opmap}


def allow_py311_safe_eval_opcodes(safe_eval):
    # Python 3.8-3.11 compile the same expressions to new opcodes that safe_eval's whitelists
    # (written for <= 3.7) refuse: every domain, view modifier and QWeb template fails. Only
    # the 3.11 spellings of what Odoo 11 already allowed are added, to the same sets.
    # The sets are mutated in place: ir_qweb imported _SAFE_OPCODES by name.
    constants = _opcodes(
        'RESUME', 'CACHE', 'NOP',            # no-ops every 3.11 code object starts with
        'COPY', 'SWAP',                       # DUP_TOP / ROT_* (3.11)
        'LIST_EXTEND', 'LIST_TO_TUPLE', 'SET_UPDATE',  # literal lists and sets (3.9)
    )
    expressions = _opcodes(
        'BINARY_OP',                          # every BINARY_* and INPLACE_* (3.11)
        'IS_OP', 'CONTAINS_OP',               # split out of COMPARE_OP (3.9)
        'FORMAT_VALUE', 'BUILD_STRING',       # '%s' % x compiles to them (3.11)
    )
    statements = _opcodes(
        'PUSH_NULL', 'PRECALL', 'CALL', 'KW_NAMES',  # CALL_FUNCTION* / CALL_METHOD (3.11)
        'DICT_MERGE',                         # f(**kw) (3.9)
        'JUMP_BACKWARD', 'JUMP_BACKWARD_NO_INTERRUPT',  # JUMP_ABSOLUTE (3.11)
        'POP_JUMP_FORWARD_IF_FALSE', 'POP_JUMP_FORWARD_IF_TRUE',
        'POP_JUMP_BACKWARD_IF_FALSE', 'POP_JUMP_BACKWARD_IF_TRUE',
        'POP_JUMP_FORWARD_IF_NONE', 'POP_JUMP_FORWARD_IF_NOT_NONE',
        'POP_JUMP_BACKWARD_IF_NONE', 'POP_JUMP_BACKWARD_IF_NOT_NONE',
        'RETURN_GENERATOR',                   # generator expressions (3.11)
        'PUSH_EXC_INFO', 'CHECK_EXC_MATCH', 'RERAISE',  # SETUP_EXCEPT/END_FINALLY (3.9-3.11)
    )
    safe_eval._CONST_OPCODES.update(constants)
    safe_eval._EXPR_OPCODES.update(constants | expressions)
    safe_eval._SAFE_OPCODES.update(constants | expressions | statements)


class _Py36AstToPy311(ast.NodeTransformer):
    """Rewrites the AST that QWeb builds for Python 3.6 into one that 3.11 compiles."""

    def visit_arguments(self, node):
        if not hasattr(node, 'posonlyargs'):
            node.posonlyargs = []
        return self.generic_visit(node)

    def visit_Name(self, node):
        if node.id in ('None', 'True', 'False'):
            return ast.copy_location(ast.Constant(value=ast.literal_eval(node.id)), node)
        return node


def _compile_py36_ast(source, filename, mode, *args, **kwargs):
    if isinstance(source, ast.AST):
        source = _Py36AstToPy311().visit(source)
        for node in ast.walk(source):
            if 'lineno' in node._attributes:
                node.lineno = getattr(node, 'lineno', 1) or 1
                node.end_lineno = max(getattr(node, 'end_lineno', None) or 0, node.lineno)
                node.col_offset = node.end_col_offset = 0
    return builtins.compile(source, filename, mode, *args, **kwargs)


def compile_qweb_ast_on_py311(qweb):
    # Python 3.8 requires `posonlyargs` and refuses Name('None'/'True'/'False'); Python 3.11
    # validates line ranges: QWeb's generated code no longer compiles, /web/login gives 500.
    qweb.compile = _compile_py36_ast


class _ElementWithGetchildren(ElementTree.Element):
    def getchildren(self):
        return list(self)


def _module_with(module, **overrides):
    proxy = types.ModuleType(module.__name__, module.__doc__)
    proxy.__dict__.update(vars(module))
    proxy.__dict__.update(overrides)
    return proxy


def _parse_with_getchildren(element_tree, source, parser=None):
    if parser is None:
        builder = element_tree.TreeBuilder(element_factory=_ElementWithGetchildren)
        parser = element_tree.XMLParser(target=builder)
    return element_tree.parse(source, parser)


def restore_etree_getchildren(web_main):
    # Python 3.9 removed Element.getchildren() from xml.etree: the web client's concat_xml
    # fails and the web client loads no templates.
    element_tree = web_main.ElementTree
    web_main.ElementTree = _module_with(
        element_tree, parse=partial(_parse_with_getchildren, element_tree))


def load_yaml_with_full_loader(yaml_import):
    # PyYAML 6 made the Loader argument of yaml.load mandatory: stock's YAML demo data fails.
    # PyYAML 3.x, which Odoo 11 was written for, loaded with yaml.Loader by default.
    yaml = yaml_import.yaml
    yaml_import.yaml = _module_with(yaml, load=partial(yaml.load, Loader=yaml.Loader))


ODOO_MODULE_PATCHES = {
    'odoo.tools.safe_eval': allow_py311_safe_eval_opcodes,
    'odoo.addons.base.ir.ir_qweb.qweb': compile_qweb_ast_on_py311,
    'odoo.addons.web.controllers.main': restore_etree_getchildren,
    'odoo.tools.yaml_import': load_yaml_with_full_loader,
}


class _PatchAfterImport(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Import hook: runs a module's patch right after the module's own code ran."""

    def __init__(self, patches):
        self.patches = patches

    def find_spec(self, fullname, path, target=None):
        if fullname not in self.patches:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None:
            return None
        spec.loader_state = spec.loader
        spec.loader = self
        return spec

    def create_module(self, spec):
        return spec.loader_state.create_module(spec)

    def exec_module(self, module):
        module.__spec__.loader_state.exec_module(module)
        self.patches[module.__name__](module)


def disabled_patch_names():
    return {name.strip() for name in os.environ.get(DISABLE_ENV, '').split(',') if name.strip()}


def apply_all():
    """Apply every patch not named in $ODOO_PY311_DISABLE; safe to call more than once."""
    disabled = disabled_patch_names()
    for patch in STDLIB_PATCHES:
        if patch.__name__ not in disabled:
            patch()
    odoo_patches = {
        module: patch for module, patch in ODOO_MODULE_PATCHES.items()
        if patch.__name__ not in disabled
    }
    if any(isinstance(finder, _PatchAfterImport) for finder in sys.meta_path):
        return
    for module_name, patch in odoo_patches.items():
        if module_name in sys.modules:
            patch(sys.modules[module_name])
    sys.meta_path.insert(0, _PatchAfterImport(odoo_patches))
