{
    'name': 'Connector Job Queue Test Jobs',
    'version': '11.0.1.0.0',
    'summary': 'Job functions and a side table that the job queue tests run',
    'category': 'Hidden',
    'license': 'AGPL-3',
    'depends': ['connector'],
    'data': ['security/ir.model.access.csv'],
    'installable': True,
}
