# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Bank statements (docs/accounting.md, Bank statements): the bank lines
matched with the loans' cash transactions, automatically and by hand, and
the outstanding items (未达账项) on both sides"""
import datetime as dt
import unittest
from decimal import Decimal as D

from trytond.model.exceptions import AccessError
from trytond.model.modelsql import SQLConstraintError
from trytond.modules.company.tests import set_company
from trytond.modules.microloan_core.tests.servicing_tools import (
    ServicingSetup)
from trytond.modules.microloan_core.tests.tools import as_user as acting
from trytond.modules.microloan_core.tests.tools import (
    create_cny_company, create_customer, create_fund_account, create_loan,
    create_product, create_staff, refused)
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from ..exceptions import StatementMatchError


class StatementTestCase(ServicingSetup, unittest.TestCase):
    "Test the matching of bank statements with loan transactions"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_accounting')

    def setup_bank(self, company):
        """A loan of 100,000.00 paid out through the fund account, four
        repayments into it (the third reversed), a fifth with no bank line,
        and the statement of the journal mapped to the fund account"""
        pool = Pool()
        Loan = pool.get('microloan.loan')
        LoanTransaction = pool.get('microloan.loan.transaction')
        Repayment = pool.get('microloan.loan.repayment')
        self.company = company
        self.cashier, _ = create_staff(
            company, 'cashier', "钱芳", 'group_cashier')
        self.accountant, _ = create_staff(
            company, 'accountant', "孙会计", 'group_accountant')
        self.officer, _ = create_staff(
            company, 'officer', "李信贷", 'group_loan_officer')
        self.product = create_product(company)
        self.account = create_fund_account(company)
        borrower = create_customer("孙建国", 1)
        loan = create_loan(company, borrower, product=self.product.id)
        Loan.compute_schedule([loan])
        Loan.write([loan], {'state': 'disbursing'})
        self.disbursement, = LoanTransaction.post([{
                    'loan': loan.id,
                    'date': dt.date(2026, 1, 31),
                    'kind': 'disbursement',
                    'amount': D('100000.00'),
                    'principal': D('100000.00'),
                    'fund_account': self.account.id,
                    'reference': 'FK-001',
                    }])
        self.loan = Loan(loan.id)
        self.r1 = self.repay(dt.date(2026, 2, 28), D('8884.88'),
            reference='HK-0228')
        self.r2 = self.repay(dt.date(2026, 3, 31), D('8884.88'),
            reference='HK-0331')
        self.r3 = self.repay(dt.date(2026, 4, 30), D('8884.88'),
            reference='HK-0430')
        self.r4 = self.repay(dt.date(2026, 5, 29), D('5000.00'))
        # the reversal of r3 replays r4: its transaction is reversed and
        # posted again, by the same repayment
        with acting(self.accountant):
            Repayment.reverse([self.r3])
        self.r5 = self.repay(dt.date(2026, 6, 30), D('1000.00'),
            reference='HK-0630')
        self.journal = self.create_journal(company, self.account)
        origins = [
            (dt.date(2026, 1, 31), D('-100000.00'), 'FK-001', "放款"),
            (dt.date(2026, 3, 1), D('8884.88'), 'HK-0228', "还款"),
            (dt.date(2026, 4, 1), D('8884.88'), 'B-77', "还款 HK-0331"),
            # r3 was reversed: not a candidate
            (dt.date(2026, 5, 2), D('8884.88'), None, "还款"),
            (dt.date(2026, 5, 30), D('5000.00'), None, None),
            # off by amount
            (dt.date(2026, 3, 2), D('8884.00'), None, "还款"),
            ]
        self.statement = self.create_statement(self.journal, origins)
        self.o1, self.o2, self.o3, self.o4, self.o5, self.o6 = (
            self.statement.origins)

    def create_journal(self, company, fund_account):
        "The statement journal of the bank account 1002 of fund_account"
        pool = Pool()
        Journal = pool.get('account.journal')
        AccountType = pool.get('account.account.type')
        Account = pool.get('account.account')
        StatementJournal = pool.get('account.statement.journal')
        journal, = Journal.create([{
                    'name': "银行对账单", 'type': 'statement'}])
        type_, = AccountType.create([{
                    'name': "货币资金", 'statement': 'balance',
                    'company': company.id}])
        account, = Account.create([{
                    'name': "银行存款", 'code': '1002',
                    'type': type_.id, 'company': company.id}])
        statement_journal, = StatementJournal.create([{
                    'name': fund_account.name,
                    'journal': journal.id,
                    'account': account.id,
                    'company': company.id,
                    'currency': company.currency.id,
                    'validation': 'balance',
                    'microloan_fund_account': fund_account.id,
                    }])
        return statement_journal

    def create_statement(self, journal, origins):
        """A draft statement of journal with origins [(date, amount,
        number, description)]"""
        Statement = Pool().get('account.statement')
        statement, = Statement.create([{
                    'name': "2026 工行对账单",
                    'journal': journal.id,
                    'company': journal.company.id,
                    'date': dt.date(2026, 6, 30),
                    'start_balance': D('0'),
                    'end_balance': sum((o[1] for o in origins), D('0')),
                    'origins': [('create', [{
                                    'date': date,
                                    'amount': amount,
                                    'number': number,
                                    'description': description,
                                    } for date, amount, number, description
                                in origins])],
                    }])
        return Statement(statement.id)

    def repayment_transactions(self, repayment):
        "The repayment transaction in force of a repayment"
        LoanTransaction = Pool().get('microloan.loan.transaction')
        return [t for t in LoanTransaction.in_force([self.loan], ['repayment'])
            if t.origin == repayment]

    def matched(self, origin):
        Origin = Pool().get('account.statement.origin')
        return sorted(m.transaction.id
            for m in Origin(origin.id).microloan_matches)

    def outstanding(self, date=None):
        "The outstanding bank lines and loan transactions (ids) up to date"
        pool = Pool()
        Origin = pool.get('account.statement.origin')
        LoanTransaction = pool.get('microloan.loan.transaction')
        with Transaction().set_context(outstanding_date=date):
            return (
                sorted(o.id for o in Origin.search([
                            ('microloan_outstanding', '=', True)])),
                sorted(t.id for t in LoanTransaction.search([
                            ('bank_outstanding', '=', True)])))

    @with_transaction()
    def test_automatic_match_of_a_statement(self):
        "Bank lines matched by fund account, amount, date and reference"
        Statement = Pool().get('account.statement')
        company = create_cny_company()
        with set_company(company):
            self.setup_bank(company)
            # before: every bank line and cash transaction is outstanding
            r4, = self.repayment_transactions(self.r4)
            r5, = self.repayment_transactions(self.r5)
            self.assertEqual(self.outstanding()[1], sorted([
                        self.disbursement.id,
                        self.repayment_transactions(self.r1)[0].id,
                        self.repayment_transactions(self.r2)[0].id,
                        r4.id, r5.id]))
            with acting(self.cashier):
                Statement.microloan_auto_match([self.statement])
            self.assertEqual(self.matched(self.o1), [self.disbursement.id])
            self.assertEqual(self.matched(self.o2),
                [t.id for t in self.repayment_transactions(self.r1)])
            # the reference is in the bank line's description
            self.assertEqual(self.matched(self.o3),
                [t.id for t in self.repayment_transactions(self.r2)])
            # r4 posted again by the replay: its transaction in force
            self.assertEqual(self.matched(self.o5), [r4.id])
            # the reversed repayment and the amount off are not matched
            self.assertEqual(self.matched(self.o4), [])
            self.assertEqual(self.matched(self.o6), [])

            origins, transactions = self.outstanding()
            self.assertEqual(origins, sorted([self.o4.id, self.o6.id]))
            self.assertEqual(transactions, [r5.id])
            # up to 2026-05-31 the repayment of June is not yet due
            self.assertEqual(
                self.outstanding(dt.date(2026, 5, 31)),
                (sorted([self.o4.id, self.o6.id]), []))
            # up to 2026-03-02 the repayment of 03-31 is not outstanding,
            # and its bank line of 04-01 not yet known
            origins, transactions = self.outstanding(dt.date(2026, 3, 2))
            self.assertEqual(origins, [self.o6.id])
            self.assertEqual(transactions, [])

            # matching again leaves the matches as they are
            Statement.microloan_auto_match([self.statement])
            self.assertEqual(self.matched(self.o5), [r4.id])
            self.assertEqual(self.matched(self.o4), [])

    @with_transaction()
    def test_reference_and_date_window_decide_candidates(self):
        "A different reference or a date beyond the window is no candidate"
        pool = Pool()
        Origin = pool.get('account.statement.origin')
        Journal = pool.get('account.statement.journal')
        company = create_cny_company()
        with set_company(company):
            self.setup_bank(company)
            statement = self.create_statement(self.journal, [
                    (dt.date(2026, 3, 1), D('8884.88'), 'HK-9999', None),
                    (dt.date(2026, 3, 5), D('8884.88'), None, None),
                    (dt.date(2026, 3, 3), D('8884.88'), None, None),
                    ])
            wrong, late, within = statement.origins
            candidates = Origin.microloan_candidates(statement.origins)
            r1, = self.repayment_transactions(self.r1)
            self.assertEqual(candidates[wrong.id], [])
            self.assertEqual(candidates[late.id], [])
            self.assertEqual(candidates[within.id], [((1, 3), [r1.id])])
            # a wider window, set on the journal
            Journal.write([self.journal], {'microloan_match_days': 5})
            candidates = Origin.microloan_candidates([Origin(late.id)])
            self.assertEqual(candidates[late.id], [((1, 5), [r1.id])])

    @with_transaction()
    def test_match_by_hand_refusals(self):
        "Matched twice or an amount that differs: refused, nothing saved"
        pool = Pool()
        Origin = pool.get('account.statement.origin')
        Statement = pool.get('account.statement')
        Match = pool.get('microloan.statement.match')
        company = create_cny_company()
        with set_company(company):
            self.setup_bank(company)
            Statement.microloan_auto_match([self.statement])
            count = Match.search_count([])
            r1, = self.repayment_transactions(self.r1)
            r5, = self.repayment_transactions(self.r5)
            with acting(self.cashier):
                # a transaction already matched
                with refused(self, StatementMatchError) as context:
                    Origin.microloan_match([(self.o4, [r1.id])])
                self.assertIn(self.r1.loan.rec_name, str(context.exception))
                # a bank line already matched
                with refused(self, StatementMatchError):
                    Origin.microloan_match([(self.o2, [r5.id])])
                # the amounts differ (8,884.00 against 1,000.00)
                with refused(self, StatementMatchError) as context:
                    Origin.microloan_match([(self.o6, [r5.id])])
                self.assertIn('8884.00', str(context.exception))
                self.assertIn('1000.00', str(context.exception))
                self.assertIn('2026 工行对账单', str(context.exception))
                # the reversed repayment's transaction
                reversed_, = [t for t in self.r3.transactions
                    if t.kind == 'repayment']
                with refused(self, StatementMatchError):
                    Origin.microloan_match([(self.o4, [reversed_.id])])
                # one good pair and one bad: none is saved
                with refused(self, StatementMatchError):
                    Origin.microloan_match([
                            (self.o4, [r5.id]), (self.o6, [r5.id])])
            self.assertEqual(Match.search_count([]), count)
            self.assertEqual(self.outstanding()[1], [r5.id])
            # the database refuses a transaction matched twice too (last:
            # the host's integrity error path ends the savepoint SQLite
            # would roll back to; the test's transaction is dropped)
            with self.assertRaises(SQLConstraintError):
                Match.create([{
                            'origin': self.o6.id,
                            'transaction': r1.id,
                            'document': str(self.r1),
                            }])

    @with_transaction()
    def test_unmatch_and_match_by_hand(self):
        "Unmatched, a bank line and its transactions are outstanding again"
        pool = Pool()
        Origin = pool.get('account.statement.origin')
        Statement = pool.get('account.statement')
        company = create_cny_company()
        with set_company(company):
            self.setup_bank(company)
            Statement.microloan_auto_match([self.statement])
            r1, = self.repayment_transactions(self.r1)
            r5, = self.repayment_transactions(self.r5)
            with acting(self.accountant):
                Origin.microloan_unmatch([self.o2])
            origins, transactions = self.outstanding()
            self.assertEqual(origins, sorted(
                    [self.o2.id, self.o4.id, self.o6.id]))
            self.assertEqual(transactions, sorted([r1.id, r5.id]))
            # the bank line of 03-01 pays r1 and r5 is another line's
            with acting(self.cashier):
                Origin.microloan_match([(self.o2, [r1.id])])
            self.assertEqual(self.matched(self.o2), [r1.id])
            self.assertEqual(Origin(self.o2.id).pending_amount, D('0'))
            self.assertEqual(Origin(self.o6.id).pending_amount, D('8884.00'))
            self.assertEqual(self.outstanding()[1], [r5.id])

    @with_transaction()
    def test_matched_lines_are_not_booked_by_the_statement(self):
        "A statement of matched bank lines validates and posts without move"
        pool = Pool()
        Statement = pool.get('account.statement')
        Line = pool.get('account.statement.line')
        company = create_cny_company()
        with set_company(company):
            self.setup_bank(company)
            statement = self.create_statement(self.journal, [
                    (dt.date(2026, 3, 1), D('8884.88'), 'HK-0228', None),
                    (dt.date(2026, 7, 1), D('1000.00'), None, None),
                    ])
            Statement.microloan_auto_match([statement])
            # r1 and r5 (06-30, a day before)
            self.assertEqual([len(o.microloan_matches)
                    for o in Statement(statement.id).origins], [1, 1])
            Statement.validate_statement([statement])
            Statement.post([statement])
            statement = Statement(statement.id)
            self.assertEqual(statement.state, 'posted')
            self.assertEqual(statement.lines, ())
            # a matched bank line gets no statement line
            other = self.create_statement(self.journal, [
                    (dt.date(2026, 4, 1), D('8884.88'), 'HK-0331', None)])
            Statement.microloan_auto_match([other])
            origin, = other.origins
            with refused(self, StatementMatchError):
                Line.create([{
                            'statement': other.id,
                            'origin': origin.id,
                            'date': origin.date,
                            'amount': origin.amount,
                            'account': self.journal.account.id,
                            }])

    @with_transaction()
    def test_loan_officer_cannot_match(self):
        "Loan officers have no access to the bank matching"
        pool = Pool()
        Statement = pool.get('account.statement')
        Match = pool.get('microloan.statement.match')
        company = create_cny_company()
        with set_company(company):
            self.setup_bank(company)
            with acting(self.officer):
                with self.assertRaises(AccessError):
                    Statement.microloan_auto_match(
                        Statement.browse([self.statement.id]))
                with self.assertRaises(AccessError):
                    Match.search([])
            self.assertEqual(Match.search_count([]), 0)

    @with_transaction()
    def test_match_wizard_proposes_the_candidate(self):
        "The wizard proposes the best candidate and matches what is chosen"
        pool = Pool()
        Wizard = pool.get('microloan.statement.match', type='wizard')
        company = create_cny_company()
        with set_company(company):
            self.setup_bank(company)
            r1, = self.repayment_transactions(self.r1)
            session_id, _, _ = Wizard.create()
            with Transaction().set_context(
                    active_model='account.statement.origin',
                    active_id=self.o2.id, active_ids=[self.o2.id]):
                wizard = Wizard(session_id)
                values = wizard.default_start(None)
                self.assertEqual(values['transactions'], [r1.id])
                self.assertEqual(values['amount'], D('8884.88'))
                wizard.start.transactions = [r1]
                wizard.transition_match_()
            self.assertEqual(self.matched(self.o2), [r1.id])
