# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Repayments: allocation by the servicing rules, replay, reversal, refusals"
import datetime as dt
import unittest
from decimal import Decimal as D

from trytond.model.exceptions import AccessButtonError, DomainValidationError
from trytond.modules.company.tests import set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from ..exceptions import LoanTransactionError, RepaymentError
from . import test_module
from .servicing_tools import ServicingSetup
from .tools import as_user as acting
from .tools import create_staff




class RepaymentTestCase(ServicingSetup, unittest.TestCase):
    "Test repayments on the worked example of docs/servicing.md"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_core')

    @with_transaction()
    def test_worked_example_to_the_fen(self):
        "The worked example of docs/servicing.md: allocation, penalty, DPD, credit"
        pool = Pool()
        Loan = pool.get('microloan.loan')
        company = test_module.create_cny_company()
        with set_company(company):
            loan = self.setup_loan(company)
            first = self.repay(dt.date(2026, 3, 10), D('8884.88'))
            self.assertEqual(self.allocation(first), (
                    D('39.42'), D('5.00'), D('1000.00'), D('7840.46'),
                    D('0')))
            with Transaction().set_context(
                    servicing_date=dt.date(2026, 3, 10)):
                loan = Loan(loan.id)
                self.assertEqual(loan.days_past_due, 10)
                self.assertEqual(loan.classification, 'special_mention')
                first_installment = loan.installments[0]
                self.assertEqual(first_installment.outstanding, D('44.42'))
                self.assertEqual(
                    first_installment.installment_state, 'overdue')
            second = self.repay(dt.date(2026, 3, 20), D('100.00'))
            self.assertEqual(self.allocation(second), (
                    D('0.23'), D('0'), D('0'), D('44.42'), D('55.35')))
            with Transaction().set_context(
                    servicing_date=dt.date(2026, 3, 20)):
                loan = Loan(loan.id)
                self.assertEqual(loan.days_past_due, 0)
                self.assertEqual(loan.classification, 'normal')
                self.assertEqual(
                    loan.installments[0].installment_state, 'paid')
                self.assertEqual(loan.installments[0].penalty, D('39.65'))
            loan = Loan(loan.id)
            self.assertEqual(loan.credit_balance, D('55.35'))
            self.assertEqual(loan.penalty_balance, D('0'))
            self.assertEqual(loan.compound_balance, D('0'))
            self.assertEqual(loan.state, 'active')

    @with_transaction()
    def test_backdated_repayment_replays_the_later_ones(self):
        "Keyed in late, a repayment gives the allocations of date order"
        pool = Pool()
        Loan = pool.get('microloan.loan')
        LoanTransaction = pool.get('microloan.loan.transaction')
        company = test_module.create_cny_company()
        with set_company(company):
            loan = self.setup_loan(company)
            second = self.repay(dt.date(2026, 3, 20), D('100.00'))
            # alone, the later payment pays 20 days of penalty first
            self.assertEqual(self.allocation(second), (
                    D('78.85'), D('10.00'), D('11.15'), D('0'), D('0')))
            first = self.repay(dt.date(2026, 3, 10), D('8884.88'))
            second = type(second)(second.id)
            self.assertEqual(self.allocation(first), (
                    D('39.42'), D('5.00'), D('1000.00'), D('7840.46'),
                    D('0')))
            self.assertEqual(self.allocation(second), (
                    D('0.23'), D('0'), D('0'), D('44.42'), D('55.35')))
            # the first allocation of the later payment and its charges
            # are reversed, never edited
            reversals = LoanTransaction.search([
                    ('loan', '=', loan.id), ('kind', '=', 'reversal')])
            self.assertEqual(
                sorted(r.reverses.kind for r in reversals),
                ['accrual', 'penalty', 'repayment'])
            self.assertTrue(all(
                    r.date == r.reverses.date for r in reversals))
            loan = Loan(loan.id)
            self.assertEqual(loan.principal_balance, D('92115.12'))
            self.assertEqual(loan.penalty_balance, D('0'))
            self.assertEqual(loan.credit_balance, D('55.35'))

    @with_transaction()
    def test_reversal_by_another_user_replays_without_it(self):
        "红字冲销: the poster cannot reverse; another user can, once"
        pool = Pool()
        Loan = pool.get('microloan.loan')
        Repayment = pool.get('microloan.loan.repayment')
        company = test_module.create_cny_company()
        with set_company(company):
            loan = self.setup_loan(company)
            with acting(self.cashier):
                first, = Repayment.create([{
                            'loan': loan.id,
                            'date': dt.date(2026, 3, 10),
                            'amount': D('8884.88'),
                            'fund_account': self.account.id,
                            'channel': 'cash',
                            'payer': "孙建国",
                            }])
                Repayment.post([first])
                with self.assertRaises(RepaymentError):
                    Repayment.reverse([first])
            second = self.repay(dt.date(2026, 3, 20), D('100.00'))
            with acting(self.accountant):
                Repayment.reverse([Repayment(first.id)])
                # a reversed repayment is not reversed again
                with self.assertRaises(AccessButtonError):
                    Repayment.reverse([Repayment(first.id)])
            first, second = Repayment(first.id), Repayment(second.id)
            self.assertEqual(first.state, 'reversed')
            self.assertIsNone(first.principal)
            self.assertEqual(first.reversed_user, self.accountant)
            # the later payment alone pays 20 days of penalty
            self.assertEqual(self.allocation(second), (
                    D('78.85'), D('10.00'), D('11.15'), D('0'), D('0')))
            loan = Loan(loan.id)
            self.assertEqual(loan.principal_balance, D('100000.00'))
            # keyed in again from the reversed one: a new draft, numbered
            # anew, with no actor nor transaction of the first
            again, = Repayment.copy([first])
            self.assertEqual(again.state, 'draft')
            self.assertNotIn(again.number, {None, first.number})
            self.assertEqual(again.rec_name, again.number)
            self.assertEqual(
                (again.posted_user, again.posted_at, again.reversed_user,
                    again.transactions),
                (None, None, None, ()))
            self.assertEqual(
                (again.loan, again.amount), (first.loan, first.amount))

    @with_transaction()
    def test_paid_in_full_the_loan_closes(self):
        "Every installment paid with its penalty: the loan is closed"
        pool = Pool()
        Loan = pool.get('microloan.loan')
        company = test_module.create_cny_company()
        with set_company(company):
            officer, employee = create_staff(
                company, 'officer', "王敏", 'group_loan_officer')
            loan = self.setup_loan(company, term_months=3, officer=employee)
            on_time = [(i.due_date, i.total) for i in loan.installments]
            for date, amount in on_time[:2]:
                self.repay(date, amount)
            self.assertEqual(Loan(loan.id).state, 'active')
            # the last one two days late: 2 days of penalty and compound
            last = self.repay(
                on_time[2][0] + dt.timedelta(days=2), on_time[2][1])
            self.assertEqual(last.credit, D('0'))
            self.assertEqual(Loan(loan.id).state, 'active')
            loan = Loan(loan.id)
            with Transaction().set_context(servicing_date=last.date):
                loan = Loan(loan.id)
                owed = loan.amount_due
                self.assertEqual(
                    owed, loan.penalty_due + loan.compound_due
                    + loan.installments[2].principal - last.principal)
                self.assertEqual(loan.payoff_amount, owed)
            self.repay(last.date, owed)
            loan = Loan(loan.id)
            self.assertEqual(loan.state, 'closed')
            self.assertEqual(loan.settlement_date, last.date)
            # the settlement hook tells the borrower's officer
            notice, = pool.get('res.notification').search([
                    ('user', '=', officer.id)])
            self.assertIn(loan.rec_name, notice.label)
            self.assertIn('settled', notice.label)
            self.assertEqual(loan.principal_balance, D('0'))
            # nothing more is taken on a closed loan
            with self.assertRaises(DomainValidationError):
                self.repay(last.date, D('1.00'))

    @with_transaction()
    def test_bad_repayments_are_refused_and_nothing_saved(self):
        "Zero, before disbursement, in the future, another currency"
        pool = Pool()
        Repayment = pool.get('microloan.loan.repayment')
        Currency = pool.get('currency.currency')
        LoanTransaction = pool.get('microloan.loan.transaction')
        company = test_module.create_cny_company()
        with set_company(company):
            self.setup_loan(company)
            before = LoanTransaction.search([], count=True)
            with self.assertRaises(DomainValidationError):
                self.repay(dt.date(2026, 3, 10), D('0'))
            with self.assertRaises(DomainValidationError):
                self.repay(dt.date(2026, 3, 10), D('-5.00'))
            for date in [dt.date(2026, 1, 30),
                    dt.date.today() + dt.timedelta(days=1)]:
                with self.assertRaises(RepaymentError):
                    self.repay(date, D('100.00'))
            usd, = Currency.create([{
                        'name': "US Dollar", 'code': 'USD', 'symbol': '$'}])
            with self.assertRaises(RepaymentError):
                self.repay(dt.date(2026, 3, 10), D('100.00'),
                    currency=usd.id)
            self.assertEqual(
                LoanTransaction.search([], count=True), before)
            self.assertFalse(Repayment.search([('state', '!=', 'draft')]))

    @with_transaction()
    def test_closed_period_takes_nothing_dated_in_it(self):
        "业务结账: a repayment dated on or before the closing date is refused"
        pool = Pool()
        Company = pool.get('company.company')
        Repayment = pool.get('microloan.loan.repayment')
        LoanTransaction = pool.get('microloan.loan.transaction')
        company = test_module.create_cny_company()
        with set_company(company):
            self.setup_loan(company)
            Company.write([company], {
                    'microloan_closed_until': dt.date(2026, 3, 31)})
            before = LoanTransaction.search([], count=True)
            for date in [dt.date(2026, 3, 10), dt.date(2026, 3, 31)]:
                with self.assertRaises(LoanTransactionError) as refusal:
                    self.repay(date, D('100.00'))
                self.assertIn('2026', str(refusal.exception))
            self.assertEqual(
                LoanTransaction.search([], count=True), before)
            self.assertFalse(Repayment.search([('state', '!=', 'draft')]))
            # the day after is open
            repayment = self.repay(dt.date(2026, 4, 1), D('100.00'))
            self.assertEqual(repayment.state, 'posted')
            # and a transaction posted by any path in the closed days is
            # refused too
            with self.assertRaises(LoanTransactionError):
                LoanTransaction.post([{
                            'loan': repayment.loan.id,
                            'date': dt.date(2026, 3, 1),
                            'kind': 'fee',
                            'amount': D('5.00'),
                            'fees': D('5.00'),
                            }])

    @with_transaction()
    def test_overpayment_prepays_principal_keeping_the_term(self):
        "An overpayment chosen as prepayment lowers the later installments"
        pool = Pool()
        Loan = pool.get('microloan.loan')
        company = test_module.create_cny_company()
        with set_company(company):
            loan = self.setup_loan(company)
            # on a due date: no interest on the prepaid part
            repayment = self.repay(dt.date(2026, 2, 28), D('28884.88'),
                overpayment='prepay_term')
            self.assertEqual(self.allocation(repayment), (
                    D('0.00'), D('0.00'), D('1000.00'), D('27884.88'),
                    D('0.00')))
            loan = Loan(loan.id)
            self.assertEqual(loan.principal_balance, D('72115.12'))
            self.assertEqual(loan.maturity_date, dt.date(2027, 1, 31))
            self.assertEqual(len(loan.installments), 13)
            later = loan.installments[2]
            self.assertLess(later.total, D('8884.88'))
            self.assertEqual(sum(i.principal for i in loan.installments),
                D('100000.00'))
            # inside a period, the prepaid principal bears its interest by
            # days: the rest of 10,000.00 prepays a little less
            inside = self.repay(dt.date(2026, 3, 15), D('10000.00'),
                overpayment='prepay_installment')
            self.assertEqual(inside.principal + inside.interest
                + inside.credit, D('10000.00'))
            self.assertGreater(inside.interest, D('0'))
            # not a fen more would have paid its interest too
            self.assertLess(inside.credit, D('0.01'))
            # a reversal puts the schedule back
            Repayment = pool.get('microloan.loan.repayment')
            with acting(self.accountant):
                Repayment.reverse([inside])
            loan = Loan(loan.id)
            self.assertEqual(len(loan.installments), 13)
            self.assertEqual(loan.principal_balance, D('72115.12'))
