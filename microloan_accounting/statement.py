# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Bank statements (银行对账): the host's bank statements matched with the
loans' cash transactions.

docs/accounting.md, Bank statements: a statement journal names the fund
account whose bank it reports; each imported bank line (the statement's
origin) is matched with the loan transactions whose money it carries (a
disbursement or a credit refund paid out, a repayment received), proposed
by fund account, amount, date and voucher reference, or chosen by hand.
The loan postings have already booked the bank account: a matched bank
line gets no statement line and so no move of the statement; it counts as
accounted when the statement is validated and posted.  What is left on
either side up to a date are the outstanding items (未达账项)."""
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from sql import Cast, Null
from sql.conditionals import Coalesce
from sql.operators import Concat, Exists

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from trytond.modules.account_statement.exceptions import (
    StatementValidateError)

from .exceptions import StatementMatchError

# The loan transactions that move money through a fund account; the
# money the bank shows is the opposite of their amount (docs/accounting.md,
# Bank statements): a disbursement (+) and a credit refund (+) go out, a
# repayment (-) comes in
CASH_KINDS = ('disbursement', 'repayment', 'credit_refund')
# The repayment channels that move no money through the bank: a deposit
# applied to arrears is paid from the deposit already held
NON_CASH_CHANNELS = ('deposit',)
# The statement states in which a bank line may be matched or unmatched
MATCHABLE_STATES = {'draft', 'validated'}
TRANSACTION = 'microloan.loan.transaction'


def document_key(table):
    """The SQL key that groups the transactions of one posting: their
    origin document, or the transaction itself when it has none"""
    return Coalesce(table.origin,
        Concat(TRANSACTION + ',', Cast(table.id, 'VARCHAR')))


def transaction_key(transaction):
    "document_key of a transaction record"
    if transaction.origin:
        return str(transaction.origin)
    return '%s,%s' % (TRANSACTION, transaction.id)


def cash_query(transaction, *columns, where):
    """Select columns of the loan transactions (the table transaction) in
    force of CASH_KINDS that move money through the bank, and where"""
    pool = Pool()
    LoanTransaction = pool.get(TRANSACTION)
    Repayment = pool.get('microloan.loan.repayment')
    reversal = LoanTransaction.__table__()
    repayment = Repayment.__table__()
    where &= (transaction.kind.in_(list(CASH_KINDS))
        & ~Exists(reversal.select(reversal.id,
                where=reversal.reverses == transaction.id))
        & ((repayment.id == Null)
            | ~repayment.channel.in_(list(NON_CASH_CHANNELS))))
    return (transaction
        .join(repayment, 'LEFT', condition=transaction.origin == Concat(
                Repayment.__name__ + ',', Cast(repayment.id, 'VARCHAR')))
        .select(*columns, where=where))


def flags(Model, records, name):
    "{id: value} of the Boolean function field name searched by Model"
    ids = set(Model.search([
                ('id', 'in', [r.id for r in records]),
                (name, '=', True),
                ]))
    return {r.id: r in ids for r in records}


def ids_domain(clause, query):
    "The domain of a Boolean searcher whose true records are query's ids"
    _, operator, value = clause
    positive = bool(value) == (operator == '=')
    return [('id', 'in' if positive else 'not in', query)]


class StatementJournal(metaclass=PoolMeta):
    __name__ = 'account.statement.journal'

    microloan_fund_account = fields.Many2One(
        'microloan.fund_account', "Fund Account", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ('currency', '=', Eval('currency', -1)),
            ],
        help="The company's bank account (资金账户) the statements of the "
        "journal report: their bank lines are matched with its loan "
        "transactions.")
    microloan_match_days = fields.Integer(
        "Matching Days", required=True,
        domain=[('microloan_match_days', '>=', 0)],
        help="How many days a bank line's date may differ from a loan "
        "transaction's for the automatic matching.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('microloan_fund_account_unique',
                Unique(t, t.microloan_fund_account),
                'microloan_accounting.msg_statement_journal_fund_account'),
            ]

    @classmethod
    def default_microloan_match_days(cls):
        return 3


class StatementMatch(ModelSQL, ModelView):
    "Bank Line Match"
    __name__ = 'microloan.statement.match'
    __string__ = "Bank Line Match"

    origin = fields.Many2One(
        'account.statement.origin', "Bank Line", required=True,
        readonly=True, ondelete='CASCADE')
    transaction = fields.Many2One(
        TRANSACTION, "Loan Transaction", required=True, readonly=True,
        ondelete='RESTRICT')
    document = fields.Char(
        "Document", required=True, readonly=True,
        help="The document that posted the transaction: its later "
        "transactions (a replay) are matched with it.")
    loan = fields.Function(
        fields.Many2One('microloan.loan', "Loan"), 'get_transaction_field')
    date = fields.Function(
        fields.Date("Date"), 'get_transaction_field')
    kind = fields.Function(
        fields.Char("Transaction Kind"), 'get_transaction_field')
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'get_transaction_field')
    money = fields.Function(
        Monetary("Bank Amount", currency='currency', digits='currency',
            help="The money the bank shows: positive received, negative "
            "paid out."),
        'get_transaction_field')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls.__access__.add('origin')
        cls._sql_constraints += [
            ('transaction_unique', Unique(t, t.transaction),
                'microloan_accounting.msg_statement_match_twice'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.document, Index.Equality())),
                Index(t, (t.origin, Index.Range())),
                })

    def get_transaction_field(self, name):
        transaction = self.transaction
        if name == 'money':
            return -transaction.amount
        if name == 'kind':
            return transaction.kind_string
        value = getattr(transaction, name)
        return value.id if isinstance(value, ModelSQL) else value


class Statement(metaclass=PoolMeta):
    __name__ = 'account.statement'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'microloan_auto_match': {
                    'invisible': ~Eval('state').in_(list(MATCHABLE_STATES)),
                    'depends': ['state'],
                    },
                })

    @property
    def microloan_matched_amount(self):
        "The bank lines matched with loan transactions: booked by the loans"
        return sum((o.amount for o in self.origins if o.microloan_matches),
            Decimal(0))

    def validate_balance(self):
        "The matched bank lines count as accounted (no statement line)"
        matched = self.microloan_matched_amount
        if not matched:
            return super().validate_balance()
        Lang = Pool().get('ir.lang')
        amount = (self.start_balance + matched
            + sum((l.amount for l in self.lines), Decimal(0)))
        if amount != self.end_balance:
            lang = Lang.get()
            raise StatementValidateError(gettext(
                    'account_statement.msg_statement_wrong_end_balance',
                    statement=self.rec_name,
                    end_balance=lang.currency(
                        self.end_balance, self.journal.currency),
                    amount=lang.currency(amount, self.journal.currency)))

    def validate_amount(self):
        "The matched bank lines count as accounted (no statement line)"
        matched = self.microloan_matched_amount
        if not matched:
            return super().validate_amount()
        Lang = Pool().get('ir.lang')
        amount = matched + sum((l.amount for l in self.lines), Decimal(0))
        if amount != self.total_amount:
            lang = Lang.get()
            raise StatementValidateError(gettext(
                    'account_statement.msg_statement_wrong_total_amount',
                    statement=self.rec_name,
                    total_amount=lang.currency(
                        self.total_amount, self.journal.currency),
                    amount=lang.currency(amount, self.journal.currency)))

    @classmethod
    @ModelView.button
    def microloan_auto_match(cls, statements):
        "自动匹配: match the bank lines of statements with loan transactions"
        Origin = Pool().get('account.statement.origin')
        origins = [o for s in statements if s.state in MATCHABLE_STATES
            for o in s.origins]
        Origin.microloan_auto_match(origins)

    @classmethod
    def cancel(cls, statements):
        "A cancelled statement gives its matched transactions back"
        Match = Pool().get('microloan.statement.match')
        super().cancel(statements)
        Match.delete(Match.search([
                    ('origin.statement', 'in', [s.id for s in statements]),
                    ]))


class StatementOrigin(metaclass=PoolMeta):
    __name__ = 'account.statement.origin'

    microloan_matches = fields.One2Many(
        'microloan.statement.match', 'origin', "Loan Transactions",
        readonly=True,
        help="The loan transactions whose money the bank line carries.")
    microloan_matched = fields.Function(
        fields.Boolean("Matched with Loans"), 'get_microloan_matched',
        searcher='search_microloan_matched')
    microloan_outstanding = fields.Function(
        fields.Boolean("Outstanding"), 'get_microloan_outstanding',
        searcher='search_microloan_outstanding')
    microloan_fund_account_mapped = fields.Function(
        fields.Boolean("Fund Account Mapped"), 'get_microloan_mapped')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        matchable = (Eval('statement_state').in_(list(MATCHABLE_STATES))
            & Bool(Eval('microloan_fund_account_mapped')))
        cls._buttons.update({
                'microloan_match_wizard': {
                    'invisible': ~matchable | Bool(Eval('microloan_matches')),
                    'depends': ['statement_state', 'microloan_matches',
                        'microloan_fund_account_mapped'],
                    },
                'microloan_unmatch': {
                    'invisible': (
                        ~Eval('statement_state').in_(list(MATCHABLE_STATES))
                        | ~Eval('microloan_matches')),
                    'depends': ['statement_state', 'microloan_matches'],
                    },
                })

    def get_microloan_mapped(self, name):
        return bool(self.statement.journal.microloan_fund_account)

    @fields.depends('microloan_matches')
    def on_change_with_pending_amount(self, name=None):
        "A matched bank line is accounted by the loan postings"
        if self.microloan_matches:
            return Decimal(0)
        return super().on_change_with_pending_amount(name=name)

    @classmethod
    def search_pending_amount(cls, name, clause):
        _, operator, value = clause
        domain = [('microloan_matched', '=', False),
            super().search_pending_amount(name, clause)]
        holds = {
            '=': lambda v: v == 0, '!=': lambda v: v != 0,
            '>': lambda v: 0 > v, '>=': lambda v: 0 >= v,
            '<': lambda v: 0 < v, '<=': lambda v: 0 <= v,
            }.get(operator)
        if holds and value is not None and holds(value):
            domain = ['OR', domain, ('microloan_matched', '=', True)]
        return domain

    @classmethod
    def get_microloan_matched(cls, origins, name):
        Match = Pool().get('microloan.statement.match')
        matched = {m.origin.id for m in Match.search([
                    ('origin', 'in', [o.id for o in origins]),
                    ])}
        return {o.id: o.id in matched for o in origins}

    @classmethod
    def search_microloan_matched(cls, name, clause):
        Match = Pool().get('microloan.statement.match')
        match = Match.__table__()
        return ids_domain(clause, match.select(match.origin))

    @classmethod
    def get_microloan_outstanding(cls, origins, name):
        return flags(cls, origins, name)

    @classmethod
    def search_microloan_outstanding(cls, name, clause):
        """未达账项 of the bank: the bank lines of statements in force
        on mapped journals, without statement line, not matched with a
        transaction dated up to the context's outstanding_date (all
        when none), and themselves dated up to it"""
        pool = Pool()
        Statement = pool.get('account.statement')
        Journal = pool.get('account.statement.journal')
        Line = pool.get('account.statement.line')
        Match = pool.get('microloan.statement.match')
        LoanTransaction = pool.get(TRANSACTION)
        origin = cls.__table__()
        statement = Statement.__table__()
        journal = Journal.__table__()
        line = Line.__table__()
        match = Match.__table__()
        transaction = LoanTransaction.__table__()
        date = Transaction().context.get('outstanding_date')
        matched_where = match.origin == origin.id
        if date:
            matched_where &= transaction.date <= date
        where = ((statement.state != 'cancelled')
            & (journal.microloan_fund_account != Null)
            & ~Exists(line.select(line.id,
                    where=line.origin == origin.id))
            & ~Exists(match.join(transaction,
                    condition=match.transaction == transaction.id
                    ).select(match.id, where=matched_where)))
        if date:
            where &= origin.date <= date
        return ids_domain(clause, origin
            .join(statement, condition=origin.statement == statement.id)
            .join(journal, condition=statement.journal == journal.id)
            .select(origin.id, where=where))

    @classmethod
    def microloan_cash_items(cls, fund_accounts, start=None, end=None,
            keys=None):
        """Return {(fund account id, document key): [(transaction id,
        date, money, reference)]} of the loan transactions in force of
        CASH_KINDS on fund_accounts, not matched, dated from start to end
        or of the document keys given: one query for them all"""
        pool = Pool()
        LoanTransaction = pool.get(TRANSACTION)
        Match = pool.get('microloan.statement.match')
        transaction = LoanTransaction.__table__()
        match = Match.__table__()
        cursor = Transaction().connection.cursor()
        key = document_key(transaction)
        where = (fields.SQL_OPERATORS['in'](
                transaction.fund_account, [int(a) for a in fund_accounts])
            & ~Exists(match.select(match.id, where=match.document == key)))
        if start:
            where &= transaction.date >= start
        if end:
            where &= transaction.date <= end
        if keys is not None:
            where &= key.in_(list(keys) or [''])
        query = cash_query(transaction,
            transaction.fund_account, key, transaction.id, transaction.date,
            transaction.amount, transaction.reference, where=where)
        query.order_by = [transaction.date, transaction.id]
        cursor.execute(*query)
        items = defaultdict(list)
        for account, key, id_, date, amount, reference in cursor:
            items[account, key].append(
                (id_, date, -Decimal(str(amount)), reference))
        return items

    @classmethod
    def microloan_candidates(cls, origins):
        """Return {origin id: [(score, [transaction ids])]}, best first:
        the unmatched cash items of the origin's fund account with its
        amount, dated within the journal's matching days and, when both
        have one, with its reference (number or in its description)"""
        origins = [o for o in origins if o.microloan_matchable()]
        if not origins:
            return {}
        days = max(o.statement.journal.microloan_match_days for o in origins)
        items = cls.microloan_cash_items(
            {o.statement.journal.microloan_fund_account for o in origins},
            start=min(o.date for o in origins) - dt.timedelta(days=days),
            end=max(o.date for o in origins) + dt.timedelta(days=days))
        by_money = defaultdict(list)
        for (account, _), rows in items.items():
            money = sum((r[2] for r in rows), Decimal(0))
            by_money[account, money].append(rows)
        result = {}
        for origin in origins:
            journal = origin.statement.journal
            candidates = []
            for rows in by_money.get(
                    (journal.microloan_fund_account.id, origin.amount), []):
                distance = abs((rows[0][1] - origin.date).days)
                if distance > journal.microloan_match_days:
                    continue
                same = origin.microloan_same_reference(
                    {r[3] for r in rows if r[3]})
                if same is False:
                    continue
                candidates.append(
                    ((0 if same else 1, distance), [r[0] for r in rows]))
            result[origin.id] = sorted(candidates)
        return result

    def microloan_label(self):
        "The bank line as the messages name it: statement, date, number"
        lang = Pool().get('ir.lang').get()
        return ' '.join(filter(None, [self.statement.rec_name,
                    lang.strftime(self.date),
                    self.number or self.description]))

    def microloan_matchable(self):
        "The bank line may be matched: mapped, in force, not yet accounted"
        return bool(self.statement.state in MATCHABLE_STATES
            and self.statement.journal.microloan_fund_account
            and not self.lines and not self.microloan_matches)

    def microloan_same_reference(self, references):
        """True when a reference is the bank line's number or in its
        description, False when both have some and none is, else None"""
        texts = [t for t in [self.number, self.description] if t]
        if not references or not texts:
            return None
        return any(r == self.number
            or (self.description and r in self.description)
            for r in references)

    @classmethod
    def microloan_auto_match(cls, origins):
        """Match each bank line with its best candidate, the best pairs
        first, a cash item once; return the matches created"""
        candidates = cls.microloan_candidates(origins)
        pairs = sorted((score, origin_id, ids)
            for origin_id, scored in candidates.items()
            for score, ids in scored)
        taken, done, to_match = set(), set(), []
        for _, origin_id, ids in pairs:
            if origin_id in done or taken.intersection(ids):
                continue
            done.add(origin_id)
            taken.update(ids)
            to_match.append((cls(origin_id), ids))
        return cls.microloan_match(to_match)

    @classmethod
    def microloan_match(cls, pairs):
        """Match each origin of pairs [(origin, transaction ids)] with the
        cash items of the transactions: checked all before any is saved;
        return the matches"""
        pool = Pool()
        Match = pool.get('microloan.statement.match')
        LoanTransaction = pool.get(TRANSACTION)
        if not pairs:
            return []
        cls.lock([o for o, _ in pairs])
        transactions = LoanTransaction.browse(
            list({int(t) for _, ids in pairs for t in ids}))
        items = cls.microloan_cash_items(
            {t.fund_account for t in transactions if t.fund_account},
            keys={transaction_key(t) for t in transactions})
        by_key = {k: rows for (_, k), rows in items.items()}
        vlist, used = [], set()
        for origin, ids in pairs:
            origin = cls(int(origin))
            origin.check_microloan_matchable()
            chosen = [t for t in LoanTransaction.browse(list(map(int, ids)))]
            if not chosen:
                raise StatementMatchError(gettext(
                        'microloan_accounting.msg_statement_match_empty',
                        origin=origin.microloan_label()))
            keys = {transaction_key(t) for t in chosen}
            account = origin.statement.journal.microloan_fund_account
            for transaction in chosen:
                key = transaction_key(transaction)
                if (key not in by_key or key in used
                        or transaction.fund_account != account
                        or transaction.id not in {
                            r[0] for r in by_key[key]}):
                    raise StatementMatchError(gettext(
                            'microloan_accounting'
                            '.msg_statement_match_transaction',
                            origin=origin.microloan_label(),
                            transaction=transaction.rec_name,
                            account=account.rec_name))
            used |= keys
            # the whole posting of each document (docs/accounting.md)
            rows = [r + (k,) for k in sorted(keys) for r in by_key[k]]
            money = sum((r[2] for r in rows), Decimal(0))
            if money != origin.amount:
                lang = pool.get('ir.lang').get()
                currency = origin.statement.journal.currency
                raise StatementMatchError(gettext(
                        'microloan_accounting.msg_statement_match_amount',
                        origin=origin.microloan_label(),
                        amount=lang.currency(origin.amount, currency),
                        money=lang.currency(money, currency)))
            vlist += [{
                    'origin': origin.id,
                    'transaction': r[0],
                    'document': r[4],
                    } for r in rows]
        return Match.create(vlist)

    def check_microloan_matchable(self):
        "Refuse to match a bank line that cannot be (matchable)"
        if self.statement.state not in MATCHABLE_STATES:
            raise StatementMatchError(gettext(
                    'microloan_accounting.msg_statement_match_state',
                    origin=self.microloan_label(),
                    statement=self.statement.rec_name))
        if not self.statement.journal.microloan_fund_account:
            raise StatementMatchError(gettext(
                    'microloan_accounting.msg_statement_match_journal',
                    origin=self.microloan_label(),
                    journal=self.statement.journal.rec_name))
        if self.microloan_matches:
            raise StatementMatchError(gettext(
                    'microloan_accounting.msg_statement_match_matched',
                    origin=self.microloan_label()))
        if self.lines:
            raise StatementMatchError(gettext(
                    'microloan_accounting.msg_statement_match_lines',
                    origin=self.microloan_label()))

    @classmethod
    @ModelView.button_action('microloan_accounting.wizard_statement_match')
    def microloan_match_wizard(cls, origins):
        pass

    @classmethod
    @ModelView.button
    def microloan_unmatch(cls, origins):
        "取消匹配: the bank lines' transactions may be matched again"
        Match = Pool().get('microloan.statement.match')
        for origin in origins:
            if origin.statement.state not in MATCHABLE_STATES:
                raise StatementMatchError(gettext(
                        'microloan_accounting.msg_statement_match_state',
                        origin=origin.microloan_label(),
                        statement=origin.statement.rec_name))
        Match.delete([m for o in origins for m in o.microloan_matches])


class StatementLine(metaclass=PoolMeta):
    __name__ = 'account.statement.line'

    @classmethod
    def validate(cls, lines):
        "A bank line matched with loans gets no statement line"
        super().validate(lines)
        for line in lines:
            if line.origin and line.origin.microloan_matches:
                raise StatementMatchError(gettext(
                        'microloan_accounting.msg_statement_line_matched',
                        origin=line.origin.microloan_label()))


class LoanTransaction(metaclass=PoolMeta):
    __name__ = TRANSACTION

    statement_origin = fields.Function(
        fields.Many2One('account.statement.origin', "Bank Line"),
        'get_statement_origin')
    bank_outstanding = fields.Function(
        fields.Boolean("Outstanding"), 'get_bank_outstanding',
        searcher='search_bank_outstanding')

    @classmethod
    def get_statement_origin(cls, transactions, name):
        "The bank line matched with the transaction or its document"
        Match = Pool().get('microloan.statement.match')
        keys = {t.id: transaction_key(t) for t in transactions}
        origins = {}
        for sub_keys in grouped_slice(list(set(keys.values()))):
            for match in Match.search([('document', 'in', list(sub_keys))]):
                origins[match.document] = match.origin.id
        return {i: origins.get(k) for i, k in keys.items()}

    @classmethod
    def get_bank_outstanding(cls, transactions, name):
        return flags(cls, transactions, name)

    @classmethod
    def search_bank_outstanding(cls, name, clause):
        """未达账项 of the company: the cash transactions in force on fund
        accounts mapped to a statement journal that no bank line dated up
        to the context's outstanding_date matches (none at all without
        it), and themselves dated up to it"""
        pool = Pool()
        Journal = pool.get('account.statement.journal')
        Match = pool.get('microloan.statement.match')
        Origin = pool.get('account.statement.origin')
        transaction = cls.__table__()
        journal = Journal.__table__()
        match = Match.__table__()
        origin = Origin.__table__()
        date = Transaction().context.get('outstanding_date')
        matched_where = match.document == document_key(transaction)
        if date:
            matched_where &= origin.date <= date
        where = (Exists(journal.select(journal.id,
                    where=journal.microloan_fund_account
                    == transaction.fund_account))
            & ~Exists(match.join(origin, condition=match.origin == origin.id
                    ).select(match.id, where=matched_where)))
        if date:
            where &= transaction.date <= date
        return ids_domain(
            clause, cash_query(transaction, transaction.id, where=where))


class OutstandingContext(ModelView):
    "Outstanding Items Context"
    __name__ = 'microloan.statement.outstanding.context'

    outstanding_date = fields.Date(
        "Up to Date",
        help="The items dated up to this day and not matched by then.")

    @classmethod
    def default_outstanding_date(cls):
        return Pool().get('ir.date').today()


class MatchStart(ModelView):
    "Match Loan Transactions"
    __name__ = 'microloan.statement.match.start'

    origin = fields.Many2One(
        'account.statement.origin', "Bank Line", readonly=True)
    date = fields.Date("Date", readonly=True)
    currency = fields.Many2One('currency.currency', "Currency", readonly=True)
    amount = Monetary(
        "Amount", currency='currency', digits='currency', readonly=True)
    description = fields.Char("Description", readonly=True)
    fund_account = fields.Many2One(
        'microloan.fund_account', "Fund Account", readonly=True)
    transactions = fields.Many2Many(
        TRANSACTION, None, None, "Loan Transactions", required=True,
        domain=[
            ('fund_account', '=', Eval('fund_account', -1)),
            ('bank_outstanding', '=', True),
            ],
        help="The loan transactions whose money the bank line carries: "
        "proposed by amount, date and reference; their bank amounts must "
        "sum to the line's.")
    total = Monetary(
        "Bank Amount of the Transactions", currency='currency',
        digits='currency', readonly=True)

    @fields.depends('transactions', 'currency')
    def on_change_with_total(self):
        total = sum((-t.amount for t in self.transactions
                if t.amount is not None), Decimal(0))
        return self.currency.round(total) if self.currency else total


class Match(Wizard):
    "Match Loan Transactions"
    __name__ = 'microloan.statement.match'

    start = StateView('microloan.statement.match.start',
        'microloan_accounting.statement_match_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Match", 'match_', 'tryton-ok', default=True),
            ])
    match_ = StateTransition()

    def default_start(self, fields):
        Origin = Pool().get('account.statement.origin')
        origin = self.record
        origin.check_microloan_matchable()
        candidates = Origin.microloan_candidates([origin]).get(origin.id)
        transactions = candidates[0][1] if candidates else []
        return {
            'origin': origin.id,
            'date': origin.date,
            'currency': origin.statement.journal.currency.id,
            'amount': origin.amount,
            'description': origin.description,
            'fund_account': (
                origin.statement.journal.microloan_fund_account.id),
            'transactions': transactions,
            }

    def transition_match_(self):
        Origin = Pool().get('account.statement.origin')
        Origin.microloan_match(
            [(self.record, [t.id for t in self.start.transactions])])
        return 'end'
