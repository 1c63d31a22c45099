{
    'name': 'Connector',
    'version': '11.0.1.0.0',
    'summary': 'Framework for bi-directional connectors, with a PostgreSQL job queue',
    'category': 'Connector',
    'author': 'Connector developers',
    'license': 'AGPL-3',
    'depends': ['mail'],
    'data': [
        'security/connector_security.xml',
        'security/ir.model.access.csv',
        'views/connector_menus.xml',
    ],
    'installable': True,
    'application': True,
}
