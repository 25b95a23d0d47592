# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Loan changes: prepayment, extension through approval, rate change,
waiver, termination, the customer's credit refunded or transferred"""
import datetime as dt
import unittest
from decimal import Decimal as D

from trytond.model.exceptions import (
    DomainValidationError, RequiredValidationError)
from trytond.modules.company.tests import create_employee, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from ..exceptions import LoanChangeError, LoanStateError
from . import test_module
from .servicing_tools import ServicingSetup
from .tools import as_user as acting
from .tools import create_user


class LoanChangeTestCase(ServicingSetup, unittest.TestCase):
    "Test the changes of a running loan and how servicing follows them"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_core')

    def change(self, **values):
        Change = Pool().get('microloan.loan.change')
        change, = Change.create([dict({
                        'company': self.company.id,
                        'loan': self.loan.id,
                        'reason': "客户申请",
                        }, **values)])
        return change

    @with_transaction()
    def test_prepayment_on_a_due_date_lowers_the_installments(self):
        "提前还款 keeping the term: paid with the due installment"
        pool = Pool()
        Loan = pool.get('microloan.loan')
        Change = pool.get('microloan.loan.change')
        company = test_module.create_cny_company()
        with set_company(company):
            loan = self.setup_loan(company)
            self.repay(dt.date(2026, 2, 28), D('8884.88'))
            change = self.change(kind='prepayment',
                date=dt.date(2026, 3, 31), amount=D('20000.00'))
            Change.request([change])
            change = Change(change.id)
            # no approval flow: applied at once
            self.assertEqual(change.state, 'applied')
            loan = Loan(loan.id)
            self.assertEqual(loan.maturity_date, dt.date(2027, 1, 31))
            # the prepayment is an installment of its own, due that day
            second, prepaid, fourth = loan.installments[1:4]
            self.assertEqual((second.due_date, second.total),
                (dt.date(2026, 3, 31), D('8884.88')))
            self.assertEqual((prepaid.due_date, prepaid.principal,
                    prepaid.interest), (dt.date(2026, 3, 31), D('20000.00'),
                    D('0.00')))
            self.assertLess(fourth.total, D('8884.88'))
            self.assertEqual(len(loan.installments), 13)
            self.assertEqual(
                sum(i.principal for i in loan.installments),
                D('100000.00'))
            # the repayment of the day pays the installment and the
            # prepayment together
            repayment = self.repay(
                dt.date(2026, 3, 31), second.total + prepaid.total)
            self.assertEqual(repayment.principal, D('27963.73'))
            self.assertEqual(repayment.credit, D('0.00'))
            loan = Loan(loan.id)
            self.assertEqual(loan.principal_balance,
                D('100000.00') - D('7884.88') - D('27963.73'))
            # a prepayment above what is outstanding is refused
            too_much = self.change(kind='prepayment',
                date=dt.date(2026, 4, 30), amount=D('80000.00'))
            with self.assertRaises(LoanChangeError):
                Change.request([too_much])
            self.assertEqual(Change(too_much.id).state, 'draft')

    @with_transaction()
    def test_extension_goes_through_approval_and_moves_maturity(self):
        "展期 with a flow: pending until the approver agrees, then applied"
        pool = Pool()
        Loan = pool.get('microloan.loan')
        Change = pool.get('microloan.loan.change')
        Flow = pool.get('microloan.approval.flow')
        Request = pool.get('microloan.approval.request')
        ModelData = pool.get('ir.model.data')
        company = test_module.create_cny_company()
        with set_company(company):
            officer_employee = create_employee(company, "王敏")
            officer = create_user('officer', company, ['group_loan_officer'],
                officer_employee)
            loan = self.setup_loan(company, officer=officer_employee)
            approver = create_user('approver', company, ['group_approver'],
                create_employee(company, "张伟"))
            Flow.create([{
                        'name': "贷款变更审批",
                        'model': 'microloan.loan.change',
                        'company': company.id,
                        'steps': [('create', [{
                                        'name': "审批", 'kind': 'group',
                                        'group': ModelData.get_id(
                                            'microloan_core',
                                            'group_approver'),
                                        'required_approvals': 1,
                                        }])],
                        }])
            with acting(officer):
                change = self.change(kind='extension',
                    date=dt.date(2026, 6, 15), months=6,
                    new_rate=D('0.10'))
                Change.request([change])
            change = Change(change.id)
            self.assertEqual(change.state, 'pending')
            self.assertEqual(change.requested_user, officer)
            self.assertEqual(change.rate_before, D('0.12'))
            self.assertEqual(Loan(loan.id).maturity_date,
                dt.date(2027, 1, 31))
            request, = Request.search([('document', '=', str(change))])
            with acting(approver):
                Request.approve([request])
            change = Change(change.id)
            self.assertEqual(change.state, 'applied')
            loan = Loan(loan.id)
            self.assertEqual(loan.maturity_date, dt.date(2027, 7, 31))
            self.assertEqual(len(loan.installments), 18)
            self.assertEqual(loan.rate_in_force(dt.date(2026, 7, 1)),
                D('0.10'))
            self.assertEqual(
                sum(i.principal for i in loan.installments),
                D('100000.00'))
            # the installments before the extension stay as they were
            self.assertEqual(loan.installments[0].total, D('8884.88'))

    @with_transaction()
    def test_settled_loan_and_past_maturity_are_not_extended(self):
        "No change on a closed loan, no extension after maturity"
        pool = Pool()
        Change = pool.get('microloan.loan.change')
        company = test_module.create_cny_company()
        with set_company(company):
            loan = self.setup_loan(company, term_months=3)
            late = self.change(kind='extension', months=3,
                date=loan.maturity_date)
            with self.assertRaises(LoanChangeError):
                Change.request([late])
            for installment in loan.installments:
                self.repay(installment.due_date, installment.total)
            # the loan is settled: no change is drawn up for it
            with self.assertRaises(DomainValidationError):
                self.change(kind='extension', months=3,
                    date=dt.date(2026, 3, 1))
            self.assertEqual(Change(late.id).state, 'draft')

    @with_transaction()
    def test_waiver_takes_the_penalty_off(self):
        "免息 of the penalty: the repayment then pays interest and principal"
        pool = Pool()
        Loan = pool.get('microloan.loan')
        Change = pool.get('microloan.loan.change')
        company = test_module.create_cny_company()
        with set_company(company):
            loan = self.setup_loan(company)
            change = self.change(kind='waiver', date=dt.date(2026, 3, 10),
                component='penalty', amount=D('39.42'),
                installment=loan.installments[0].id)
            Change.request([change])
            repayment = self.repay(dt.date(2026, 3, 10), D('8884.88'))
            self.assertEqual(self.allocation(repayment), (
                    D('0.00'), D('5.00'), D('1000.00'), D('7879.88'),
                    D('0.00')))
            with Transaction().set_context(
                    servicing_date=dt.date(2026, 3, 10)):
                first = Loan(loan.id).installments[0]
                self.assertEqual(first.waived, D('39.42'))

    @with_transaction()
    def test_termination_makes_everything_due_on_its_date(self):
        "贷款终止: the principal left and its interest by days fall due"
        pool = Pool()
        Loan = pool.get('microloan.loan')
        Change = pool.get('microloan.loan.change')
        company = test_module.create_cny_company()
        with set_company(company):
            loan = self.setup_loan(company)
            self.repay(dt.date(2026, 2, 28), D('8884.88'))
            after = self.change(kind='termination', date=dt.date(2027, 2, 1))
            with self.assertRaises(LoanChangeError):
                Change.request([after])
            self.assertEqual(Change(after.id).state, 'draft')
            change = self.change(kind='termination',
                date=dt.date(2026, 3, 15))
            Change.request([change])
            self.assertEqual(Change(change.id).state, 'applied')
            loan = Loan(loan.id)
            self.assertEqual(loan.maturity_date, dt.date(2026, 3, 15))
            last = loan.installments[-1]
            self.assertEqual(last.due_date, dt.date(2026, 3, 15))
            self.assertEqual(last.principal, D('92115.12'))
            # 15 days of interest at 12 % a year, 360 days
            self.assertEqual(last.interest, (D('92115.12') * D('0.12') * 15
                    / 360).quantize(D('0.01')))
            self.assertEqual(sum(i.principal for i in loan.installments),
                D('100000.00'))
            self.repay(dt.date(2026, 3, 15), last.total)
            self.assertEqual(Loan(loan.id).state, 'closed')

    @with_transaction()
    def test_credit_is_refunded_or_transferred_to_income(self):
        "退款 and 人工转收入 of the customer's credit, never above it"
        pool = Pool()
        Loan = pool.get('microloan.loan')
        Change = pool.get('microloan.loan.change')
        LoanTransaction = pool.get('microloan.loan.transaction')
        company = test_module.create_cny_company()
        with set_company(company):
            loan = self.setup_loan(company)
            self.repay(dt.date(2026, 3, 10), D('8884.88'))
            self.repay(dt.date(2026, 3, 20), D('100.00'))
            self.assertEqual(Loan(loan.id).credit_balance, D('55.35'))
            too_much = self.change(kind='credit_income',
                date=dt.date(2026, 3, 25), amount=D('55.36'))
            with self.assertRaises(LoanChangeError):
                Change.request([too_much])
            self.assertEqual(Change(too_much.id).state, 'draft')
            # a refund goes out of a fund account
            with self.assertRaises(RequiredValidationError):
                self.change(kind='credit_refund',
                    date=dt.date(2026, 3, 25), amount=D('30.00'))
            refund = self.change(kind='credit_refund',
                date=dt.date(2026, 3, 25), amount=D('30.00'),
                fund_account=self.account.id)
            Change.request([refund])
            self.assertEqual(Loan(loan.id).credit_balance, D('25.35'))
            income = self.change(kind='credit_income',
                date=dt.date(2026, 3, 25), amount=D('25.35'))
            Change.request([income])
            self.assertEqual(Loan(loan.id).credit_balance, D('0.00'))
            transactions = LoanTransaction.search([
                    ('loan', '=', loan.id),
                    ('kind', 'in', ['credit_refund', 'credit_income']),
                    ], order=[('id', 'ASC')])
            self.assertEqual(
                [(t.kind, t.credit, t.fund_account, t.origin)
                    for t in transactions],
                [('credit_refund', D('30.00'), self.account, refund),
                    ('credit_income', D('25.35'), None, income)])
            # the dues are untouched
            with Transaction().set_context(
                    servicing_date=dt.date(2026, 3, 25)):
                self.assertEqual(Loan(loan.id).amount_due, D('0.00'))
            # the overpayment the credit came from is not reversed now
            Repayment = pool.get('microloan.loan.repayment')
            overpaid, = Repayment.search([
                    ('loan', '=', loan.id),
                    ('date', '=', dt.date(2026, 3, 20))])
            with acting(self.accountant):
                with self.assertRaises(LoanStateError):
                    Repayment.reverse([overpaid])

    @with_transaction()
    def test_prepayment_fee_of_the_product_is_charged_first(self):
        "提前还款违约金: the product's fee on the principal prepaid"
        pool = Pool()
        Loan = pool.get('microloan.loan')
        Change = pool.get('microloan.loan.change')
        ProductFee = pool.get('microloan.product.fee')
        LoanTransaction = pool.get('microloan.loan.transaction')
        company = test_module.create_cny_company()
        with set_company(company):
            loan = self.setup_loan(company)
            ProductFee.create([{
                        'product': self.product.id,
                        'kind': 'prepayment',
                        'computation': 'percentage',
                        'rate': D('0.015'),
                        'charged': 'prepayment',
                        }])
            self.repay(dt.date(2026, 2, 28), D('8884.88'))
            change = self.change(kind='prepayment',
                date=dt.date(2026, 3, 31), amount=D('20000.00'))
            Change.request([change])
            fee, = LoanTransaction.search([
                    ('loan', '=', loan.id), ('kind', '=', 'fee'),
                    ('origin', '=', str(change))])
            # 1.5 % of 20,000.00
            self.assertEqual((fee.date, fee.fees),
                (dt.date(2026, 3, 31), D('300.00')))
            loan = Loan(loan.id)
            second, prepaid = loan.installments[1:3]
            with Transaction().set_context(
                    servicing_date=dt.date(2026, 3, 31)):
                self.assertEqual(Loan(loan.id).amount_due,
                    second.total + prepaid.total + D('300.00'))
            # a repayment of the installment and the prepayment alone pays
            # the fee first: 300.00 of principal stay due
            repayment = self.repay(
                dt.date(2026, 3, 31), second.total + prepaid.total)
            self.assertEqual(repayment.fees, D('300.00'))
            self.assertEqual(repayment.principal, D('27963.73') - D('300.00'))

    @with_transaction()
    def test_interest_refund_goes_to_the_customers_credit(self):
        "退息: never more than the interest paid and not yet refunded"
        pool = Pool()
        Loan = pool.get('microloan.loan')
        Change = pool.get('microloan.loan.change')
        LoanTransaction = pool.get('microloan.loan.transaction')
        company = test_module.create_cny_company()
        with set_company(company):
            loan = self.setup_loan(company)
            # the first installment on time: 1,000.00 of interest paid
            self.repay(dt.date(2026, 2, 28), D('8884.88'))
            with Transaction().set_context(
                    servicing_date=dt.date(2026, 3, 5)):
                due_before = Loan(loan.id).amount_due
            too_much = self.change(kind='interest_refund',
                date=dt.date(2026, 3, 5), amount=D('1000.01'))
            with self.assertRaises(LoanChangeError):
                Change.request([too_much])
            self.assertEqual(Change(too_much.id).state, 'draft')
            refund = self.change(kind='interest_refund',
                date=dt.date(2026, 3, 5), amount=D('200.00'))
            Change.request([refund])
            self.assertEqual(Loan(loan.id).credit_balance, D('200.00'))
            transaction, = LoanTransaction.search([
                    ('loan', '=', loan.id),
                    ('kind', '=', 'interest_refund')])
            self.assertEqual((transaction.amount, transaction.credit,
                    transaction.interest), (D('-200.00'), D('-200.00'),
                    D('0')))
            # 800.00 is left to refund
            again = self.change(kind='interest_refund',
                date=dt.date(2026, 3, 5), amount=D('800.01'))
            with self.assertRaises(LoanChangeError):
                Change.request([again])
            # what the borrower owes is untouched; the credit is paid out
            with Transaction().set_context(
                    servicing_date=dt.date(2026, 3, 5)):
                self.assertEqual(Loan(loan.id).amount_due, due_before)
            paid_out = self.change(kind='credit_refund',
                date=dt.date(2026, 3, 5), amount=D('200.00'),
                fund_account=self.account.id)
            Change.request([paid_out])
            self.assertEqual(Loan(loan.id).credit_balance, D('0.00'))
