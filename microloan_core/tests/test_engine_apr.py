# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Annualised cost (综合年化成本) by the IRR method."""
from datetime import date
from decimal import Decimal

import numpy as np
import pytest

from ..engine import (
    TermsError, add_months, annualized_cost, arrays_annualized_cost,
    cash_flow_cost, generate, generate_arrays, irr)

D = Decimal
PUBLIC_EXAMPLE = [(0, D('99000'))] + [(k, D('-8833.30')) for k in range(1, 13)]


def percent(value, places):
    return (value * 100).quantize(D(places))


def test_public_example():
    "100,000 lent, 1,000 fee at signing, 12 payments of 8,833.30"
    cost = cash_flow_cost(PUBLIC_EXAMPLE)
    assert percent(cost['monthly'], '0.0001') == D('1.0670')
    assert percent(cost['simple'], '0.01') == D('12.80')
    assert percent(cost['compound'], '0.01') == D('13.58')
    assert all(isinstance(v, Decimal) for v in cost.values())


def test_public_example_from_a_schedule():
    start = date(2026, 1, 31)
    schedule = [{'due_date': add_months(start, k), 'total': D('8833.30')}
        for k in range(1, 13)]
    cost = annualized_cost(D('100000'), schedule, start, fees=D('1000'))
    assert cost == cash_flow_cost(PUBLIC_EXAMPLE)


def test_signs_may_be_given_either_way():
    lender = [(t, -a) for t, a in PUBLIC_EXAMPLE]
    assert cash_flow_cost(lender) == cash_flow_cost(PUBLIC_EXAMPLE)


def test_equal_installment_without_fees_costs_about_its_rate():
    loan = {'principal': '100000', 'annual_rate': '0.12',
        'start_date': date(2026, 1, 31), 'term_months': 12,
        'method': 'equal_installment'}
    schedule, = generate([loan])
    cost = annualized_cost(D('100000'), schedule, date(2026, 1, 31))
    # the rounding of the payment makes it a hair below 1 % a month
    assert percent(cost['simple'], '0.01') == D('12.00')
    assert percent(cost['compound'], '0.01') == D('12.68')


def test_interest_free_loan_costs_nothing():
    loan = {'principal': '1200', 'annual_rate': '0',
        'start_date': date(2026, 1, 31), 'term_months': 12,
        'method': 'equal_principal'}
    schedule, = generate([loan])
    cost = annualized_cost(D('1200'), schedule, date(2026, 1, 31))
    assert cost['simple'] == 0 and cost['compound'] == 0


def test_interest_in_advance_costs_more_than_in_arrears():
    terms = {'principal': '100000', 'annual_rate': '0.12',
        'start_date': date(2026, 1, 31), 'term_months': 12}
    upfront, monthly = generate([dict(terms, method='interest_upfront'),
            dict(terms, method='interest_monthly')])
    advance = annualized_cost(D('100000'), upfront, date(2026, 1, 31))
    arrears = annualized_cost(D('100000'), monthly, date(2026, 1, 31))
    assert advance['simple'] > arrears['simple']
    # in arrears, 1,000 a month on 100,000 is exactly 1 % a month
    assert arrears['monthly'] == D('0.0100000000')


def test_dates_off_the_grid_count_in_fractions_of_a_month():
    start = date(2026, 1, 31)
    # 15 Mar is 15 of the 31 days from 28 Feb to 31 Mar: month 1.4839
    cost = annualized_cost(D('1000'), [
            {'due_date': date(2026, 3, 15), 'total': D('1020')}], start)
    expected = 1.02 ** (1 / (1 + 15 / 31)) - 1
    assert float(cost['monthly']) == pytest.approx(expected, abs=1e-10)


def test_vectorised_irr_matches_one_by_one():
    rng = np.random.default_rng(3)
    size = 200
    principal = rng.integers(100_000, 10 ** 9, size)
    result = generate_arrays(principal, rng.integers(0, 360_000, size),
        np.datetime64('2024-05-31') + rng.integers(0, 500, size),
        rng.integers(1, 37, size), rng.integers(0, 6, size),
        rng.integers(0, 2, size))
    fees = rng.integers(0, 5000, size)
    monthly, simple, compound = arrays_annualized_cost(result, fees)
    assert np.allclose(simple, 12 * monthly)
    offsets = result.offsets
    for i in range(0, size, 17):
        rows = range(offsets[i], offsets[i + 1])
        schedule = [{'due_date': result.due_date[r].item(),
                'total': D(int(result.total[r])).scaleb(-2)} for r in rows]
        one = annualized_cost(D(int(principal[i])).scaleb(-2), schedule,
            result.period_start[offsets[i]].item(),
            fees=D(int(fees[i])).scaleb(-2))
        assert float(one['monthly']) == pytest.approx(monthly[i], abs=1e-9)


def test_irr_refuses_flows_without_a_rate():
    assert np.isnan(irr([100.0, 50.0], [0, 2])[0])     # no outflow
    assert np.isnan(irr([-100.0, 50.0, -20.0], [0, 3])[0])
    with pytest.raises(TermsError):
        cash_flow_cost([(0, 100), (1, 10)])


def test_irr_of_several_loans():
    flows = [-100, 110, -100, 0, 121, -50, 25, 25]
    result = irr(flows, [0, 2, 5, 8])
    assert result == pytest.approx([0.10, 0.10, 0.0], abs=1e-12)
