# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Fund accounts (资金账户): the company's bank and cash accounts that
loans are paid from and repayments received into.

The core module does not depend on Tryton's ``bank`` module: an account is
named here with its bank and number, enough for a cashier to choose it and
for the accounting module to map it to a ledger account later.
"""
import re

from trytond.model import DeactivableMixin, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .tools import rec_name_domain

# A bank account's name as shown (get_rec_name): name (last 4 digits)
LAST_DIGITS = re.compile(r'(.+) \((\d{4})\)')

KINDS = [
    ('bank', "Bank Account"),
    ('cash', "Cash"),
    ]


class FundAccount(DeactivableMixin, ModelSQL, ModelView):
    "Fund Account"
    __name__ = 'microloan.fund_account'
    __string__ = "Fund Account"

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')
    name = fields.Char("Name", required=True)
    kind = fields.Selection(KINDS, "Kind", required=True, sort=False)
    bank_name = fields.Char(
        "Bank Name",
        states={
            'required': Eval('kind') == 'bank',
            'invisible': Eval('kind') != 'bank',
            },
        help="The bank and branch that keep the account, e.g. "
        "中国工商银行北京西城支行.")
    account_number = fields.Char(
        "Account Number",
        states={
            'required': Eval('kind') == 'bank',
            'invisible': Eval('kind') != 'bank',
            })
    currency = fields.Many2One(
        'currency.currency', "Currency", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('name', 'ASC'))

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_kind():
        return 'bank'

    @fields.depends('company', 'currency')
    def on_change_company(self):
        if self.company and not self.currency:
            self.currency = self.company.currency

    @classmethod
    def default_currency(cls):
        company = Transaction().context.get('company')
        if company is not None and company >= 0:
            return Pool().get('company.company')(company).currency.id

    def get_rec_name(self, name):
        if self.kind == 'bank' and self.account_number:
            # the last digits tell apart accounts of one bank
            digits = ''.join(self.account_number.split())
            return '%s (%s)' % (self.name, digits[-4:])
        return self.name

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        shown = (isinstance(operand, str)
            and LAST_DIGITS.fullmatch(operand.strip('%')))
        if shown and operator in {'=', 'ilike', 'like'}:
            # the name as shown: its name and the last digits of its number
            return [
                ('name', operator, shown.group(1), *extra),
                # the number may be written with spaces
                ('account_number', 'like', '%' + '%'.join(shown.group(2))),
                ]
        return rec_name_domain(clause, 'name', 'account_number', 'bank_name')
