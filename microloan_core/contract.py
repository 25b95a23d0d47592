# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Loan contracts (借款合同) and the loans drawn under them.

A contract binds a borrower to the terms of a loan product: amount, rate,
term, repayment method, guarantee, penalty rate, fees and the annualized
cost (综合年化成本) it discloses.  The loan officer submits it for contract
review (合同审核); a risk officer or approver other than the submitter
reviews it; the face-sign (面签) is recorded with its date, place, witness
and photo, and the contract is signed.  Loans are then drawn under it: one
loan for a single contract, several within the amount and the drawdown
period for a credit-line contract, each at the contract's rate, method and
basis.  The contract prints as a PDF (ODT template converted by LibreOffice,
printing.py) with the amount in Chinese uppercase (大写), the parties' full
details and a 草稿 watermark until it is signed.
"""
from decimal import Decimal

from sql.aggregate import Count, Sum

from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice, sqlite_apply_types
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from . import engine
from .application import CONTRACT_KINDS as KINDS, GUARANTEE_KINDS
from .exceptions import ContractError, ContractDrawdownError
from .terms import APR_DIGITS, RATE_DIGITS, TermsMixin
from .attachment import count_photos
from .product import FEE_CHARGED, FEE_KINDS
from .printing import DocumentReport
from .tools import set_customer_scope
from .workflow import (
    NumberedDocumentMixin, checked_transition, reset_actor, set_actor)

STATES = [
    ('draft', "Draft"),
    ('reviewing', "Under Review"),
    ('reviewed', "Reviewed"),
    ('signed', "Signed"),
    ('closed', "Closed"),
    ('cancelled', "Cancelled"),
    ]
# The attachments that count as a photo of the face-sign
# The terms a loan drawn under a contract takes from it
LOAN_TERMS = ('annual_rate', 'method', 'basis')


class Contract(TermsMixin, NumberedDocumentMixin, Workflow, ModelSQL,
        ModelView):
    "Loan Contract"
    __name__ = 'microloan.contract'
    __string__ = "Loan Contract"
    _sequence = 'sequence_contract'
    _actor_steps = ('submitted', 'reviewed', 'signed', 'closed', 'returned')
    _copy_reset = (
        'loans', 'sign_place', 'sign_date', 'witness', 'closed_date',
        'return_reason', 'application')

    _states = {
        'readonly': Eval('state') != 'draft',
        }
    _sign_states = {
        'readonly': ~Eval('state').in_(['draft', 'reviewing', 'reviewed']),
        }

    number = fields.Char("Contract Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    borrower = fields.Many2One(
        'party.party', "Borrower", required=True,
        domain=[('customer_kind', '!=', None)],
        context={
            'company': Eval('company', -1),
            },
        states=_states, depends={'company'})
    branch = fields.Many2One(
        'microloan.branch', "Branch", states=_states,
        help="The branch (网点) of the borrower when the contract was "
        "made.")
    loan_officer = fields.Many2One(
        'company.employee', "Loan Officer", states=_states,
        help="The loan officer (客户经理) of the borrower when the contract "
        "was made.")
    kind = fields.Selection(
        KINDS, "Contract Kind", required=True, sort=False, states=_states,
        help="A single-loan contract carries one loan; a credit-line "
        "contract carries several drawdowns within its amount and "
        "drawdown period.")
    product = fields.Many2One(
        'microloan.product', "Loan Product", required=True,
        domain=[('company', '=', Eval('company', -1))], states=_states)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    amount = Monetary(
        "Contract Amount", currency='currency', digits='currency',
        required=True)
    start_date = fields.Date(
        "Drawdown From", required=True, states=_states,
        help="The first value date of a loan under the contract.")
    end_date = fields.Date(
        "Drawdown Until", required=True,
        domain=[If(Eval('start_date'),
                ('end_date', '>=', Eval('start_date')),
                ())],
        states=_states,
        help="The last value date of a loan under the contract.")
    purpose = fields.Char("Loan Purpose", states=_states)
    application = fields.Many2One(
        'microloan.application', "Loan Application", readonly=True,
        domain=[('borrower', '=', Eval('borrower', -1))],
        help="The approved application the contract was drawn up from.")
    guarantee_kind = fields.Selection(
        GUARANTEE_KINDS, "Guarantee Kind", required=True, sort=False,
        states=_states)
    penalty_rate = fields.Numeric(
        "Penalty Rate", digits=RATE_DIGITS, required=True,
        domain=[('penalty_rate', '>=', 0)], states=_states,
        help="Annual rate of the penalty interest (罚息) on overdue "
        "principal, from the loan product.")
    fees = fields.One2Many(
        'microloan.contract.fee', 'contract', "Fees", states=_states)
    annualized_cost = fields.Numeric(
        "Annualized Cost", digits=APR_DIGITS, readonly=True,
        help="Comprehensive annualized cost (综合年化成本) disclosed on the "
        "contract: 12 x the monthly IRR of the full amount repaid on "
        "schedule, fees included.")
    sign_place = fields.Char("Signing Place", states=_sign_states)
    sign_date = fields.Date("Signing Date", states=_sign_states)
    witness = fields.Many2One(
        'company.employee', "Face-Sign Witness",
        domain=[('company', '=', Eval('company', -1))],
        states=_sign_states,
        help="The employee who saw the borrower sign (面签).")
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')
    submitted_by = fields.Many2One(
        'company.employee', "Submitted by", readonly=True)
    submitted_user = fields.Many2One(
        'res.user', "Submitted by User", readonly=True)
    submitted_at = fields.DateTime("Submitted at", readonly=True)
    reviewed_by = fields.Many2One(
        'company.employee', "Reviewed by", readonly=True)
    reviewed_user = fields.Many2One(
        'res.user', "Reviewed by User", readonly=True)
    reviewed_at = fields.DateTime("Reviewed at", readonly=True)
    return_reason = fields.Text(
        "Return Reason", readonly=True,
        help="Why the last review sent the contract back to the officer.")
    returned_by = fields.Many2One(
        'company.employee', "Returned by", readonly=True)
    returned_user = fields.Many2One(
        'res.user', "Returned by User", readonly=True)
    returned_at = fields.DateTime("Returned at", readonly=True)
    signed_by = fields.Many2One(
        'company.employee', "Face-Sign Recorded by", readonly=True)
    signed_user = fields.Many2One(
        'res.user', "Face-Sign Recorded by User", readonly=True)
    signed_at = fields.DateTime("Face-Sign Recorded at", readonly=True)
    closed_by = fields.Many2One(
        'company.employee', "Closed by", readonly=True)
    closed_user = fields.Many2One(
        'res.user', "Closed by User", readonly=True)
    closed_date = fields.Date("Closed on", readonly=True)
    loans = fields.One2Many(
        'microloan.loan', 'contract', "Loans", readonly=True)
    drawn_amount = fields.Function(Monetary(
            "Drawn Amount", currency='currency', digits='currency'),
        'get_amounts')
    available_amount = fields.Function(Monetary(
            "Available Amount", currency='currency', digits='currency'),
        'get_amounts')
    note = fields.Text("Note")

    del _states, _sign_states

    # The terms: they change only while the contract is a draft
    _state_error = ContractError
    _draft_fields = {
        'company', 'borrower', 'branch', 'loan_officer', 'kind', 'product',
        'amount', 'annual_rate', 'term_months', 'method', 'basis',
        'start_date', 'end_date', 'purpose', 'guarantee_kind',
        'penalty_rate', 'fees'}
    # Changing one of these recomputes the annualized cost
    _cost_fields = {
        'amount', 'annual_rate', 'term_months', 'method', 'basis',
        'start_date', 'fees'}

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('start_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'reviewing'),
            ('reviewing', 'reviewed'),
            ('reviewing', 'draft'),
            ('reviewed', 'signed'),
            ('signed', 'closed'),
            ('draft', 'cancelled'),
            ('reviewing', 'cancelled'),
            }
        cls._buttons.update({
                'submit': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'review': {
                    'invisible': Eval('state') != 'reviewing',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'return_review': {
                    'invisible': Eval('state') != 'reviewing',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'sign': {
                    'invisible': Eval('state') != 'reviewed',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') != 'signed',
                    'icon': 'tryton-close',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(['draft', 'reviewing']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('//page[@id="drawdowns"]', 'states', {
                    'invisible': ~Eval('state').in_(['signed', 'closed']),
                    }),
            ]

    @staticmethod
    def default_kind():
        return 'single'

    @staticmethod
    def default_guarantee_kind():
        return 'credit'

    @staticmethod
    def default_method():
        return 'equal_installment'

    @staticmethod
    def default_basis():
        return 'month'

    @staticmethod
    def default_start_date():
        return Pool().get('ir.date').today()

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends('borrower')
    def on_change_borrower(self):
        if self.borrower:
            self.branch = self.borrower.branch
            self.loan_officer = self.borrower.loan_officer

    @fields.depends('product', 'amount', 'annual_rate', 'method', 'fees')
    def on_change_product(self):
        if self.product:
            self.method = self.product.default_method
        self.on_change_amount()

    @fields.depends(
        'product', 'amount', 'annual_rate', 'fees',
        methods=['on_change_annual_rate'])
    def on_change_amount(self):
        Fee = Pool().get('microloan.contract.fee')
        if self.product and self.amount:
            self.fees = [Fee(**v) for v in
                self.fee_values(self.product, self.amount)]
        self.on_change_annual_rate()

    @fields.depends('product', 'annual_rate')
    def on_change_annual_rate(self):
        if self.product and self.annual_rate is not None:
            self.penalty_rate = self.product.penalty_rate(self.annual_rate)

    @staticmethod
    def fee_values(product, amount):
        "Return the values of the contract fees of product on amount"
        return [{
                'kind': fee.kind,
                'charged': fee.charged,
                'amount': value,
                } for fee, value in product.fee_amounts(amount)]

    @classmethod
    def values_from_terms(cls, borrower, product, amount, annual_rate,
            term_months, method, basis, start_date, kind='single', **extra):
        """Return the values to create a draft contract of borrower on the
        terms, with the penalty rate and the fees of the product; the
        drawdown period runs from start_date for term_months unless extra
        gives end_date.  extra: any other field (purpose, guarantee_kind,
        sign_place...).  The terms are checked against the product."""
        product.check_terms(amount, annual_rate, term_months, method, basis)
        values = {
            'company': product.company.id,
            'borrower': borrower.id,
            'branch': borrower.branch.id if borrower.branch else None,
            'loan_officer': (
                borrower.loan_officer.id if borrower.loan_officer else None),
            'kind': kind,
            'product': product.id,
            'amount': amount,
            'annual_rate': annual_rate,
            'term_months': term_months,
            'method': method,
            'basis': basis,
            'start_date': start_date,
            'end_date': engine.add_months(start_date, term_months),
            'penalty_rate': product.penalty_rate(annual_rate),
            'fees': [('create', cls.fee_values(product, amount))],
            }
        values.update(extra)
        return values

    @classmethod
    def get_drawdowns(cls, contracts, exclude=None):
        """Return {contract id: (principal drawn, number of loans)} in one
        grouped query per chunk; exclude: loans not to count"""
        pool = Pool()
        Loan = pool.get('microloan.loan')
        loan = Loan.__table__()
        cursor = Transaction().connection.cursor()
        result = {c.id: (Decimal(0), 0) for c in contracts}
        exclude = [int(l) for l in exclude or [] if int(l) >= 0]
        for sub_ids in grouped_slice(list(result), backend.MAX_QUERY_PARAMS):
            where = fields.SQL_OPERATORS['in'](loan.contract, sub_ids)
            if exclude:
                where &= ~loan.id.in_(exclude)
            query = loan.select(
                loan.contract, Sum(loan.principal).as_('drawn'),
                Count(loan.id).as_('count'),
                where=where, group_by=loan.contract)
            if backend.name == 'sqlite':
                sqlite_apply_types(query, [None, 'NUMERIC', None])
            cursor.execute(*query)
            for contract_id, drawn, count in cursor:
                result[contract_id] = (Decimal(str(drawn or 0)), count)
        return result

    @classmethod
    def get_amounts(cls, contracts, names):
        with without_check_access():
            drawdowns = cls.get_drawdowns(contracts)
        drawn = {c.id: c.currency.round(drawdowns[c.id][0])
            for c in contracts}
        result = {}
        if 'drawn_amount' in names:
            result['drawn_amount'] = drawn
        if 'available_amount' in names:
            result['available_amount'] = {
                c.id: c.amount - drawn[c.id] for c in contracts}
        return result

    def fee_totals(self):
        "Return (fees paid upfront, fees paid with each installment)"
        upfront = sum((f.amount for f in self.fees
                if f.charged in {'signing', 'disbursement'}), Decimal(0))
        per_installment = sum((f.amount for f in self.fees
                if f.charged == 'installment'), Decimal(0))
        return upfront, per_installment

    @classmethod
    def update_cost(cls, contracts):
        "Store the annualized cost of the contracts' terms and fees"
        contracts = [c for c in contracts if c.amount and c.annual_rate
            is not None and c.term_months and c.start_date]
        if not contracts:
            return
        to_write = []
        for contract, schedule in zip(contracts, cls.schedules(contracts)):
            upfront, per_installment = contract.fee_totals()
            cost = contract.disclosed_cost(
                schedule, upfront=upfront, per_installment=per_installment)
            to_write.extend(([contract], {
                        'annualized_cost': cost['simple'],
                        }))
        cls.write(*to_write)

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            set_customer_scope(values, 'borrower')
        return values

    @classmethod
    def on_modification(cls, mode, contracts, field_names=None):
        super().on_modification(mode, contracts, field_names=field_names)
        if mode == 'create' or (
                mode == 'write' and field_names & cls._cost_fields):
            cls.update_cost(contracts)

    @classmethod
    @ModelView.button
    @checked_transition('reviewing')
    @Workflow.transition('reviewing')
    @set_actor('submitted')
    def submit(cls, contracts):
        "Submit the contracts for review, their terms within the product"
        for contract in contracts:
            contract.check_product_terms()

    @classmethod
    @ModelView.button
    @checked_transition('reviewed')
    @Workflow.transition('reviewed')
    @set_actor('reviewed')
    def review(cls, contracts):
        "Pass the contract review (合同审核): a reviewer, not the submitter"
        cls.check_reviewer(contracts)

    @classmethod
    def check_reviewer(cls, contracts):
        "Refuse a review by the user who submitted the contract"
        user = Transaction().user
        for contract in contracts:
            if (contract.submitted_user
                    and contract.submitted_user.id == user):
                raise ContractError(gettext(
                        'microloan_core.msg_contract_own_submission',
                        contract=contract.rec_name,
                        user=contract.submitted_user.rec_name))

    @classmethod
    @ModelView.button_action('microloan_core.wizard_contract_return')
    def return_review(cls, contracts):
        "Open the dialog that returns the contracts with a reason"

    @classmethod
    @checked_transition('draft', sources=['reviewing'])
    @Workflow.transition('draft')
    @reset_actor('returned', when='before')
    @set_actor('returned')
    def return_to_draft(cls, contracts, reason):
        """Send the contracts under review back to the officer as drafts
        with the reviewer's reason (a reviewer, not the submitter)"""
        if not (reason or '').strip():
            raise ContractError(gettext(
                    'microloan_core.msg_contract_return_reason',
                    contract=', '.join(c.rec_name for c in contracts)))
        cls.check_reviewer(contracts)
        cls.write(contracts, {'return_reason': reason.strip()})

    def refuse_scan(self, name):
        "Refuse the photo or scan name, whose content is not its type"
        raise ContractError(gettext(
                'microloan_core.msg_contract_file_type',
                name=name,
                contract=self.rec_name))

    @classmethod
    @ModelView.button
    @checked_transition('signed')
    @Workflow.transition('signed')
    @set_actor('signed')
    def sign(cls, contracts):
        """Record the face-sign (面签): date, place and witness filled, a
        photo attached"""
        photos = count_photos(contracts)
        for contract in contracts:
            if not (contract.sign_date and contract.sign_place
                    and contract.witness):
                raise ContractError(gettext(
                        'microloan_core.msg_contract_face_sign_missing',
                        contract=contract.rec_name))
            if not photos[contract.id]:
                raise ContractError(gettext(
                        'microloan_core.msg_contract_face_sign_photo',
                        contract=contract.rec_name))

    @classmethod
    @ModelView.button
    @checked_transition('closed')
    @Workflow.transition('closed')
    @set_actor('closed')
    def close(cls, contracts):
        Date = Pool().get('ir.date')
        cls.write(contracts, {'closed_date': Date.today()})

    @classmethod
    @ModelView.button
    @checked_transition('cancelled')
    @Workflow.transition('cancelled')
    def cancel(cls, contracts):
        pass

    @classmethod
    def check_drawdowns(cls, loans):
        """Refuse loans their contract cannot carry: signed, a single
        contract with one loan, the principal within what is available,
        the value date within the drawdown period, the contract's borrower,
        rate, method and basis (loans of one contract in one batch count
        together)"""
        pool = Pool()
        Lang = pool.get('ir.lang')
        Loan = pool.get('microloan.loan')
        lang = Lang.get()
        loans = [l for l in loans if l.contract]
        if not loans:
            return
        with without_check_access():
            contracts = cls.browse(list({l.contract.id for l in loans}))
            # serialise the drawdowns of a contract
            cls.lock(contracts)
            drawdowns = cls.get_drawdowns(
                contracts, exclude=[l.id for l in loans if l.id is not None])
            drawn = {i: d for i, (d, _) in drawdowns.items()}
            counts = {i: n for i, (_, n) in drawdowns.items()}
            for loan in loans:
                contract = cls(loan.contract.id)
                if contract.state != 'signed':
                    raise ContractDrawdownError(gettext(
                            'microloan_core.msg_contract_not_signed',
                            contract=contract.rec_name,
                            state=contract.state_string))
                if loan.borrower != contract.borrower:
                    raise ContractDrawdownError(gettext(
                            'microloan_core.msg_contract_borrower',
                            contract=contract.rec_name,
                            borrower=(loan.borrower.rec_name
                                if loan.borrower else ''),
                            party=contract.borrower.rec_name))
                if contract.kind == 'single' and counts[contract.id]:
                    raise ContractDrawdownError(gettext(
                            'microloan_core.msg_contract_single_loan',
                            contract=contract.rec_name))
                if loan.start_date and not (contract.start_date
                        <= loan.start_date <= contract.end_date):
                    raise ContractDrawdownError(gettext(
                            'microloan_core.msg_contract_validity',
                            contract=contract.rec_name,
                            date=lang.strftime(loan.start_date),
                            start_date=lang.strftime(contract.start_date),
                            end_date=lang.strftime(contract.end_date)))
                for name in LOAN_TERMS:
                    if getattr(loan, name) != getattr(contract, name):
                        raise ContractDrawdownError(gettext(
                                'microloan_core.msg_contract_loan_terms',
                                contract=contract.rec_name,
                                field=Loan.__names__(name)['field']))
                principal = loan.principal or Decimal(0)
                available = contract.amount - drawn[contract.id]
                if principal > available:
                    raise ContractDrawdownError(gettext(
                            'microloan_core.msg_contract_exceeded',
                            contract=contract.rec_name,
                            amount=lang.currency(
                                principal, contract.currency),
                            available=lang.currency(
                                max(available, Decimal(0)),
                                contract.currency)))
                drawn[contract.id] += principal
                counts[contract.id] += 1

    @property
    def borrower_identity(self):
        "The borrower's resident ID or unified social credit code"
        return self.borrower.resident_id or self.borrower.uscc or ''

    def report_schedule(self):
        """Return the schedule of the full amount for the contract text:
        its installments and a summary (count, first and last due dates,
        first installment, total interest, total repaid)"""
        schedule, = self.schedules([self])
        return {
            'installments': schedule,
            'count': len(schedule),
            'first_due_date': schedule[0]['due_date'],
            'maturity_date': schedule[-1]['due_date'],
            'first_total': schedule[0]['total'],
            'total_interest': sum(
                (r['interest'] for r in schedule), Decimal(0)),
            'total_due': sum((r['total'] for r in schedule), Decimal(0)),
            }


class ReturnStart(ModelView):
    "Return Loan Contract"
    __name__ = 'microloan.contract.return.start'
    __string__ = "Return Loan Contract"

    reason = fields.Text(
        "Return Reason", required=True,
        help="What the officer must change before submitting again.")


class Return(Wizard):
    "Return Loan Contract"
    __name__ = 'microloan.contract.return'

    start = StateView(
        'microloan.contract.return.start',
        'microloan_core.contract_return_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Return", 'return_', 'tryton-back', default=True),
            ])
    return_ = StateTransition()

    def transition_return_(self):
        "Return the contracts: who may is the wizard's groups (XML)"
        Contract = Pool().get('microloan.contract')
        with without_check_access():
            Contract.return_to_draft(
                Contract.browse(self.records), self.start.reason)
        return 'end'


class ContractFee(ModelSQL, ModelView):
    "Loan Contract Fee"
    __name__ = 'microloan.contract.fee'
    __string__ = "Loan Contract Fee"

    contract = fields.Many2One(
        'microloan.contract', "Loan Contract", required=True,
        ondelete='CASCADE')
    kind = fields.Selection(FEE_KINDS, "Kind", required=True, sort=False)
    kind_string = kind.translated('kind')
    charged = fields.Selection(
        FEE_CHARGED, "Charged", required=True, sort=False)
    charged_string = charged.translated('charged')
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True,
        domain=[('amount', '>=', 0)],
        help="For a fee charged with each installment, the amount of one "
        "installment.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('contract')

    @fields.depends('contract', '_parent_contract.company')
    def on_change_with_currency(self, name=None):
        if self.contract and self.contract.company:
            return self.contract.company.currency

    @classmethod
    def check_modification(cls, mode, fees, values=None, external=False):
        "The fees are terms: they change only on a draft contract"
        super().check_modification(
            mode, fees, values=values, external=external)
        Contract = Pool().get('microloan.contract')
        Contract.check_states([f.contract for f in fees],
            {'draft', 'cancelled'} if mode == 'delete' else {'draft'},
            'microloan_core.msg_document_not_draft')


class Loan(metaclass=PoolMeta):
    __name__ = 'microloan.loan'

    contract = fields.Many2One(
        'microloan.contract', "Loan Contract", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            If(Eval('borrower'),
                ('borrower', '=', Eval('borrower', -1)),
                ()),
            ],
        help="The signed loan contract (借款合同) the loan is drawn under; "
        "the loan takes its rate, method and basis.")

    @classmethod
    def _checked_fields(cls):
        return super()._checked_fields() | {
            'contract', 'principal', 'start_date', 'borrower', 'company',
            *LOAN_TERMS}

    @fields.depends('contract', 'borrower', *LOAN_TERMS)
    def on_change_contract(self):
        if self.contract:
            if not self.borrower:
                self.borrower = self.contract.borrower
            for name in LOAN_TERMS:
                setattr(self, name, getattr(self.contract, name))

    @classmethod
    def check_new_loans(cls, loans):
        Contract = Pool().get('microloan.contract')
        super().check_new_loans(loans)
        Contract.check_drawdowns(loans)

    @classmethod
    def copy(cls, loans, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('contract', None)
        return super().copy(loans, default=default)


class ContractReport(DocumentReport):
    "Loan contract (借款合同) as printed for signing"
    __name__ = 'microloan.contract.report'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        record = context['record']
        context['schedule'] = record.report_schedule() if record else None
        return context

    @classmethod
    def watermark(cls, contract):
        "草稿 until the contract is signed, 作废 once cancelled"
        if contract.state == 'cancelled':
            return '作废'
        if contract.state not in {'signed', 'closed'}:
            return '草稿'
        return ''
