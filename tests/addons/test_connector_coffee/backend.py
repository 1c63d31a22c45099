"""The coffee machine Backends: the service and its two versions, declared once."""
from odoo.addons.connector.backend import Backend

coffee = Backend('coffee')
# 1900 sends a customer's name in one field; 2900 splits it in first and last names
coffee1900 = Backend(parent=coffee, version='1900', label='Coffee Machine 1900')
coffee2900 = Backend(parent=coffee, version='2900', label='Coffee Machine 2900')
