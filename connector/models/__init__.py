from . import queue_worker
from . import queue_job
