# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The printed voucher (记账凭证, voucher.fodt).

docs/accounting.md, "Vouchers printed and statements": a voucher prints
in the usual Chinese layout, titled by its type (记账凭证, or 收款凭证,
付款凭证, 转账凭证), with its company, date, type and number (未记账 before
it is posted), the number of its attachments, its lines (摘要, 会计科目,
借方金额, 贷方金额; red ink with a minus sign), their total in figures and
in capitals, and the people of its steps (记账, 审核, 出纳, 制单), empty
while a step is not done.  Several vouchers print one to a page."""
from decimal import Decimal

from trytond.modules.microloan_core.printing import (
    DocumentReport, money, rmb_uppercase)

from .voucher import TYPE_CHARS

# The title of a voucher by its type
TITLES = {
    'general': '记账凭证',
    'receipt': '收款凭证',
    'payment': '付款凭证',
    'transfer': '转账凭证',
    }
# The rows of the table a voucher fills at least, as on paper forms
MIN_ROWS = 5
UNNUMBERED = '未记账'


def uppercase(amount):
    """Return amount in Chinese capitals, a negative one (red ink) with 负
    before it: -100 -> 负壹佰元整"""
    if amount < 0:
        return '负' + rmb_uppercase(-amount)
    return rmb_uppercase(amount)


def actor_name(move, step):
    """Return the name of who did step of the voucher: the employee, else
    the user (an administrator may have no employee), '' when not done"""
    who = (getattr(move, '%s_by' % step)
        or getattr(move, '%s_user' % step))
    return who.rec_name if who else ''


class VoucherReport(DocumentReport):
    "Voucher (记账凭证): the printed vouchers, one to a page"
    __name__ = 'account.move.voucher.report'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['vouchers'] = [cls.voucher(m) for m in records]
        return context

    @classmethod
    def voucher_type(cls, move):
        """Return the voucher's type: its own once reviewed, else the one
        its company's scheme gives its lines"""
        return move.voucher_type or move._voucher_type()

    @classmethod
    def number(cls, move):
        "Return the number of the voucher without its type: 202603-0001"
        number = move.voucher_number
        if not number:
            return None
        char = TYPE_CHARS.get(move.voucher_type)
        if char and number.startswith(char + '-'):
            number = number[len(char) + 1:]
        return number

    @classmethod
    def number_text(cls, char, number):
        "Return 记字第202603-0001号, or 记字 未记账 before it is posted"
        if number:
            return '%s字第%s号' % (char, number)
        return '%s字　%s' % (char, UNNUMBERED)

    @classmethod
    def account_name(cls, line):
        """Return the account of line as the voucher names it: code and
        name, then the party of a party line (1303 贷款—张三)"""
        account = line.account
        name = ' '.join(filter(None, [account.code, account.name]))
        if line.party:
            name += '—' + line.party.rec_name
        return name

    @classmethod
    def line(cls, line):
        "Return a row of the voucher's table for line"
        return {
            'summary': (line.description
                or line.move.description_used or ''),
            'account': cls.account_name(line),
            'debit': money(line.debit) if line.debit else '',
            'credit': money(line.credit) if line.credit else '',
            }

    @classmethod
    def voucher(cls, move):
        "Return what the print shows of the voucher move"
        type_ = cls.voucher_type(move)
        lines = sorted(move.lines, key=lambda l: l.id)
        rows = [cls.line(l) for l in lines]
        rows += [dict.fromkeys(['summary', 'account', 'debit', 'credit'], '')
            for _ in range(MIN_ROWS - len(rows))]
        debit = sum((l.debit for l in lines), Decimal(0))
        credit = sum((l.credit for l in lines), Decimal(0))
        number = cls.number(move)
        return {
            'title': TITLES[type_],
            'company': move.company.rec_name,
            'year': move.date.year,
            'month': move.date.month,
            'day': move.date.day,
            'number_text': cls.number_text(TYPE_CHARS[type_], number),
            'attachments': move.attachments_count or 0,
            'rows': rows,
            'debit': money(debit),
            'credit': money(credit),
            'uppercase': uppercase(debit),
            'reversal_of': (move.reversal_of.rec_name
                if move.reversal_of else ''),
            'posted': actor_name(move, 'posted'),
            'reviewed': actor_name(move, 'reviewed'),
            'signed': actor_name(move, 'signed'),
            'prepared': actor_name(move, 'prepared'),
            }
