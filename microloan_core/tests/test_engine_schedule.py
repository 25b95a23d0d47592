# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Schedules of every method, checked to the fen against the worked
examples of docs/schedule-rules.md and against amounts computed by hand."""
from datetime import date
from decimal import Decimal

from ..engine import generate
from ..engine.reference import reference_schedule
from .engine_tools import make_terms

D = Decimal


terms = make_terms


def one(**values):
    "Return the schedule of one loan, checked against the reference"
    loan = terms(**values)
    schedule, = generate([loan])
    assert schedule == reference_schedule(loan)
    return schedule


def amounts(row):
    return row['principal'], row['interest'], row['total'], row['balance']


def test_equal_installment_worked_example():
    schedule = one()
    assert len(schedule) == 12
    first, second, last = schedule[0], schedule[1], schedule[-1]
    assert first['total'] == D('8884.88')
    assert (first['principal'], first['interest']) == (
        D('7884.88'), D('1000.00'))
    assert first['due_date'] == date(2026, 2, 28)
    assert (second['principal'], second['interest']) == (
        D('7963.73'), D('921.15'))
    assert second['due_date'] == date(2026, 3, 31)
    assert (last['principal'], last['interest'], last['total']) == (
        D('8796.88'), D('87.97'), D('8884.85'))
    assert last['due_date'] == date(2027, 1, 31)
    assert sum(r['interest'] for r in schedule) == D('6618.53')
    assert all(r['total'] == D('8884.88') for r in schedule[:-1])
    assert last['balance'] == D('0.00')


def test_equal_principal_worked_example():
    schedule = one(method='equal_principal')
    assert schedule[0]['total'] == D('9333.33')
    assert amounts(schedule[0])[:2] == (D('8333.33'), D('1000.00'))
    assert amounts(schedule[-1])[:3] == (
        D('8333.37'), D('83.33'), D('8416.70'))
    assert sum(r['interest'] for r in schedule) == D('6500.00')
    assert sum(r['principal'] for r in schedule) == D('100000.00')


def test_dates_keep_the_day_of_month_from_the_start():
    "31 Jan -> 28 Feb -> 31 Mar, never 28 Mar"
    schedule = one(term_months=4)
    assert [r['due_date'] for r in schedule] == [
        date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30),
        date(2026, 5, 31)]
    assert [r['period_start'] for r in schedule] == [
        date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31),
        date(2026, 4, 30)]
    # days count the first day and not the last (算头不算尾)
    assert [r['days'] for r in schedule] == [28, 31, 30, 31]


def test_leap_year_february():
    schedule = one(start_date=date(2027, 11, 30), term_months=4)
    assert [r['due_date'] for r in schedule] == [
        date(2027, 12, 30), date(2028, 1, 30), date(2028, 2, 29),
        date(2028, 3, 30)]


def test_output_shape_and_types():
    schedule = one(term_months=2)
    assert list(schedule[0]) == [
        'seq', 'due_date', 'period_start', 'period_end', 'days',
        'principal', 'interest', 'total', 'balance']
    for row in schedule:
        assert type(row['seq']) is int and type(row['days']) is int
        for key in ('principal', 'interest', 'total', 'balance'):
            assert isinstance(row[key], Decimal)
            assert row[key].as_tuple().exponent == -2
        assert row['total'] == row['principal'] + row['interest']
        assert row['days'] == (row['period_end'] - row['period_start']).days
    assert [r['seq'] for r in schedule] == [1, 2]


def test_bullet_month_basis():
    schedule = one(method='bullet', term_months=6)
    row, = schedule
    assert row['due_date'] == date(2026, 7, 31)
    assert (row['period_start'], row['period_end']) == (
        date(2026, 1, 31), date(2026, 7, 31))
    assert row['days'] == 181
    # 100,000 x 12 % x 6 / 12
    assert amounts(row) == (
        D('100000.00'), D('6000.00'), D('106000.00'), D('0.00'))


def test_bullet_day_basis():
    row, = one(method='bullet', term_months=6, basis='day')
    # 100,000 x 12 % x 181 / 360 = 6,033.333...
    assert row['interest'] == D('6033.33')


def test_interest_monthly():
    schedule = one(method='interest_monthly', principal=D('50000'),
        annual_rate=D('0.096'), term_months=3)
    assert [amounts(r) for r in schedule] == [
        (D('0.00'), D('400.00'), D('400.00'), D('50000.00')),
        (D('0.00'), D('400.00'), D('400.00'), D('50000.00')),
        (D('50000.00'), D('400.00'), D('50400.00'), D('0.00')),
        ]


def test_interest_monthly_day_basis():
    schedule = one(method='interest_monthly', principal=D('50000'),
        annual_rate=D('0.096'), term_months=3, basis='day')
    # 50,000 x 9.6 % / 360 = 13.3333 a day, for 28, 31 and 30 days
    assert [r['interest'] for r in schedule] == [
        D('373.33'), D('413.33'), D('400.00')]


def test_interest_quarterly_last_period_shorter():
    schedule = one(method='interest_quarterly', principal=D('120000'),
        annual_rate=D('0.10'), start_date=date(2026, 3, 15), term_months=8)
    assert [(r['period_start'], r['due_date']) for r in schedule] == [
        (date(2026, 3, 15), date(2026, 6, 15)),
        (date(2026, 6, 15), date(2026, 9, 15)),
        (date(2026, 9, 15), date(2026, 11, 15)),
        ]
    # 3, 3 and 2 months of 120,000 x 10 % / 12 = 1,000
    assert [amounts(r) for r in schedule] == [
        (D('0.00'), D('3000.00'), D('3000.00'), D('120000.00')),
        (D('0.00'), D('3000.00'), D('3000.00'), D('120000.00')),
        (D('120000.00'), D('2000.00'), D('122000.00'), D('0.00')),
        ]


def test_interest_quarterly_day_basis():
    schedule = one(method='interest_quarterly', principal=D('120000'),
        annual_rate=D('0.10'), start_date=date(2026, 3, 15), term_months=8,
        basis='day')
    assert [r['days'] for r in schedule] == [92, 92, 61]
    assert [r['interest'] for r in schedule] == [
        D('3066.67'), D('3066.67'), D('2033.33')]


def test_interest_upfront():
    schedule = one(method='interest_upfront', principal=D('10000'),
        term_months=3)
    assert [(r['seq'], r['due_date'], r['period_start'], r['period_end'],
            r['days']) for r in schedule] == [
        (1, date(2026, 1, 31), date(2026, 1, 31), date(2026, 2, 28), 28),
        (2, date(2026, 2, 28), date(2026, 2, 28), date(2026, 3, 31), 31),
        (3, date(2026, 3, 31), date(2026, 3, 31), date(2026, 4, 30), 30),
        (4, date(2026, 4, 30), date(2026, 4, 30), date(2026, 4, 30), 0),
        ]
    assert [amounts(r) for r in schedule] == [
        (D('0.00'), D('100.00'), D('100.00'), D('10000.00')),
        (D('0.00'), D('100.00'), D('100.00'), D('10000.00')),
        (D('0.00'), D('100.00'), D('100.00'), D('10000.00')),
        (D('10000.00'), D('0.00'), D('10000.00'), D('0.00')),
        ]


def test_equal_installment_day_basis():
    schedule = one(principal=D('12000'), term_months=3, basis='day')
    # A = round(12,000 x 0.01 x 1.01**3 / (1.01**3 - 1)) = 4,080.27
    assert [amounts(r) for r in schedule] == [
        (D('3968.27'), D('112.00'), D('4080.27'), D('8031.73')),
        (D('3997.28'), D('82.99'), D('4080.27'), D('4034.45')),
        (D('4034.45'), D('40.34'), D('4074.79'), D('0.00')),
        ]


def test_equal_installment_zero_rate():
    schedule = one(principal=D('1000.00'), annual_rate=D('0'), term_months=3)
    # A = round(1,000 / 3) = 333.33; the last takes the rest
    assert [amounts(r) for r in schedule] == [
        (D('333.33'), D('0.00'), D('333.33'), D('666.67')),
        (D('333.33'), D('0.00'), D('333.33'), D('333.34')),
        (D('333.34'), D('0.00'), D('333.34'), D('0.00')),
        ]


def test_free_plan():
    schedule = one(method='free', principal=D('30000'), term_months=0,
        plan=[(date(2026, 3, 1), D('10000')), (date(2026, 5, 20), '20000')])
    assert [(r['period_start'], r['due_date'], r['days']) for r in schedule] \
        == [(date(2026, 1, 31), date(2026, 3, 1), 29),
            (date(2026, 3, 1), date(2026, 5, 20), 80)]
    # 30,000 x 12 % x 29 / 360 and 20,000 x 12 % x 80 / 360
    assert [amounts(r) for r in schedule] == [
        (D('10000.00'), D('290.00'), D('10290.00'), D('20000.00')),
        (D('20000.00'), D('533.33'), D('20533.33'), D('0.00')),
        ]


def test_free_plan_is_counted_by_days_whatever_the_basis():
    plan = [(date(2026, 3, 1), D('100000'))]
    by_month, = generate([terms(method='free', plan=plan, basis='month')])
    by_day, = generate([terms(method='free', plan=plan, basis='day')])
    assert by_month == by_day


def test_free_plan_ignores_term_months():
    plan = [(date(2026, 3, 1), D('100000'))]
    loan = terms(method='free', plan=plan)
    del loan['term_months']
    assert generate([loan]) == generate([terms(method='free', plan=plan,
                term_months=0)])


def test_equal_principal_tiny_principal_never_goes_negative():
    "round(P/n) * (n - 1) > P: the principal is capped at the balance"
    schedule = one(method='equal_principal', principal=D('0.13'),
        term_months=8, annual_rate=D('0'))
    assert [r['principal'] for r in schedule] == [D('0.02')] * 6 + [
        D('0.01'), D('0.00')]
    assert all(r['balance'] >= 0 for r in schedule)


def test_equal_installment_tiny_principal_never_goes_negative():
    schedule = one(principal=D('0.13'), term_months=8, annual_rate=D('0'))
    assert sum(r['principal'] for r in schedule) == D('0.13')
    assert all(r['balance'] >= 0 for r in schedule)


def test_equal_installment_long_day_basis_principal_floor():
    "A 31-day month's interest may exceed A: the principal is then 0"
    schedule = one(principal=D('1000000'), annual_rate=D('0.36'),
        term_months=360, basis='day')
    assert any(r['principal'] == 0 for r in schedule[:-1])
    assert all(r['principal'] >= 0 and r['balance'] >= 0 for r in schedule)
    assert sum(r['principal'] for r in schedule) == D('1000000.00')


def test_many_loans_in_one_call_keep_their_order():
    loans = [terms(term_months=n, method=m) for n, m in (
            (3, 'bullet'), (2, 'interest_upfront'), (5, 'equal_principal'))]
    schedules = generate(loans)
    assert [len(s) for s in schedules] == [1, 3, 5]
    assert schedules == [generate([loan])[0] for loan in loans]


def test_no_loan():
    assert generate([]) == []


def test_amounts_as_str_and_int():
    assert generate([terms(principal='100000', annual_rate='0.12')]) \
        == generate([terms(principal=100000, annual_rate=D('0.120000'))])
