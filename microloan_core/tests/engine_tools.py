# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Helpers shared by the engine tests (which run without trytond, so they
do not use the module's tools)"""
import os
import secrets
from datetime import date
from decimal import Decimal

# Set it to the seed a failed run printed to draw the same examples again
SEED_VARIABLE = 'MICROLOAN_TEST_SEED'


def make_terms(**values):
    """Return the terms of the worked example of docs/schedule-rules.md
    (100,000.00 at 12 % over 12 months from 2026-01-31, equal installments,
    month basis) updated with values"""
    terms = {
        'principal': Decimal('100000.00'),
        'annual_rate': Decimal('0.12'),
        'start_date': date(2026, 1, 31),
        'term_months': 12,
        'method': 'equal_installment',
        'basis': 'month',
        }
    terms.update(values)
    return terms


def run_seed():
    """Return the seed of this run's random examples: the value of the
    environment variable MICROLOAN_TEST_SEED when set (to replay a run),
    else one drawn once for the whole process"""
    value = os.environ.get(SEED_VARIABLE)
    if not value:
        value = os.environ[SEED_VARIABLE] = str(secrets.randbelow(2 ** 32))
    return int(value)
