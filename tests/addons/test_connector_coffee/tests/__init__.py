from . import test_binding
from . import test_checkpoint
from . import test_export
from . import test_import
from . import test_guide
