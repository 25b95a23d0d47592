# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Loan (借据): one drawdown with its repayment schedule, its state and its
balances.

The loan keeps its terms (``TermsMixin``, terms.py); the schedule is
computed by the plain-Python engine (``engine/``) and stored as
installments.  The money events on the loan are its transactions
(loan_transaction.py): its balances are sums over them and its state
follows them.  The terms are frozen once the loan leaves draft; each module
that links the loan to a document of its own (product, credit line,
blacklist override, contract, disbursement) adds its field next to that
document and its frozen fields through ``_frozen_fields``.
"""
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

from . import engine
from .engine import servicing as rules
from .exceptions import LoanStateError, LoanTermsError
from .loan_transaction import PORTIONS
from .terms import APR_DIGITS, TermsMixin
from .tools import numbered
from .workflow import DraftDocumentMixin, freeze_out_of_draft

LOAN_STATES = [
    ('draft', "Draft"),
    ('disbursing', "Disbursing"),
    ('active', "Active"),
    ('closed', "Closed"),
    ]
# The five-level classification (五级分类), engine.servicing.CLASSES
CLASSIFICATIONS = [
    ('normal', "Normal"),
    ('special_mention', "Special Mention"),
    ('substandard', "Substandard"),
    ('doubtful', "Doubtful"),
    ('loss', "Loss"),
    ]
INSTALLMENT_STATES = [
    ('pending', "Pending"),
    ('due', "Due"),
    ('partial', "Partially Paid"),
    ('paid', "Paid"),
    ('overdue', "Overdue"),
    ]
# The transactions the servicing posts from the loan's events: replaced by
# reversals and new ones when a backdated event changes them (rule 7)
SERVICED_KINDS = ('repayment', 'penalty', 'accrual')
# Changing one of these fields makes the stored schedule stale: it is cleared.
TERM_FIELDS = {
    'principal', 'annual_rate', 'start_date', 'term_months', 'method',
    'basis', 'plan_lines', 'upfront_fees'}


class Loan(TermsMixin, DraftDocumentMixin, ModelSQL, ModelView):
    "Loan"
    __name__ = 'microloan.loan'
    __string__ = "Loan"
    _rec_name = 'number'
    _terms_amount = 'principal'
    _deletable_states = {'draft'}
    _state_error = LoanStateError

    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={
            'readonly': Eval('id', -1) >= 0,
            })
    borrower = fields.Many2One(
        'party.party', "Borrower", required=True,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    principal = Monetary(
        "Principal", currency='currency', digits='currency', required=True,
        help="The amount actually lent.")
    start_date = fields.Date(
        "Value Date", required=True,
        help="The disbursement date from which interest runs.")
    plan_lines = fields.One2Many(
        'microloan.loan.plan_line', 'loan', "Repayment Plan",
        states={
            'invisible': Eval('method') != 'free',
            })
    maturity_date = fields.Function(
        fields.Date("Maturity Date"), 'get_maturity_date')
    installments = fields.One2Many(
        'microloan.loan.installment', 'loan', "Schedule", readonly=True)
    total_interest = fields.Function(Monetary(
            "Total Interest", currency='currency', digits='currency'),
        'get_totals')
    total_due = fields.Function(Monetary(
            "Total Due", currency='currency', digits='currency'),
        'get_totals')
    upfront_fees = Monetary(
        "Upfront Fees", currency='currency', digits='currency',
        domain=[('upfront_fees', '>=', 0)],
        help="Fees the borrower pays at signing, counted in the "
        "annualized cost.")
    apr_simple = fields.Numeric(
        "Annualized Cost (Simple)", digits=APR_DIGITS, readonly=True,
        help="Comprehensive annualized cost by the IRR method: 12 x the "
        "monthly IRR.")
    apr_compound = fields.Numeric(
        "Annualized Cost (Compound)", digits=APR_DIGITS, readonly=True,
        help="Comprehensive annualized cost by the IRR method: "
        "(1 + monthly IRR)^12 - 1.")
    state = fields.Selection(
        LOAN_STATES, "State", readonly=True, required=True, sort=False,
        help="Draft while the terms may change; disbursing once a "
        "disbursement is requested; active from its disbursement "
        "transaction on; closed when nothing is owed any more.")
    state_string = state.translated('state')
    settlement_date = fields.Date(
        "Settlement Date", readonly=True,
        help="The day the servicing rules found everything paid (结清日).")
    transactions = fields.One2Many(
        'microloan.loan.transaction', 'loan', "Transactions", readonly=True)
    principal_balance = fields.Function(Monetary(
            "Outstanding Principal", currency='currency', digits='currency'),
        'get_balances')
    interest_balance = fields.Function(Monetary(
            "Outstanding Interest", currency='currency', digits='currency'),
        'get_balances')
    fees_balance = fields.Function(Monetary(
            "Outstanding Fees", currency='currency', digits='currency'),
        'get_balances')
    penalty_balance = fields.Function(Monetary(
            "Outstanding Penalty Interest", currency='currency',
            digits='currency'),
        'get_balances')
    fees_charged = fields.Function(Monetary(
            "Fees Charged", currency='currency', digits='currency'),
        'get_balances')
    disbursed_amount = fields.Function(Monetary(
            "Disbursed Amount", currency='currency', digits='currency'),
        'get_balances')

    days_past_due = fields.Function(fields.Integer(
            "Days Past Due",
            help="Days since the oldest installment due with anything "
            "unpaid, at the end of the servicing date (today unless the "
            "context gives one)."),
        'get_servicing')
    classification = fields.Function(fields.Selection(
            CLASSIFICATIONS + [(None, "")], "Five-Level Class", sort=False,
            help="By days past due, with the bands of the settings."),
        'get_servicing')
    classification_string = classification.translated('classification')
    amount_due = fields.Function(Monetary(
            "Amount Due", currency='currency', digits='currency',
            help="What is owed of the installments and fees due, penalty "
            "and compound interest included."),
        'get_servicing')
    penalty_due = fields.Function(Monetary(
            "Penalty Interest Due", currency='currency', digits='currency'),
        'get_servicing')
    compound_due = fields.Function(Monetary(
            "Compound Interest Due", currency='currency', digits='currency'),
        'get_servicing')
    payoff_amount = fields.Function(Monetary(
            "Settlement Amount", currency='currency', digits='currency',
            help="What settles the loan on the servicing date: the amount "
            "due and the principal not yet due."),
        'get_servicing')
    compound_balance = fields.Function(Monetary(
            "Outstanding Compound Interest", currency='currency',
            digits='currency'),
        'get_balances')
    credit_balance = fields.Function(Monetary(
            "Customer Credit", currency='currency', digits='currency',
            help="Overpayments kept for the customer."),
        'get_balances')

    # Balance field -> key of LoanTransaction.balances
    _balance_fields = {
        'principal_balance': 'principal',
        'interest_balance': 'interest',
        'fees_balance': 'fees',
        'penalty_balance': 'penalty',
        'compound_balance': 'compound',
        'credit_balance': 'credit',
        'fees_charged': 'fees_charged',
        'disbursed_amount': 'disbursed',
        }

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('start_date', 'DESC'))
        cls._order.insert(1, ('id', 'DESC'))
        cls._buttons.update({
                'compute_schedule': {
                    'icon': 'tryton-refresh',
                    'readonly': Eval('state') != 'draft',
                    'depends': ['method', 'state'],
                    },
                'bring_up_to_date': {
                    'invisible': Eval('state') != 'active',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def __post_setup__(cls):
        super().__post_setup__()
        # what the draft-document rule freezes
        cls._draft_fields = cls._frozen_fields()
        # the frozen fields are read-only out of draft, whichever module
        # added them (the terms are already: TermsMixin)
        terms = set(cls._terms_fields())
        freeze_out_of_draft(cls._fields[n]
            for n in cls._frozen_fields() - terms
            if n in cls._fields and not cls._fields[n].readonly)

    @classmethod
    def _frozen_fields(cls):
        """The fields that change only while the loan is a draft: each
        module that adds such a field extends the set"""
        return TERM_FIELDS | {'company', 'borrower'}

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_method():
        return 'equal_installment'

    @staticmethod
    def default_basis():
        return 'month'

    @staticmethod
    def default_term_months():
        return 12

    @staticmethod
    def default_start_date():
        return Pool().get('ir.date').today()

    @staticmethod
    def default_upfront_fees():
        return Decimal(0)

    @staticmethod
    def default_state():
        return 'draft'

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends('method', 'start_date', 'term_months', 'plan_lines')
    def on_change_with_maturity_date(self, name=None):
        if self.method == 'free':
            dates = [l.date for l in self.plan_lines or [] if l.date]
            return max(dates) if dates else None
        if self.start_date and self.term_months and self.term_months > 0:
            return engine.add_months(self.start_date, self.term_months)

    def get_maturity_date(self, name):
        "The last due date of the schedule in force once out of draft"
        if self.state != 'draft' and self.installments:
            return self.installments[-1].due_date
        return self.on_change_with_maturity_date()

    @classmethod
    def get_totals(cls, loans, names):
        result = {n: {l.id: Decimal(0) for l in loans} for n in names}
        for loan in loans:
            for installment in loan.installments:
                if 'total_interest' in result:
                    result['total_interest'][loan.id] += installment.interest
                if 'total_due' in result:
                    result['total_due'][loan.id] += installment.total
        return result

    @classmethod
    def get_balances(cls, loans, names):
        "The balances of loans from their transactions, in one query"
        Transaction_ = Pool().get('microloan.loan.transaction')
        with without_check_access():
            balances = Transaction_.balances(loans)
        result = {name: {
                l.id: balances[l.id][cls._balance_fields[name]]
                for l in loans}
            for name in names}
        if 'credit_balance' in result:
            # the credit is shown as what the company holds for the customer
            result['credit_balance'] = {
                k: -v for k, v in result['credit_balance'].items()}
        return result

    @classmethod
    def update_state(cls, loans):
        """Set the state of loans from their transactions and events:
        active once a disbursement is in force, closed when the servicing
        rules find everything paid (rule 8); otherwise what
        _undisbursed_states says (draft by default)"""
        Transaction_ = Pool().get('microloan.loan.transaction')
        balances = Transaction_.balances(loans)
        disbursed = [l for l in loans if balances[l.id]['disbursed']]
        undisbursed = cls._undisbursed_states(
            [l for l in loans if not balances[l.id]['disbursed']])
        servicing = cls.servicing(disbursed)
        to_write = defaultdict(list)
        newly = []
        for loan in loans:
            settled_on = None
            if loan.id in servicing:
                settled = (servicing[loan.id].is_settled()
                    and not balances[loan.id]['principal'])
                state = 'closed' if settled else 'active'
                if settled:
                    settled_on = servicing[loan.id].settled_on
            else:
                state = undisbursed[loan.id]
            if (loan.state, loan.settlement_date) != (state, settled_on):
                to_write[state, settled_on].append(loan)
                if state == 'closed' and loan.state != 'closed':
                    newly.append(loan.id)
        if to_write:
            args = []
            for (state, settled_on), records in to_write.items():
                args.extend((records,
                        {'state': state, 'settlement_date': settled_on}))
            # the state is the loan's own bookkeeping, whoever posts
            with without_check_access():
                cls.write(*args)
            if newly:
                cls.settled(cls.browse(newly))

    @classmethod
    def settled(cls, loans):
        """Hook called with the loans that have just settled (结清): core
        tells the borrower's loan officer that the settlement certificate
        can be printed; other modules extend it (the guarantee module
        offers the collateral for release)"""
        pool = Pool()
        User = pool.get('res.user')
        Notification = pool.get('res.notification')
        Lang = pool.get('ir.lang')
        vlist = []
        with without_check_access():
            officers = {l.borrower.loan_officer for l in loans} - {None}
            users = defaultdict(list)
            for user in User.search([
                        ('employees', 'in', [o.id for o in officers])]):
                for employee in user.employees:
                    users[employee].append(user)
            for loan in loans:
                for user in users[loan.borrower.loan_officer]:
                    language = user.language.code if user.language else None
                    lang = Lang.get(language)
                    args = (language,) if language else ()
                    vlist.append({
                            'user': user.id,
                            'label': gettext(
                                'microloan_core.msg_loan_settled_notice',
                                *args, loan=loan.rec_name,
                                date=lang.strftime(loan.settlement_date)),
                            'description': loan.borrower.rec_name,
                            'model': cls.__name__,
                            'records': '[%d]' % loan.id,
                            })
            if vlist:
                Notification.create(vlist)

    # Servicing (docs/servicing.md): the loan's events replayed by the
    # rules of engine/servicing.py
    @classmethod
    def servicing_date(cls):
        "The date the servicing figures are for: the context's or today"
        return (Transaction().context.get('servicing_date')
            or Pool().get('ir.date').today())

    def servicing_settings(self):
        "The engine's servicing settings of the loan"
        return rules.Settings(
            rate_micro=engine.to_rate_micro(self.annual_rate),
            prepay=self.servicing_prepay)

    def servicing_schedule(self):
        """The schedule the servicing starts from (fen): the installments
        in force, or the terms' schedule when events changed it since (they
        replay from it)"""
        if self.rescheduled():
            rows, = self.schedules([self])
        else:
            rows = [i.engine_row() for i in self.installments]
        return [self.servicing_row(r) for r in rows]

    def rescheduled(self):
        """Whether events of the loan change its schedule: each module
        whose events may do so extends it"""
        return False

    @staticmethod
    def servicing_row(row):
        """An engine schedule row (Decimal yuan) as servicing takes it
        (fen), keeping the row for the recalculations"""
        return {
            'seq': row['seq'],
            'due_date': row['due_date'],
            'period_start': row['period_start'],
            'period_end': row['period_end'],
            'principal': engine.decimal_to_fen(row['principal']),
            'interest': engine.decimal_to_fen(row['interest']),
            'row': row,
            }

    def servicing_prepay(self, installments, date, amount, mode):
        """The schedule in force (engine servicing installments) after a
        prepayment of amount fen of principal on date, as servicing rows:
        the engine's recalculation at the rate in force"""
        terms = dict(self.schedule_terms(),
            annual_rate=self.rate_in_force(date))
        return [self.servicing_row(r) for r in engine.prepay(
                terms, [i.row for i in installments], date,
                engine.fen_to_decimal(amount), mode)]

    def rate_in_force(self, date):
        "The contract rate on date: each module that changes it extends it"
        return self.annual_rate

    @classmethod
    def _servicing_events(cls, loans):
        """Return {loan id: [(engine Event, transaction values)]}: the money
        events of loans that the servicing replays, with what the
        transactions they post carry besides their amounts (origin, fund
        account, reference).  Core gives the fees charged on their own;
        each module that adds an event extends it."""
        Transaction_ = Pool().get('microloan.loan.transaction')
        events = {l.id: [] for l in loans}
        for fee in Transaction_.in_force(loans, ['fee']):
            events[fee.loan.id].append((rules.Event(
                        fee.date, 'fee', engine.decimal_to_fen(fee.fees),
                        sequence=(fee.posted_at, 'fee', fee.id),
                        key=str(fee)), {}))
        return events

    @classmethod
    def servicing(cls, loans, date=None, checkpoints=None, events=None):
        """Return {loan id: engine Servicing at the end of date} of loans
        (each at its last event or checkpoint when no date is given;
        checkpoints:
        {loan id: dates} where charges are recorded)"""
        if events is None:
            events = cls._servicing_events(loans)
        checkpoints = checkpoints or {}
        result = {}
        for loan in loans:
            loan_events = [e for e, _ in events[loan.id]]
            # a checkpoint after the last event (计息至今日) is reached too
            until = date or max(
                [e.date for e in loan_events] + [loan.start_date]
                + list(checkpoints.get(loan.id, ())))
            result[loan.id] = rules.replay(
                loan.servicing_schedule(), loan.servicing_settings(),
                loan_events, until, checkpoints.get(loan.id, ()))
        return result

    @classmethod
    def get_servicing(cls, loans, names):
        pool = Pool()
        Configuration = pool.get('microloan.configuration')
        date = cls.servicing_date()
        result = {n: {l.id: None for l in loans} for n in names}
        serviced = [l for l in loans
            if l.state in {'active', 'closed'} and l.start_date <= date]
        with without_check_access():
            servicing = cls.servicing(serviced, date)
        bands = Configuration(1).classification_bands
        for loan in serviced:
            state = servicing[loan.id]
            dpd = state.days_past_due
            figures = {
                'days_past_due': dpd,
                'classification': rules.classify(dpd, bands),
                'amount_due': state.due_outstanding(),
                'penalty_due': state.totals('outstanding')['penalty'],
                'compound_due': state.totals('outstanding')['compound'],
                'payoff_amount': state.payoff(),
                }
            for name in names:
                value = figures[name]
                if name not in {'days_past_due', 'classification'}:
                    value = engine.fen_to_decimal(value)
                result[name][loan.id] = value
        return result

    @classmethod
    def lock(cls, records=None):
        """Lock the loans for the transaction: two tellers posting on one
        loan go one after the other, the second reading what the first
        committed.

        On PostgreSQL the loans' rows are updated (to what they are): a
        second transaction waits for the first, and when the first has
        committed, its isolation (repeatable read) refuses the update of a
        row changed since its snapshot, so the host runs its request again
        from a fresh one.  (The host's own lock restarts the transaction
        locking NOWAIT, for a fraction of a second only.)"""
        if records is None or backend.name != 'postgresql':
            return super().lock(records)
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        for sub_ids in grouped_slice(sorted({int(r) for r in records})):
            cursor.execute(*table.update(
                    [table.write_date], [table.write_date],
                    where=table.id.in_(list(sub_ids))))

    @classmethod
    def replay(cls, loans, date=None):
        """Post what the servicing rules make of the loans' events: the
        allocation of each repayment, and the penalty, compound interest
        and accrued interest charged up to each repayment's date and to
        date when given (each cumulative since the value date, so a
        charge is the difference of two rounded totals).

        The transactions already posted that the rules no longer give (a
        backdated event, a reversal) are reversed on their own date and the
        right ones posted: never edited (rule 7).  The loans are locked
        first: two tellers never allocate the same money twice."""
        pool = Pool()
        Transaction_ = pool.get('microloan.loan.transaction')
        with without_check_access():
            cls.lock(loans)
            loans = cls.browse(loans)
            to_reverse, to_post = [], []
            for reverse, post in cls.replay_differences(
                    loans, date).values():
                to_reverse += reverse
                to_post += post
            if to_reverse:
                Transaction_.reverse(to_reverse, update_state=False)
            if to_post:
                Transaction_.post(to_post, update_state=False)
            cls.store_schedules_in_force(loans)
            cls.update_state(loans)
            cls.check_credit_held(loans)

    @classmethod
    def check_credit_held(cls, loans):
        """Refuse loans whose customer's credit was refunded or transferred
        beyond what the repayments in force leave (a reversal of the
        overpayment it came from)"""
        pool = Pool()
        Transaction_ = pool.get('microloan.loan.transaction')
        Lang = pool.get('ir.lang')
        balances = Transaction_.balances(loans)
        for loan in loans:
            if balances[loan.id]['credit'] > 0:
                lang = Lang.get()
                raise LoanStateError(gettext(
                        'microloan_core.msg_loan_credit_overdrawn',
                        loan=loan.rec_name,
                        amount=lang.currency(
                            balances[loan.id]['credit'], loan.currency)))

    @classmethod
    def store_schedules_in_force(cls, loans):
        """Store as installments the schedule the events of rescheduled
        loans leave in force, where it is not stored yet"""
        loans = [l for l in loans if l.rescheduled()]
        servicing = cls.servicing(loans)
        to_store = []
        for loan in loans:
            rows = [i.row for i in servicing[loan.id].installments]
            if rows != [i.engine_row() for i in loan.installments]:
                to_store.append((loan, rows))
        if to_store:
            cls.store_installments(*zip(*to_store))

    @classmethod
    def replay_differences(cls, loans, date=None):
        """Return {loan id: (the transactions in force to reverse, the
        values of those to post)} that bring loans to what their events
        give (see replay); both empty for a loan up to date"""
        Transaction_ = Pool().get('microloan.loan.transaction')
        events = cls._servicing_events(loans)
        posted = defaultdict(list)
        for transaction in Transaction_.in_force(loans, SERVICED_KINDS):
            posted[transaction.loan.id].append(transaction)
        checkpoints = {}
        for loan in loans:
            marks = {e.date for e, _ in events[loan.id]
                if e.kind == 'repayment'}
            marks |= {t.date for t in posted[loan.id]
                if t.kind != 'repayment'}
            if date and date >= loan.start_date:
                marks.add(date)
            checkpoints[loan.id] = marks
        servicing = cls.servicing(
            loans, checkpoints=checkpoints, events=events)
        return {loan.id: _difference(posted[loan.id],
                loan._serviced_values(servicing[loan.id], events[loan.id]))
            for loan in loans}

    @classmethod
    @ModelView.button
    def bring_up_to_date(cls, loans):
        """计息至今日: post the penalty, compound and accrued interest of
        active loans up to today"""
        cls.check_states(loans, {'active'},
            'microloan_core.msg_loan_not_active')
        cls.replay(loans, Pool().get('ir.date').today())

    def _serviced_values(self, servicing, events):
        """Return the values of the transactions the servicing gives: the
        charges of each checkpoint, then the repayments' allocations (with
        the values events, [(Event, values)], give their transactions)"""
        values = []
        previous = (0, 0, 0)
        for date in sorted(servicing.charged):
            charged = servicing.charged[date]
            penalty, compound, accrued = (
                engine.fen_to_decimal(c - p)
                for c, p in zip(charged, previous))
            previous = charged
            if penalty or compound:
                values.append(self._serviced_transaction(
                        date, 'penalty', penalty=penalty, compound=compound))
            if accrued:
                values.append(self._serviced_transaction(
                        date, 'accrual', interest=accrued))
        extra = {e.key: v for e, v in events}
        for allocation in servicing.allocations:
            portions = {c: -engine.fen_to_decimal(a)
                for c, a in allocation.totals.items()}
            portions['credit'] = -engine.fen_to_decimal(
                allocation.overpayment)
            values.append(self._serviced_transaction(
                    allocation.date, 'repayment', **portions,
                    **extra.get(allocation.key, {})))
        return values

    def _serviced_transaction(self, date, kind, **values):
        "The values of a transaction the servicing posts on the loan"
        values.update(loan=self.id, date=date, kind=kind)
        values['amount'] = sum(
            (values.get(p, Decimal(0)) for p in PORTIONS), Decimal(0))
        return values

    @classmethod
    def _undisbursed_states(cls, loans):
        "Return {loan id: state} of loans without disbursement in force"
        return {l.id: 'draft' for l in loans}

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            values, = numbered([values], 'sequence_loan')
        return values

    @classmethod
    def _checked_fields(cls):
        """The fields whose new values check_new_loans checks: each module
        that adds a check extends the set"""
        return set()

    @classmethod
    def check_new_loans(cls, loans):
        """Refuse loans as they will be once created or written (unsaved
        instances, with their id when written): the hook of the checks
        against other documents, run before anything is written"""

    @classmethod
    def create(cls, vlist):
        # the host validates after the insert: new loans are checked before
        # it, so that a refused batch leaves nothing behind
        names = cls._checked_fields()
        pending = []
        for values in vlist:
            data = dict.fromkeys(names)
            data.update(cls.default_get(
                    [n for n in names if n not in values],
                    with_rec_name=False))
            data.update({n: values[n] for n in names if n in values})
            pending.append(cls(**data))
        cls.check_new_loans(pending)
        return super().create(vlist)

    @classmethod
    def check_modification(cls, mode, loans, values=None, external=False):
        super().check_modification(
            mode, loans, values=values, external=external)
        if mode == 'write' and values.keys() & cls._checked_fields():
            changes = {n: values[n] for n in cls._checked_fields()
                if n in values}
            cls.check_new_loans([cls(l.id, **changes) for l in loans])

    @classmethod
    def on_write(cls, loans, values):
        callbacks = super().on_write(loans, values)
        if TERM_FIELDS & values.keys():
            # the stored schedule is stale
            callbacks.append(lambda: cls.clear_schedule(cls.browse(loans)))
        return callbacks

    @classmethod
    def check_terms_open(cls, loans):
        "Refuse new terms or schedules for loans out of draft"
        cls.check_states(loans, {'draft'},
            'microloan_core.msg_document_not_draft')

    @classmethod
    def clear_schedule(cls, loans):
        "Remove the schedule of loans whose terms changed"
        Installment = Pool().get('microloan.loan.installment')
        # Installments are read-only for every role: only the loan writes them.
        with without_check_access():
            Installment.delete([i for l in loans for i in l.installments])
            cls.write(loans, {'apr_simple': None, 'apr_compound': None})

    @classmethod
    def copy(cls, loans, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('number', None)
        default.setdefault('installments', None)
        default.setdefault('apr_simple', None)
        default.setdefault('apr_compound', None)
        default.setdefault('state', 'draft')
        default.setdefault('transactions', None)
        return super().copy(loans, default=default)

    @classmethod
    def validate_fields(cls, loans, field_names):
        super().validate_fields(loans, field_names)
        if field_names & {
                'method', 'principal', 'start_date', 'plan_lines'}:
            for loan in loans:
                loan.check_plan()

    def check_plan(self):
        "Check that a free repayment plan is usable for the loan"
        if self.method != 'free':
            return
        lang = Pool().get('ir.lang').get()
        seen = set()
        for line in self.plan_lines:
            if line.date <= self.start_date or line.date in seen:
                raise LoanTermsError(gettext(
                        'microloan_core.msg_loan_plan_date',
                        loan=self.rec_name,
                        date=lang.strftime(line.date),
                        start_date=lang.strftime(self.start_date)))
            seen.add(line.date)
        plan_total = sum((l.amount for l in self.plan_lines), Decimal(0))
        if plan_total != self.principal:
            raise LoanTermsError(gettext(
                    'microloan_core.msg_loan_plan_total',
                    loan=self.rec_name,
                    plan_total=lang.currency(plan_total, self.currency),
                    principal=lang.currency(self.principal, self.currency)))

    @classmethod
    @ModelView.button
    def compute_schedule(cls, loans):
        "Replace the installments of the loans by a freshly computed schedule"
        cls.check_terms_open(loans)
        cls.store_schedules(loans)

    @classmethod
    def store_schedules(cls, loans, schedules=None):
        """Store the schedules of the loans (computed in one engine call
        unless given) as their installments, with their annualised cost"""
        if schedules is None:
            schedules = cls.schedules(loans)
        cls.clear_schedule(loans)
        to_write = []
        for loan, schedule in zip(loans, schedules):
            cost = loan.disclosed_cost(schedule, upfront=loan.upfront_fees)
            to_write.extend(([loan], {
                        'apr_simple': cost['simple'],
                        'apr_compound': cost['compound'],
                        }))
        cls.store_installments(loans, schedules)
        if to_write:
            with without_check_access():
                cls.write(*to_write)

    @classmethod
    def store_installments(cls, loans, schedules):
        """Make the engine schedules (lists of rows) the installments of
        loans, in place of theirs (the cost disclosed at signing stays)"""
        Installment = Pool().get('microloan.loan.installment')
        with without_check_access():
            Installment.delete(Installment.search([
                        ('loan', 'in', [l.id for l in loans])]))
            Installment.create([Installment.values_from_engine(loan, row)
                    for loan, schedule in zip(loans, schedules)
                    for row in schedule])

    @classmethod
    def take_value_dates(cls, dates):
        """Give loans under disbursement the value date of their payment,
        {loan: date}, and their schedule from it.

        The value date is known only once the money is out: it is the one
        term that changes out of draft, and only through this method, which
        the disbursement calls when its payment is re-checked."""
        cls.check_states(list(dates), {'disbursing'},
            'microloan_core.msg_document_not_draft')
        # checked before anything is written: the loans on their new date
        # pass what a value date must pass (plan, contract, credit line...)
        pending = [cls(l.id, start_date=d) for l, d in dates.items()]
        cls.validate_fields(pending, {'start_date'})
        cls.check_new_loans(pending)
        schedules = cls.schedules(pending)
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        by_date = defaultdict(list)
        for loan, date in dates.items():
            if loan.start_date != date:
                by_date[date].append(loan.id)
        for date, ids in by_date.items():
            for sub_ids in grouped_slice(ids, backend.MAX_QUERY_PARAMS):
                cursor.execute(*table.update(
                        [table.start_date, table.write_uid, table.write_date],
                        [date, Transaction().user, dt.datetime.now()],
                        where=fields.SQL_OPERATORS['in'](table.id, sub_ids)))
        # through the ORM: drops what the transaction cached of the loans
        cls.clear_schedule(list(dates))
        cls.store_schedules(cls.browse(list(dates)), schedules)

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('//page[@name="transactions"]', 'states', {
                    'invisible': Eval('state') == 'draft',
                    }),
            ('//page[@id="servicing"]', 'states', {
                    'invisible': Eval('state') == 'draft',
                    }),
            ]


def _difference(posted, wanted):
    """Return (the posted transactions to reverse, the values to post) so
    that what is in force is exactly wanted"""
    def key(values):
        return (values['kind'], values['date'], values.get('origin') or None,
            tuple(values.get(p) or Decimal(0) for p in PORTIONS))

    pending = defaultdict(list)
    for values in wanted:
        pending[key(values)].append(values)
    to_reverse = []
    for transaction in posted:
        found = pending.get(key({
                    'kind': transaction.kind,
                    'date': transaction.date,
                    'origin': (str(transaction.origin)
                        if transaction.origin else None),
                    **{p: getattr(transaction, p) for p in PORTIONS},
                    }))
        if found:
            found.pop()
        else:
            to_reverse.append(transaction)
    return to_reverse, [v for vs in pending.values() for v in vs]


class LoanPlanLine(ModelSQL, ModelView):
    "Loan Repayment Plan Line"
    __name__ = 'microloan.loan.plan_line'
    __string__ = "Loan Repayment Plan Line"

    loan = fields.Many2One(
        'microloan.loan', "Loan", required=True, ondelete='CASCADE')
    date = fields.Date("Date", required=True)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    amount = Monetary(
        "Principal", currency='currency', digits='currency', required=True,
        domain=[('amount', '>', 0)])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('loan')
        cls._order = [('loan', 'ASC'), ('date', 'ASC'), ('id', 'ASC')]

    @fields.depends('loan', '_parent_loan.company')
    def on_change_with_currency(self, name=None):
        if self.loan and self.loan.company:
            return self.loan.company.currency


class ScheduleRowMixin:
    """A row of a repayment schedule as the engine gives it: number, due
    date, days, principal, interest, total and the balance after it (the
    model gives its currency)"""
    __slots__ = ()
    # the engine row keys the model stores, besides these
    _engine_keys = ()

    seq = fields.Integer("No.", required=True)
    due_date = fields.Date("Due Date", required=True)
    days = fields.Integer("Days", required=True)
    principal = Monetary(
        "Principal", currency='currency', digits='currency', required=True)
    interest = Monetary(
        "Interest", currency='currency', digits='currency', required=True)
    total = Monetary(
        "Total", currency='currency', digits='currency', required=True)
    balance = Monetary(
        "Balance", currency='currency', digits='currency', required=True,
        help="Principal outstanding after this installment.")

    @classmethod
    def engine_keys(cls):
        "The keys of an engine row the model stores"
        return ('seq', 'due_date', 'days', 'principal', 'interest', 'total',
            'balance') + cls._engine_keys

    @classmethod
    def engine_values(cls, row):
        "Return the values of the fields of an engine row"
        return {k: row[k] for k in cls.engine_keys()}

    def engine_row(self):
        "The row as the engine gives it (the inverse of engine_values)"
        return {k: getattr(self, k) for k in self.engine_keys()}


class LoanInstallment(ScheduleRowMixin, ModelSQL, ModelView):
    "Loan Installment"
    __name__ = 'microloan.loan.installment'
    __string__ = "Loan Installment"
    _engine_keys = ('period_start', 'period_end')

    loan = fields.Many2One(
        'microloan.loan', "Loan", required=True, ondelete='CASCADE')
    period_start = fields.Date("Period Start", required=True)
    period_end = fields.Date("Period End", required=True)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    # what befell the installment up to the servicing date (the loan's)
    fees = fields.Function(Monetary(
            "Fees", currency='currency', digits='currency'), 'get_dues')
    penalty = fields.Function(Monetary(
            "Penalty Interest", currency='currency', digits='currency',
            help="Charged up to the servicing date."), 'get_dues')
    compound = fields.Function(Monetary(
            "Compound Interest", currency='currency', digits='currency',
            help="Charged up to the servicing date."), 'get_dues')
    principal_paid = fields.Function(Monetary(
            "Principal Paid", currency='currency', digits='currency'),
        'get_dues')
    interest_paid = fields.Function(Monetary(
            "Interest Paid", currency='currency', digits='currency'),
        'get_dues')
    paid = fields.Function(Monetary(
            "Paid", currency='currency', digits='currency',
            help="Every component paid: fees, penalty and compound "
            "interest, interest and principal."), 'get_dues')
    waived = fields.Function(Monetary(
            "Waived", currency='currency', digits='currency'), 'get_dues')
    outstanding = fields.Function(Monetary(
            "Outstanding", currency='currency', digits='currency',
            help="What is still owed of the installment, penalty and "
            "compound interest included."), 'get_dues')
    installment_state = fields.Function(fields.Selection(
            INSTALLMENT_STATES + [(None, "")], "Installment State",
            sort=False), 'get_dues')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # read by whoever reads the loan (its record rules: own customers,
        # the branch, head office; loan.xml)
        cls.__access__.add('loan')
        cls._order = [('loan', 'ASC'), ('seq', 'ASC'), ('id', 'ASC')]

    @classmethod
    def check_modification(cls, mode, installments, values=None,
            external=False):
        super().check_modification(
            mode, installments, values=values, external=external)
        # the loan's access lets its writers through: only the loan writes
        # its schedule, no user (read-only for every role, loan.xml)
        if external:
            raise AccessError(gettext(
                    'microloan_core.msg_installment_read_only'))

    @fields.depends('loan', '_parent_loan.company')
    def on_change_with_currency(self, name=None):
        if self.loan and self.loan.company:
            return self.loan.company.currency

    def get_rec_name(self, name):
        return '%s/%s' % (self.loan.rec_name, self.seq)

    @classmethod
    def get_dues(cls, installments, names):
        "The installments' figures from their loans' servicing, by seq"
        Loan = Pool().get('microloan.loan')
        date = Loan.servicing_date()
        result = {n: {i.id: None for i in installments} for n in names}
        loans = {i.loan for i in installments
            if i.loan.state in {'active', 'closed'}}
        with without_check_access():
            servicing = Loan.servicing(list(loans), date)
        for installment in installments:
            state = servicing.get(installment.loan.id)
            if not state:
                continue
            inst = next((i for i in state.installments
                    if i.seq == installment.seq), None)
            if inst is None:
                continue
            figures = {
                'fees': inst.fees,
                'penalty': state.penalty(inst),
                'compound': state.compound(inst),
                'principal_paid': inst.paid.get('principal', 0),
                'interest_paid': inst.paid.get('interest', 0),
                'paid': sum(inst.paid.values()),
                'waived': sum(inst.waived.values()),
                'outstanding': sum(state.outstanding(inst, c)
                    for c in rules.COMPONENTS),
                }
            for name in names:
                if name == 'installment_state':
                    result[name][installment.id] = (
                        state.installment_state(inst))
                else:
                    result[name][installment.id] = engine.fen_to_decimal(
                        figures[name])
        return result

    @classmethod
    def values_from_engine(cls, loan, row):
        "Return the create values of an engine installment row of loan"
        return dict(cls.engine_values(row), loan=loan.id)
