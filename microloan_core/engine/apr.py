# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Annualised cost of a loan (综合年化成本) by the IRR method.

PBOC announcement [2021] No. 3: every cost borne by the borrower (interest
and each directly related fee) against the principal actually in use.  The
monthly internal rate of return i of the cash flows (the net amount received
at signing, each installment at its month) is solved, and shown as
``12 * i`` (simple) and ``(1 + i) ** 12 - 1`` (compound).

Cash flows sit on a monthly time axis: an installment due on
``add_months(start, k)`` is at month k; any other date at k plus the part of
the following grid month already run, by days (``months_between``).

The solver is vectorised over loans: Newton's method on ``v = log(1 + i)``
for all loans at once.  With the money lent as the only outflow (at month
0) and repayments afterwards, ``f(v) = sum c_j * exp(-t_j * v)`` is convex
and decreasing, so Newton's iterates, once left of the root (from the
second one on), increase monotonically to it: no bracketing is needed.
"""
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from .dates import months_between_days, to_days
from .terms import TermsError

__all__ = [
    'irr', 'annualise', 'annualized_cost', 'cash_flow_cost',
    'arrays_annualized_cost']

PLACES = Decimal('1E-10')
_LOWEST = -1.0          # v >= -1: i >= exp(-1) - 1, a 63 % monthly loss
_TOLERANCE = 1e-15


def irr(flows, offsets, times=None, max_iter=100):
    """Return the monthly IRR of each loan's cash flows (float64 array).

    ``flows``: flat float64 amounts, loan after loan; the flows of loan i
    are ``flows[offsets[i]:offsets[i + 1]]``.  ``times``: their positions in
    months (float; default 0, 1, 2, ... within each loan).  Signs are taken
    from the flows at month 0: their sum must have the sign opposite to
    every later flow (money lent out, then repaid, or the borrower's view of
    the same).  A loan whose flows do not have that shape, or whose rate
    does not converge, gets NaN.
    """
    flows = np.asarray(flows, dtype=np.float64)
    offsets = np.asarray(offsets, dtype=np.int64)
    size = offsets.size - 1
    counts = np.diff(offsets)
    owner = np.repeat(np.arange(size), counts)
    if times is None:
        times = (np.arange(flows.size) - offsets[:-1][owner]).astype(
            np.float64)
    else:
        times = np.asarray(times, dtype=np.float64)
    # lender's view: the net flow at month 0 is an outflow
    at_start = times == 0
    net_start = np.bincount(owner, weights=np.where(at_start, flows, 0),
        minlength=size)
    sign = np.where(net_start > 0, -1.0, 1.0)
    flows = flows * sign[owner]
    later = ~at_start
    valid = (net_start != 0) & ~np.bincount(
        owner, weights=later & (flows < 0), minlength=size).astype(bool)
    valid &= np.bincount(owner, weights=later * flows, minlength=size) > 0
    v = np.zeros(size)
    done = ~valid
    for _ in range(max_iter):
        discount = np.exp(-times * v[owner])
        value = np.bincount(owner, weights=flows * discount, minlength=size)
        slope = np.bincount(owner, weights=-times * flows * discount,
            minlength=size)
        with np.errstate(divide='ignore', invalid='ignore'):
            step = np.where(done, 0.0, value / slope)
        following = np.maximum(v - step, _LOWEST)
        converged = np.abs(following - v) <= _TOLERANCE * np.maximum(
            1.0, np.abs(v))
        v = np.where(done, v, following)
        done |= converged
        if done.all():
            break
    result = np.expm1(v)
    result[~valid | ~done | (v <= _LOWEST)] = np.nan
    return result


def annualise(monthly):
    "Return (simple, compound) annual rates of monthly rates"
    monthly = np.asarray(monthly, dtype=np.float64)
    return 12 * monthly, np.expm1(12 * np.log1p(monthly))


def _decimal(value):
    return Decimal(repr(float(value))).quantize(PLACES, ROUND_HALF_UP)


def _result(monthly):
    simple, compound = annualise(monthly)
    if np.isnan(monthly):
        raise TermsError(
            'schedule', 'range', None,
            'the cash flows have no internal rate of return')
    return {
        'monthly': _decimal(monthly),
        'simple': _decimal(simple),
        'compound': _decimal(compound),
        }


def cash_flow_cost(flows):
    """Return the annualised cost of one loan's cash flows.

    ``flows`` is a list of ``(months, amount)``: the position in months
    (int or float) and the amount (Decimal, int or str), e.g. for the public
    example ``[(0, 99000), (1, -8833.30), ..., (12, -8833.30)]``.  Returns
    a dict of Decimal fractions (10 places): ``monthly`` (the IRR),
    ``simple`` (12 x monthly) and ``compound`` ((1 + monthly)**12 - 1).
    """
    times = np.array([float(t) for t, _ in flows])
    amounts = np.array([float(Decimal(a)) for _, a in flows])
    return _result(irr(amounts, [0, len(amounts)], times)[0])


def annualized_cost(principal, schedule, start_date, fees=Decimal(0)):
    """Return the annualised cost of a loan with its schedule.

    ``principal`` is the amount lent on ``start_date``; ``fees`` what the
    borrower pays at signing (the net amount received is principal - fees);
    each installment of ``schedule`` (dicts as made by ``generate``) is paid
    in full (``total``) on its ``due_date``.  Returns a dict of Decimal
    fractions with 10 places: ``monthly``, ``simple`` and ``compound``;
    ``round(result['simple'] * 100, 2)`` is the percentage to disclose.
    """
    start = to_days(start_date)
    due = np.array([to_days(row['due_date']) for row in schedule],
        dtype=np.int64)
    whole, fraction = months_between_days(np.full(due.size, start), due)
    times = np.concatenate(([0.0], whole + fraction))
    amounts = np.array(
        [-float(Decimal(principal) - Decimal(fees))]
        + [float(row['total']) for row in schedule])
    return _result(irr(amounts, [0, amounts.size], times)[0])


def arrays_annualized_cost(arrays, fees=None):
    """Return (monthly, simple, compound) float64 arrays for ScheduleArrays.

    ``arrays`` comes from ``generate_arrays`` (possibly with the servicing
    hooks); the value date of a loan is its first row's ``period_start``
    and its principal the sum of its principal column.  ``fees`` (fen per
    loan, optional) are paid at signing.
    """
    offsets = np.asarray(arrays.offsets)
    size = offsets.size - 1
    loan = np.asarray(arrays.loan)
    start = arrays.period_start.astype(np.int64)[offsets[:-1]]
    due = arrays.due_date.astype(np.int64)
    whole, fraction = months_between_days(start[loan], due)
    lent = np.bincount(loan, weights=arrays.principal, minlength=size)
    if fees is not None:
        lent = lent - np.asarray(fees, dtype=np.float64)
    flow_offsets = offsets + np.arange(size + 1)
    flows = np.empty(offsets[-1] + size)
    times = np.empty_like(flows)
    head = flow_offsets[:-1]
    flows[head] = -lent
    times[head] = 0.0
    body = np.arange(loan.size) + loan + 1
    flows[body] = arrays.total
    times[body] = whole + fraction
    monthly = irr(flows, flow_offsets, times)
    return (monthly,) + annualise(monthly)
