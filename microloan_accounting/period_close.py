# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Month end (期末处理 / 结账), docs/accounting.md, Period end.

Interest is accrued on the active loans up to a day (计提利息), which
records the day on the company; the month then closes (结账) only when
every voucher of the month is posted, no loan transaction or deposit
dated in it waits for its voucher, the interest is accrued to its last
day and the subledger agrees with the ledger at its end.  Closing closes
the host's period and the loans' books up to its last day (no loan
transaction is posted on or before it any more)."""
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import PeriodCloseError
from .tools import CompanyDateStartMixin


class Company(metaclass=PoolMeta):
    __name__ = 'company.company'

    microloan_accrued_until = fields.Date(
        "Interest Accrued Until", readonly=True,
        help="The last day up to which the active loans' interest was "
        "accrued (计提利息).")


class AccrueStart(CompanyDateStartMixin, ModelView):
    "Accrue Interest"
    __name__ = 'microloan.accounting.accrue.start'

    date = fields.Date("Up to", required=True)


class Accrue(Wizard):
    "Accrue Interest"
    __name__ = 'microloan.accounting.accrue'

    start = StateView('microloan.accounting.accrue.start',
        'microloan_accounting.accrue_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Accrue", 'accrue', 'tryton-ok', default=True),
            ])
    accrue = StateTransition()

    def transition_accrue(self):
        self.accrue_to(self.start.company, self.start.date)
        return 'end'

    @classmethod
    def accrue_to(cls, company, date):
        """Accrue the interest, penalty and compound interest of company's
        active loans up to date by the servicing rules (one replay of
        the loans) and record the day"""
        pool = Pool()
        Loan = pool.get('microloan.loan')
        Company = pool.get('company.company')
        # a company-wide job: every active loan, whoever's customer
        with without_check_access():
            loans = Loan.search([
                    ('company', '=', company.id),
                    ('state', '=', 'active'),
                    ('start_date', '<=', date),
                    ])
            if loans:
                Loan.replay(loans, date=date)
        if not company.microloan_accrued_until or (
                company.microloan_accrued_until < date):
            Company.write([company], {'microloan_accrued_until': date})


class CloseStart(ModelView):
    "Close Month"
    __name__ = 'microloan.accounting.period_close.start'

    company = fields.Many2One('company.company', "Company", required=True)
    period = fields.Many2One(
        'account.period', "Period", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('state', '=', 'open'),
            ('type', '=', 'standard'),
            ])

    @staticmethod
    def default_company():
        return Transaction().context.get('company')


class Close(Wizard):
    "Close Month"
    __name__ = 'microloan.accounting.period_close'

    start = StateView('microloan.accounting.period_close.start',
        'microloan_accounting.period_close_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Close", 'close', 'tryton-ok', default=True),
            ])
    close = StateTransition()

    def transition_close(self):
        self.close_period(self.start.period)
        return 'end'

    @classmethod
    def check_period(cls, period):
        "Refuse to close period while a check of docs/accounting.md fails"
        pool = Pool()
        Move = pool.get('account.move')
        LoanTransaction = pool.get('microloan.loan.transaction')
        Deposit = pool.get('microloan.deposit')
        Reconciliation = pool.get(
            'microloan.accounting.reconciliation', type='wizard')
        company = period.company
        unposted = Move.search([
                ('company', '=', company.id),
                ('period', '=', period.id),
                ('state', '!=', 'posted'),
                ], order=[('date', 'ASC'), ('id', 'ASC')])
        if unposted:
            raise PeriodCloseError(gettext(
                    'microloan_accounting.msg_period_close_unposted',
                    period=period.rec_name, count=len(unposted),
                    vouchers=', '.join(m.rec_name for m in unposted[:5])))
        pending = LoanTransaction.search_count([
                ('loan.company', '=', company.id),
                ('ledger_state', '=', 'pending'),
                ('date', '<=', period.end_date),
                ]) + Deposit.search_count([
                ('company', '=', company.id),
                ('kind', 'in', ['received', 'returned']),
                ('state', '=', 'posted'),
                ('move', '=', None),
                ('date', '<=', period.end_date),
                ])
        if pending:
            raise PeriodCloseError(gettext(
                    'microloan_accounting.msg_period_close_pending',
                    period=period.rec_name, count=pending))
        accrued = company.microloan_accrued_until
        if not accrued or accrued < period.end_date:
            raise PeriodCloseError(gettext(
                    'microloan_accounting.msg_period_close_accrual',
                    period=period.rec_name, date=accrued or '-'))
        lines, loans = Reconciliation.compute(company, period.end_date)
        differences = [l for l in lines if l['difference']]
        if differences or loans:
            raise PeriodCloseError(gettext(
                    'microloan_accounting.msg_period_close_difference',
                    period=period.rec_name,
                    balances=', '.join('%s %s' % (
                            l['balance'], l['difference'])
                        for l in differences) or ', '.join(
                        '%s %s' % (l['loans'], l['difference'])
                        for l in loans)))

    @classmethod
    def close_period(cls, period):
        "Check and close period and the loans' books up to its end"
        pool = Pool()
        Period = pool.get('account.period')
        Company = pool.get('company.company')
        cls.check_period(period)
        Period.close([period])
        company = period.company
        if not company.microloan_closed_until or (
                company.microloan_closed_until < period.end_date):
            Company.write([company], {
                    'microloan_closed_until': period.end_date})
