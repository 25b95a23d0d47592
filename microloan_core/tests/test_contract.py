# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import re
import shutil
import subprocess
import tempfile
import unittest
from decimal import Decimal as D
from pathlib import Path

from trytond.model.exceptions import AccessButtonError
from trytond.modules.company.tests import create_employee, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from ..printing import rmb_uppercase
from ..exceptions import (
    ContractDrawdownError, ContractError, ProductTermsError,
    WorkflowTransitionError)
from . import test_module
from .report_tools import ensure_soffice
from .tools import (
    JPEG, PNG, as_user, attach, create_contract, create_customer, create_loan,
    create_product, create_user, refused)


def product_with_fees(company):
    "个人消费贷 with a 500.00 review fee at signing, 1 % at disbursement"
    return create_product(company, fees=[('create', [{
                        'kind': 'review',
                        'computation': 'fixed',
                        'amount': D('500.00'),
                        'charged': 'signing',
                        }, {
                        'kind': 'service',
                        'computation': 'percentage',
                        'rate': D('0.01'),
                        'charged': 'disbursement',
                        }])])


def sign_contract(contract, officer, witness):
    """Submit as officer, review as the administrator, record the face-sign
    with a photo; return the signed contract"""
    Contract = Pool().get('microloan.contract')
    with Transaction().set_user(officer.id):
        Contract.submit([contract])
    Contract.review([contract])
    Contract.write([contract], {
            'sign_date': dt.date(2026, 1, 30),
            'sign_place': "杭州市西湖区文三路 100 号",
            'witness': witness.id,
            })
    attach(contract, 'face_sign.jpg', JPEG)
    Contract.sign([contract])
    return Contract(contract.id)


class ContractTestCase(unittest.TestCase):
    "Test loan contracts, their drawdowns and their PDF"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_core')

    def setup_parties(self):
        company = test_module.create_cny_company()
        officer_employee = create_employee(company, "王晓明")
        officer = create_user(
            'wangxm', company, ['group_loan_officer'], officer_employee)
        witness = create_employee(company, "李娟")
        return company, officer, officer_employee, witness

    def test_amount_in_rmb_uppercase_to_the_fen(self):
        "大写 of amounts with fen, jiao, zeros and whole yuan (整)"
        for amount, text in [
                ('0.05', '伍分'),
                ('10.10', '壹拾元壹角'),
                ('10.01', '壹拾元零壹分'),
                ('123456.78', '壹拾贰万叁仟肆佰伍拾陆元柒角捌分'),
                ('100000.00', '壹拾万元整'),
                ('1000000.00', '壹佰万元整'),
                ('1010.00', '壹仟零壹拾元整'),
                ('0.005', '壹分'),
                ]:
            with self.subTest(amount=amount):
                self.assertEqual(rmb_uppercase(D(amount)), text)
        with self.assertRaises(ValueError):
            rmb_uppercase(D('-1.00'))

    @with_transaction()
    def test_contract_takes_penalty_fees_and_officer_from_product_and_borrower(
            self):
        "Penalty rate and fees of the product, branch and officer of the "
        "borrower; the annualized cost is the loan's with the same fees"
        pool = Pool()
        Loan = pool.get('microloan.loan')
        company, _, officer_employee, _ = self.setup_parties()
        with set_company(company):
            borrower = create_customer("孙建国", 1, officer=officer_employee)
            product = product_with_fees(company)
            contract = create_contract(borrower, product)

            self.assertTrue(contract.number.startswith('HT'))
            self.assertEqual(contract.state, 'draft')
            self.assertEqual(contract.loan_officer, officer_employee)
            self.assertEqual(contract.branch, borrower.branch)
            self.assertEqual(contract.penalty_rate, D('0.180000'))
            self.assertEqual(contract.end_date, dt.date(2027, 1, 31))
            self.assertEqual(
                sorted((f.kind, f.charged, f.amount) for f in contract.fees),
                [('review', 'signing', D('500.00')),
                    ('service', 'disbursement', D('1000.00'))])

            loan = create_loan(company, borrower, D('100000.00'),
                upfront_fees=D('1500.00'))
            Loan.compute_schedule([loan])
            self.assertEqual(contract.annualized_cost, loan.apr_simple)
            self.assertGreater(contract.annualized_cost, D('0.12'))

            # a lower amount recomputes the fee on it and the cost
            Contract = pool.get('microloan.contract')
            Contract.write([contract], {'amount': D('50000.00')})
            self.assertNotEqual(
                Contract(contract.id).annualized_cost, loan.apr_simple)

    @with_transaction()
    def test_terms_outside_the_product_are_refused(self):
        "An amount above the product's maximum is refused on creation"
        Contract = Pool().get('microloan.contract')
        company, _, officer_employee, _ = self.setup_parties()
        with set_company(company):
            borrower = create_customer("孙建国", 1, officer=officer_employee)
            product = product_with_fees(company)
            with self.assertRaises(ProductTermsError):
                create_contract(borrower, product, amount=D('200000.01'))
            self.assertEqual(Contract.search([]), [])

    @with_transaction()
    def test_submitter_cannot_review_own_contract(self):
        "Maker-checker: the submitter is refused, another reviewer passes"
        pool = Pool()
        Contract = pool.get('microloan.contract')
        company, officer, officer_employee, _ = self.setup_parties()
        both = create_user('zhaolei', company,
            ['group_loan_officer', 'group_risk_officer'])
        risk = create_user('qianfang', company, ['group_risk_officer'])
        with set_company(company):
            borrower = create_customer("孙建国", 1, officer=officer_employee)
            product = product_with_fees(company)
            contract = create_contract(borrower, product)

            with Transaction().set_user(both.id):
                Contract.submit([contract])
                with self.assertRaises(ContractError) as context:
                    Contract.review([contract])
                self.assertIn(contract.number, str(context.exception))
            self.assertEqual(Contract(contract.id).state, 'reviewing')

            # a loan officer alone has not the review button (its groups
            # are declared in XML)
            user, context = as_user(officer)
            with user, context:
                with self.assertRaises(AccessButtonError):
                    Contract.review([Contract(contract.id)])
            user, context = as_user(risk)
            with user, context:
                Contract.review([Contract(contract.id)])
            contract = Contract(contract.id)
            self.assertEqual(contract.state, 'reviewed')
            # neither has an employee: the users record who did it
            self.assertEqual(
                (contract.reviewed_by, contract.reviewed_user),
                (None, risk))
            self.assertEqual(
                (contract.submitted_by, contract.submitted_user),
                (None, both))

            # the terms are frozen once submitted, a cancel comes too late
            with self.assertRaises(ContractError):
                Contract.write([contract], {'amount': D('90000.00')})
            Fee = pool.get('microloan.contract.fee')
            with self.assertRaises(ContractError):
                Fee.write(list(contract.fees), {'amount': D('0.00')})
            with self.assertRaises(WorkflowTransitionError):
                Contract.cancel([contract])
            contract = Contract(contract.id)
            self.assertEqual(contract.amount, D('100000.00'))
            self.assertEqual(
                sorted(f.amount for f in contract.fees),
                [D('500.00'), D('1000.00')])

    @with_transaction()
    def test_review_returns_the_contract_to_the_officer_with_a_reason(self):
        """A reviewer sends the contract back to draft with a reason (the
        wizard's dialog); no reason, or the submitter, is refused"""
        pool = Pool()
        Contract = pool.get('microloan.contract')
        Return = pool.get('microloan.contract.return', type='wizard')
        company, officer, officer_employee, _ = self.setup_parties()
        risk = create_user('qianfang', company, ['group_risk_officer'])
        with set_company(company):
            borrower = create_customer("孙建国", 1, officer=officer_employee)
            product = product_with_fees(company)
            contract = create_contract(borrower, product)
            with Transaction().set_user(officer.id):
                Contract.submit([contract])
            with refused(self, ContractError) as context:
                with Transaction().set_user(risk.id):
                    Contract.return_to_draft([contract], "  ")
            self.assertIn(contract.number, str(context.exception))
            with refused(self, ContractError):
                with Transaction().set_user(officer.id):
                    Contract.return_to_draft([contract], "金额有误")

            # the reviewer through the dialog of the button
            user, check = as_user(risk)
            with user, check, Transaction().set_context(
                    active_model='microloan.contract',
                    active_id=contract.id, active_ids=[contract.id]):
                session_id, _, _ = Return.create()
                wizard = Return(session_id)
                wizard.start.reason = "担保人签字页缺失，请补充后重新提交。"
                wizard.transition_return_()
            contract = Contract(contract.id)
            self.assertEqual(contract.state, 'draft')
            self.assertEqual(
                contract.return_reason, "担保人签字页缺失，请补充后重新提交。")
            self.assertEqual(contract.returned_user, risk)
            self.assertIsNotNone(contract.returned_at)
            # the officer changes the draft and submits it again
            Contract.write([contract], {'amount': D('90000.00')})
            with Transaction().set_user(officer.id):
                Contract.submit([contract])
            self.assertEqual(Contract(contract.id).state, 'reviewing')
            # a reviewed contract is no longer returned
            with Transaction().set_user(risk.id):
                Contract.review([contract])
                with refused(self, WorkflowTransitionError):
                    Contract.return_to_draft([contract], "太晚了")

    @with_transaction()
    def test_face_sign_needs_date_place_witness_and_a_true_photo(self):
        "No face-sign without its details and a photo whose bytes match"
        pool = Pool()
        Contract = pool.get('microloan.contract')
        Attachment = pool.get('ir.attachment')
        company, officer, officer_employee, witness = self.setup_parties()
        with set_company(company):
            borrower = create_customer("孙建国", 1, officer=officer_employee)
            contract = create_contract(borrower, product_with_fees(company))
            with Transaction().set_user(officer.id):
                Contract.submit([contract])
            Contract.review([contract])

            with self.assertRaises(ContractError):
                Contract.sign([contract])
            Contract.write([contract], {
                    'sign_date': dt.date(2026, 1, 30),
                    'sign_place': "杭州",
                    'witness': witness.id,
                    })
            # a PDF is no photo; a PNG named .jpg is refused and not saved
            attach(contract, 'contract_scan.pdf', b'%PDF-1.7\n%%EOF')
            with self.assertRaises(ContractError) as context:
                Contract.sign([contract])
            self.assertIn(contract.number, str(context.exception))
            with self.assertRaises(ContractError) as context:
                attach(contract, 'face_sign.jpg', PNG)
            self.assertIn('face_sign.jpg', str(context.exception))
            self.assertEqual(
                [a.name for a in Attachment.search(
                        [('resource', '=', str(contract))])],
                ['contract_scan.pdf'])
            self.assertEqual(Contract(contract.id).state, 'reviewed')

            attach(contract, 'face_sign.png', PNG)
            with Transaction().set_user(officer.id):
                Contract.sign([contract])
            contract = Contract(contract.id)
            self.assertEqual(contract.state, 'signed')
            self.assertEqual(
                (contract.signed_by, contract.signed_user),
                (officer_employee, officer))
            self.assertTrue(contract.signed_at)

    @with_transaction()
    def test_loans_need_a_signed_contract_of_their_borrower(self):
        "A draft contract or another borrower's contract carries no loan"
        Loan = Pool().get('microloan.loan')
        company, officer, officer_employee, witness = self.setup_parties()
        with set_company(company):
            borrower = create_customer("孙建国", 1, officer=officer_employee)
            other = create_customer("周红梅", 2, officer=officer_employee)
            product = product_with_fees(company)
            contract = create_contract(borrower, product)
            with self.assertRaises(ContractDrawdownError) as context:
                create_loan(company, borrower, D('100000.00'),
                    contract=contract.id)
            self.assertIn(contract.number, str(context.exception))
            contract = sign_contract(contract, officer, witness)
            with self.assertRaises(ContractDrawdownError) as context:
                create_loan(company, other, D('100000.00'),
                    contract=contract.id)
            self.assertIn("周红梅", str(context.exception))
            self.assertEqual(Loan.search([]), [])

    @with_transaction()
    def test_single_contract_carries_one_loan(self):
        "A second loan under a single contract is refused, even a small one"
        Loan = Pool().get('microloan.loan')
        company, officer, officer_employee, witness = self.setup_parties()
        with set_company(company):
            borrower = create_customer("孙建国", 1, officer=officer_employee)
            contract = sign_contract(create_contract(
                    borrower, product_with_fees(company)), officer, witness)
            first = create_loan(company, borrower, D('60000.00'),
                contract=contract.id)
            with self.assertRaises(ContractDrawdownError):
                create_loan(company, borrower, D('1000.00'),
                    contract=contract.id)
            self.assertEqual(Loan.search([]), [first])
            contract = contract.__class__(contract.id)
            self.assertEqual(
                (contract.drawn_amount, contract.available_amount),
                (D('60000.00'), D('40000.00')))

    @with_transaction()
    def test_credit_line_contract_drawdowns_within_amount_and_period(self):
        "Several drawdowns up to the amount to the fen, within the period"
        pool = Pool()
        Contract = pool.get('microloan.contract')
        Loan = pool.get('microloan.loan')
        company, officer, officer_employee, witness = self.setup_parties()
        with set_company(company):
            borrower = create_customer("孙建国", 1, officer=officer_employee)
            contract = sign_contract(create_contract(
                    borrower, product_with_fees(company),
                    amount=D('150000.50'), kind='credit_line'),
                officer, witness)
            loans = [create_loan(company, borrower, D(p),
                    contract=contract.id, start_date=dt.date(2026, 3, 1))
                for p in ['12345.67', '23456.78', '34567.89']]
            contract = Contract(contract.id)
            self.assertEqual(
                (contract.drawn_amount, contract.available_amount),
                (D('70370.34'), D('79630.16')))
            self.assertEqual(set(contract.loans), set(loans))

            with self.assertRaises(ContractDrawdownError) as context:
                create_loan(company, borrower, D('79630.17'),
                    contract=contract.id, start_date=dt.date(2026, 3, 1))
            self.assertRegex(str(context.exception), r'79,?630\.16')
            # raising a loan beyond the amount is refused as well
            with self.assertRaises(ContractDrawdownError):
                Loan.write([loans[0]], {'principal': D('92000.00')})
            # a value date outside the drawdown period
            for date in [dt.date(2026, 1, 30), dt.date(2027, 2, 1)]:
                with self.assertRaises(ContractDrawdownError):
                    create_loan(company, borrower, D('1000.00'),
                        contract=contract.id, start_date=date)
            last = create_loan(company, borrower, D('79630.16'),
                contract=contract.id, start_date=dt.date(2027, 1, 31))
            self.assertEqual(
                Contract(contract.id).available_amount, D('0.00'))
            self.assertEqual(len(Loan.search([])), 4)
            self.assertEqual(Loan(last.id).principal, D('79630.16'))

    @with_transaction()
    def test_loan_takes_rate_method_and_basis_from_its_contract(self):
        "on_change fills the contract's terms; other terms are refused"
        pool = Pool()
        Loan = pool.get('microloan.loan')
        company, officer, officer_employee, witness = self.setup_parties()
        with set_company(company):
            borrower = create_customer("孙建国", 1, officer=officer_employee)
            contract = sign_contract(create_contract(
                    borrower, product_with_fees(company),
                    kind='credit_line'), officer, witness)
            loan = Loan(annual_rate=D('0.15'), method='bullet',
                basis='day', borrower=None)
            loan.contract = contract
            loan.on_change_contract()
            self.assertEqual(
                (loan.annual_rate, loan.method, loan.basis, loan.borrower),
                (D('0.120000'), 'equal_installment', 'month', borrower))
            with self.assertRaises(ContractDrawdownError):
                create_loan(company, borrower, D('1000.00'),
                    contract=contract.id, annual_rate=D('0.15'))
            loan = create_loan(company, borrower, D('1000.00'),
                contract=contract.id)
            with self.assertRaises(ContractDrawdownError):
                Loan.write([loan], {'method': 'equal_principal'})
            self.assertEqual(Loan(loan.id).method, 'equal_installment')

    @with_transaction()
    def test_loan_officer_sees_his_customers_contracts_only(self):
        "Record rules: own customers for a loan officer, all for a risk "
        "officer"
        Contract = Pool().get('microloan.contract')
        company, officer, officer_employee, _ = self.setup_parties()
        other_employee = create_employee(company, "陈刚")
        risk = create_user('qianfang', company, ['group_risk_officer'])
        with set_company(company):
            product = product_with_fees(company)
            mine = create_contract(create_customer(
                    "孙建国", 1, officer=officer_employee), product)
            theirs = create_contract(create_customer(
                    "周红梅", 2, officer=other_employee), product)
            user, context = as_user(officer)
            with user, context:
                self.assertEqual(Contract.search([]), [mine])
            user, context = as_user(risk)
            with user, context:
                self.assertEqual(
                    set(Contract.search([])), {mine, theirs})

    @with_transaction()
    def test_signed_contract_prints_as_pdf_with_amount_in_words(self):
        "The real report: a PDF of the signed 100,000.00 contract whose "
        "text carries 壹拾万元整 and no English words"
        pool = Pool()
        Report = pool.get('microloan.contract.report', type='report')
        company, officer, officer_employee, witness = self.setup_parties()
        if not ensure_soffice():
            self.fail("LibreOffice (soffice) could not be installed")
        with set_company(company):
            borrower = create_customer("孙建国", 1, officer=officer_employee)
            contract = sign_contract(create_contract(
                    borrower, product_with_fees(company),
                    purpose="购置经营设备"), officer, witness)
            extension, content, _, name = Report.execute(
                [contract.id], {'model': 'microloan.contract'})

        self.assertEqual(extension, 'pdf')
        self.assertTrue(bytes(content).startswith(b'%PDF'))
        self.assertIn(contract.number, name)
        directory = tempfile.mkdtemp()
        try:
            path = Path(directory, 'contract.pdf')
            path.write_bytes(bytes(content))
            text = subprocess.run(
                ['pdftotext', '-enc', 'UTF-8', str(path), '-'],
                check=True, capture_output=True).stdout.decode('utf-8')
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        compact = re.sub(r'\s+', '', text)
        spaced = re.sub(r'\s+', ' ', text)
        self.assertIn('壹拾万元整', compact)
        self.assertNotIn('yuan', spaced)
        self.assertIn('100,000.00', compact)
        self.assertIn(contract.number, compact)
        self.assertIn(borrower.resident_id, compact)
        self.assertIn('12.00%', compact)
        self.assertIn('18.00%', compact)
        self.assertIn('购置经营设备', compact)
        # the fees and the annualized cost disclosed as stored
        self.assertIn('1,000.00', compact)
        self.assertIn('500.00', compact)
        cost = (contract.annualized_cost * 100).quantize(D('0.01'))
        self.assertIn('%s%%' % cost, compact)
