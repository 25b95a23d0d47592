# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A straightforward per-loan implementation of the schedule rules.

Pure Python with ``Decimal`` amounts, one loan at a time, written to be read
against docs/schedule-rules.md line by line.  It shares nothing with the
numpy path but the scalar ``add_months`` (whose agreement with the
vectorised date code is itself tested).  It is the independent check of
``generate()`` in the tests and the baseline of
tests/benchmarks/bench_schedule.py; production code should call
``generate()``.  It expects valid terms (``generate()`` validates).
"""
from decimal import ROUND_HALF_UP, Decimal, localcontext

from .dates import add_months

__all__ = ['reference_schedule']

CENT = Decimal('0.01')


def _money(value):
    "Round to the fen, half up (docs/schedule-rules.md, rule 1)"
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _payment(principal, rate, months):
    """Equal-installment payment, rounded to the fen.

    ``A = P * r * (1+r)**n / ((1+r)**n - 1)`` with ``r = R / 12`` is written
    as ``P * R * (12+R)**n / (12 * ((12+R)**n - 12**n))`` so that every
    operand is a terminating decimal.  ``(12+R)**n`` has at most 8n
    significant digits (R has at most 6 decimals and is below 100), so with
    a precision of 20n + 60 digits the numerator and the denominator are
    exact and only the final division rounds, far beyond the 28 digits of
    rule 4 (docs/schedule-rules.md): an exact tie (x.xx5) is computed
    exactly and rounds up.
    """
    if rate == 0:
        return _money(principal / months)
    with localcontext() as context:
        context.prec = 20 * months + 60
        grown = (12 + rate) ** months
        value = principal * rate * grown / (12 * (grown - Decimal(12) ** months))
    return _money(value)


def reference_schedule(terms):
    "Return the installment dicts of one loan's terms"
    with localcontext() as context:
        context.prec = 50
        return _schedule(terms)


def _schedule(terms):
    principal = Decimal(terms['principal'])
    rate = Decimal(terms['annual_rate'])
    start = terms['start_date']
    method = terms['method']
    basis = terms.get('basis') or 'month'
    if method == 'free':
        basis = 'day'
    else:
        term = terms['term_months']
    rows = []

    def interest(balance, begin, end, months):
        "Interest of a period (docs/schedule-rules.md, rule 3)"
        if basis == 'day':
            return _money(balance * rate * (end - begin).days / 360)
        return _money(balance * rate * months / 12)

    def add(due, begin, end, repaid, charged, balance):
        rows.append({
                'seq': len(rows) + 1,
                'due_date': due,
                'period_start': begin,
                'period_end': end,
                'days': (end - begin).days,
                'principal': _money(repaid),
                'interest': charged,
                'total': _money(repaid) + charged,
                'balance': _money(balance),
                })

    if method == 'bullet':
        end = add_months(start, term)
        add(end, start, end, principal, interest(principal, start, end, term),
            0)
    elif method in ('interest_monthly', 'interest_quarterly'):
        step = 1 if method == 'interest_monthly' else 3
        month = 0
        while month < term:
            following = min(month + step, term)
            begin = add_months(start, month)
            end = add_months(start, following)
            last = following == term
            add(end, begin, end, principal if last else 0,
                interest(principal, begin, end, following - month),
                0 if last else principal)
            month = following
    elif method == 'interest_upfront':
        for month in range(term):
            begin = add_months(start, month)
            end = add_months(start, month + 1)
            # due on the first day of its period, principal untouched
            add(begin, begin, end, 0, interest(principal, begin, end, 1),
                principal)
        maturity = add_months(start, term)
        add(maturity, maturity, maturity, principal, Decimal('0.00'), 0)
    elif method in ('equal_principal', 'equal_installment'):
        if method == 'equal_principal':
            each = _money(principal / term)
        else:
            payment = _payment(principal, rate, term)
        balance = principal
        for month in range(term):
            begin = add_months(start, month)
            end = add_months(start, month + 1)
            charged = interest(balance, begin, end, 1)
            if month == term - 1:
                # the last installment takes the whole remaining balance
                repaid = balance
            elif method == 'equal_principal':
                # only a principal below n(n-1)/2 fen can reach 0 early
                repaid = min(each, balance)
            else:
                repaid = min(max(payment - charged, 0), balance)
            balance -= repaid
            add(end, begin, end, repaid, charged, balance)
    elif method == 'free':
        balance = principal
        begin = start
        for end, amount in terms['plan']:
            amount = Decimal(amount)
            charged = interest(balance, begin, end, None)
            balance -= amount
            add(end, begin, end, amount, charged, balance)
            begin = end
    else:
        raise ValueError('unknown method %r' % method)
    return rows
