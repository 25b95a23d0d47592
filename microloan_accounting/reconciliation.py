# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Subledger against general ledger (贷款分户账与总账核对),
docs/accounting.md, Reconciliation.

At a date, for each balance the loans keep (principal, accrued interest,
fees, customer credit, customer deposits), the sum of the loans'
transactions (the subledger) against the balance of the ledger account its
posting rule books it on, from the posted vouchers; what is still pending
or in vouchers not yet posted is shown apart so that the difference is
what nothing explains.  The principal is also compared per borrower (the
loans' lines carry their party) and the loans of a borrower whose figures
differ are listed.  Each figure is one grouped query."""
from collections import defaultdict
from decimal import Decimal

from sql.aggregate import Sum
from sql.conditionals import Case

from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.tools import sqlite_apply_types
from trytond.transaction import Transaction
from trytond.wizard import Button, StateView, Wizard

from .tools import CompanyDateStartMixin

# A balance of the subledger: its portion and the rule that names its
# account (kind, portion, side)
BALANCES = [
    ('principal', "Principal", ('disbursement', 'principal', 'debit')),
    ('interest', "Accrued Interest", ('accrual', 'interest', 'debit')),
    ('fees', "Fees", ('fee', 'fees', 'debit')),
    ('credit', "Customer Credit", ('repayment', 'credit', 'credit')),
    ('deposit', "Customer Deposits", ('deposit_received', 'amount',
            'credit')),
    ]


class ReconciliationStart(CompanyDateStartMixin, ModelView):
    "Subledger Reconciliation"
    __name__ = 'microloan.accounting.reconciliation.start'

    date = fields.Date("Date", required=True)


class ReconciliationResult(ModelView):
    "Subledger Reconciliation"
    __name__ = 'microloan.accounting.reconciliation.result'

    company = fields.Many2One('company.company', "Company", readonly=True)
    date = fields.Date("Date", readonly=True)
    lines = fields.One2Many(
        'microloan.accounting.reconciliation.line', None, "Balances",
        readonly=True)
    loans = fields.One2Many(
        'microloan.accounting.reconciliation.loan', None,
        "Borrowers with a Difference", readonly=True)
    balanced = fields.Boolean("No Difference", readonly=True)


class ReconciliationLine(ModelView):
    "Subledger Reconciliation Line"
    __name__ = 'microloan.accounting.reconciliation.line'

    balance = fields.Char("Balance", readonly=True)
    account = fields.Many2One('account.account', "Account", readonly=True)
    currency = fields.Many2One('currency.currency', "Currency")
    subledger = Monetary(
        "Subledger", currency='currency', digits='currency', readonly=True)
    ledger = Monetary(
        "Ledger (Posted)", currency='currency', digits='currency',
        readonly=True)
    unposted = Monetary(
        "In Vouchers Not Posted", currency='currency', digits='currency',
        readonly=True)
    pending = Monetary(
        "Pending", currency='currency', digits='currency', readonly=True,
        help="In transactions or deposits waiting for their voucher.")
    difference = Monetary(
        "Difference", currency='currency', digits='currency', readonly=True)


class ReconciliationLoan(ModelView):
    "Subledger Reconciliation Borrower"
    __name__ = 'microloan.accounting.reconciliation.loan'

    party = fields.Many2One('party.party', "Borrower", readonly=True)
    loans = fields.Char("Loans", readonly=True)
    currency = fields.Many2One('currency.currency', "Currency")
    subledger = Monetary(
        "Subledger", currency='currency', digits='currency', readonly=True)
    ledger = Monetary(
        "Ledger", currency='currency', digits='currency', readonly=True)
    difference = Monetary(
        "Difference", currency='currency', digits='currency', readonly=True)


class Reconciliation(Wizard):
    "Subledger Reconciliation"
    __name__ = 'microloan.accounting.reconciliation'

    start = StateView('microloan.accounting.reconciliation.start',
        'microloan_accounting.reconciliation_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Reconcile", 'result', 'tryton-ok', default=True),
            ])
    result = StateView('microloan.accounting.reconciliation.result',
        'microloan_accounting.reconciliation_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_result(self, fields):
        lines, loans = self.compute(self.start.company, self.start.date)
        currency = self.start.company.currency.id
        return {
            'company': self.start.company.id,
            'date': self.start.date,
            'lines': [dict(l, currency=currency) for l in lines],
            'loans': [dict(l, currency=currency) for l in loans],
            'balanced': not any(l['difference'] for l in lines + loans),
            }

    @classmethod
    def compute(cls, company, date):
        """Return the lines (a dict per balance) and the borrowers whose
        principal differs, of company at date"""
        pool = Pool()
        Rule = pool.get('microloan.accounting.rule')
        index = Rule.index([company])
        subledger = cls._subledger(company, date)
        # SQLite sums floats: every figure rounded to the currency
        round_ = company.currency.round
        lines, accounts = [], {}
        for name, string, (kind, portion, side) in BALANCES:
            rule = index.get((company.id, None, kind, portion))
            if not rule or not rule.booked:
                continue
            account = getattr(rule, '%s_account' % side)
            if account is None:
                continue
            accounts[name] = account
        ledger = cls._ledger(company, date, list(accounts.values()))
        for name, string, _ in BALANCES:
            if name not in accounts:
                continue
            account = accounts[name]
            # the ledger's balance in the subledger's sign: debts are
            # debits, the customer's credit and deposits credits
            posted, unposted = ledger[account.id]
            if name == 'deposit':
                posted, unposted = Decimal(0) - posted, Decimal(0) - unposted
            values = subledger[name]
            line = {
                'balance': cls._balance_string(name),
                'account': account.id,
                'subledger': round_(values['total']),
                'ledger': round_(posted),
                'unposted': round_(unposted),
                'pending': round_(values['pending']),
                }
            line['difference'] = (line['subledger'] - line['ledger']
                - line['unposted'] - line['pending'])
            lines.append(line)
        loans = []
        if 'principal' in accounts:
            loans = cls._borrowers(company, date, accounts['principal'])
        return lines, loans

    @classmethod
    def _balance_string(cls, name):
        return gettext('microloan_accounting.msg_reconciliation_%s' % name)

    @classmethod
    def _subledger(cls, company, date):
        """{balance: {'total', 'pending'}} of the loans' transactions and
        the deposits of company up to date"""
        pool = Pool()
        LoanTransaction = pool.get('microloan.loan.transaction')
        Loan = pool.get('microloan.loan')
        Deposit = pool.get('microloan.deposit')
        transaction = LoanTransaction.__table__()
        loan = Loan.__table__()
        deposit = Deposit.__table__()
        cursor = Transaction().connection.cursor()
        result = defaultdict(lambda: {
                'total': Decimal(0), 'pending': Decimal(0)})
        portions = ['principal', 'interest', 'fees', 'credit']
        pending = transaction.ledger_state == 'pending'
        columns = []
        for portion in portions:
            column = getattr(transaction, portion)
            columns.append(Sum(column).as_(portion))
            columns.append(Sum(Case((pending, column), else_=0)).as_(
                    'pending_' + portion))
        query = (transaction
            .join(loan, condition=transaction.loan == loan.id)
            .select(*columns,
                where=(loan.company == company.id)
                & (transaction.date <= date)))
        if backend.name == 'sqlite':
            sqlite_apply_types(query, ['NUMERIC'] * len(columns))
        cursor.execute(*query)
        row = cursor.fetchone()
        for i, portion in enumerate(portions):
            result[portion]['total'] = Decimal(row[2 * i] or 0)
            result[portion]['pending'] = Decimal(row[2 * i + 1] or 0)
        # the deposits: received less returned and applied; the vouchers
        # of the received and returned ones, pending while they have none
        signed = Case((deposit.kind == 'received', deposit.amount),
            else_=-deposit.amount)
        waiting = (deposit.move == None) & deposit.kind.in_(  # noqa: E711
            ['received', 'returned'])
        query = deposit.select(
            Sum(signed).as_('total'),
            Sum(Case((waiting, signed), else_=0)).as_('pending'),
            where=(deposit.company == company.id)
            & (deposit.state == 'posted') & (deposit.date <= date))
        if backend.name == 'sqlite':
            sqlite_apply_types(query, ['NUMERIC', 'NUMERIC'])
        cursor.execute(*query)
        total, waiting_total = cursor.fetchone()
        result['deposit']['total'] = Decimal(total or 0)
        result['deposit']['pending'] = Decimal(waiting_total or 0)
        return result

    @classmethod
    def _ledger(cls, company, date, accounts):
        """{account id: (posted, unposted)} balances (debit - credit) of
        accounts up to date"""
        pool = Pool()
        Line = pool.get('account.move.line')
        Move = pool.get('account.move')
        line = Line.__table__()
        move = Move.__table__()
        cursor = Transaction().connection.cursor()
        result = defaultdict(lambda: (Decimal(0), Decimal(0)))
        if not accounts:
            return result
        balance = line.debit - line.credit
        posted = move.state == 'posted'
        query = (line
            .join(move, condition=line.move == move.id)
            .select(line.account.as_('account'),
                Sum(Case((posted, balance), else_=0)).as_('posted'),
                Sum(Case((posted, 0), else_=balance)).as_('unposted'),
                where=line.account.in_([a.id for a in accounts])
                & (move.date <= date),
                group_by=[line.account]))
        if backend.name == 'sqlite':
            sqlite_apply_types(query, [None, 'NUMERIC', 'NUMERIC'])
        cursor.execute(*query)
        for account, posted_, unposted in cursor:
            result[account] = (Decimal(posted_ or 0), Decimal(unposted or 0))
        return result

    @classmethod
    def _borrowers(cls, company, date, account):
        """The borrowers whose loans' principal (all transactions up to
        date) differs from their lines on account (all vouchers) and the
        transactions pending"""
        pool = Pool()
        LoanTransaction = pool.get('microloan.loan.transaction')
        Loan = pool.get('microloan.loan')
        Line = pool.get('account.move.line')
        Move = pool.get('account.move')
        transaction = LoanTransaction.__table__()
        loan = Loan.__table__()
        line = Line.__table__()
        move = Move.__table__()
        cursor = Transaction().connection.cursor()
        booked = transaction.ledger_state != 'pending'
        query = (transaction
            .join(loan, condition=transaction.loan == loan.id)
            .select(loan.borrower.as_('borrower'),
                Sum(Case((booked, transaction.principal),
                        else_=0)).as_('principal'),
                where=(loan.company == company.id)
                & (transaction.date <= date),
                group_by=[loan.borrower]))
        if backend.name == 'sqlite':
            sqlite_apply_types(query, [None, 'NUMERIC'])
        cursor.execute(*query)
        round_ = company.currency.round
        subledger = {p: round_(Decimal(v or 0)) for p, v in cursor}
        query = (line
            .join(move, condition=line.move == move.id)
            .select(line.party.as_('party'),
                Sum(line.debit - line.credit).as_('balance'),
                where=(line.account == account.id) & (move.date <= date),
                group_by=[line.party]))
        if backend.name == 'sqlite':
            sqlite_apply_types(query, [None, 'NUMERIC'])
        cursor.execute(*query)
        ledger = {p: round_(Decimal(v or 0)) for p, v in cursor}
        parties = [p for p in set(subledger) | set(ledger)
            if subledger.get(p, 0) != ledger.get(p, 0)]
        if not parties:
            return []
        numbers = defaultdict(list)
        for loan_ in Loan.search([
                    ('company', '=', company.id),
                    ('borrower', 'in', [p for p in parties if p]),
                    ]):
            numbers[loan_.borrower.id].append(loan_.rec_name)
        return [{
                'party': party,
                'loans': ', '.join(sorted(numbers.get(party, []))),
                'subledger': subledger.get(party, Decimal(0)),
                'ledger': ledger.get(party, Decimal(0)),
                'difference': (subledger.get(party, Decimal(0))
                    - ledger.get(party, Decimal(0))),
                } for party in sorted(parties, key=lambda p: p or 0)]
