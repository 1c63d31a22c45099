"""Names of the unique indexes of binding models."""
import unittest

from odoo.addons.connector.models.external_binding import (
    MAX_IDENTIFIER_LENGTH, binding_index_name)


class TestBindingIndexName(unittest.TestCase):

    def test_short_table_name_is_kept(self):
        self.assertEqual(binding_index_name('shop_res_partner', 'backend_external_uniq'),
                         'shop_res_partner_backend_external_uniq')

    def test_long_names_stay_distinct_within_postgresql_limit(self):
        tables = ['magento_product_product_supplier_information_binding_' + suffix
                  for suffix in ('a', 'b')]
        names = {binding_index_name(table, suffix) for table in tables
                 for suffix in ('backend_external_uniq', 'backend_odoo_uniq')}

        self.assertEqual(len(names), 4)
        self.assertTrue(all(len(name) <= MAX_IDENTIFIER_LENGTH for name in names))
