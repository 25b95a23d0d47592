# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The financial statements of a month (docs/accounting.md, "Vouchers
printed and statements"): the balance sheet and the income statement of a
small hand-made chart, read back from the Excel to the fen and from the
PDF with pdftotext."""
import datetime as dt
import io
import unittest
from decimal import Decimal as D

import openpyxl

from trytond.modules.account.tests import get_fiscalyear
from trytond.modules.company.tests import set_company
from trytond.modules.microloan_core.tests.report_tools import (
    compact, ensure_soffice, pdf_text, save_first_page)
from trytond.modules.microloan_core.tests.tools import (
    create_cny_company, create_staff)
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

# The tiny type tree: name -> (parent, sequence, statement, flags); the
# income statement's top type sits in the equity, as the host's charts
# put it, so that the balance sheet balances.  The loans are created
# before the cash to show that the order is the sequence's.
TYPES = [
    ("报表项目", None, 10, None, {}),
    ("资产", "报表项目", 10, 'balance', {'assets': True}),
    ("贷款", "资产", 20, 'balance', {'assets': True}),
    ("货币资金", "资产", 10, 'balance', {'assets': True}),
    ("负债", "报表项目", 20, 'balance', {}),
    ("所有者权益", "报表项目", 30, 'balance', {}),
    ("实收资本", "所有者权益", 10, 'balance', {}),
    ("本年利润", "所有者权益", 20, 'income', {}),
    ("营业收入", "本年利润", 10, 'income', {'revenue': True}),
    ("营业支出", "本年利润", 20, 'income', {'expense': True}),
    ]
# code -> (name, type, values)
ACCOUNTS = {
    '1002': ("银行存款", "货币资金", {'microloan_cash_kind': 'bank'}),
    '1303': ("贷款", "贷款", {'party_required': True}),
    '2241': ("其他应付款", "负债", {}),
    '4001': ("实收资本", "实收资本", {}),
    '6011': ("利息收入", "营业收入", {}),
    '6601': ("业务及管理费", "营业支出", {}),
    }
YEAR = 2026


def create_ledger(company):
    """Create the company's types and accounts of TYPES and ACCOUNTS, its
    fiscal year 2026 in months and a journal of its loan vouchers; return
    the accounts by code"""
    pool = Pool()
    Type = pool.get('account.account.type')
    Account = pool.get('account.account')
    Journal = pool.get('account.journal')
    types = {}
    for name, parent, sequence, statement, flags in TYPES:
        types[name], = Type.create([dict({
                        'name': name,
                        'company': company.id,
                        'parent': types[parent].id if parent else None,
                        'sequence': sequence,
                        'statement': statement,
                        }, **flags)])
    accounts = {}
    for code, (name, type_, values) in ACCOUNTS.items():
        accounts[code], = Account.create([dict({
                        'code': code,
                        'name': name,
                        'company': company.id,
                        'type': types[type_].id,
                        }, **values)])
    fiscalyear = get_fiscalyear(company, today=dt.date(YEAR, 1, 1))
    fiscalyear.save()
    fiscalyear.create_period([fiscalyear])
    journal, = Journal.create([{
                'name': "贷款凭证", 'code': 'LOAN', 'type': 'general'}])
    company.microloan_journal = journal
    company.save()
    return accounts


def create_people(company):
    """Return the users who prepare (张明), review and post (李华) and sign
    as cashier (钱芳) the vouchers"""
    preparer, _ = create_staff(company, 'zhangm', "张明", 'group_accountant')
    reviewer, _ = create_staff(company, 'lih', "李华", 'group_accountant')
    cashier, _ = create_staff(company, 'qianf', "钱芳", 'group_cashier')
    return preparer, reviewer, cashier


def prepare(company, user, date, description, lines, attachments=0):
    "Create as user the voucher of lines [(account, party, dr, cr, summary)]"
    Move = Pool().get('account.move')
    with Transaction().set_user(user.id):
        values = Move.voucher_values(company, date, description, lines)
        values['attachments_count'] = attachments
        move, = Move.create([values])
    return move


def post(moves, reviewer, cashier):
    "Review and post the moves as reviewer, the cashier signing first"
    Move = Pool().get('account.move')
    with Transaction().set_user(reviewer.id):
        Move.voucher_review(moves)
    with Transaction().set_user(cashier.id):
        Move.voucher_sign([m for m in moves if m.needs_signature])
    with Transaction().set_user(reviewer.id):
        Move.voucher_post(moves)
    return Move.browse(moves)


class StatementReportTestCase(unittest.TestCase):
    "The balance sheet and the income statement of a month"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_accounting')

    def setup_month(self):
        """A company whose capital and an interest came in February, and
        which in March lent 100,000.00, received 800.50 of interest, paid
        300.25 of expenses and held 5,000.00 for a customer; an interest of
        99.00 is still a draft"""
        pool = Pool()
        Party = pool.get('party.party')
        company = self.company = create_cny_company()
        with set_company(company):
            a = create_ledger(company)
            preparer, self.reviewer, self.cashier = create_people(company)
            borrower, = Party.create([{'name': "孙建国"}])
            feb, mar = dt.date(YEAR, 2, 15), dt.date(YEAR, 3, 20)
            entries = [
                (feb, "实收资本到账", a['1002'], None, a['4001'],
                    D('1000000.00')),
                (feb, "收到利息", a['1002'], None, a['6011'], D('1200.00')),
                (mar, "发放贷款", a['1303'], borrower, a['1002'],
                    D('100000.00')),
                (mar, "收到利息", a['1002'], None, a['6011'], D('800.50')),
                (mar, "支付办公费", a['6601'], None, a['1002'], D('300.25')),
                (mar, "收到代收款", a['1002'], None, a['2241'],
                    D('5000.00')),
                ]
            moves = [prepare(company, preparer, date, summary, [
                        (debit, party if debit.party_required else None,
                            amount, D(0), summary),
                        (credit, party if credit.party_required else None,
                            D(0), amount, summary)])
                for date, summary, debit, party, credit, amount in entries]
            post(moves, self.reviewer, self.cashier)
            prepare(company, preparer, mar, "未记账利息", [
                    (a['1002'], None, D('99.00'), D(0), None),
                    (a['6011'], None, D(0), D('99.00'), None)])
        return company

    def data(self, statement):
        Period = Pool().get('account.period')
        period = Period.find(self.company, date=dt.date(YEAR, 3, 1))
        return {
            'company': self.company.id,
            'period': period.id,
            'statement': statement,
            }

    def excel(self, statement):
        """Return the Excel of statement for March as {item: (amount,
        amount)}, the items in their order, the header lines and the
        sheet"""
        Report = Pool().get(
            'microloan.accounting.financial_statement.xlsx', type='report')
        oext, content, _, name = Report.execute([], self.data(statement))
        self.assertEqual(oext, 'xlsx')
        self.assertEqual(name, {
                'balance': '资产负债表', 'income': '利润表'}[statement]
            + '-2026-03')
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        rows = list(sheet.iter_rows(values_only=True))
        amounts, order = {}, []
        for name, *values in rows[3:]:
            order.append(name)
            amounts[name] = tuple(D(str(round(v, 2))) for v in values)
        return amounts, order, rows[:3], sheet

    @with_transaction()
    def test_balance_sheet_excel_balances(self):
        "资产负债表: month-end balances of the posted vouchers to the fen, "
        "the types by sequence, assets = liabilities + equity"
        company = self.setup_month()
        with set_company(company):
            amounts, order, head, sheet = self.excel('balance')
        self.assertEqual(head[0][0], '资产负债表')
        self.assertEqual(head[1], (
                '编制单位：' + company.rec_name, '2026年3月', '单位：元'))
        self.assertEqual(head[2], ('项目', '期末余额', '年初余额'))
        self.assertEqual(order, ["资产", "货币资金", "贷款", "负债",
                "所有者权益", "实收资本", "本年利润"])
        closing = {k: v[0] for k, v in amounts.items()}
        self.assertEqual(closing, {
                "资产": D('1006700.25'),
                "货币资金": D('906700.25'),
                "贷款": D('100000.00'),
                "负债": D('5000.00'),
                "所有者权益": D('1001700.25'),
                "实收资本": D('1000000.00'),
                "本年利润": D('1700.25'),
                })
        self.assertEqual(closing["资产"],
            closing["负债"] + closing["所有者权益"])
        # nothing before the fiscal year
        self.assertEqual({v[1] for v in amounts.values()}, {D(0)})
        # amounts are numbers in thousands, the rows indented by depth
        cell = sheet.cell(row=4, column=2)
        self.assertIsInstance(cell.value, float)
        self.assertEqual(cell.number_format, '#,##0.00')
        self.assertEqual(sheet.cell(row=5, column=1).value, "货币资金")
        self.assertEqual(sheet.cell(row=5, column=1).alignment.indent, 1)

    @with_transaction()
    def test_income_statement_excel_month_and_year(self):
        "利润表: the month's amounts and the year's to the month's end"
        company = self.setup_month()
        with set_company(company):
            amounts, order, head, _ = self.excel('income')
        self.assertEqual(head[0][0], '利润表')
        self.assertEqual(head[2], ('项目', '本月金额', '本年累计金额'))
        self.assertEqual(order, ["本年利润", "营业收入", "营业支出"])
        self.assertEqual(amounts, {
                "本年利润": (D('500.25'), D('1700.25')),
                "营业收入": (D('800.50'), D('2000.50')),
                # the host's sign: credit less debit
                "营业支出": (D('-300.25'), D('-300.25')),
                })

    @with_transaction()
    def test_wizard_gives_the_reports_and_pdf_prints(self):
        "The wizard hands its choice to the reports; the PDF prints the "
        "title, the company, the month and the amounts"
        pool = Pool()
        Wizard = pool.get(
            'microloan.accounting.financial_statement', type='wizard')
        Report = pool.get(
            'microloan.accounting.financial_statement.pdf', type='report')
        if not ensure_soffice():
            self.fail("LibreOffice (soffice) could not be installed")
        company = self.setup_month()
        with set_company(company):
            session_id, _, _ = Wizard.create()
            wizard = Wizard(session_id)
            defaults = wizard.start.default_get(
                ['company', 'period', 'statement'])
            today = pool.get('ir.date').today()
            self.assertEqual(
                (defaults['company'], defaults['period'],
                    defaults['statement']),
                (company.id, pool.get('account.period').find(
                        company, date=today).id, 'balance'))
            data = self.data('balance')
            wizard.start.company = company
            wizard.start.period = Pool().get('account.period')(
                data['period'])
            wizard.start.statement = 'balance'
            action, given = wizard.do_pdf({})
            self.assertEqual(given, data)
            oext, content, _, name = Report.execute([], given)
        self.assertEqual(oext, 'pdf')
        self.assertEqual(name, '资产负债表-2026-03')
        save_first_page(content, 'print-balance-sheet')
        text = pdf_text(content)
        flat = compact(text)
        for value in ['资产负债表', '编制单位：' + compact(company.rec_name),
                '2026年3月', '单位：元', '项目期末余额年初余额',
                '资产1,006,700.250.00', '货币资金906,700.250.00',
                '本年利润1,700.250.00']:
            self.assertIn(value, flat)

