# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Exactness of the integer and float arithmetic against exact rational
(Fraction) and Decimal computations, with exact ROUND_HALF_UP ties.

The random samples are drawn with fixed seeds: every run checks the same
values, so a failure replays as it is."""
import random
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from math import gcd

import numpy as np
import pytest

from ..engine import generate
from ..engine import rounding
from ..engine.reference import _payment as reference_payment
from ..engine.reference import reference_schedule
from ..engine.rounding import (
    annuity_payment_exact, annuity_payment_fen, mul_div_round)

D = Decimal
M = 12 * 10 ** 6       # r = R_micro / M
MAX_FEN = 10 ** 11


def half_up(value):
    "Round a Fraction >= 0 half up to an integer"
    return int(value + Fraction(1, 2))


def exact_payment(principal, rate, months):
    "The annuity payment in fen as an exact Fraction, before rounding"
    if rate == 0:
        return Fraction(principal, months)
    r = Fraction(rate, M)
    grown = (1 + r) ** months
    return principal * r * grown / (grown - 1)


def test_mul_div_round_against_python_integers():
    rng = random.Random(3)
    b = [rng.choice([rng.randrange(MAX_FEN + 1), rng.randrange(10 ** 6),
            MAX_FEN]) for _ in range(20000)]
    x = [rng.choice([rng.randrange(10 ** 7 * 40000), rng.randrange(10 ** 4),
            10 ** 7 * 36600]) for _ in b]
    result = mul_div_round(np.array(b), np.array(x))
    d = rounding.INTEREST_DENOMINATOR
    assert result.tolist() == [(2 * p * q + d) // (2 * d)
        for p, q in zip(b, x)]


def test_mul_div_round_exact_ties_both_paths():
    d = rounding.INTEREST_DENOMINATOR
    # b * x = d * (k + 1/2): small (fast path) and huge (split path)
    small = mul_div_round(np.array([1]), np.array([d // 2]))
    assert small.tolist() == [1]
    b, x = 3 * 10 ** 10, 3 * d // 2 + 0      # b*x/d = 4.5e10 exactly
    assert b * x > 2 ** 63
    assert mul_div_round(np.array([b]), np.array([x])).tolist() == [
        45000000000]
    b, x = 10 ** 11 - 1, d // 2 * 3          # (b * 1.5) = x.5
    assert mul_div_round(np.array([b]), np.array([x])).tolist() == [
        half_up(Fraction(b * x, d))]
    # one below and one above a tie
    for delta in (-1, 1):
        value = mul_div_round(np.array([b]), np.array([x + delta]))
        assert value.tolist() == [half_up(Fraction(b * (x + delta), d))]


def interest_tie_principals(count, seed):
    """Yield (principal_fen, rate_micro, months) whose monthly interest
    B * R * m / 12 falls exactly on half a fen"""
    rng = random.Random(seed)
    found = 0
    while found < count:
        rate = rng.randrange(1, 10 ** 7 + 1)
        months = rng.choice([1, 3, rng.randrange(1, 37)])
        x = rate * months
        g = gcd(x, M)
        if (M // 2) % g:
            continue
        modulus = M // g
        base = (M // 2 // g) * pow(x // g, -1, modulus) % modulus
        # spread over the whole range of principals
        limit = (MAX_FEN - base) // modulus
        principal = base + modulus * rng.randrange(limit + 1)
        if principal == 0:
            continue
        assert (principal * x) % M == M // 2
        found += 1
        yield principal, rate, months


def test_interest_ties_round_up():
    "Monthly interest landing exactly on x.5 fen rounds up, to the fen"
    loans, expected = [], []
    for principal, rate, months in interest_tie_principals(300, 17):
        loans.append({
                'principal': D(principal).scaleb(-2),
                'annual_rate': D(rate).scaleb(-6),
                'start_date': date(2026, 1, 31),
                'term_months': months,
                'method': 'bullet',
                })
        expected.append(D(half_up(Fraction(principal * rate * months, M)))
            .scaleb(-2))
    schedules = generate(loans)
    assert [s[0]['interest'] for s in schedules] == expected
    for loan, schedule in zip(loans, schedules):
        assert schedule == reference_schedule(loan)


def test_a_large_interest_tie():
    "999,999,999.00 at 2 % for one month: 1,666,666.665 yuan exactly"
    loan = {
        'principal': D('999999999.00'), 'annual_rate': D('0.02'),
        'start_date': date(2026, 1, 31), 'term_months': 1,
        'method': 'interest_monthly'}
    row, = generate([loan])[0]
    assert row['interest'] == D('1666666.67')
    assert reference_schedule(loan)[0]['interest'] == D('1666666.67')


def test_annuity_float_path_equals_exact_rational():
    rng = random.Random(23)
    cases = []
    for _ in range(4000):
        principal = rng.choice([rng.randrange(1, MAX_FEN + 1),
            rng.randrange(1, 10 ** 8), MAX_FEN, rng.randrange(1, 1000)])
        rate = rng.choice([rng.randrange(0, 10 ** 7 + 1),
            rng.randrange(0, 400000), 1, 10 ** 7, 0])
        months = rng.choice([rng.randrange(1, 601), rng.randrange(1, 37),
            1, 2, 600])
        cases.append((principal, rate, months))
    p, r, n = (np.array(c) for c in zip(*cases))
    result = annuity_payment_fen(p, r, n).tolist()
    assert result == [annuity_payment_exact(*c) for c in cases]
    # and the exact integer formula is the rounded exact value
    for case in cases[:300]:
        assert annuity_payment_exact(*case) == half_up(exact_payment(*case))


def annuity_ties(months, count):
    """Yield (principal_fen, rate_micro) whose payment over months falls
    exactly on half a fen"""
    found = 0
    for rate in range(1, 10 ** 7 + 1, 997):
        value = exact_payment(1, rate, months)    # per fen of principal
        # payment = P * a / b: a tie needs 2 * P * a / b odd
        a, b = value.numerator, value.denominator
        q = b // gcd(2 * a, b)
        if q > MAX_FEN or ((2 * a * q) // b) % 2 == 0:
            continue
        for t in (1, 3, 5):
            if q * t <= MAX_FEN:
                assert (2 * q * t * a) % b == 0
                assert ((2 * q * t * a) // b) % 2 == 1
                yield q * t, rate
                found += 1
        if found >= count:
            return


@pytest.mark.parametrize('months', [1, 2, 3])
def test_annuity_exact_ties_round_up(months):
    ties = list(annuity_ties(months, 30))
    assert ties
    p, r = (np.array(c) for c in zip(*ties))
    result = annuity_payment_fen(p, r, np.full(p.size, months)).tolist()
    assert result == [half_up(exact_payment(pp, rr, months))
        for pp, rr in ties]


def test_annuity_ties_in_schedules_match_the_reference():
    "A payment tie shows in the first installment's total (n >= 2)"
    loans = []
    for months in (2, 3):
        for principal, rate in annuity_ties(months, 10):
            loans.append({
                    'principal': D(principal).scaleb(-2),
                    'annual_rate': D(rate).scaleb(-6),
                    'start_date': date(2026, 1, 31),
                    'term_months': months,
                    'method': 'equal_installment'})
    schedules = generate(loans)
    for loan, schedule in zip(loans, schedules):
        assert schedule == reference_schedule(loan)
        fen = int(loan['principal'] * 100)
        rate = int(loan['annual_rate'] * 10 ** 6)
        payment = half_up(exact_payment(fen, rate, loan['term_months']))
        assert schedule[0]['total'] == D(payment).scaleb(-2)


def test_annuity_uncertain_floats_go_to_the_exact_path(monkeypatch):
    "With a huge bound every payment is recomputed exactly: same results"
    rng = random.Random(29)
    cases = [(rng.randrange(1, MAX_FEN), rng.randrange(1, 10 ** 7),
            rng.randrange(1, 601)) for _ in range(300)]
    p, r, n = (np.array(c) for c in zip(*cases))
    fast = annuity_payment_fen(p, r, n)
    calls = []
    exact = rounding.annuity_payment_exact

    def spy(*args):
        calls.append(args)
        return exact(*args)
    monkeypatch.setattr(rounding, '_RELATIVE_BOUND', 1.0)
    monkeypatch.setattr(rounding, 'annuity_payment_exact', spy)
    assert annuity_payment_fen(p, r, n).tolist() == fast.tolist()
    assert len(calls) == 300


def test_the_reference_payment_is_exact_too():
    "The Decimal baseline computes ties exactly (28+ digits, in fact all)"
    for months in (1, 2, 3):
        for principal, rate in list(annuity_ties(months, 5)):
            value = exact_payment(principal, rate, months) / 100
            with localcontext() as context:
                context.prec = 60
                expected = D(value.numerator) / D(value.denominator)
            expected = expected.quantize(D('0.01'), ROUND_HALF_UP)
            assert reference_payment(D(principal).scaleb(-2),
                D(rate).scaleb(-6), months) == expected


def test_extremes_match_the_reference():
    "Largest principal, highest rate, longest term, every method"
    loans = []
    for method in ('bullet', 'interest_monthly', 'interest_quarterly',
            'interest_upfront', 'equal_principal', 'equal_installment'):
        for basis in ('month', 'day'):
            for rate in ('10', '0.000001', '0.239999', '0'):
                loans.append({
                        'principal': D('1000000000.00'),
                        'annual_rate': D(rate),
                        'start_date': date(2026, 1, 31),
                        'term_months': 600 if method != 'bullet' else 599,
                        'method': method, 'basis': basis})
    for loan, schedule in zip(loans, generate(loans)):
        assert schedule == reference_schedule(loan)
