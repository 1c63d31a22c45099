"""What the benchmark ran on: cores, memory, PostgreSQL and its settings, and how busy it was.

The machine is shared: the load average and the busiest other processes, sampled at the start
and at the end of a run, say how much of the two cores the benchmark really had.

Usage::

    from bench.machine import describe_machine, describe_load
    describe_machine()    # {'cores': 2, 'cpu': '...', 'postgresql': '15.x', ...}
    describe_load()       # {'load_average': [1.2, 0.9, 0.7], 'busiest_processes': [...]}
"""
import os
import platform
import time

import psutil

from .databases import query

PG_SETTINGS = ('shared_buffers', 'synchronous_commit', 'fsync', 'wal_level', 'max_connections')
CPU_SAMPLE = 1.0          # seconds over which the busiest processes are sampled
BUSIEST_COUNT = 5         # processes listed


def _cpu_model():
    try:
        with open('/proc/cpuinfo') as cpuinfo:
            for line in cpuinfo:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or 'unknown'


def describe_machine():
    import odoo.release
    settings = dict(query('postgres', 'SELECT name, current_setting(name) FROM pg_settings '
                                      'WHERE name = ANY(%s)', (list(PG_SETTINGS),)))
    return {
        'cores': os.cpu_count(),
        'cpu': _cpu_model(),
        'memory_gib': round(psutil.virtual_memory().total / 2 ** 30, 1),
        'os': '%s %s' % (platform.system(), platform.release()),
        'python': platform.python_version(),
        'odoo': odoo.release.version,
        'postgresql': query('postgres', 'SHOW server_version')[0][0],
        'postgresql_settings': settings,
    }


def describe_load():
    """Load average and the processes (other than this one) busiest over CPU_SAMPLE."""
    processes = []
    for process in psutil.process_iter(['pid', 'name', 'cmdline']):
        try:
            process.cpu_percent(None)
            processes.append(process)
        except psutil.Error:
            continue
    time.sleep(CPU_SAMPLE)
    busiest = []
    for process in processes:
        try:
            percent = process.cpu_percent(None)
        except psutil.Error:
            continue
        if process.pid != os.getpid() and percent >= 5.0:
            command = ' '.join(process.info['cmdline'] or [process.info['name'] or '?'])
            busiest.append({'pid': process.pid, 'cpu_percent': round(percent, 1),
                            'command': command[:100]})
    busiest.sort(key=lambda entry: -entry['cpu_percent'])
    return {'load_average': [round(value, 2) for value in os.getloadavg()],
            'busiest_processes': busiest[:BUSIEST_COUNT]}
