# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Monthly loan-loss provisions and interest overdue more than 90 days off
the balance sheet (docs/accounting.md, Provisions and off-balance
interest), on the worked example's loan left unpaid"""
import datetime as dt
import unittest
from decimal import Decimal as D

from trytond.model.exceptions import AccessButtonError
from trytond.modules.company.tests import set_company
from trytond.modules.microloan_core.tests.servicing_tools import (
    ServicingSetup)
from trytond.modules.microloan_core.tests.tools import (
    as_user, create_cny_company, create_staff)
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from ..exceptions import ProvisionError
from .test_posting import lines_of
from .tools import map_fund_accounts, setup_ledger, setup_loan

ZERO = D('0.00')


class ProvisionTestCase(ServicingSetup, unittest.TestCase):
    "Test the provisions and the off-balance interest of an unpaid loan"
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_accounting')

    def setup(self):
        company = create_cny_company()
        with set_company(company):
            setup_ledger(company)
            loan = setup_loan(self, company)
            map_fund_accounts(company)
        return company, loan

    def period(self, company, date):
        Period = Pool().get('account.period')
        return Period(Period.find(company, date=date))

    def provision(self, company, date):
        "A computed provision of the month of date"
        Provision = Pool().get('microloan.accounting.provision')
        provision, = Provision.create([{
                    'company': company.id,
                    'period': self.period(company, date).id,
                    }])
        Provision.compute([provision])
        return Provision(provision.id)

    def off_balance(self, company, date):
        "A posted off-balance interest run at date"
        OffBalance = Pool().get('microloan.accounting.off_balance')
        run, = OffBalance.create([{'company': company.id, 'date': date}])
        OffBalance.post([run])
        return OffBalance(run.id)

    def accrue(self, date, interest):
        """Post an interest accrual of the loan on date, as the close of
        the day does (period_close.accrue_to)"""
        LoanTransaction = Pool().get('microloan.loan.transaction')
        LoanTransaction.post([{
                    'loan': self.loan.id, 'date': date, 'kind': 'accrual',
                    'amount': interest, 'interest': interest,
                    }])

    def due_interest(self, start, end):
        "The interest of the loan's installments due from start to end"
        return sum(i.interest for i in self.loan.installments
            if start <= i.due_date <= end)

    def interest_balance(self, date):
        LoanTransaction = Pool().get('microloan.loan.transaction')
        return LoanTransaction.balances([self.loan], date)[
            self.loan.id]['interest']

    @with_transaction()
    def test_provision_by_class_and_change(self):
        "2 % at 31 days, then 25 % at 122: the change posted, to the fen"
        pool = Pool()
        Provision = pool.get('microloan.accounting.provision')
        Company = pool.get('company.company')
        company, loan = self.setup()
        with set_company(company):
            march = self.provision(company, dt.date(2026, 3, 31))
            self.assertEqual(march.date, dt.date(2026, 3, 31))
            self.assertEqual(
                [(l.classification, l.principal, l.ratio, l.amount)
                    for l in march.class_lines], [
                    ('normal', ZERO, D('0'), ZERO),
                    ('special_mention', D('100000.00'), D('0.02'),
                        D('2000.00')),
                    ('substandard', ZERO, D('0.25'), ZERO),
                    ('doubtful', ZERO, D('0.5'), ZERO),
                    ('loss', ZERO, D('1'), ZERO),
                    ])
            line, = march.loan_lines
            self.assertEqual(
                (line.loan, line.days_past_due, line.classification,
                    line.principal, line.amount),
                (loan, 31, 'special_mention', D('100000.00'), D('2000.00')))
            self.assertEqual(
                (march.required, march.previous, march.change),
                (D('2000.00'), ZERO, D('2000.00')))
            self.assertEqual(
                (march.reserve_required, march.reserve_previous,
                    march.reserve_change),
                (D('1500.00'), ZERO, D('1500.00')))
            Provision.post([march])
            march = Provision(march.id)
            self.assertEqual(march.state, 'done')
            self.assertEqual(march.move.origin, march)
            self.assertEqual(march.move.voucher_state, 'draft')
            self.assertEqual(lines_of(march.move), [
                    ('1304', ZERO, D('2000.00')),
                    ('4102', ZERO, D('1500.00')),
                    ('4104', D('1500.00'), ZERO),
                    ('6702', D('2000.00'), ZERO),
                    ])

            # a done period is provided for once
            with self.assertRaises(ProvisionError) as cm:
                self.provision(company, dt.date(2026, 3, 15))
            self.assertIn(march.period.rec_name, cm.exception.message)

            # 122 days past due: substandard, 25 %; the provision before
            # is the ledger's, the March voucher not posted yet
            june = self.provision(company, dt.date(2026, 6, 30))
            line, = june.loan_lines
            self.assertEqual(
                (line.days_past_due, line.classification, line.amount),
                (122, 'substandard', D('25000.00')))
            self.assertEqual(
                (june.required, june.previous, june.change),
                (D('25000.00'), D('2000.00'), D('23000.00')))
            self.assertEqual(june.reserve_change, ZERO)
            Provision.post([june])
            june = Provision(june.id)
            self.assertEqual(lines_of(june.move), [
                    ('1304', ZERO, D('23000.00')),
                    ('6702', D('23000.00'), ZERO),
                    ])

            # a lower ratio: the provision falls, reversed in red
            Company.write([company], {
                    'microloan_provision_substandard': D('0.10')})
            july = self.provision(company, dt.date(2026, 7, 31))
            self.assertEqual(july.change, D('-15000.00'))
            Provision.post([july])
            self.assertEqual(lines_of(Provision(july.id).move), [
                    ('1304', ZERO, D('-15000.00')),
                    ('6702', D('-15000.00'), ZERO),
                    ])

            # nothing posted before a done later period
            april = self.provision(company, dt.date(2026, 4, 30))
            with self.assertRaises(ProvisionError):
                Provision.post([april])
            self.assertEqual(Provision(april.id).state, 'draft')

    @with_transaction()
    def test_buttons_by_group(self):
        "The ledger's accountants compute and post, the loan accountant reads"
        pool = Pool()
        Provision = pool.get('microloan.accounting.provision')
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        company, loan = self.setup()
        ledger_user, _ = create_staff(
            company, 'ledger', "陈静", 'group_accountant')
        User.write([ledger_user], {'groups': [('add', [
                            ModelData.get_id('account', 'group_account')])]})
        with set_company(company):
            provision, = Provision.create([{
                        'company': company.id,
                        'period': self.period(
                            company, dt.date(2026, 3, 31)).id,
                        }])
            with as_user(self.accountant):
                self.assertEqual(
                    len(Provision.search([('id', '=', provision.id)])), 1)
                with self.assertRaises(AccessButtonError):
                    Provision.compute([provision])
            with as_user(ledger_user):
                Provision.post([provision])
            self.assertEqual(Provision(provision.id).required, D('2000.00'))

    @with_transaction()
    def test_off_balance_and_back(self):
        """Over 90 days: the accrued unpaid interest off the balance sheet;
        repaid: brought back"""
        pool = Pool()
        Loan = pool.get('microloan.loan')
        OffBalance = pool.get('microloan.accounting.off_balance')
        company, loan = self.setup()
        with set_company(company):
            june_end = dt.date(2026, 6, 30)
            # the interest of installments 1 to 5, accrued and unpaid
            interest = self.due_interest(loan.start_date, june_end)
            self.assertEqual(interest, D('4203.58'))
            self.accrue(june_end, interest)
            self.assertEqual(self.interest_balance(june_end), interest)

            june = self.off_balance(company, june_end)
            self.assertEqual(june.days, 90)
            self.assertEqual(june.state, 'done')
            line, = june.lines
            self.assertEqual(
                (line.loan, line.days_past_due, line.interest, line.amount,
                    line.previous, line.change),
                (loan, 122, interest, interest, ZERO, interest))
            self.assertEqual(june.move.origin, june)
            self.assertEqual(lines_of(june.move), [
                    ('113201', ZERO, interest),
                    ('601101', interest, ZERO),
                    ('7001', interest, ZERO),
                    ('7002', ZERO, interest),
                    ])
            # the borrower on the receivable when its account asks for one
            receivable, = [l for l in june.move.lines
                if l.account.code == '113201']
            self.assertEqual(receivable.party,
                loan.borrower if receivable.account.party_required else None)

            # nothing dated on or before a done run
            early, = OffBalance.create([{
                        'company': company.id,
                        'date': dt.date(2026, 6, 15)}])
            with self.assertRaises(ProvisionError):
                OffBalance.post([early])

            # the arrears repaid: back to 0 days past due, brought back
            repaid = dt.date(2026, 7, 10)
            with Transaction().set_context(servicing_date=repaid):
                due = Loan(loan.id).amount_due
            self.repay(repaid, due)
            july = self.off_balance(company, repaid)
            line, = july.lines
            self.assertEqual(
                (line.days_past_due, line.amount, line.previous,
                    line.change),
                (0, ZERO, interest, -interest))
            self.assertEqual(july.previous_run, june)
            self.assertEqual(lines_of(july.move), [
                    ('113201', interest, ZERO),
                    ('601101', ZERO, interest),
                    ('7001', ZERO, interest),
                    ('7002', interest, ZERO),
                    ])

            # nothing more off or back: no voucher
            august = self.off_balance(company, dt.date(2026, 7, 11))
            self.assertFalse(august.lines)
            self.assertIsNone(august.move)

    @with_transaction()
    def test_off_balance_posts_the_change(self):
        "A month later, only the interest accrued since goes off"
        company, loan = self.setup()
        with set_company(company):
            may_end, june_end = dt.date(2026, 5, 31), dt.date(2026, 6, 30)
            self.accrue(may_end, self.due_interest(loan.start_date, may_end))
            may = self.off_balance(company, may_end)
            line, = may.lines
            self.assertEqual(line.days_past_due, 92)
            before = self.interest_balance(may_end)
            self.assertEqual(line.amount, before)

            june_interest = self.due_interest(june_end, june_end)
            self.assertEqual(june_interest, D('679.84'))
            self.accrue(june_end, june_interest)
            june = self.off_balance(company, june_end)
            line, = june.lines
            after = self.interest_balance(june_end)
            self.assertEqual(after - before, june_interest)
            self.assertEqual(
                (line.amount, line.previous, line.change),
                (after, before, june_interest))
            self.assertEqual(lines_of(june.move), [
                    ('113201', ZERO, june_interest),
                    ('601101', june_interest, ZERO),
                    ('7001', june_interest, ZERO),
                    ('7002', ZERO, june_interest),
                    ])
