# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Books (账簿查询): the trial balance (科目余额表), the general ledger (总账),
the three-column detail ledger (三栏式明细账) and the cash and bank journals
(现金日记账, 银行存款日记账) of a company over a date range, as docs/accounting.md
("Books") describes them.

They read the host's ledger (``account.move.line``), only the lines of
posted moves unless the user asks for the unposted ones too.

What comes from the host ``account`` module:

- the trial balance reads its figures from the host's general ledger
  (``account.general_ledger.account``: ``start_balance``, ``debit``,
  ``credit``, ``end_balance`` per account, computed by the host in a few
  set-based queries) and adds the Chinese columns: each balance split on the
  debit or credit side, the totals row that must balance, the off-balance
  accounts apart;
- its reports are also offered in the print menu of the host's general
  ledger list (keyword ``form_print`` on ``account.general_ledger.account``)
  with the range and company of that list.

What is added here, the host having nothing like it: the general ledger by
month with its running balance and direction (借/贷/平) and year-to-date
totals, the three-column detail ledger with 期初余额, 本月合计 and 本年累计,
and the cash journals with 本日合计.  Each is built from two or three
aggregate queries (python-sql), never one query per line.

The books open from one wizard (``microloan.book``): its start form takes
the book, company, range (dates or periods), account and party; it shows
the book in the client and exports it to Excel (.xlsx) and to PDF (an ODT
template per book, ``book_*.fodt``, converted by LibreOffice)."""
import datetime as dt
import io
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import xlsxwriter
from sql import Literal
from sql.aggregate import Sum
from sql.conditionals import Coalesce, NullIf

from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.modules.microloan_core.printing import cn_date, money
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.report import Report
from trytond.tools import sqlite_apply_types
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateReport, StateView, Wizard

from .exceptions import BookError

FEN = Decimal('0.01')
ZERO = Decimal(0)
BOOKS = [
    ('trial_balance', "Trial Balance"),
    ('general_ledger', "General Ledger"),
    ('detail', "Detail Ledger"),
    ('cash', "Cash Journal"),
    ('bank', "Bank Journal"),
    ]
# The titles of the books on paper and in Excel
TITLES = {
    'trial_balance': '科目余额表',
    'general_ledger': '总账',
    'detail': '明细账',
    'cash': '现金日记账',
    'bank': '银行存款日记账',
    }
# The summary of the lines a book adds to the ledger's lines
OPENING = '期初余额'
DAY_TOTAL = '本日合计'
MONTH_TOTAL = '本月合计'
YEAR_TOTAL = '本年累计'
CLOSING = '期末余额'
TOTAL = '合计'
OFF_BALANCE = '表外科目'


def round_fen(amount):
    return Decimal(amount or 0).quantize(FEN, rounding=ROUND_HALF_UP)


def direction(balance):
    "The side of a balance (debit minus credit): 借, 贷 or 平"
    if balance > 0:
        return '借'
    elif balance < 0:
        return '贷'
    return '平'


def sides(balance):
    "The balance (debit minus credit) on its side: (debit, credit)"
    return (balance, ZERO) if balance >= 0 else (ZERO, -balance)


class Range:
    """What a book reads: the company's lines of posted moves (or all
    moves) dated from from_date to to_date, of some accounts and a party"""

    def __init__(self, company, from_date, to_date, posted=True,
            party=None):
        self.company = int(company)
        self.from_date = from_date
        self.to_date = to_date
        self.posted = posted
        self.party = int(party) if party else None

    @classmethod
    def from_data(cls, data):
        return cls(data['company'], data['from_date'], data['to_date'],
            posted=not data.get('include_unposted'),
            party=data.get('party'))

    def tables(self):
        "The move line, move and period tables joined and their condition"
        pool = Pool()
        Line = pool.get('account.move.line')
        Move = pool.get('account.move')
        Period = pool.get('account.period')
        line, move, period = (
            Line.__table__(), Move.__table__(), Period.__table__())
        from_ = (line
            .join(move, condition=line.move == move.id)
            .join(period, condition=move.period == period.id))
        where = move.company == self.company
        if self.posted:
            where &= move.state == 'posted'
        if self.party:
            where &= line.party == self.party
        return from_, line, move, period, where

    def execute(self, query, types):
        cursor = Transaction().connection.cursor()
        if backend.name == 'sqlite':
            sqlite_apply_types(query, types)
        cursor.execute(*query)
        return cursor.fetchall()

    def openings(self, account_ids):
        "The balance (debit minus credit) of each account before the range"
        from_, line, move, _, where = self.tables()
        query = from_.select(
            line.account.as_('account'),
            Sum(line.debit - line.credit).as_('balance'),
            where=where & line.account.in_(account_ids or [-1])
            & (move.date < self.from_date),
            group_by=[line.account])
        return defaultdict(Decimal, {
                a: round_fen(b)
                for a, b in self.execute(query, [None, 'NUMERIC'])})

    def year_starts(self, account_ids):
        """The debit and credit of each account in its fiscal year before
        the range, per fiscal year: {(account, fiscalyear): (debit, credit)}
        """
        pool = Pool()
        FiscalYear = pool.get('account.fiscalyear')
        fiscalyear = FiscalYear.__table__()
        from_, line, move, period, where = self.tables()
        from_ = from_.join(
            fiscalyear, condition=period.fiscalyear == fiscalyear.id)
        query = from_.select(
            line.account.as_('account'),
            period.fiscalyear.as_('fiscalyear'),
            Sum(line.debit).as_('debit'), Sum(line.credit).as_('credit'),
            where=where & line.account.in_(account_ids or [-1])
            & (move.date < self.from_date)
            & (move.date >= fiscalyear.start_date)
            & (fiscalyear.end_date >= self.from_date),
            group_by=[line.account, period.fiscalyear])
        return {(a, y): (round_fen(d), round_fen(c))
            for a, y, d, c in self.execute(
                query, [None, None, 'NUMERIC', 'NUMERIC'])}


def voucher_column(move):
    """The voucher number (凭证号) of the move's table: the voucher number
    when account.move has one, else the host's number"""
    Move = Pool().get('account.move')
    if 'voucher_number' in Move._fields:
        return Coalesce(NullIf(move.voucher_number, ''), move.number)
    return move.number


def accounts_of(company, codes=None, cash_kind=None, ids=None):
    """The accounts of the company with a type, by code: {id: (code,
    name)}, only those of ids or of the cash kind when given"""
    Account = Pool().get('account.account')
    domain = [
        ('company', '=', int(company)),
        ('type', '!=', None),
        ]
    if ids:
        domain.append(('id', 'in', [int(i) for i in ids]))
    if cash_kind:
        domain.append(('microloan_cash_kind', '=', cash_kind))
    with without_check_access():
        accounts = Account.search(domain, order=[('code', 'ASC')])
        return {a.id: (a.code or '', a.name) for a in accounts}


def trial_balance(range_):
    """The trial balance (科目余额表) of the range: {'rows', 'total',
    'off_balance'}, each row a dict with code, name and the opening,
    period and closing columns split on their side; the off-balance
    accounts apart and out of the total.  The figures are the host's
    general ledger's (account.general_ledger.account)."""
    pool = Pool()
    LedgerAccount = pool.get('account.general_ledger.account')
    Account = pool.get('account.account')
    context = {
        'company': range_.company,
        'from_date': range_.from_date,
        'to_date': range_.to_date,
        'posted': range_.posted,
        'fiscalyear': None,
        'start_period': None,
        'end_period': None,
        'journal': None,
        }
    with Transaction().set_context(context), without_check_access():
        ledgers = LedgerAccount.search([], order=[])
        values = LedgerAccount.read([l.id for l in ledgers], [
                'account', 'start_balance', 'debit', 'credit',
                'end_balance'])
        accounts = {a.id: a for a in Account.browse(
                [v['account'] for v in values])}
        rows, off_balance = [], []
        for value in values:
            account = accounts[value['account']]
            figures = [round_fen(value[n]) for n in [
                    'start_balance', 'debit', 'credit', 'end_balance']]
            if not any(figures):
                continue
            opening, debit, credit, closing = figures
            row = {
                'code': account.code or '',
                'name': account.name,
                'opening_debit': sides(opening)[0],
                'opening_credit': sides(opening)[1],
                'debit': debit,
                'credit': credit,
                'closing_debit': sides(closing)[0],
                'closing_credit': sides(closing)[1],
                }
            if account.type.statement == 'off-balance':
                off_balance.append(row)
            else:
                rows.append(row)
    for row_list in [rows, off_balance]:
        row_list.sort(key=lambda r: (r['code'], r['name']))
    total = {'code': '', 'name': TOTAL}
    for name in AMOUNTS_TRIAL:
        total[name] = sum((r[name] for r in rows), ZERO)
    return {'rows': rows, 'total': total, 'off_balance': off_balance}


AMOUNTS_TRIAL = [
    'opening_debit', 'opening_credit', 'debit', 'credit',
    'closing_debit', 'closing_credit']


def _balance_row(summary, balance, **values):
    row = {'date': None, 'voucher': '', 'period': '', 'summary': summary,
        'debit': None, 'credit': None, 'direction': direction(balance),
        'balance': abs(balance), 'kind': 'total'}
    row.update(values)
    return row


def general_ledger(range_, account_ids=None):
    """The general ledger (总账) of the range: one section per account with
    its opening balance, then per period of the range its debit and
    credit (本月合计) and the year to date (本年累计), each with the
    running balance and its direction"""
    accounts = accounts_of(range_.company, ids=account_ids)
    openings = range_.openings(list(accounts))
    year_starts = range_.year_starts(list(accounts))
    from_, line, move, period, where = range_.tables()
    query = from_.select(
        line.account.as_('account'),
        period.id.as_('period'),
        Sum(line.debit).as_('debit'), Sum(line.credit).as_('credit'),
        where=where & line.account.in_(list(accounts) or [-1])
        & (move.date >= range_.from_date) & (move.date <= range_.to_date),
        group_by=[line.account, period.id])
    totals = defaultdict(list)
    for account, period_id, debit, credit in range_.execute(
            query, [None, None, 'NUMERIC', 'NUMERIC']):
        totals[account].append((period_id, round_fen(debit),
                round_fen(credit)))
    periods = periods_of({p for t in totals.values() for p, _, _ in t})
    sections = []
    for account_id, (code, name) in accounts.items():
        balance = openings[account_id]
        if not balance and not totals[account_id]:
            continue
        rows = [_balance_row(OPENING, balance)]
        year = {}
        for period_id, debit, credit in sorted(totals[account_id],
                key=lambda t: periods[t[0]].start_date):
            period = periods[period_id]
            fiscalyear = period.fiscalyear.id
            if fiscalyear not in year:
                year[fiscalyear] = year_starts.get(
                    (account_id, fiscalyear), (ZERO, ZERO))
            year_debit, year_credit = year[fiscalyear]
            year[fiscalyear] = year_debit, year_credit = (
                year_debit + debit, year_credit + credit)
            balance += debit - credit
            rows.append(_balance_row(MONTH_TOTAL, balance,
                    period=period.name, debit=debit, credit=credit))
            rows.append(_balance_row(YEAR_TOTAL, balance,
                    period=period.name, debit=year_debit,
                    credit=year_credit))
        sections.append({'code': code, 'name': name, 'rows': rows})
    return sections


def periods_of(ids):
    Period = Pool().get('account.period')
    with without_check_access():
        return {p.id: p for p in Period.browse(list(ids))}


def detail_ledger(range_, account_ids, daily=False):
    """The three-column detail ledger (三栏式明细账) of the accounts: per
    account its opening balance (期初余额), each line with date, voucher,
    summary, debit, credit, direction and running balance, and at the end
    of each period the 本月合计 and 本年累计 lines; with daily, the day's
    total (本日合计) after the lines of each day, as cash journals have"""
    accounts = accounts_of(range_.company, ids=account_ids)
    openings = range_.openings(list(accounts))
    year_starts = range_.year_starts(list(accounts))
    from_, line, move, period, where = range_.tables()
    query = from_.select(
        line.account.as_('account'),
        move.date.as_('date'),
        period.id.as_('period'),
        voucher_column(move).as_('voucher'),
        Coalesce(NullIf(line.description, ''), move.description,
            Literal('')).as_('summary'),
        line.debit.as_('debit'), line.credit.as_('credit'),
        where=where & line.account.in_(list(accounts) or [-1])
        & (move.date >= range_.from_date) & (move.date <= range_.to_date),
        order_by=[line.account, move.date, voucher_column(move), move.id,
            line.id])
    lines = defaultdict(list)
    for account, date, period_id, voucher, summary, debit, credit in (
            range_.execute(query, [None, None, None, None, None,
                    'NUMERIC', 'NUMERIC'])):
        if isinstance(date, str):
            date = dt.date.fromisoformat(date)
        lines[account].append((date, period_id, voucher or '',
                summary or '', round_fen(debit), round_fen(credit)))
    periods = periods_of({l[1] for ls in lines.values() for l in ls})
    sections = []
    for account_id, (code, name) in accounts.items():
        if not openings[account_id] and not lines[account_id]:
            continue
        sections.append({'code': code, 'name': name,
                'rows': list(_detail_rows(range_, openings[account_id],
                        lines[account_id], periods, daily,
                        year_starts, account_id))})
    return sections


def _detail_rows(range_, balance, lines, periods, daily, year_starts,
        account_id):
    "The rows of one account's detail ledger"
    yield _balance_row(OPENING, balance, date=range_.from_date)
    year = {}
    day = month = None
    for index, (date, period_id, voucher, summary, debit, credit) in (
            enumerate(lines)):
        period = periods[period_id]
        fiscalyear = period.fiscalyear.id
        if fiscalyear not in year:
            year[fiscalyear] = year_starts.get(
                (account_id, fiscalyear), (ZERO, ZERO))
        if month is None or month[0] != period_id:
            month = [period_id, ZERO, ZERO]
        if day is None or day[0] != date:
            day = [date, ZERO, ZERO]
        balance += debit - credit
        for totals in [month, day]:
            totals[1] += debit
            totals[2] += credit
        year_debit, year_credit = year[fiscalyear]
        year[fiscalyear] = (year_debit + debit, year_credit + credit)
        yield {'date': date, 'voucher': voucher, 'period': period.name,
            'summary': summary, 'debit': debit, 'credit': credit,
            'direction': direction(balance), 'balance': abs(balance),
            'kind': 'line'}
        following = lines[index + 1] if index + 1 < len(lines) else None
        if daily and (not following or following[0] != date):
            yield _balance_row(DAY_TOTAL, balance, date=date,
                debit=day[1], credit=day[2])
        if not following or following[1] != period_id:
            yield _balance_row(MONTH_TOTAL, balance, date=date,
                period=period.name, debit=month[1], credit=month[2])
            yield _balance_row(YEAR_TOTAL, balance, date=date,
                period=period.name, debit=year[fiscalyear][0],
                credit=year[fiscalyear][1])


def cash_journal(range_, kind, account_ids=None):
    """The cash (kind 'cash', 现金日记账) or bank (kind 'bank', 银行存款日记账)
    journal: the daily detail ledger of the company's accounts of that
    cash kind (only those of account_ids when given)"""
    accounts = accounts_of(range_.company, cash_kind=kind, ids=account_ids)
    if not accounts:
        return []
    return detail_ledger(range_, list(accounts), daily=True)


def book(data):
    """The book the data ask for: the trial balance's dict or the list of
    the sections of a ledger"""
    if data['from_date'] > data['to_date']:
        raise BookError(gettext('microloan_accounting.msg_book_dates'))
    range_ = Range.from_data(data)
    kind = data['book']
    accounts = [data['account']] if data.get('account') else None
    if kind == 'trial_balance':
        return trial_balance(range_)
    elif kind == 'general_ledger':
        return general_ledger(range_, accounts)
    elif kind == 'detail':
        if not accounts:
            raise BookError(gettext(
                    'microloan_accounting.msg_book_account_required'))
        return detail_ledger(range_, accounts)
    return cash_journal(range_, kind, accounts)


class BookStart(ModelView):
    "Open a Book"
    __name__ = 'microloan.book.start'

    book = fields.Selection(BOOKS, "Book", required=True, sort=False)
    company = fields.Many2One('company.company', "Company", required=True)
    start_period = fields.Many2One('account.period', "Start Period",
        domain=[('company', '=', Eval('company', -1))],
        help="Fills the from date with the period's start.")
    end_period = fields.Many2One('account.period', "End Period",
        domain=[('company', '=', Eval('company', -1))],
        help="Fills the to date with the period's end.")
    from_date = fields.Date("From Date", required=True)
    to_date = fields.Date("To Date", required=True)
    account = fields.Many2One('account.account', "Account",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type', '!=', None),
            If(Eval('book').in_(['cash', 'bank']),
                ('microloan_cash_kind', '=', Eval('book')),
                ()),
            ],
        states={
            'required': Eval('book') == 'detail',
            'invisible': Eval('book') == 'trial_balance',
            },
        help="The account of the detail ledger; for the other books, "
        "leave empty for all.")
    party = fields.Many2One('party.party', "Party",
        states={
            'invisible': Eval('book') != 'detail',
            },
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="Only the lines of this party.")
    include_unposted = fields.Boolean("Include Unposted Moves",
        help="Read the lines of draft moves too: by default a book shows "
        "only posted moves.")

    @classmethod
    def default_book(cls):
        return 'trial_balance'

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_from_date(cls):
        return Pool().get('ir.date').today().replace(day=1)

    @classmethod
    def default_to_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_include_unposted(cls):
        return False

    @fields.depends('start_period')
    def on_change_start_period(self):
        if self.start_period:
            self.from_date = self.start_period.start_date

    @fields.depends('end_period')
    def on_change_end_period(self):
        if self.end_period:
            self.to_date = self.end_period.end_date

    @fields.depends('book', 'account')
    def on_change_book(self):
        if (self.account and self.book in {'cash', 'bank'}
                and self.account.microloan_cash_kind != self.book):
            self.account = None

    def data(self):
        "The data of the reports and of the book"
        return {
            'book': self.book,
            'company': self.company.id,
            'from_date': self.from_date,
            'to_date': self.to_date,
            'account': self.account.id if self.account else None,
            'party': self.party.id if self.party else None,
            'include_unposted': bool(self.include_unposted),
            }


class BookTrialBalanceLine(ModelView):
    "Trial Balance Line"
    __name__ = 'microloan.book.trial_balance.line'

    code = fields.Char("Code")
    name = fields.Char("Name")
    off_balance = fields.Boolean("Off-Balance")
    opening_debit = fields.Numeric("Opening Debit", digits=(16, 2))
    opening_credit = fields.Numeric("Opening Credit", digits=(16, 2))
    debit = fields.Numeric("Debit", digits=(16, 2))
    credit = fields.Numeric("Credit", digits=(16, 2))
    closing_debit = fields.Numeric("Closing Debit", digits=(16, 2))
    closing_credit = fields.Numeric("Closing Credit", digits=(16, 2))


class BookLedgerLine(ModelView):
    "Ledger Line"
    __name__ = 'microloan.book.ledger.line'

    account = fields.Char("Account")
    date = fields.Date("Date")
    period = fields.Char("Period")
    voucher = fields.Char("Voucher")
    summary = fields.Char("Summary")
    debit = fields.Numeric("Debit", digits=(16, 2))
    credit = fields.Numeric("Credit", digits=(16, 2))
    direction = fields.Char("Direction")
    balance = fields.Numeric("Balance", digits=(16, 2))


class BookResult(ModelView):
    "Book"
    __name__ = 'microloan.book.result'

    book = fields.Selection(BOOKS, "Book", readonly=True)
    trial_balance_lines = fields.One2Many(
        'microloan.book.trial_balance.line', None, "Lines", readonly=True,
        states={
            'invisible': Eval('book') != 'trial_balance',
            })
    ledger_lines = fields.One2Many(
        'microloan.book.ledger.line', None, "Lines", readonly=True,
        states={
            'invisible': Eval('book') == 'trial_balance',
            })


class OpenBook(Wizard):
    "Open a Book"
    __name__ = 'microloan.book'

    start = StateView('microloan.book.start',
        'microloan_accounting.book_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Excel", 'xlsx', 'tryton-save'),
            Button("PDF", 'pdf', 'tryton-print'),
            Button("Show", 'result', 'tryton-ok', default=True),
            ])
    result = StateView('microloan.book.result',
        'microloan_accounting.book_result_view_form', [
            Button("Close", 'end', 'tryton-close'),
            Button("Back", 'start', 'tryton-back'),
            Button("Excel", 'xlsx', 'tryton-save'),
            Button("PDF", 'pdf', 'tryton-print', default=True),
            ])
    xlsx = StateReport('microloan.book.xlsx')
    pdf = StateReport('microloan.book.pdf')

    def default_result(self, fields):
        data = self.start.data()
        values = {'book': data['book']}
        content = book(data)
        if data['book'] == 'trial_balance':
            values['trial_balance_lines'] = (
                [dict(r, off_balance=False) for r in content['rows']]
                + [dict(content['total'], off_balance=False)]
                + [dict(r, off_balance=True)
                    for r in content['off_balance']])
        else:
            values['ledger_lines'] = [{
                    'account': '%s %s' % (s['code'], s['name']),
                    'date': r['date'],
                    'period': r['period'],
                    'voucher': r['voucher'],
                    'summary': r['summary'],
                    'debit': r['debit'],
                    'credit': r['credit'],
                    'direction': r['direction'],
                    'balance': r['balance'],
                    } for s in content for r in s['rows']]
        return values

    def do_xlsx(self, action):
        return action, self.start.data()

    def do_pdf(self, action):
        return action, self.start.data()

    def transition_xlsx(self):
        return 'end'

    def transition_pdf(self):
        return 'end'


class BookReportMixin:
    "What the Excel and the PDF of a book share: its data and header"

    @classmethod
    def book_data(cls, data):
        """The data of the book: those of the wizard, or the range and
        company of the host's general ledger the print menu is used on"""
        if data.get('book'):
            return data
        pool = Pool()
        Period = pool.get('account.period')
        FiscalYear = pool.get('account.fiscalyear')
        context = Transaction().context
        from_date, to_date = context.get('from_date'), context.get('to_date')
        if context.get('start_period'):
            from_date = Period(context['start_period']).start_date
        if context.get('end_period'):
            to_date = Period(context['end_period']).end_date
        if (not from_date or not to_date) and context.get('fiscalyear'):
            fiscalyear = FiscalYear(context['fiscalyear'])
            from_date = from_date or fiscalyear.start_date
            to_date = to_date or fiscalyear.end_date
        if not from_date or not to_date:
            raise BookError(gettext('microloan_accounting.msg_book_dates'))
        return {
            'book': 'trial_balance',
            'company': context['company'],
            'from_date': from_date,
            'to_date': to_date,
            'include_unposted': not context.get('posted'),
            }

    @classmethod
    def header(cls, data):
        "The company, title, range and who prints when"
        pool = Pool()
        Company = pool.get('company.company')
        User = pool.get('res.user')
        Account = pool.get('account.account')
        Party = pool.get('party.party')
        company = Company(data['company'])
        title = TITLES[data['book']]
        subject = []
        with without_check_access():
            if data.get('account') and data['book'] != 'trial_balance':
                account = Account(data['account'])
                subject.append('科目：%s %s' % (account.code or '',
                        account.name))
            if data.get('party') and data['book'] == 'detail':
                subject.append('往来单位：%s' % Party(data['party']).rec_name)
        return {
            'company_name': company.rec_name,
            'title': title,
            'range': '%s 至 %s' % (
                cn_date(data['from_date']), cn_date(data['to_date'])),
            'subject': '　'.join(subject),
            'unposted': '含未记账凭证' if data.get('include_unposted') else '',
            'preparer': User(Transaction().user).rec_name,
            'printed': cn_date(pool.get('ir.date').today()),
            }

    @classmethod
    def filename(cls, data):
        "The name of the file: the book's title and the range's end"
        return '%s-%s' % (TITLES[data['book']], data['to_date'])


TRIAL_COLUMNS = [
    ('code', '科目编码', 'text', 12),
    ('name', '科目名称', 'text', 24),
    ('opening_debit', '期初借方', 'money', 15),
    ('opening_credit', '期初贷方', 'money', 15),
    ('debit', '本期借方', 'money', 15),
    ('credit', '本期贷方', 'money', 15),
    ('closing_debit', '期末借方', 'money', 15),
    ('closing_credit', '期末贷方', 'money', 15),
    ]
LEDGER_COLUMNS = [
    ('period', '期间', 'text', 10),
    ('summary', '摘要', 'text', 30),
    ('debit', '借方', 'money', 16),
    ('credit', '贷方', 'money', 16),
    ('direction', '借或贷', 'text', 7),
    ('balance', '余额', 'money', 16),
    ]
DETAIL_COLUMNS = [
    ('date', '日期', 'date', 11),
    ('voucher', '凭证号', 'text', 14),
    ('summary', '摘要', 'text', 30),
    ('debit', '借方', 'money', 16),
    ('credit', '贷方', 'money', 16),
    ('direction', '借或贷', 'text', 7),
    ('balance', '余额', 'money', 16),
    ]


def book_columns(kind):
    if kind == 'trial_balance':
        return TRIAL_COLUMNS
    elif kind == 'general_ledger':
        return LEDGER_COLUMNS
    return DETAIL_COLUMNS


class BookExcel(BookReportMixin, Report):
    "Excel (.xlsx) of a book"
    __name__ = 'microloan.book.xlsx'

    @classmethod
    def execute(cls, ids, data):
        data = cls.book_data(data)
        oext, content, direct_print, _ = super().execute([], data)
        return oext, content, direct_print, cls.filename(data)

    @classmethod
    def _execute(cls, records, header, data, action):
        return 'xlsx', cls.workbook(data, cls.header(data), book(data))

    @classmethod
    def workbook(cls, data, header, content):
        "The .xlsx of the book content"
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {'in_memory': True})
        workbook.set_properties({
                'title': header['title'], 'author': header['preparer']})
        formats = {
            'title': workbook.add_format({
                    'bold': True, 'font_size': 16, 'align': 'center'}),
            'head': workbook.add_format({
                    'bold': True, 'bg_color': '#DDEBF7', 'border': 1,
                    'align': 'center'}),
            'text': workbook.add_format({'border': 1}),
            'money': workbook.add_format({
                    'border': 1, 'num_format': '#,##0.00'}),
            'date': workbook.add_format({
                    'border': 1, 'num_format': 'yyyy-mm-dd'}),
            'bold_text': workbook.add_format({'border': 1, 'bold': True}),
            'bold_money': workbook.add_format({
                    'border': 1, 'bold': True, 'num_format': '#,##0.00'}),
            'bold_date': workbook.add_format({
                    'border': 1, 'bold': True, 'num_format': 'yyyy-mm-dd'}),
            }
        columns = book_columns(data['book'])
        sheet = workbook.add_worksheet(header['title'])
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        for col, (_, _, _, width) in enumerate(columns):
            sheet.set_column(col, col, width)
        last = len(columns) - 1
        sheet.merge_range(0, 0, 0, last, header['title'], formats['title'])
        sheet.write_string(1, 0, '单位：%s' % header['company_name'])
        sheet.write_string(2, 0, '期间：%s　%s' % (
                header['range'], header['unposted']))
        row = 3
        if header['subject']:
            sheet.write_string(row, 0, header['subject'])
            row += 1
        if data['book'] == 'trial_balance':
            row = cls.write_rows(sheet, row, columns, formats,
                content['rows'] + [dict(content['total'], kind='total')])
            if content['off_balance']:
                sheet.write_string(row + 1, 0, OFF_BALANCE)
                row = cls.write_rows(
                    sheet, row + 2, columns, formats, content['off_balance'])
        else:
            for section in content:
                sheet.write_string(row, 0, '科目：%s %s' % (
                        section['code'], section['name']),
                    formats['bold_text'])
                row = cls.write_rows(
                    sheet, row + 1, columns, formats, section['rows']) + 1
        sheet.write_string(row + 1, 0, '制表：%s' % header['preparer'])
        sheet.write_string(row + 1, 3, '打印日期：%s' % header['printed'])
        workbook.close()
        return output.getvalue()

    @classmethod
    def write_rows(cls, sheet, row, columns, formats, rows):
        "Write the header and the rows from row; return the next free row"
        for col, (_, title, _, _) in enumerate(columns):
            sheet.write_string(row, col, title, formats['head'])
        for values in rows:
            row += 1
            bold = 'bold_' if values.get('kind') == 'total' else ''
            for col, (name, _, type_, _) in enumerate(columns):
                value = values.get(name)
                format_ = formats[bold + type_]
                if value is None or value == '':
                    sheet.write_blank(row, col, None, format_)
                elif type_ == 'money':
                    sheet.write_number(row, col, float(value), format_)
                elif type_ == 'date':
                    sheet.write_datetime(row, col, value, format_)
                else:
                    sheet.write_string(row, col, str(value), format_)
        return row + 1


class BookPDF(BookReportMixin, Report):
    """PDF of a book: the ODT template of the book (book_trial_balance.fodt,
    book_general_ledger.fodt or book_detail.fodt, each its action) rendered
    by relatorio and converted by LibreOffice, as microloan_core's prints"""
    __name__ = 'microloan.book.pdf'

    @classmethod
    def execute(cls, ids, data):
        ModelData = Pool().get('ir.model.data')
        data = cls.book_data(data)
        template = data['book'] if data['book'] in {
            'trial_balance', 'general_ledger'} else 'detail'
        data = dict(data, action_id=ModelData.get_id(
                'microloan_accounting', 'report_book_pdf_' + template))
        oext, content, direct_print, _ = super().execute([], data)
        return oext, content, direct_print, cls.filename(data)

    @classmethod
    def get_context(cls, records, header, data):
        context = Report.get_context(records, header, data)
        context.update({
                'money': money,
                'cn_date': cn_date,
                'head': cls.header(data),
                })
        content = book(data)
        if data['book'] == 'trial_balance':
            context['rows'] = content['rows']
            context['total'] = content['total']
            context['off_balance'] = content['off_balance']
        else:
            context['sections'] = content
        return context
