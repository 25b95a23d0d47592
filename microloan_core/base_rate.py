# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Base rates (基准利率): the loan prime rate (LPR) as a dated table, and the
rate cap of new loans.

docs/domain.md, Rates: new loans whose comprehensive cost is above 24 % a
year are refused unless an authorised override is recorded (a setting);
4 x the one-year LPR is the long-run ceiling."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool, PoolMeta

from .exceptions import BaseRateError
from .terms import RATE_DIGITS
from .tools import first_duplicate

KINDS = [
    ('lpr_1y', "One-Year LPR"),
    ('lpr_5y', "Five-Year LPR"),
    ]


class BaseRate(ModelSQL, ModelView):
    "Base Rate"
    __name__ = 'microloan.base_rate'
    __string__ = "Base Rate"

    kind = fields.Selection(KINDS, "Kind", required=True, sort=False)
    kind_string = kind.translated('kind')
    date = fields.Date(
        "Effective Date", required=True,
        help="The rate applies from this date until the next one.")
    rate = fields.Numeric(
        "Rate", digits=RATE_DIGITS, required=True,
        domain=[('rate', '>', 0), ('rate', '<', 1)],
        help="Annual rate, e.g. 0.03 for 3 %.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('kind', 'ASC'), ('date', 'DESC'), ('id', 'DESC')]

    def get_rec_name(self, name):
        return '%s %s' % (self.kind_string, self.date)

    @classmethod
    def validate(cls, rates):
        super().validate(rates)
        rate = first_duplicate(cls, rates, ['kind', 'date'])
        if rate:
            raise BaseRateError(gettext(
                    'microloan_core.msg_base_rate_unique',
                    kind=rate.kind_string, date=rate.date))

    @classmethod
    def rate_on(cls, kind, date):
        "Return the rate of kind in force on date, or None"
        rates = cls.search([
                ('kind', '=', kind),
                ('date', '<=', date),
                ], order=[('date', 'DESC')], limit=1)
        return rates[0].rate if rates else None


class Configuration(metaclass=PoolMeta):
    __name__ = 'microloan.configuration'

    rate_cap = fields.Numeric(
        "Annual Cost Cap", digits=RATE_DIGITS, required=True,
        domain=[('rate_cap', '>', 0), ('rate_cap', '<', 1)],
        help="New loans whose comprehensive annualised cost is above this "
        "rate are refused unless an authorised override is recorded.")
    lpr_multiple = fields.Numeric(
        "LPR Multiple", digits=(16, 2), required=True,
        domain=[('lpr_multiple', '>', 0)],
        help="The long-run ceiling of rates as a multiple of the one-year "
        "LPR.")

    @staticmethod
    def default_rate_cap():
        return Decimal('0.24')

    @staticmethod
    def default_lpr_multiple():
        return Decimal(4)

    def lpr_ceiling(self, date):
        "Return lpr_multiple x the one-year LPR in force on date, or None"
        BaseRate = Pool().get('microloan.base_rate')
        lpr = BaseRate.rate_on('lpr_1y', date)
        if lpr is not None:
            return lpr * self.lpr_multiple
