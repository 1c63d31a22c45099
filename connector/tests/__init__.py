from . import test_security
from . import test_job
from . import test_job_payload
from . import test_queue_doctests
from . import test_queue_job_model
from . import test_queue_worker
