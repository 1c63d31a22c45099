"""The in-memory JobsQueue of one worker: the jobs it claimed, best first.

Dequeue waits with a timeout, never forever, so a job thread always gets back to check
whether its worker is still alive.
"""
import heapq
import itertools
import threading


class JobsQueue(object):
    """A thread-safe priority queue of claimed jobs, ordered by (priority, due date, id).

    Usage::

        queue = JobsQueue()
        queue.put(claimed_job, (claimed_job.priority, claimed_job.due, claimed_job.id))
        job = queue.get(timeout=1.0)      # None after 1 s with nothing queued
        queue.drain()                     # every job still queued, the queue left empty
    """

    def __init__(self):
        self._heap = []
        self._counter = itertools.count()
        self._not_empty = threading.Condition(threading.Lock())

    def __len__(self):
        with self._not_empty:
            return len(self._heap)

    def put(self, item, sort_key):
        with self._not_empty:
            heapq.heappush(self._heap, (sort_key, next(self._counter), item))
            self._not_empty.notify()

    def get(self, timeout):
        """The best item, waiting at most ``timeout`` seconds; None if there is none."""
        with self._not_empty:
            if not self._heap:
                self._not_empty.wait(timeout)
            if not self._heap:
                return None
            return heapq.heappop(self._heap)[2]

    def drain(self):
        """Empty the queue and return its items, best first."""
        with self._not_empty:
            items = [entry[2] for entry in sorted(self._heap)]
            self._heap = []
            return items

    def wake_all(self):
        """Wake every waiting ``get`` (they return None if still empty)."""
        with self._not_empty:
            self._not_empty.notify_all()
