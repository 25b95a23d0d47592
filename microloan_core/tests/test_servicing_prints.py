# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The servicing prints rendered for real and read back with pdftotext: the
repayment receipt (还款回执), the settlement certificate (结清证明) and the
overdue notice (催收通知书), on the worked example of docs/servicing.md,
and their refusals.  Each keeps a picture of its first page in
var/test-artifacts."""
import datetime as dt
import json
import unittest
from contextlib import contextmanager
from decimal import Decimal as D
from pathlib import Path
from unittest import mock

from trytond.i18n import gettext
from trytond.modules.company.tests import set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from ..exceptions import ServicingPrintError
from ..printing import cn_datetime
from . import test_prints
from .report_tools import compact, ensure_soffice
from .test_translations import placeholders
from .tools import as_user as acting
from .tools import (
    create_fund_account, create_loan, create_product, create_staff, disburse)

GLOSSARY = (Path(__file__).resolve().parents[2]
    / 'scripts' / 'glossary' / 'servicing_prints.json')
FUND_ACCOUNT = '0200001009014412345'
FUND_BANK = "中国工商银行杭州西湖支行"
# The print's refusals, whose Chinese the glossary gives
REFUSALS = ['msg_settlement_certificate_not_closed',
    'msg_overdue_notice_loan_state', 'msg_overdue_notice_nothing_overdue']


def today_is(date):
    "Make the company's today (ir.date) be date"
    return mock.patch.object(
        Pool().get('ir.date'), 'today', return_value=date)


class ServicingPrintsTestCase(unittest.TestCase):
    "The servicing prints of a loan and of its repayments, in Chinese"

    # the company, its borrower and the way a print is read: the prints'
    setup_company = test_prints.PrintsTestCase.setup_company
    render = test_prints.PrintsTestCase.render
    assertChineseOnly = test_prints.PrintsTestCase.assertChineseOnly
    assertRow = test_prints.PrintsTestCase.assertRow
    create_draft_loan = test_prints.PrintsTestCase.create_loan

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_core')

    def setUp(self):
        if not ensure_soffice():
            self.fail("LibreOffice (soffice) could not be installed")

    @contextmanager
    def loan_of_company(self, **terms):
        """Within the company: the worked example's loan of its borrower
        (100,000.00 at 12 %, 12 equal installments from 2026-01-31, terms
        overriding) disbursed; a cashier, an accountant and the fund
        account repayments come into"""
        company = self.company = self.setup_company()
        with set_company(company):
            self.cashier, _ = create_staff(
                company, 'cashier', "钱芳", 'group_cashier')
            self.accountant, _ = create_staff(
                company, 'accountant', "孙会计", 'group_accountant')
            self.account = create_fund_account(
                company, bank_name=FUND_BANK, account_number=FUND_ACCOUNT)
            self.loan = disburse(create_loan(company, self.borrower,
                    product=create_product(company).id, **terms))
            self.assertEqual(self.loan.state, 'active')
            yield self.loan

    def repay(self, date, amount, post=True, **values):
        "A repayment of the loan entered, and posted, by the cashier"
        Repayment = Pool().get('microloan.loan.repayment')
        with acting(self.cashier):
            repayment, = Repayment.create([dict({
                            'loan': self.loan.id,
                            'date': date,
                            'amount': amount,
                            'fund_account': self.account.id,
                            'channel': 'transfer',
                            'payer': "孙建国",
                            }, **values)])
            if post:
                Repayment.post([repayment])
        return Repayment(repayment.id)

    def render_receipt(self, repayment, artifact):
        return self.render('microloan.loan.repayment.receipt.report',
            repayment, artifact)

    @with_transaction()
    def test_receipt_prints_amount_allocation_and_principal_left(self):
        "还款回执: the amount in figures and capitals, where it went, the "
        "principal left after it (not after a later one of the same day) "
        "and who received it"
        with self.loan_of_company():
            first = self.repay(dt.date(2026, 3, 10), D('8884.88'),
                reference='HX20260310001')
            second = self.repay(dt.date(2026, 3, 10), D('1000.00'),
                channel='cash')
            text = self.render_receipt(first, 'print-repayment-receipt')
            later = self.render_receipt(second, 'print-repayment-receipt-2')
        flat = compact(text)
        self.assertChineseOnly(text, '还款回执')
        self.assertNotIn('草稿', flat)
        self.assertNotIn('已冲销', flat)
        for value in ["华信小额贷款股份有限公司", '杭州市上城区解放路8号',
                '057188886666', "孙建国", self.borrower.resident_id,
                first.number, self.loan.number, '2026年3月10日', '银行转账',
                "工行基本户", FUND_BANK, FUND_ACCOUNT, 'HX20260310001',
                '人民币捌仟捌佰捌拾肆元捌角捌分', '¥8,884.88', '已入账',
                '钱芳']:
            self.assertIn(value, flat)
        self.assertRow(text, '付款人', "孙建国", '凭证号', 'HX20260310001')
        # fees, penalty, compound, interest, principal, credit and total
        self.assertRow(text, '费用', '罚息', '复利', '利息', '本金',
            '转客户挂账', '合计')
        self.assertRow(text, '0.00', '39.42', '5.00', '1,000.00',
            '7,840.46', '0.00', '8,884.88')
        self.assertIn('本次还款后剩余本金：¥92,159.54', flat)
        self.assertIn('共1页', flat)
        self.assertRow(text, '收款人：钱芳', '入账时间：' + cn_datetime(
                first.posted_at, self.company.timezone))
        # the second payment of the day: the rest of installment 1, then
        # the customer's credit (installment 2 is not due)
        flat = compact(later)
        self.assertIn('人民币壹仟元整', flat)
        self.assertIn('现金', flat)
        self.assertRow(later, '0.00', '0.00', '0.00', '0.00', '44.42',
            '955.58', '1,000.00')
        self.assertIn('本次还款后剩余本金：¥92,115.12', flat)

    @with_transaction()
    def test_draft_and_reversed_receipts_are_watermarked(self):
        "A draft prints 草稿 and no allocation; a reversed one 已冲销 with "
        "who reversed it and when"
        Repayment = Pool().get('microloan.loan.repayment')
        with self.loan_of_company():
            draft = self.repay(dt.date(2026, 3, 10), D('500.00'), post=False)
            draft_text = self.render_receipt(
                draft, 'print-repayment-receipt-draft')
            reversed_ = self.repay(dt.date(2026, 3, 10), D('8884.88'))
            with acting(self.accountant):
                Repayment.reverse([reversed_])
            reversed_ = Repayment(reversed_.id)
            reversed_text = self.render_receipt(
                reversed_, 'print-repayment-receipt-reversed')
        flat = compact(draft_text)
        self.assertChineseOnly(draft_text, '还款回执')
        self.assertIn('草稿', flat)
        self.assertIn('人民币伍佰元整', flat)
        self.assertIn('本还款单尚未入账', flat)
        self.assertNotIn('剩余本金', flat)
        self.assertNotIn('39.42', flat)
        flat = compact(reversed_text)
        self.assertChineseOnly(reversed_text, '还款回执')
        self.assertIn('已冲销', flat)
        self.assertNotIn('草稿', flat)
        self.assertNotIn('剩余本金', flat)
        self.assertIn('钱芳', flat)
        self.assertIn('于%s由孙会计冲销，本回执作废' % compact(cn_datetime(
                    reversed_.reversed_at, self.company.timezone)), flat)

    @with_transaction()
    def test_settlement_certificate_prints_what_was_paid(self):
        "结清证明: the loan, the day it settled and the principal, interest, "
        "penalty and compound interest paid, certified with the seal line"
        pool = Pool()
        Loan = pool.get('microloan.loan')
        Date = pool.get('ir.date')
        with self.loan_of_company(term_months=3):
            first, second, last = self.loan.installments
            self.repay(first.due_date, first.total)
            self.repay(second.due_date, second.total)
            # two days late: 2 days of penalty on 33,665.56 and of compound
            # interest on 336.66 at 18 % / 360
            late = last.due_date + dt.timedelta(days=2)
            with Transaction().set_context(servicing_date=late):
                payoff = Loan(self.loan.id).payoff_amount
            self.assertEqual(payoff, D('34002.22') + D('33.67') + D('0.34'))
            self.repay(late, payoff)
            loan = Loan(self.loan.id)
            self.assertEqual(loan.state, 'closed')
            text = self.render('microloan.loan.settlement.report', loan,
                'print-settlement-certificate')
            today = Date.today()
        flat = compact(text)
        self.assertChineseOnly(text, '结清证明')
        for value in ["孙建国", self.borrower.resident_id, loan.number,
                '¥100,000.00', '12.00%', '人民币壹拾万元整',
                '已于2026年5月2日全部还清', '借款已结清', '特此证明',
                '出具单位（盖章）：华信小额贷款股份有限公司',
                '出具日期：%d年%d月%d日' % (
                    today.year, today.month, today.day)]:
            self.assertIn(value, flat)
        self.assertRow(text, '放款日（起息日）', '2026年1月31日',
            '到期日', '2026年4月30日')
        self.assertRow(text, '结清日期', '2026年5月2日')
        self.assertRow(text, '已还本金', '100,000.00', '已还利息', '2,006.64')
        self.assertRow(text, '已还罚息', '33.67', '已还复利', '0.34')
        self.assertRow(text, '已还费用', '0.00', '还款合计', '102,040.65')
        self.assertNotIn('减免', flat)
        self.assertNotIn('客户挂账', flat)

    @with_transaction()
    def test_settlement_certificate_refused_for_a_loan_not_closed(self):
        "Only a closed loan is certified settled: a draft or active one is "
        "refused, naming the loan and its state"
        pool = Pool()
        Loan = pool.get('microloan.loan')
        with self.loan_of_company():
            draft = self.create_draft_loan(self.company)
            for loan in [self.loan, draft]:
                with self.subTest(state=loan.state), self.assertRaises(
                        ServicingPrintError) as refusal:
                    self.render('microloan.loan.settlement.report',
                        Loan(loan.id), 'unused')
                self.assertIn(loan.number, refusal.exception.message)
                self.assertIn(loan.state_string, refusal.exception.message)

    @with_transaction()
    def test_overdue_notice_prints_each_due_item_and_where_to_pay(self):
        "催收通知书 on 2026-04-10 after the worked example's first "
        "repayment: the rest of installment 1 and installment 2 with their "
        "penalty and compound interest to the fen, 41 days past due, pay "
        "within 7 days into the company's account"
        Loan = Pool().get('microloan.loan')
        with self.loan_of_company(), today_is(dt.date(2026, 4, 10)):
            self.repay(dt.date(2026, 3, 10), D('8884.88'))
            loan = Loan(self.loan.id)
            text = self.render('microloan.loan.overdue_notice.report', loan,
                'print-overdue-notice')
            with Transaction().set_context(
                    servicing_date=dt.date(2026, 4, 10)):
                self.assertEqual(Loan(loan.id).amount_due, D('8974.42'))
        flat = compact(text)
        self.assertChineseOnly(text, '催收通知书')
        for value in ["孙建国", self.borrower.resident_id,
                compact(test_prints.ADDRESS), loan.number,
                '通知日期：2026年4月10日', '最早一期已逾期41天',
                '人民币捌仟玖佰柒拾肆元肆角贰分（¥8,974.42）',
                '请您于2026年4月17日前', "华信小额贷款股份有限公司",
                '电话：057188886666', '客户经理：王晓明', '送达回执']:
            self.assertIn(value, flat)
        # penalty on installment 1: 0.18 / 360 x (10 x 7,884.88 + 31 x
        # 44.42) = 40.11, of which 39.42 paid; installment 2 (7,963.73 +
        # 921.15) 10 days late: penalty 39.82, compound 4.61
        self.assertRow(text, '期次', '到期日', '逾期天数', '本金', '利息',
            '费用', '罚息', '复利', '合计')
        self.assertRow(text, '1', '2026年2月28日', '41', '44.42', '0.00',
            '0.00', '0.69', '0.00', '45.11')
        self.assertRow(text, '2', '2026年3月31日', '10', '7,963.73',
            '921.15', '0.00', '39.82', '4.61', '8,929.31')
        self.assertRow(text, '合计', '8,008.15', '921.15', '0.00', '40.51',
            '4.61', '8,974.42')
        self.assertNotIn('2026年4月30日', flat)
        self.assertIn('共1页', flat)
        self.assertRow(text, "华信小额贷款股份有限公司", FUND_BANK,
            FUND_ACCOUNT)

    @with_transaction()
    def test_overdue_notice_refused_without_anything_overdue(self):
        "No notice for a loan not active, nor on the due date itself (due, "
        "not yet overdue), nor once the overdue items are paid"
        Loan = Pool().get('microloan.loan')
        report = 'microloan.loan.overdue_notice.report'
        with self.loan_of_company():
            draft = self.create_draft_loan(self.company)
            with self.assertRaises(ServicingPrintError) as refusal:
                self.render(report, Loan(draft.id), 'unused')
            self.assertIn(draft.state_string, refusal.exception.message)
            for today in [dt.date(2026, 2, 28), dt.date(2026, 3, 20)]:
                with self.subTest(today=today), today_is(today):
                    if today == dt.date(2026, 3, 20):
                        self.repay(dt.date(2026, 3, 10), D('8884.88'))
                        self.repay(dt.date(2026, 3, 20), D('100.00'))
                    with self.assertRaises(ServicingPrintError) as refusal:
                        self.render(report, Loan(self.loan.id), 'unused')
                    self.assertIn(self.loan.number, refusal.exception.message)

    @with_transaction()
    def test_refusals_have_their_chinese_in_the_glossary(self):
        "The maintainer's zh_CN.po takes the refusals' Chinese from the "
        "glossary, their placeholders kept"
        glossary = json.loads(GLOSSARY.read_text())
        with Transaction().set_context(language='en'):
            for name in REFUSALS:
                with self.subTest(message=name):
                    text = gettext('microloan_core.%s' % name)
                    self.assertIn(text, glossary)
                    self.assertEqual(
                        placeholders(glossary[text]), placeholders(text))
