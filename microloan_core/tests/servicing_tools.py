# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The disbursed loan the servicing tests start from, and their repayments"
from trytond.pool import Pool
from trytond.transaction import Transaction

from .tools import (
    create_customer, create_fund_account, create_loan, create_product,
    create_staff, disburse)


class ServicingSetup:
    "A mixin of test cases: a disbursed loan, repayments and allocations"

    def setup_loan(self, company, officer=None, **terms):
        """The worked example's loan (100,000.00 at 12 %, 12 equal
        installments from 2026-01-31, terms overriding), disbursed, with a
        cashier and an accountant; the borrower is officer's customer
        (an employee) when given"""
        self.company = company
        self.cashier, _ = create_staff(
            company, 'cashier', "钱芳", 'group_cashier')
        self.accountant, _ = create_staff(
            company, 'accountant', "孙会计", 'group_accountant')
        self.product = create_product(company)
        self.account = create_fund_account(company)
        borrower = create_customer("孙建国", 1, officer=officer)
        self.loan = disburse(create_loan(
                company, borrower, product=self.product.id, **terms))
        return self.loan

    def repay(self, date, amount, post=True, **values):
        Repayment = Pool().get('microloan.loan.repayment')
        repayment, = Repayment.create([dict({
                        'company': self.company.id,
                        'loan': self.loan.id,
                        'date': date,
                        'amount': amount,
                        'fund_account': self.account.id,
                        'channel': 'transfer',
                        'payer': "孙建国",
                        }, **values)])
        if post:
            with Transaction().set_context(_check_access=False):
                Repayment.post([repayment])
        return Repayment(repayment.id)

    def allocation(self, repayment):
        return tuple(getattr(repayment, n) for n in [
                'penalty', 'compound', 'interest', 'principal', 'credit'])

