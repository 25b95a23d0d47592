# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The pure entry point of the schedule engine: ``generate(terms_list)``.

It is a thin layer over the array entry point: the terms are validated and
turned into integer columns, ``generate_arrays`` computes every schedule at
once, and the rows come back as dicts of ``Decimal`` amounts and ``date``
objects.  Both entry points therefore give the same schedules by
construction; ``reference.py`` holds the independent check.
"""
from decimal import Decimal

from .arrays import generate_arrays
from .dates import from_days
from .terms import TermsError, terms_to_columns

__all__ = ['generate', 'to_installments', 'fen_to_decimal']

KEYS = (
    'seq', 'due_date', 'period_start', 'period_end', 'days',
    'principal', 'interest', 'total', 'balance')


def fen_to_decimal(fen):
    "Return an amount in fen as a Decimal of yuan with 2 places"
    return Decimal(fen).scaleb(-2)


def decimal_to_fen(value, field='schedule'):
    "Return an amount >= 0 of an installment in fen"
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise TermsError(field, 'type', None,
            'installment amounts must be Decimals >= 0, got %r' % (value,))
    scaled = value.scaleb(2)
    if scaled != scaled.to_integral_value():
        raise TermsError(field, 'precision', None,
            'more than 2 decimals: %s' % value)
    return int(scaled)


def generate(terms_list):
    """Return the repayment schedule of each terms dict of terms_list.

    ``terms_list`` is a list of terms dicts (keys ``principal``,
    ``annual_rate``, ``start_date``, ``term_months``, ``method``, ``basis``,
    ``plan``; see docs/schedule-rules.md and docs/engine.md).  Returns
    one list per terms dict, in the same order, of installment dicts with
    the keys ``seq``, ``due_date``, ``period_start``, ``period_end``,
    ``days`` (int), ``principal``, ``interest``, ``total``, ``balance``
    (``Decimal`` with 2 places).

    Every terms dict is validated before anything is computed.  Invalid
    terms raise ``TermsError`` (a ``ValueError``) whose ``field`` names the
    terms key and whose ``index`` is the position of the loan in the list.
    Amounts may be ``Decimal``, ``str`` or ``int``; a ``float`` is refused
    (its decimal value is ambiguous).
    """
    columns = terms_to_columns(terms_list)
    return to_installments(generate_arrays(**columns))


def to_installments(arrays):
    """Return the installment dicts of each loan of a ``ScheduleArrays``"""
    day_cache = {}

    def day(number):
        try:
            return day_cache[number]
        except KeyError:
            value = day_cache[number] = from_days(number)
            return value

    columns = (
        arrays.seq.tolist(),
        [day(d) for d in arrays.due_date.astype('int64').tolist()],
        [day(d) for d in arrays.period_start.astype('int64').tolist()],
        [day(d) for d in arrays.period_end.astype('int64').tolist()],
        arrays.days.tolist(),
        [fen_to_decimal(v) for v in arrays.principal.tolist()],
        [fen_to_decimal(v) for v in arrays.interest.tolist()],
        [fen_to_decimal(v) for v in arrays.total.tolist()],
        [fen_to_decimal(v) for v in arrays.balance.tolist()],
        )
    rows = [dict(zip(KEYS, values)) for values in zip(*columns)]
    offsets = arrays.offsets.tolist()
    return [rows[low:high] for low, high in zip(offsets, offsets[1:])]
