{
    'name': 'Benchmark jobs for the connector job queue',
    'version': '11.0.1.0.0',
    'summary': 'No-op and start-time job functions that bench/ delays (not a product addon)',
    'category': 'Hidden',
    'license': 'AGPL-3',
    'depends': ['connector'],
    'data': ['security/ir.model.access.csv'],
    'installable': True,
}
