"""Deleters of the coffee machine: a customer deleted in Odoo is deleted on the machine."""
from odoo.addons.connector.unit.synchronizer import Deleter

from ..backend import coffee


@coffee
class CustomerDeleter(Deleter):
    _model_name = 'coffee.res.partner'
