# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Loan transactions into vouchers by the posting rules, and the voucher
steps (docs/accounting.md, Posting rules, Posting, Vouchers)"""
import datetime as dt
import unittest
from decimal import Decimal as D

from trytond.modules.company.tests import set_company
from trytond.modules.microloan_core.tests.servicing_tools import (
    ServicingSetup)
from trytond.modules.microloan_core.tests.tools import (
    create_cny_company, create_staff)
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from ..exceptions import PostingRuleError, VoucherError
from .tools import balances, map_fund_accounts, setup_ledger, setup_loan


def lines_of(move):
    "The voucher's lines as (code, debit, credit), sorted"
    return sorted((l.account.code, l.debit, l.credit) for l in move.lines)


class PostingTestCase(ServicingSetup, unittest.TestCase):
    "Test the loans' vouchers on the worked example of docs/servicing.md"
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

    @with_transaction()
    def test_worked_example_vouchers(self):
        "The disbursement, the accruals and two repayments to the fen"
        pool = Pool()
        LoanTransaction = pool.get('microloan.loan.transaction')
        company, loan = self.setup()
        with set_company(company):
            self.repay(dt.date(2026, 3, 10), D('8884.88'))
            moves = LoanTransaction.post_to_ledger(
                company, dt.date(2026, 3, 10))
            self.assertEqual(
                [(m.date, lines_of(m)) for m in moves], [
                    (dt.date(2026, 1, 31), [
                            ('1002', D(0), D('100000.00')),
                            ('1303', D('100000.00'), D(0))]),
                    (dt.date(2026, 3, 10), [
                            ('1002', D('8884.88'), D(0)),
                            ('113201', D(0), D('1000.00')),
                            ('1303', D(0), D('7840.46')),
                            # penalty and compound interest, each its line
                            ('601102', D(0), D('5.00')),
                            ('601102', D(0), D('39.42'))]),
                    # the accruals up to the repayment: installment 1 in
                    # full, installment 2 for 10 of its 31 days
                    (dt.date(2026, 3, 10), [
                            ('113201', D('1000.00') + D('326.86'), D(0)),
                            ('601101', D(0), D('1326.86'))]),
                    ])
            # the party of the loan's lines
            disbursement = moves[0]
            self.assertEqual(
                {l.party for l in disbursement.lines
                    if l.account.code == '1303'}, {loan.borrower})
            # nothing pending any more
            self.assertFalse(LoanTransaction.search([
                        ('loan', '=', loan.id),
                        ('ledger_state', '=', 'pending'),
                        ]))
            self.assertEqual(
                LoanTransaction.post_to_ledger(
                    company, dt.date(2026, 3, 10)), [])

    @with_transaction()
    def test_voucher_steps(self):
        "Prepared, reviewed by another, signed by the cashier, posted"
        pool = Pool()
        LoanTransaction = pool.get('microloan.loan.transaction')
        Move = pool.get('account.move')
        company, loan = self.setup()
        preparer_user, preparer = create_staff(
            company, 'preparer', "陈静", 'group_accountant')
        reviewer_user, reviewer = create_staff(
            company, 'reviewer', "李强", 'group_accountant')
        with set_company(company):
            with Transaction().set_user(preparer_user.id):
                move, = LoanTransaction.post_to_ledger(
                    company, dt.date(2026, 1, 31))
            self.assertEqual(move.prepared_by, preparer)
            self.assertEqual(move.voucher_state, 'draft')
            with Transaction().set_user(preparer_user.id), \
                    self.assertRaises(VoucherError) as cm:
                Move.voucher_review([move])
            self.assertIn(move.rec_name, cm.exception.message)
            with Transaction().set_user(reviewer_user.id):
                Move.voucher_review([move])
                # moving the bank: the cashier signs first
                with self.assertRaises(VoucherError):
                    Move.voucher_post([move])
            with Transaction().set_user(self.cashier.id):
                Move.voucher_sign([move])
            with Transaction().set_user(reviewer_user.id):
                Move.voucher_post([move])
            move = Move(move.id)
            self.assertEqual(move.state, 'posted')
            self.assertEqual(move.voucher_number, '记-202601-0001')
            self.assertEqual(move.reviewed_by, reviewer)
            self.assertEqual(move.signed_by, self.cashier.employee)
            self.assertEqual(move.posted_by, reviewer)
            self.assertEqual(balances(company, ['1303', '1002']), {
                    '1303': D('100000.00'), '1002': D('-100000.00')})

            # a posted voucher is reversed in red, never edited
            with self.assertRaises(Exception):
                Move.write([move], {'description': "改"})
            reversal, = Move.voucher_reverse([move])
            self.assertEqual(reversal.reversal_of, move)
            self.assertEqual(lines_of(reversal), [
                    ('1002', D(0), D('-100000.00')),
                    ('1303', D('-100000.00'), D(0))])
            with self.assertRaises(VoucherError):
                Move.voucher_reverse([move])

    @with_transaction()
    def test_refusals(self):
        "Unbalanced, empty, a rule missing: refused, nothing saved"
        pool = Pool()
        LoanTransaction = pool.get('microloan.loan.transaction')
        Move = pool.get('account.move')
        Rule = pool.get('microloan.accounting.rule')
        Account = pool.get('account.account')
        company, loan = self.setup()
        with set_company(company):
            rule, = Rule.search([
                    ('company', '=', company.id),
                    ('kind', '=', 'disbursement'),
                    ])
            Rule.delete([rule])
            with self.assertRaises(PostingRuleError) as cm:
                LoanTransaction.post_to_ledger(company, dt.date(2026, 1, 31))
            self.assertIn(self.product.rec_name, cm.exception.message)
            self.assertFalse(Move.search([]))
            self.assertEqual(len(LoanTransaction.search([
                            ('ledger_state', '=', 'pending')])), 1)

            bank, = Account.search([('code', '=', '1002')])
            loans, = Account.search([('code', '=', '1303')])
            move, = Move.create([Move.voucher_values(
                        company, dt.date(2026, 2, 1), "试算", [
                            (bank, None, D('10.00'), D(0), "借"),
                            (loans, loan.borrower, D(0), D('9.99'), "贷"),
                            ])])
            with self.assertRaises(VoucherError) as cm:
                Move.voucher_review([move])
            self.assertEqual(Move(move.id).voucher_state, 'draft')


class AccrueTestCase(ServicingSetup, unittest.TestCase):
    "Test the interest accrued to a day (docs/accounting.md, Period end)"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_accounting')

    @with_transaction()
    def test_accrue_to_month_end(self):
        "计提利息 posts the accrual up to the day and records it"
        pool = Pool()
        LoanTransaction = pool.get('microloan.loan.transaction')
        Accrue = pool.get('microloan.accounting.accrue', type='wizard')
        company = create_cny_company()
        with set_company(company):
            setup_ledger(company)
            loan = setup_loan(self, company)
            Accrue.accrue_to(company, dt.date(2026, 2, 10))
            accruals = LoanTransaction.search([
                    ('loan', '=', loan.id), ('kind', '=', 'accrual')])
            # docs/servicing.md: 1,000.00 x 11 / 28
            self.assertEqual([(a.date, a.interest) for a in accruals],
                [(dt.date(2026, 2, 10), D('392.86'))])
            self.assertEqual(company.microloan_accrued_until,
                dt.date(2026, 2, 10))
