from . import bench_job_start
