# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Loan application (业务受理): what a customer asks for, investigated,
assessed and checked before it goes through the approval flow.

The officer records the request (product, amount, term, method, purpose,
guarantee kind), the investigation (A/B officers, report, photos, the
financial statement analysed) and the schedule preview the engine computes
with the comprehensive annualised cost (综合年化成本, fees included), which is
disclosed before any contract.  Submitting checks the product's terms, the
annual cost cap (24 % by default, unless an authorised override is
recorded), the concentration limits, the blacklist and the credit line.
"""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction, without_check_access

from .approval import ApprovalMixin
from .concentration import check_concentration
from .exceptions import ApplicationError
from .loan import ScheduleRowMixin
from .terms import APR_DIGITS, METHODS, RATE_DIGITS, TermsMixin
from .attachment import count_photos
from .tools import (
    open_records, percent, rec_name_domain, set_customer_scope)
from .workflow import (
    NumberedDocumentMixin, checked_transition, reset_actor, set_actor)

GUARANTEE_KINDS = [
    ('credit', "Credit"),
    ('guaranteed', "Guaranteed"),
    ('mortgage', "Mortgage"),
    ('pledge', "Pledge"),
    ]
# The uses of the regulator's monthly report (docs/domain.md)
PURPOSES = [
    ('agriculture', "Agriculture"),
    ('industry_commerce', "Industry and Commerce"),
    ('consumption', "Consumption"),
    ('other', "Other Use"),
    ]
# The purpose an application takes from the kind of its product
KIND_PURPOSES = {
    'consumer': 'consumption',
    'business': 'industry_commerce',
    'agriculture': 'agriculture',
    }
CONTRACT_KINDS = [
    ('single', "Single Loan"),
    ('credit_line', "Credit Line Contract"),
    ]
RISK_LEVELS = [
    ('low', "Low Risk"),
    ('medium', "Medium Risk"),
    ('high', "High Risk"),
    ]
# Changing one of these makes the schedule preview and its cost stale.
TERM_FIELDS = {
    'product', 'amount', 'annual_rate', 'term_months', 'method', 'basis',
    'start_date'}
# The fields of a complete investigation (the product may require it)
INVESTIGATION_FIELDS = [
    'investigator_a', 'investigator_b', 'investigation_date',
    'investigation_report']
# The fields that are frozen once the application leaves draft.
DRAFT_FIELDS = TERM_FIELDS | {
    'borrower', 'company', 'purpose', 'purpose_detail', 'guarantee_kind',
    'credit_line', 'blacklist_override', 'contract_kind'}


class Application(TermsMixin, ApprovalMixin, NumberedDocumentMixin,
        Workflow, ModelSQL, ModelView):
    "Loan Application"
    __name__ = 'microloan.application'
    __string__ = "Loan Application"
    _sequence = 'sequence_application'
    _actor_steps = ('cap_override', 'risk_assessed', 'submitted')
    _copy_reset = (
        'schedule_lines', 'apr_simple', 'apr_compound', 'cap_override_reason',
        'risk_level', 'risk_opinion', 'blacklist_override', 'contracts')
    _draft_fields = DRAFT_FIELDS
    _state_error = ApplicationError
    _approval_action = 'microloan_core.act_application_form'

    _draft = {
        'readonly': Eval('state') != 'draft',
        }

    number = fields.Char("Application Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_draft)
    borrower = fields.Many2One(
        'party.party', "Borrower", required=True, states=_draft,
        domain=[('customer_kind', '!=', None)],
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    loan_officer = fields.Many2One(
        'company.employee', "Loan Officer", readonly=True,
        help="The borrower's loan officer when the application was made.")
    branch = fields.Many2One('microloan.branch', "Branch", readonly=True)
    product = fields.Many2One(
        'microloan.product', "Loan Product", required=True, states=_draft,
        domain=[('company', '=', Eval('company', -1))])
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    amount = Monetary(
        "Amount Requested", currency='currency', digits='currency',
        required=True)
    start_date = fields.Date(
        "Expected Value Date", required=True, states=_draft,
        help="The date from which the schedule preview runs.")
    purpose = fields.Selection(
        PURPOSES, "Loan Purpose", required=True, sort=False, states=_draft)
    purpose_string = purpose.translated('purpose')
    purpose_detail = fields.Text("Purpose Detail", states=_draft)
    guarantee_kind = fields.Selection(
        GUARANTEE_KINDS, "Guarantee Kind", required=True, sort=False,
        states=_draft,
        help="The details of guarantees and collateral are recorded by "
        "the guarantee module.")
    guarantee_kind_string = guarantee_kind.translated('guarantee_kind')
    contract_kind = fields.Selection(
        CONTRACT_KINDS, "Contract Kind", required=True, sort=False,
        states=_draft,
        help="A credit-line contract allows several drawdowns within its "
        "amount and period.")
    contracts = fields.One2Many(
        'microloan.contract', 'application', "Loan Contracts",
        readonly=True)
    credit_line = fields.Many2One(
        'microloan.credit_line', "Credit Line", states=_draft,
        domain=[
            ('party', '=', Eval('borrower', -1)),
            ('company', '=', Eval('company', -1)),
            ])
    blacklist_override = fields.Many2One(
        'microloan.blacklist.override', "Blacklist Override",
        states=_draft,
        domain=[
            ('party', '=', Eval('borrower', -1)),
            ('state', '=', 'approved'),
            ],
        help="The approved override that lets a blacklisted customer "
        "apply.")

    investigator_a = fields.Many2One(
        'company.employee', "Investigator A",
        states={
            'readonly': ~Eval('state').in_(['draft', 'submitted']),
            },
        help="The officer who leads the investigation (A角).")
    investigator_b = fields.Many2One(
        'company.employee', "Investigator B",
        domain=[If(Bool(Eval('investigator_a')),
                ('id', '!=', Eval('investigator_a', -1)),
                ())],
        states={
            'readonly': ~Eval('state').in_(['draft', 'submitted']),
            },
        help="The second officer of the investigation (B角).")
    investigation_date = fields.Date(
        "Investigation Date",
        states={
            'readonly': ~Eval('state').in_(['draft', 'submitted']),
            })
    investigation_report = fields.Text(
        "Investigation Report",
        states={
            'readonly': ~Eval('state').in_(['draft', 'submitted']),
            })
    financial_statement = fields.Many2One(
        'microloan.party.financial_statement', "Financial Statement",
        domain=[('party', '=', Eval('borrower', -1))],
        states={
            'readonly': ~Eval('state').in_(['draft', 'submitted']),
            },
        help="The statement whose ratios the investigation analysed.")
    photo_count = fields.Function(
        fields.Integer("Investigation Photos",
            help="Photos attached to the application."),
        'get_photo_count')

    risk_level = fields.Selection(
        [(None, "")] + RISK_LEVELS, "Risk Level", sort=False,
        states={
            'readonly': Eval('state') != 'submitted',
            })
    risk_level_string = risk_level.translated('risk_level')
    risk_opinion = fields.Text(
        "Risk Opinion",
        states={
            'readonly': Eval('state') != 'submitted',
            })
    risk_assessed_by = fields.Many2One(
        'company.employee', "Risk Assessed By", readonly=True)
    risk_assessed_user = fields.Many2One(
        'res.user', "Risk Assessed by User", readonly=True)
    risk_assessed_at = fields.DateTime("Risk Assessed At", readonly=True)

    schedule_lines = fields.One2Many(
        'microloan.application.schedule_line', 'application',
        "Schedule Preview", readonly=True)
    fees_upfront = fields.Function(Monetary(
            "Fees Paid Upfront", currency='currency', digits='currency',
            help="Fees paid at signing and at disbursement."),
        'on_change_with_fees_upfront')
    fee_per_installment = fields.Function(Monetary(
            "Fee per Installment", currency='currency', digits='currency'),
        'on_change_with_fee_per_installment')
    total_interest = fields.Function(Monetary(
            "Total Interest", currency='currency', digits='currency'),
        'get_totals')
    total_cost = fields.Function(Monetary(
            "Total Cost to Borrower", currency='currency',
            digits='currency',
            help="Interest and every fee the borrower pays."),
        'get_totals')
    apr_simple = fields.Numeric(
        "Annualized Cost (Simple)", digits=APR_DIGITS, readonly=True,
        help="Comprehensive annualized cost by the IRR method: 12 x the "
        "monthly IRR.")
    apr_compound = fields.Numeric(
        "Annualized Cost (Compound)", digits=APR_DIGITS, readonly=True,
        help="Comprehensive annualized cost by the IRR method: "
        "(1 + monthly IRR)^12 - 1.")
    rate_cap = fields.Function(
        fields.Numeric("Annual Cost Cap", digits=RATE_DIGITS),
        'get_rate_cap')
    above_cap = fields.Function(
        fields.Boolean("Above the Cost Cap"), 'get_above_cap')
    cap_override_reason = fields.Text(
        "Override Reason",
        states={
            'readonly': Eval('state') != 'draft',
            'invisible': ~Eval('above_cap'),
            },
        help="Why the cost above the cap is accepted.")
    cap_override_by = fields.Many2One(
        'company.employee', "Override Authorised By", readonly=True,
        states={
            'invisible': ~Eval('above_cap'),
            })
    cap_override_user = fields.Many2One(
        'res.user', "Override Authorised by User", readonly=True,
        states={
            'invisible': ~Eval('above_cap'),
            })
    cap_override_at = fields.DateTime(
        "Override Authorised At", readonly=True,
        states={
            'invisible': ~Eval('above_cap'),
            })

    submitted_by = fields.Many2One(
        'company.employee', "Submitted By", readonly=True)
    submitted_user = fields.Many2One(
        'res.user', "Submitted by User", readonly=True)
    submitted_at = fields.DateTime("Submitted At", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('submitted', "In Approval"),
            ('approved', "Approved"),
            ('rejected', "Rejected"),
            ('contracted', "Contracted"),
            ('cancelled', "Cancelled"),
            ], "Application State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')
    # the state's label as a chart groups by it (the web client's graphs
    # show a selection's key)
    state_label = fields.Function(
        fields.Char("Application State"), 'get_state_label')

    def get_state_label(self, name):
        return self.state_string

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # an application asks for a schedule by method, not a free plan
        cls.method.selection = [m for m in METHODS if m[0] != 'free']
        cls._order = [('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'submitted'),
            ('draft', 'cancelled'),
            ('submitted', 'approved'),
            ('submitted', 'rejected'),
            ('submitted', 'draft'),
            ('approved', 'contracted'),
            ('approved', 'cancelled'),
            ('rejected', 'draft'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update({
                'compute_preview': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-refresh',
                    'depends': ['state'],
                    },
                'authorise_cap_override': {
                    'invisible': ((Eval('state') != 'draft')
                        | ~Eval('above_cap')
                        | Bool(Eval('cap_override_user'))),
                    'icon': 'tryton-ok',
                    'depends': ['state', 'above_cap', 'cap_override_user'],
                    },
                'submit': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'assess_risk': {
                    'invisible': Eval('state') != 'submitted',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(['draft', 'approved']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': ~Eval('state').in_(
                        ['rejected', 'cancelled']),
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'create_contract': {
                    'invisible': Eval('state') != 'approved',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_start_date():
        return Pool().get('ir.date').today()

    @staticmethod
    def default_basis():
        return 'month'

    @staticmethod
    def default_guarantee_kind():
        return 'credit'

    @staticmethod
    def default_contract_kind():
        return 'single'

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends('product', 'method', 'basis', 'annual_rate',
        'term_months')
    def on_change_product(self):
        """Take the product's defaults where the terms are not set yet and
        the purpose of the product's kind"""
        product = self.product
        if not product:
            return
        if product.kind in KIND_PURPOSES:
            self.purpose = KIND_PURPOSES[product.kind]
        if product.default_method != 'free' and (
                not self.method or self.method not in product.methods):
            self.method = product.default_method
        if not self.basis or self.basis not in product.bases:
            self.basis = product.bases[0]
        if self.annual_rate is None:
            self.annual_rate = product.min_rate
        if not self.term_months:
            self.term_months = product.min_term

    @fields.depends('borrower', 'company', 'start_date', 'credit_line')
    def on_change_borrower(self):
        "Take the borrower's credit line in force"
        CreditLine = Pool().get('microloan.credit_line')
        self.credit_line = CreditLine.in_force(
            self.company, self.borrower, self.start_date)

    @fields.depends('product', 'amount')
    def on_change_with_fees_upfront(self, name=None):
        if not (self.product and self.amount):
            return None
        return sum((a for f, a in self.product.fee_amounts(self.amount)
                if f.charged in {'signing', 'disbursement'}), Decimal(0))

    @fields.depends('product', 'amount')
    def on_change_with_fee_per_installment(self, name=None):
        if not (self.product and self.amount):
            return None
        return sum((a for f, a in self.product.fee_amounts(
                        self.amount, 'installment')), Decimal(0))

    @classmethod
    def get_totals(cls, applications, names):
        result = {n: {a.id: None for a in applications} for n in names}
        for application in applications:
            if not application.schedule_lines:
                continue
            interest = sum(
                (l.interest for l in application.schedule_lines),
                Decimal(0))
            fees = sum(
                (l.fee for l in application.schedule_lines), Decimal(0))
            if 'total_interest' in result:
                result['total_interest'][application.id] = interest
            if 'total_cost' in result:
                result['total_cost'][application.id] = (
                    interest + fees + (application.fees_upfront or 0))
        return result

    @classmethod
    def get_rate_cap(cls, applications, name):
        Configuration = Pool().get('microloan.configuration')
        cap = Configuration(1).rate_cap
        return {a.id: cap for a in applications}

    def get_above_cap(self, name):
        return bool(self.apr_simple is not None and self.rate_cap is not None
            and self.apr_simple > self.rate_cap)

    @classmethod
    def get_photo_count(cls, applications, name):
        "Count the photos attached to the applications"
        return count_photos(applications)

    def refuse_scan(self, name):
        "Refuse the photo or scan name, whose content is not its type"
        raise ApplicationError(gettext(
                'microloan_core.msg_application_photo_type',
                name=name,
                application=self.rec_name))

    def get_rec_name(self, name):
        if self.borrower:
            return '%s %s' % (self.number or '', self.borrower.rec_name)
        return self.number or ''

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, 'number', 'borrower.rec_name')

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/form//page[@id="override"]', 'states', {
                    'invisible': ~Eval('above_cap'),
                    }),
            ('/tree', 'visual',
                If(Eval('state') == 'rejected', 'danger',
                    If(Eval('state') == 'approved', 'success', ''))),
            ]

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            set_customer_scope(values, 'borrower')
            if 'purpose' not in values and values.get('product'):
                Product = Pool().get('microloan.product')
                values['purpose'] = KIND_PURPOSES.get(
                    Product(values['product']).kind)
        elif TERM_FIELDS & values.keys():
            # a new cost needs a new authorisation
            values.setdefault('cap_override_by', None)
            values.setdefault('cap_override_user', None)
            values.setdefault('cap_override_at', None)
        return values

    @classmethod
    def on_write(cls, applications, values):
        callbacks = super().on_write(applications, values)
        if TERM_FIELDS & values.keys():
            # the preview and its cost are stale
            callbacks.append(lambda: cls.clear_preview(applications))
        return callbacks

    @classmethod
    def validate_fields(cls, applications, field_names):
        super().validate_fields(applications, field_names)
        if field_names & {'investigator_a', 'investigator_b'}:
            for application in applications:
                application.check_investigators()

    def check_investigators(self):
        if (self.investigator_a and self.investigator_b
                and self.investigator_a == self.investigator_b):
            raise ApplicationError(gettext(
                    'microloan_core.msg_application_investigators',
                    application=self.rec_name,
                    employee=self.investigator_a.rec_name))

    @classmethod
    def clear_preview(cls, applications):
        Line = Pool().get('microloan.application.schedule_line')
        with without_check_access():
            Line.delete([l for a in applications for l in a.schedule_lines])
        cls.write(applications, {
                'apr_simple': None,
                'apr_compound': None,
                })

    @classmethod
    @ModelView.button
    def compute_preview(cls, applications):
        """Compute the schedule preview and the comprehensive annualised
        cost of the applications with the engine (one call for all)"""
        Line = Pool().get('microloan.application.schedule_line')
        for application in applications:
            application.check_product_terms()
        schedules = cls.schedules(applications)
        cls.clear_preview(applications)
        to_create, to_write = [], []
        for application, schedule in zip(applications, schedules):
            fee = application.fee_per_installment or Decimal(0)
            for row in schedule:
                to_create.append(Line.values_from_engine(
                        application,
                        dict(row, fee=fee, total=row['total'] + fee)))
            cost = application.disclosed_cost(
                schedule, upfront=application.fees_upfront,
                per_installment=fee)
            to_write.extend(([application], {
                        'apr_simple': cost['simple'],
                        'apr_compound': cost['compound'],
                        }))
        with without_check_access():
            Line.create(to_create)
        if to_write:
            super().write(*to_write)

    @classmethod
    @ModelView.button
    @set_actor('cap_override')
    def authorise_cap_override(cls, applications):
        """Record the authorisation of a cost above the cap: by a risk
        officer, an approver or an administrator (the button's groups)
        other than the officer who made the application, with a reason"""
        user = Transaction().user
        for application in applications:
            if not application.above_cap:
                raise ApplicationError(gettext(
                        'microloan_core.msg_application_override_useless',
                        application=application.rec_name,
                        cost=percent(application.apr_simple or 0),
                        cap=percent(application.rate_cap)))
            if application.create_uid.id == user:
                raise ApplicationError(gettext(
                        'microloan_core.msg_application_override_self',
                        application=application.rec_name))
            if not (application.cap_override_reason or '').strip():
                raise ApplicationError(gettext(
                        'microloan_core.msg_application_override_reason',
                        application=application.rec_name))

    def check_cost_cap(self):
        "Refuse a cost above the cap without an authorised override"
        if self.above_cap and not self.cap_override_user:
            raise ApplicationError(gettext(
                    'microloan_core.msg_application_above_cap',
                    application=self.rec_name,
                    cost=percent(self.apr_simple),
                    cap=percent(self.rate_cap)))

    def check_credit_line(self):
        "Refuse an amount the credit line cannot carry"
        CreditLine = Pool().get('microloan.credit_line')
        with without_check_access():
            CreditLine.check_required(self.borrower, self.credit_line)
            if not self.credit_line:
                return
            line = CreditLine(self.credit_line.id)
            used = CreditLine.get_utilisation([line])[line.id]
            line.check_use(self.amount, self.start_date, used)

    def missing_steps(self):
        """Return the translated descriptions of what the product requires
        before submission and the application still lacks: the
        investigation's empty fields, the borrower's required materials
        not signed off"""
        MaterialType = Pool().get('microloan.material.type')
        product = self.product
        missing = []
        if product.require_investigation:
            empty = [n for n in INVESTIGATION_FIELDS if not (
                    getattr(self, n).strip()
                    if isinstance(getattr(self, n), str)
                    else getattr(self, n))]
            if empty:
                names = self.fields_get(empty)
                missing.append(gettext(
                        'microloan_core.msg_application_missing_investigation',
                        fields='、'.join(names[n]['string'] for n in empty)))
        if product.require_materials:
            with without_check_access():
                materials = MaterialType.missing_signed(
                    [self.borrower])[self.borrower.id]
            if materials:
                missing.append(gettext(
                        'microloan_core.msg_application_missing_materials',
                        materials='、'.join(materials)))
        return missing

    def check_required_steps(self):
        "Refuse in one message what the product requires and is missing"
        missing = self.missing_steps()
        if missing:
            raise ApplicationError(gettext(
                    'microloan_core.msg_application_steps_missing',
                    application=self.rec_name,
                    product=self.product.rec_name,
                    missing='；'.join(missing)))

    def check_origination(self):
        """Run every check of a new application: what its product requires
        before submission, the product's terms, the cost cap, the
        blacklist, the credit line and the concentration limits; each
        refuses with a translated message"""
        self.check_required_steps()
        self.check_product_terms()
        self.check_cost_cap()
        self.borrower.check_new_business(
            self.amount, self.start_date, override=self.blacklist_override)
        self.check_credit_line()
        check_concentration(
            self.company, self.borrower, self.amount, self.start_date,
            exclude_application=self.id)

    @classmethod
    @ModelView.button
    @checked_transition('submitted')
    @reset_actor('submitted', when='before')
    @set_actor('submitted')
    def submit(cls, applications):
        """Check the applications and send them into their approval flow
        (an application no flow matches is approved at once)"""
        stale = [a for a in applications if not a.schedule_lines]
        if stale:
            cls.compute_preview(stale)
            applications = cls.browse(applications)
        for application in applications:
            application.check_origination()
        cls.write(applications, {'state': 'submitted'})
        cls.log(applications, 'transition', 'state:submitted')
        cls.request_approval(cls.browse(applications))

    def approval_parties(self):
        return [self.borrower]

    def approval_context(self):
        return {
            'company': self.company,
            'branch': self.branch,
            'product': self.product,
            'amount': self.amount,
            }

    def approval_check(self, action):
        """Refuse to approve a step while the risk assessment the product
        requires is not recorded"""
        super().approval_check(action)
        if (action == 'approve' and self.product.require_risk_assessment
                and not self.risk_assessed_user):
            raise ApplicationError(gettext(
                    'microloan_core.msg_application_risk_required',
                    application=self.rec_name,
                    product=self.product.rec_name))

    def approval_summary(self):
        "What a decision on the application needs (the step form)"
        summary = super().approval_summary()
        borrower = self.borrower
        investigators = [e.rec_name for e in [
                self.investigator_a, self.investigator_b] if e]
        summary.update({
                'customer': borrower.rec_name,
                'currency': self.currency.id if self.currency else None,
                'amount': self.amount,
                'product': self.product.rec_name,
                'term_months': self.term_months,
                'annual_rate': self.annual_rate,
                'method': dict(self.fields_get(['method'])['method'][
                        'selection']).get(self.method),
                'disclosed_cost': self.apr_simple,
                'purpose': self.purpose_string,
                'guarantee_kind': self.guarantee_kind_string,
                'investigators': '、'.join(investigators),
                'investigation_date': self.investigation_date,
                'investigation_report': self.investigation_report,
                'risk_level': self.risk_level_string,
                'risk_opinion': self.risk_opinion,
                'risk_assessed_by': (self.risk_assessed_by.rec_name
                    if self.risk_assessed_by else None),
                'materials': borrower.materials_summary(),
                'file_completeness': borrower.completeness,
                })
        return summary

    @classmethod
    @Workflow.transition('approved')
    def approval_approved(cls, applications):
        pass

    @classmethod
    @Workflow.transition('rejected')
    def approval_rejected(cls, applications):
        pass

    @classmethod
    @Workflow.transition('draft')
    def approval_returned(cls, applications):
        pass

    @classmethod
    @Workflow.transition('draft')
    def approval_withdrawn(cls, applications):
        pass

    @classmethod
    @ModelView.button
    @reset_actor('risk_assessed', when='before')
    @set_actor('risk_assessed')
    def assess_risk(cls, applications):
        "Record the risk officer's assessment (the last one counts)"
        for application in applications:
            if application.state != 'submitted' or not application.risk_level:
                raise ApplicationError(gettext(
                        'microloan_core.msg_application_risk_level',
                        application=application.rec_name))

    def contract_values(self):
        "Return the values of the draft contract of the application"
        Contract = Pool().get('microloan.contract')
        purpose = self.purpose_string
        if self.purpose_detail:
            purpose = '%s: %s' % (purpose, self.purpose_detail.strip())
        return Contract.values_from_terms(
            self.borrower, self.product, self.amount, self.annual_rate,
            self.term_months, self.method, self.basis, self.start_date,
            kind=self.contract_kind, purpose=purpose,
            guarantee_kind=self.guarantee_kind, application=self.id)

    @classmethod
    @ModelView.button_action('microloan_core.act_contract_form')
    @checked_transition('contracted')
    @Workflow.transition('contracted')
    def create_contract(cls, applications):
        """Draw up the contract (合同出具) of approved applications; open it
        (on its form when there is one)"""
        Contract = Pool().get('microloan.contract')
        with without_check_access():
            contracts = Contract.create(
                [a.contract_values() for a in applications])
        return open_records(
            'microloan_core.act_contract_form', [c.id for c in contracts])

    @classmethod
    @ModelView.button
    @checked_transition('cancelled')
    @Workflow.transition('cancelled')
    def cancel(cls, applications):
        pass

    @classmethod
    @ModelView.button
    @checked_transition('draft', sources=['rejected', 'cancelled'])
    @Workflow.transition('draft')
    def draft(cls, applications):
        pass


class ApprovalFlow(metaclass=PoolMeta):
    __name__ = 'microloan.approval.flow'

    @classmethod
    def _get_documents(cls):
        return super()._get_documents() + ['microloan.application']


class ApplicationScheduleLine(ScheduleRowMixin, ModelSQL, ModelView):
    "Loan Application Schedule Preview Line"
    __name__ = 'microloan.application.schedule_line'
    __string__ = "Loan Application Schedule Preview Line"
    _engine_keys = ('fee',)

    application = fields.Many2One(
        'microloan.application', "Loan Application", required=True,
        ondelete='CASCADE')
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    fee = Monetary(
        "Installment Fee", currency='currency', digits='currency',
        required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('application')
        cls._order = [('application', 'ASC'), ('seq', 'ASC'), ('id', 'ASC')]

    @fields.depends('application', '_parent_application.company')
    def on_change_with_currency(self, name=None):
        if self.application and self.application.company:
            return self.application.company.currency

    @classmethod
    def values_from_engine(cls, application, row):
        "Return the create values of an engine row (with its fee)"
        return dict(cls.engine_values(row), application=application.id)
