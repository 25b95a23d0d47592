# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The customer's bank account (收款及还款账户): where the loan is paid to
and repayments come from, printed on the contract, the loan receipt (借据)
and the disbursement notice (放款通知书).

The core module does not depend on Tryton's ``bank`` module (see
fund_account.py): the account is the bank's name and the number."""
from trytond.model import fields
from trytond.pool import PoolMeta


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    bank_account_bank = fields.Char(
        "Account Bank",
        help="The bank and branch keeping the customer's account for the "
        "loan and its repayments, e.g. 中国工商银行杭州西湖支行.")
    bank_account_number = fields.Char(
        "Bank Account Number",
        help="The number of the customer's account the loan is paid to "
        "and repaid from.")
