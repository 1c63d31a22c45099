"""The connector units of the coffee machine, one kind per module."""
from . import adapter
from . import binder
from . import mapper
from . import importer
from . import exporter
from . import deleter
