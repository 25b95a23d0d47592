# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Helpers shared by the engine tests"
from datetime import date
from decimal import Decimal


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
