from . import backend
from . import models
from . import units
from . import jobs
from . import consumer
