# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The Excel export of a list: the columns the user sees in the list view,
headed in Chinese, with typed cells (amounts, rates, dates) in the order the
records were selected."""
import datetime as dt
import io
import re
import unittest
from decimal import Decimal as D

from trytond.pool import Pool
from trytond.model.exceptions import AccessError
from trytond.tests.test_tryton import activate_module, with_transaction

from ..exceptions import ExportError
from . import test_module
from .test_translations import load_language
from .tools import (
    as_user, create_customer, create_loan, create_staff, refused)

openpyxl = None
try:
    import openpyxl
except ImportError:
    pass

CJK = re.compile('[\u3400-\u9fff]')


def export(model, records, **data):
    "The workbook the Excel export of records makes, read back, and its name"
    Report = Pool().get('microloan.list.export', type='report')
    ext, content, _, name = Report.execute(
        [r.id for r in records], dict(data, model=model))
    assert ext == 'xlsx'
    return openpyxl.load_workbook(io.BytesIO(content)).active, name


@unittest.skipIf(openpyxl is None, "openpyxl reads the exported files")
class ExportTestCase(unittest.TestCase):
    "Test the Excel export of the suite's lists"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_core')

    def setup_loans(self):
        """A loan officer in a Chinese session and two loans of his
        customers; return the officer and the loans"""
        load_language('zh_CN')
        company = test_module.create_cny_company()
        officer, employee = create_staff(
            company, 'wangmin', "王敏", 'group_loan_officer')
        officer.language = Pool().get('ir.lang').get('zh_CN')
        officer.save()
        first = create_loan(company, create_customer("孙建国", 1, employee))
        second = create_loan(
            company, create_customer("李秀英", 2, employee),
            principal=D('1234567.89'), annual_rate=D('0.0435'),
            start_date=dt.date(2026, 3, 15))
        return officer, [first, second]

    @with_transaction()
    def test_loans_export_with_the_list_columns_typed(self):
        "借据 as the officer sees them: Chinese headers, numbers, dates"
        officer, (first, second) = self.setup_loans()
        with as_user(officer, preferences=True):
            sheet, name = export('microloan.loan', [second, first])
        header = [c.value for c in sheet[1]]
        self.assertTrue(all(CJK.search(h) for h in header), header)
        for string in ['借据号', '借款人', '本金', '年利率', '起息日']:
            self.assertIn(string, header)
        self.assertLess(header.index('借据号'), header.index('本金'))
        self.assertLess(header.index('本金'), header.index('起息日'))
        # 公司 is an optional column hidden by default
        self.assertNotIn('公司', header)
        self.assertEqual(sheet.max_row, 3)
        self.assertTrue(name.startswith('借据-'), name)

        row = dict(zip(header, sheet[2]))
        self.assertEqual(row['借款人'].value, "李秀英")
        principal = row['本金']
        self.assertEqual(principal.data_type, 'n')
        self.assertEqual(principal.value, 1234567.89)
        self.assertEqual(principal.number_format, '#,##0.00')
        rate = row['年利率']
        self.assertEqual(rate.value, 0.0435)
        self.assertTrue(rate.number_format.startswith('0.00'))
        self.assertTrue(rate.number_format.endswith('%'))
        start = row['起息日']
        self.assertEqual(start.value, dt.datetime(2026, 3, 15))
        self.assertTrue(start.is_date)
        self.assertEqual(start.number_format, 'yyyy-mm-dd')
        self.assertEqual(row['还款方式'].value, "等额本息")
        self.assertEqual(row['状态'].value, "草稿")
        self.assertEqual(dict(zip(header, sheet[3]))['借款人'].value, "孙建国")

    @with_transaction()
    def test_fields_of_the_export_dialog_typed(self):
        "The fields chosen in the client's export dialog, typed"
        officer, (first, second) = self.setup_loans()
        with as_user(officer, preferences=True):
            sheet, _ = export('microloan.loan', [first, second], fields=[
                    'number', 'borrower', 'borrower/name', 'principal',
                    'annual_rate', 'start_date', 'state.translated'])
        header = [c.value for c in sheet[1]]
        self.assertEqual(header[:6],
            ['借据号', '借款人', '借款人/名称', '本金', '年利率', '起息日'])
        self.assertTrue(CJK.search(header[6]), header)
        row = [c for c in sheet[3]]
        self.assertEqual([c.value for c in row[:3]], [
                second.number, "李秀英", "李秀英"])
        self.assertEqual(row[3].value, 1234567.89)
        self.assertEqual(row[3].number_format, '#,##0.00')
        # a rate keeps the percentage of its column in the list
        self.assertEqual(row[4].value, 0.0435)
        self.assertTrue(row[4].number_format.endswith('%'))
        self.assertEqual(row[5].value, dt.datetime(2026, 3, 15))
        self.assertTrue(row[5].is_date)
        self.assertEqual(row[6].value, "草稿")

    @with_transaction()
    def test_optional_columns_follow_the_user_choice(self):
        "The columns the user chose to show or hide in the list"
        pool = Pool()
        Loan = pool.get('microloan.loan')
        TreeOptional = pool.get('ir.ui.view_tree_optional')
        officer, loans = self.setup_loans()
        view_id = Loan.fields_view_get(view_type='tree')['view_id']
        with as_user(officer, preferences=True):
            # the value stored is whether the column is hidden
            TreeOptional.set_optional(
                view_id, {'company': False, 'method': True})
            sheet, _ = export('microloan.loan', loans)
        header = [c.value for c in sheet[1]]
        self.assertIn('公司', header)
        self.assertNotIn('还款方式', header)

    @with_transaction()
    def test_text_is_never_written_as_a_formula(self):
        "A name that looks like a formula stays text in the cell"
        Party = Pool().get('party.party')
        officer, loans = self.setup_loans()
        Party.write([loans[0].borrower], {'name': '=HYPERLINK("x","y")'})
        with as_user(officer, preferences=True):
            sheet, _ = export('microloan.loan', loans[:1])
        header = [c.value for c in sheet[1]]
        cell = sheet.cell(2, header.index('借款人') + 1)
        self.assertEqual(cell.data_type, 's')
        self.assertEqual(cell.value, '=HYPERLINK("x","y")')

    @with_transaction()
    def test_export_of_no_record_is_refused(self):
        "Exporting with no row selected says to select rows"
        officer, _ = self.setup_loans()
        with as_user(officer, preferences=True):
            with refused(self, ExportError) as context:
                export('microloan.loan', [])
        self.assertIn('勾选', context.exception.message)

    @with_transaction()
    def test_export_of_loans_of_another_officer_is_refused(self):
        "The export reads only what the user may read"
        pool = Pool()
        User = pool.get('res.user')
        officer, loans = self.setup_loans()
        company = officer.company
        other, _ = create_staff(
            company, 'zhaogang', "赵刚", 'group_loan_officer')
        with as_user(User(other.id)):
            with refused(self, AccessError):
                export('microloan.loan', loans)

    @with_transaction()
    def test_suite_lists_offer_the_excel_export_in_print_menu(self):
        "借据, 业务申请, 客户... have 导出Excel in their print menu"
        pool = Pool()
        officer, _ = self.setup_loans()
        with as_user(officer, preferences=True):
            for model in ['microloan.loan', 'microloan.application',
                    'microloan.contract', 'party.party',
                    'microloan.loan.installment',
                    'microloan.loan.transaction',
                    'microloan.approval.request.step']:
                Model = pool.get(model)
                names = [a['name'] for a in Model.view_toolbar_get()['print']]
                self.assertIn("导出Excel", names, model)
