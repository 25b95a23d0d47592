# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The repayment-schedule engine: plain Python and numpy, nothing from trytond.

Entry points (see docs/engine.md):

* ``generate(terms_list)``: the schedules of loans given as terms dicts, as
  lists of installment dicts with Decimal amounts (docs/schedule-rules.md);
* ``generate_arrays(...)``: the same for N loans given as integer columns,
  returning flat installment columns (``ScheduleArrays``);
* ``annualized_cost``, ``cash_flow_cost``, ``arrays_annualized_cost``,
  ``irr``: the annualised cost (综合年化成本) by the IRR method;
* ``prepay``, ``change_rate``, ``extend``: servicing recalculations;
* ``add_months``: the calendar rule of schedules.

Invalid input raises ``TermsError`` (a ``ValueError``) with ``field``,
``index`` and ``reason`` attributes.
"""
from .apr import (
    annualise, annualized_cost, arrays_annualized_cost, cash_flow_cost, irr)
from .arrays import ScheduleArrays, generate_arrays
from .dates import add_months, months_between
from .recalc import (
    KEEP_INSTALLMENT, KEEP_TERM, change_rate, extend, prepay)
from .schedule import (
    decimal_to_fen, fen_to_decimal, generate, to_installments)
from .terms import (
    BASES, BASIS_CODES, MAX_PRINCIPAL, MAX_RATE, MAX_TERM, METHOD_CODES,
    METHODS, TermsError, to_fen, to_rate_micro)

__all__ = [
    'generate', 'generate_arrays', 'ScheduleArrays', 'to_installments',
    'fen_to_decimal', 'decimal_to_fen', 'TermsError', 'METHOD_CODES', 'BASIS_CODES',
    'METHODS', 'BASES', 'MAX_PRINCIPAL', 'MAX_RATE', 'MAX_TERM', 'to_fen',
    'to_rate_micro', 'add_months', 'months_between', 'irr', 'annualise',
    'annualized_cost', 'cash_flow_cost', 'arrays_annualized_cost',
    'prepay', 'change_rate', 'extend', 'KEEP_TERM', 'KEEP_INSTALLMENT']
