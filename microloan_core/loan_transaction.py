# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Loan transactions (借据交易): every money event on a loan.

A transaction is the only thing that changes what a borrower owes.  Its
amount and its portions (principal, interest, fees, penalty interest) carry
the sign of their effect on the borrower's debt: a disbursement, a fee
charged, an accrual add (positive); a repayment or a waiver takes off
(negative).  A transaction is never edited nor deleted: a mistake is undone
by a reversal (红字冲销), a new transaction of the opposite amounts that
names the one it reverses.  A loan's balances are therefore plain sums over
its transactions, computed for many loans in one grouped query
(``LoanTransaction.balances``), and its state follows them.
"""
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from sql import Literal
from sql.aggregate import Sum
from sql.conditionals import Case, Coalesce

from trytond import backend
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice, sqlite_apply_types
from trytond.transaction import Transaction, without_check_access

from .exceptions import LoanTransactionError

KINDS = [
    ('disbursement', "Disbursement"),
    ('fee', "Fee Charge"),
    ('accrual', "Interest Accrual"),
    ('penalty', "Penalty Interest Charge"),
    ('repayment', "Repayment"),
    ('waiver', "Waiver"),
    ('credit_refund', "Credit Refund"),
    ('credit_income', "Credit to Income"),
    ('interest_refund', "Interest Refund"),
    ('reversal', "Reversal"),
    ]
# The portions of a transaction, named as their fields: what the borrower
# owes (DEBT) and the customer's credit (an overpayment kept for him,
# negative while the company holds it)
DEBT = ('principal', 'interest', 'fees', 'penalty', 'compound')
PORTIONS = DEBT + ('credit',)
# The portions each kind may carry and the sign of their effect on the debt
# (a reversal carries the opposite of the transaction it reverses)
KIND_PORTIONS = {
    'disbursement': ({'principal'}, 1),
    'fee': ({'fees'}, 1),
    'accrual': ({'interest'}, 1),
    'penalty': ({'penalty', 'compound'}, 1),
    'repayment': (set(PORTIONS), -1),
    'waiver': ({'interest', 'fees', 'penalty', 'compound'}, -1),
    # the customer's credit refunded to him or transferred to income
    'credit_refund': ({'credit'}, 1),
    'credit_income': ({'credit'}, 1),
    # interest paid given back to the customer's credit (退息): the ledger
    # takes it off the interest income
    'interest_refund': ({'credit'}, -1),
    }
# The balances of a loan (LoanTransaction.balances) and what they sum
BALANCES = PORTIONS + ('fees_charged', 'disbursed')



class LoanTransaction(ModelSQL, ModelView):
    "Loan Transaction"
    __name__ = 'microloan.loan.transaction'
    __string__ = "Loan Transaction"

    loan = fields.Many2One(
        'microloan.loan', "Loan", required=True, readonly=True,
        ondelete='RESTRICT')
    borrower = fields.Function(
        fields.Many2One('party.party', "Borrower"),
        'get_borrower', searcher='search_borrower')
    date = fields.Date(
        "Business Date", required=True, readonly=True,
        help="The day the money event takes effect on the loan.")
    kind = fields.Selection(
        KINDS, "Transaction Kind", required=True, readonly=True, sort=False)
    kind_string = kind.translated('kind')
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True,
        readonly=True,
        help="Positive when the borrower owes more (disbursement, charge), "
        "negative when he owes less (repayment, waiver).")
    principal = Monetary(
        "Principal", currency='currency', digits='currency', required=True,
        readonly=True)
    interest = Monetary(
        "Interest", currency='currency', digits='currency', required=True,
        readonly=True)
    fees = Monetary(
        "Fees", currency='currency', digits='currency', required=True,
        readonly=True)
    penalty = Monetary(
        "Penalty Interest", currency='currency', digits='currency',
        required=True, readonly=True)
    compound = Monetary(
        "Compound Interest", currency='currency', digits='currency',
        required=True, readonly=True)
    credit = Monetary(
        "Customer Credit", currency='currency', digits='currency',
        required=True, readonly=True,
        help="An overpayment kept as the customer's credit (negative).")
    fund_account = fields.Many2One(
        'microloan.fund_account', "Fund Account", readonly=True,
        ondelete='RESTRICT',
        help="The company account the money left or came into.")
    reference = fields.Char(
        "Voucher Reference", readonly=True,
        help="The bank voucher or receipt number of the money moved.")
    origin = fields.Reference(
        "Origin", selection='get_origins', readonly=True,
        help="The document that posted the transaction.")
    reverses = fields.Many2One(
        'microloan.loan.transaction', "Reverses", readonly=True,
        ondelete='RESTRICT',
        domain=[('loan', '=', Eval('loan', -1))])
    reversed_by = fields.Function(
        fields.Many2One('microloan.loan.transaction', "Reversed by"),
        'get_reversed_by')
    created_by = fields.Many2One(
        'res.user', "Posted by", readonly=True, required=True)
    posted_at = fields.DateTime("Posted at", readonly=True, required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        table = cls.__table__()
        cls._order = [('loan', 'ASC'), ('date', 'ASC'), ('id', 'ASC')]
        cls._sql_constraints += [
            ('reverses_once', Unique(table, table.reverses),
                'microloan_core.msg_loan_transaction_reversed_once'),
            ]
        # the balances of loans sum their transactions up to a date
        cls._sql_indexes.add(Index(table,
                (table.loan, Index.Range()), (table.date, Index.Range())))

    @classmethod
    def default_amount(cls):
        return Decimal(0)

    default_principal = default_interest = default_fees = default_penalty \
        = default_compound = default_credit = default_amount

    @fields.depends('loan', '_parent_loan.company')
    def on_change_with_currency(self, name=None):
        if self.loan and self.loan.company:
            return self.loan.company.currency

    def get_borrower(self, name):
        return self.loan.borrower.id

    @classmethod
    def search_borrower(cls, name, clause):
        return [('loan.borrower',) + tuple(clause[1:])]

    @classmethod
    def _get_origins(cls):
        "Return the models whose documents post transactions"
        return []

    @classmethod
    def get_origins(cls):
        IrModel = Pool().get('ir.model')
        models = cls._get_origins()
        return [(None, '')] + [
            (m, IrModel.get_name(m)) for m in models]

    @classmethod
    def get_reversed_by(cls, transactions, name):
        result = {t.id: None for t in transactions}
        for reversal in cls.search([
                    ('reverses', 'in', list(result)),
                    ]):
            result[reversal.reverses.id] = reversal.id
        return result

    def get_rec_name(self, name):
        return '%s %s %s' % (
            self.loan.rec_name, self.kind_string, self.date or '')

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            values['created_by'] = Transaction().user
            values['posted_at'] = dt.datetime.now()
            values.update({p: values.get(p) or Decimal(0)
                    for p in PORTIONS})
            # checked before anything is written: never edited afterwards
            cls(**values).check_portions()
        return values

    @classmethod
    def check_modification(cls, mode, transactions, values=None,
            external=False):
        "A transaction is never edited nor deleted: it is reversed"
        super().check_modification(
            mode, transactions, values=values, external=external)
        if mode != 'create' and transactions:
            raise LoanTransactionError(gettext(
                    'microloan_core.msg_loan_transaction_posted',
                    transaction=transactions[0].rec_name))

    @classmethod
    def copy(cls, transactions, default=None):
        if transactions:
            raise LoanTransactionError(gettext(
                    'microloan_core.msg_loan_transaction_posted',
                    transaction=transactions[0].rec_name))
        return super().copy(transactions, default=default)

    def check_portions(self):
        """The portions sum to the amount and fit the kind: a reversal is
        the exact opposite of the transaction it reverses, on its loan"""
        Lang = Pool().get('ir.lang')
        lang = Lang.get()
        portions = {p: getattr(self, p, None) or Decimal(0)
            for p in PORTIONS}
        total = sum(portions.values(), Decimal(0))
        amount = getattr(self, 'amount', None) or Decimal(0)
        reverses = getattr(self, 'reverses', None)
        # checked before the transaction is saved
        name = self.get_rec_name(None)

        def money(value):
            return lang.currency(value, self.loan.currency)

        if total != amount or not amount:
            raise LoanTransactionError(gettext(
                    'microloan_core.msg_loan_transaction_portions',
                    transaction=name,
                    amount=money(amount),
                    total=money(total)))
        if self.kind == 'reversal':
            original = reverses
            if (not original or original.kind == 'reversal'
                    or original.loan != self.loan
                    or any(portions[p] != -getattr(original, p)
                        for p in PORTIONS)):
                raise LoanTransactionError(gettext(
                        'microloan_core.msg_loan_transaction_reversal',
                        transaction=name))
            return
        allowed, sign = KIND_PORTIONS[self.kind]
        if reverses or any(
                (value and name not in allowed) or value * sign < 0
                for name, value in portions.items()):
            raise LoanTransactionError(gettext(
                    'microloan_core.msg_loan_transaction_kind',
                    transaction=name,
                    kind=self.kind_string))

    @classmethod
    def post(cls, vlist, update_state=True):
        """Create the transactions of vlist (values dicts) and bring the
        state of their loans up to date (unless the caller does it once at
        its end: update_state=False); return the transactions.

        The only way money events enter the books: every role reads the
        transactions, none writes them.  A loan keeps one disbursement in
        force (single disbursement)."""
        Loan = Pool().get('microloan.loan')
        loans = Loan.browse(list({v['loan'] for v in vlist}))
        with without_check_access():
            Loan.lock(loans)
            cls.check_single_disbursement(loans, vlist)
            transactions = cls.create(vlist)
            if update_state:
                Loan.update_state(loans)
        return transactions

    @classmethod
    def check_single_disbursement(cls, loans, vlist):
        "Refuse a second disbursement in force on a loan"
        balances = cls.balances(loans)
        count = defaultdict(int)
        for values in vlist:
            if values.get('kind') == 'disbursement':
                count[values['loan']] += 1
        for loan in loans:
            if count[loan.id] and (
                    count[loan.id] > 1 or balances[loan.id]['disbursed']):
                raise LoanTransactionError(gettext(
                        'microloan_core.msg_loan_transaction_disbursed',
                        loan=loan.rec_name))

    @classmethod
    def reverse(cls, transactions, date=None, reference=None,
            update_state=True):
        """Post the reversal of each transaction (its opposite amounts on
        date, by default the date of the original); return the reversals
        (update_state as for post)"""
        vlist = []
        for transaction in transactions:
            if transaction.kind == 'reversal' or transaction.reversed_by:
                raise LoanTransactionError(gettext(
                        'microloan_core.msg_loan_transaction_not_reversible',
                        transaction=transaction.rec_name))
            values = {
                'loan': transaction.loan.id,
                'date': date or transaction.date,
                'kind': 'reversal',
                'amount': -transaction.amount,
                'fund_account': (transaction.fund_account.id
                    if transaction.fund_account else None),
                'reference': reference,
                'reverses': transaction.id,
                }
            for name in PORTIONS:
                values[name] = -getattr(transaction, name)
            vlist.append(values)
        return cls.post(vlist, update_state=update_state)

    @classmethod
    def in_force(cls, loans, kinds):
        "Return the transactions of kinds on loans that are not reversed"
        transactions = cls.search([
                ('loan', 'in', [int(l) for l in loans]),
                ('kind', 'in', list(kinds)),
                ], order=[('loan', 'ASC'), ('date', 'ASC'), ('id', 'ASC')])
        reversed_ = {r.reverses.id for r in cls.search([
                    ('loan', 'in', [int(l) for l in loans]),
                    ('kind', '=', 'reversal'),
                    ])}
        return [t for t in transactions if t.id not in reversed_]

    @classmethod
    def balances(cls, loans, date=None):
        """Return {loan id: {balance: Decimal}} of loans in one grouped
        query, with the transactions up to date when given.

        Balances (BALANCES): principal, interest, fees, penalty, compound
        (what the borrower owes of each as booked), credit (the customer's
        credit, negative), fees_charged (every fee charged, less its
        reversals), disbursed (principal disbursed and not reversed)."""
        table = cls.__table__()
        original = cls.__table__()
        cursor = Transaction().connection.cursor()
        zero = Decimal(0)
        result = {int(l): dict.fromkeys(BALANCES, zero) for l in loans}
        # the kind of a reversal is the kind it reverses
        kind = Coalesce(original.kind, table.kind)
        sums = [Sum(getattr(table, p)) for p in PORTIONS] + [
            Sum(Case((kind == 'fee', table.fees), else_=Literal(0))),
            Sum(Case((kind == 'disbursement', table.principal),
                    else_=Literal(0))),
            ]
        columns = [s.as_(n) for s, n in zip(sums, BALANCES)]
        for sub_ids in grouped_slice(list(result), backend.MAX_QUERY_PARAMS):
            where = fields.SQL_OPERATORS['in'](table.loan, sub_ids)
            if date is not None:
                where &= table.date <= date
            query = (table
                .join(original, 'LEFT',
                    condition=table.reverses == original.id)
                .select(table.loan, *columns,
                    where=where, group_by=table.loan))
            if backend.name == 'sqlite':
                sqlite_apply_types(
                    query, [None] + ['NUMERIC'] * len(columns))
            cursor.execute(*query)
            for loan_id, *sums in cursor:
                result[loan_id] = {
                    name: Decimal(str(value or 0))
                    for name, value in zip(BALANCES, sums)}
        # SQLite sums in floating point: back to the fen of each currency
        for loan in Pool().get('microloan.loan').browse(list(result)):
            result[loan.id] = {name: loan.currency.round(value)
                for name, value in result[loan.id].items()}
        return result
