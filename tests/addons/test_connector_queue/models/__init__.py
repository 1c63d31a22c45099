from . import queue_test_record
