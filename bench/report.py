"""The benchmark's report: ratios against the targets, a Markdown page and the raw JSON.

``build_comparison`` turns the measurements into rows (ours, theirs, ours/theirs, target);
``render_markdown`` makes the page that ``make bench`` prints and writes beside the JSON.

Usage::

    from bench.report import build_comparison, render_markdown, write_results
    results['comparison'] = build_comparison(results)
    print(render_markdown(results))
    write_results(results, Path('bench/results'), 'latest')   # latest.json + latest.md
"""
import json
from pathlib import Path

OURS = 'connector'
THEIRS = 'oca'

# (key, label, unit, ours' value, theirs' value, how to read ours/theirs, target ratio);
# a value is (section, setup or None, field). queue_job's "2 processes" is its prefork
# server with 2 HTTP workers: its single runner cannot share one database's work between
# two servers.
MEASURES = (
    ('throughput_1', 'no-op jobs through the life cycle, 1 process', 'jobs/s',
     ('throughput', 'threaded_1', 'jobs_per_second'),
     ('throughput', 'threaded_1', 'jobs_per_second'), '>=', 5.0),
    ('throughput_2', 'no-op jobs through the life cycle, 2 processes', 'jobs/s',
     ('throughput', 'threaded_2', 'jobs_per_second'),
     ('throughput', 'prefork_2', 'jobs_per_second'), '>=', 5.0),
    ('throughput_prefork', 'no-op jobs through the life cycle, prefork --workers=2', 'jobs/s',
     ('throughput', 'prefork_2', 'jobs_per_second'),
     ('throughput', 'prefork_2', 'jobs_per_second'), '>=', 5.0),
    ('enqueue', 'delay 10,000 jobs in one transaction (commit included)', 'jobs/s',
     ('enqueue', None, 'jobs_per_second'), ('enqueue', None, 'jobs_per_second'), '>=', 10.0),
    ('latency_p50', 'commit of a delay -> job start, p50', 'ms',
     ('latency', None, 'p50_ms'), ('latency', None, 'p50_ms'), '<=', 0.5),
    ('latency_p99', 'commit of a delay -> job start, p99', 'ms',
     ('latency', None, 'p99_ms'), ('latency', None, 'p99_ms'), '<=', 0.5),
)

HOW_MEASURED = """\
- **Life-cycle throughput**: with the servers up and idle, a client (Odoo loaded in the
  benchmark's process, no server in it) delays N no-op jobs in one transaction and commits;
  the clock runs from right after the commit until a poll (every 20 ms) counts all N done:
  wake-up, claim, start, run, done. jobs/s = N / that time. The cost of delaying is left
  out here and measured by the enqueue row. A warm-up burst runs first on each server set.
- **Enqueue**: with no server running on the database, 10,000 `noop.delay(session)` (ours)
  or `env['bench.job.start'].with_delay().noop()` (queue_job) in one transaction, commit
  included. queue_job's per-row NOTIFY trigger exists then (its runner created it earlier).
- **Latency**: on the idle single-process server, one probe job at a time: delay, commit,
  note `time.time()` right after the commit; the job function writes `time.time()` as its
  first statement into `bench_job_start`; latency = the difference. The client polls for
  the row every 2 ms, then waits a random 10-50 ms (seeded) before the next sample.
- **PostgreSQL ceiling**: pgbench (C client) runs one job life cycle per script, three
  autocommit statements: INSERT a pending job; claim the best pending one with `UPDATE ...
  WHERE id = (SELECT ... ORDER BY priority, id LIMIT 1 FOR UPDATE SKIP LOCKED)`; UPDATE it
  done. Table shaped like a job table (uuid unique, state, partial claim index), no
  trigger, fresh database; jobs/s = completed life cycles per second."""


SETUP_NOTES = (
    "queue_job's \"2 processes\" is its prefork server with 2 HTTP workers (prefork_2): its "
    "single job runner per database only calls its own server, so two servers would not "
    "share a database's jobs. Ours runs 2 threaded servers on the same database "
    "(threaded_2), and also a prefork server (prefork_2) compared with the same queue_job "
    "run.",
    "Ours in prefork: only cron workers run jobs, and a cron worker starts its Worker at its "
    "first run of the \"Enqueue Jobs\" cron (Odoo 11's cron workers first sleep 60-70 s); "
    "'process(es) running jobs' in the details says how many had one when measured.",
    "Concurrency: ours 4 job threads per process (connector_job_threads = 4); queue_job "
    "channels root:4 (at most 4 jobs at once, across all its HTTP workers).",
)


def _ratio(ours, theirs):
    if not ours or not theirs:
        return None
    return round(ours / theirs, 2)


def _value(queue, where):
    section, setup, field = where
    values = queue.get(section, {})
    if setup is not None:
        values = values.get(setup, {})
    return values.get(field)


def build_comparison(results):
    """Rows of the comparison table; a row's `met` is None when a side was not measured."""
    queues = results.get('queues', {})
    rows = []
    for key, label, unit, ours_where, theirs_where, sense, target in MEASURES:
        ours = _value(queues.get(OURS, {}), ours_where)
        theirs = _value(queues.get(THEIRS, {}), theirs_where)
        ratio = _ratio(ours, theirs)
        met = None if ratio is None else (ratio >= target if sense == '>=' else ratio <= target)
        rows.append({'key': key, 'measure': label, 'unit': unit, 'ours': ours,
                     'theirs': theirs, 'ratio': ratio, 'target': '%s %sx' % (sense, target),
                     'met': met})
    return rows


def build_ceiling_fractions(results):
    """Each throughput (every queue, every setup) as a fraction of the best PostgreSQL
    ceiling."""
    ceiling = results.get('postgres_ceiling') or {}
    if not ceiling:
        return {}
    best = max(entry['jobs_per_second'] for entry in ceiling.values())
    fractions = {'ceiling_best_jobs_per_second': best}
    for label, queue in results.get('queues', {}).items():
        for setup, entry in queue.get('throughput', {}).items():
            fractions['%s %s' % (label, setup)] = round(entry['jobs_per_second'] / best, 3)
    return fractions


def _cell(value):
    if value is None:
        return 'n/a'
    if isinstance(value, float):
        return '{:,.2f}'.format(value) if value < 100 else '{:,.0f}'.format(value)
    return '{:,}'.format(value)


def render_markdown(results):
    queues = results.get('queues', {})
    ours_name = queues.get(OURS, {}).get('description', {}).get('name', 'ours')
    theirs_name = queues.get(THEIRS, {}).get('description', {}).get('name', 'queue_job')
    machine = results.get('machine', {})
    lines = ['# Job queue benchmark', '',
             'Run %s, %s s, command `%s`.' % (results.get('started_at'),
                                              results.get('duration_seconds'),
                                              results.get('command')),
             '']
    lines += ['| measure | unit | %s | %s | ours/theirs | target | met |' % (
        ours_name, theirs_name), '|---|---|---:|---:|---:|---|---|']
    for row in results.get('comparison', []):
        met = {True: 'yes', False: 'NO', None: 'n/a'}[row['met']]
        ratio = 'n/a' if row['ratio'] is None else '%sx' % row['ratio']
        lines.append('| %s | %s | %s | %s | %s | %s | %s |' % (
            row['measure'], row['unit'], _cell(row['ours']), _cell(row['theirs']), ratio,
            row['target'], met))
    ceiling = results.get('postgres_ceiling') or {}
    if ceiling:
        lines += ['', '## Raw PostgreSQL ceiling (claim-based life cycle in plain SQL)', '',
                  '| client connections | jobs/s | commits/s |', '|---:|---:|---:|']
        for entry in ceiling.values():
            lines.append('| %d | %s | %s |' % (entry['clients'], _cell(entry['jobs_per_second']),
                                                _cell(entry['commits_per_second'])))
        fractions = results.get('ceiling_fractions', {})
        lines += ['', 'Throughput as a fraction of the best ceiling (%s jobs/s):' %
                  _cell(fractions.get('ceiling_best_jobs_per_second')), '']
        for key, value in sorted(fractions.items()):
            if key != 'ceiling_best_jobs_per_second':
                lines.append('- %s: %.1f%%' % (key, 100 * value))
    lines += ['', '## Details', '']
    for label, queue in queues.items():
        description = queue.get('description', {})
        lines.append('- **%s**: %s; processes: %s; addons: %s.' % (
            description.get('name', label), description.get('concurrency'),
            description.get('processes'), ', '.join(description.get('addons', []))))
        latency = queue.get('latency')
        if latency:
            lines.append('  latency over %(samples)d samples: p50 %(p50_ms)s ms, p99 %(p99_ms)s '
                         'ms, mean %(mean_ms)s ms, min %(min_ms)s ms, max %(max_ms)s ms.'
                         % latency)
        throughput = queue.get('throughput', {})
        for setup in sorted(throughput, key=lambda name: (name.startswith('prefork'), name)):
            entry = throughput[setup]
            lines.append('  %s: %d jobs in %s s (%s jobs/s), %s process(es) running jobs.' % (
                setup, entry['jobs'], entry['seconds'], _cell(entry['jobs_per_second']),
                entry.get('job_processes', '?')))
        enqueue = queue.get('enqueue')
        if enqueue:
            lines.append('  enqueue: %d jobs in %s s.' % (enqueue['jobs'], enqueue['seconds']))
    lines += ['', '## How each number is measured', '', HOW_MEASURED, '']
    settings = results.get('settings', {})
    if settings:
        lines += ['Settings: ' + ', '.join('%s=%s' % item for item in sorted(settings.items())),
                  '']
    lines += ['## Machine', '',
              '- %s cores (%s), %s GiB, %s; Python %s, Odoo %s.' % (
                  machine.get('cores'), machine.get('cpu'), machine.get('memory_gib'),
                  machine.get('os'), machine.get('python'), machine.get('odoo')),
              '- PostgreSQL %s (%s), on the same machine.' % (
                  machine.get('postgresql'), ', '.join(
                      '%s=%s' % item for item in sorted(
                          machine.get('postgresql_settings', {}).items())))]
    for moment in ('load_before', 'load_after'):
        load = results.get(moment)
        if load:
            busy = '; '.join('%s%% %s' % (entry['cpu_percent'], entry['command'])
                             for entry in load['busiest_processes']) or 'none'
            lines.append('- %s: load average %s; other busy processes: %s.' % (
                moment.replace('_', ' '), load['load_average'], busy))
    lines.append('- The machine is shared: other processes may have run during the benchmark.')
    errors = results.get('server_errors') or []
    lines += ['', '## Server log errors', '']
    lines += ['- %s: %s' % (name, line[:200]) for name, line in errors] or ['- none']
    notes = list(SETUP_NOTES) + list(results.get('notes') or [])
    lines += ['', '## Notes', ''] + ['- %s' % note for note in notes]
    return '\n'.join(lines) + '\n'


def write_results(results, directory, stem):
    """Write <stem>.json and <stem>.md into `directory`; return their paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    json_path = directory / ('%s.json' % stem)
    markdown_path = directory / ('%s.md' % stem)
    json_path.write_text(json.dumps(results, indent=2, sort_keys=True) + '\n')
    markdown_path.write_text(render_markdown(results))
    return json_path, markdown_path
