# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The ledger account of a fund account: the bank deposit (银行存款) or
cash on hand (库存现金) account the loans' money is booked on
(docs/accounting.md, Posting rules)."""
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval


class FundAccount(metaclass=PoolMeta):
    __name__ = 'microloan.fund_account'

    account = fields.Many2One(
        'account.account', "Ledger Account", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ('microloan_cash_kind', '=', Eval('kind')),
            ('type', '!=', None),
            ],
        help="The cash or bank account of the chart the fund account's "
        "money is booked on.")
