"""The documentation shows this addon's code: every file and object it includes exists."""
import ast
import re
import unittest
from pathlib import Path

DOCS = Path(__file__).resolve().parents[4] / 'docs'
INCLUDE = re.compile(r'^\.\. literalinclude:: (?P<path>\S+)\n(?P<options>(?:   :.*\n)*)',
                     re.MULTILINE)
PYOBJECT = re.compile(r':pyobject: (?P<name>\S+)')


def defined_names(source):
    """Dotted names of the classes and functions of a module (``Class.method`` too)."""
    names = set()

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.ClassDef, ast.FunctionDef)):
                names.add(prefix + child.name)
                visit(child, prefix + child.name + '.')
    visit(ast.parse(source), '')
    return names


class TestGuide(unittest.TestCase):

    def includes(self):
        for page in sorted(DOCS.rglob('*.rst')):
            for match in INCLUDE.finditer(page.read_text()):
                pyobject = PYOBJECT.search(match.group('options'))
                yield page, (page.parent / match.group('path')).resolve(), \
                    pyobject and pyobject.group('name')

    def test_the_guide_includes_code_of_this_addon(self):
        guide = DOCS / 'guides' / 'first_connector.rst'
        included = {path for page, path, _name in self.includes() if page == guide}

        addon = Path(__file__).resolve().parents[1]
        self.assertIn(addon / 'units' / 'mapper.py', included)
        self.assertTrue(all(addon in path.parents for path in included))

    def test_every_included_file_and_object_exists(self):
        checked = 0
        for page, path, name in self.includes():
            self.assertTrue(path.is_file(), '%s includes missing %s' % (page.name, path))
            if name:
                self.assertIn(name, defined_names(path.read_text()),
                              '%s includes %s, missing in %s' % (page.name, name, path))
            checked += 1
        self.assertGreater(checked, 10)
