from . import test_queue_job_model
from . import test_queue_worker
