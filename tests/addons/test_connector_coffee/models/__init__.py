from . import coffee_backend
from . import coffee_binding
from . import coffee_res_partner
from . import coffee_sale_order
