# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Changes to a loan (贷款变更): prepayment (提前还款), extension (展期),
rate change (利率调整), interest waiver (免息), termination (贷款终止), and
the customer's credit refunded (退款) or transferred to income (人工转收入),
and interest refunded (退息) to his credit.

A loan officer drafts the change with its value date and reason; on
request its new schedule is computed by the engine's recalculations
(engine/recalc.py, from the schedule in force) and it goes through the
approval flow of loan changes where one matches (by product, branch or
amount), at once otherwise.  Once approved the change is applied: the
loan's schedule in force becomes the change's, and the loan's servicing
replays its events with the change among them (docs/servicing.md): the
installments due before the value date stay as they were, paid or not.
A prepayment is an installment due on its value date: the cashier then
posts the repayment that pays it.  A termination makes the whole
outstanding principal, with its interest to the value date, due on that
date (the engine's prepayment of the whole balance).  The customer's
credit (an overpayment kept for him) is refunded from a fund account or
transferred to income, each a loan transaction of its own posted when the
change is applied, also on a closed loan.
"""
import datetime as dt
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.transaction import without_check_access

from . import engine
from .approval import ApprovalMixin
from .engine import servicing as rules
from .exceptions import LoanChangeError
from .loan import ScheduleRowMixin
from .terms import RATE_DIGITS
from .workflow import NumberedDocumentMixin, checked_transition, set_actor

KINDS = [
    ('prepayment', "Prepayment"),
    ('extension', "Extension"),
    ('rate_change', "Rate Change"),
    ('waiver', "Interest Waiver"),
    ('termination', "Termination"),
    ('credit_refund', "Credit Refund"),
    ('credit_income', "Credit to Income"),
    ('interest_refund', "Interest Refund"),
    ]
# The kinds that give the loan a new schedule
RESCHEDULING = {'prepayment', 'extension', 'rate_change', 'termination'}
# The kinds that post one loan transaction of the same kind on the
# customer's credit when applied, also on a closed loan: taking it off
# (refunded to him, transferred to income) or adding to it (interest paid
# given back: 退息, then refunded or kept for him)
CREDIT_KINDS = {'credit_refund', 'credit_income', 'interest_refund'}
# The kinds whose amount is entered
WITH_AMOUNT = ['prepayment', 'waiver'] + sorted(CREDIT_KINDS)
STATES = [
    ('draft', "Draft"),
    ('pending', "Pending Approval"),
    ('applied', "Applied"),
    ('rejected', "Rejected"),
    ('cancelled', "Cancelled"),
    ]
PREPAYMENT_MODES = [
    (engine.KEEP_TERM, "Keep the Term (Lower Installments)"),
    (engine.KEEP_INSTALLMENT, "Keep the Installment (Shorter Term)"),
    ]
WAIVABLE = [
    ('interest', "Interest"),
    ('penalty', "Penalty Interest"),
    ('compound', "Compound Interest"),
    ]


class LoanChange(ApprovalMixin, NumberedDocumentMixin, Workflow, ModelSQL,
        ModelView):
    "Loan Change"
    __name__ = 'microloan.loan.change'
    __string__ = "Loan Change"
    _sequence = 'sequence_loan_change'
    _actor_steps = ('requested', 'applied')
    _copy_reset = ('lines', 'rate_before')
    _approval_action = 'microloan_core.act_loan_change_form'

    _states = {
        'readonly': Eval('state') != 'draft',
        }

    number = fields.Char("Change Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    loan = fields.Many2One(
        'microloan.loan', "Loan", required=True, ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            If(Eval('state') == 'draft',
                If(Eval('kind').in_(sorted(CREDIT_KINDS)),
                    ('state', 'in', ['active', 'closed']),
                    ('state', '=', 'active')),
                ()),
            ],
        states=_states, depends={'kind'})
    borrower = fields.Function(
        fields.Many2One('party.party', "Borrower",
            context={
                'company': Eval('company', -1),
                },
            depends={'company'}),
        'on_change_with_borrower', searcher='search_borrower')
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    kind = fields.Selection(
        KINDS, "Change", required=True, sort=False, states=_states)
    kind_string = kind.translated('kind')
    date = fields.Date(
        "Value Date", required=True, states=_states,
        help="The day the change takes effect on the loan.")
    amount = Monetary(
        "Amount", currency='currency', digits='currency',
        domain=[If(Eval('kind').in_(WITH_AMOUNT),
                ('amount', '>', 0), ())],
        states={
            'readonly': Eval('state') != 'draft',
            'required': Eval('kind').in_(WITH_AMOUNT),
            'invisible': ~Eval('kind').in_(WITH_AMOUNT),
            },
        help="The principal prepaid, the amount waived, the customer's "
        "credit refunded or transferred to income, or the interest "
        "refunded.")
    fund_account = fields.Many2One(
        'microloan.fund_account', "Fund Account",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('currency', '=', Eval('currency', -1)),
            ],
        states={
            'readonly': Eval('state') != 'draft',
            'required': Eval('kind') == 'credit_refund',
            'invisible': Eval('kind') != 'credit_refund',
            },
        help="The account the credit is refunded from.")
    prepayment_mode = fields.Selection(
        PREPAYMENT_MODES, "Prepayment Mode", sort=False,
        states={
            'readonly': Eval('state') != 'draft',
            'required': Eval('kind') == 'prepayment',
            'invisible': Eval('kind') != 'prepayment',
            })
    months = fields.Integer(
        "Extension (Months)",
        domain=[If(Eval('kind') == 'extension', ('months', '>', 0), ())],
        states={
            'readonly': Eval('state') != 'draft',
            'required': Eval('kind') == 'extension',
            'invisible': Eval('kind') != 'extension',
            })
    new_rate = fields.Numeric(
        "New Annual Rate", digits=RATE_DIGITS,
        domain=[If(Eval('new_rate', None) != None,  # noqa: E711
                [('new_rate', '>=', 0), ('new_rate', '<', 1)], [])],
        states={
            'readonly': Eval('state') != 'draft',
            'required': Eval('kind') == 'rate_change',
            'invisible': ~Eval('kind').in_(['rate_change', 'extension']),
            },
        help="The annual rate from the value date; for an extension, "
        "empty to keep the rate.")
    component = fields.Selection(
        [(None, "")] + WAIVABLE, "Waived", sort=False,
        states={
            'readonly': Eval('state') != 'draft',
            'required': Eval('kind') == 'waiver',
            'invisible': Eval('kind') != 'waiver',
            })
    installment = fields.Many2One(
        'microloan.loan.installment', "Installment",
        domain=[('loan', '=', Eval('loan', -1))],
        states={
            'readonly': Eval('state') != 'draft',
            'invisible': Eval('kind') != 'waiver',
            },
        help="The installment waived; empty for the oldest due first.")
    reason = fields.Text("Reason", required=True, states=_states)
    rate_before = fields.Numeric(
        "Rate before", digits=RATE_DIGITS, readonly=True)
    lines = fields.One2Many(
        'microloan.loan.change.line', 'change', "New Schedule",
        readonly=True)
    requested_by = fields.Many2One(
        'company.employee', "Requested by", readonly=True)
    requested_user = fields.Many2One(
        'res.user', "Requested by User", readonly=True)
    requested_at = fields.DateTime("Requested at", readonly=True)
    applied_at = fields.DateTime("Applied at", readonly=True)
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')

    del _states

    _draft_fields = {
        'company', 'loan', 'kind', 'date', 'amount', 'prepayment_mode',
        'months', 'new_rate', 'component', 'installment', 'reason',
        'fund_account'}
    _state_error = LoanChangeError

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'pending'),
            ('draft', 'applied'),
            ('pending', 'applied'),
            ('pending', 'rejected'),
            ('pending', 'draft'),
            ('draft', 'cancelled'),
            }
        cls._buttons.update({
                'request': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_date():
        return Pool().get('ir.date').today()

    @staticmethod
    def default_kind():
        return 'prepayment'

    @staticmethod
    def default_prepayment_mode():
        return engine.KEEP_TERM

    @fields.depends('loan')
    def on_change_with_borrower(self, name=None):
        return self.loan.borrower if self.loan else None

    @classmethod
    def search_borrower(cls, name, clause):
        return [('loan.borrower',) + tuple(clause[1:])]

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @classmethod
    @ModelView.button
    @checked_transition('cancelled')
    @Workflow.transition('cancelled')
    def cancel(cls, changes):
        "Withdraw a draft change"

    @classmethod
    @ModelView.button
    @checked_transition('pending')
    @set_actor('requested')
    def request(cls, changes):
        """变更申请: check the change, compute the loan's new schedule and
        ask for approval (applied at once without a matching flow)"""
        cls.prepare(changes)
        cls.request_approval(cls.browse(changes))

    @classmethod
    def prepare(cls, changes):
        """Check the changes and store the new schedule of their loans (the
        loans locked)"""
        Line = Pool().get('microloan.loan.change.line')
        Loan = Pool().get('microloan.loan')
        with without_check_access():
            Loan.lock(Loan.browse(list({c.loan.id for c in changes})))
        to_create = []
        for change in changes:
            change.check_requestable()
            rate, schedule = change.new_schedule()
            cls.write([change], {'rate_before': rate})
            to_create.extend(dict(Line.engine_values(row), change=change.id)
                for row in schedule or [])
        with without_check_access():
            Line.delete([l for c in changes for l in c.lines])
            Line.create(to_create)

    def check_requestable(self):
        """Refuse a change of a loan that is not active, dated before the
        loan or an applied change of it, an extension after maturity"""
        pool = Pool()
        Lang = pool.get('ir.lang')
        lang = Lang.get()
        loan = self.loan
        states = {'active', 'closed'} if self.kind in CREDIT_KINDS else {
            'active'}
        if loan.state not in states:
            raise LoanChangeError(gettext(
                    'microloan_core.msg_loan_change_loan_state',
                    change=self.rec_name, loan=loan.rec_name,
                    state=loan.state_string))
        if self.kind in CREDIT_KINDS:
            self.check_credit()
            return
        last = max([c.date for c in loan.applied_changes()]
            + [loan.start_date])
        if self.date < last:
            raise LoanChangeError(gettext(
                    'microloan_core.msg_loan_change_date',
                    change=self.rec_name, date=lang.strftime(self.date),
                    last=lang.strftime(last)))
        if self.kind == 'extension' and self.date >= loan.maturity_date:
            raise LoanChangeError(gettext(
                    'microloan_core.msg_loan_change_extension_maturity',
                    change=self.rec_name,
                    maturity=lang.strftime(loan.maturity_date)))
        if self.kind == 'termination' and self.date >= loan.maturity_date:
            raise LoanChangeError(gettext(
                    'microloan_core.msg_loan_change_termination_maturity',
                    change=self.rec_name,
                    maturity=lang.strftime(loan.maturity_date)))

    def check_credit(self):
        """Refuse taking off more than the customer's credit on the loan,
        or refunding more interest than was paid and not refunded yet"""
        pool = Pool()
        Lang = pool.get('ir.lang')
        Loan = pool.get('microloan.loan')
        LoanTransaction = pool.get('microloan.loan.transaction')
        if self.kind == 'interest_refund':
            transactions = LoanTransaction.in_force(
                [self.loan], ['repayment', 'interest_refund'])
            paid = -sum((t.interest for t in transactions
                    if t.kind == 'repayment'), Decimal(0))
            refunded = -sum((t.credit for t in transactions
                    if t.kind == 'interest_refund'), Decimal(0))
            if self.amount > paid - refunded:
                lang = Lang.get()
                raise LoanChangeError(gettext(
                        'microloan_core.msg_loan_change_interest_refund',
                        change=self.rec_name,
                        amount=lang.currency(
                            self.amount, self.loan.currency),
                        loan=self.loan.rec_name,
                        paid=lang.currency(
                            paid - refunded, self.loan.currency)))
            return
        credit = Loan(self.loan.id).credit_balance
        if self.amount > credit:
            lang = Lang.get()
            raise LoanChangeError(gettext(
                    'microloan_core.msg_loan_change_credit',
                    change=self.rec_name,
                    amount=lang.currency(self.amount, self.loan.currency),
                    loan=self.loan.rec_name,
                    credit=lang.currency(credit, self.loan.currency)))

    def new_schedule(self):
        """Return (the rate in force before the change, the loan's schedule
        after it: None for a waiver), by the engine's recalculations"""
        pool = Pool()
        Lang = pool.get('ir.lang')
        loan = self.loan
        rate = loan.rate_in_force(self.date)
        if self.kind not in RESCHEDULING:
            return rate, None
        terms = dict(loan.schedule_terms(), annual_rate=rate)
        schedule = [i.engine_row() for i in loan.installments]
        try:
            if self.kind == 'prepayment':
                return rate, engine.prepay(terms, schedule, self.date,
                    self.amount, self.prepayment_mode)
            elif self.kind == 'termination':
                return rate, engine.prepay(terms, schedule, self.date,
                    loan.scheduled_balance(self.date), engine.KEEP_TERM)
            elif self.kind == 'extension':
                return rate, engine.extend(terms, schedule, self.date,
                    self.months, self.new_rate)
            return rate, engine.change_rate(
                terms, schedule, self.date, self.new_rate)
        except engine.TermsError as error:
            lang = Lang.get()
            raise LoanChangeError(gettext(
                    'microloan_core.msg_loan_change_refused',
                    change=self.rec_name,
                    outstanding=lang.currency(
                        loan.scheduled_balance(self.date), loan.currency),
                    )) from error

    def approval_parties(self):
        return [self.loan.borrower]

    def approval_context(self):
        return {
            'company': self.company,
            'branch': self.loan.borrower.branch,
            'product': self.loan.product,
            'amount': self.amount or self.loan.principal,
            }

    def approval_summary(self):
        "What a decision on the change needs (the step form)"
        summary = super().approval_summary()
        summary.update({
                'customer': self.loan.borrower.rec_name,
                'currency': self.currency.id if self.currency else None,
                'amount': self.amount or self.loan.principal,
                'product': self.loan.product.id if self.loan.product
                else None,
                })
        return summary

    @classmethod
    @Workflow.transition('pending')
    def approval_submitted(cls, changes):
        pass

    @classmethod
    def approval_approved(cls, changes):
        "Apply the approved changes to their loans"
        pool = Pool()
        Loan = pool.get('microloan.loan')
        LoanTransaction = pool.get('microloan.loan.transaction')
        # applied before the loans replay their events, the change among
        cls.write(changes, {
                'state': 'applied',
                'applied_at': dt.datetime.now(),
                })
        credits = [c for c in changes if c.kind in CREDIT_KINDS]
        fees = [v for c in changes for v in c.fee_transaction_values()]
        with without_check_access():
            if fees:
                LoanTransaction.post(fees)
            if credits:
                # checked again: a repayment may have used it since
                Loan.lock(Loan.browse(list({c.loan.id for c in credits})))
                for change in credits:
                    change.check_credit()
                LoanTransaction.post(
                    [c.credit_transaction_values() for c in credits])
            # the replay stores the schedule the changes leave in force
            Loan.replay(Loan.browse(list({c.loan.id for c in changes})))

    @classmethod
    @Workflow.transition('rejected')
    def approval_rejected(cls, changes):
        pass

    @classmethod
    @Workflow.transition('draft')
    def approval_returned(cls, changes):
        pass

    @classmethod
    @Workflow.transition('draft')
    def approval_withdrawn(cls, changes):
        pass

    def fee_transaction_values(self):
        """The values of the fee transactions a prepayment charges: the
        product's fees charged on prepayment, on the principal prepaid"""
        product = self.loan.product
        if self.kind != 'prepayment' or not product:
            return []
        return [{
                'loan': self.loan.id,
                'date': self.date,
                'kind': 'fee',
                'amount': amount,
                'fees': amount,
                'origin': str(self),
                'reference': self.number,
                } for _, amount in product.fee_amounts(
                    self.amount, 'prepayment') if amount]

    def credit_transaction_values(self):
        """The values of the loan transaction taking the credit off, or
        adding the interest refunded to it"""
        amount = -self.amount if self.kind == 'interest_refund' else (
            self.amount)
        return {
            'loan': self.loan.id,
            'date': self.date,
            'kind': self.kind,
            'amount': amount,
            'credit': amount,
            'fund_account': (self.fund_account.id
                if self.fund_account else None),
            'origin': str(self),
            'reference': self.number,
            }

    def servicing_events(self, original):
        """The engine events of the applied change: its new schedule from
        its date (and the penalty rate that follows the new rate), or
        its waiver"""
        sequence = (self.applied_at or dt.datetime.max, 'change', self.id)
        events = []
        if self.lines:
            events.append(rules.Event(self.date, 'schedule',
                    sequence=sequence, key=str(self),
                    installments=tuple(original.servicing_row(
                            l.engine_row()) for l in self.lines)))
        if self.new_rate is not None:
            events.append(rules.Event(self.date, 'rate', sequence=sequence,
                    key=str(self),
                    rate_micro=engine.to_rate_micro(self.new_rate)))
        if self.kind == 'waiver':
            events.append(rules.Event(self.date, 'waiver',
                    engine.decimal_to_fen(self.amount), sequence=sequence,
                    key=str(self), component=self.component,
                    seq=self.installment.seq if self.installment else None))
        return events


class LoanChangeLine(ScheduleRowMixin, ModelSQL, ModelView):
    "Loan Change Schedule Line"
    __name__ = 'microloan.loan.change.line'
    __string__ = "Loan Change Schedule Line"
    _engine_keys = ('period_start', 'period_end')

    change = fields.Many2One(
        'microloan.loan.change', "Change", required=True,
        ondelete='CASCADE')
    period_start = fields.Date("Period Start", required=True)
    period_end = fields.Date("Period End", required=True)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('change')
        cls._order = [('change', 'ASC'), ('seq', 'ASC'), ('id', 'ASC')]

    @fields.depends('change', '_parent_change.company')
    def on_change_with_currency(self, name=None):
        if self.change and self.change.company:
            return self.change.company.currency


class ApprovalFlow(metaclass=PoolMeta):
    __name__ = 'microloan.approval.flow'

    @classmethod
    def _get_documents(cls):
        return super()._get_documents() + ['microloan.loan.change']


class LoanTransaction(metaclass=PoolMeta):
    __name__ = 'microloan.loan.transaction'

    @classmethod
    def _get_origins(cls):
        return super()._get_origins() + ['microloan.loan.change']


class Loan(metaclass=PoolMeta):
    __name__ = 'microloan.loan'

    changes = fields.One2Many(
        'microloan.loan.change', 'loan', "Changes", readonly=True)

    def applied_changes(self):
        "The applied changes of the loan in the order they take effect"
        return sorted((c for c in self.changes if c.state == 'applied'),
            key=lambda c: (c.date, c.applied_at or dt.datetime.max, c.id))

    def rate_in_force(self, date):
        "The contract rate on date, after the changes applied before it"
        rate = super().rate_in_force(date)
        for change in self.applied_changes():
            if change.date <= date and change.new_rate is not None:
                rate = change.new_rate
        return rate

    def scheduled_balance(self, date):
        "The principal the schedule in force leaves after date"
        balance = self.principal
        for installment in self.installments:
            if installment.due_date <= date:
                balance = installment.balance
        return balance

    def rescheduled(self):
        return super().rescheduled() or bool(self.applied_changes())

    @classmethod
    def _servicing_events(cls, loans):
        events = super()._servicing_events(loans)
        for loan in loans:
            for change in loan.applied_changes():
                events[loan.id].extend(
                    (e, {}) for e in change.servicing_events(loan))
        return events

    @classmethod
    def copy(cls, loans, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('changes', None)
        return super().copy(loans, default=default)

