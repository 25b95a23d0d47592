# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Repayments (还款单): money a borrower pays on a loan.

A cashier enters the repayment (value date, amount, fund account, channel,
payer, voucher) and posts it.  The loan's servicing (Loan.replay,
docs/servicing.md) then allocates it by the product's rules, oldest due
first, with the penalty and compound interest charged up to its date;
what remains after everything due is the customer's credit.  A repayment
keyed in late, or reversed (红字冲销, by another user than the one who
posted it), replays the loan's later allocations: the transactions that
change are reversed and posted again, never edited.
"""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access

from . import engine
from .engine import servicing as rules
from .exceptions import RepaymentError
from .workflow import NumberedDocumentMixin, checked_transition, set_actor

STATES = [
    ('draft', "Draft"),
    ('posted', "Posted"),
    ('reversed', "Reversed"),
    ]
CHANNELS = [
    ('cash', "Cash"),
    ('transfer', "Bank Transfer"),
    ('online', "Online Payment"),
    ('auto_debit', "Auto-Debit"),
    ]
OVERPAYMENTS = [
    ('credit', "Keep as Customer Credit"),
    ('prepay_term', "Prepay Principal, Keep the Term"),
    ('prepay_installment', "Prepay Principal, Keep the Installment"),
    ]
# How each overpayment choice prepays (engine.recalc modes)
PREPAY_MODES = {
    'prepay_term': engine.KEEP_TERM,
    'prepay_installment': engine.KEEP_INSTALLMENT,
    }
# The methods whose installment a prepayment can keep (engine.recalc)
AMORTISING = {'equal_installment', 'equal_principal', 'free'}


class Repayment(NumberedDocumentMixin, Workflow, ModelSQL, ModelView):
    "Repayment"
    __name__ = 'microloan.loan.repayment'
    __string__ = "Repayment"
    _sequence = 'sequence_repayment'
    _actor_steps = ('posted', 'reversed')
    _copy_reset = ('transactions',)

    _states = {
        'readonly': Eval('state') != 'draft',
        }

    number = fields.Char("Repayment Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    loan = fields.Many2One(
        'microloan.loan', "Loan", required=True, ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            If(Eval('state') == 'draft',
                ('state', '=', 'active'),
                ()),
            ],
        states=_states)
    borrower = fields.Function(
        fields.Many2One('party.party', "Borrower",
            context={
                'company': Eval('company', -1),
                },
            depends={'company'}),
        'on_change_with_borrower', searcher='search_borrower')
    currency = fields.Many2One(
        'currency.currency', "Currency", required=True, states=_states,
        help="The currency the money came in: the loan's.")
    date = fields.Date(
        "Repayment Date", required=True, states=_states,
        help="The day the money came in: the repayment takes effect on "
        "the loan that day.")
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True,
        domain=[('amount', '>', 0)], states=_states)
    fund_account = fields.Many2One(
        'microloan.fund_account', "Fund Account", required=True,
        ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            If(Eval('state') == 'draft',
                ('active', '=', True),
                ()),
            ],
        states=_states,
        help="The company account the money came into.")
    channel = fields.Selection(
        CHANNELS, "Channel", required=True, sort=False, states=_states)
    channel_string = channel.translated('channel')
    payer = fields.Char(
        "Payer", required=True, states=_states,
        help="Who paid: the borrower or someone on his behalf.")
    reference = fields.Char(
        "Voucher Reference", states=_states,
        help="The bank voucher or receipt number of the money received.")
    overpayment = fields.Selection(
        OVERPAYMENTS, "Overpayment", required=True, sort=False,
        states=_states,
        help="What becomes of the amount left once everything due is "
        "paid: the customer's credit, or a prepayment of principal (with "
        "its interest when the day falls inside a period) that lowers the "
        "installments or shortens the term.")
    comment = fields.Text("Comment")
    principal = fields.Function(Monetary(
            "Principal", currency='currency', digits='currency'),
        'get_allocation')
    interest = fields.Function(Monetary(
            "Interest", currency='currency', digits='currency'),
        'get_allocation')
    fees = fields.Function(Monetary(
            "Fees", currency='currency', digits='currency'),
        'get_allocation')
    penalty = fields.Function(Monetary(
            "Penalty Interest", currency='currency', digits='currency'),
        'get_allocation')
    compound = fields.Function(Monetary(
            "Compound Interest", currency='currency', digits='currency'),
        'get_allocation')
    credit = fields.Function(Monetary(
            "Customer Credit", currency='currency', digits='currency',
            help="What was left once everything due was paid."),
        'get_allocation')
    posted_by = fields.Many2One(
        'company.employee', "Posted by", readonly=True)
    posted_user = fields.Many2One(
        'res.user', "Posted by User", readonly=True)
    posted_at = fields.DateTime("Posted at", readonly=True)
    reversed_by = fields.Many2One(
        'company.employee', "Reversal Made by", readonly=True)
    reversed_user = fields.Many2One(
        'res.user', "Reversed by User", readonly=True)
    reversed_at = fields.DateTime("Reversed at", readonly=True)
    transactions = fields.One2Many(
        'microloan.loan.transaction', 'origin', "Transactions",
        readonly=True)
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')

    del _states

    _draft_fields = {
        'company', 'loan', 'currency', 'date', 'amount', 'fund_account',
        'channel', 'payer', 'reference', 'overpayment'}
    _deletable_states = {'draft'}
    _state_error = RepaymentError

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'posted'),
            ('posted', 'reversed'),
            }
        cls._buttons.update({
                'post': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'reverse': {
                    'invisible': Eval('state') != 'posted',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_currency(cls):
        Company = Pool().get('company.company')
        company = cls.default_company()
        if company is not None and company >= 0:
            return Company(company).currency.id

    @staticmethod
    def default_date():
        return Pool().get('ir.date').today()

    @staticmethod
    def default_channel():
        return 'transfer'

    @staticmethod
    def default_overpayment():
        return 'credit'

    @fields.depends('loan')
    def on_change_with_borrower(self, name=None):
        return self.loan.borrower if self.loan else None

    @classmethod
    def search_borrower(cls, name, clause):
        return [('loan.borrower',) + tuple(clause[1:])]

    @fields.depends('loan', 'payer', 'amount', 'date')
    def on_change_loan(self):
        if not self.loan:
            return
        if not self.payer:
            self.payer = self.loan.borrower.rec_name
        if self.amount is None and self.loan.state == 'active':
            # what is due on the value date, as a first proposal
            Loan = Pool().get('microloan.loan')
            with Transaction().set_context(servicing_date=self.date):
                due = Loan(self.loan.id).amount_due
            self.amount = due or None

    @classmethod
    def get_allocation(cls, repayments, names):
        "What each repayment paid, from its repayment transaction in force"
        LoanTransaction = Pool().get('microloan.loan.transaction')
        result = {n: {r.id: None for r in repayments} for n in names}
        with without_check_access():
            for transaction in LoanTransaction.in_force(
                    {r.loan.id for r in repayments}, ['repayment']):
                origin = transaction.origin
                if (isinstance(origin, cls) and origin.id in
                        result[names[0]]):
                    for name in names:
                        result[name][origin.id] = origin.currency.round(
                            -getattr(transaction, name))
        return result

    @classmethod
    def on_write(cls, repayments, values):
        callbacks = super().on_write(repayments, values)
        if values.get('state') in {'posted', 'reversed'}:
            # the loans' allocations follow their posted repayments
            callbacks.append(lambda: cls._replay_loans(repayments))
        return callbacks

    @classmethod
    def _replay_loans(cls, repayments):
        Loan = Pool().get('microloan.loan')
        Loan.replay(Loan.browse(list({r.loan.id for r in repayments})))

    @classmethod
    @ModelView.button
    @checked_transition('posted')
    @Workflow.transition('posted')
    @set_actor('posted')
    def post(cls, repayments):
        "收款: the money is in; the loans allocate it once posted"
        Loan = Pool().get('microloan.loan')
        with without_check_access():
            # two tellers on one loan: the second waits for the first
            # (Loan.lock)
            Loan.lock(Loan.browse(list({r.loan.id for r in repayments})))
        for repayment in repayments:
            repayment.check_postable()

    def check_postable(self):
        """Refuse a repayment on a loan that is not active, in another
        currency, dated before the disbursement or in the future, or into
        a fund account that cannot take it"""
        pool = Pool()
        Lang = pool.get('ir.lang')
        Date = pool.get('ir.date')
        lang = Lang.get()
        loan = self.loan
        if loan.state != 'active':
            raise RepaymentError(gettext(
                    'microloan_core.msg_repayment_loan_state',
                    repayment=self.rec_name,
                    loan=loan.rec_name,
                    state=loan.state_string))
        if self.currency != loan.currency:
            raise RepaymentError(gettext(
                    'microloan_core.msg_repayment_currency',
                    repayment=self.rec_name,
                    currency=self.currency.rec_name,
                    loan=loan.rec_name,
                    loan_currency=loan.currency.rec_name))
        if self.date < loan.start_date or self.date > Date.today():
            raise RepaymentError(gettext(
                    'microloan_core.msg_repayment_date',
                    repayment=self.rec_name,
                    date=lang.strftime(self.date),
                    loan=loan.rec_name,
                    start_date=lang.strftime(loan.start_date)))
        LoanTransaction = pool.get('microloan.loan.transaction')
        LoanTransaction.check_open_period([{'loan': loan, 'date': self.date}])
        account = self.fund_account
        if (not account.active or account.company != self.company
                or account.currency != self.currency):
            raise RepaymentError(gettext(
                    'microloan_core.msg_repayment_fund_account',
                    repayment=self.rec_name,
                    account=account.rec_name))
        if (self.overpayment == 'prepay_installment'
                and loan.method not in AMORTISING):
            raise RepaymentError(gettext(
                    'microloan_core.msg_repayment_keep_installment',
                    repayment=self.rec_name,
                    loan=loan.rec_name,
                    method=loan.method_string))
        documents = self._document_channels()
        if (bool(documents.get(self.channel))
                != bool(self.channel_document())) or any(
                    getattr(self, n, None) for c, n in documents.items()
                    if c != self.channel):
            raise RepaymentError(gettext(
                    'microloan_core.msg_repayment_channel_document',
                    repayment=self.rec_name,
                    channel=self.channel_string))

    @classmethod
    def _document_channels(cls):
        """{channel: the field of the document that alone posts the
        repayments of the channel and reverses them with itself}: each
        module that adds such a channel extends it (保证金抵扣, 续贷还款)"""
        return {}

    def channel_document(self):
        "The document that posted the repayment for its channel, or None"
        name = self._document_channels().get(self.channel)
        # an unsaved repayment (the historical import checks them) may not
        # have the field set
        return getattr(self, name, None) if name else None

    @classmethod
    def check_modification(cls, mode, repayments, values=None,
            external=False):
        "A repayment posted by a document is reversed only with it"
        super().check_modification(
            mode, repayments, values=values, external=external)
        if mode == 'write' and values.get('state') == 'reversed':
            for repayment in repayments:
                document = repayment.channel_document()
                if document and getattr(document, 'state', None) != (
                        'reversed'):
                    raise RepaymentError(gettext(
                            'microloan_core.msg_repayment_reverse_document',
                            repayment=repayment.rec_name,
                            document=document.rec_name))

    @classmethod
    @ModelView.button
    @checked_transition('reversed')
    @Workflow.transition('reversed')
    @set_actor('reversed')
    def reverse(cls, repayments):
        """红字冲销: another user than the poster takes the repayment back;
        the loans' later allocations are replayed without it"""
        user = Transaction().user
        for repayment in repayments:
            if (repayment.posted_user
                    and repayment.posted_user.id == user):
                raise RepaymentError(gettext(
                        'microloan_core.msg_repayment_reverse_own',
                        repayment=repayment.rec_name,
                        user=repayment.posted_user.rec_name))

    def servicing_event(self):
        "The engine event of the repayment and its transaction's values"
        return (rules.Event(
                self.date, 'repayment', engine.decimal_to_fen(self.amount),
                sequence=(self.posted_at or dt.datetime.max,
                    'repayment', self.id),
                key=str(self),
                prepay=PREPAY_MODES.get(self.overpayment)), {
                'origin': str(self),
                'fund_account': self.fund_account.id,
                'reference': self.reference or self.number,
                })


class LoanTransaction(metaclass=PoolMeta):
    __name__ = 'microloan.loan.transaction'

    @classmethod
    def _get_origins(cls):
        return super()._get_origins() + ['microloan.loan.repayment']


class Loan(metaclass=PoolMeta):
    __name__ = 'microloan.loan'

    repayments = fields.One2Many(
        'microloan.loan.repayment', 'loan', "Repayments", readonly=True)

    def rescheduled(self):
        "A repayment that prepays principal changes the schedule"
        return super().rescheduled() or any(
            r.state == 'posted' and r.overpayment in PREPAY_MODES
            for r in self.repayments)

    @classmethod
    def _servicing_events(cls, loans):
        "The posted repayments are events of their loans"
        Repayment = Pool().get('microloan.loan.repayment')
        events = super()._servicing_events(loans)
        for repayment in Repayment.search([
                    ('loan', 'in', [l.id for l in loans]),
                    ('state', '=', 'posted'),
                    ]):
            events[repayment.loan.id].append(repayment.servicing_event())
        return events

    @classmethod
    def copy(cls, loans, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('repayments', None)
        return super().copy(loans, default=default)
