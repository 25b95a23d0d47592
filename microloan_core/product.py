# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Loan products (贷款产品): what a loan may be.

A product allows repayment methods and interest bases, a range of rates,
terms and amounts, fees (评审费, 服务费, 手续费: a fixed amount or a share of
the principal, charged at signing, at disbursement or with each
installment), a penalty rule (罚息: the contract rate plus a markup),
compound interest on overdue interest, grace days and the order in which a
repayment is allocated.  Applications and contracts check their terms
against it with ``check_terms``.
"""
import dataclasses
from decimal import ROUND_HALF_UP, Decimal

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, fields, sequence_ordered)
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction

from . import engine
from .exceptions import ProductError, ProductTermsError
from .terms import BASES, METHODS, RATE_DIGITS
from .tools import percent, rec_name_domain

FEE_KINDS = [
    ('review', "Review Fee"),
    ('service', "Service Fee"),
    ('handling', "Handling Fee"),
    ('prepayment', "Prepayment Fee"),
    ]
FEE_COMPUTATIONS = [
    ('fixed', "Fixed Amount"),
    ('percentage', "Percentage of Principal"),
    ]
FEE_CHARGED = [
    ('signing', "At Signing"),
    ('disbursement', "At Disbursement"),
    ('installment', "With Each Installment"),
    # on the principal prepaid by a loan change (提前还款违约金)
    ('prepayment', "On Prepayment"),
    ]
# The kind of a product: what its loans are for (the application's default
# purpose follows it, application.py)
PRODUCT_KINDS = [
    ('consumer', "Consumer Loan"),
    ('business', "Business Loan"),
    ('agriculture', "Agricultural Loan"),
    ]
# What a repayment pays, in the default order (docs/domain.md, Rates)
COMPONENTS = [
    ('fees', "Fees"),
    ('penalty', "Penalty Interest"),
    ('compound', "Compound Interest"),
    ('interest', "Interest"),
    ('principal', "Principal"),
    ]


# How a repayment runs through what is due (docs/servicing.md, rule 2)
ALLOCATION_METHODS = [
    ('installment', "By Installment"),
    ('component', "By Component"),
    ]


# The (minimum, maximum) fields of a product's ranges
RANGES = [
    ('min_rate', 'max_rate'),
    ('min_term', 'max_term'),
    ('min_amount', 'max_amount'),
    ]


class Product(DeactivableMixin, ModelSQL, ModelView):
    "Loan Product"
    __name__ = 'microloan.product'
    __string__ = "Loan Product"

    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Code", required=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    description = fields.Text("Description")
    kind = fields.Selection(
        PRODUCT_KINDS, "Product Kind", required=True, sort=False,
        help="What the loans of the product are for: an application's "
        "purpose follows it.")
    kind_string = kind.translated('kind')
    require_investigation = fields.Boolean(
        "Investigation Required",
        help="An application of the product is submitted only once its "
        "investigation is recorded: investigators A and B, date and "
        "report.")
    require_materials = fields.Boolean(
        "Materials Required",
        help="An application of the product is submitted only once the "
        "borrower's required materials are signed off.")
    require_risk_assessment = fields.Boolean(
        "Risk Assessment Required",
        help="An application of the product is approved at a step of its "
        "approval only once the risk officer recorded his assessment "
        "(risk level and opinion).")
    methods = fields.MultiSelection(
        METHODS, "Repayment Methods", required=True, sort=False)
    default_method = fields.Selection(
        METHODS, "Default Method", required=True, sort=False)
    bases = fields.MultiSelection(
        BASES, "Interest Bases", required=True, sort=False)
    min_rate = fields.Numeric(
        "Minimum Rate", digits=RATE_DIGITS, required=True,
        domain=[('min_rate', '>=', 0)],
        help="Nominal annual rate, e.g. 0.08 for 8 %.")
    max_rate = fields.Numeric(
        "Maximum Rate", digits=RATE_DIGITS, required=True,
        domain=[('max_rate', '<', 1)])
    min_term = fields.Integer(
        "Minimum Term (Months)", required=True,
        domain=[('min_term', '>=', 1)])
    max_term = fields.Integer("Maximum Term (Months)", required=True)
    min_amount = Monetary(
        "Minimum Amount", currency='currency', digits='currency',
        required=True,
        domain=[('min_amount', '>', 0)])
    max_amount = Monetary(
        "Maximum Amount", currency='currency', digits='currency',
        required=True)
    fees = fields.One2Many('microloan.product.fee', 'product', "Fees")
    penalty_markup = fields.Numeric(
        "Penalty Markup", digits=(16, 4), required=True,
        domain=[('penalty_markup', '>=', 0), ('penalty_markup', '<=', 1)],
        help="Penalty interest (罚息) on overdue principal runs at the "
        "contract rate increased by this share, e.g. 0.5: rate x 1.5.")
    compound_interest = fields.Boolean(
        "Compound Interest",
        help="Charge compound interest (复利) on overdue interest at the "
        "penalty rate.")
    grace_days = fields.Integer(
        "Grace Days", required=True, domain=[('grace_days', '>=', 0)],
        help="Days after a due date before penalty interest runs.")
    allocation = fields.One2Many(
        'microloan.product.allocation', 'product', "Allocation Order",
        help="The order in which a repayment pays what is due.")
    allocation_method = fields.Selection(
        ALLOCATION_METHODS, "Allocation Method", required=True, sort=False,
        help="By installment: the oldest installment is paid in full, in "
        "the order above, before the next; by component: each component "
        "of every installment due, oldest first, before the next "
        "component.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('code', 'ASC'))

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_kind():
        return 'business'

    @staticmethod
    def default_methods():
        return ['equal_installment']

    @staticmethod
    def default_default_method():
        return 'equal_installment'

    @staticmethod
    def default_bases():
        return ['month']

    @staticmethod
    def default_penalty_markup():
        return Decimal('0.5')

    @staticmethod
    def default_compound_interest():
        return True

    @staticmethod
    def default_grace_days():
        return 0

    @staticmethod
    def default_allocation_method():
        return 'installment'

    @classmethod
    def default_allocation(cls):
        return [{'sequence': i, 'component': c}
            for i, (c, _) in enumerate(COMPONENTS, 1)]

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    def get_rec_name(self, name):
        return '[%s] %s' % (self.code, self.name)

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, 'code', 'name')

    @classmethod
    def validate(cls, products):
        super().validate(products)
        for product in products:
            product.check_ranges()
            product.check_default_method()
            product.check_allocation()

    def check_ranges(self):
        """Refuse a minimum above its maximum with a message naming both
        (a domain would blame the minimum alone)"""
        pool = Pool()
        Lang = pool.get('ir.lang')
        lang = Lang.get()
        formats = {
            'min_rate': percent,
            'min_term': str,
            'min_amount': lambda a: lang.currency(a, self.currency),
            }
        for low, high in RANGES:
            low_value, high_value = getattr(self, low), getattr(self, high)
            if (low_value is not None and high_value is not None
                    and low_value > high_value):
                raise ProductError(gettext(
                        'microloan_core.msg_product_range',
                        product=self.rec_name,
                        low_field=self.__names__(low)['field'],
                        low=formats[low](low_value),
                        high_field=self.__names__(high)['field'],
                        high=formats[low](high_value)))

    def check_default_method(self):
        if self.default_method not in (self.methods or ()):
            raise ProductError(gettext(
                    'microloan_core.msg_product_default_method',
                    product=self.rec_name))

    def check_allocation(self):
        "Each component is allocated exactly once"
        components = [a.component for a in self.allocation]
        if sorted(components) != sorted(c for c, _ in COMPONENTS):
            raise ProductError(gettext(
                    'microloan_core.msg_product_allocation',
                    product=self.rec_name))

    @property
    def allocation_order(self):
        "The components in the order a repayment pays them"
        return [a.component for a in sorted(
                self.allocation, key=lambda a: (a.sequence or 0, a.id))]

    def penalty_rate(self, annual_rate):
        "Return the annual penalty rate for a contract rate"
        exp = Decimal(1).scaleb(-RATE_DIGITS[1])
        return (annual_rate * (1 + self.penalty_markup)).quantize(
            exp, rounding=ROUND_HALF_UP)

    def fee_amounts(self, principal, charged=None):
        """Return [(fee, amount)] for a loan of principal, each amount
        rounded half up to the fen; only the fees charged so when given"""
        return [(fee, fee.amount_for(principal)) for fee in self.fees
            if charged is None or fee.charged == charged]

    def check_terms(self, principal, annual_rate, term_months, method,
            basis):
        "Refuse terms outside the product with a translated message"
        pool = Pool()
        Lang = pool.get('ir.lang')
        Loan = pool.get('microloan.loan')
        lang = Lang.get()
        selections = self.fields_get(['methods', 'bases'])

        def refuse(field, value, allowed):
            # named as on the loan: principal, annual rate, term...
            raise ProductTermsError(gettext(
                    'microloan_core.msg_product_terms',
                    product=self.rec_name,
                    field=Loan.__names__(field)['field'],
                    value=value, allowed=allowed))

        if not self.min_amount <= principal <= self.max_amount:
            refuse('principal', lang.currency(principal, self.currency),
                '%s - %s' % (
                    lang.currency(self.min_amount, self.currency),
                    lang.currency(self.max_amount, self.currency)))
        if not self.min_rate <= annual_rate <= self.max_rate:
            refuse('annual_rate', percent(annual_rate),
                '%s - %s' % (percent(self.min_rate), percent(self.max_rate)))
        if method != 'free' and not (
                self.min_term <= (term_months or 0) <= self.max_term):
            refuse('term_months', term_months,
                '%s - %s' % (self.min_term, self.max_term))
        if method not in self.methods:
            methods = dict(selections['methods']['selection'])
            refuse('method', methods.get(method, method),
                ', '.join(methods[m] for m in self.methods))
        if method != 'free' and basis not in self.bases:
            bases = dict(selections['bases']['selection'])
            refuse('basis', bases.get(basis, basis),
                ', '.join(bases[b] for b in self.bases))


class ProductFee(sequence_ordered(), ModelSQL, ModelView):
    "Loan Product Fee"
    __name__ = 'microloan.product.fee'
    __string__ = "Loan Product Fee"

    product = fields.Many2One(
        'microloan.product', "Product", required=True, ondelete='CASCADE')
    kind = fields.Selection(FEE_KINDS, "Kind", required=True, sort=False)
    kind_string = kind.translated('kind')
    computation = fields.Selection(
        FEE_COMPUTATIONS, "Computation", required=True, sort=False)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    amount = Monetary(
        "Amount", currency='currency', digits='currency',
        domain=[If(Eval('computation') == 'fixed',
                [('amount', '>=', 0)],
                [])],
        states={
            'required': Eval('computation') == 'fixed',
            'invisible': Eval('computation') != 'fixed',
            })
    rate = fields.Numeric(
        "Rate", digits=RATE_DIGITS,
        domain=[If(Eval('computation') == 'percentage',
                [('rate', '>=', 0), ('rate', '<=', 1)],
                [])],
        states={
            'required': Eval('computation') == 'percentage',
            'invisible': Eval('computation') != 'percentage',
            },
        help="Share of the principal, e.g. 0.01 for 1 %.")
    charged = fields.Selection(
        FEE_CHARGED, "Charged", required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('product')

    @staticmethod
    def default_computation():
        return 'percentage'

    @staticmethod
    def default_charged():
        return 'disbursement'

    @fields.depends('product', '_parent_product.company')
    def on_change_with_currency(self, name=None):
        if self.product and self.product.company:
            return self.product.company.currency

    def get_rec_name(self, name):
        return '%s - %s' % (self.product.rec_name, self.kind_string)

    def amount_for(self, principal):
        "Return the fee on a loan of principal, rounded half up to the fen"
        exp = Decimal(1).scaleb(-self.currency.digits)
        if self.computation == 'fixed':
            amount = self.amount
        else:
            amount = principal * self.rate
        return amount.quantize(exp, rounding=ROUND_HALF_UP)


class ProductAllocation(sequence_ordered(), ModelSQL, ModelView):
    "Loan Product Allocation"
    __name__ = 'microloan.product.allocation'
    __string__ = "Loan Product Allocation"

    product = fields.Many2One(
        'microloan.product', "Product", required=True, ondelete='CASCADE')
    component = fields.Selection(
        COMPONENTS, "Component", required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('product')


class Loan(metaclass=PoolMeta):
    __name__ = 'microloan.loan'

    product = fields.Many2One(
        'microloan.product', "Loan Product", ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))],
        help="The product whose terms and fees the loan follows.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # the product sets the fees paid up front
        cls.upfront_fees.states = dict(cls.upfront_fees.states or {})
        cls.upfront_fees.states['readonly'] = Bool(Eval('product'))

    def product_upfront_fees(self):
        """Return what the product charges at signing and at disbursement
        on the principal, the fees counted in the annualized cost"""
        return sum((amount for charged in ['signing', 'disbursement']
                for _, amount in self.product.fee_amounts(
                    self.principal, charged)),
            Decimal(0))

    @fields.depends('product', 'principal', 'upfront_fees')
    def on_change_with_upfront_fees(self):
        if self.product and self.principal is not None:
            return self.product_upfront_fees()
        return self.upfront_fees

    @fields.depends('product', 'method', 'basis')
    def on_change_product(self):
        try:
            super_on_change = super().on_change_product
        except AttributeError:
            pass
        else:
            super_on_change()
        if not self.product:
            return
        if self.method not in self.product.methods:
            self.method = self.product.default_method
        if self.basis not in self.product.bases:
            self.basis = self.product.bases[0]

    @classmethod
    def _frozen_fields(cls):
        return super()._frozen_fields() | {'product'}

    def servicing_settings(self):
        "The product's penalty rule, grace days and allocation"
        settings = super().servicing_settings()
        if not self.product:
            return settings
        product = self.product
        return dataclasses.replace(settings,
            markup_micro=engine.to_rate_micro(product.penalty_markup),
            grace_days=product.grace_days,
            compound=product.compound_interest,
            order=tuple(product.allocation_order),
            by_component=product.allocation_method == 'component')

    def servicing_schedule(self):
        "Each installment carries the fees the product charges with it"
        schedule = super().servicing_schedule()
        if self.product and schedule:
            fees = sum(engine.decimal_to_fen(amount) for _, amount
                in self.product.fee_amounts(self.principal, 'installment'))
            for installment in schedule:
                installment['fees'] = fees
        return schedule

    @classmethod
    def preprocess_values(cls, mode, values):
        Product = Pool().get('microloan.product')
        values = super().preprocess_values(mode, values)
        if (mode == 'create' and values.get('product')
                and values.get('principal') is not None):
            loan = cls(product=Product(values['product']),
                principal=values['principal'])
            values['upfront_fees'] = loan.product_upfront_fees()
        return values

    @classmethod
    def on_modification(cls, mode, loans, field_names=None):
        super().on_modification(mode, loans, field_names=field_names)
        if mode == 'write' and field_names & {'product', 'principal'}:
            to_write = []
            for loan in loans:
                if loan.product:
                    fees = loan.product_upfront_fees()
                    if loan.upfront_fees != fees:
                        to_write.extend(([loan], {'upfront_fees': fees}))
            if to_write:
                cls.write(*to_write)

    @classmethod
    def validate_fields(cls, loans, field_names):
        super().validate_fields(loans, field_names)
        if field_names & {'product', 'principal', 'annual_rate',
                'term_months', 'method', 'basis'}:
            for loan in loans:
                if loan.product:
                    loan.check_product_terms()
