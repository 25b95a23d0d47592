# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The printed voucher (docs/accounting.md, "Vouchers printed and
statements"): two vouchers printed at once, one posted by its steps and
one draft in red ink, read back with pdftotext."""
import datetime as dt
import unittest
from decimal import Decimal as D

from trytond.modules.company.tests import set_company
from trytond.modules.microloan_core.tests.report_tools import (
    compact, ensure_soffice, pdf_text, save_first_page)
from trytond.modules.microloan_core.tests.tools import create_cny_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction

from ..voucher_print import uppercase
from .test_statement_report import create_ledger, create_people, post, prepare


class VoucherPrintTestCase(unittest.TestCase):
    "The voucher printed in the Chinese layout"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_accounting')

    def test_uppercase_of_red_ink(self):
        "A total in red ink is written in capitals with 负 before it"
        self.assertEqual(uppercase(D('-200')), '负贰佰元整')
        self.assertEqual(uppercase(D('10800.50')), '壹万零捌佰元伍角')

    @with_transaction()
    def test_vouchers_print_one_to_a_page(self):
        "A posted receipt voucher (收款凭证) with its number, lines, total "
        "in capitals and the people of its steps, and a draft in red ink "
        "(付款凭证, 未记账) on the next page with only its preparer"
        pool = Pool()
        Party = pool.get('party.party')
        Company = pool.get('company.company')
        Report = pool.get('account.move.voucher.report', type='report')
        if not ensure_soffice():
            self.fail("LibreOffice (soffice) could not be installed")
        company = create_cny_company()
        with set_company(company):
            a = create_ledger(company)
            Company.write([company], {'microloan_voucher_scheme': 'split'})
            preparer, reviewer, cashier = create_people(company)
            borrower, = Party.create([{'name': "孙建国"}])
            date = dt.date(2026, 3, 10)
            received = prepare(company, preparer, date, "收回孙建国贷款本息", [
                    (a['1002'], None, D('10800.50'), D(0), "收到还款"),
                    (a['1303'], borrower, D(0), D('10000.00'),
                        "收回贷款本金"),
                    (a['6011'], None, D(0), D('800.50'), None),
                    ], attachments=2)
            red = prepare(company, preparer, date, "冲销多收利息", [
                    (a['1002'], None, D('-200.00'), D(0), None),
                    (a['6011'], None, D(0), D('-200.00'), None),
                    ])
            received, = post([received], reviewer, cashier)
            self.assertEqual(received.voucher_number, '收-202603-0001')
            oext, content, _, _ = Report.execute(
                [received.id, red.id], {'model': 'account.move'})
        self.assertEqual(oext, 'pdf')
        save_first_page(content, 'print-voucher')
        pages = [p for p in pdf_text(content).split('\f') if p.strip()]
        self.assertEqual(len(pages), 2)
        first, second = map(compact, pages)
        for value in ['收款凭证', '核算单位：' + compact(company.rec_name),
                '2026年3月10日', '收字第202603-0001号', '附单据2张',
                '摘要会计科目借方金额贷方金额',
                '收到还款1002银行存款10,800.50',
                '收回贷款本金1303贷款—孙建国10,000.00',
                # the line without a summary takes the voucher's
                '收回孙建国贷款本息6011利息收入800.50',
                '合计：人民币壹万零捌佰元伍角10,800.5010,800.50',
                '记账：李华审核：李华出纳：钱芳制单：张明']:
            self.assertIn(value, first)
        self.assertNotIn('未记账', first)
        for value in ['付款凭证', '付字未记账', '附单据0张',
                '冲销多收利息1002银行存款-200.00',
                '冲销多收利息6011利息收入-200.00',
                '合计：人民币负贰佰元整-200.00-200.00',
                '记账：审核：出纳：制单：张明']:
            self.assertIn(value, second)
        self.assertNotIn('收款凭证', second)
