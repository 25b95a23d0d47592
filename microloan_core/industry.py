# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Industry (行业): the sections of GB/T 4754-2017, shared by the customer
file (employers, enterprises, shops) and the regulatory reports (loans by
use)."""
from trytond.model import DeactivableMixin, ModelSQL, ModelView, fields

from .tools import rec_name_domain


class Industry(DeactivableMixin, ModelSQL, ModelView):
    "Industry"
    __name__ = 'microloan.industry'
    __string__ = "Industry"

    code = fields.Char("Code", required=True)
    name = fields.Char("Name", required=True, translate=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('code', 'ASC'))

    def get_rec_name(self, name):
        return '%s %s' % (self.code, self.name)

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, 'code', 'name')
