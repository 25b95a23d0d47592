# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The array entry point: N loans as columns in, installment columns out.

All arithmetic is vectorised over loans: the only Python loops run over
chunks of about 2**17 installment rows (so that temporaries stay small and
are reused) and, for equal-installment loans, over the installment number k
(each balance depends on the previous one).  See ``generate_arrays`` and
docs/engine.md for the column layout and the rules.
"""
from datetime import date
from typing import NamedTuple

import numpy as np

from .dates import day_in_month, month_grid, month_parts, to_days
from .rounding import (
    INTEREST_DENOMINATOR, annuity_payment_fen, mul_div_round)
from .terms import (
    BASIS_CODES, LAST_MONTH, MAX_PRINCIPAL_FEN, MAX_RATE_MICRO, MAX_TERM,
    METHOD_CODES, TermsError)

__all__ = ['ScheduleArrays', 'generate_arrays']

BULLET = METHOD_CODES['bullet']
QUARTERLY = METHOD_CODES['interest_quarterly']
UPFRONT = METHOD_CODES['interest_upfront']
EQUAL_PRINCIPAL = METHOD_CODES['equal_principal']
EQUAL_INSTALLMENT = METHOD_CODES['equal_installment']
FREE = METHOD_CODES['free']
DAY = BASIS_CODES['day']
_MONTH_1970 = 1970 * 12              # month index 0 is January 1970
_FIRST_DAY = to_days(date(1, 1, 1))
_LAST_DAY = to_days(date(9999, 12, 31))
CHUNK_ROWS = 2 ** 17


class ScheduleArrays(NamedTuple):
    """Installment columns of N loans, loan after loan, in due order.

    The installments of loan i are the rows ``offsets[i]:offsets[i + 1]``.
    Amounts are int64 fen; dates are ``datetime64[D]``.
    """
    offsets: np.ndarray         # int64 (N + 1,)
    loan: np.ndarray            # int64 (T,) index of the loan in the input
    seq: np.ndarray             # int32 (T,) 1..n within the loan
    due_date: np.ndarray        # datetime64[D] (T,)
    period_start: np.ndarray    # datetime64[D] (T,)
    period_end: np.ndarray      # datetime64[D] (T,)
    days: np.ndarray            # int32 (T,) period_end - period_start
    principal: np.ndarray       # int64 (T,) fen
    interest: np.ndarray        # int64 (T,) fen
    total: np.ndarray           # int64 (T,) fen, principal + interest
    balance: np.ndarray         # int64 (T,) fen, outstanding after the row


class _Loans:
    "Validated int64 columns of loans (internal)"
    columns = (
        'principal', 'rate', 'start', 'term', 'method', 'basis',
        'month_offset', 'payment', 'split', 'rate_before', 'anchor_month',
        'day0', 'free', 'counts')

    def __init__(self, **columns):
        self.__dict__.update(columns)

    def part(self, low, high):
        "Return the loans low:high, with their plan entries"
        values = {name: getattr(self, name)[low:high]
            for name in self.columns}
        first, last = self.plan_offsets[low], self.plan_offsets[high]
        values['plan_offsets'] = self.plan_offsets[low:high + 1] - first
        values['plan_days'] = self.plan_days[first:last]
        values['plan_amounts'] = self.plan_amounts[first:last]
        values['plan_counts'] = self.plan_counts[low:high]
        return _Loans(**values)


def _integers(values, field, size=None):
    array = np.asarray(values)
    if array.ndim != 1:
        raise TermsError(field, 'shape', None, 'give a 1-d array')
    if array.size and array.dtype.kind not in 'iu':
        raise TermsError(
            field, 'type', None,
            'integer array expected, got %s' % array.dtype)
    if size is not None and array.size != size:
        raise TermsError(
            field, 'shape', None,
            '%d values for %d loans' % (array.size, size))
    if array.dtype == np.uint64 and array.size and (
            array > np.iinfo(np.int64).max).any():
        raise TermsError(field, 'range', None, 'values beyond int64')
    return array.astype(np.int64, copy=False)


def _days(values, field, size=None):
    array = np.asarray(values)
    if array.dtype.kind == 'M':
        if np.datetime_data(array.dtype)[0] != 'D':
            raise TermsError(field, 'type', None, 'give datetime64[D] dates')
        if np.isnat(array).any():
            raise TermsError(
                field, 'type', int(np.argmax(np.isnat(array))), 'NaT date')
        array = array.view(np.int64)
    return _integers(array, field, size)


def _optional(values, size, default, field, days=False):
    if values is None:
        return np.full(size, default, dtype=np.int64)
    return (_days if days else _integers)(values, field, size)


def _check(bad, field, reason, detail, owner=None):
    "Raise TermsError for the first loan flagged in bad"
    if bad.any():
        first = int(np.argmax(bad))
        raise TermsError(
            field, reason, first if owner is None else int(owner[first]),
            detail)


def _read(principal, rate_micro, start, term, method, basis, plan_offsets,
        plan_dates, plan_amounts, month_offset, payment, split_date,
        rate_before_micro):
    "Return the validated columns as _Loans; every loan is checked"
    principal = _integers(principal, 'principal')
    size = principal.size
    rate = _integers(rate_micro, 'annual_rate', size)
    start = _days(start, 'start_date', size)
    term = _integers(term, 'term_months', size)
    method = _integers(method, 'method', size)
    basis = _integers(basis, 'basis', size)
    month_offset = _optional(month_offset, size, 0, 'month_offset')
    payment = _optional(payment, size, 0, 'payment')
    split = _optional(split_date, size, -1, 'split_date', days=True)
    rate_before = _optional(rate_before_micro, size, 0, 'rate_before')
    if plan_offsets is None:
        plan_offsets = np.zeros(size + 1, dtype=np.int64)
    plan_offsets = _integers(plan_offsets, 'plan')
    plan_days = _days([] if plan_dates is None else plan_dates, 'plan')
    plan_amounts = _integers(
        [] if plan_amounts is None else plan_amounts, 'plan')

    _check(principal <= 0, 'principal', 'range', 'must be > 0')
    _check(principal > MAX_PRINCIPAL_FEN, 'principal', 'range',
        'must be <= %d fen' % MAX_PRINCIPAL_FEN)
    for values, field in ((rate, 'annual_rate'), (rate_before, 'rate_before')):
        _check((values < 0) | (values > MAX_RATE_MICRO), field, 'range',
            'must be between 0 and %d micro-units' % MAX_RATE_MICRO)
    # the codes are contiguous from 0
    _check((method < 0) | (method >= len(METHOD_CODES)), 'method',
        'unknown', 'unknown method code')
    _check((basis < 0) | (basis >= len(BASIS_CODES)), 'basis', 'unknown',
        'unknown basis code')
    free = method == FREE
    # a continued interest_upfront schedule may be reduced to its final row
    low = (method != UPFRONT) | (month_offset == 0)
    _check(~free & ((term < low) | (term > MAX_TERM)), 'term_months',
        'range', 'must be between 1 and %d' % MAX_TERM)
    _check(month_offset < 0, 'month_offset', 'range', 'must be >= 0')
    _check(month_offset > MAX_TERM, 'month_offset', 'range',
        'must be <= %d' % MAX_TERM)
    _check(payment < 0, 'payment', 'range', 'must be >= 0')
    _check(payment > MAX_PRINCIPAL_FEN, 'payment', 'range',
        'must be <= %d fen' % MAX_PRINCIPAL_FEN)
    _check((start < _FIRST_DAY) | (start > _LAST_DAY), 'start_date', 'range',
        'outside the years 1 to 9999')
    anchor_month, day0 = month_parts(start)
    _check(~free & (anchor_month + _MONTH_1970 + month_offset + term
            > LAST_MONTH),
        'term_months', 'range', 'maturity after the year 9999')
    _check((split >= 0) & ((split < _FIRST_DAY) | (split > _LAST_DAY)),
        'split_date', 'range', 'outside the years 1 to 9999')
    if plan_offsets.size != size + 1 or plan_offsets[0] != 0:
        raise TermsError('plan', 'shape', None,
            'plan_offsets must have N + 1 values starting at 0')
    plan_counts = np.diff(plan_offsets)
    if (plan_counts < 0).any() or plan_offsets[-1] != plan_days.size \
            or plan_days.size != plan_amounts.size:
        raise TermsError('plan', 'shape', None,
            'plan_offsets do not match the plan columns')
    _check(free & (plan_counts == 0), 'plan', 'empty',
        'the plan has no entry')
    _check(~free & (plan_counts > 0), 'plan', 'unknown',
        'only the free method takes a plan')
    if plan_days.size:
        owner = np.repeat(np.arange(size), plan_counts)
        _check((plan_days < _FIRST_DAY) | (plan_days > _LAST_DAY), 'plan',
            'range', 'dates outside the years 1 to 9999', owner)
        _check((plan_amounts <= 0) | (plan_amounts > MAX_PRINCIPAL_FEN),
            'plan', 'range', 'amounts must be > 0 and <= the principal',
            owner)
        previous = np.empty_like(plan_days)
        previous[1:] = plan_days[:-1]
        first = plan_offsets[:-1][free]
        previous[first] = start[free]
        _check(plan_days <= previous, 'plan', 'order',
            'dates must be after the start date and strictly increasing',
            owner)
        running = np.zeros(plan_amounts.size + 1, dtype=np.int64)
        np.cumsum(plan_amounts, out=running[1:])
        total = running[plan_offsets[1:]] - running[plan_offsets[:-1]]
        _check(free & (total != principal), 'plan', 'sum',
            'the amounts do not sum to the principal')
    loans = _Loans(
        principal=principal, rate=rate, start=start, term=term,
        method=method, basis=basis, month_offset=month_offset,
        payment=payment, split=split, rate_before=rate_before,
        anchor_month=anchor_month, day0=day0, free=free,
        plan_offsets=plan_offsets, plan_days=plan_days,
        plan_amounts=plan_amounts, plan_counts=plan_counts)
    loans.counts = _row_counts(loans)
    return loans


def _row_counts(loans):
    "Return the number of installments of each loan"
    method = loans.method
    term = loans.term
    counts = np.where(method == QUARTERLY, (term + 2) // 3, term)
    counts[method == BULLET] = 1
    counts += method == UPFRONT
    return np.where(loans.free, loans.plan_counts, counts)


def generate_arrays(principal, rate_micro, start, term, method, basis,
        plan_offsets=None, plan_dates=None, plan_amounts=None, *,
        month_offset=None, payment=None, split_date=None,
        rate_before_micro=None):
    """Compute the schedules of N loans given as columns.

    Input columns (1-d, length N, integer dtypes unless said otherwise):

    ``principal``      amount lent, in fen (int64, 1 .. 10**11)
    ``rate_micro``     annual rate in micro-units: rate * 10**6 as an
                       integer (12 % is 120000).  Floats are refused: a
                       terms rate with up to 6 decimals converts exactly
                       with ``to_rate_micro``.
    ``start``          value date: ``datetime64[D]`` or int day numbers
                       (days since 1970-01-01)
    ``term``           term in months (1 .. 600); ignored for ``free``
    ``method``         method codes, see ``METHOD_CODES``
    ``basis``          basis codes, see ``BASIS_CODES`` (``free`` loans are
                       always counted by days)

    Free plans, flat: the plan of loan i is entries
    ``plan_offsets[i]:plan_offsets[i + 1]`` of ``plan_dates`` (datetime64[D]
    or day numbers) and ``plan_amounts`` (fen).  ``plan_offsets`` has N + 1
    values from 0; loans of other methods have no entry.  May be omitted
    when no loan is ``free``.

    Servicing hooks, keyword-only, one value per loan (used by ``recalc``
    and by bulk restructurings; omit them for new schedules):

    ``month_offset``   the schedule continues a loan on the grid of
                       ``start``: its periods run from month
                       ``month_offset`` to ``month_offset + term`` (0;
                       ignored for free plans).
    ``payment``        when > 0, the fixed installment of an
                       ``equal_installment`` loan or the fixed principal per
                       period of an ``equal_principal`` loan, instead of the
                       one the rules compute (0).
    ``split_date``     when strictly inside the first period (day number or
                       datetime64[D]; -1 for none), that period's interest
                       is counted by days, at ``rate_before_micro`` up to
                       that date and at ``rate_micro`` after it, and rounded
                       once.

    Returns a ``ScheduleArrays`` of T rows (T = total installments): the
    rows of loan i are ``offsets[i]:offsets[i+1]``; columns ``loan``,
    ``seq``, ``due_date``, ``period_start``, ``period_end``, ``days``,
    ``principal``, ``interest``, ``total``, ``balance`` (fen).  Identical,
    to the fen, to ``generate()`` on the same terms.

    Every loan is validated first; an invalid one raises ``TermsError``
    with ``index`` set to its position and ``field`` to the terms key.
    """
    loans = _read(principal, rate_micro, start, term, method, basis,
        plan_offsets, plan_dates, plan_amounts, month_offset, payment,
        split_date, rate_before_micro)
    size = loans.principal.size
    offsets = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(loans.counts, out=offsets[1:])
    rows = int(offsets[-1])
    out = ScheduleArrays(
        offsets=offsets,
        loan=np.repeat(np.arange(size, dtype=np.int64), loans.counts),
        seq=np.empty(rows, dtype=np.int32),
        due_date=np.empty(rows, dtype=np.int64),
        period_start=np.empty(rows, dtype=np.int64),
        period_end=np.empty(rows, dtype=np.int64),
        days=np.empty(rows, dtype=np.int32),
        principal=np.empty(rows, dtype=np.int64),
        interest=np.empty(rows, dtype=np.int64),
        total=np.empty(rows, dtype=np.int64),
        balance=np.empty(rows, dtype=np.int64))
    bounds = np.unique(np.concatenate((
        np.searchsorted(offsets, np.arange(0, rows, CHUNK_ROWS)), [size])))
    for low, high in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        first, last = int(offsets[low]), int(offsets[high])
        _compute(loans.part(low, high), ScheduleArrays(
                offsets[low:high + 1] - first, None,
                *(column[first:last] for column in out[2:])))
    return out._replace(
        due_date=out.due_date.view('datetime64[D]'),
        period_start=out.period_start.view('datetime64[D]'),
        period_end=out.period_end.view('datetime64[D]'))


def _rows_of(chosen, first_row, counts):
    "Return the row numbers of the loans flagged in chosen, in order"
    counts = counts[chosen]
    total = int(counts.sum())
    skip = np.zeros(counts.size, dtype=np.int64)
    np.cumsum(counts[:-1], out=skip[1:])
    return np.arange(total, dtype=np.int64) + np.repeat(
        first_row[chosen] - skip, counts)


def _grid_steps(loans):
    "Return the months per period of each loan (0 for free plans)"
    step = np.ones(loans.term.size, dtype=np.int64)
    step[loans.method == QUARTERLY] = 3
    bullet = loans.method == BULLET
    step[bullet] = loans.term[bullet]
    step[loans.free] = 0
    return step


def _compute(loans, out):
    """Fill out (the rows of a chunk of loans) with their schedules.

    ``out.offsets`` are the chunk's own, from 0; the other columns are
    views of the result's rows.  The rows of equal_installment loans are
    given opening balances only; ``_equal_installments`` fills them.
    """
    counts = loans.counts
    free = loans.free
    method = loans.method
    first_row = out.offsets[:-1]
    last_row = out.offsets[1:] - 1
    seq = out.seq
    np.subtract(np.arange(1, seq.size + 1, dtype=np.int32),
        np.repeat(first_row.astype(np.int32), counts), out=seq)

    # Periods on the grid of the start date, each starting where the
    # previous one ended: period k ends at month m0 + k * step where step
    # is 1 (3 for quarterly, n for bullet), except the last period of a
    # loan, which ends at m0 + n: it lasts what remains of the term, and 0
    # months for the final principal row of interest_upfront.
    step = _grid_steps(loans)
    grid_term = np.where(free, 0, loans.term)
    anchor_month = loans.anchor_month + np.where(free, 0, loans.month_offset)
    months = np.repeat(step.astype(np.int32), counts)
    reached = seq * months
    reached[last_row] = grid_term
    months[last_row] = grid_term - (counts - 1) * step
    grid = month_grid(anchor_month, loans.day0, grid_term)
    if grid is not None:
        table, base = grid
        reached += np.repeat(base.astype(np.int32), counts)
        table.take(reached, out=out.period_end, mode='clip')
        first_start = table[base]
    else:
        out.period_end[:] = day_in_month(
            np.repeat(anchor_month, counts) + reached,
            np.repeat(loans.day0, counts))
        first_start = day_in_month(anchor_month, loans.day0)
    period_end = out.period_end
    free_rows = None
    if loans.plan_days.size:
        # the rows of free loans are, in order, exactly the plan entries
        free_rows = _rows_of(free, first_row, counts)
        period_end[free_rows] = loans.plan_days
    period_start = out.period_start
    period_start[1:] = period_end[:-1]
    period_start[first_row] = first_start
    due = out.due_date
    due[:] = period_end
    upfront = method == UPFRONT
    if upfront.any():
        rows = _rows_of(upfront, first_row, counts)
        due[rows] = period_start[rows]
    days = out.days
    np.subtract(period_end, period_start, out=days, casting='unsafe')

    # interest = round(B * R * t / 360) with t = days, or 30 * months for
    # the month basis; x = R_micro * t is independent of the balance
    rate = loans.rate
    by_day = (loans.basis == DAY) | free
    if by_day.all():
        x = np.repeat(rate, counts)
        x *= days
    elif not by_day.any():
        x = np.repeat(30 * rate, counts)
        x *= months
    else:
        months *= 30
        np.copyto(months, days, where=np.repeat(by_day, counts))
        x = np.repeat(rate, counts)
        x *= months
    split_loans = np.flatnonzero(loans.split >= 0)
    if split_loans.size:
        rows = first_row[split_loans]
        when = loans.split[split_loans]
        before = when - period_start[rows]
        after = period_end[rows] - when
        inside = (before > 0) & (after > 0)
        x[rows[inside]] = (loans.rate_before[split_loans] * before
            + rate[split_loans] * after)[inside]

    # opening balances and principal of every method but equal_installment
    opening = np.repeat(loans.principal, counts)
    repaid = out.principal
    repaid.fill(0)
    ep = method == EQUAL_PRINCIPAL
    if ep.any():
        term = loans.term[ep]
        payment = loans.payment[ep]
        per_period = np.where(payment > 0, payment,
            (2 * loans.principal[ep] + term) // (2 * term))
        rows = _rows_of(ep, first_row, counts)
        per_period = np.repeat(per_period, counts[ep])
        # capped at 0: a principal below n(n-1)/2 fen may be repaid early
        owed = np.maximum(
            opening[rows] - (seq[rows] - 1) * per_period, 0)
        opening[rows] = owed
        repaid[rows] = np.minimum(per_period, owed)
    # the last installment takes the whole remaining balance
    repaid[last_row] = opening[last_row]
    if free_rows is not None:
        amounts = loans.plan_amounts
        running = np.cumsum(amounts)
        repaid_before = np.repeat(
            (running - amounts)[loans.plan_offsets[:-1][free]],
            loans.plan_counts[free])
        opening[free_rows] -= running - repaid_before - amounts
        repaid[free_rows] = amounts
    mul_div_round(opening, x, out=out.interest,
        b_bound=int(loans.principal.max()))
    np.subtract(opening, repaid, out=out.balance)
    _equal_installments(loans, out, x)
    np.add(repaid, out.interest, out=out.total)


def _equal_installments(loans, out, x):
    """Fill the rows of equal_installment loans, in place.

    Each balance depends on the previous one, so the loop runs over the
    installment number k; it is vectorised over the loans still running.
    Loans are sorted by decreasing term so that those are a prefix.
    """
    chosen = np.flatnonzero(loans.method == EQUAL_INSTALLMENT)
    if not chosen.size:
        return
    chosen = chosen[np.argsort(-loans.term[chosen], kind='stable')]
    months = loans.term[chosen]
    amount = loans.payment[chosen]
    computed = amount == 0
    amount[computed] = annuity_payment_fen(loans.principal[chosen][computed],
        loans.rate[chosen][computed], months[computed])
    outstanding = loans.principal[chosen]
    rows = out.offsets[chosen]
    # the products B * x fit in int64 when this bound does (x is at most
    # 31 days at the larger rate): then the rounding is inlined
    x_bound = 31 * int(max(loans.rate[chosen].max(),
        loans.rate_before[chosen].max()))
    inline = int(outstanding.max()) * x_bound <= 2 ** 62
    half = INTEREST_DENOMINATOR // 2
    # running[k - 1]: how many loans have at least k installments
    running = np.searchsorted(
        -months, -np.arange(1, int(months[0]) + 2), side='right')
    for k in range(1, int(months[0]) + 1):
        count = running[k - 1]
        row = rows[:count] + (k - 1)
        owed = outstanding[:count]
        if inline:
            charged = owed * x[row]
            charged += half
            charged //= INTEREST_DENOMINATOR
        else:
            charged = mul_div_round(owed, x[row])
        # principal = A - interest, never negative nor above the balance
        paid = amount[:count] - charged
        np.maximum(paid, 0, out=paid)
        np.minimum(paid, owed, out=paid)
        # the last installment takes the whole remaining balance
        ending = running[k]
        paid[ending:] = owed[ending:]
        owed -= paid
        out.interest[row] = charged
        out.principal[row] = paid
        out.balance[row] = owed
