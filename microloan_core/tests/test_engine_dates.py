# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The calendar rule of schedules, scalar and vectorised."""
import calendar
import random
from datetime import date, timedelta

import numpy as np
import pytest

from ..engine import add_months, months_between
from ..engine.dates import (
    add_months_days, from_days, month_grid, month_parts, months_between_days,
    to_days)


@pytest.mark.parametrize('start, months, expected', [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 1, 31), 2, date(2026, 3, 31)),
        (date(2026, 1, 31), 3, date(2026, 4, 30)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 1, 30), 1, date(2026, 2, 28)),
        (date(2026, 1, 29), 13, date(2027, 2, 28)),
        (date(2027, 12, 31), 2, date(2028, 2, 29)),
        (date(2026, 2, 28), 1, date(2026, 3, 28)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 5, 15), 0, date(2026, 5, 15)),
        (date(2026, 5, 15), -5, date(2025, 12, 15)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        ])
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


def test_counted_from_the_start_not_from_the_previous_date():
    start = date(2026, 1, 31)
    dates = [add_months(start, k) for k in range(1, 4)]
    assert dates == [date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]
    assert add_months(dates[0], 1) == date(2026, 3, 28)   # the wrong way


def test_vectorised_add_months_agrees_with_the_scalar_rule():
    rng = random.Random(11)
    starts = [date(1, 1, 1) + timedelta(rng.randrange(3650000))
        for _ in range(3000)]
    starts += [date(y, m, calendar.monthrange(y, m)[1])
        for y in (1900, 2000, 2023, 2024) for m in range(1, 13)]
    months = [rng.randrange(0, 601) for _ in starts]
    days = np.array([to_days(d) for d in starts])
    ks = np.array(months)
    ok = np.array([d.year * 12 + k < 9999 * 12 for d, k in zip(starts, months)])
    result = add_months_days(days[ok], ks[ok])
    expected = [add_months(d, k) for d, k, keep in zip(starts, months, ok)
        if keep]
    assert [from_days(r) for r in result] == expected


def test_month_parts_over_a_wide_range():
    "Over the dense table and over the binary search"
    for low, high in ((to_days(date(2020, 1, 1)), to_days(date(2030, 1, 1))),
            (to_days(date(1, 1, 1)), to_days(date(9999, 12, 31)))):
        days = np.linspace(low, high, 5001).astype(np.int64)
        months, day0 = month_parts(days)
        for d, m, z in zip(days[::97], months[::97], day0[::97]):
            value = from_days(d)
            assert m == (value.year - 1970) * 12 + value.month - 1
            assert z == value.day - 1


def test_month_grid_table():
    start = np.array([to_days(date(2026, 1, 31)), to_days(date(2024, 2, 29))])
    months, day0 = month_parts(start)
    table, base = month_grid(months, day0, np.array([14, 30]))
    for i, first in enumerate((date(2026, 1, 31), date(2024, 2, 29))):
        for k in range(0, 15):
            assert from_days(table[base[i] + k]) == add_months(first, k)


def test_months_between():
    assert months_between(date(2026, 1, 31), date(2026, 3, 31)) == (2, 0.0)
    assert months_between(date(2026, 1, 31), date(2026, 2, 28)) == (1, 0.0)
    whole, fraction = months_between(date(2026, 1, 31), date(2026, 3, 15))
    # 28 Feb .. 15 Mar is 15 days of the 31 to 31 Mar
    assert whole == 1 and fraction == pytest.approx(15 / 31)
    assert months_between(date(2026, 1, 15), date(2026, 1, 15)) == (0, 0.0)


def test_months_between_inverts_add_months():
    rng = random.Random(5)
    starts = [date(2000, 1, 1) + timedelta(rng.randrange(10000))
        for _ in range(500)]
    ks = [rng.randrange(0, 400) for _ in starts]
    start = np.array([to_days(d) for d in starts])
    end = np.array([to_days(add_months(d, k)) for d, k in zip(starts, ks)])
    whole, fraction = months_between_days(start, end)
    assert whole.tolist() == ks
    assert not fraction.any()
