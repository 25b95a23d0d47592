# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Pieces the module's wizards share"
from trytond.model import fields
from trytond.pool import Pool
from trytond.transaction import Transaction


class CompanyDateStartMixin:
    """The start form of a company-wide job up to a day: the user's
    company and today by default (each form names its date field)"""
    __slots__ = ()

    company = fields.Many2One('company.company', "Company", required=True)

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_date():
        return Pool().get('ir.date').today()
