# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Calendar arithmetic of schedules (docs/schedule-rules.md, rule 2).

``add_months(d, k)`` keeps the day of month of ``d``, clamped to the last day
of the target month, and is always counted from the start date: 31 Jan ->
28 Feb -> 31 Mar.  Inside numpy, dates are int64 day numbers counted from
1970-01-01 (the integer view of ``datetime64[D]``); the vectorised functions
work on those.
"""
import calendar
from datetime import date

import numpy as np

__all__ = [
    'add_months', 'months_between', 'to_days', 'from_days',
    'month_parts', 'day_in_month', 'month_grid', 'add_months_parts',
    'add_months_days',
    'months_between_days']

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def to_days(value):
    "Return the day number (days since 1970-01-01) of a date"
    return value.toordinal() - _EPOCH_ORDINAL


def from_days(days):
    "Return the date of a day number"
    return date.fromordinal(int(days) + _EPOCH_ORDINAL)


def add_months(value, months):
    """Return value moved by a whole number of months.

    The day of month is kept and clamped to the target month's last day:
    ``add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)`` and
    ``add_months(date(2026, 1, 31), 2) == date(2026, 3, 31)``.  A schedule
    always counts from its start date, never from the previous due date.
    """
    year, month = divmod(value.year * 12 + value.month - 1 + months, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(value.day, last_day))


def months_between(start, end):
    """Return (whole months, fraction) from start to end, end >= start.

    ``whole`` is the greatest k with ``add_months(start, k) <= end``; the
    fraction is the part of the next grid month already run, by days.  Used
    to place cash flows on a monthly time axis (APR) and to find a date's
    position on a loan's grid (recalc).
    """
    whole, fraction = months_between_days(
        np.array([to_days(start)]), np.array([to_days(end)]))
    return int(whole[0]), float(fraction[0])


# -- vectorised, on int64 day numbers ---------------------------------------

def _month_bounds(months):
    """Return the first and the last day of each month index.

    A month index counts months from 1970-01 (the integer view of
    ``datetime64[M]``).  A small table over the range in use makes this two
    gathers instead of two calendar conversions per element.
    """
    low = int(months.min())
    high = int(months.max())
    firsts = np.arange(low, high + 2, dtype=np.int64).astype(
        'datetime64[M]').astype('datetime64[D]').astype(np.int64)
    position = months - low
    return firsts[:-1][position], (firsts[1:] - 1)[position]


def month_parts(days):
    """Return (month index, day of month - 1) of int64 day numbers"""
    days = np.asarray(days, dtype=np.int64)
    if days.size == 0:
        return days.copy(), days.copy()
    low = np.datetime64(int(days.min()), 'D').astype('datetime64[M]').astype(
        np.int64)
    high = np.datetime64(int(days.max()), 'D').astype(
        'datetime64[M]').astype(np.int64)
    firsts = np.arange(low, high + 2, dtype=np.int64).astype(
        'datetime64[M]').astype('datetime64[D]').astype(np.int64)
    if firsts[-1] - firsts[0] <= 2 ** 20:
        # a month number per day of the range: one gather per date
        month_of_day = np.repeat(np.arange(low, high + 1), np.diff(firsts))
        months = month_of_day[days - firsts[0]]
    else:
        months = np.searchsorted(firsts, days, side='right') - 1 + low
    return months, days - firsts[months - low]


def day_in_month(months, day0):
    """Return the day numbers of day ``day0 + 1`` of each month index,
    clamped to the month's last day (the core of add_months)."""
    if months.size == 0:
        return months.copy()
    first, last = _month_bounds(months)
    return np.minimum(first + day0, last)


# Largest table month_grid builds (months from the earliest to the latest
# date of a call); beyond it the callers compute dates element by element.
_GRID_MONTHS = 12 * 400


def month_grid(months, day0, span):
    """Return (table, base) such that ``table[base[i] + k]`` is the day
    number of ``add_months`` of anchor i moved by k months, 0 <= k <= span[i].

    Anchors are given as parts (``month_parts``).  The table holds every
    clamped day of month (31 rows) of every month in use, so that a date on
    a loan's grid costs one gather.  Returns None when the months in use
    span more than 400 years.
    """
    if months.size == 0:
        return np.zeros(0, dtype=np.int64), months.copy()
    low = int(months.min())
    width = int((months + span).max()) - low + 1
    if width > _GRID_MONTHS:
        return None
    first, last = _month_bounds(np.arange(low, low + width, dtype=np.int64))
    table = np.minimum(first + np.arange(31, dtype=np.int64)[:, None], last)
    return table.ravel(), day0 * width + (months - low)


def add_months_parts(months, day0, k):
    """Return the day numbers of add_months for dates given as parts.

    ``months`` and ``day0`` come from ``month_parts`` of the anchor dates
    (already gathered per element); ``k`` is the number of months to add.
    """
    return day_in_month(months + k, day0)


def add_months_days(days, k):
    "Vectorised add_months on int64 day numbers (k broadcasts)"
    days = np.asarray(days, dtype=np.int64)
    months, day0 = month_parts(days)
    months, day0, k = np.broadcast_arrays(
        months, day0, np.asarray(k, dtype=np.int64))
    return add_months_parts(months, day0, k)


def months_between_days(start, end):
    """Vectorised ``months_between`` on int64 day numbers.

    Returns (whole months as int64, fraction as float64) with
    ``add_months(start, whole) <= end < add_months(start, whole + 1)`` and
    fraction = days run since the former / days between the two.
    """
    start = np.asarray(start, dtype=np.int64)
    end = np.asarray(end, dtype=np.int64)
    months, day0 = month_parts(start)
    end_months, _ = month_parts(end)
    whole = end_months - months
    anchor = add_months_parts(months, day0, whole)
    # the day of month may not have been reached yet in the end's month
    whole = np.where(anchor > end, whole - 1, whole)
    anchor = add_months_parts(months, day0, whole)
    following = add_months_parts(months, day0, whole + 1)
    fraction = (end - anchor) / (following - anchor)
    return whole, fraction
