{
    'name': 'Test Connector: Coffee Machine',
    'version': '11.0.1.0.0',
    'summary': 'A small connector to an in-process coffee machine, used by the tests and the '
               '"your first connector" guide',
    'category': 'Hidden',
    'author': 'Connector developers',
    'license': 'AGPL-3',
    'depends': ['connector', 'sale'],
    'data': [
        'security/ir.model.access.csv',
        'views/coffee_backend_views.xml',
    ],
    'installable': True,
}
