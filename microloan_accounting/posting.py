# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Loan transactions into the ledger (docs/accounting.md, Posting).

A loan transaction waits as a financial document to do (待办财务单据)
until the accountant makes its voucher (生成凭证):

* the cash events (disbursement, fee, repayment, waiver, credit refund,
  credit to income, interest refund, and their reversals) make one
  voucher per document and day: the transactions a repayment, a
  disbursement or a change posted on a day, each portion by its posting
  rule, lines of the same account and party added up;
* the interest accruals and the penalty charges (and their reversals) make
  one voucher per product and day, or per product and month (a company
  setting), of the sums of the day's transactions in one grouped query;
  the per-loan detail stays in the transactions.

A transaction's voucher is its link ``move``; ``ledger_state`` says it is
pending, in a voucher, or not booked at all (every portion of it has a
rule that books nothing, or its amounts net to nothing).  The customer
deposits received and returned make their vouchers the same way."""
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sql import Null
from sql.aggregate import Sum
from sql.conditionals import Coalesce

from trytond.i18n import gettext
from trytond.model import Index, fields
from trytond.pool import Pool, PoolMeta
from trytond import backend
from trytond.tools import grouped_slice, reduce_ids, sqlite_apply_types
from trytond.transaction import Transaction

LEDGER_STATES = [
    ('pending', "Pending"),
    ('voucher', "In a Voucher"),
    ('none', "Not Booked"),
    ]
# The kinds whose transactions are summed per product and day
AGGREGATED = ('accrual', 'penalty')
DEBT_PORTIONS = ('principal', 'interest', 'fees', 'penalty', 'compound',
    'credit')


def _kind_sign(kind):
    "The sign that makes the portions of kind positive amounts to book"
    from trytond.modules.microloan_core.loan_transaction import (
        KIND_PORTIONS)
    if kind in KIND_PORTIONS:
        return KIND_PORTIONS[kind][1]
    return 1


class LoanTransaction(metaclass=PoolMeta):
    __name__ = 'microloan.loan.transaction'

    move = fields.Many2One(
        'account.move', "Voucher", readonly=True, ondelete='RESTRICT')
    ledger_state = fields.Selection(
        LEDGER_STATES, "Ledger", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t,
                (t.ledger_state, Index.Equality()),
                where=t.ledger_state == 'pending'))

    @staticmethod
    def default_ledger_state():
        return 'pending'

    @classmethod
    def _set_ledger(cls, ids, move, state):
        "Link the transactions of ids to move (bypassing their freeze)"
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        for sub_ids in grouped_slice(ids):
            cursor.execute(*table.update(
                    [table.move, table.ledger_state],
                    [move.id if move else None, state],
                    where=reduce_ids(table.id, sub_ids)))

    @classmethod
    def _voucher_date(cls, company, date):
        "The date of the aggregated voucher of the transactions of date"
        if company.microloan_accrual_period == 'month':
            return date + relativedelta(day=31)
        return date

    @classmethod
    def post_to_ledger(cls, company, date):
        """Make the vouchers of company's transactions pending up to date
        and return them (docs/accounting.md, Posting)"""
        Deposit = Pool().get('microloan.deposit')
        moves = cls._post_documents(company, date)
        moves += cls._post_aggregated(company, date)
        moves += Deposit.post_to_ledger(company, date)
        return moves

    @classmethod
    def _post_documents(cls, company, date):
        "One voucher per document and day of the cash events"
        pool = Pool()
        Move = pool.get('account.move')
        Rule = pool.get('microloan.accounting.rule')
        transactions = cls.search([
                ('loan.company', '=', company.id),
                ('ledger_state', '=', 'pending'),
                ('date', '<=', date),
                ['OR',
                    ('kind', 'not in', list(AGGREGATED) + ['reversal']),
                    [('kind', '=', 'reversal'),
                        ('reverses.kind', 'not in', list(AGGREGATED))],
                    ],
                ], order=[('date', 'ASC'), ('id', 'ASC')])
        if not transactions:
            return []
        index = Rule.index([company])
        groups = defaultdict(list)
        for transaction in transactions:
            document = (transaction.origin
                or (transaction.reverses and transaction.reverses.origin)
                or transaction)
            groups[(transaction.date, str(document))].append(transaction)
        vlist, linked, unbooked = [], [], []
        for (date_, _), group in groups.items():
            lines = cls._voucher_lines(index, company, group)
            ids = [t.id for t in group]
            if not lines:
                unbooked.extend(ids)
                continue
            first = group[0]
            origin = (first.origin
                or (first.reverses and first.reverses.origin) or first)
            vlist.append(Move.voucher_values(company, date_,
                    first._voucher_description(), lines, origin=origin))
            linked.append(ids)
        moves = Move.create(vlist) if vlist else []
        for move, ids in zip(moves, linked):
            cls._set_ledger(ids, move, 'voucher')
        cls._set_ledger(unbooked, None, 'none')
        return moves

    def _voucher_description(self):
        "The voucher's description (摘要) of a document's transactions"
        original = self.reverses if self.kind == 'reversal' else self
        text = '%s %s %s' % (original.kind_string, self.loan.rec_name,
            self.loan.borrower.rec_name)
        if self.kind == 'reversal':
            text = gettext('microloan_accounting.msg_reversal_summary',
                summary=text)
        return text

    @classmethod
    def _fund_ledger_account(cls, index, company, transaction):
        """The ledger account standing for "the fund account": the
        deposit account of a repayment by deposit offset, else that of
        the fund account the money went through"""
        Rule = Pool().get('microloan.accounting.rule')
        original = transaction.reverses or transaction
        origin = original.origin
        if getattr(origin, 'channel', None) == 'deposit':
            rule = Rule.find(index, company, transaction.loan.product,
                'deposit_applied', 'amount', loan=transaction.loan)
            return rule.debit_account
        fund = transaction.fund_account or original.fund_account
        if fund:
            return fund.account
        return None

    @classmethod
    def _voucher_lines(cls, index, company, transactions):
        """The lines (account, party, debit, credit, summary) of
        transactions by their rules, those of an account, party and side
        added up"""
        Rule = Pool().get('microloan.accounting.rule')
        totals = defaultdict(Decimal)
        order = []
        for transaction in transactions:
            original = transaction.reverses or transaction
            kind = original.kind
            sign = _kind_sign(kind)
            loan = transaction.loan
            fund = cls._fund_ledger_account(index, company, transaction)
            for portion in DEBT_PORTIONS:
                value = getattr(transaction, portion)
                if not value:
                    continue
                rule = Rule.find(index, company, loan.product, kind,
                    portion, loan=loan)
                # the money's line tells the document, the others the
                # portion: one bank line for a repayment's portions
                summaries = {
                    True: '%s %s' % (original.kind_string, loan.rec_name),
                    False: '%s %s' % (
                        rule.summary or '%s %s' % (
                            original.kind_string, rule.portion_string),
                        loan.rec_name),
                    }
                for account, party, debit, credit, is_fund in rule.lines(
                        value * sign, fund_account=fund,
                        party=loan.borrower):
                    side = 'debit' if debit else 'credit'
                    key = (account, party, side, summaries[is_fund])
                    if key not in totals:
                        order.append(key)
                    totals[key] += debit or credit
        lines = []
        for key in order:
            account, party, side, summary = key
            amount = totals[key]
            if not amount:
                continue
            debit, credit = ((amount, Decimal(0)) if side == 'debit'
                else (Decimal(0), amount))
            lines.append((account, party, debit, credit, summary))
        return lines

    @classmethod
    def _post_aggregated(cls, company, date):
        """One voucher per product and day (or month) of the accruals and
        penalty charges pending, summed in one grouped query"""
        pool = Pool()
        Move = pool.get('account.move')
        Rule = pool.get('microloan.accounting.rule')
        Loan = pool.get('microloan.loan')
        Product = pool.get('microloan.product')
        transaction = cls.__table__()
        reversed_ = cls.__table__()
        loan = Loan.__table__()
        cursor = Transaction().connection.cursor()

        kind = Coalesce(reversed_.kind, transaction.kind)
        where = ((transaction.ledger_state == 'pending')
            & (transaction.date <= date)
            & (loan.company == company.id)
            & kind.in_(list(AGGREGATED)))
        query = (transaction
            .join(loan, condition=transaction.loan == loan.id)
            .join(reversed_, 'LEFT',
                condition=transaction.reverses == reversed_.id)
            .select(loan.product.as_('product'),
                transaction.date.as_('date'), kind.as_('kind'),
                Sum(transaction.interest).as_('interest'),
                Sum(transaction.penalty).as_('penalty'),
                Sum(transaction.compound).as_('compound'),
                where=where,
                group_by=[loan.product, transaction.date, kind]))
        if backend.name == 'sqlite':
            sqlite_apply_types(
                query, [None, 'DATE', None, 'NUMERIC', 'NUMERIC', 'NUMERIC'])
        cursor.execute(*query)
        sums = defaultdict(lambda: defaultdict(Decimal))
        for product, date_, kind_, interest, penalty, compound in cursor:
            if isinstance(date_, str):
                date_ = dt.date.fromisoformat(date_)
            voucher_date = cls._voucher_date(company, date_)
            if voucher_date > date:
                # a month is posted once it is over
                continue
            key = (product, voucher_date)
            for portion, value in (('interest', interest),
                    ('penalty', penalty), ('compound', compound)):
                if value:
                    # SQLite sums floats: back to the fen
                    sums[key][(kind_, portion)] += company.currency.round(
                        Decimal(value))
        if not sums:
            return []
        index = Rule.index([company])
        vlist, keys, empty = [], [], []
        for (product_id, voucher_date), amounts in sorted(
                sums.items(), key=lambda i: (i[0][1], i[0][0] or 0)):
            # a loan may have no product (a loan lent before the suite)
            product = Product(product_id) if product_id is not None else None
            product_name = product.rec_name if product else ''
            totals = defaultdict(Decimal)
            order = []
            for (kind_, portion), value in sorted(amounts.items()):
                rule = Rule.find(index, company, product, kind_, portion)
                summary = '%s %s %s' % (
                    rule.summary or '%s %s' % (
                        rule.kind_string, rule.portion_string),
                    product_name, voucher_date)
                for account, _, debit, credit, _ in rule.lines(
                        value * _kind_sign(kind_)):
                    side = 'debit' if debit else 'credit'
                    key = (account, side, summary)
                    if key not in totals:
                        order.append(key)
                    totals[key] += debit or credit
            lines = []
            for account, side, summary in order:
                amount = totals[(account, side, summary)]
                if amount:
                    lines.append((account, None,
                            amount if side == 'debit' else Decimal(0),
                            amount if side == 'credit' else Decimal(0),
                            summary))
            if lines:
                vlist.append(Move.voucher_values(company, voucher_date,
                        gettext('microloan_accounting.msg_accrual_summary',
                            product=product_name, date=voucher_date),
                        lines))
                keys.append((product_id, voucher_date))
            else:
                empty.append((product_id, voucher_date))
        moves = Move.create(vlist) if vlist else []
        for move, key in zip(moves, keys):
            cls._set_aggregated(company, date, key, move, 'voucher')
        for key in empty:
            cls._set_aggregated(company, date, key, None, 'none')
        return moves

    @classmethod
    def _set_aggregated(cls, company, date, key, move, state):
        """Link to move the pending aggregated transactions of product and
        voucher date of key, in one statement"""
        pool = Pool()
        Loan = pool.get('microloan.loan')
        transaction = cls.__table__()
        reversed_ = cls.__table__()
        loan = Loan.__table__()
        cursor = Transaction().connection.cursor()
        product, voucher_date = key
        if company.microloan_accrual_period == 'month':
            start = voucher_date + relativedelta(day=1)
        else:
            start = voucher_date
        kinds = reversed_.select(reversed_.id,
            where=reversed_.kind.in_(list(AGGREGATED)))
        selected = (transaction
            .join(loan, condition=transaction.loan == loan.id)
            .select(transaction.id,
                where=(transaction.ledger_state == 'pending')
                & (transaction.date >= start)
                & (transaction.date <= min(voucher_date, date))
                & (loan.company == company.id)
                & ((loan.product == product) if product is not None
                    else (loan.product == Null))
                & (transaction.kind.in_(list(AGGREGATED))
                    | transaction.reverses.in_(kinds))))
        update = cls.__table__()
        cursor.execute(*update.update(
                [update.move, update.ledger_state],
                [move.id if move else None, state],
                where=update.id.in_(selected)))


class Deposit(metaclass=PoolMeta):
    __name__ = 'microloan.deposit'

    move = fields.Many2One(
        'account.move', "Voucher", readonly=True, ondelete='RESTRICT')
    reversal_move = fields.Many2One(
        'account.move', "Reversal Voucher", readonly=True,
        ondelete='RESTRICT')

    @classmethod
    def copy(cls, deposits, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('move', None)
        default.setdefault('reversal_move', None)
        return super().copy(deposits, default=default)

    @classmethod
    def post_to_ledger(cls, company, date):
        """Make the vouchers of company's deposits received and returned up
        to date, and the red-ink ones of those reversed after their
        voucher (docs/accounting.md, Posting); return them"""
        pool = Pool()
        Move = pool.get('account.move')
        Rule = pool.get('microloan.accounting.rule')
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        deposits = cls.search([
                ('company', '=', company.id),
                ('kind', 'in', ['received', 'returned']),
                ('date', '<=', date),
                ['OR',
                    [('state', '=', 'posted'), ('move', '=', None)],
                    [('state', '=', 'reversed'), ('move', '!=', None),
                        ('reversal_move', '=', None)],
                    ],
                ], order=[('date', 'ASC'), ('id', 'ASC')])
        if not deposits:
            return []
        index = Rule.index([company])
        vlist, todo = [], []
        for deposit in deposits:
            rule = Rule.find(index, company,
                deposit.loan.product if deposit.loan else None,
                'deposit_%s' % deposit.kind, 'amount', loan=deposit.loan)
            sign = -1 if deposit.state == 'reversed' else 1
            fund = deposit.fund_account.account if deposit.fund_account \
                else None
            summary = '%s %s %s' % (
                deposit.kind_string, deposit.number, deposit.party.rec_name)
            lines = [(account, party, debit, credit, summary)
                for account, party, debit, credit, _ in rule.lines(
                    deposit.amount * sign, fund_account=fund,
                    party=deposit.party)]
            description = summary if sign > 0 else gettext(
                'microloan_accounting.msg_reversal_summary',
                summary=summary)
            vlist.append(Move.voucher_values(
                    company, deposit.date, description, lines,
                    origin=deposit))
            todo.append(deposit)
        moves = Move.create(vlist)
        for deposit, move in zip(todo, moves):
            column = (table.reversal_move if deposit.state == 'reversed'
                else table.move)
            cursor.execute(*table.update(
                    [column], [move.id], where=table.id == deposit.id))
        return moves
