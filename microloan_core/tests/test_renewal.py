# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Renewal (续贷): the new loan's disbursement pays the old one off"
import datetime as dt
import unittest
from decimal import Decimal as D

from trytond.modules.company.tests import set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction

from ..exceptions import RenewalError, RepaymentError
from . import test_module
from .servicing_tools import ServicingSetup
from .tools import as_user as acting
from .tools import create_loan, create_staff


class RenewalTestCase(ServicingSetup, unittest.TestCase):
    "Test a renewal through the disbursement of the new loan"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_core')

    def setup_renewal(self, company, principal):
        """The worked example's loan paid three installments on time, and a
        draft loan of principal from 15 May 2026 renewing it"""
        self.officer, officer_employee = create_staff(
            company, 'officer', "王敏", 'group_loan_officer')
        self.approver, _ = create_staff(
            company, 'approver', "张伟", 'group_approver')
        old = self.setup_loan(company, officer=officer_employee)
        for installment in old.installments[:3]:
            self.repay(installment.due_date, installment.total)
        new = create_loan(company, old.borrower, principal=principal,
            product=self.product.id, start_date=dt.date(2026, 5, 15),
            renewed_loan=old.id)
        return old, new

    def disburse_document(self, loan, date):
        "Request, approve, pay on date and re-check the disbursement"
        Disbursement = Pool().get('microloan.disbursement')
        with acting(self.officer):
            disbursement, = Disbursement.create([{
                        'company': self.company.id,
                        'loan': loan.id,
                        'amount': loan.principal,
                        }])
            Disbursement.request([disbursement])
        with acting(self.approver):
            Disbursement.approve([disbursement])
        with acting(self.cashier):
            Disbursement.write([disbursement], {
                    'fund_account': self.account.id,
                    'payment_date': date,
                    'payment_reference': 'XD20260515',
                    })
            Disbursement.pay([disbursement])
        with acting(self.accountant):
            Disbursement.recheck([disbursement])
        return Disbursement(disbursement.id)

    @with_transaction()
    def test_disbursement_pays_the_old_loan_off(self):
        "The old loan is settled by a 续贷还款 of its payoff"
        pool = Pool()
        Loan = pool.get('microloan.loan')
        company = test_module.create_cny_company()
        with set_company(company):
            old, new = self.setup_renewal(company, D('100000.00'))
            date = dt.date(2026, 5, 15)
            self.disburse_document(new, date)
            old, new = Loan(old.id), Loan(new.id)
            self.assertEqual(new.state, 'active')
            self.assertEqual(old.state, 'closed')
            self.assertEqual(old.principal_balance, D('0.00'))
            self.assertEqual(old.renewals, (new,))
            # terminated on the day: the principal left after three
            # installments and its interest of 15 days at 12 % (360 days)
            termination, = old.changes
            self.assertEqual((termination.kind, termination.state),
                ('termination', 'applied'))
            self.assertEqual(old.maturity_date, date)
            payoff = D('76108.02') + (D('76108.02') * D('0.12') * 15
                / 360).quantize(D('0.01'))
            payoff_repayment, = [r for r in old.repayments
                if r.channel == 'renewal']
            self.assertEqual(
                (payoff_repayment.state, payoff_repayment.date,
                    payoff_repayment.amount, payoff_repayment.credit,
                    payoff_repayment.renewal, payoff_repayment.fund_account),
                ('posted', date, payoff, D('0.00'), new, self.account))
            self.assertEqual(payoff_repayment.principal, D('76108.02'))

    @with_transaction()
    def test_payoff_above_the_new_principal_is_refused(self):
        "A renewal that cannot pay the old loan off is not requested"
        pool = Pool()
        Disbursement = pool.get('microloan.disbursement')
        Repayment = pool.get('microloan.loan.repayment')
        company = test_module.create_cny_company()
        with set_company(company):
            old, new = self.setup_renewal(company, D('50000.00'))
            with acting(self.officer):
                disbursement, = Disbursement.create([{
                            'company': company.id,
                            'loan': new.id,
                            'amount': new.principal,
                            }])
                with self.assertRaises(RenewalError) as refusal:
                    Disbursement.request([disbursement])
            self.assertIn(new.rec_name, str(refusal.exception))
            self.assertEqual(Disbursement(disbursement.id).state, 'draft')
            # nor is a renewal payoff keyed in by hand
            with self.assertRaises(RepaymentError):
                self.repay(dt.date(2026, 5, 15), D('1000.00'),
                    channel='renewal')
            self.assertFalse(Repayment.search([
                        ('channel', '=', 'renewal'),
                        ('state', '!=', 'draft')]))

    @with_transaction()
    def test_renewal_payoff_is_not_reversed_alone(self):
        "The payoff of a renewal stays with the new loan's disbursement"
        pool = Pool()
        Loan = pool.get('microloan.loan')
        Repayment = pool.get('microloan.loan.repayment')
        company = test_module.create_cny_company()
        with set_company(company):
            old, new = self.setup_renewal(company, D('100000.00'))
            self.disburse_document(new, dt.date(2026, 5, 15))
            payoff, = Repayment.search([('channel', '=', 'renewal')])
            with acting(self.cashier):
                with self.assertRaises(RepaymentError):
                    Repayment.reverse([payoff])
            self.assertEqual(Loan(old.id).state, 'closed')
