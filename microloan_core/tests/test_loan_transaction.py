# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Loan transactions: signed portions, reversals, balances and loan state"
import datetime as dt
import unittest
from decimal import Decimal as D

from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from ..exceptions import LoanStateError, LoanTransactionError
from .tools import as_user, create_cny_company, create_loan, create_user, post


def balances(loan):
    Loan = Pool().get('microloan.loan')
    loan = Loan(loan.id)
    return (loan.principal_balance, loan.interest_balance,
        loan.fees_balance, loan.penalty_balance, loan.fees_charged,
        loan.disbursed_amount)


class LoanTransactionTestCase(unittest.TestCase):
    "Test loan transactions and the balances they make"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_core')

    @with_transaction()
    def test_disbursement_and_fee_make_the_balances(self):
        "A disbursement and a fee charged: balances to the fen, loan active"
        Loan = Pool().get('microloan.loan')
        company = create_cny_company()
        with set_company(company):
            loan = create_loan(company)
            self.assertEqual(loan.state, 'draft')
            post(loan, 'disbursement', principal=D('100000.00'))
            post(loan, 'fee', fees=D('1000.00'))
            post(loan, 'accrual', date=dt.date(2026, 2, 28),
                interest=D('1000.00'))

            self.assertEqual(balances(loan), (D('100000.00'), D('1000.00'),
                    D('1000.00'), D('0'), D('1000.00'), D('100000.00')))
            loan = Loan(loan.id)
            self.assertEqual(loan.state, 'active')
            self.assertEqual(
                [(t.kind, t.amount) for t in loan.transactions],
                [('disbursement', D('100000.00')), ('fee', D('1000.00')),
                    ('accrual', D('1000.00'))])
            self.assertEqual(
                {t.created_by.id for t in loan.transactions},
                {Transaction().user})

    @with_transaction()
    def test_balances_of_many_loans_in_one_query_and_up_to_a_date(self):
        "Each loan sums only its own transactions, up to the date asked"
        LoanTransaction = Pool().get('microloan.loan.transaction')
        company = create_cny_company()
        with set_company(company):
            first = create_loan(
                company, principal=D('12345.67'))
            second = create_loan(
                company, principal=D('23456.78'))
            untouched = create_loan(company)
            post(first, 'disbursement', principal=D('12345.67'))
            post(first, 'penalty', date=dt.date(2026, 4, 1),
                penalty=D('3.33'))
            post(second, 'disbursement', principal=D('23456.78'))
            post(second, 'repayment', date=dt.date(2026, 2, 28),
                principal=D('-1950.01'), interest=D('-234.57'))

            result = LoanTransaction.balances([first, second, untouched])
            self.assertEqual(
                (result[first.id]['principal'], result[first.id]['penalty']),
                (D('12345.67'), D('3.33')))
            self.assertEqual(
                (result[second.id]['principal'],
                    result[second.id]['interest']),
                (D('21506.77'), D('-234.57')))
            self.assertEqual(result[untouched.id]['principal'], D('0'))
            before = LoanTransaction.balances(
                [first, second], date=dt.date(2026, 2, 27))
            self.assertEqual(before[first.id]['penalty'], D('0'))
            self.assertEqual(
                before[second.id]['principal'], D('23456.78'))

    @with_transaction()
    def test_reversal_leaves_the_balance_exact(self):
        "A reversed fee leaves no fee; a reversed disbursement a draft loan"
        pool = Pool()
        Loan = pool.get('microloan.loan')
        LoanTransaction = pool.get('microloan.loan.transaction')
        company = create_cny_company()
        with set_company(company):
            loan = create_loan(company)
            disbursement = post(loan, 'disbursement',
                principal=D('100000.00'))
            fee = post(loan, 'fee', fees=D('1234.56'))
            kept = post(loan, 'fee', fees=D('0.01'))

            reversal, = LoanTransaction.reverse([fee])
            self.assertEqual(
                (reversal.kind, reversal.amount, reversal.fees,
                    reversal.reverses),
                ('reversal', D('-1234.56'), D('-1234.56'), fee))
            self.assertEqual(LoanTransaction(fee.id).reversed_by, reversal)
            self.assertEqual(balances(loan), (D('100000.00'), D('0'),
                    D('0.01'), D('0'), D('0.01'), D('100000.00')))

            # a transaction is reversed once, a reversal never
            for transaction in [fee, reversal]:
                with self.assertRaises(LoanTransactionError):
                    LoanTransaction.reverse([transaction])

            LoanTransaction.reverse([disbursement])
            self.assertEqual(balances(loan), (D('0'), D('0'),
                    D('0.01'), D('0'), D('0.01'), D('0')))
            self.assertEqual(Loan(loan.id).state, 'draft')
            self.assertEqual(len(LoanTransaction.search([
                            ('loan', '=', loan.id)])), 5)
            self.assertIsNone(LoanTransaction(kept.id).reversed_by)

    @with_transaction()
    def test_portions_must_sum_to_the_amount(self):
        "An amount other than its portions' sum is refused, nothing saved"
        LoanTransaction = Pool().get('microloan.loan.transaction')
        company = create_cny_company()
        with set_company(company):
            loan = create_loan(company)
            with self.assertRaises(LoanTransactionError) as context:
                LoanTransaction.post([{
                            'loan': loan.id,
                            'date': dt.date(2026, 1, 31),
                            'kind': 'disbursement',
                            'amount': D('100000.00'),
                            'principal': D('99999.99'),
                            }])
            message = str(context.exception)
            self.assertRegex(message, r'100,?000\.00')
            self.assertRegex(message, r'99,?999\.99')
            self.assertEqual(LoanTransaction.search([]), [])

    @with_transaction()
    def test_kind_refuses_foreign_or_wrongly_signed_portions(self):
        "A fee carries fees only; a repayment takes off, never adds"
        LoanTransaction = Pool().get('microloan.loan.transaction')
        company = create_cny_company()
        with set_company(company):
            loan = create_loan(company)
            post(loan, 'disbursement', principal=D('100000.00'))
            refused = [
                ('fee', {'principal': D('10.00')}),
                ('fee', {'fees': D('-10.00')}),
                ('repayment', {'principal': D('10.00')}),
                ('waiver', {'principal': D('-10.00')}),
                ('reversal', {'principal': D('-100000.00')}),
                ]
            for kind, portions in refused:
                with self.subTest(kind=kind, portions=portions):
                    with self.assertRaises(LoanTransactionError):
                        post(loan, kind, **portions)
            self.assertEqual(len(LoanTransaction.search([])), 1)

    @with_transaction()
    def test_second_disbursement_is_refused(self):
        "One disbursement in force per loan, even posted together"
        LoanTransaction = Pool().get('microloan.loan.transaction')
        company = create_cny_company()
        with set_company(company):
            loan = create_loan(company)
            other = create_loan(company)
            first = post(loan, 'disbursement', principal=D('100000.00'))
            with self.assertRaises(LoanTransactionError) as context:
                post(loan, 'disbursement', principal=D('100000.00'))
            self.assertIn(loan.number, str(context.exception))
            with self.assertRaises(LoanTransactionError):
                LoanTransaction.post([{
                            'loan': other.id,
                            'date': dt.date(2026, 1, 31),
                            'kind': 'disbursement',
                            'amount': D('1.00'),
                            'principal': D('1.00'),
                            }] * 2)
            # once reversed, the loan may be disbursed again
            LoanTransaction.reverse([first])
            post(loan, 'disbursement', principal=D('100000.00'))
            self.assertEqual(balances(loan)[0], D('100000.00'))

    @with_transaction()
    def test_transactions_are_never_edited_nor_deleted(self):
        "Write, delete and copy are refused; no role creates them"
        pool = Pool()
        LoanTransaction = pool.get('microloan.loan.transaction')
        company = create_cny_company()
        with set_company(company):
            loan = create_loan(company)
            transaction = post(loan, 'disbursement', principal=D('100000.00'))
            with self.assertRaises(LoanTransactionError):
                LoanTransaction.write([transaction], {'reference': "X"})
            with self.assertRaises(LoanTransactionError):
                LoanTransaction.delete([transaction])
            with self.assertRaises(LoanTransactionError):
                LoanTransaction.copy([transaction])
            admin = create_user('ml_admin', company, ['group_microloan_admin'])
            with as_user(admin):
                self.assertEqual(LoanTransaction.search([]), [transaction])
                with self.assertRaises(AccessError):
                    LoanTransaction.create([{
                                'loan': loan.id,
                                'date': dt.date(2026, 1, 31),
                                'kind': 'fee',
                                'amount': D('1.00'),
                                'fees': D('1.00'),
                                }])
            self.assertEqual(LoanTransaction.search([]), [transaction])

    @with_transaction()
    def test_terms_freeze_once_the_loan_is_out_of_draft(self):
        "An active loan refuses new terms, a new schedule and deletion"
        Loan = Pool().get('microloan.loan')
        company = create_cny_company()
        with set_company(company):
            loan = create_loan(company)
            Loan.compute_schedule([loan])
            post(loan, 'disbursement', principal=D('100000.00'))
            loan = Loan(loan.id)
            with self.assertRaises(LoanStateError) as context:
                Loan.write([loan], {'annual_rate': D('0.10')})
            self.assertIn(loan.number, str(context.exception))
            with self.assertRaises(LoanStateError):
                Loan.compute_schedule([loan])
            with self.assertRaises(LoanStateError):
                Loan.delete([loan])
            loan = Loan(loan.id)
            self.assertEqual(loan.annual_rate, D('0.12'))
            self.assertEqual(len(loan.installments), 12)
