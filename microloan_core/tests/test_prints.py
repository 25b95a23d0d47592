# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The PDFs a counter hands out, rendered for real (relatorio, LibreOffice)
and read back with pdftotext: the contract, the loan receipt (借据), the
repayment schedules, the disbursement notice, the approval form and the
disclosure of the annualised cost.  Each keeps a picture of its first page
in var/test-artifacts."""
import unittest
import xml.etree.ElementTree as ET
from decimal import Decimal as D
from pathlib import Path

from trytond.modules.company.tests import create_employee, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from ..printing import cn_datetime, money, rate, rmb_uppercase
from . import test_module
from .report_tools import (
    compact, english_words, ensure_soffice, pdf_text, save_first_page)
from .test_approval import act, committee_step, create_flow, group_step
from .test_contract import product_with_fees, sign_contract
from .test_translations import load_language
from .tools import (
    create_application, create_contract, create_customer, create_product,
    create_staff, create_user)

TEMPLATES = sorted(Path(__file__).resolve().parents[1].glob('*.fodt'))
TEXT = '{urn:oasis:names:tc:opendocument:xmlns:text:1.0}'
ADDRESS = "杭州市西湖区文三路 100 号"
PHONE = '13812345678'
BANK = "中国工商银行杭州西湖支行"
ACCOUNT = '6222021202012345678'


class PrintsTestCase(unittest.TestCase):
    "The prints of the suite's documents, in Chinese"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_core')

    def test_templates_are_written_in_chinese_only(self):
        "The text of every template, its expressions aside, has no English"
        self.assertGreaterEqual(len(TEMPLATES), 7)
        for path in TEMPLATES:
            with self.subTest(template=path.name):
                root = ET.parse(path).getroot()
                for placeholder in root.iter(TEXT + 'placeholder'):
                    placeholder.text = ''
                text = ''.join(
                    ''.join(p.itertext()) for p in root.iter(TEXT + 'p'))
                self.assertIn('页', text)
                self.assertEqual(english_words(text), [])

    def setUp(self):
        if not ensure_soffice():
            self.fail("LibreOffice (soffice) could not be installed")

    def setup_company(self):
        """A company whose party has its address and phone, the labels in
        Chinese, a loan officer and a borrower with his address, mobile
        and bank account"""
        pool = Pool()
        Party = pool.get('party.party')
        load_language('zh_CN')
        company = test_module.create_cny_company()
        company.microloan_net_assets = D('10000000.00')
        company.save()
        Party.write([company.party], {
                'name': "华信小额贷款股份有限公司",
                'addresses': [('create', [{'street': "杭州市上城区解放路 8 号"}])],
                'contact_mechanisms': [('create', [{
                                'type': 'phone', 'value': '057188886666'}])],
                })
        self.officer_employee = create_employee(company, "王晓明")
        self.officer = create_user(
            'wangxm', company, ['group_loan_officer'], self.officer_employee)
        self.borrower = create_customer(
            "孙建国", 1, officer=self.officer_employee,
            addresses=[('create', [{'street': ADDRESS}])],
            contact_mechanisms=[('create', [{
                            'type': 'mobile', 'value': PHONE}])],
            bank_account_bank=BANK, bank_account_number=ACCOUNT)
        return company

    def render(self, report_name, record, artifact):
        """Render the print report_name of record as the PDF a user gets;
        return its text (layout kept) and keep its first page"""
        Report = Pool().get(report_name, type='report')
        extension, content, _, name = Report.execute(
            [record.id], {'model': record.__name__})
        self.assertEqual(extension, 'pdf')
        self.assertTrue(bytes(content).startswith(b'%PDF'))
        save_first_page(content, artifact)
        return pdf_text(content)

    def assertChineseOnly(self, text, title):
        "Title printed once (the page header aside), no English word"
        self.assertEqual(english_words(text), [])
        lines = [l.strip() for l in text.splitlines()]
        self.assertEqual(lines.count(title), 1, text)

    def assertRow(self, text, *cells):
        "One printed line carries every cell: the row is not wrapped"
        for line in text.splitlines():
            if all(compact(c) in compact(line) for c in cells):
                return
        self.fail("no line with %s in\n%s" % (cells, text))

    def assertParty(self, text):
        "The borrower's full details"
        flat = compact(text)
        for value in [self.borrower.name, self.borrower.resident_id,
                compact(ADDRESS), PHONE, BANK, ACCOUNT]:
            self.assertIn(value, flat)

    @with_transaction()
    def test_draft_contract_prints_watermark_parties_and_whole_rows(self):
        "A draft contract: 草稿 across it, both parties' details, one title "
        "and schedule rows that fit the page"
        company = self.setup_company()
        with set_company(company):
            contract = create_contract(
                self.borrower, product_with_fees(company),
                purpose="购置经营设备")
            text = self.render(
                'microloan.contract.report', contract, 'print-contract-draft')
        flat = compact(text)
        self.assertChineseOnly(text, '借款合同')
        self.assertIn('草稿', flat)
        self.assertParty(text)
        for value in ["华信小额贷款股份有限公司", '杭州市上城区解放路8号',
                '057188886666', '壹拾万元整', '100,000.00', '12.00%',
                '18.00%', '购置经营设备', contract.number]:
            self.assertIn(value, flat)
        # the worked example (docs/schedule-rules.md), one line a row
        self.assertRow(text, '2026年2月28日', '7,884.88', '1,000.00',
            '8,884.88', '92,115.12')
        self.assertRow(text, '2027年1月31日', '8,796.88', '87.97',
            '8,884.85', '0.00')

    @with_transaction()
    def test_signed_contract_has_no_watermark(self):
        company = self.setup_company()
        witness = create_employee(company, "李娟")
        with set_company(company):
            contract = sign_contract(create_contract(
                    self.borrower, product_with_fees(company)),
                self.officer, witness)
            text = self.render(
                'microloan.contract.report', contract, 'print-contract')
        self.assertChineseOnly(text, '借款合同')
        self.assertNotIn('草稿', compact(text))
        self.assertIn('李娟', compact(text))

    def create_loan(self, company, **values):
        "The worked example's loan of the borrower, its schedule computed"
        Loan = Pool().get('microloan.loan')
        loan = test_module.create_loan(
            company, borrower=self.borrower.id, **values)
        Loan.compute_schedule([loan])
        return Loan(loan.id)

    @with_transaction()
    def test_loan_receipt_prints_amount_in_capitals_and_terms(self):
        "借据: 大写 and figures, rate, term, dates, totals, signature lines"
        company = self.setup_company()
        with set_company(company):
            loan = self.create_loan(company)
            text = self.render(
                'microloan.loan.receipt.report', loan, 'print-loan-receipt')
        flat = compact(text)
        self.assertChineseOnly(text, '借据')
        self.assertParty(text)
        for value in ['人民币壹拾万元整', '¥100,000.00', '12.00%', '12个月',
                '2026年1月31日', '2027年1月31日', '等额本息',
                '利息合计¥6,618.53', '应还本息合计¥106,618.53',
                '借款人签字（捺印）', loan.number, '草稿']:
            self.assertIn(value, flat)

    @with_transaction()
    def test_loan_schedule_prints_every_installment_and_totals(self):
        company = self.setup_company()
        with set_company(company):
            loan = self.create_loan(company)
            text = self.render(
                'microloan.loan.schedule.report', loan, 'print-loan-schedule')
        self.assertChineseOnly(text, '还款计划表')
        for line in loan.installments:
            self.assertRow(text, '%s年%s月%s日' % (line.due_date.year,
                    line.due_date.month, line.due_date.day),
                money(line.principal), money(line.interest),
                money(line.total), money(line.balance))
        self.assertRow(text, '合计', '100,000.00', '6,618.53', '106,618.53')

    @with_transaction()
    def test_disbursement_notice_prints_accounts_and_approvals(self):
        pool = Pool()
        Disbursement = pool.get('microloan.disbursement')
        FundAccount = pool.get('microloan.fund_account')
        company = self.setup_company()
        approver, _ = create_staff(company, 'approver', "赵丽", 'group_approver')
        with set_company(company):
            account, = FundAccount.create([{
                        'company': company.id, 'name': "工行基本户",
                        'kind': 'bank', 'bank_name': "中国工商银行杭州分行",
                        'account_number': '1202020209000012345',
                        'currency': company.currency.id,
                        }])
            loan = self.create_loan(
                company, product=create_product(company).id,
                principal=D('123456.78'))
            with Transaction().set_user(self.officer.id):
                disbursement, = Disbursement.create([{
                            'company': company.id, 'loan': loan.id,
                            'amount': loan.principal}])
                Disbursement.request([disbursement])
            requested = self.render('microloan.disbursement.notice.report',
                disbursement, 'print-disbursement-requested')
            with Transaction().set_user(approver.id):
                Disbursement.approve([disbursement])
            Disbursement.write([disbursement], {'fund_account': account.id})
            text = self.render('microloan.disbursement.notice.report',
                disbursement, 'print-disbursement-notice')
        self.assertIn('草稿', compact(requested))
        flat = compact(text)
        self.assertChineseOnly(text, '放款通知书')
        self.assertNotIn('草稿', flat)
        for value in ['人民币壹拾贰万叁仟肆佰伍拾陆元柒角捌分', '¥123,456.78',
                BANK, ACCOUNT, '1202020209000012345', "中国工商银行杭州分行",
                loan.number, disbursement.number]:
            self.assertIn(value, flat)
        self.assertRow(text, '付款账号', '1202020209000012345')
        self.assertRow(text, '放款申请', '王晓明')
        self.assertRow(text, '放款审批', '赵丽')

    @with_transaction()
    def test_approval_form_prints_every_step_and_decision(self):
        "Each action of the history: who, what and the opinion; the "
        "committee's ballots once closed"
        Application = Pool().get('microloan.application')
        company = self.setup_company()
        approver, _ = create_staff(company, 'approver', "张伟", 'group_approver')
        members = [create_staff(company, login, name, 'group_approver')[0]
            for login, name in [('m1', "周一"), ('m2', "吴二"), ('m3', "郑三")]]
        # the engine records its texts (the tally) in the actor's language
        with set_company(company), Transaction().set_context(
                language='zh_CN'):
            create_flow(company, [
                    group_step("风险审查", 'group_risk_officer'),
                    committee_step("审贷会", members, 3, 2)],
                name="贷款审批", model='microloan.application')
            risk, _ = create_staff(
                company, 'risk', "李强", 'group_risk_officer')
            application = self.create_application(company)
            with Transaction().set_user(self.officer.id):
                Application.submit([application])
            Application.write([application], {
                    'risk_level': 'medium', 'risk_opinion': "经营稳定，还款来源充足"})
            with Transaction().set_user(risk.id):
                Application.assess_risk([application])
            request = Application(application.id).approval_request
            act(risk, 'approve', request, "同意提交审贷会")
            for member, decision in zip(members,
                    ['approve', 'approve', 'reject']):
                act(member, 'vote', request, decision, "%s的意见" % member.name)
            application = Application(application.id)
            self.assertEqual(application.state, 'approved')
            text = self.render('microloan.application.approval.report',
                application, 'print-approval-form')
        flat = compact(text)
        self.assertChineseOnly(text, '贷款审批表')
        for value in ['人民币壹拾万元整', '经营稳定，还款来源充足', '李强',
                '赞成2票，反对1票', application.number]:
            self.assertIn(value, flat)
        when = cn_datetime(application.approval_actions[1].date)
        self.assertRow(text, when, '风险审查', '李强', '批准', '同意提交审贷会')
        self.assertRow(text, '审贷会', '周一', '投票：批准', '周一的意见')
        self.assertRow(text, '审贷会', '郑三', '投票：否决', '郑三的意见')

    def create_application(self, company, **values):
        return create_application(
            company, self.borrower, product_with_fees(company), **values)

    @with_transaction()
    def test_application_prints_its_preview_and_cost_disclosure(self):
        "The preview's rows and the cost stored with it, fees included; "
        "no watermark once approved"
        Application = Pool().get('microloan.application')
        company = self.setup_company()
        with set_company(company):
            application = self.create_application(company)
            # no approval flow: approved on submission, with its preview
            with Transaction().set_user(self.officer.id):
                Application.submit([application])
            application = Application(application.id)
            self.assertEqual(application.state, 'approved')
            schedule = self.render('microloan.application.schedule.report',
                application, 'print-application-schedule')
            text = self.render('microloan.application.cost.report',
                application, 'print-cost-disclosure')
        self.assertChineseOnly(schedule, '还款计划表（测算）')
        self.assertRow(schedule, '2026年2月28日', '7,884.88', '1,000.00',
            '8,884.88')
        self.assertRow(schedule, '合计', '100,000.00', '6,618.53',
            '106,618.53')
        flat = compact(text)
        self.assertNotIn('草稿', flat)
        self.assertChineseOnly(text, '综合年化成本告知书')
        self.assertRow(text, '评审费', '签约时收取', '500.00')
        self.assertRow(text, '服务费', '放款时收取', '1,000.00')
        self.assertRow(text, '利息合计', '6,618.53')
        self.assertRow(text, '签约及放款时收取的费用', '1,500.00')
        self.assertRow(text, '融资总成本', '8,118.53')
        self.assertRow(text, '应付总额', '108,118.53')
        self.assertRow(text, '单利', rate(application.apr_simple))
        self.assertRow(text, '复利', rate(application.apr_compound))
        self.assertIn(rmb_uppercase(D('100000')), flat)

    @with_transaction()
    def test_contract_cost_disclosure_is_the_stored_cost(self):
        company = self.setup_company()
        with set_company(company):
            contract = create_contract(
                self.borrower, product_with_fees(company))
            text = self.render('microloan.contract.cost.report', contract,
                'print-contract-cost')
        self.assertChineseOnly(text, '综合年化成本告知书')
        self.assertRow(text, '单利', rate(contract.annualized_cost))
        self.assertIn(contract.number, compact(text))
        self.assertIn('草稿', compact(text))
