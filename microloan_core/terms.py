# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Loan terms (贷款条件): what an application asks for, a contract binds
and a loan carries: an amount, a nominal annual rate, a term in months, a
repayment method and an interest basis (and, for a loan, a free plan).

``TermsMixin`` gives the three documents these fields, their checks with
the suite's own messages, the engine terms of the document
(``schedule_terms``) and its schedule (``schedules``, one engine call for
many documents); the rules of the schedule are in docs/schedule-rules.md.
"""
from decimal import ROUND_HALF_UP, Decimal

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pyson import Eval

from . import engine
from .exceptions import LoanTermsError
from .tools import percent
from .workflow import freeze_out_of_draft

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
# The engine terms keys that the documents name otherwise (the rest are
# equal, but for the amount: TermsMixin._terms_amount)
_ENGINE_KEYS = {
    'plan': 'plan_lines',
    }


def disclosed_cost(principal, schedule, start_date, upfront=Decimal(0),
        per_installment=Decimal(0)):
    """Return the comprehensive annualised cost (综合年化成本) of a schedule
    as {'simple', 'compound'}, rounded half up to APR_DIGITS: the borrower
    pays upfront at the value date and per_installment with each
    installment (docs/schedule-rules.md, annualised cost)"""
    if per_installment:
        schedule = [dict(r, total=r['total'] + per_installment)
            for r in schedule]
    cost = engine.annualized_cost(
        principal, schedule, start_date, fees=upfront or Decimal(0))
    exp = Decimal(1).scaleb(-APR_DIGITS[1])
    return {k: cost[k].quantize(exp, rounding=ROUND_HALF_UP)
        for k in ['simple', 'compound']}


class TermsMixin:
    """The terms of a loan document: its amount (the field named by
    _terms_amount, which the document defines with its own label), annual
    rate, term, repayment method and interest basis, readonly once the
    document leaves draft, checked with the suite's messages"""
    __slots__ = ()
    # the name of the document's amount field
    _terms_amount = 'amount'

    annual_rate = fields.Numeric(
        "Annual Rate", digits=RATE_DIGITS, required=True,
        help="Nominal annual interest rate, e.g. 0.12 for 12 %.")
    term_months = fields.Integer(
        "Term (Months)",
        states={
            'required': Eval('method') != 'free',
            'invisible': Eval('method') == 'free',
            })
    method = fields.Selection(
        METHODS, "Repayment Method", required=True, sort=False)
    method_string = method.translated('method')
    basis = fields.Selection(
        BASES, "Interest Basis", required=True, sort=False,
        states={
            'invisible': Eval('method') == 'free',
            },
        help="How the interest of a period is counted: by whole months "
        "(rate / 12) or by actual days (rate / 360).")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # the terms change only while the document is a draft
        freeze_out_of_draft(getattr(cls, n) for n in cls._terms_fields())

    @classmethod
    def _terms_fields(cls):
        "The names of the fields of the terms"
        return [cls._terms_amount, 'annual_rate', 'term_months', 'method',
            'basis']

    @classmethod
    def validate_fields(cls, records, field_names):
        super().validate_fields(records, field_names)
        if field_names & set(cls._terms_fields()):
            for record in records:
                record.check_terms_values()

    def check_terms_values(self):
        """Refuse an amount that is not positive, a rate outside [0, 100 %)
        and a term under one month (but for a free plan)"""
        def refuse(msg_id, field, **values):
            raise LoanTermsError(gettext(
                    'microloan_core.%s' % msg_id,
                    record=self.rec_name,
                    field=self.__names__(field)['field'],
                    **values))
        amount = getattr(self, self._terms_amount)
        if amount is not None and amount <= 0:
            refuse('msg_loan_terms_amount', self._terms_amount)
        if self.annual_rate is not None and not (
                0 <= self.annual_rate < 1):
            refuse('msg_loan_terms_rate', 'annual_rate',
                rate=percent(self.annual_rate))
        if (self.method != 'free' and self.term_months is not None
                and self.term_months < 1):
            refuse('msg_loan_terms_term', 'term_months',
                term=self.term_months)

    def check_product_terms(self):
        "Refuse terms outside the document's loan product"
        self.product.check_terms(
            getattr(self, self._terms_amount), self.annual_rate,
            self.term_months, self.method, self.basis)

    def schedule_terms(self):
        """Return the engine terms of the document: its amount lent on its
        start date (docs/schedule-rules.md)"""
        terms = {
            'principal': getattr(self, self._terms_amount),
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
    def schedules(cls, records):
        """Compute the schedules of records in one engine call.

        Returns one list of installment dicts per record, in their order.
        Invalid terms raise LoanTermsError naming the record and the field.
        """
        records = list(records)
        try:
            return engine.generate([r.schedule_terms() for r in records])
        except engine.TermsError as exception:
            record = records[exception.index] if exception.index is not None \
                else records[0]
            field = _ENGINE_KEYS.get(exception.field, exception.field)
            if field == 'principal':
                field = cls._terms_amount
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
                    loan=record.rec_name,
                    field=field_string,
                    reason=reason)) from exception

    def disclosed_cost(self, schedule, upfront=Decimal(0),
            per_installment=Decimal(0)):
        "Return the annualised cost of the document's schedule"
        return disclosed_cost(
            getattr(self, self._terms_amount), schedule, self.start_date,
            upfront=upfront, per_installment=per_installment)

