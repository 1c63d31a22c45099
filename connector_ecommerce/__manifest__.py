{
    'name': 'Connector for E-Commerce',
    'version': '11.0.1.0.0',
    'summary': 'Common layer and events for connectors to online shops',
    'category': 'Connector',
    'author': 'Connector developers',
    'license': 'AGPL-3',
    'depends': ['connector', 'sale_stock'],
    'data': [],
    'installable': True,
}
