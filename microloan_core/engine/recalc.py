# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Servicing recalculations of an issued schedule.

Three events change the schedule of a running loan: a partial prepayment
(提前部分还款), a change of the interest rate (利率调整) and an extension
(展期).  Each function takes the loan's ``terms`` (as given to
``generate``: value date, method, basis; ``annual_rate`` is the rate in
force before the event), the ``schedule`` currently issued (the list of
installment dicts, possibly already recalculated) and the event date, and
returns the new complete schedule.  The rules, the same for the three
events:

1. **The past stays.**  Installments due on or before the event date are
   returned unchanged (paid or not: that is the ledger's business).  The
   outstanding principal at the event is the balance after the last of
   them.
2. **The repayment dates stay.**  The first installment due after the event
   date starts a period at ``resume`` (its ``period_start``).  The rest of
   the schedule is generated again from ``resume`` by the same rules
   (docs/schedule-rules.md), on the grid of the original value date (还款日不变):
   installment k of the new part falls where it fell before.  For a free
   plan, the remaining plan entries are used (adjusted by a prepayment).
3. **A period cut by the event is counted by days.**  When the event date
   falls strictly inside that period (``resume < date``):

   * prepayment: the prepaid principal bears interest from ``resume`` to
     the event date, by days at the rate in force, and is repaid with it
     in an installment due on the event date; the remaining balance bears
     the interest of the whole period as before;
   * new rate (``change_rate``, or ``extend`` with ``new_rate``): the
     interest of that period is counted by days, at the old rate up to the
     event date and at the new one after it, rounded once.

   For ``interest_upfront`` the period in progress was paid in advance: it
   is not refunded nor charged again; the new terms apply from ``resume``,
   the next period (the prepayment installment carries no interest).
4. **Seq** is renumbered 1..n.  The principal column still sums to the
   principal lent; no balance is negative.

Events must be applied in date order (a back-dated event is handled by
regenerating from the terms and replaying the events).  Invalid input
raises ``TermsError`` naming the field (``date``, ``amount``, ``mode``,
``months``, ``new_rate``, ``schedule`` or a terms key).
"""
import numbers
from collections.abc import Mapping, Sequence
from datetime import date as date_type, datetime
from typing import NamedTuple

from .arrays import generate_arrays
from .dates import add_months, from_days, months_between, to_days
from .rounding import INTEREST_DENOMINATOR, round_div
from .schedule import KEYS, decimal_to_fen, fen_to_decimal, to_installments
from .terms import (
    BASIS_CODES, MAX_TERM, METHOD_CODES, TermsError, loan_columns, to_fen,
    to_rate_micro)

__all__ = [
    'KEEP_TERM', 'KEEP_INSTALLMENT', 'prepay', 'change_rate', 'extend']

KEEP_TERM = 'keep_term'                 # mode A: same maturity, lower dues
KEEP_INSTALLMENT = 'keep_installment'   # mode B: same dues, earlier maturity
FREE = METHOD_CODES['free']
EQUAL_PRINCIPAL = METHOD_CODES['equal_principal']
EQUAL_INSTALLMENT = METHOD_CODES['equal_installment']


class _State(NamedTuple):
    "An issued schedule cut at an event date"
    start: int          # value date, day number (the grid's anchor)
    rate: int           # rate in force, micro-units
    method: int
    basis: int
    kept: list          # installments due on or before the event
    remaining: list     # the others
    balance: int        # outstanding principal at the event, fen
    resume: date_type   # period_start of the first remaining installment
    month: int          # resume's month on the grid (0 for free plans)
    months: int         # months from resume to maturity (0 for free)


def _event_date(value):
    if isinstance(value, datetime) or not isinstance(value, date_type):
        raise TermsError('date', 'type', None,
            'got %s: give a datetime.date' % type(value).__name__)
    return value


def _check_schedule(schedule, principal):
    "Check the shape of an issued schedule; return its rows"
    if isinstance(schedule, (str, bytes, Mapping)) or not isinstance(
            schedule, Sequence) or not schedule:
        raise TermsError('schedule', 'type', None,
            'give the issued schedule: a non-empty list of installments')
    previous = None
    repaid = 0
    for row in schedule:
        if not isinstance(row, Mapping) or not set(KEYS) <= row.keys():
            raise TermsError('schedule', 'type', None,
                'an installment lacks some of %s' % ', '.join(KEYS))
        if previous is not None and row['due_date'] < previous:
            raise TermsError('schedule', 'order', None,
                'due dates must not decrease')
        previous = row['due_date']
        repaid += decimal_to_fen(row['principal'])
    if repaid != principal:
        raise TermsError('schedule', 'sum', None,
            'its principal column does not sum to the principal of the terms')
    return list(schedule)


def _grid_month(start, value):
    "Return k with add_months(start, k) == value, or raise"
    month, fraction = months_between(start, value)
    if fraction or add_months(start, month) != value:
        raise TermsError('schedule', 'grid', None,
            '%s is not on the monthly grid of %s' % (value, start))
    return month


def _cut(terms, schedule, when):
    "Return the _State of an issued schedule at the event date when"
    principal, rate, start, _, method, basis, _, _ = loan_columns(terms)
    when = _event_date(when)
    rows = _check_schedule(schedule, principal)
    start_date = from_days(start)
    if when < start_date:
        raise TermsError('date', 'range', None,
            'before the value date %s' % start_date)
    kept = [row for row in rows if row['due_date'] <= when]
    remaining = rows[len(kept):]
    if not remaining:
        raise TermsError('date', 'range', None,
            'on or after the last due date: nothing is left to recalculate')
    balance = decimal_to_fen(kept[-1]['balance']) if kept else principal
    resume = remaining[0]['period_start']
    if method == FREE:
        month = months = 0
    else:
        month = _grid_month(start_date, resume)
        months = _grid_month(start_date, rows[-1]['due_date']) - month
    return _State(start, rate, method, basis, kept, remaining, balance,
        resume, month, months)


def _continue(state, principal, months, rate=None, payment=0, split=None,
        plan=None):
    """Return the installments of the rest of a loan from state.resume.

    ``principal`` (fen) over ``months`` more months on the grid, or over
    ``plan`` (day numbers, fen amounts) for a free plan; ``payment`` fixes
    the installment (equal_installment) or the principal per period
    (equal_principal); ``split`` is the event date when a new rate starts
    inside the first period.
    """
    if rate is None:
        rate = state.rate
    hooks = {
        'split_date': [-1 if split is None else to_days(split)],
        'rate_before_micro': [state.rate],
        }
    try:
        if state.method == FREE:
            days, amounts = plan
            arrays = generate_arrays([principal], [rate],
                [to_days(state.resume)], [0], [FREE], [BASIS_CODES['day']],
                [0, len(days)], days, amounts, **hooks)
        else:
            arrays = generate_arrays([principal], [rate], [state.start],
                [months], [state.method], [state.basis],
                month_offset=[state.month], payment=[payment], **hooks)
    except TermsError as error:
        raise TermsError(error.field, error.reason, None, error.detail)
    return to_installments(arrays)[0]


def _until_repaid(rows):
    "Return rows up to the first one that leaves no balance"
    for count, row in enumerate(rows, 1):
        if not row['balance']:
            return rows[:count]
    return rows


def _assemble(kept, added):
    "Return kept + added with seq renumbered"
    rows = [dict(row) for row in kept] + list(added)
    for seq, row in enumerate(rows, 1):
        row['seq'] = seq
    return rows


def _remaining_plan(state):
    return ([to_days(row['due_date']) for row in state.remaining],
        [decimal_to_fen(row['principal']) for row in state.remaining])


def _reduced_plan(state, rest, mode):
    """Return the remaining free plan cut down to rest (fen).

    keep_term: every remaining entry shrinks in proportion (cumulated
    amounts are scaled and rounded half up, so the entries sum exactly to
    rest); keep_installment: the prepayment is taken from the last entries.
    Entries that become 0 are dropped.
    """
    days, amounts = _remaining_plan(state)
    if mode == KEEP_TERM:
        scaled, running, previous = [], 0, 0
        for amount in amounts:
            running += amount
            cumulated = round_div(running * rest, state.balance)
            scaled.append(cumulated - previous)
            previous = cumulated
        amounts = scaled
    else:
        excess = state.balance - rest
        for index in range(len(amounts) - 1, -1, -1):
            taken = min(excess, amounts[index])
            amounts[index] -= taken
            excess -= taken
    kept = [(d, a) for d, a in zip(days, amounts) if a]
    return [d for d, _ in kept], [a for _, a in kept]


def prepay(terms, schedule, date, amount, mode=KEEP_TERM):
    """Return the schedule after a partial prepayment of amount on date.

    ``amount`` (Decimal, str or int yuan) is principal repaid on ``date``,
    at most the outstanding balance (the whole balance settles the loan).
    ``mode``:

    * ``KEEP_TERM`` (mode A, 期限不变): the maturity stays and the
      remaining installments are lower: the rest is generated again for
      the remaining balance over the remaining months (a free plan's
      remaining entries shrink in proportion);
    * ``KEEP_INSTALLMENT`` (mode B, 月供不变): the installment stays (the
      equal_installment payment, the equal_principal principal per period)
      and the term shortens: the schedule ends with the first installment
      that clears the balance; a free plan loses its last entries.  Only
      for amortising methods (equal_installment, equal_principal, free).

    The prepayment itself is an installment due on ``date``: principal
    ``amount`` plus its interest from the start of the period in progress
    to ``date``, by days at the rate in force (none if ``date`` is a due
    date, or for interest_upfront).  See the module rules.
    """
    state = _cut(terms, schedule, date)
    if mode not in (KEEP_TERM, KEEP_INSTALLMENT):
        raise TermsError('mode', 'unknown', None,
            '%r is not %s or %s' % (mode, KEEP_TERM, KEEP_INSTALLMENT))
    paid = to_fen(amount, 'amount')
    if paid > state.balance:
        raise TermsError('amount', 'range', None,
            '%s is more than the outstanding balance %s' % (
                fen_to_decimal(paid), fen_to_decimal(state.balance)))
    amortising = state.method in (EQUAL_INSTALLMENT, EQUAL_PRINCIPAL, FREE)
    if mode == KEEP_INSTALLMENT and not amortising:
        raise TermsError('mode', 'unknown', None,
            'keep_installment needs an amortising method '
            '(equal_installment, equal_principal or free)')
    begin = min(state.resume, date)
    interest = round_div(paid * state.rate * (date - begin).days,
        INTEREST_DENOMINATOR)
    rest = state.balance - paid
    event = {
        'seq': 0,
        'due_date': date,
        'period_start': begin,
        'period_end': date,
        'days': (date - begin).days,
        'principal': fen_to_decimal(paid),
        'interest': fen_to_decimal(interest),
        'total': fen_to_decimal(paid + interest),
        'balance': fen_to_decimal(rest),
        }
    if not rest:
        added = []
    elif state.method == FREE:
        added = _continue(state, rest, 0, plan=_reduced_plan(state, rest, mode))
    elif mode == KEEP_TERM or len(state.remaining) == 1:
        added = _continue(state, rest, state.months)
    else:
        regular = state.remaining[:-1]
        if state.method == EQUAL_INSTALLMENT:
            fixed = min(decimal_to_fen(row['total']) for row in regular)
        else:
            fixed = max(decimal_to_fen(row['principal']) for row in regular)
        added = _until_repaid(
            _continue(state, rest, state.months, payment=fixed))
    return _assemble(state.kept, [event] + added)


def change_rate(terms, schedule, date, new_rate):
    """Return the schedule after the annual rate becomes new_rate on date.

    The rest of the schedule is generated again at ``new_rate`` (Decimal,
    str or int, up to 6 decimals) for the outstanding balance over the
    remaining months: the equal_installment payment is recomputed; the
    equal_principal principal per period and a free plan's entries are
    kept.  The period in progress is counted by days, old rate before
    ``date`` and new rate from it (rule 3 of the module).
    """
    state = _cut(terms, schedule, date)
    rate = to_rate_micro(new_rate, 'new_rate')
    split = date if state.resume < date else None
    if state.method == FREE:
        added = _continue(state, state.balance, 0, rate, split=split,
            plan=_remaining_plan(state))
    else:
        fixed = 0
        if state.method == EQUAL_PRINCIPAL and len(state.remaining) > 1:
            fixed = max(decimal_to_fen(row['principal'])
                for row in state.remaining[:-1])
        added = _continue(state, state.balance, state.months, rate,
            payment=fixed, split=split)
    return _assemble(state.kept, added)


def extend(terms, schedule, date, months, new_rate=None):
    """Return the schedule after an extension (展期) of months agreed on date.

    The maturity moves ``months`` later (on the same grid); the rest of the
    schedule is generated again for the outstanding balance over the
    remaining months plus ``months``, at ``new_rate`` when given (counted
    from ``date`` as in ``change_rate``).  ``date`` must be before the
    maturity.  A free plan cannot be extended here: give it a new plan.
    The regulatory limits on extensions (e.g. 贷款通则 art. 12) are the
    product's business, not the engine's.
    """
    state = _cut(terms, schedule, date)
    if isinstance(months, bool) or not isinstance(months, numbers.Integral) \
            or not 1 <= months <= MAX_TERM:
        raise TermsError('months', 'range', None,
            'give a whole number of months from 1 to %d' % MAX_TERM)
    if state.method == FREE:
        raise TermsError('method', 'unknown', None,
            'a free plan is extended by giving it a new plan')
    rate = state.rate if new_rate is None else to_rate_micro(
        new_rate, 'new_rate')
    split = date if state.resume < date and rate != state.rate else None
    added = _continue(state, state.balance, state.months + int(months), rate,
        split=split)
    return _assemble(state.kept, added)
