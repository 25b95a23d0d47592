# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Loan (借据): one drawdown with its repayment schedule.

The loan keeps its terms; the schedule is computed by the plain-Python engine
(``engine/``) and stored as installments.  The lending workflow (application,
contract, disbursement, transactions) comes on top of this model.
"""
from decimal import ROUND_HALF_UP, Decimal

from trytond.i18n import gettext
from trytond.model import (
    ModelSQL, ModelView, fields)
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access

from . import engine
from .exceptions import LoanTermsError
from .tools import numbered

METHODS = [
    ('equal_installment', "Equal Installment"),
    ('equal_principal', "Equal Principal"),
    ('interest_monthly', "Monthly Interest, Principal at Maturity"),
    ('interest_quarterly', "Quarterly Interest, Principal at Maturity"),
    ('interest_upfront', "Interest in Advance, Principal at Maturity"),
    ('bullet', "Principal and Interest at Maturity"),
    ('free', "Free Plan"),
    ]
BASES = [
    ('month', "Monthly"),
    ('day', "Daily (Actual/360)"),
    ]
RATE_DIGITS = (16, 6)
APR_DIGITS = (16, 4)

# Changing one of these fields makes the stored schedule stale: it is cleared.
TERM_FIELDS = {
    'principal', 'annual_rate', 'start_date', 'term_months', 'method',
    'basis', 'plan_lines', 'upfront_fees'}
# The engine terms keys that the loan names otherwise (the rest are equal).
_ENGINE_KEYS = {
    'plan': 'plan_lines',
    }


def disclosed_cost(principal, schedule, start_date, upfront=Decimal(0),
        per_installment=Decimal(0)):
    """Return the comprehensive annualised cost (综合年化成本) of a schedule
    as {'simple', 'compound'}, rounded half up to APR_DIGITS: the borrower
    pays upfront at the value date and per_installment with each
    installment (SCHEDULE.md, annualised cost)"""
    if per_installment:
        schedule = [dict(r, total=r['total'] + per_installment)
            for r in schedule]
    cost = engine.annualized_cost(
        principal, schedule, start_date, fees=upfront or Decimal(0))
    exp = Decimal(1).scaleb(-APR_DIGITS[1])
    return {k: cost[k].quantize(exp, rounding=ROUND_HALF_UP)
        for k in ['simple', 'compound']}


class Loan(ModelSQL, ModelView):
    "Loan"
    __name__ = 'microloan.loan'
    __string__ = "Loan"
    _rec_name = 'number'

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
        domain=[('principal', '>', 0)],
        help="The amount actually lent.")
    annual_rate = fields.Numeric(
        "Annual Rate", digits=RATE_DIGITS, required=True,
        domain=[('annual_rate', '>=', 0), ('annual_rate', '<', 1)],
        help="Nominal annual interest rate, e.g. 0.12 for 12 %.")
    start_date = fields.Date(
        "Value Date", required=True,
        help="The disbursement date from which interest runs.")
    term_months = fields.Integer(
        "Term (Months)",
        domain=[If(Eval('method') != 'free',
                [('term_months', '>=', 1)],
                [])],
        states={
            'required': Eval('method') != 'free',
            'invisible': Eval('method') == 'free',
            })
    method = fields.Selection(
        METHODS, "Repayment Method", required=True, sort=False)
    basis = fields.Selection(
        BASES, "Interest Basis", required=True, sort=False,
        states={
            'invisible': Eval('method') == 'free',
            },
        help="How the interest of a period is counted: by whole months "
        "(rate / 12) or by actual days (rate / 360).")
    plan_lines = fields.One2Many(
        'microloan.loan.plan_line', 'loan', "Repayment Plan",
        states={
            'invisible': Eval('method') != 'free',
            })
    maturity_date = fields.Function(
        fields.Date("Maturity Date"), 'on_change_with_maturity_date')
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

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('start_date', 'DESC'))
        cls._order.insert(1, ('id', 'DESC'))
        cls._buttons.update({
                'compute_schedule': {
                    'icon': 'tryton-refresh',
                    'depends': ['method'],
                    },
                })

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
    def create(cls, vlist):
        return super().create(numbered(vlist, 'sequence_loan'))

    @classmethod
    def write(cls, *args):
        actions = iter(args)
        stale = []
        for loans, values in zip(actions, actions):
            if TERM_FIELDS & values.keys():
                stale.extend(loans)
        super().write(*args)
        if stale:
            cls.clear_schedule(stale)

    @classmethod
    def clear_schedule(cls, loans):
        "Remove the schedule of loans whose terms changed"
        Installment = Pool().get('microloan.loan.installment')
        # Installments are read-only for every role: only the loan writes them.
        with without_check_access():
            Installment.delete([i for l in loans for i in l.installments])
        super().write(loans, {'apr_simple': None, 'apr_compound': None})

    @classmethod
    def copy(cls, loans, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('number', None)
        default.setdefault('installments', None)
        default.setdefault('apr_simple', None)
        default.setdefault('apr_compound', None)
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

    def schedule_terms(self):
        "Return the engine terms of the loan (see reference/SCHEDULE.md)"
        terms = {
            'principal': self.principal,
            'annual_rate': self.annual_rate,
            'start_date': self.start_date,
            'term_months': self.term_months or 0,
            'method': self.method,
            'basis': self.basis,
            }
        if self.method == 'free':
            terms['plan'] = sorted(
                (l.date, l.amount) for l in self.plan_lines)
            terms['term_months'] = 0
        return terms

    @classmethod
    def schedules(cls, loans):
        """Compute the schedules of loans in one engine call.

        Returns one list of installment dicts per loan, in the loans' order.
        Invalid terms raise LoanTermsError naming the loan and the field.
        """
        loans = list(loans)
        try:
            return engine.generate([l.schedule_terms() for l in loans])
        except engine.TermsError as exception:
            loan = loans[exception.index] if exception.index is not None \
                else loans[0]
            field = _ENGINE_KEYS.get(exception.field, exception.field)
            field_string = (
                cls.__names__(field)['field'] if field in cls._fields
                else field)
            # each reason has its message msg_terms_<reason> (message.xml)
            if exception.reason in engine.TermsError.REASONS:
                reason = gettext(
                    'microloan_core.msg_terms_%s' % exception.reason)
            else:
                reason = exception.reason
            raise LoanTermsError(gettext(
                    'microloan_core.msg_loan_invalid_terms',
                    loan=loan.rec_name,
                    field=field_string,
                    reason=reason)) from exception

    @classmethod
    @ModelView.button
    def compute_schedule(cls, loans):
        "Replace the installments of the loans by a freshly computed schedule"
        pool = Pool()
        Installment = pool.get('microloan.loan.installment')
        schedules = cls.schedules(loans)
        cls.clear_schedule(loans)
        to_create = []
        to_save = []
        for loan, schedule in zip(loans, schedules):
            for row in schedule:
                to_create.append(Installment.values_from_engine(loan, row))
            cost = disclosed_cost(
                loan.principal, schedule, loan.start_date,
                upfront=loan.upfront_fees)
            to_save.extend(([loan], {
                        'apr_simple': cost['simple'],
                        'apr_compound': cost['compound'],
                        }))
        with without_check_access():
            Installment.create(to_create)
        if to_save:
            super().write(*to_save)


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
    def engine_values(cls, row):
        "Return the values of the fields of an engine row"
        keys = ('seq', 'due_date', 'days', 'principal', 'interest', 'total',
            'balance') + cls._engine_keys
        return {k: row[k] for k in keys}


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

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # Read-only for every role (loan.xml): only the loan writes them.
        cls._order = [('loan', 'ASC'), ('seq', 'ASC'), ('id', 'ASC')]

    @fields.depends('loan', '_parent_loan.company')
    def on_change_with_currency(self, name=None):
        if self.loan and self.loan.company:
            return self.loan.company.currency

    def get_rec_name(self, name):
        return '%s/%s' % (self.loan.rec_name, self.seq)

    @classmethod
    def values_from_engine(cls, loan, row):
        "Return the create values of an engine installment row of loan"
        return dict(cls.engine_values(row), loan=loan.id)
