from . import queue_worker
from . import ir_cron
from . import queue_job
from . import base
from . import connector_backend
from . import external_binding
from . import connector_checkpoint
