"""The job queue: jobs, their storage, and the workers that run them (plain Python)."""
