"""The binder of the coffee machine bindings: the framework's default one."""
from odoo.addons.connector.unit.binder import Binder

from ..backend import coffee


@coffee
class CoffeeBinder(Binder):
    _model_name = ['coffee.res.partner', 'coffee.sale.order']
