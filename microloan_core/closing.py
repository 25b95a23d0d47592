# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Closed periods (业务结账): the day up to which a company's loan books are
final.

docs/servicing.md, Closed periods: no loan transaction is posted on or
before the company's closing date, whatever posts it (a repayment, its
reversal, a replay, a change, a disbursement, an import); the whole
document is refused and nothing is saved."""
from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta

from .exceptions import LoanTransactionError


class Company(metaclass=PoolMeta):
    __name__ = 'company.company'

    microloan_closed_until = fields.Date(
        "Loans Closed Until",
        help="The loan books are final up to and including this day: "
        "nothing is posted on or before it (业务结账日).")


class LoanTransaction(metaclass=PoolMeta):
    __name__ = 'microloan.loan.transaction'

    @classmethod
    def post(cls, vlist, update_state=True):
        cls.check_open_period(vlist)
        return super().post(vlist, update_state=update_state)

    @classmethod
    def check_open_period(cls, vlist):
        """Refuse values dated on or before their company's closing date
        (the values' loan: an id, or a loan, saved or not)"""
        pool = Pool()
        Loan = pool.get('microloan.loan')
        Lang = pool.get('ir.lang')
        loans = {l.id: l for l in Loan.browse(list({v['loan'] for v in vlist
                        if isinstance(v['loan'], int)}))}
        for values in vlist:
            loan = loans.get(values['loan'], values['loan'])
            closed = loan.company.microloan_closed_until
            if closed and values['date'] <= closed:
                lang = Lang.get()
                raise LoanTransactionError(gettext(
                        'microloan_core.msg_loan_transaction_closed_period',
                        loan=loan.rec_name,
                        date=lang.strftime(values['date']),
                        closed=lang.strftime(closed)))
