# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Property: the order repayments are entered in, and the reversals among
them, never change the result (docs/servicing.md, rule 7).

Random loans get random repayments (on time, late, partial, over) entered
in a random order (backdated entries), some reversed by another user; their
twin loans get the surviving repayments in date order.  Both must end with
the same allocations, balances, dues and days past due to the fen.  The
seed is printed; SERVICING_SEED replays one."""
import datetime as dt
import os
import random
import unittest
from decimal import Decimal as D

from trytond.modules.company.tests import set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from . import test_module
from .tools import as_user as acting
from .tools import (
    create_customer, create_fund_account, create_loan, create_product,
    create_staff, disburse)

BALANCES = ['principal_balance', 'interest_balance', 'fees_balance',
    'penalty_balance', 'compound_balance', 'credit_balance']
DUES = ['amount_due', 'penalty_due', 'compound_due', 'payoff_amount',
    'days_past_due', 'classification']
ALLOCATION = ['fees', 'penalty', 'compound', 'interest', 'principal',
    'credit']


class ServicingPropertiesTestCase(unittest.TestCase):
    "Entry order and reversals do not change what a borrower owes"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_core')

    def setup_company(self, company):
        self.cashier, _ = create_staff(
            company, 'cashier', "钱芳", 'group_cashier')
        self.accountant, _ = create_staff(
            company, 'accountant', "孙会计", 'group_accountant')
        self.account = create_fund_account(company)
        self.products = [
            create_product(company),
            create_product(company, code='JY01', name="经营贷",
                allocation_method='component', grace_days=3,
                penalty_markup=D('0.3'), compound_interest=False),
            ]
        self.borrower = create_customer("孙建国", 1)

    def disbursed_loan(self, company, terms):
        return disburse(create_loan(company, self.borrower, **terms))

    def random_repayments(self, rng, loan, today):
        "[(date, amount)]: on time, late, partial and over"
        result = []
        for installment in loan.installments:
            if installment.due_date >= today or rng.random() < 0.2:
                continue
            kind = rng.choice(['on_time', 'late', 'partial', 'over'])
            date = installment.due_date
            amount = installment.total
            if kind == 'late':
                date += dt.timedelta(days=rng.randrange(1, 40))
            elif kind == 'partial':
                amount = (amount * D(rng.randrange(5, 95)) / 100).quantize(
                    D('0.01'))
            elif kind == 'over':
                amount += D(rng.randrange(1, 100000)) / 100
            result.append((min(date, today), amount))
        return result

    def repay(self, loan, date, amount):
        Repayment = Pool().get('microloan.loan.repayment')
        with acting(self.cashier):
            repayment, = Repayment.create([{
                        'loan': loan.id, 'date': date, 'amount': amount,
                        'fund_account': self.account.id,
                        'channel': 'transfer', 'payer': "孙建国",
                        }])
            Repayment.post([repayment])
        return repayment

    @with_transaction()
    def test_entry_order_and_reversals_do_not_change_the_result(self):
        pool = Pool()
        Loan = pool.get('microloan.loan')
        Repayment = pool.get('microloan.loan.repayment')
        seed = int(os.environ.get(
                'SERVICING_SEED', random.randrange(10 ** 6)))
        print('servicing properties seed', seed)
        rng = random.Random(seed)
        today = Pool().get('ir.date').today()
        company = test_module.create_cny_company()
        with set_company(company):
            self.setup_company(company)
            for _ in range(3):
                product = rng.choice(self.products)
                terms = {
                    'product': product.id,
                    'principal': D(rng.randrange(1000000, 20000000)) / 100,
                    'annual_rate': D(rng.randrange(80, 180)) / 1000,
                    # maturing after today: an installment not yet due
                    # keeps the loan open, so every repayment drawn is
                    # taken by both twins (a settled loan takes none,
                    # docs/servicing.md rule 8)
                    'term_months': rng.choice([12, 15]),
                    'method': rng.choice(
                        ['equal_installment', 'equal_principal']),
                    'start_date': today - dt.timedelta(
                        days=rng.randrange(120, 330)),
                    }
                shuffled = self.disbursed_loan(company, terms)
                in_order = self.disbursed_loan(company, terms)
                payments = self.random_repayments(rng, shuffled, today)
                extra = [(shuffled.start_date + dt.timedelta(
                            days=rng.randrange(1, (today
                                    - shuffled.start_date).days)),
                        D(rng.randrange(100, 500000)) / 100)
                    for _ in range(2)]
                entries = list(enumerate(payments + extra))
                rng.shuffle(entries)
                reversed_ = set(rng.sample(
                        [n for n, _ in entries], k=2))
                posted = {}
                for n, (date, amount) in entries:
                    posted[n] = self.repay(shuffled, date, amount)
                    if n in reversed_:
                        continue
                    # reverse the marked ones at a random later moment
                    for m in list(reversed_):
                        if m in posted and rng.random() < 0.5:
                            with acting(self.accountant):
                                Repayment.reverse([posted[m]])
                            reversed_.discard(m)
                            posted.pop(m)
                with acting(self.accountant):
                    Repayment.reverse([posted.pop(m) for m in reversed_
                            if m in posted])
                # the events of one value date apply in the order they
                # were posted (docs/servicing.md): the twins of a day are
                # posted in the shuffled loan's order
                survivors = sorted(
                    ((date, k, n, amount)
                        for k, (n, (date, amount)) in enumerate(entries)
                        if n in posted))
                twins = {}
                for date, _, n, amount in survivors:
                    twins[n] = self.repay(in_order, date, amount)
                Loan.replay([Loan(shuffled.id), Loan(in_order.id)], today)
                message = 'seed %s' % seed
                for n, repayment in posted.items():
                    repayment = Repayment(repayment.id)
                    twin = Repayment(twins[n].id)
                    self.assertEqual(
                        [getattr(repayment, a) for a in ALLOCATION],
                        [getattr(twin, a) for a in ALLOCATION], message)
                with Transaction().set_context(servicing_date=today):
                    first, second = Loan.browse([shuffled.id, in_order.id])
                    for name in BALANCES + DUES + ['state']:
                        self.assertEqual(getattr(first, name),
                            getattr(second, name), (name, message))
                    for a, b in zip(first.installments, second.installments):
                        self.assertEqual(
                            (a.paid, a.outstanding, a.installment_state),
                            (b.paid, b.outstanding, b.installment_state),
                            message)
