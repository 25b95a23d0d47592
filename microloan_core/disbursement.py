# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Disbursements (放款单): paying a loan out in three steps.

放款审批: a loan officer requests the disbursement of a draft loan (its
terms freeze, the loan is disbursing) and an approver, never the requester,
approves it.  财务放款: a cashier (or accountant) pays it from a fund
account and records the payment date and bank voucher.  放款复核: an
accountant other than the payer re-checks it; only then does the money enter
the loan's books: the value date becomes the payment date, the schedule is
computed, the disbursement transaction (the principal, paid in full) and
the fees the product charges at disbursement are posted, and the loan is
active.  A loan has one disbursement (no partial drawdowns of a loan; a
credit line carries several loans).
"""

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access

from .exceptions import DisbursementError
from .workflow import NumberedDocumentMixin, checked_transition, set_actor

STATES = [
    ('draft', "Draft"),
    ('requested', "Requested"),
    ('approved', "Approved"),
    ('paid', "Paid"),
    ('checked', "Checked"),
    ('rejected', "Rejected"),
    ('cancelled', "Cancelled"),
    ]
# The states in which a disbursement is under way for its loan
IN_PROGRESS = {'requested', 'approved', 'paid'}


class Disbursement(NumberedDocumentMixin, Workflow, ModelSQL, ModelView):
    "Disbursement"
    __name__ = 'microloan.disbursement'
    __string__ = "Disbursement"
    _sequence = 'sequence_disbursement'
    _actor_steps = (
        'requested', 'approved', 'paid', 'checked', 'rejected')

    _states = {
        'readonly': Eval('state') != 'draft',
        }
    _payment_states = {
        'readonly': Eval('state') != 'approved',
        }

    number = fields.Char("Disbursement Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    loan = fields.Many2One(
        'microloan.loan', "Loan", required=True, ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            If(Eval('state') == 'draft',
                ('state', '=', 'draft'),
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
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True,
        domain=[('amount', '>', 0)], states=_states,
        help="The loan's principal, paid in full.")
    fund_account = fields.Many2One(
        'microloan.fund_account', "Fund Account", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            If(Eval('state') == 'approved',
                ('active', '=', True),
                ()),
            ],
        states=_payment_states,
        help="The company account the loan is paid from.")
    payment_date = fields.Date(
        "Payment Date", states=_payment_states,
        help="The day the money left the fund account: the loan's value "
        "date.")
    payment_reference = fields.Char(
        "Voucher Reference", states=_payment_states,
        help="The bank voucher or receipt number of the payment.")
    comment = fields.Text("Comment")
    requested_by = fields.Many2One(
        'company.employee', "Requested by", readonly=True)
    requested_user = fields.Many2One(
        'res.user', "Requested by User", readonly=True)
    requested_at = fields.DateTime("Requested at", readonly=True)
    approved_by = fields.Many2One(
        'company.employee', "Approved by", readonly=True)
    approved_user = fields.Many2One(
        'res.user', "Approved by User", readonly=True)
    approved_at = fields.DateTime("Approved at", readonly=True)
    paid_by = fields.Many2One(
        'company.employee', "Paid by", readonly=True)
    paid_user = fields.Many2One(
        'res.user', "Paid by User", readonly=True)
    paid_at = fields.DateTime("Paid at", readonly=True)
    checked_by = fields.Many2One(
        'company.employee', "Checked by", readonly=True)
    checked_user = fields.Many2One(
        'res.user', "Checked by User", readonly=True)
    checked_at = fields.DateTime("Checked at", readonly=True)
    rejected_by = fields.Many2One(
        'company.employee', "Rejected by", readonly=True)
    rejected_user = fields.Many2One(
        'res.user', "Rejected by User", readonly=True)
    rejected_at = fields.DateTime("Rejected at", readonly=True)
    transactions = fields.One2Many(
        'microloan.loan.transaction', 'origin', "Transactions",
        readonly=True)
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')
    # the state's label as a chart groups by it (the web client's graphs
    # show a selection's key)
    state_label = fields.Function(
        fields.Char("State"), 'get_state_label')

    del _states, _payment_states

    # Fields that change only while the disbursement is a draft, and those
    # the cashier fills while it is approved
    _draft_fields = {'company', 'loan', 'amount'}
    _state_error = DisbursementError
    _payment_fields = {'fund_account', 'payment_date', 'payment_reference'}
    _copy_reset = ('transactions', *sorted(_payment_fields))

    def get_state_label(self, name):
        return self.state_string

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'requested'),
            ('requested', 'approved'),
            ('requested', 'rejected'),
            ('approved', 'paid'),
            ('paid', 'checked'),
            ('draft', 'cancelled'),
            ('requested', 'cancelled'),
            ('approved', 'cancelled'),
            }
        cls._buttons.update({
                'request': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'requested',
                    'depends': ['state'],
                    },
                'reject': {
                    'invisible': Eval('state') != 'requested',
                    'depends': ['state'],
                    },
                'pay': {
                    'invisible': Eval('state') != 'approved',
                    'depends': ['state'],
                    },
                'recheck': {
                    'invisible': Eval('state') != 'paid',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(
                        ['draft', 'requested', 'approved']),
                    'depends': ['state'],
                    },
                })

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('//page[@name="transactions"]', 'states', {
                    'invisible': Eval('state') != 'checked',
                    }),
            ]

    @fields.depends('loan')
    def on_change_with_borrower(self, name=None):
        return self.loan.borrower if self.loan else None

    @classmethod
    def search_borrower(cls, name, clause):
        return [('loan.borrower',) + tuple(clause[1:])]

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends('loan', 'amount')
    def on_change_loan(self):
        if self.loan:
            self.amount = self.loan.principal

    @classmethod
    def check_modification(cls, mode, disbursements, values=None,
            external=False):
        super().check_modification(
            mode, disbursements, values=values, external=external)
        if mode == 'write' and values.keys() & cls._payment_fields:
            # the payment is entered while the disbursement is approved
            for disbursement in disbursements:
                if disbursement.state != 'approved':
                    raise DisbursementError(gettext(
                            'microloan_core.msg_disbursement_payment_fields',
                            disbursement=disbursement.rec_name,
                            state=disbursement.state_string))

    @classmethod
    def on_write(cls, disbursements, values):
        callbacks = super().on_write(disbursements, values)
        if 'state' in values:
            # a disbursement under way makes its loan disbursing
            callbacks.append(lambda: cls._update_loans(disbursements))
        return callbacks

    @classmethod
    @ModelView.button
    @checked_transition('requested')
    @Workflow.transition('requested')
    @set_actor('requested')
    def request(cls, disbursements):
        "放款申请: freeze the loans' terms and ask for approval"
        pool = Pool()
        Loan = pool.get('microloan.loan')
        Lang = pool.get('ir.lang')
        lang = Lang.get()
        loans = Loan.browse([d.loan.id for d in disbursements])
        with without_check_access():
            Loan.lock(loans)
        seen = set()
        for disbursement, loan in zip(disbursements, loans):
            if loan.state != 'draft' or loan.id in seen:
                raise DisbursementError(gettext(
                        'microloan_core.msg_disbursement_loan_not_draft',
                        disbursement=disbursement.rec_name,
                        loan=loan.rec_name,
                        state=loan.state_string))
            seen.add(loan.id)
            if disbursement.amount != loan.principal:
                raise DisbursementError(gettext(
                        'microloan_core.msg_disbursement_amount',
                        disbursement=disbursement.rec_name,
                        amount=lang.currency(
                            disbursement.amount, disbursement.currency),
                        loan=loan.rec_name,
                        principal=lang.currency(
                            loan.principal, loan.currency)))

    @classmethod
    @ModelView.button
    @checked_transition('approved')
    @Workflow.transition('approved')
    @set_actor('approved')
    def approve(cls, disbursements):
        "放款审批: an approver other than the requester agrees"
        user = Transaction().user
        for disbursement in disbursements:
            if (disbursement.requested_user
                    and disbursement.requested_user.id == user):
                raise DisbursementError(gettext(
                        'microloan_core.msg_disbursement_approve_own',
                        disbursement=disbursement.rec_name,
                        user=disbursement.requested_user.rec_name))

    @classmethod
    @ModelView.button
    @checked_transition('rejected')
    @Workflow.transition('rejected')
    @set_actor('rejected')
    def reject(cls, disbursements):
        "The approver refuses: the loans are drafts again"

    @classmethod
    @ModelView.button
    @checked_transition('cancelled')
    @Workflow.transition('cancelled')
    def cancel(cls, disbursements):
        "Withdraw the disbursements before payment"

    @classmethod
    @ModelView.button
    @checked_transition('paid')
    @Workflow.transition('paid')
    @set_actor('paid')
    def pay(cls, disbursements):
        "财务放款: the cashier has paid from a fund account"
        for disbursement in disbursements:
            disbursement.check_payment()

    def check_payment(self):
        "Refuse a payment without account, date or voucher, or in a wrong one"
        for name in ['fund_account', 'payment_date', 'payment_reference']:
            if not getattr(self, name):
                raise DisbursementError(gettext(
                        'microloan_core.msg_disbursement_payment_missing',
                        disbursement=self.rec_name,
                        field=self.__names__(name)['field']))
        account = self.fund_account
        if (not account.active or account.company != self.company
                or account.currency != self.currency):
            raise DisbursementError(gettext(
                    'microloan_core.msg_disbursement_fund_account',
                    disbursement=self.rec_name,
                    account=account.rec_name))

    @classmethod
    @ModelView.button
    @checked_transition('checked')
    @Workflow.transition('checked')
    @set_actor('checked')
    def recheck(cls, disbursements):
        """放款复核: an accountant other than the payer confirms; the loans
        take the payment date as value date, get their schedule and their
        disbursement and fee transactions, and become active"""
        pool = Pool()
        Loan = pool.get('microloan.loan')
        LoanTransaction = pool.get('microloan.loan.transaction')
        user = Transaction().user
        for disbursement in disbursements:
            if disbursement.paid_user and disbursement.paid_user.id == user:
                raise DisbursementError(gettext(
                        'microloan_core.msg_disbursement_check_own',
                        disbursement=disbursement.rec_name,
                        user=disbursement.paid_user.rec_name))
        with without_check_access():
            Loan.take_value_dates({Loan(d.loan.id): d.payment_date
                    for d in disbursements})
            LoanTransaction.post(
                [v for d in disbursements for v in d.transaction_values()])

    def transaction_values(self):
        """Return the values of the transactions the disbursement posts:
        the principal paid in full first, then each fee the loan's product
        charges at disbursement (a hook to post others)"""
        loan = self.loan
        origin = str(self)
        values = [{
                'loan': loan.id,
                'date': self.payment_date,
                'kind': 'disbursement',
                'amount': self.amount,
                'principal': self.amount,
                'fund_account': self.fund_account.id,
                'reference': self.payment_reference,
                'origin': origin,
                }]
        if loan.product:
            for _, amount in loan.product.fee_amounts(
                    self.amount, 'disbursement'):
                if amount:
                    values.append({
                            'loan': loan.id,
                            'date': self.payment_date,
                            'kind': 'fee',
                            'amount': amount,
                            'fees': amount,
                            'origin': origin,
                            })
        return values

    @classmethod
    def _update_loans(cls, disbursements):
        "Bring the state of the disbursements' loans up to date"
        Loan = Pool().get('microloan.loan')
        with without_check_access():
            Loan.update_state(Loan.browse([d.loan.id for d in disbursements]))


class LoanTransaction(metaclass=PoolMeta):
    __name__ = 'microloan.loan.transaction'

    @classmethod
    def _get_origins(cls):
        return super()._get_origins() + ['microloan.disbursement']


class Loan(metaclass=PoolMeta):
    __name__ = 'microloan.loan'

    disbursements = fields.One2Many(
        'microloan.disbursement', 'loan', "Disbursements", readonly=True)

    @classmethod
    def _undisbursed_states(cls, loans):
        "A loan whose disbursement is under way is disbursing"
        Disbursement = Pool().get('microloan.disbursement')
        states = super()._undisbursed_states(loans)
        with without_check_access():
            for disbursement in Disbursement.search([
                        ('loan', 'in', [l.id for l in loans]),
                        ('state', 'in', sorted(IN_PROGRESS)),
                        ]):
                states[disbursement.loan.id] = 'disbursing'
        return states

    @classmethod
    def copy(cls, loans, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('disbursements', None)
        return super().copy(loans, default=default)
