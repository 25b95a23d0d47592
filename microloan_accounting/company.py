# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A company's accounting settings for its loans (docs/accounting.md,
Settings): the scheme of its voucher types, the journal of the loan
vouchers and how often interest accruals are posted."""
from trytond.model import fields
from trytond.pool import PoolMeta

from .voucher import SCHEMES

ACCRUAL_PERIODS = [
    ('day', "One Voucher a Day"),
    ('month', "One Voucher a Month"),
    ]


class Company(metaclass=PoolMeta):
    __name__ = 'company.company'

    microloan_voucher_scheme = fields.Selection(
        SCHEMES, "Voucher Types", required=True,
        help="One type of voucher (记), or receipt, payment and transfer "
        "vouchers (收/付/转) told apart by the money they move.")
    microloan_journal = fields.Many2One(
        'account.journal', "Loan Journal", ondelete='RESTRICT',
        help="The journal of the vouchers of the loans' transactions.")
    microloan_accrual_period = fields.Selection(
        ACCRUAL_PERIODS, "Interest Accrual Vouchers", required=True,
        help="The interest accrued on the loans is posted in one voucher "
        "per product a day, or a month (dated its last day).")

    @classmethod
    def default_microloan_voucher_scheme(cls):
        return 'general'

    @classmethod
    def default_microloan_accrual_period(cls):
        return 'day'
