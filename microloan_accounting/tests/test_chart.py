# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The charts of accounts (docs/accounting.md, "Charts (科目表)"): the
accounts each chart creates, and the balance sheet and income statement
their types give."""
import datetime as dt
import filecmp
import os
import subprocess
import sys
import tempfile
import unittest
from decimal import Decimal as D

from trytond.modules.company.tests import set_company
from trytond.modules.microloan_core.tests.tools import create_cny_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

MODULE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(MODULE, os.pardir, 'scripts', 'build_charts.py')

# The accounts of docs/accounting.md: code -> Chinese, English
MICROLOAN = {
    '1001': ("库存现金", "Cash on Hand"),
    '1002': ("银行存款", "Bank Deposits"),
    '1132': ("应收利息", "Interest Receivable"),
    '113201': ("应收贷款利息", "Accrued Loan Interest"),
    '113202': ("应收罚息", "Penalty Interest Receivable"),
    '1221': ("其他应收款", "Other Receivables"),
    '122101': ("应收贷款费用", "Loan Fees Receivable"),
    '1303': ("贷款", "Loans"),
    '1304': ("贷款损失准备", "Loan Loss Provision"),
    '1441': ("抵债资产", "Foreclosed Assets"),
    '1601': ("固定资产", "Fixed Assets"),
    '2001': ("短期借款", "Short-term Borrowings"),
    '2002': ("存入保证金", "Customer Margin Deposits"),
    '2211': ("应付职工薪酬", "Payroll Payable"),
    '2221': ("应交税费", "Taxes Payable"),
    '2241': ("其他应付款", "Other Payables"),
    '224101': ("客户挂账", "Customer Credit Balances"),
    '4001': ("实收资本", "Paid-in Capital"),
    '4101': ("盈余公积", "Surplus Reserve"),
    '4102': ("一般风险准备", "General Risk Reserve"),
    '4103': ("本年利润", "Current Year Profit"),
    '4104': ("利润分配", "Profit Distribution"),
    '6011': ("利息收入", "Interest Income"),
    '601101': ("贷款利息收入", "Loan Interest Income"),
    '601102': ("罚息收入", "Penalty Interest Income"),
    '6021': ("手续费及佣金收入", "Fee and Commission Income"),
    '6051': ("其他业务收入", "Other Operating Income"),
    '6301': ("营业外收入", "Non-operating Income"),
    '6403': ("税金及附加", "Taxes and Surcharges"),
    '6411': ("利息支出", "Interest Expense"),
    '6421': ("手续费及佣金支出", "Fee and Commission Expense"),
    '6601': ("业务及管理费", "General and Administrative Expenses"),
    '6702': ("信用减值损失", "Credit Impairment Loss"),
    '6711': ("营业外支出", "Non-operating Expenses"),
    '6801': ("所得税费用", "Income Tax Expense"),
    '7001': ("表外应收利息", "Off-Balance Interest Receivable"),
    '7002': ("表外应收利息备查", "Off-Balance Interest Memorandum"),
    }
GUARANTEE = dict(MICROLOAN, **{
    '1031': ("存出保证金", "Margin Deposits Placed"),
    '1201': ("应收代位追偿款", "Subrogation Receivable"),
    '2601': ("未到期责任准备金", "Unearned Liability Reserve"),
    '2602': ("担保赔偿准备金", "Guarantee Compensation Reserve"),
    '6031': ("担保费收入", "Guarantee Fee Income"),
    '6501': ("提取未到期责任准备金", "Unearned Liability Reserve Provision"),
    '6511': ("担保赔偿支出", "Guarantee Compensation Expense"),
    '6512': ("提取担保赔偿准备金", "Compensation Reserve Provision"),
    })
PARENTS = {'1132', '1221', '2241', '6011'}
# 113201 and 113202 have no party: the accruals post one line per product
# and day (docs/accounting.md, Posting)
PARTY_REQUIRED = {'122101', '1303', '2002', '224101', '1201'}
RECONCILE = {'122101', '224101'}
CASH_KINDS = {'1001': 'cash', '1002': 'bank'}

DATE = dt.date(2026, 3, 31)
# Types of the income statement, read the same in the balance sheet's view
# while the year is open
INCOME_TYPES = {"净利润", "利润总额", "营业利润", "营业收入", "营业支出",
    "利息净收入", "利息收入"}


def create_chart(company, chart):
    """Run the host's create-chart wizard with the template chart and keep
    the receivable and payable accounts it proposes"""
    pool = Pool()
    AccountTemplate = pool.get('account.account.template')
    ModelData = pool.get('ir.model.data')
    CreateChart = pool.get('account.create_chart', type='wizard')

    template = AccountTemplate(
        ModelData.get_id('microloan_accounting', chart))
    session_id, _, _ = CreateChart.create()
    wizard = CreateChart(session_id)
    wizard.account.account_template = template
    wizard.account.company = company
    wizard.transition_create_account()
    defaults = wizard.default_properties(['company', 'account_receivable',
            'account_payable'])
    wizard.properties.company = company
    wizard.properties.account_receivable = defaults['account_receivable']
    wizard.properties.account_payable = defaults['account_payable']
    wizard.transition_create_properties()


def open_fiscalyear(company):
    "Create the fiscal year 2026 of the company with its monthly periods"
    pool = Pool()
    FiscalYear = pool.get('account.fiscalyear')
    Sequence = pool.get('ir.sequence.strict')
    SequenceType = pool.get('ir.sequence.type')
    sequence_type, = SequenceType.search([
            ('name', '=', "Account Move"),
            ], limit=1)
    sequence = Sequence(
        name="2026", sequence_type=sequence_type, company=company)
    sequence.save()
    fiscalyear = FiscalYear(name="2026", company=company,
        start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31),
        move_sequence=sequence)
    fiscalyear.save()
    FiscalYear.create_period([fiscalyear])
    return fiscalyear


class ChartTestCase(unittest.TestCase):
    "Test the charts of accounts of docs/accounting.md"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_accounting')

    def accounts(self, company):
        "Return the company's accounts by code"
        Account = Pool().get('account.account')
        return {a.code: a for a in Account.search([
                    ('company', '=', company.id),
                    ('code', '!=', None),
                    ])}

    def check_chart(self, chart, expected, language):
        pool = Pool()
        Account = pool.get('account.account')
        Configuration = pool.get('account.configuration')
        Type = pool.get('account.account.type')
        company = create_cny_company()
        with set_company(company):
            create_chart(company, chart)
            accounts = self.accounts(company)
            self.assertEqual(set(accounts), set(expected))
            for code, names in expected.items():
                account = accounts[code]
                with self.subTest(code=code):
                    self.assertEqual(account.name, names[language])
                    self.assertEqual(account.party_required,
                        code in PARTY_REQUIRED)
                    self.assertEqual(account.reconcile, code in RECONCILE)
                    self.assertEqual(account.microloan_cash_kind,
                        CASH_KINDS.get(code))
                    if code in PARENTS:
                        self.assertIsNone(account.type)
                        self.assertTrue(account.childs)
                    else:
                        self.assertIsNotNone(account.type)
                    if len(code) == 6:
                        self.assertEqual(account.parent.code, code[:4])
            # Nothing posts on a parent account
            postable = Account.search([
                    ('company', '=', company.id),
                    ('type', '!=', None),
                    ('closed', '!=', True),
                    ])
            self.assertFalse(PARENTS & {a.code for a in postable})
            config = Configuration(1)
            self.assertEqual(config.default_account_receivable.code, '122101')
            self.assertEqual(config.default_account_payable.code, '224101')
            self.assertEqual(accounts['1303'].type, accounts['1304'].type)
            # The types are named in the chart's language
            for type_ in Type.search([('company', '=', company.id)]):
                with self.subTest(type=type_.name):
                    self.assertEqual(
                        any('\u4e00' <= c <= '\u9fff' for c in type_.name),
                        language == 0)

    @with_transaction()
    def test_microloan_chart(self):
        "The microloan chart creates every account of its list in Chinese"
        self.check_chart('chart_microloan', MICROLOAN, 0)

    @with_transaction()
    def test_microloan_chart_in_english(self):
        "The English microloan chart has the same codes"
        self.check_chart('chart_microloan_en', MICROLOAN, 1)

    @with_transaction()
    def test_guarantee_chart(self):
        "The guarantee chart adds the guarantee accounts"
        self.check_chart('chart_guarantee', GUARANTEE, 0)

    @with_transaction()
    def test_guarantee_chart_in_english(self):
        "The English guarantee chart has the same codes"
        self.check_chart('chart_guarantee_en', GUARANTEE, 1)

    def post_moves(self, company, entries):
        """Create in March 2026 one move of each (debit code, credit code,
        amount) of entries, the party on the lines that require one"""
        pool = Pool()
        Journal = pool.get('account.journal')
        Move = pool.get('account.move')
        Party = pool.get('party.party')
        Period = pool.get('account.period')
        accounts = self.accounts(company)
        party = Party(name="张三")
        party.save()
        journal, = Journal.search([('code', '=', 'MISC')])
        period = Period.find(company, date=DATE)
        moves = []
        for debit, credit, amount in entries:
            lines = []
            for code, debit_, credit_ in [
                    (debit, amount, D(0)), (credit, D(0), amount)]:
                account = accounts[code]
                lines.append({
                        'account': account.id,
                        'debit': debit_,
                        'credit': credit_,
                        'party': party.id if account.party_required else None,
                        })
            moves.append({
                    'company': company.id,
                    'period': period,
                    'journal': journal.id,
                    'date': DATE,
                    'lines': [('create', lines)],
                    })
        Move.create(moves)

    def balance_sheet(self, company):
        """Return the amounts of the company's types by name, read as the
        Balance Sheet of the host reads them, and the names of its rows"""
        Type = Pool().get('account.account.type')
        with Transaction().set_context(
                cumulate=True, date=DATE, company=company.id, posted=False):
            rows = Type.search([
                    ('company', '=', company.id),
                    ('statement', '=', 'balance'),
                    ['OR', ('parent', '=', None),
                        ('parent.statement', '!=', 'balance'),
                        ('parent.statement', '=', None)],
                    ])
            types = Type.search([('company', '=', company.id)])
            return {t.name: t.amount for t in types}, [t.name for t in rows]

    def income_statement(self, company, fiscalyear):
        """Return the amounts of the company's types by name, read as the
        Income Statement of the host reads them, and the names of its
        rows"""
        Type = Pool().get('account.account.type')
        with Transaction().set_context(
                fiscalyear=fiscalyear.id, company=company.id, posted=False):
            rows = Type.search([
                    ('company', '=', company.id),
                    ('statement', '=', 'income'),
                    ['OR', ('parent', '=', None),
                        ('parent.statement', '!=', 'income'),
                        ('parent.statement', '=', None)],
                    ])
            types = Type.search([('company', '=', company.id)])
            return {t.name: t.amount for t in types}, [t.name for t in rows]

    def check_statements(self, chart, entries, expected):
        company = create_cny_company()
        with set_company(company):
            create_chart(company, chart)
            fiscalyear = open_fiscalyear(company)
            self.post_moves(company, entries)
            balance, rows = self.balance_sheet(company)
            self.assertEqual(rows, ["资产", "负债和所有者权益"])
            self.assertEqual(balance["资产"], balance["负债和所有者权益"])
            self.assertEqual(balance["资产"],
                balance["负债"] + balance["所有者权益"])
            income, rows = self.income_statement(company, fiscalyear)
            self.assertEqual(rows, ["净利润"])
            self.assertEqual(income["净利润"], balance["未分配利润"])
            for name, amount in expected.items():
                with self.subTest(name=name):
                    self.assertEqual(balance.get(name), amount)
                    if name in INCOME_TYPES:
                        self.assertEqual(income[name], amount)
            return income

    @with_transaction()
    def test_microloan_statements_balance(self):
        "A loan, its interest and its provision keep the balance sheet even"
        income = self.check_statements('chart_microloan', [
                ('1002', '4001', D('1000000.00')),
                ('1303', '1002', D('100000.00')),
                ('1002', '601101', D('8000.00')),
                ('6702', '1304', D('1000.00')),
                ('6411', '1002', D('200.00')),
                ('7001', '7002', D('500.00')),
                ], {
                "资产": D('1006800.00'),
                "现金及银行存款": D('907800.00'),
                "发放贷款和垫款": D('99000.00'),
                "负债和所有者权益": D('1006800.00'),
                "负债": D('0.00'),
                "所有者权益": D('1006800.00'),
                "实收资本": D('1000000.00'),
                "未分配利润": D('6800.00'),
                "净利润": D('6800.00'),
                "利润总额": D('6800.00'),
                "营业利润": D('6800.00'),
                "营业收入": D('7800.00'),
                "利息净收入": D('7800.00'),
                "营业支出": D('-1000.00'),
                "表外应收利息": D('-500.00'),
                "表外应收利息备查": D('500.00'),
                "表外项目": D('0.00'),
                })
        self.assertNotIn("担保业务收入", income)

    @with_transaction()
    def test_microloan_income_is_net_profit(self):
        "An interest received is the net profit of the income statement"
        self.check_statements('chart_microloan', [
                ('1303', '1002', D('100000.00')),
                ('1002', '601101', D('800.00')),
                ], {
                "资产": D('800.00'),
                "负债和所有者权益": D('800.00'),
                "净利润": D('800.00'),
                "利息收入": D('800.00'),
                })

    @with_transaction()
    def test_guarantee_statements_balance(self):
        "Guarantee fees, reserves and compensation keep the sheet even"
        self.check_statements('chart_guarantee', [
                ('1002', '4001', D('1000000.00')),
                ('1002', '6031', D('3000.00')),
                ('6501', '2601', D('1500.00')),
                ('1201', '1002', D('20000.00')),
                ('6511', '2602', D('400.00')),
                ('1031', '1002', D('50000.00')),
                ('1002', '2002', D('10000.00')),
                ], {
                "资产": D('1013000.00'),
                "现金及银行存款": D('943000.00'),
                "存出保证金": D('50000.00'),
                "应收代位追偿款": D('20000.00'),
                "负债": D('11900.00'),
                "存入保证金": D('10000.00'),
                "未到期责任准备金": D('1500.00'),
                "担保赔偿准备金": D('400.00'),
                "负债和所有者权益": D('1013000.00'),
                "净利润": D('1100.00'),
                "营业收入": D('3000.00'),
                "营业支出": D('-1900.00'),
                "担保业务收入": D('3000.00'),
                "提取担保准备金": D('-1500.00'),
                "担保赔偿支出": D('-400.00'),
                })

    def test_script_writes_the_committed_chart(self):
        "scripts/build_charts.py writes chart.xml as committed"
        if not os.path.exists(SCRIPT):
            self.skipTest("the module is installed without its scripts")
        with tempfile.TemporaryDirectory() as directory:
            output = os.path.join(directory, 'chart.xml')
            subprocess.run([sys.executable, SCRIPT, output], check=True)
            self.assertTrue(filecmp.cmp(
                    output, os.path.join(MODULE, 'chart.xml'),
                    shallow=False))

