# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Customer deposits (保证金): money a customer leaves with the company.

A deposit document (保证金单) is received (收取) into a fund account,
returned (退还) from one, or applied (抵扣欠款) to the arrears of one of the
customer's loans.  A cashier posts the received and returned ones; another
user reverses them (红字冲销).  The customer's balance is the sum of his
posted deposits, received ones less returned and applied ones; nothing is
returned or applied beyond it (docs/servicing.md, "Customer deposits").

Applying a deposit goes through the approval flow of deposits where one
matches (by branch, product or amount), at once otherwise.  Approved, it
posts a repayment (还款单) of channel 保证金抵扣 on the loan for its amount,
which the servicing rules allocate like any other; never more than what
the loan has due on the deposit's date.  Reversing the deposit reverses
that repayment and the loan replays without it.
"""
from collections import defaultdict
from decimal import Decimal

from sql.aggregate import Sum
from sql.conditionals import Case

from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice, sqlite_apply_types
from trytond.transaction import Transaction, without_check_access

from .approval import ApprovalMixin
from .exceptions import DepositError
from .inbox import ApprovalTask
from .workflow import NumberedDocumentMixin, checked_transition, set_actor

KINDS = [
    ('received', "Deposit Received"),
    ('returned', "Deposit Returned"),
    ('applied', "Applied to Arrears"),
    ]
# The kinds that take money out of the customer's balance
OUTGOING = {'returned', 'applied'}
# The kinds that move money through a fund account
CASH = {'received', 'returned'}
STATES = [
    ('draft', "Draft"),
    ('pending', "Pending Approval"),
    ('posted', "Posted"),
    ('rejected', "Rejected"),
    ('reversed', "Reversed"),
    ]


class Deposit(ApprovalMixin, NumberedDocumentMixin, Workflow, ModelSQL,
        ModelView):
    "Customer Deposit"
    __name__ = 'microloan.deposit'
    __string__ = "Customer Deposit"
    _sequence = 'sequence_deposit'
    _actor_steps = ('requested', 'posted', 'reversed')
    _approval_action = 'microloan_core.act_deposit_form'

    _states = {
        'readonly': Eval('state') != 'draft',
        }

    number = fields.Char("Deposit Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    party = fields.Many2One(
        'party.party', "Customer", required=True, ondelete='RESTRICT',
        states=_states,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    loan = fields.Many2One(
        'microloan.loan', "Loan", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ('borrower', '=', Eval('party', -1)),
            If((Eval('state') == 'draft') & (Eval('kind') == 'applied'),
                ('state', '=', 'active'),
                ()),
            ],
        states={
            'readonly': Eval('state') != 'draft',
            'required': Eval('kind') == 'applied',
            },
        help="The loan the deposit secures, or whose arrears it pays.")
    kind = fields.Selection(
        KINDS, "Kind", required=True, sort=False, states=_states)
    kind_string = kind.translated('kind')
    date = fields.Date(
        "Date", required=True, states=_states,
        help="The day the money came in or went out, or the value date of "
        "the repayment of the arrears.")
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True,
        domain=[('amount', '>', 0)], states=_states)
    fund_account = fields.Many2One(
        'microloan.fund_account', "Fund Account", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            If(Eval('state') == 'draft',
                ('active', '=', True),
                ()),
            ],
        states={
            'readonly': Eval('state') != 'draft',
            'required': Eval('kind').in_(list(CASH)),
            },
        help="The company account the money came into or went out of; "
        "for a deposit applied to arrears, the account the deposit is "
        "held in (empty: that of the customer's last deposit received).")
    reference = fields.Char(
        "Voucher Reference", states=_states,
        help="The bank voucher or receipt number.")
    comment = fields.Text("Comment")
    party_balance = fields.Function(Monetary(
            "Customer Deposit Balance", currency='currency',
            digits='currency',
            help="The customer's posted deposits in the company."),
        'get_party_balance')
    repayment = fields.Function(fields.Many2One(
            'microloan.loan.repayment', "Repayment",
            help="The repayment that paid the arrears."),
        'get_repayment')
    requested_by = fields.Many2One(
        'company.employee', "Requested by", readonly=True)
    requested_user = fields.Many2One(
        'res.user', "Requested by User", readonly=True)
    requested_at = fields.DateTime("Requested at", readonly=True)
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
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')

    del _states

    _draft_fields = {
        'company', 'party', 'loan', 'kind', 'date', 'amount',
        'fund_account', 'reference'}
    _deletable_states = {'draft'}
    _state_error = DepositError

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'posted'),
            ('draft', 'pending'),
            ('pending', 'posted'),
            ('pending', 'rejected'),
            ('pending', 'draft'),
            ('posted', 'reversed'),
            }
        cls._buttons.update({
                'post': {
                    'invisible': ((Eval('state') != 'draft')
                        | (Eval('kind') == 'applied')),
                    'depends': ['state', 'kind'],
                    },
                'request': {
                    'invisible': ((Eval('state') != 'draft')
                        | (Eval('kind') != 'applied')),
                    'depends': ['state', 'kind'],
                    },
                'reverse': {
                    'invisible': Eval('state') != 'posted',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_date():
        return Pool().get('ir.date').today()

    @staticmethod
    def default_kind():
        return 'received'

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends('loan', 'party')
    def on_change_loan(self):
        if self.loan and not self.party:
            self.party = self.loan.borrower

    @classmethod
    def get_party_balance(cls, deposits, name):
        by_company = defaultdict(set)
        for deposit in deposits:
            by_company[deposit.company.id].add(deposit.party.id)
        balances = {c: cls.balances('party', p, c)
            for c, p in by_company.items()}
        return {d.id: balances[d.company.id][d.party.id] for d in deposits}

    @classmethod
    def get_repayment(cls, deposits, name):
        Repayment = Pool().get('microloan.loan.repayment')
        result = {d.id: None for d in deposits}
        with without_check_access():
            for repayment in Repayment.search([
                        ('deposit', 'in', list(result)),
                        ], order=[('id', 'ASC')]):
                result[repayment.deposit.id] = repayment.id
        return result

    @classmethod
    def balances(cls, column, ids, company=None):
        """Return {id: balance} of the posted deposits grouped by column
        ('party' or 'loan') for ids, of company when given: the received
        amounts less the returned and applied ones"""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        result = {i: Decimal(0) for i in ids}
        signed = Case(
            (table.kind == 'received', table.amount),
            else_=-table.amount)
        group = getattr(table, column)
        for sub_ids in grouped_slice(list(result), backend.MAX_QUERY_PARAMS):
            where = (fields.SQL_OPERATORS['in'](group, sub_ids)
                & (table.state == 'posted'))
            if company is not None:
                where &= table.company == int(company)
            query = table.select(group, Sum(signed).as_('balance'),
                where=where, group_by=[group])
            if backend.name == 'sqlite':
                sqlite_apply_types(query, [None, 'NUMERIC'])
            cursor.execute(*query)
            for id_, balance in cursor:
                result[id_] = Decimal(str(balance or 0))
        if company is not None:
            # SQLite sums as floats
            Company = Pool().get('company.company')
            currency = Company(int(company)).currency
            result = {i: currency.round(b) for i, b in result.items()}
        return result

    @classmethod
    def on_write(cls, deposits, values):
        callbacks = super().on_write(deposits, values)
        if values.get('state') == 'reversed':
            # the arrears paid by an applied deposit are owed again
            callbacks.append(lambda: cls._reverse_repayments(deposits))
        return callbacks

    @classmethod
    def _reverse_repayments(cls, deposits):
        Repayment = Pool().get('microloan.loan.repayment')
        with without_check_access():
            repayments = Repayment.search([
                    ('deposit', 'in', [d.id for d in deposits]),
                    ('state', '=', 'posted'),
                    ])
            if repayments:
                Repayment.reverse(repayments)

    @classmethod
    @ModelView.button
    @checked_transition('posted')
    @Workflow.transition('posted')
    @set_actor('posted')
    def post(cls, deposits):
        "收取 / 退还: the cashier posts the money received or returned"
        for deposit in deposits:
            if deposit.kind not in CASH:
                raise DepositError(gettext(
                        'microloan_core.msg_deposit_apply_request',
                        deposit=deposit.rec_name))
        cls.check_postable(deposits)

    @classmethod
    @ModelView.button
    @checked_transition('pending')
    @set_actor('requested')
    def request(cls, deposits):
        """抵扣申请: check the deposits applied to arrears and ask for
        approval (posted at once without a matching flow)"""
        for deposit in deposits:
            if deposit.kind != 'applied':
                raise DepositError(gettext(
                        'microloan_core.msg_deposit_request_kind',
                        deposit=deposit.rec_name,
                        kind=deposit.kind_string))
        cls.check_postable(deposits)
        cls.request_approval(cls.browse(deposits))

    @classmethod
    def check_postable(cls, deposits):
        """Refuse deposits dated in the future, through a fund account
        that cannot take them, returning or applying more than the
        customer's balance or, applied, more than the loan has due"""
        pool = Pool()
        Party = pool.get('party.party')
        with without_check_access():
            # two cashiers on one customer: the second waits
            Party.lock(Party.browse(list({d.party.id for d in deposits})))
        for deposit in deposits:
            deposit.check_date()
            deposit.check_fund_account()
        cls.check_balance(deposits)
        cls.check_arrears([d for d in deposits if d.kind == 'applied'])

    def check_date(self):
        pool = Pool()
        Date = pool.get('ir.date')
        Lang = pool.get('ir.lang')
        if self.date > Date.today():
            raise DepositError(gettext(
                    'microloan_core.msg_deposit_date',
                    deposit=self.rec_name,
                    date=Lang.get().strftime(self.date)))

    def holding_account(self):
        """The fund account of the deposit: its own, else that of the
        customer's last deposit received in the company"""
        if self.fund_account:
            return self.fund_account
        with without_check_access():
            received = self.search([
                    ('company', '=', self.company.id),
                    ('party', '=', self.party.id),
                    ('kind', '=', 'received'),
                    ('state', '=', 'posted'),
                    ('fund_account', '!=', None),
                    ], order=[('date', 'DESC'), ('id', 'DESC')], limit=1)
        return received[0].fund_account if received else None

    def check_fund_account(self):
        account = self.holding_account()
        if account is None and self.kind not in CASH:
            return
        if (account is None or not account.active
                or account.company != self.company
                or account.currency != self.currency):
            raise DepositError(gettext(
                    'microloan_core.msg_deposit_fund_account',
                    deposit=self.rec_name,
                    account=account.rec_name if account else ''))

    @classmethod
    def check_balance(cls, deposits):
        """Refuse the deposits returned or applied beyond the balance the
        customer has in the company, taken in turn"""
        Lang = Pool().get('ir.lang')
        outgoing = [d for d in deposits if d.kind in OUTGOING]
        by_company = defaultdict(set)
        for deposit in outgoing:
            by_company[deposit.company.id].add(deposit.party.id)
        left = {}
        for company, parties in by_company.items():
            for party, balance in cls.balances(
                    'party', parties, company).items():
                left[company, party] = balance
        for deposit in outgoing:
            key = deposit.company.id, deposit.party.id
            if deposit.amount > left[key]:
                lang = Lang.get()
                raise DepositError(gettext(
                        'microloan_core.msg_deposit_balance',
                        deposit=deposit.rec_name,
                        kind=deposit.kind_string,
                        amount=lang.currency(
                            deposit.amount, deposit.currency),
                        party=deposit.party.rec_name,
                        balance=lang.currency(left[key], deposit.currency)))
            left[key] -= deposit.amount

    @classmethod
    def check_arrears(cls, deposits):
        """Refuse the deposits applied to a loan that is not active or
        beyond what it has due on their date, taken in turn"""
        pool = Pool()
        Loan = pool.get('microloan.loan')
        Lang = pool.get('ir.lang')
        applied = defaultdict(Decimal)
        for deposit in deposits:
            loan = deposit.loan
            if not loan:
                raise DepositError(gettext(
                        'microloan_core.msg_deposit_loan_required',
                        deposit=deposit.rec_name))
            if loan.state != 'active':
                raise DepositError(gettext(
                        'microloan_core.msg_deposit_loan_state',
                        deposit=deposit.rec_name, loan=loan.rec_name,
                        state=loan.state_string))
            with Transaction().set_context(servicing_date=deposit.date):
                due = Loan(loan.id).amount_due or Decimal(0)
            due -= applied[loan.id]
            if deposit.amount > due:
                lang = Lang.get()
                raise DepositError(gettext(
                        'microloan_core.msg_deposit_amount_due',
                        deposit=deposit.rec_name,
                        amount=lang.currency(
                            deposit.amount, deposit.currency),
                        loan=loan.rec_name,
                        date=lang.strftime(deposit.date),
                        due=lang.currency(due, deposit.currency)))
            applied[loan.id] += deposit.amount

    @classmethod
    @ModelView.button
    @checked_transition('reversed')
    @Workflow.transition('reversed')
    @set_actor('reversed')
    def reverse(cls, deposits):
        """红字冲销: another user than the poster takes the deposit back;
        a deposit received is not reversed below what was returned or
        applied since"""
        Lang = Pool().get('ir.lang')
        user = Transaction().user
        for deposit in deposits:
            if deposit.posted_user and deposit.posted_user.id == user:
                raise DepositError(gettext(
                        'microloan_core.msg_deposit_reverse_own',
                        deposit=deposit.rec_name,
                        user=deposit.posted_user.rec_name))
        received = [d for d in deposits if d.kind == 'received']
        left = {}
        for deposit in received:
            key = deposit.company.id, deposit.party.id
            if key not in left:
                left[key] = cls.balances(
                    'party', [deposit.party.id], deposit.company.id)[
                    deposit.party.id]
            if deposit.amount > left[key]:
                lang = Lang.get()
                raise DepositError(gettext(
                        'microloan_core.msg_deposit_reverse_balance',
                        deposit=deposit.rec_name,
                        party=deposit.party.rec_name,
                        balance=lang.currency(left[key], deposit.currency)))
            left[key] -= deposit.amount

    def approval_parties(self):
        return [self.party]

    def approval_context(self):
        return {
            'company': self.company,
            'branch': self.party.branch,
            'product': self.loan.product if self.loan else None,
            'amount': self.amount,
            }

    def approval_summary(self):
        "What a decision on applying the deposit needs (the step form)"
        summary = super().approval_summary()
        summary.update({
                'customer': self.party.rec_name,
                'currency': self.currency.id if self.currency else None,
                'amount': self.amount,
                'product': (self.loan.product.id
                    if self.loan and self.loan.product else None),
                })
        return summary

    @classmethod
    @Workflow.transition('pending')
    def approval_submitted(cls, deposits):
        pass

    @classmethod
    @Workflow.transition('posted')
    @set_actor('posted')
    def approval_approved(cls, deposits):
        """Post the approved deposits: each pays the arrears of its loan by
        a repayment of channel deposit, allocated by the servicing rules"""
        pool = Pool()
        Repayment = pool.get('microloan.loan.repayment')
        # the balance and the dues may have changed while pending
        cls.check_postable(deposits)
        with without_check_access():
            repayments = Repayment.create(
                [d._repayment_values() for d in deposits])
            Repayment.post(repayments)

    def _repayment_values(self):
        "The values of the repayment that applies the deposit to arrears"
        return {
            'company': self.company.id,
            'loan': self.loan.id,
            'currency': self.loan.currency.id,
            'date': self.date,
            'amount': self.amount,
            'fund_account': self.holding_account().id,
            'channel': 'deposit',
            'payer': self.party.rec_name,
            'reference': self.number,
            'overpayment': 'credit',
            'deposit': self.id,
            }

    @classmethod
    @Workflow.transition('rejected')
    def approval_rejected(cls, deposits):
        pass

    @classmethod
    @Workflow.transition('draft')
    def approval_returned(cls, deposits):
        pass

    @classmethod
    @Workflow.transition('draft')
    def approval_withdrawn(cls, deposits):
        pass


class Repayment(metaclass=PoolMeta):
    __name__ = 'microloan.loan.repayment'

    deposit = fields.Many2One(
        'microloan.deposit', "Deposit", readonly=True, ondelete='RESTRICT',
        states={
            'invisible': Eval('channel') != 'deposit',
            },
        help="The customer deposit applied to the arrears.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        selection = [('deposit', "Deposit Offset")]
        if selection[0] not in cls.channel.selection:
            cls.channel.selection = cls.channel.selection + selection

    @classmethod
    def _document_channels(cls):
        # a repayment by deposit comes from a deposit applied to arrears
        return dict(super()._document_channels(), deposit='deposit')

    @classmethod
    def copy(cls, repayments, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('deposit', None)
        return super().copy(repayments, default=default)


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    deposit_balance = fields.Function(Monetary(
            "Deposit Balance", currency='customer_currency',
            digits='customer_currency',
            help="The customer's posted deposits: received less returned "
            "and applied to arrears."),
        'get_deposit_balance')

    @classmethod
    def get_deposit_balance(cls, parties, name):
        Deposit = Pool().get('microloan.deposit')
        with without_check_access():
            balances = Deposit.balances('party', [p.id for p in parties],
                Transaction().context.get('company'))
        return {p.id: p.customer_currency.round(balances[p.id])
            if p.customer_currency else balances[p.id] for p in parties}


class Loan(metaclass=PoolMeta):
    __name__ = 'microloan.loan'

    deposit_balance = fields.Function(Monetary(
            "Deposit Balance", currency='currency', digits='currency',
            help="The posted deposits linked to the loan: received less "
            "returned and applied to arrears."),
        'get_deposit_balance')

    @classmethod
    def get_deposit_balance(cls, loans, name):
        Deposit = Pool().get('microloan.deposit')
        with without_check_access():
            balances = Deposit.balances('loan', [l.id for l in loans])
        return {l.id: l.currency.round(balances[l.id]) for l in loans}


class ApprovalFlow(metaclass=PoolMeta):
    __name__ = 'microloan.approval.flow'

    @classmethod
    def _get_documents(cls):
        return super()._get_documents() + ['microloan.deposit']


class Inbox(metaclass=PoolMeta):
    __name__ = 'microloan.inbox'

    @classmethod
    def task_sources(cls):
        "The approval tasks of deposits show their customer and amount"
        sources = super().task_sources()
        for source in sources:
            if isinstance(source, ApprovalTask):
                source.figures = dict(source.figures, **{
                        'microloan.deposit': ('party', 'amount'),
                        })
        return sources
