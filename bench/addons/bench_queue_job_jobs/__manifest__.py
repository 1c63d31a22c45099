{
    'name': 'Benchmark jobs for OCA queue_job',
    'version': '11.0.1.0.0',
    'summary': 'No-op and start-time job methods that bench/ delays with with_delay()',
    'category': 'Hidden',
    'license': 'AGPL-3',
    'depends': ['queue_job'],
    'data': ['security/ir.model.access.csv'],
    'installable': True,
}
