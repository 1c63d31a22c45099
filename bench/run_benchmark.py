"""Run the whole job queue benchmark and write ``bench/results/latest.{json,md}``.

In one run, on the same machine: the raw PostgreSQL ceiling (pgbench), then each queue on a
fresh copy of its template database: life-cycle throughput in each server setup of the
queue (1 and 2 processes, prefork), start latency on the idle single-process server, and
the enqueue rate with no server.
Every server started is stopped, and every run database dropped, even on Ctrl-C or SIGTERM;
the templates (``bench_template_*``) are kept for the next run.

Usage::

    make bench                                  # the full run, results committed as latest
    .venv/bin/python -m bench.run_benchmark --quick          # small counts -> results/quick.*
    .venv/bin/python -m bench.run_benchmark --quick --only connector
"""
import argparse
import datetime
import signal
import sys
import time
from pathlib import Path

from . import queue_connector, queue_oca
from .databases import copy_database, drop_database
from .machine import describe_load, describe_machine
from .measure import OdooClient, drain_throughput, enqueue_rate, start_latency
from .oca_addons import ensure_oca_addons
from .odoo_config import write_config
from .postgres_ceiling import measure_ceiling
from .report import build_ceiling_fractions, build_comparison, render_markdown, write_results
from .servers import SERVER_ERRORS, clear_logs

RESULTS_DIR = Path(__file__).resolve().parent / 'results'
JOB_THREADS = 4            # ours: connector_job_threads; queue_job: channels root:4
THROUGHPUT_JOBS = 2000     # jobs per throughput burst, the same for both queues
ENQUEUE_JOBS = 10000       # jobs delayed in the one enqueue transaction
LATENCY_SAMPLES = 200      # sequential probe jobs
WARMUP_JOBS = 50           # jobs run on each new server set before measuring
LATENCY_SETUP = 'threaded_1'   # the idle server setup the latency is measured on
QUICK = {'throughput_jobs': 200, 'enqueue_jobs': 300, 'latency_samples': 20,
         'warmup_jobs': 10}
QUEUES = {queue_connector.LABEL: queue_connector, queue_oca.LABEL: queue_oca}


def benchmark_queue(client, queue, config_path, counts, setups):
    """All the measurements of one queue, on its own fresh database."""
    database = copy_database(queue.template(), 'bench_%s_run' % queue.LABEL)
    results = {'description': queue.describe(JOB_THREADS), 'throughput': {},
               'database': database}
    try:
        registry = client.registry(database)
        for setup in queue.SETUPS:
            if setup not in setups:
                continue
            with queue.servers(database, setup, config_path) as running:
                drain_throughput(client, registry, queue.noop_delayer, counts['warmup_jobs'])
                results['throughput'][setup] = dict(drain_throughput(
                    client, registry, queue.noop_delayer, counts['throughput_jobs']),
                    job_processes=running['job_processes'])
                _progress('%s %s: %s' % (queue.LABEL, setup, results['throughput'][setup]))
                if setup == LATENCY_SETUP:
                    results['latency'] = start_latency(
                        client, registry, queue.probe_delayer, counts['latency_samples'])
                    _progress('%s latency: %s' % (queue.LABEL, results['latency']))
        results['enqueue'] = enqueue_rate(client, registry, queue.noop_delayer,
                                          counts['enqueue_jobs'])
        _progress('%s enqueue: %s' % (queue.LABEL, results['enqueue']))
    finally:
        client.odoo.modules.registry.Registry.delete(database)
        drop_database(database)
    return results


def _progress(message):
    print('[bench %s] %s' % (time.strftime('%H:%M:%S'), message), flush=True)


def _stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt('SIGTERM')


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--quick', action='store_true',
                        help='small counts, results written to results/quick.*')
    parser.add_argument('--only', choices=['ceiling'] + sorted(QUEUES), action='append',
                        help='measure only these (repeatable); default: everything')
    parser.add_argument('--no-prefork', action='store_true',
                        help="skip our prefork setup (its cron workers start after ~70 s)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    # Ctrl-C and SIGTERM unwind through every `with` block: servers stopped, databases
    # dropped (SIGINT too when started in the background, where the shell ignores it).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    counts = dict(QUICK) if args.quick else {
        'throughput_jobs': THROUGHPUT_JOBS, 'enqueue_jobs': ENQUEUE_JOBS,
        'latency_samples': LATENCY_SAMPLES, 'warmup_jobs': WARMUP_JOBS}
    wanted = args.only or ['ceiling'] + list(QUEUES)
    started = time.time()
    config_path = write_config(JOB_THREADS, ensure_oca_addons())
    clear_logs()
    results = {
        'started_at': datetime.datetime.now().astimezone().isoformat(timespec='seconds'),
        'command': 'make bench' if not (args.quick or args.only or args.no_prefork) else ' '.join(
            ['python -m bench.run_benchmark'] + (argv if argv is not None else sys.argv[1:])),
        'settings': dict(counts, job_threads=JOB_THREADS),
        'load_before': describe_load(),
        'queues': {},
    }
    _progress('load before: %s' % results['load_before']['load_average'])
    client = OdooClient(config_path)
    results['machine'] = describe_machine()
    if 'ceiling' in wanted:
        results['postgres_ceiling'] = measure_ceiling()
        _progress('PostgreSQL ceiling: %s' % {
            clients: entry['jobs_per_second']
            for clients, entry in results['postgres_ceiling'].items()})
    for label, queue in QUEUES.items():
        if label in wanted:
            setups = [setup for setup in queue.SETUPS
                      if not (args.no_prefork and label == queue_connector.LABEL
                              and setup.startswith('prefork'))]
            results['queues'][label] = benchmark_queue(client, queue, config_path, counts,
                                                       setups)
    results['load_after'] = describe_load()
    results['duration_seconds'] = round(time.time() - started, 1)
    results['server_errors'] = list(SERVER_ERRORS)
    results['comparison'] = build_comparison(results)
    results['ceiling_fractions'] = build_ceiling_fractions(results)
    print(render_markdown(results))
    paths = write_results(results, RESULTS_DIR, 'quick' if args.quick else 'latest')
    _progress('written: %s' % ', '.join(str(path) for path in paths))
    return 0


if __name__ == '__main__':
    sys.exit(main())
