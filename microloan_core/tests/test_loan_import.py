# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Historical import (历史补录): a good file, as a workbook or as CSV
files, gives the loans and allocations that entering the same loans and
posting the same repayments by hand gives; a file with a bad row imports
nothing and lists every error, in Chinese, with its sheet, row and
column."""
import csv
import datetime as dt
import io
import unittest
from decimal import Decimal as D

import openpyxl
import xlsxwriter

from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import create_employee, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from .test_translations import load_language
from .tools import (
    PNG, as_user, create_cny_company, create_customer, create_fund_account,
    create_loan, create_product, create_user, disburse, resident_id)

LOAN_HEADER = ['原借据号', '借款人姓名', '身份证号', '产品代码', '本金', '年利率',
    '放款日', '期限(月)', '还款方式', '计息方式', '资金账户', '放款凭证号']
REPAYMENT_HEADER = ['原借据号', '还款日', '还款金额', '还款渠道', '凭证号']
ACCOUNT_NUMBER = '0200001009014412345'
# The worked example of the servicing rules (JD-001) and a loan of equal principal
# repaid on time (JD-002); 孙建国 is a customer already, 王秀英 is not
LOANS = [
    ['JD-001', '孙建国', resident_id(1), 'XF01', '100000.00', '0.12',
        '2026-01-31', '12', 'equal_installment', 'month', ACCOUNT_NUMBER,
        'FK-001'],
    ['JD-002', '王秀英', resident_id(2), 'XF01', '50000.00', '12%',
        '2026/02/15', '6', 'equal_principal', 'month', '工行基本户', ''],
    ]
REPAYMENTS = [
    ['JD-001', '2026-03-10', '8884.88', 'transfer', 'HK-001'],
    ['JD-002', '2026-03-15', '8833.33', 'cash', 'HK-002'],
    # the penalty left and the principal of installment 1: nothing more
    ['JD-001', '2026-03-20', '44.65', 'transfer', 'HK-003'],
    ]
MODELS = ['microloan.loan', 'microloan.loan.installment',
    'microloan.loan.transaction', 'microloan.loan.repayment', 'party.party',
    'party.identifier', 'microloan.loan.import.batch']


def csv_file(header, rows, encoding='utf-8-sig'):
    "A CSV file of rows under header"
    content = io.StringIO()
    writer = csv.writer(content)
    writer.writerow(header)
    writer.writerows(rows)
    return content.getvalue().encode(encoding)


def typed(value):
    "A cell of the file as Excel types it: a number, a date or text"
    for parse in [lambda v: dt.date.fromisoformat(v), float]:
        try:
            return parse(value)
        except ValueError:
            continue
    return value


def workbook(loans, repayments, sheets=('借据', '还款记录')):
    "An Excel workbook of the loans and repayments, cells typed"
    content = io.BytesIO()
    book = xlsxwriter.Workbook(content, {'in_memory': True})
    date = book.add_format({'num_format': 'yyyy-mm-dd'})
    for sheet, header, rows in zip(
            sheets, [LOAN_HEADER, REPAYMENT_HEADER], [loans, repayments]):
        worksheet = book.add_worksheet(sheet)
        worksheet.write_row(0, 0, header)
        for number, row in enumerate(rows, 1):
            for col, value in enumerate(row):
                # identities and numbers of documents stay text
                value = typed(value) if col and header[col] not in {
                    '身份证号', '放款凭证号', '凭证号', '资金账户'} else value
                if isinstance(value, dt.date):
                    worksheet.write_datetime(number, col, value, date)
                else:
                    worksheet.write(number, col, value)
    book.close()
    return content.getvalue()


def replace(rows, index, column, value, header=LOAN_HEADER):
    "A copy of rows with the cell of column of row index replaced"
    rows = [list(r) for r in rows]
    rows[index][header.index(column)] = value
    return rows


def by_hand(company, product, account, loans, repayments):
    """Enter the loans (rows of the file) one by one and post their
    repayments one by one, as the cashier does; return {original number:
    loan}"""
    pool = Pool()
    Loan = pool.get('microloan.loan')
    Repayment = pool.get('microloan.loan.repayment')
    result = {}
    for row in loans:
        number, _, _, _, principal, rate, date, term, method, basis = (
            row[:10])
        rate = D(rate[:-1]) / 100 if rate.endswith('%') else D(rate)
        result[number] = disburse(create_loan(company, product=product.id,
                principal=D(principal), annual_rate=rate,
                start_date=dt.date.fromisoformat(date.replace('/', '-')),
                term_months=int(term), method=method, basis=basis))
    for number, date, amount, channel, *_ in repayments:
        if number not in result:
            continue
        repayment, = Repayment.create([{
                    'company': company.id,
                    'loan': result[number].id,
                    'date': dt.date.fromisoformat(date),
                    'amount': D(amount),
                    'fund_account': account.id,
                    'channel': channel,
                    'payer': result[number].borrower.name,
                    }])
        with Transaction().set_context(_check_access=False):
            Repayment.post([repayment])
    return {n: Loan(l.id) for n, l in result.items()}


def allocations(loan):
    "What each repayment of loan paid, in the order they were entered"
    return [tuple(getattr(r, n) for n in [
                'date', 'amount', 'penalty', 'compound', 'interest',
                'principal', 'credit'])
        for r in sorted(loan.repayments, key=lambda r: r.id)]


class LoanImportTestCase(unittest.TestCase):
    "Test the historical import of loans and repayments"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_core')

    def setup_company(self):
        """A company with its loan product XF01, its fund account, an
        accountant who imports and the customer 孙建国"""
        self.company = create_cny_company()
        self.accountant = create_user(
            'accountant', self.company, ['group_accountant'],
            create_employee(self.company, "孙会计"))
        self.product = create_product(self.company)
        self.account = create_fund_account(self.company)
        self.customer = create_customer("孙建国", 1)
        return self.company

    def run_import(self, file, repayments=None, name='借据.csv',
            user=None):
        """Run the wizard as user (the accountant) on the files; return
        (the loans imported, the errors listed)"""
        Import = Pool().get('microloan.loan.import', type='wizard')
        with as_user(user or self.accountant):
            session_id, _, _ = Import.create()
            Import.execute(session_id, {}, 'start')
            data = {'file': file, 'file_name': name}
            if repayments is not None:
                data.update(repayments_file=repayments,
                    repayments_file_name='还款记录.csv')
            result = Import.execute(session_id, {'start': data}, 'import_')
            Import.delete(session_id)
        if 'view' in result:
            self.assertEqual(result['view']['state'], 'errors')
            return [], result['view']['defaults']['errors']
        (action, _), = result['actions']
        Loan = Pool().get('microloan.loan')
        return Loan.browse(action['res_id']), []

    def counts(self):
        pool = Pool()
        return {m: pool.get(m).search([], count=True) for m in MODELS}

    def by_hand(self, loans, repayments):
        return by_hand(
            self.company, self.product, self.account, loans, repayments)

    def figures(self, loan):
        "What servicing made of a loan: its repayments' allocations, balances"
        return {
            'state': loan.state,
            'schedule': [(i.due_date, i.principal, i.interest)
                for i in loan.installments],
            'allocations': allocations(loan),
            'balances': tuple(getattr(loan, n) for n in [
                    'principal_balance', 'interest_balance',
                    'penalty_balance', 'compound_balance', 'credit_balance']),
            }

    def assert_imported_as_by_hand(self, loans):
        "The imported loans have the figures of the same loans by hand"
        Loan = Pool().get('microloan.loan')
        imported = {l.original_number: l for l in loans}
        self.assertEqual(sorted(imported), ['JD-001', 'JD-002'])
        hand = self.by_hand(LOANS, REPAYMENTS)
        for number, loan in imported.items():
            with self.subTest(loan=number):
                self.assertEqual(
                    self.figures(Loan(loan.id)), self.figures(hand[number]))
        # the worked example of the servicing rules, to the fen
        first, last = sorted(imported['JD-001'].repayments, key=lambda r: r.id)
        self.assertEqual(
            (first.penalty, first.compound, first.interest, first.principal),
            (D('39.42'), D('5.00'), D('1000.00'), D('7840.46')))
        self.assertEqual((last.penalty, last.principal, last.credit),
            (D('0.23'), D('44.42'), D('0')))

    def assert_recorded(self, loans):
        "Customers, disbursements and repayments as the import records them"
        pool = Pool()
        Party = pool.get('party.party')
        Batch = pool.get('microloan.loan.import.batch')
        batch, = Batch.search([])
        self.assertEqual(batch.imported_user, self.accountant)
        for loan in loans:
            self.assertEqual(loan.state, 'active')
            self.assertEqual(loan.company, self.company)
            self.assertEqual(loan.product, self.product)
            disbursement, = [t for t in loan.transactions
                if t.kind == 'disbursement']
            self.assertEqual(disbursement.origin, batch)
            self.assertEqual(disbursement.fund_account, self.account)
            self.assertEqual(disbursement.amount, loan.principal)
            for repayment in loan.repayments:
                self.assertEqual(repayment.state, 'posted')
                self.assertEqual(repayment.posted_user, self.accountant)
                self.assertEqual(repayment.fund_account, self.account)
        # the customer on file is matched; the other one is filed
        by_number = {l.original_number: l for l in loans}
        self.assertEqual(by_number['JD-001'].borrower, self.customer)
        new = by_number['JD-002'].borrower
        self.assertEqual((new.name, new.customer_kind, new.resident_id),
            ("王秀英", 'individual', resident_id(2)))
        self.assertEqual(Party.search(
                [('resident_id', '=', resident_id(1))], count=True), 1)

    @with_transaction()
    def test_good_csv_files_import_as_posting_by_hand(self):
        "CSV files (loans in GBK) give the allocations made by hand"
        with set_company(self.setup_company()):
            loans, errors = self.run_import(
                csv_file(LOAN_HEADER, LOANS, 'gb18030'),
                csv_file(REPAYMENT_HEADER, REPAYMENTS))
            self.assertEqual(errors, [])
            self.assert_recorded(loans)
            self.assert_imported_as_by_hand(loans)

    @with_transaction()
    def test_good_workbook_imports_as_posting_by_hand(self):
        "A workbook with typed cells and Chinese labels gives the same"
        load_language('zh_CN')
        loans = replace(replace(LOANS, 1, '还款方式', '等额本金'),
            1, '计息方式', '按月计息')
        with set_company(self.setup_company()):
            imported, errors = self.run_import(
                workbook(loans, REPAYMENTS), name='历史借据.xlsx')
            self.assertEqual(errors, [])
            self.assert_recorded(imported)
            self.assert_imported_as_by_hand(imported)

    @with_transaction()
    def test_templates_import_their_example(self):
        "The templates downloaded hold one example row that imports"
        pool = Pool()
        Import = pool.get('microloan.loan.import', type='wizard')
        with set_company(self.setup_company()):
            with as_user(self.accountant):
                session_id, _, _ = Import.create()
                start = Import.execute(
                    session_id, {}, 'start')['view']['defaults']
            self.assertEqual(start['template_name'], '历史补录模板.xlsx')
            book = openpyxl.load_workbook(io.BytesIO(start['template']))
            self.assertEqual(book.sheetnames, ['借据', '还款记录'])
            self.assertEqual(
                [c.value for c in book['借据'][1]], LOAN_HEADER)
            self.assertEqual(
                [c.value for c in book['还款记录'][1]], REPAYMENT_HEADER)
            self.assertEqual(book['借据'].max_row, 2)
            self.assertEqual(book['还款记录'].max_row, 2)
            loans, errors = self.run_import(
                start['template'], name=start['template_name'])
            self.assertEqual(errors, [])
            loan, = loans
            repayment, = loan.repayments
            # an installment paid on its due date: no penalty
            first = loan.installments[0]
            self.assertEqual(repayment.date, first.due_date)
            self.assertEqual(
                (repayment.interest, repayment.principal, repayment.penalty),
                (first.interest, first.principal, D(0)))
            # the CSV templates hold the same example
            self.assertTrue(start['loans_template'].startswith(
                    '\ufeff原借据号,'.encode('utf-8')))
            _, errors = self.run_import(start['loans_template'],
                start['repayments_template'])
            self.assertEqual([e['column'] for e in errors], ['原借据号'])

    @with_transaction()
    def test_each_bad_input_is_refused_in_chinese_and_nothing_saved(self):
        "Each bad input: its Chinese message at its place, nothing written"
        load_language('zh_CN')
        good_loans = csv_file(LOAN_HEADER, LOANS)
        good_repayments = csv_file(REPAYMENT_HEADER, REPAYMENTS)

        def loan(index, column, value):
            "The files with one cell of the loans changed"
            return (csv_file(LOAN_HEADER,
                    replace(LOANS, index, column, value)), good_repayments)

        def repayment(index, column, value):
            "The files with one cell of the repayments changed"
            return (good_loans, csv_file(REPAYMENT_HEADER, replace(
                        REPAYMENTS, index, column, value, REPAYMENT_HEADER)))
        wrong_id = resident_id(2)[:-1] + (
            '0' if resident_id(2)[-1] != '0' else '1')
        not_a_file = [(None, None, None, '既不是 CSV 文件')]
        cases = [
            # (files, [(sheet, row, column, Chinese)])
            ((PNG, None), not_a_file),
            ((b'PK\x03\x04' + bytes(40), None), not_a_file),
            ((good_loans, PNG), not_a_file),
            ((csv_file(LOAN_HEADER[:-2] + ['备注'], [r[:-1] for r in LOANS]),
                    good_repayments),
                [('借据', 1, '资金账户', '缺少必填列“资金账户”'),
                    ('借据', 1, '备注', '不是工作表“借据”的列')]),
            (loan(1, '身份证号', wrong_id), [('借据', 3, '身份证号', '校验位')]),
            (loan(0, '产品代码', 'JY99'),
                [('借据', 2, '产品代码', '没有代码为“JY99”的有效贷款产品')]),
            (loan(0, '资金账户', '建行'),
                [('借据', 2, '资金账户', '账号或名称为“建行”')]),
            (loan(0, '年利率', '0.30'),
                [('借据', 2, '年利率', '不允许“年利率”为 30')]),
            (loan(0, '期限(月)', '48'), [('借据', 2, '期限(月)', '为 48')]),
            (loan(0, '放款日', '2026-02-30'),
                [('借据', 2, '放款日', '不是日期')]),
            (loan(0, '本金', '-100000'), [('借据', 2, '本金', '必须是大于零')]),
            (repayment(1, '还款金额', '0'),
                [('还款记录', 3, '还款金额', '必须是大于零')]),
            # 100.00 on 2026-03-20 leaves 55.35 over what was due
            (repayment(2, '还款金额', '100.00'),
                [('还款记录', 4, '还款金额', '55.35')]),
            (repayment(0, '还款日', '2026-01-30'),
                [('还款记录', 2, '还款日', '还款单“HK-001”的还款日期')]),
            (repayment(0, '原借据号', 'JD-009'),
                [('还款记录', 2, '原借据号', '“JD-009”不在工作表“借据”中')]),
            ]
        with set_company(self.setup_company()), \
                Transaction().set_context(language='zh_CN'):
            before = self.counts()
            for (file, repayments), expected in cases:
                with self.subTest(expected=expected):
                    loans, errors = self.run_import(file, repayments)
                    self.assertEqual(loans, [])
                    self.assertEqual(
                        [(e['sheet'], e['row'], e['column'])
                            for e in errors],
                        [e[:3] for e in expected])
                    for error, (*_, chinese) in zip(errors, expected):
                        self.assertIn(chinese, error['message'])
                    self.assertEqual(self.counts(), before)

    @with_transaction()
    def test_every_bad_row_is_listed(self):
        "A file with several bad rows lists each of them, in file order"
        load_language('zh_CN')
        loans = replace(replace(replace(LOANS + [
                        ['JD-001', '李强', resident_id(3), 'XF01', '20000',
                            '0.1', '2026-03-01', '3', '气球贷', 'month',
                            ACCOUNT_NUMBER, '']],
                    0, '本金', 'abc'), 1, '放款日', '2099-01-01'),
            1, '借款人姓名', '')
        repayments = REPAYMENTS + [
            ['JD-002', '', '100', '支付宝', '']]
        with set_company(self.setup_company()), \
                Transaction().set_context(language='zh_CN'):
            before = self.counts()
            _, errors = self.run_import(workbook(loans, repayments),
                name='历史借据.xlsx')
            self.assertEqual(
                [(e['sheet'], e['row'], e['column']) for e in errors], [
                    ('借据', 2, '本金'),
                    ('借据', 3, '借款人姓名'),
                    ('借据', 3, '放款日'),
                    ('借据', 4, '原借据号'),
                    ('借据', 4, '还款方式'),
                    ('还款记录', 5, '还款日'),
                    ('还款记录', 5, '还款渠道'),
                    ])
            self.assertIn('“abc”', errors[0]['message'])
            self.assertIn('已在第 2 行出现', errors[3]['message'])
            self.assertEqual(self.counts(), before)

    @with_transaction()
    def test_a_loan_is_imported_once(self):
        "The same original loan number imported again is refused"
        load_language('zh_CN')
        with set_company(self.setup_company()), \
                Transaction().set_context(language='zh_CN'):
            loans, _ = self.run_import(csv_file(LOAN_HEADER, LOANS[:1]))
            before = self.counts()
            _, errors = self.run_import(csv_file(LOAN_HEADER, LOANS))
            error, = errors
            self.assertEqual((error['row'], error['column']), (2, '原借据号'))
            self.assertIn(loans[0].number, error['message'])
            self.assertEqual(self.counts(), before)

    @with_transaction()
    def test_only_administration_and_accountants_import(self):
        "A loan officer or a cashier cannot start the import"
        pool = Pool()
        Import = pool.get('microloan.loan.import', type='wizard')
        with set_company(self.setup_company()):
            for group in ['group_loan_officer', 'group_cashier']:
                user = create_user(group, self.company, [group])
                with self.subTest(group=group), as_user(user):
                    with self.assertRaises(AccessError):
                        Import.create()
            admin = create_user('head', self.company, ['group_microloan_admin'])
            with as_user(admin):
                Import.create()
