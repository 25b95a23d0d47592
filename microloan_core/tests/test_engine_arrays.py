# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The array entry point: column layout, free plans as flat arrays, and
the servicing hooks (month_offset, payment, split_date)."""
from datetime import date

import numpy as np

from ..engine import BASIS_CODES, METHOD_CODES, generate, generate_arrays
from ..engine import arrays as arrays_module
from ..engine.dates import to_days

START = np.datetime64('2026-01-31')


def codes(*names):
    return np.array([METHOD_CODES[name] for name in names])


def test_column_layout():
    result = generate_arrays(
        principal=np.array([10_000_000, 500_000, 300_000]),
        rate_micro=np.array([120_000, 96_000, 0]),
        start=np.array([START, START, START]),
        term=np.array([12, 3, 0]),
        method=codes('equal_installment', 'bullet', 'free'),
        basis=np.zeros(3, dtype=np.int64),
        plan_offsets=np.array([0, 0, 0, 2]),
        plan_dates=np.array([START + 10, START + 40]),
        plan_amounts=np.array([100_000, 200_000]))
    assert result.offsets.tolist() == [0, 12, 13, 15]
    assert result.loan.tolist() == [0] * 12 + [1] + [2, 2]
    assert result.seq.tolist() == list(range(1, 13)) + [1, 1, 2]
    assert result.due_date.dtype == np.dtype('datetime64[D]')
    assert result.period_start.dtype == np.dtype('datetime64[D]')
    assert result.period_end.dtype == np.dtype('datetime64[D]')
    for name in ('principal', 'interest', 'total', 'balance'):
        assert getattr(result, name).dtype == np.int64
    assert result.total[0] == 888_488          # 8,884.88
    assert result.principal[12] == 500_000 and result.interest[12] == 12_000
    assert result.due_date[13] == START + 10
    assert result.period_start[14] == START + 10
    assert result.principal[13:15].tolist() == [100_000, 200_000]
    assert result.balance[13:15].tolist() == [200_000, 0]


def test_int_day_numbers_equal_datetime64():
    kwargs = dict(principal=[100_000], rate_micro=[100_000], term=[7],
        method=codes('interest_quarterly'), basis=[BASIS_CODES['day']])
    as_dates = generate_arrays(start=np.array([START]), **kwargs)
    as_ints = generate_arrays(start=[to_days(date(2026, 1, 31))], **kwargs)
    for left, right in zip(as_dates, as_ints):
        assert np.array_equal(left, right)


def test_no_loan():
    result = generate_arrays([], [], np.array([], dtype='datetime64[D]'),
        [], [], [])
    assert result.offsets.tolist() == [0]
    assert result.seq.size == 0


def test_chunks_do_not_change_results(monkeypatch):
    rng = np.random.default_rng(5)
    size = 400
    kwargs = dict(
        principal=rng.integers(1, 10 ** 9, size),
        rate_micro=rng.integers(0, 400_000, size),
        start=START + rng.integers(0, 1000, size),
        term=rng.integers(1, 40, size),
        method=rng.integers(0, 6, size),
        basis=rng.integers(0, 2, size))
    whole = generate_arrays(**kwargs)
    monkeypatch.setattr(arrays_module, 'CHUNK_ROWS', 64)
    chunked = generate_arrays(**kwargs)
    for left, right in zip(whole, chunked):
        assert np.array_equal(left, right)


def tail_of(method, term, cut, payment=0, basis=0):
    "Return (the rows after cut of a schedule, its continuation from cut)"
    whole = generate_arrays([10_000_000], [150_000], [START], [term],
        codes(method), [basis])
    rows = slice(cut, None)
    balance = whole.balance[cut - 1] if cut else 10_000_000
    months = {'interest_quarterly': 3 * cut}.get(method, cut)
    rest = generate_arrays([balance], [150_000], [START], [term - months],
        codes(method), [basis], month_offset=[months], payment=[payment])
    return whole, rows, rest


def assert_same_rows(whole, rows, rest):
    for name in ('due_date', 'period_start', 'period_end', 'days',
            'principal', 'interest', 'total', 'balance'):
        assert np.array_equal(getattr(whole, name)[rows],
            getattr(rest, name)), name


def test_month_offset_continues_the_grid():
    "A schedule continued from month k is the tail of the whole schedule"
    for method, term, cut in (
            ('interest_monthly', 13, 5), ('interest_quarterly', 13, 2),
            ('interest_upfront', 13, 5), ('interest_upfront', 13, 13)):
        for basis in (0, 1):
            assert_same_rows(*tail_of(method, term, cut, basis=basis))


def test_payment_fixes_the_installment():
    for basis in (0, 1):
        whole = generate_arrays([10_000_000], [150_000], [START], [13],
            codes('equal_installment'), [basis])
        payment = int(whole.total[0])
        assert_same_rows(*tail_of('equal_installment', 13, 4, payment,
                basis))
        whole = generate_arrays([10_000_000], [150_000], [START], [13],
            codes('equal_principal'), [basis])
        assert_same_rows(*tail_of('equal_principal', 13, 4,
                int(whole.principal[0]), basis))


def test_split_date_counts_the_first_period_by_days_at_two_rates():
    result = generate_arrays([10_000_000], [120_000], [START], [3],
        codes('interest_monthly'), [0],
        split_date=np.array([START + 10]), rate_before_micro=[60_000])
    # 100,000 x (6 % x 10 + 12 % x 18) / 360 = 766.666... -> 766.67
    assert result.interest.tolist() == [76_667, 100_000, 100_000]
    same = generate_arrays([10_000_000], [120_000], [START], [3],
        codes('interest_monthly'), [0],
        split_date=np.array([START]), rate_before_micro=[60_000])
    assert same.interest.tolist() == [100_000] * 3


def test_arrays_equal_generate_for_free_and_grid_loans():
    loans = [
        {'principal': '1234.56', 'annual_rate': '0.0735', 'method': 'free',
            'start_date': date(2026, 1, 31), 'term_months': 0,
            'plan': [(date(2026, 2, 10), '234.56'),
                (date(2026, 7, 1), '1000')]},
        {'principal': '99.99', 'annual_rate': '0.3', 'method': 'bullet',
            'start_date': date(2026, 1, 31), 'term_months': 1},
        ]
    schedules = generate(loans)
    result = generate_arrays([123456, 9999], [73500, 300000],
        np.array([START, START]), [0, 1], codes('free', 'bullet'), [1, 0],
        [0, 2, 2], np.array([np.datetime64('2026-02-10'),
                np.datetime64('2026-07-01')]), [23456, 100000])
    assert [int(r['interest'] * 100) for s in schedules for r in s] \
        == result.interest.tolist()
