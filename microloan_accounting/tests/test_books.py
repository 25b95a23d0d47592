# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Books (账簿查询) of docs/accounting.md: trial balance, general ledger,
detail ledger and cash journals read from the host's posted moves, to the
fen, and their Excel and PDF"""
import datetime as dt
import io
import unittest
from decimal import Decimal as D

import openpyxl

from trytond.modules.account.tests import get_fiscalyear
from trytond.modules.microloan_core.tests.tools import create_cny_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from ..exceptions import BookError

JAN, FEB = dt.date(2026, 1, 1), dt.date(2026, 2, 28)


class BooksTestCase(unittest.TestCase):
    "Test the books on a small hand-made chart and a few moves"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_accounting')

    def setup_ledger(self):
        """A CNY company, a chart of 1001 (cash), 1002 (bank), 1303 (loans,
        by party), 6011 (interest income) and two off-balance accounts, the
        fiscal year 2026 by month, posted moves in January and February and
        one draft in February"""
        pool = Pool()
        AccountType = pool.get('account.account.type')
        Account = pool.get('account.account')
        FiscalYear = pool.get('account.fiscalyear')
        Journal = pool.get('account.journal')
        Party = pool.get('party.party')
        Move = pool.get('account.move')

        User = pool.get('res.user')

        company = self.company = create_cny_company()
        # the user works in the company for the rest of the transaction
        User.write([User(Transaction().user)], {
                'companies': [('add', [company.id])],
                'company': company.id,
                })
        Transaction().set_context(User.get_preferences(context_only=True))

        root_type, = AccountType.create([{
                    'name': "Chart", 'company': company.id}])
        balance, income, off = AccountType.create([{
                    'name': name, 'statement': statement,
                    'parent': root_type.id, 'company': company.id}
                for name, statement in [
                    ("Assets", 'balance'), ("Income", 'income'),
                    ("Off", 'off-balance')]])
        root, = Account.create([{'name': "Chart", 'company': company.id}])
        accounts = Account.create([{
                    'code': code, 'name': name, 'type': type_.id,
                    'parent': root.id, 'company': company.id, **values}
                for code, name, type_, values in [
                    ('1001', '库存现金', balance,
                        {'microloan_cash_kind': 'cash'}),
                    ('1002', '银行存款', balance,
                        {'microloan_cash_kind': 'bank'}),
                    ('1303', '贷款', balance, {'party_required': True}),
                    ('6011', '利息收入', income, {}),
                    ('9001', '表外应收利息', off, {}),
                    ('9002', '表外应收利息对方', off, {}),
                    ]])
        self.accounts = {a.code: a for a in accounts}

        fiscalyear = get_fiscalyear(company, today=JAN)
        fiscalyear.save()
        FiscalYear.create_period([fiscalyear])
        journal, = Journal.create([{
                    'name': "Vouchers", 'code': 'JZ', 'type': 'general'}])
        self.party, = Party.create([{'name': "借款人甲"}])

        def move(date, description, lines, post=True):
            move = Move(journal=journal, date=date, company=company,
                description=description,
                period=pool.get('account.period').find(company, date=date))
            move.lines = [{
                    'account': self.accounts[code].id,
                    'debit': D(debit), 'credit': D(credit),
                    'party': (self.party.id
                        if self.accounts[code].party_required else None),
                    'description': line_description,
                    } for code, debit, credit, line_description in lines]
            move.save()
            if post:
                # the voucher steps (docs/accounting.md) are not what these
                # tests are about: post as the voucher's Post button does
                with Transaction().set_context(_microloan_voucher_post=True):
                    Move.post([move])
                if hasattr(Move, 'number_vouchers'):
                    Move.number_vouchers([move])
            return move

        self.moves = {
            'interest': move(dt.date(2026, 1, 5), '收到利息', [
                    ('1002', '1000.00', '0', None),
                    ('6011', '0', '1000.00', None)]),
            'disburse': move(dt.date(2026, 1, 10), '发放贷款', [
                    ('1303', '600.00', '0', None),
                    ('1002', '0', '600.00', None)]),
            'withdraw': move(dt.date(2026, 1, 10), '提取现金', [
                    ('1001', '200.00', '0', None),
                    ('1002', '0', '200.00', None)]),
            'cash_loan': move(dt.date(2026, 1, 10), '现金放款', [
                    ('1303', '200.00', '0', None),
                    ('1001', '0', '200.00', None)]),
            'off': move(dt.date(2026, 1, 20), '表外登记', [
                    ('9001', '5000.00', '0', None),
                    ('9002', '0', '5000.00', None)]),
            'repay': move(dt.date(2026, 2, 3), '收回本金', [
                    ('1001', '30.25', '0', None),
                    ('1303', '0', '30.25', None)]),
            'feb_interest': move(dt.date(2026, 2, 3), '收息', [
                    ('1002', '100.10', '0', '二月利息收入'),
                    ('6011', '0', '100.10', None)]),
            'draft': move(dt.date(2026, 2, 10), '未记账', [
                    ('1001', '999.99', '0', None),
                    ('6011', '0', '999.99', None)], post=False),
            }
        return company

    def data(self, book, from_date=JAN, to_date=FEB, account=None,
            **values):
        return {
            'book': book, 'company': self.company.id,
            'from_date': from_date, 'to_date': to_date,
            'account': self.accounts[account].id if account else None,
            'party': None, 'include_unposted': False, **values}

    def voucher(self, name):
        move = self.moves[name]
        return getattr(move, 'voucher_number', None) or move.number

    @staticmethod
    def figures(row, names):
        return tuple(row[n] for n in names)

    @with_transaction()
    def test_trial_balance_columns_balance(self):
        "Trial balance of February: opening, period, closing, to the fen"
        from ..books import AMOUNTS_TRIAL, book
        self.setup_ledger()
        content = book(self.data('trial_balance', dt.date(2026, 2, 1)))
        rows = {r['code']: r for r in content['rows']}
        self.assertEqual(list(rows), ['1001', '1002', '1303', '6011'])
        self.assertEqual(self.figures(rows['1001'], AMOUNTS_TRIAL), (
                D('0.00'), D('0.00'), D('30.25'), D('0.00'),
                D('30.25'), D('0.00')))
        self.assertEqual(self.figures(rows['1002'], AMOUNTS_TRIAL), (
                D('200.00'), D('0.00'), D('100.10'), D('0.00'),
                D('300.10'), D('0.00')))
        self.assertEqual(self.figures(rows['1303'], AMOUNTS_TRIAL), (
                D('800.00'), D('0.00'), D('0.00'), D('30.25'),
                D('769.75'), D('0.00')))
        self.assertEqual(self.figures(rows['6011'], AMOUNTS_TRIAL), (
                D('0.00'), D('1000.00'), D('0.00'), D('100.10'),
                D('0.00'), D('1100.10')))
        total = content['total']
        self.assertEqual(self.figures(total, AMOUNTS_TRIAL), (
                D('1000.00'), D('1000.00'), D('130.35'), D('130.35'),
                D('1100.10'), D('1100.10')))
        # the off-balance accounts apart, out of the totals
        self.assertEqual(
            [(r['code'], r['opening_debit'], r['opening_credit'])
                for r in content['off_balance']],
            [('9001', D('5000.00'), D('0.00')),
                ('9002', D('0.00'), D('5000.00'))])

    @with_transaction()
    def test_draft_move_excluded_unless_asked(self):
        "A draft move is out of the books unless unposted moves are asked"
        from ..books import book
        self.setup_ledger()
        posted = book(self.data('trial_balance'))
        unposted = book(self.data('trial_balance', include_unposted=True))
        cash = {r['code']: r for r in posted['rows']}['1001']
        self.assertEqual(cash['debit'], D('230.25'))
        cash = {r['code']: r for r in unposted['rows']}['1001']
        self.assertEqual(cash['debit'], D('1230.24'))
        self.assertEqual(unposted['total']['closing_debit'],
            unposted['total']['closing_credit'])
        journal, = book(self.data('cash'))
        self.assertNotIn('未记账', [r['summary'] for r in journal['rows']])
        journal, = book(self.data('cash', include_unposted=True))
        self.assertIn('未记账', [r['summary'] for r in journal['rows']])

    @with_transaction()
    def test_detail_ledger_running_balance_and_totals(self):
        "Detail ledger of 1303: running balance, 本月合计 and 本年累计"
        from ..books import book
        self.setup_ledger()
        section, = book(self.data('detail', account='1303'))
        self.assertEqual((section['code'], section['name']), ('1303', '贷款'))
        self.assertEqual([(r['date'], r['voucher'], r['summary'], r['debit'],
                    r['credit'], r['direction'], r['balance'])
                for r in section['rows']], [
                (JAN, '', '期初余额', None, None, '平', D('0.00')),
                (dt.date(2026, 1, 10), self.voucher('disburse'), '发放贷款',
                    D('600.00'), D('0.00'), '借', D('600.00')),
                (dt.date(2026, 1, 10), self.voucher('cash_loan'), '现金放款',
                    D('200.00'), D('0.00'), '借', D('800.00')),
                (dt.date(2026, 1, 10), '', '本月合计',
                    D('800.00'), D('0.00'), '借', D('800.00')),
                (dt.date(2026, 1, 10), '', '本年累计',
                    D('800.00'), D('0.00'), '借', D('800.00')),
                (dt.date(2026, 2, 3), self.voucher('repay'), '收回本金',
                    D('0.00'), D('30.25'), '借', D('769.75')),
                (dt.date(2026, 2, 3), '', '本月合计',
                    D('0.00'), D('30.25'), '借', D('769.75')),
                (dt.date(2026, 2, 3), '', '本年累计',
                    D('800.00'), D('30.25'), '借', D('769.75')),
                ])
        self.assertTrue(self.voucher('repay'))

    @with_transaction()
    def test_year_to_date_counts_months_before_the_range(self):
        "本年累计 of February counts January, out of the range"
        from ..books import book
        self.setup_ledger()
        section, = book(self.data(
                'detail', dt.date(2026, 2, 1), account='6011'))
        rows = [(r['summary'], r['debit'], r['credit'], r['direction'],
                r['balance']) for r in section['rows']]
        self.assertEqual(rows, [
                ('期初余额', None, None, '贷', D('1000.00')),
                ('收息', D('0.00'), D('100.10'), '贷', D('1100.10')),
                ('本月合计', D('0.00'), D('100.10'), '贷', D('1100.10')),
                ('本年累计', D('0.00'), D('1100.10'), '贷', D('1100.10')),
                ])
        ledger = {s['code']: s for s in book(
                self.data('general_ledger', dt.date(2026, 2, 1)))}
        self.assertEqual([(r['summary'], r['debit'], r['credit'],
                    r['direction'], r['balance'])
                for r in ledger['1303']['rows']], [
                ('期初余额', None, None, '借', D('800.00')),
                ('本月合计', D('0.00'), D('30.25'), '借', D('769.75')),
                ('本年累计', D('800.00'), D('30.25'), '借', D('769.75')),
                ])
        self.assertEqual(ledger['1303']['rows'][1]['period'],
            Pool().get('account.period').find(
                self.company, date=dt.date(2026, 2, 3)).name)

    @with_transaction()
    def test_cash_journal_daily_totals(self):
        "Cash journal: 本日合计 after each day, 平 when nothing is left"
        from ..books import book
        self.setup_ledger()
        section, = book(self.data('cash'))
        self.assertEqual([(r['summary'], r['debit'], r['credit'],
                    r['direction'], r['balance'])
                for r in section['rows']], [
                ('期初余额', None, None, '平', D('0.00')),
                ('提取现金', D('200.00'), D('0.00'), '借', D('200.00')),
                ('现金放款', D('0.00'), D('200.00'), '平', D('0.00')),
                ('本日合计', D('200.00'), D('200.00'), '平', D('0.00')),
                ('本月合计', D('200.00'), D('200.00'), '平', D('0.00')),
                ('本年累计', D('200.00'), D('200.00'), '平', D('0.00')),
                ('收回本金', D('30.25'), D('0.00'), '借', D('30.25')),
                ('本日合计', D('30.25'), D('0.00'), '借', D('30.25')),
                ('本月合计', D('30.25'), D('0.00'), '借', D('30.25')),
                ('本年累计', D('230.25'), D('200.00'), '借', D('30.25')),
                ])

    @with_transaction()
    def test_bank_journal_summary_and_day_total(self):
        "Bank journal: the line's description before the move's, day totals"
        from ..books import book
        self.setup_ledger()
        section, = book(self.data('bank'))
        rows = section['rows']
        days = [(r['date'], r['debit'], r['credit'], r['balance'])
            for r in rows if r['summary'] == '本日合计']
        self.assertEqual(days, [
                (dt.date(2026, 1, 5), D('1000.00'), D('0.00'),
                    D('1000.00')),
                (dt.date(2026, 1, 10), D('0.00'), D('800.00'), D('200.00')),
                (dt.date(2026, 2, 3), D('100.10'), D('0.00'), D('300.10')),
                ])
        self.assertIn('二月利息收入', [r['summary'] for r in rows])
        self.assertNotIn('收息', [r['summary'] for r in rows])

    @with_transaction()
    def test_refuses_reversed_range_and_detail_without_account(self):
        "A range ending before it starts, a detail ledger without account"
        from ..books import book
        self.setup_ledger()
        with self.assertRaises(BookError):
            book(self.data('trial_balance', FEB, JAN))
        with self.assertRaises(BookError):
            book(self.data('detail'))

    @with_transaction()
    def test_wizard_shows_the_book(self):
        "The wizard shows the detail ledger's lines"
        pool = Pool()
        OpenBook = pool.get('microloan.book', type='wizard')
        self.setup_ledger()
        session_id, _, _ = OpenBook.create()
        wizard = OpenBook(session_id)
        wizard.start.book = 'cash'
        wizard.start.company = self.company
        wizard.start.from_date, wizard.start.to_date = JAN, FEB
        wizard.start.account = None
        wizard.start.party = None
        wizard.start.include_unposted = False
        values = wizard.default_result(None)
        self.assertEqual(values['ledger_lines'][-1]['summary'], '本年累计')
        self.assertEqual(values['ledger_lines'][-1]['balance'], D('30.25'))
        self.assertEqual(
            values['ledger_lines'][0]['account'], '1001 库存现金')

    @with_transaction()
    def test_excel_reads_back_the_same_figures(self):
        "The .xlsx of the trial balance and of the cash journal read back"
        pool = Pool()
        Excel = pool.get('microloan.book.xlsx', type='report')
        self.setup_ledger()
        oext, content, _, name = Excel.execute(
            [], self.data('trial_balance', dt.date(2026, 2, 1)))
        self.assertEqual(oext, 'xlsx')
        self.assertTrue(name.startswith('科目余额表'))
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        self.assertEqual(values[0][0], '科目余额表')
        header = values.index(['科目编码', '科目名称', '期初借方', '期初贷方',
                '本期借方', '本期贷方', '期末借方', '期末贷方'])
        rows = {r[0] or r[1]: r for r in values[header + 1:] if r[1]}
        self.assertEqual(rows['1303'][2:],
            [800, 0, 0, 30.25, 769.75, 0])
        self.assertEqual(rows['合计'][2:],
            [1000.0, 1000.0, 130.35, 130.35, 1100.1, 1100.1])
        self.assertEqual(sheet.cell(header + 2, 3).number_format,
            '#,##0.00')

        oext, content, _, _ = Excel.execute([], self.data('cash'))
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        days = [r for r in values if r[2] == '本日合计']
        self.assertEqual([r[3:] for r in days],
            [[200.0, 200.0, '平', 0.0], [30.25, 0.0, '借', 30.25]])

    @with_transaction()
    def test_trial_balance_from_host_general_ledger_print_menu(self):
        "Printed from the host's general ledger list: its range and company"
        pool = Pool()
        Excel = pool.get('microloan.book.xlsx', type='report')
        self.setup_ledger()
        with Transaction().set_context(
                from_date=dt.date(2026, 2, 1), to_date=FEB, posted=True):
            _, content, _, _ = Excel.execute([], {
                    'model': 'account.general_ledger.account'})
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        total, = [r for r in values if r[1] == '合计']
        self.assertEqual(total[2:],
            [1000.0, 1000.0, 130.35, 130.35, 1100.1, 1100.1])

    @with_transaction()
    def test_pdf_of_cash_journal(self):
        "The PDF of the cash journal is a PDF with the day's total"
        from trytond.modules.microloan_core.tests.report_tools import (
            compact, pdf_text, save_first_page)
        pool = Pool()
        PDF = pool.get('microloan.book.pdf', type='report')
        self.setup_ledger()
        oext, content, _, name = PDF.execute([], self.data('cash'))
        self.assertEqual(oext, 'pdf')
        self.assertTrue(bytes(content).startswith(b'%PDF'))
        text = compact(pdf_text(content))
        self.assertIn('现金日记账', text)
        self.assertIn('本日合计', text)
        self.assertIn('230.25', text)
        save_first_page(content, 'book_cash_journal')

    @with_transaction()
    def test_pdf_of_trial_balance(self):
        "The PDF of the trial balance has its totals and the off-balance apart"
        from trytond.modules.microloan_core.tests.report_tools import (
            compact, pdf_text)
        pool = Pool()
        PDF = pool.get('microloan.book.pdf', type='report')
        self.setup_ledger()
        oext, content, _, _ = PDF.execute(
            [], self.data('trial_balance', dt.date(2026, 2, 1)))
        self.assertTrue(bytes(content).startswith(b'%PDF'))
        text = compact(pdf_text(content))
        self.assertIn('科目余额表', text)
        self.assertIn('合计1,000.001,000.00130.35130.351,100.101,100.10', text)
        self.assertIn('表外科目', text)
