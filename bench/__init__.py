"""The job queue benchmark: ours (connector) against OCA queue_job 11.0 and raw PostgreSQL.

Run it with ``make bench``; see ``bench/README.md`` for what each number means.
"""
