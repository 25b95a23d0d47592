# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""What every print (打印) of the suite shares: the way amounts, dates and
rates are written on paper, the parties' details, the company's header and
the draft watermark.

Each document prints from an ODT template written in Chinese only, next to
the document (contract.fodt, loan_receipt.fodt, ...), rendered by relatorio
and converted to PDF by LibreOffice; its report class derives from
``DocumentReport`` and adds what its template needs.  The figures are the
document's own (stored schedule, stored cost) or come from the same
helpers the screens use; a print never computes them otherwise.
"""
import datetime as dt
from functools import partial
from decimal import ROUND_HALF_UP, Decimal

import cn2an

from trytond.pool import Pool
from trytond.report import Report
from trytond.tools import timezone as tz
from trytond.transaction import Transaction

from .tools import percent

FEN = Decimal('0.01')
# The prints are in Chinese, whatever the language of the user
LANGUAGE = 'zh_CN'


def _fen(amount):
    amount = Decimal(amount).quantize(FEN, rounding=ROUND_HALF_UP)
    if amount < 0:
        raise ValueError("negative amount: %s" % amount)
    return amount


def rmb_uppercase(amount):
    """Return amount in RMB as written on contracts and cheques (大写):
    100000.00 -> 壹拾万元整, 123456.78 -> 壹拾贰万叁仟肆佰伍拾陆元柒角捌分;
    rounded half up to the fen first"""
    return cn2an.an2cn(str(_fen(amount)), 'rmb')


def money(amount):
    """Return amount with thousands separators and two decimals: 1,234.50;
    '' for None"""
    if amount is None:
        return ''
    return '{:,.2f}'.format(
        Decimal(amount).quantize(FEN, rounding=ROUND_HALF_UP))


def rate(fraction):
    "Return a rate as printed: 0.12 -> 12.00%, '' for None"
    return percent(fraction, 2).replace(' ', '')


def cn_date(date):
    "Return date as written in Chinese: 2026年1月31日"
    if not date:
        return ''
    return '%d年%d月%d日' % (date.year, date.month, date.day)


def cn_datetime(value, timezone=None):
    """Return a date and time (stored in UTC) as a form's table prints it,
    in the timezone (a name, e.g. the company's): 2026-01-31 09:05"""
    if not value:
        return ''
    if timezone:
        value = value.replace(tzinfo=dt.timezone.utc).astimezone(
            tz.ZoneInfo(timezone))
    return value.strftime('%Y-%m-%d %H:%M')


def selection_string(record, name):
    """Return the Chinese label of the selection field name of record,
    whatever the language of the user who prints"""
    Model = Pool().get(record.__name__)
    value = getattr(record, name)
    with Transaction().set_context(language=LANGUAGE):
        labels = dict(Model.fields_get([name])[name]['selection'])
    return labels.get(value, value or '')


def one_line(text):
    "Return a multi-line text (an address) on one line"
    return ' '.join(l.strip() for l in (text or '').splitlines() if l.strip())


def party_details(party):
    """Return what a print shows of a party: name, identity number (resident
    ID or unified social credit code), address, phone, bank and account"""
    if not party:
        return {}
    addresses = [one_line(a.full_address) for a in party.addresses]
    return {
        'name': party.name or '',
        'identity': getattr(party, 'resident_id', None)
        or getattr(party, 'uscc', None) or '',
        'address': next(filter(None, addresses), ''),
        'phone': party.mobile or party.phone or '',
        'bank': party.bank_account_bank or '',
        'account': party.bank_account_number or '',
        }


class DocumentReport(Report):
    """A print of a document: Chinese text, the company's header, the
    parties (the company lends to the document's borrower) and a watermark
    while the document is not final"""

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        record = context['record']
        company = getattr(record, 'company', None)
        context.update({
                'rmb_uppercase': rmb_uppercase,
                'money': money,
                'rate': rate,
                'cn_date': cn_date,
                'cn_datetime': partial(cn_datetime, timezone=(
                        company.timezone if company else None)),
                'selection': selection_string,
                })
        context['company'] = company
        context['lender'] = party_details(company.party if company else None)
        context['borrower'] = party_details(
            getattr(record, 'borrower', None))
        context['watermark'] = cls.watermark(record) if record else ''
        return context

    @classmethod
    def watermark(cls, record):
        """Return the watermark printed across the pages of record ('' for
        none): 草稿 while it is not final"""
        return ''
