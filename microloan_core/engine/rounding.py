# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Exact half-up rounding of the engine's two computations.

Every amount is rounded to the fen with ROUND_HALF_UP at the moment it is
computed (docs/schedule-rules.md, rule 1).  Two kinds of amounts exist:

* interest ``B * R * t / 360`` (t in days, or 30 * months for the month
  basis: ``B*R*m/12 == B*R*(30*m)/360``).  With B in fen and R in
  micro-units it is ``B * X / D`` with ``X = R_micro * t`` and
  ``D = 360 * 10**6``: a ratio of integers, rounded here *exactly* in int64
  (``mul_div_round``), whatever the sizes;
* the equal-installment payment, a real number: computed in float64 with a
  proved error bound, and recomputed with exact rational arithmetic when
  the float lies too close to a rounding boundary (``annuity_payment_fen``).
"""
import numpy as np

from .terms import RATE_SCALE

__all__ = [
    'INTEREST_DENOMINATOR', 'round_div', 'mul_div_round',
    'annuity_payment_fen', 'annuity_payment_exact']

# interest = round(B_fen * R_micro * days / (360 * 10**6))
INTEREST_DENOMINATOR = 360 * RATE_SCALE
_MONTH_DENOMINATOR = 12 * RATE_SCALE
_INT64_MAX = np.iinfo(np.int64).max


def round_div(numerator, denominator):
    "Return round(numerator / denominator) half up, for ints >= 0 and > 0"
    return (2 * numerator + denominator) // (2 * denominator)


def mul_div_round(b, x, d=INTEREST_DENOMINATOR, out=None, b_bound=None):
    """Return round(b * x / d) half up, exactly, element-wise.

    b and x are int64 arrays of values >= 0 (or broadcastable); d is an even
    int with d * d < 2**63 (so that the half is d // 2 and the products
    below fit).  The result must fit in int64 (interest amounts are far
    below that).  ``out``, when given, receives the result; ``b_bound``,
    when given, is an upper bound of b (saves a pass over b).

    Where ``b * x`` fits in int64, one multiply and one floor division are
    exact.  The other elements (flagged by a float64 product above 2**62:
    its relative error of 2**-53 cannot hide a product of 2**63 or more)
    are split by d: ``b = b1*d + b0`` and ``x = x1*d + x0`` with
    ``0 <= b0, x0 < d``, so

        b*x/d = b1*x + b0*x1 + b0*x0/d

    where ``b1*x`` and ``b0*x1`` are at most the result (no overflow) and
    ``b0*x0 < d*d < 2**63``; the last term gives the remainder that decides
    the rounding.
    """
    b = np.asarray(b, dtype=np.int64)
    x = np.asarray(x, dtype=np.int64)
    half = d // 2
    if out is None:
        out = np.empty(np.broadcast(b, x).shape, dtype=np.int64)
    if out.size == 0:
        return out
    # products that do not fit wrap around here; they are redone below
    np.multiply(b, x, out=out)
    out += half
    out //= d
    x_max = int(x.max())
    b_max = int(b.max()) if b_bound is None else b_bound
    if b_max * x_max > _INT64_MAX - half:
        b, x = np.broadcast_arrays(b, x)
        # only a b above 2**62 / max(x) can make a product too large
        big = np.flatnonzero(b > 2 ** 62 // x_max)
        big = big[b[big].astype(np.float64) * x[big] > 2.0 ** 62]
        if big.size:
            b1, b0 = np.divmod(b[big], d)
            x1, x0 = np.divmod(x[big], d)
            quotient, remainder = np.divmod(b0 * x0, d)
            out[big] = b1 * x[big] + b0 * x1 + quotient + (remainder >= half)
    return out


def annuity_payment_exact(principal, rate_micro, months):
    """Return the rounded annuity payment in fen, with Python integers.

    ``A = P * r * q**n / (q**n - 1)`` with ``r = R / 12`` and ``q = 1 + r``.
    With ``M = 12 * 10**6`` and ``N = M + R_micro`` (so r = R_micro / M and
    q = N / M) this is exactly the rational number

        A = P * R_micro * N**n / (M * (N**n - M**n))

    which is rounded half up with integer arithmetic: no digit is lost, so
    exact ties (they happen, e.g. n = 1: A = P * (1 + r)) round up.
    """
    if rate_micro == 0:
        return round_div(principal, months)
    big_n = (_MONTH_DENOMINATOR + rate_micro) ** months
    big_m = _MONTH_DENOMINATOR ** months
    return round_div(
        principal * rate_micro * big_n,
        _MONTH_DENOMINATOR * (big_n - big_m))


# Relative error bound of the float64 payment below, with a wide margin.
#
# Let u = 2**-53 (unit roundoff, round-to-nearest).  The float path computes
#   r = R/M          one rounding                    -> relative error <= u
#   L = log1p(r)     the relative perturbation of r is damped by
#                    r / ((1+r) log1p(r)) <= 1, plus the library error
#   x = n * L        one rounding (n is exact)
#   G = -expm1(-x)   condition number x*exp(-x)/(1-exp(-x)) = x/(e**x-1) <= 1
#                    so G's relative error is at most x's plus the library's
#   A = (P*r) / G    two roundings (P < 2**53 is exact in float64)
# If log1p and expm1 are within e (relative) of the exact results, the
# first-order relative error of A is at most
#   u (r) + u (rounding of P*r) + [u + e + u] (x, passed on to G with a
#   factor <= 1) + e (expm1) + u (division) = 5u + 2e;
# second-order terms are of the order of its square (below 2**-90).  For
# libraries within 4 ulp (e = 8u; glibc documents less for these two
# functions on x86-64) that is 21u.  We use 256u = 2**-45: more than twelve
# times that, and still a valid bound for libraries within 60 ulp.  The
# payment is below 2**38 fen (P <= 10**11 fen, r <= 10/12), so the bound is
# below 2**-7 fen at the very worst and about 3 * 10**-6 fen for a payment
# of 1,000,000 yuan.  Only the position of A relative to k + 1/2 matters
# for half-up rounding: a float further than the bound from every k + 1/2
# rounds like the exact value.  The distance |A - floor(A) - 1/2| is
# computed exactly (A < 2**52: the fraction and the subtraction of 1/2 are
# exact in float64).
_RELATIVE_BOUND = 2.0 ** -45


def annuity_payment_fen(principal, rate_micro, months):
    """Return the equal-installment payments in fen (int64 array).

    ``principal`` (fen), ``rate_micro`` and ``months`` are int64 arrays of
    the same length (principal <= 10**11, rate_micro <= 10**7, months >= 1).
    ``round(P/n)`` half up when the rate is 0 (docs/schedule-rules.md,
    rule 4).  Equal to
    ``annuity_payment_exact`` for every element: the float64 result is used
    only when it lies provably on the right side of the rounding boundary.
    """
    principal = np.asarray(principal, dtype=np.int64)
    rate_micro = np.asarray(rate_micro, dtype=np.int64)
    months = np.asarray(months, dtype=np.int64)
    result = np.empty(principal.shape, dtype=np.int64)
    zero = rate_micro == 0
    result[zero] = (2 * principal[zero] + months[zero]) // (2 * months[zero])
    positive = ~zero
    r = rate_micro[positive] / float(_MONTH_DENOMINATOR)
    x = months[positive] * np.log1p(r)
    payment = principal[positive] * r / -np.expm1(-x)
    floor = np.floor(payment)
    fraction = payment - floor
    rounded = floor.astype(np.int64) + (fraction >= 0.5)
    unsure = np.abs(fraction - 0.5) <= payment * _RELATIVE_BOUND
    if unsure.any():
        where = np.flatnonzero(positive)
        for j in np.flatnonzero(unsure):
            i = where[j]
            rounded[j] = annuity_payment_exact(
                int(principal[i]), int(rate_micro[i]), int(months[i]))
    result[positive] = rounded
    return result
