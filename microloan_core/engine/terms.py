# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Loan terms: their validation and their conversion to engine columns.

A *terms* dict is the input of ``generate()`` (see docs/engine.md and
docs/schedule-rules.md).  Amounts travel inside the engine as integers:
principal in fen (0.01 yuan), rates in micro-units (rate * 10**6), dates as
days since 1970-01-01.  This module is the only place where user values are
turned into those integers, and it refuses anything it cannot convert
exactly.
"""
import numbers
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from .dates import to_days

__all__ = [
    'TermsError', 'METHOD_CODES', 'BASIS_CODES', 'METHODS', 'BASES',
    'MAX_PRINCIPAL', 'MAX_RATE', 'MAX_TERM', 'RATE_SCALE',
    'to_fen', 'to_rate_micro', 'loan_columns', 'terms_to_columns']

# Method and basis codes of the array entry point.  The numbers are part of
# the API (they may be stored in bulk tables): never renumber, only append.
METHOD_CODES = {
    'bullet': 0,
    'interest_monthly': 1,
    'interest_quarterly': 2,
    'interest_upfront': 3,
    'equal_principal': 4,
    'equal_installment': 5,
    'free': 6,
    }
BASIS_CODES = {
    'month': 0,
    'day': 1,
    }
METHODS = {code: name for name, code in METHOD_CODES.items()}
BASES = {code: name for name, code in BASIS_CODES.items()}

# The domain in which the engine is proved exact (docs/engine.md).
MAX_PRINCIPAL = Decimal('1000000000.00')
MAX_RATE = Decimal('10')             # 1000 % a year
MAX_TERM = 600                       # months
RATE_SCALE = 10 ** 6                 # rates travel as rate * 10**6
MAX_PRINCIPAL_FEN = int(MAX_PRINCIPAL * 100)
MAX_RATE_MICRO = int(MAX_RATE * RATE_SCALE)
LAST_MONTH = 9999 * 12 + 11         # December 9999, as year * 12 + month - 1


class TermsError(ValueError):
    """Invalid loan terms.

    Attributes, for the caller to build a translated message:

    * ``field``: the terms key at fault (``'principal'``, ``'annual_rate'``,
      ``'start_date'``, ``'term_months'``, ``'method'``, ``'basis'``,
      ``'plan'``, or ``'terms'`` when the terms themselves are not a dict);
      the servicing functions of ``recalc`` also use ``'date'``,
      ``'amount'``, ``'mode'``, ``'months'``, ``'new_rate'`` and
      ``'schedule'``;
    * ``index``: position of the loan in the list given to ``generate`` or in
      the columns given to ``generate_arrays`` (``None`` for a single loan);
    * ``reason``: a short code, one of ``TermsError.REASONS``;
    * ``item``: for ``plan``, the position of the offending plan entry;
    * ``detail``: an English explanation (for logs, not for end users).
    """

    # Every reason code the engine raises: a caller may translate each one.
    REASONS = frozenset({
            'missing', 'type', 'range', 'precision', 'unknown', 'order',
            'sum', 'empty', 'grid', 'shape'})

    def __init__(self, field, reason, index=None, detail='', item=None):
        self.field = field
        self.reason = reason
        self.index = index
        self.item = item
        self.detail = detail or reason
        where = 'terms' if index is None else 'terms[%d]' % index
        entry = '' if item is None else '[%d]' % item
        super().__init__('%s.%s%s: %s' % (where, field, entry, self.detail))


def _decimal(value, field, index, item=None):
    "Return value as a finite Decimal; floats are refused as ambiguous"
    if isinstance(value, (bool, float)):
        raise TermsError(
            field, 'type', index,
            'got %s %r: give a Decimal, a str or an int' % (
                type(value).__name__, value), item)
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, numbers.Integral):
        result = Decimal(int(value))
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise TermsError(
                field, 'type', index, 'not a number: %r' % value, item)
    else:
        raise TermsError(
            field, 'type', index,
            'got %s: give a Decimal, a str or an int' % type(value).__name__,
            item)
    if not result.is_finite():
        raise TermsError(field, 'type', index, 'not a finite number', item)
    return result


def _scaled(value, places, field, index, item=None):
    "Return the integer value * 10**places, refusing extra decimals"
    scaled = value.scaleb(places)
    if scaled != scaled.to_integral_value():
        raise TermsError(
            field, 'precision', index,
            'more than %d decimals: %s' % (places, value), item)
    return int(scaled)


def to_fen(value, field='principal', index=None, item=None):
    "Return an amount (Decimal, str or int yuan) in fen, > 0 and <= limit"
    amount = _decimal(value, field, index, item)
    if amount <= 0:
        raise TermsError(
            field, 'range', index, 'must be > 0, got %s' % amount, item)
    if amount > MAX_PRINCIPAL:
        raise TermsError(
            field, 'range', index,
            'must be <= %s, got %s' % (MAX_PRINCIPAL, amount), item)
    return _scaled(amount, 2, field, index, item)


def to_rate_micro(value, field='annual_rate', index=None):
    "Return an annual rate (Decimal, str or int) as rate * 10**6"
    rate = _decimal(value, field, index)
    if rate < 0 or rate > MAX_RATE:
        raise TermsError(
            field, 'range', index,
            'must be between 0 and %s, got %s' % (MAX_RATE, rate))
    return _scaled(rate, 6, field, index)


def _date(value, field, index, item=None):
    # datetime is a date subclass whose time part would be silently lost
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TermsError(
            field, 'type', index,
            'got %s: give a datetime.date' % type(value).__name__, item)
    return value


def _choice(terms, key, codes, index, default=None):
    value = terms.get(key, default)
    if value is None:
        value = default
    if not isinstance(value, str):
        raise TermsError(
            key, 'type', index, 'got %s: give a str' % type(value).__name__)
    if value not in codes:
        raise TermsError(
            key, 'unknown', index, '%r is not one of %s' % (
                value, ', '.join(codes)))
    return codes[value]


def _term(terms, index, start):
    value = terms['term_months']
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TermsError(
            'term_months', 'type', index,
            'got %s: give an int' % type(value).__name__)
    value = int(value)
    if not 1 <= value <= MAX_TERM:
        raise TermsError(
            'term_months', 'range', index,
            'must be between 1 and %d, got %d' % (MAX_TERM, value))
    if start.year * 12 + start.month - 1 + value > LAST_MONTH:
        raise TermsError(
            'term_months', 'range', index, 'maturity after the year 9999')
    return value


def _plan(terms, index, start, principal_fen):
    "Return the plan as ([day numbers], [fen amounts]), fully checked"
    if 'plan' not in terms:
        raise TermsError('plan', 'missing', index, 'a free method needs one')
    plan = terms['plan']
    if isinstance(plan, (str, bytes, Mapping)) or not isinstance(
            plan, Sequence):
        raise TermsError(
            'plan', 'type', index, 'give a list of (date, amount) pairs')
    if not plan:
        raise TermsError('plan', 'empty', index, 'the plan has no entry')
    days, amounts = [], []
    previous = start
    for item, entry in enumerate(plan):
        if isinstance(entry, (str, bytes)) or not isinstance(
                entry, Sequence) or len(entry) != 2:
            raise TermsError(
                'plan', 'type', index, 'an entry is not a (date, amount) pair',
                item)
        when = _date(entry[0], 'plan', index, item)
        if when <= previous:
            raise TermsError(
                'plan', 'order', index,
                'dates must be after the start date and strictly '
                'increasing: %s after %s' % (when, previous), item)
        previous = when
        days.append(to_days(when))
        amounts.append(to_fen(entry[1], 'plan', index, item))
    if sum(amounts) != principal_fen:
        raise TermsError(
            'plan', 'sum', index,
            'the amounts sum to %s, not to the principal %s' % (
                Decimal(sum(amounts)).scaleb(-2),
                Decimal(principal_fen).scaleb(-2)))
    return days, amounts


_REQUIRED = ('principal', 'annual_rate', 'start_date', 'method')


def loan_columns(terms, index=None):
    """Validate one terms dict and return its column values.

    Returns ``(principal_fen, rate_micro, start_day, term, method_code,
    basis_code, plan_days, plan_fen)``; ``term`` is 0 and the basis "day"
    for a free plan.
    """
    if not isinstance(terms, Mapping):
        raise TermsError(
            'terms', 'type', index,
            'got %s: give a dict' % type(terms).__name__)
    for key in _REQUIRED:
        if key not in terms:
            raise TermsError(key, 'missing', index, 'required key')
    method = _choice(terms, 'method', METHOD_CODES, index)
    basis = _choice(terms, 'basis', BASIS_CODES, index, default='month')
    principal = to_fen(terms['principal'], 'principal', index)
    rate = to_rate_micro(terms['annual_rate'], 'annual_rate', index)
    start = _date(terms['start_date'], 'start_date', index)
    if method == METHOD_CODES['free']:
        # schedule rule 4 (docs/schedule-rules.md): term_months is ignored
        # and the basis is "day"
        plan_days, plan_amounts = _plan(terms, index, start, principal)
        return (principal, rate, to_days(start), 0, method,
                BASIS_CODES['day'], plan_days, plan_amounts)
    if 'term_months' not in terms:
        raise TermsError('term_months', 'missing', index, 'required key')
    term = _term(terms, index, start)
    return (principal, rate, to_days(start), term, method, basis, [], [])


def terms_to_columns(terms_list):
    """Validate every terms dict, then return the columns of all of them.

    Returns a dict of keyword arguments for ``generate_arrays``.  The whole
    list is checked before anything is returned; the first invalid terms
    raise ``TermsError`` with ``index`` set to their position.
    """
    if isinstance(terms_list, (Mapping, str, bytes)):
        raise TermsError(
            'terms', 'type', None, 'give a list of terms dicts')
    principal, rate, start, term, method, basis = [], [], [], [], [], []
    plan_offsets, plan_days, plan_amounts = [0], [], []
    for index, terms in enumerate(terms_list):
        row = loan_columns(terms, index)
        for column, value in zip(
                (principal, rate, start, term, method, basis), row):
            column.append(value)
        plan_days.extend(row[6])
        plan_amounts.extend(row[7])
        plan_offsets.append(len(plan_days))
    return {
        'principal': principal,
        'rate_micro': rate,
        'start': start,
        'term': term,
        'method': method,
        'basis': basis,
        'plan_offsets': plan_offsets,
        'plan_dates': plan_days,
        'plan_amounts': plan_amounts,
        }
