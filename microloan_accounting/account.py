# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Cash and bank accounts of the chart (库存现金, 银行存款).

A voucher that moves one of them needs the cashier's signature (出纳签字),
and the cash and bank journals (现金日记账, 银行存款日记账) list their
lines.  The kind is set on the chart's templates and copied to each
company's accounts by the host's create and update chart wizards.

The statements' account types show an empty row as 0.00, not -0.00."""
from trytond.model import fields
from trytond.pool import PoolMeta

CASH_KINDS = [
    (None, ""),
    ('cash', "Cash"),
    ('bank', "Bank"),
    ]


class AccountTemplate(metaclass=PoolMeta):
    __name__ = 'account.account.template'

    microloan_cash_kind = fields.Selection(
        CASH_KINDS, "Cash or Bank",
        help="Cash on hand (库存现金) or a bank deposit (银行存款): "
        "vouchers moving it are signed by the cashier.")

    def _get_account_value(self, account=None):
        values = super()._get_account_value(account=account)
        if not account or account.microloan_cash_kind != (
                self.microloan_cash_kind):
            values['microloan_cash_kind'] = self.microloan_cash_kind
        return values


class Account(metaclass=PoolMeta):
    __name__ = 'account.account'

    microloan_cash_kind = fields.Selection(
        CASH_KINDS, "Cash or Bank",
        help="Cash on hand (库存现金) or a bank deposit (银行存款): "
        "vouchers moving it are signed by the cashier.")


class Type(metaclass=PoolMeta):
    __name__ = 'account.account.type'

    @classmethod
    def get_amount(cls, types, name):
        # the host turns the assets' sign round, which shows an empty row
        # of the balance sheet as -0.00
        amounts = super().get_amount(types, name)
        return {i: a + 0 if a is not None else a for i, a in amounts.items()}
