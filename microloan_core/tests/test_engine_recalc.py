# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Servicing recalculations: prepayment (modes A and B), rate change and
extension, by hand-checked examples, properties and refusals."""
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..engine import (
    KEEP_INSTALLMENT, KEEP_TERM, TermsError, add_months, change_rate,
    extend, generate, prepay)
from .engine_tools import make_terms
from .test_engine_properties import check_books, free_plans

D = Decimal
START = date(2026, 1, 31)


terms = make_terms  # its value date is START


def issued(**values):
    loan = terms(**values)
    return loan, generate([loan])[0]


def payment(balance, rate, months):
    "Annuity payment rounded half up, computed with Fractions"
    r = Fraction(D(rate)) / 12
    grown = (1 + r) ** months
    value = Fraction(D(balance)) * r * grown / (grown - 1)
    return D(value.numerator) / D(value.denominator)


def money(value):
    return D(value).quantize(D('0.01'), ROUND_HALF_UP)


def check(result, loan):
    "Properties every recalculated schedule keeps"
    check_books(loan['principal'], result)
    dues = [r['due_date'] for r in result]
    assert dues == sorted(dues)


def kept(original, when):
    return [r for r in original if r['due_date'] <= when]


def test_prepayment_inside_a_period_keep_term():
    loan, original = issued()
    result = prepay(loan, original, date(2026, 3, 15), D('20000'))
    check(result, loan)
    assert result[0] == original[0]
    event = result[1]
    assert (event['due_date'], event['period_start'], event['days']) == (
        date(2026, 3, 15), date(2026, 2, 28), 15)
    # 20,000 x 12 % x 15 / 360 on the prepaid principal only
    assert (event['principal'], event['interest'], event['balance']) == (
        D('20000.00'), D('100.00'), D('72115.12'))
    rest = result[2:]
    assert len(rest) == 11 and rest[-1]['due_date'] == date(2027, 1, 31)
    assert rest[0]['period_start'] == date(2026, 2, 28)
    # the rest bears the whole period: 72,115.12 x 1 %
    assert rest[0]['interest'] == D('721.15')
    new_payment = money(payment('72115.12', '0.12', 11))
    assert new_payment == D('6955.80')
    assert all(r['total'] == new_payment for r in rest[:-1])
    assert rest[0]['principal'] == D('6234.65')


def test_prepayment_on_a_due_date_keep_installment():
    loan, original = issued()
    result = prepay(loan, original, date(2026, 3, 31), D('20000'),
        KEEP_INSTALLMENT)
    check(result, loan)
    assert result[:2] == original[:2]
    event = result[2]
    assert (event['period_start'], event['days'], event['interest']) == (
        date(2026, 3, 31), 0, D('0.00'))
    assert event['balance'] == D('64151.39')
    rest = result[3:]
    assert all(r['total'] == D('8884.88') for r in rest[:-1])
    assert (rest[0]['principal'], rest[0]['interest']) == (
        D('8243.37'), D('641.51'))
    # the term shortens: the last installment is in November, not January
    assert rest[-1]['due_date'] == date(2026, 11, 30)
    assert (rest[-1]['principal'], rest[-1]['interest']) == (
        D('4687.57'), D('46.88'))
    assert rest[-1]['total'] <= D('8884.88')


def test_prepayment_of_the_whole_balance_settles_the_loan():
    loan, original = issued()
    result = prepay(loan, original, date(2026, 4, 10), D('84151.39'))
    check(result, loan)
    assert len(result) == 3
    # 84,151.39 x 12 % x 10 / 360 = 280.50
    assert result[-1]['interest'] == D('280.50')


def test_prepayment_equal_principal_keep_installment():
    loan, original = issued(method='equal_principal')
    result = prepay(loan, original, date(2026, 2, 28), D('30000'),
        KEEP_INSTALLMENT)
    check(result, loan)
    rest = result[2:]
    assert all(r['principal'] == D('8333.33') for r in rest[:-1])
    # 91,666.67 - 30,000 = 61,666.67: 7 x 8,333.33 + 3,333.36
    assert len(rest) == 8 and rest[-1]['principal'] == D('3333.36')


def test_prepayment_equal_principal_keep_term():
    loan, original = issued(method='equal_principal')
    result = prepay(loan, original, date(2026, 2, 28), D('30000'))
    check(result, loan)
    rest = result[2:]
    # 61,666.67 over 11 months
    assert len(rest) == 11
    assert rest[0]['principal'] == money(D('61666.67') / 11) == D('5606.06')


def test_prepayment_of_a_bullet_loan():
    loan, original = issued(method='bullet')
    result = prepay(loan, original, date(2026, 3, 2), D('40000'))
    check(result, loan)
    event, rest = result
    # 40,000 x 12 % x 30 days / 360; 60,000 x 12 % for the whole year
    assert (event['days'], event['interest']) == (30, D('400.00'))
    assert (rest['principal'], rest['interest']) == (
        D('60000.00'), D('7200.00'))
    assert rest['due_date'] == date(2027, 1, 31)


def test_prepayment_interest_upfront_charges_nothing_more():
    loan, original = issued(method='interest_upfront', term_months=4)
    result = prepay(loan, original, date(2026, 3, 10), D('50000'))
    check(result, loan)
    # paid in advance: 31 Jan and 28 Feb kept, no interest on the prepayment
    assert result[:2] == original[:2]
    event = result[2]
    assert (event['interest'], event['days']) == (D('0.00'), 0)
    assert [(r['due_date'], r['interest']) for r in result[3:]] == [
        (date(2026, 3, 31), D('500.00')), (date(2026, 4, 30), D('500.00')),
        (date(2026, 5, 31), D('0.00'))]


def test_prepayment_of_a_free_plan():
    plan = [(date(2026, 3, 1), D('10000')), (date(2026, 5, 1), D('30000')),
        (date(2026, 9, 1), D('60000'))]
    loan, original = issued(method='free', plan=plan)
    keep_term = prepay(loan, original, date(2026, 4, 1), D('45000'))
    check(keep_term, loan)
    # 90,000 -> 45,000: the remaining entries are halved
    assert [r['principal'] for r in keep_term[2:]] == [
        D('15000.00'), D('30000.00')]
    assert keep_term[-1]['due_date'] == date(2026, 9, 1)
    shorter = prepay(loan, original, date(2026, 4, 1), D('65000'),
        KEEP_INSTALLMENT)
    check(shorter, loan)
    # taken from the end: 60,000 gone, 30,000 -> 25,000
    assert [(r['due_date'], r['principal']) for r in shorter[2:]] == [
        (date(2026, 5, 1), D('25000.00'))]
    # its interest runs from the last plan date, by days
    assert shorter[2]['period_start'] == date(2026, 3, 1)
    assert shorter[2]['interest'] == money(
        D('25000') * D('0.12') * 61 / 360)


def test_rate_change_inside_a_period():
    loan, original = issued()
    result = change_rate(loan, original, date(2026, 3, 15), D('0.06'))
    check(result, loan)
    assert result[0] == original[0]
    second = result[1]
    # 92,115.12 x (12 % x 15 + 6 % x 16) / 360, rounded once
    assert second['interest'] == D('706.22')
    new_payment = money(payment('92115.12', '0.06', 11))
    assert second['total'] == new_payment
    assert all(r['total'] == new_payment for r in result[1:-1])
    assert result[-1]['due_date'] == date(2027, 1, 31)
    # from the next period on, 6 % a year on the balance
    assert result[2]['interest'] == money(result[1]['balance'] * D('0.005'))


def test_rate_change_on_a_due_date_equal_principal_keeps_principal():
    loan, original = issued(method='equal_principal')
    result = change_rate(loan, original, date(2026, 4, 30), '0.09')
    check(result, loan)
    assert [r['principal'] for r in result] == [
        r['principal'] for r in original]
    assert result[:3] == original[:3]
    assert result[3]['interest'] == money(original[2]['balance'] * D('0.0075'))


def test_extension_of_a_bullet_loan_with_a_new_rate():
    loan, original = issued(method='bullet')
    result = extend(loan, original, date(2026, 6, 1), 6, new_rate='0.10')
    check(result, loan)
    row, = result
    assert row['due_date'] == date(2027, 7, 31) and row['days'] == 546
    # 100,000 x (12 % x 121 + 10 % x 425) / 360
    assert row['interest'] == D('15838.89')


def test_extension_of_an_equal_installment_loan():
    loan, original = issued()
    result = extend(loan, original, date(2026, 3, 31), 6)
    check(result, loan)
    assert result[:2] == original[:2]
    assert len(result) == 2 + 16
    assert result[-1]['due_date'] == date(2027, 7, 31)
    assert result[2]['total'] == money(payment('84151.39', '0.12', 16))


def test_events_in_a_row():
    loan, schedule = issued(term_months=24, basis='day')
    schedule = prepay(loan, schedule, date(2026, 5, 10), D('10000'))
    schedule = change_rate(loan, schedule, date(2026, 7, 20), '0.08')
    loan = dict(loan, annual_rate=D('0.08'))
    schedule = prepay(loan, schedule, date(2026, 9, 30), '5000',
        KEEP_INSTALLMENT)
    schedule = extend(loan, schedule, date(2027, 1, 5), 3)
    check(schedule, loan)
    # mode B took a month off (2027-12-31), the extension added three
    assert schedule[-1]['due_date'] == date(2028, 3, 31)


@pytest.mark.parametrize('call, field', [
        (lambda l, s: prepay(l, s, date(2026, 3, 15), D('92115.13')),
            'amount'),
        (lambda l, s: prepay(l, s, date(2026, 3, 15), D('0')), 'amount'),
        (lambda l, s: prepay(l, s, date(2026, 3, 15), '1.001'), 'amount'),
        (lambda l, s: prepay(l, s, date(2026, 3, 15), 10.0), 'amount'),
        (lambda l, s: prepay(l, s, date(2026, 3, 15), 1, 'B'), 'mode'),
        (lambda l, s: prepay(l, s, date(2027, 1, 31), 1), 'date'),
        (lambda l, s: prepay(l, s, date(2026, 1, 30), 1), 'date'),
        (lambda l, s: prepay(l, s, datetime(2026, 3, 1), 1), 'date'),
        (lambda l, s: prepay(l, s[:-1], date(2026, 3, 1), 1), 'schedule'),
        (lambda l, s: prepay(l, [], date(2026, 3, 1), 1), 'schedule'),
        (lambda l, s: change_rate(l, s, date(2026, 3, 1), '-0.1'),
            'new_rate'),
        (lambda l, s: extend(l, s, date(2026, 3, 1), 0), 'months'),
        (lambda l, s: extend(l, s, date(2026, 3, 1), 1.5), 'months'),
        (lambda l, s: extend(l, s, date(2027, 1, 31), 3), 'date'),
        (lambda l, s: prepay(dict(l, principal='-1'), s, date(2026, 3, 1),
                1), 'principal'),
        ])
def test_refusals(call, field):
    loan, original = issued()
    with pytest.raises(TermsError) as info:
        call(loan, original)
    assert info.value.field == field
    assert isinstance(info.value, ValueError)


def test_keep_installment_needs_an_amortising_method():
    loan, original = issued(method='interest_monthly')
    with pytest.raises(TermsError) as info:
        prepay(loan, original, date(2026, 3, 15), 100, KEEP_INSTALLMENT)
    assert info.value.field == 'mode'


def test_a_free_plan_is_not_extended():
    loan, original = issued(method='free',
        plan=[(date(2026, 3, 1), D('100000'))])
    with pytest.raises(TermsError) as info:
        extend(loan, original, date(2026, 2, 1), 3)
    assert info.value.field == 'method'


def test_a_schedule_off_the_grid_is_refused():
    loan, original = issued()
    with pytest.raises(TermsError) as info:
        prepay(dict(loan, start_date=date(2026, 1, 30)), original,
            date(2026, 3, 15), 100)
    assert (info.value.field, info.value.reason) == ('schedule', 'grid')


# -- properties over random loans and events --------------------------------

@st.composite
def events(draw):
    method = draw(st.sampled_from([
                'bullet', 'interest_monthly', 'interest_quarterly',
                'interest_upfront', 'equal_principal', 'equal_installment',
                'free']))
    principal = draw(st.integers(1, draw(st.sampled_from([10 ** 10, 5000]))))
    start = date(2000, 1, 1) + timedelta(draw(st.integers(0, 20000)))
    loan = {
        'principal': D(principal).scaleb(-2),
        'annual_rate': D(draw(st.integers(0, 500_000))).scaleb(-6),
        'start_date': start,
        'term_months': draw(st.integers(1, 40)),
        'method': method,
        'basis': draw(st.sampled_from(['month', 'day'])),
        }
    if method == 'free':
        loan['plan'] = draw(free_plans(principal, start, 5))
    schedule = generate([loan])[0]
    last = schedule[-1]['due_date']
    when = start + timedelta(draw(st.integers(0, (last - start).days - 1)))
    kind = draw(st.sampled_from(['prepay', 'change_rate', 'extend']))
    return loan, schedule, when, kind, draw(st.data())


@settings(max_examples=300, deadline=None, database=None, derandomize=True,
    suppress_health_check=list(HealthCheck))
@given(events())
def test_recalculations_keep_the_books(event):
    loan, original, when, kind, data = event
    balance = ([r['balance'] for r in original if r['due_date'] <= when]
        or [loan['principal']])[-1]
    if kind == 'prepay':
        amount = D(data.draw(st.integers(1, int(balance * 100)))).scaleb(-2)
        modes = [KEEP_TERM]
        if loan['method'] in ('equal_installment', 'equal_principal', 'free'):
            modes.append(KEEP_INSTALLMENT)
        mode = data.draw(st.sampled_from(modes))
        result = prepay(loan, original, when, amount, mode)
        if mode == KEEP_TERM and amount < balance:
            assert result[-1]['due_date'] == original[-1]['due_date']
        assert result[-1]['due_date'] <= original[-1]['due_date']
    elif kind == 'change_rate':
        rate = D(data.draw(st.integers(0, 500_000))).scaleb(-6)
        result = change_rate(loan, original, when, rate)
        assert result[-1]['due_date'] == original[-1]['due_date']
    else:
        if loan['method'] == 'free':
            return
        months = data.draw(st.integers(1, 12))
        result = extend(loan, original, when, months)
        assert result[-1]['due_date'] == add_months(
            loan['start_date'], loan['term_months'] + months)
    check(result, loan)
    past = kept(original, when)
    assert result[:len(past)] == past
    assert all(r['due_date'] >= when for r in result[len(past):])
