# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Invalid terms are refused with a TermsError naming the field and the
loan, before anything is computed."""
from datetime import date, datetime
from decimal import Decimal

import numpy as np
import pytest

from ..engine import (
    METHOD_CODES, TermsError, generate, generate_arrays, to_fen,
    to_rate_micro)
from .engine_tools import make_terms

D = Decimal


def terms(**values):
    "The worked example's terms for 1,000.00, without the optional basis"
    result = make_terms(principal=D('1000.00'))
    del result['basis']
    result.update(values)
    return result


def free(plan, **values):
    return terms(method='free', plan=plan, **values)


def refused(loan, field, reason=None):
    "Assert that loan, second in a list of valid loans, is refused"
    with pytest.raises(TermsError) as info:
        generate([terms(), loan, terms()])
    error = info.value
    assert isinstance(error, ValueError)
    assert (error.field, error.index) == (field, 1)
    if reason is not None:
        assert error.reason == reason
    assert field in str(error) and 'terms[1]' in str(error)
    return error


@pytest.mark.parametrize('value, reason', [
        (D('0'), 'range'),
        (D('-100.00'), 'range'),
        ('0.00', 'range'),
        (D('1000000000.01'), 'range'),
        (D('100.001'), 'precision'),
        ('12.345', 'precision'),
        (100.0, 'type'),
        (True, 'type'),
        (None, 'type'),
        ('abc', 'type'),
        (D('NaN'), 'type'),
        (D('Infinity'), 'type'),
        ([100], 'type'),
        ])
def test_bad_principal(value, reason):
    refused(terms(principal=value), 'principal', reason)


@pytest.mark.parametrize('value, reason', [
        (D('-0.01'), 'range'),
        (D('10.000001'), 'range'),
        (D('0.1234567'), 'precision'),
        ('0.0000001', 'precision'),
        (0.12, 'type'),
        (None, 'type'),
        ('12%', 'type'),
        ])
def test_bad_rate(value, reason):
    refused(terms(annual_rate=value), 'annual_rate', reason)


def test_rates_with_six_decimals_and_zero_are_accepted():
    generate([terms(annual_rate=D('0.123456')), terms(annual_rate='0'),
            terms(annual_rate=10)])


@pytest.mark.parametrize('value, reason', [
        (0, 'range'), (-1, 'range'), (601, 'range'), (12.0, 'type'),
        ('12', 'type'), (True, 'type'), (None, 'type')])
def test_bad_term(value, reason):
    refused(terms(term_months=value), 'term_months', reason)


def test_maturity_after_9999():
    refused(terms(start_date=date(9999, 1, 1)), 'term_months', 'range')


@pytest.mark.parametrize('value', [
        '2026-01-31', datetime(2026, 1, 31), None, 20260131])
def test_bad_start_date(value):
    refused(terms(start_date=value), 'start_date', 'type')


@pytest.mark.parametrize('value, reason', [
        ('annuity', 'unknown'), ('', 'unknown'), ('Bullet', 'unknown'),
        (5, 'type'), (None, 'type')])
def test_bad_method(value, reason):
    refused(terms(method=value), 'method', reason)


@pytest.mark.parametrize('value, reason', [
        ('days', 'unknown'), ('360', 'unknown'), (1, 'type')])
def test_bad_basis(value, reason):
    refused(terms(basis=value), 'basis', reason)


def test_basis_defaults_to_month():
    loan = terms()
    assert generate([loan]) == generate([terms(basis='month')]) \
        == generate([terms(basis=None)])


@pytest.mark.parametrize('key', [
        'principal', 'annual_rate', 'start_date', 'term_months', 'method'])
def test_missing_key(key):
    loan = terms()
    del loan[key]
    refused(loan, key, 'missing')


def test_terms_not_a_dict():
    refused([('principal', 1)], 'terms', 'type')


def test_a_single_dict_instead_of_a_list():
    with pytest.raises(TermsError) as info:
        generate(terms())
    assert info.value.field == 'terms'


@pytest.mark.parametrize('plan, reason', [
        (None, 'type'),
        ([], 'empty'),
        ('2026-03-01', 'type'),
        ([(date(2026, 3, 1),)], 'type'),
        ([(date(2026, 3, 1), D('999.99'))], 'sum'),
        ([(date(2026, 3, 1), D('1000.01'))], 'sum'),
        ([(date(2026, 3, 1), D('500')), (date(2026, 3, 1), D('500'))],
            'order'),
        ([(date(2026, 4, 1), D('500')), (date(2026, 3, 1), D('500'))],
            'order'),
        ([(date(2026, 1, 31), D('1000'))], 'order'),
        ([(date(2026, 1, 1), D('1000'))], 'order'),
        ([(date(2026, 3, 1), D('1000')), (date(2026, 4, 1), D('0'))],
            'range'),
        ([(date(2026, 3, 1), D('1100')), (date(2026, 4, 1), D('-100'))],
            'range'),
        ([(date(2026, 3, 1), D('999.995')), (date(2026, 4, 1), '0.005')],
            'precision'),
        ([(date(2026, 3, 1), 1000.0)], 'type'),
        ([('2026-03-01', D('1000'))], 'type'),
        ])
def test_bad_plan(plan, reason):
    error = refused(free(plan), 'plan', reason)
    if reason not in ('empty', 'sum') and isinstance(plan, list):
        assert error.item is not None


def test_free_needs_a_plan():
    loan = terms(method='free')
    refused(loan, 'plan', 'missing')


def test_nothing_is_computed_when_a_later_loan_is_invalid():
    "The whole list is validated first: the last loan's error comes out"
    loans = [terms(term_months=600) for _ in range(50)]
    loans.append(terms(principal='-1'))
    with pytest.raises(TermsError) as info:
        generate(loans)
    assert (info.value.field, info.value.index) == ('principal', 50)


def test_conversions():
    assert to_fen('123.45') == 12345
    assert to_fen(D('1E+2')) == 10000
    assert to_rate_micro('0.123456') == 123456
    assert to_rate_micro(D('0.120000000')) == 120000
    with pytest.raises(TermsError):
        to_fen('0.001')


# -- the array entry point validates its columns the same way -------------

def columns(size=3, **values):
    result = {
        'principal': np.full(size, 100000),
        'rate_micro': np.full(size, 120000),
        'start': np.full(size, np.datetime64('2026-01-31')),
        'term': np.full(size, 12),
        'method': np.full(size, METHOD_CODES['equal_installment']),
        'basis': np.zeros(size, dtype=np.int8),
        }
    result.update(values)
    return result


@pytest.mark.parametrize('field, key, value', [
        ('principal', 'principal', [1, 0, 1]),
        ('principal', 'principal', [1, 10 ** 11 + 1, 1]),
        ('annual_rate', 'rate_micro', [0, -1, 0]),
        ('annual_rate', 'rate_micro', [0, 10 ** 7 + 1, 0]),
        ('term_months', 'term', [1, 0, 1]),
        ('term_months', 'term', [1, 601, 1]),
        ('method', 'method', [0, 7, 0]),
        ('basis', 'basis', [0, 2, 0]),
        ('start_date', 'start', [0, -10 ** 9, 0]),
        ])
def test_arrays_name_the_field_and_the_loan(field, key, value):
    with pytest.raises(TermsError) as info:
        generate_arrays(**columns(**{key: np.array(value)}))
    assert (info.value.field, info.value.index) == (field, 1)


def test_arrays_refuse_float_rates():
    with pytest.raises(TermsError) as info:
        generate_arrays(**columns(rate_micro=np.full(3, 0.12)))
    assert (info.value.field, info.value.reason) == ('annual_rate', 'type')


def test_arrays_refuse_columns_of_other_lengths():
    with pytest.raises(TermsError) as info:
        generate_arrays(**columns(term=np.full(2, 12)))
    assert info.value.field == 'term_months'


def test_arrays_check_plans():
    free_code = METHOD_CODES['free']
    base = columns(method=np.array([0, free_code, 0]))
    start = np.datetime64('2026-01-31')
    with pytest.raises(TermsError) as info:
        generate_arrays(**base, plan_offsets=[0, 0, 2, 2],
            plan_dates=np.array([start + 10, start + 5]),
            plan_amounts=[50000, 50000])
    assert (info.value.field, info.value.reason, info.value.index) == (
        'plan', 'order', 1)
    with pytest.raises(TermsError) as info:
        generate_arrays(**base, plan_offsets=[0, 0, 2, 2],
            plan_dates=np.array([start + 5, start + 10]),
            plan_amounts=[50000, 49999])
    assert (info.value.reason, info.value.index) == ('sum', 1)
    with pytest.raises(TermsError) as info:
        generate_arrays(**base)
    assert (info.value.reason, info.value.index) == ('empty', 1)
