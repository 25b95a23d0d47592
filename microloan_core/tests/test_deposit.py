# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Customer deposits (保证金): balances, refusals, applied to arrears, reversal"
import datetime as dt
import unittest
from decimal import Decimal as D

from trytond.model.exceptions import DomainValidationError
from trytond.modules.company.tests import create_employee, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from ..exceptions import DepositError, RepaymentError
from . import test_module
from .servicing_tools import ServicingSetup
from .tools import as_user as acting
from .tools import create_staff, create_user


class DepositTestCase(ServicingSetup, unittest.TestCase):
    "Test customer deposits on the worked example's loan"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_core')

    def deposit(self, kind, amount, date=dt.date(2026, 3, 10), **values):
        "A draft deposit of kind of the loan's borrower"
        Deposit = Pool().get('microloan.deposit')
        values = dict({
                'company': self.company.id,
                'party': self.loan.borrower.id,
                'kind': kind,
                'date': date,
                'amount': amount,
                }, **values)
        if kind != 'applied':
            values.setdefault('fund_account', self.account.id)
        deposit, = Deposit.create([values])
        return deposit

    def posted(self, kind, amount, **values):
        "A deposit of kind posted by the cashier"
        Deposit = Pool().get('microloan.deposit')
        with acting(self.cashier):
            deposit = self.deposit(kind, amount, **values)
            Deposit.post([deposit])
        return Deposit(deposit.id)

    def balance(self):
        Party = Pool().get('party.party')
        return Party(self.loan.borrower.id).deposit_balance

    def due(self, date=dt.date(2026, 3, 10)):
        Loan = Pool().get('microloan.loan')
        with Transaction().set_context(servicing_date=date):
            return Loan(self.loan.id).amount_due

    @with_transaction()
    def test_received_and_returned_balances_to_the_fen(self):
        "收取 adds, 退还 takes away, drafts do not count; by customer and loan"
        pool = Pool()
        Loan = pool.get('microloan.loan')
        company = test_module.create_cny_company()
        with set_company(company):
            self.setup_loan(company)
            first = self.posted('received', D('5000.00'))
            self.assertTrue(first.number.startswith('BZ'))
            self.assertEqual(first.state, 'posted')
            self.assertEqual(first.posted_user, self.cashier)
            self.assertIsNotNone(first.posted_by)
            self.posted('received', D('1234.56'), loan=self.loan.id)
            self.posted('returned', D('2000.01'))
            self.deposit('received', D('999.99'))
            self.assertEqual(self.balance(), D('4234.55'))
            self.assertEqual(
                Loan(self.loan.id).deposit_balance, D('1234.56'))
            self.posted('returned', D('4234.55'))
            self.assertEqual(self.balance(), D('0.00'))

    @with_transaction()
    def test_return_above_the_balance_is_refused_nothing_saved(self):
        "退还 beyond the balance, alone or with another: refused, all draft"
        pool = Pool()
        Deposit = pool.get('microloan.deposit')
        company = test_module.create_cny_company()
        with set_company(company):
            self.setup_loan(company)
            self.posted('received', D('1000.00'))
            with acting(self.cashier):
                too_much = self.deposit('returned', D('1000.01'))
                with self.assertRaises(DepositError):
                    Deposit.post([too_much])
                first = self.deposit('returned', D('600.00'))
                second = self.deposit('returned', D('400.01'))
                with self.assertRaises(DepositError):
                    Deposit.post([first, second])
            for deposit in Deposit.browse([too_much, first, second]):
                self.assertEqual(deposit.state, 'draft')
                self.assertIsNone(deposit.posted_user)
            self.assertEqual(self.balance(), D('1000.00'))
            # a posted deposit is never deleted
            received, = Deposit.search([('state', '=', 'posted')])
            with self.assertRaises(DepositError):
                Deposit.delete([received])

    @with_transaction()
    def test_applied_deposit_through_approval_pays_the_arrears(self):
        "抵扣欠款 approved: a repayment by deposit, dues lower by the amount"
        pool = Pool()
        Deposit = pool.get('microloan.deposit')
        Flow = pool.get('microloan.approval.flow')
        Request = pool.get('microloan.approval.request')
        Repayment = pool.get('microloan.loan.repayment')
        ModelData = pool.get('ir.model.data')
        company = test_module.create_cny_company()
        with set_company(company):
            self.setup_loan(company)
            approver = create_user('approver', company, ['group_approver'],
                create_employee(company, "张伟"))
            Flow.create([{
                        'name': "保证金抵扣审批",
                        'model': 'microloan.deposit',
                        'company': company.id,
                        'steps': [('create', [{
                                        'name': "审批", 'kind': 'group',
                                        'group': ModelData.get_id(
                                            'microloan_core',
                                            'group_approver'),
                                        'required_approvals': 1,
                                        }])],
                        }])
            self.posted('received', D('10000.00'),
                date=dt.date(2026, 2, 1))
            # installment 1 with 10 days of penalty and compound interest
            due = self.due()
            self.assertEqual(due, D('8929.30'))
            with acting(self.cashier):
                applied = self.deposit('applied', D('5000.00'),
                    loan=self.loan.id)
                # more than the loan has due is refused
                too_much = self.deposit('applied', D('8929.31'),
                    loan=self.loan.id)
                with self.assertRaises(DepositError):
                    Deposit.request([too_much])
                Deposit.request([applied])
            applied = Deposit(applied.id)
            self.assertEqual(applied.state, 'pending')
            self.assertEqual(applied.requested_user, self.cashier)
            self.assertIsNone(applied.repayment)
            self.assertEqual(self.due(), due)
            self.assertEqual(self.balance(), D('10000.00'))
            request, = Request.search([('document', '=', str(applied))])
            with acting(approver):
                Request.approve([request])
            applied = Deposit(applied.id)
            self.assertEqual(applied.state, 'posted')
            self.assertEqual(self.due(), due - D('5000.00'))
            self.assertEqual(self.balance(), D('5000.00'))
            repayment = applied.repayment
            self.assertEqual(repayment.state, 'posted')
            self.assertEqual(repayment.channel, 'deposit')
            self.assertEqual(repayment.deposit, applied)
            self.assertEqual(repayment.amount, D('5000.00'))
            self.assertEqual(repayment.fund_account, self.account)
            # penalty and compound first, by the servicing rules
            self.assertEqual(self.allocation(repayment), (
                    D('39.42'), D('5.00'), D('1000.00'), D('3955.58'),
                    D('0')))
            # the repayment is taken back by reversing the deposit only
            with acting(self.accountant):
                with self.assertRaises(RepaymentError):
                    Repayment.reverse([repayment])
            other, _ = create_staff(
                company, 'cashier2', "周敏", 'group_cashier')
            with acting(other):
                Deposit.reverse([applied])
            self.assertEqual(Repayment(repayment.id).state, 'reversed')
            self.assertEqual(self.due(), due)
            self.assertEqual(self.balance(), D('10000.00'))

    @with_transaction()
    def test_applied_beyond_the_balance_is_refused(self):
        "No flow: posted at once, but never more than the balance"
        pool = Pool()
        Deposit = pool.get('microloan.deposit')
        company = test_module.create_cny_company()
        with set_company(company):
            self.setup_loan(company)
            self.posted('received', D('100.00'), date=dt.date(2026, 2, 1))
            with acting(self.cashier):
                applied = self.deposit('applied', D('100.01'),
                    loan=self.loan.id)
                with self.assertRaises(DepositError):
                    Deposit.request([applied])
            self.assertEqual(Deposit(applied.id).state, 'draft')
            self.assertEqual(self.due(), D('8929.30'))
            with acting(self.cashier):
                applied = self.deposit('applied', D('100.00'),
                    loan=self.loan.id)
                Deposit.request([applied])
            # no flow matches: posted at once
            self.assertEqual(Deposit(applied.id).state, 'posted')
            self.assertEqual(self.due(), D('8829.30'))
            self.assertEqual(self.balance(), D('0.00'))

    @with_transaction()
    def test_reversal_by_the_poster_is_refused(self):
        "红字冲销 by another user; never below what was returned since"
        pool = Pool()
        Deposit = pool.get('microloan.deposit')
        company = test_module.create_cny_company()
        with set_company(company):
            self.setup_loan(company)
            other, _ = create_staff(
                company, 'cashier2', "周敏", 'group_cashier')
            received = self.posted('received', D('800.00'))
            with acting(self.cashier):
                with self.assertRaises(DepositError):
                    Deposit.reverse([received])
            self.assertEqual(Deposit(received.id).state, 'posted')
            returned = self.posted('returned', D('300.00'))
            with acting(other):
                with self.assertRaises(DepositError):
                    Deposit.reverse([received])
                Deposit.reverse([returned])
                Deposit.reverse([received])
            received = Deposit(received.id)
            self.assertEqual(received.state, 'reversed')
            self.assertEqual(received.reversed_user, other)
            self.assertEqual(self.balance(), D('0.00'))

    @with_transaction()
    def test_negative_or_zero_amount_is_refused(self):
        "An amount must be above zero; a repayment by deposit needs one"
        pool = Pool()
        Deposit = pool.get('microloan.deposit')
        Repayment = pool.get('microloan.loan.repayment')
        company = test_module.create_cny_company()
        with set_company(company):
            self.setup_loan(company)
            for amount in [D('-5.00'), D('0')]:
                with self.assertRaises(DomainValidationError):
                    self.deposit('received', amount)
            self.assertFalse(Deposit.search([('state', '=', 'posted')]))
            self.assertEqual(self.balance(), D('0.00'))
            # the cashier cannot key a repayment by deposit himself
            with self.assertRaises(RepaymentError):
                self.repay(dt.date(2026, 3, 10), D('100.00'),
                    channel='deposit')
            self.assertFalse(Repayment.search([('state', '=', 'posted')]))
