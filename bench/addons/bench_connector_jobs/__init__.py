from . import models
from . import jobs
