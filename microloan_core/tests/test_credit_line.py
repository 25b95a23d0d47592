# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import unittest
from decimal import Decimal

from trytond.model.exceptions import AccessButtonError, DomainValidationError
from trytond.modules.company.tests import create_employee, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from ..exceptions import CreditLineError, WorkflowTransitionError
from . import test_module
from .tools import (
    as_user, create_customer, create_line, create_loan, create_user)


class CreditLineTestCase(unittest.TestCase):
    "Test credit lines and the loans drawn under them"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_core')

    @with_transaction()
    def test_loan_over_the_available_amount_is_refused(self):
        "A loan beyond what the line has left is refused, naming both sums"
        Loan = Pool().get('microloan.loan')
        company = test_module.create_cny_company()
        with set_company(company):
            party = create_customer("孙建国", 1)
            line = create_line(company, party, Decimal('100000.00'))
            first = create_loan(company, party, Decimal('60000.00'),
                credit_line=line.id)
            with self.assertRaises(CreditLineError) as context:
                create_loan(company, party, Decimal('40000.01'),
                    credit_line=line.id)
            message = str(context.exception)
            self.assertIn(line.number, message)
            self.assertRegex(message, r'40,?000\.01')
            self.assertRegex(message, r'40,?000\.00')
            self.assertEqual(Loan.search([]), [first])

            # raising the first loan beyond the line is refused as well
            with self.assertRaises(CreditLineError):
                Loan.write([first], {'principal': Decimal('100000.01')})
            self.assertEqual(Loan(first.id).principal, Decimal('60000.00'))
            # two loans created together count together
            with self.assertRaises(CreditLineError):
                Loan.create([{
                            'company': company.id,
                            'borrower': party.id,
                            'credit_line': line.id,
                            'principal': Decimal('20000.00'),
                            'annual_rate': Decimal('0.12'),
                            'start_date': dt.date(2026, 3, 1),
                            'term_months': 6,
                            }] * 3)
            self.assertEqual(Loan.search([]), [first])
            second = create_loan(company, party, Decimal('40000.00'),
                credit_line=line.id)
            line = line.__class__(line.id)
            self.assertEqual(
                (line.used_amount, line.available_amount),
                (Decimal('100000.00'), Decimal('0.00')))
            self.assertEqual(set(line.loans), {first, second})

    @with_transaction()
    def test_revolving_and_non_revolving_use_to_the_fen(self):
        "Used and available of both kinds of line over several loans"
        pool = Pool()
        CreditLine = pool.get('microloan.credit_line')
        Loan = pool.get('microloan.loan')
        Party = pool.get('party.party')
        company = test_module.create_cny_company()
        with set_company(company):
            party = create_customer("孙建国", 1)
            revolving = create_line(
                company, party, Decimal('200000.00'), revolving=True)
            once = create_line(
                company, party, Decimal('150000.50'), revolving=False)
            for line in [revolving, once]:
                for principal in ['12345.67', '23456.78', '34567.89']:
                    create_loan(company, party, Decimal(principal),
                        credit_line=line.id)

            self.assertEqual(
                CreditLine.get_utilisation([revolving, once]),
                {revolving.id: Decimal('70370.34'),
                    once.id: Decimal('70370.34')})
            revolving, once = CreditLine.browse([revolving, once])
            self.assertEqual(
                (revolving.used_amount, revolving.available_amount),
                (Decimal('70370.34'), Decimal('129629.66')))
            self.assertEqual(
                (once.used_amount, once.available_amount),
                (Decimal('70370.34'), Decimal('79630.16')))
            self.assertEqual(
                Party(party.id).credit_available, Decimal('209259.82'))

            # a changed principal changes the use; a frozen line no longer
            # counts in what the customer may draw
            loan, = Loan.search([
                    ('credit_line', '=', once.id),
                    ('principal', '=', Decimal('12345.67')),
                    ])
            Loan.write([loan], {'principal': Decimal('12000.00')})
            self.assertEqual(
                CreditLine(once.id).available_amount, Decimal('79975.83'))
            CreditLine.freeze([revolving])
            self.assertEqual(
                Party(party.id).credit_available, Decimal('79975.83'))

    @with_transaction()
    def test_loan_outside_the_line_validity_is_refused(self):
        "A loan valued before the start or after the end of the line"
        Loan = Pool().get('microloan.loan')
        company = test_module.create_cny_company()
        with set_company(company):
            party = create_customer("孙建国", 1)
            line = create_line(company, party, Decimal('100000.00'))
            for date in [dt.date(2025, 12, 31), dt.date(2027, 1, 1)]:
                with self.assertRaises(CreditLineError) as context:
                    create_loan(company, party, Decimal('1000.00'),
                        credit_line=line.id, start_date=date)
                self.assertIn(line.number, str(context.exception))
            loan = create_loan(company, party, Decimal('1000.00'),
                credit_line=line.id, start_date=dt.date(2026, 12, 31))
            self.assertEqual(Loan.search([]), [loan])

    @with_transaction()
    def test_frozen_or_draft_line_carries_no_loan(self):
        "A frozen or draft line refuses loans; unfrozen it carries them"
        pool = Pool()
        CreditLine = pool.get('microloan.credit_line')
        Loan = pool.get('microloan.loan')
        company = test_module.create_cny_company()
        with set_company(company):
            party = create_customer("孙建国", 1)
            draft = create_line(
                company, party, Decimal('5000.00'), activate=False)
            line = create_line(company, party, Decimal('100000.00'))
            CreditLine.freeze([line])
            for refusing in [draft, line]:
                with self.assertRaises(CreditLineError):
                    create_loan(company, party, Decimal('1000.00'),
                        credit_line=refusing.id)
            self.assertEqual(Loan.search([]), [])
            CreditLine.unfreeze([line])
            loan = create_loan(company, party, Decimal('1000.00'),
                credit_line=line.id)
            self.assertEqual(loan.credit_line, line)

    @with_transaction()
    def test_workflow_transitions_out_of_order_are_refused(self):
        "Freeze a draft, unfreeze or activate an active, reopen a closed"
        pool = Pool()
        CreditLine = pool.get('microloan.credit_line')
        today = pool.get('ir.date').today()
        company = test_module.create_cny_company()
        with set_company(company):
            party = create_customer("孙建国", 1)
            line = create_line(
                company, party, Decimal('5000.00'), activate=False)
            for button in [CreditLine.freeze, CreditLine.unfreeze,
                    CreditLine.close]:
                with self.assertRaises(WorkflowTransitionError):
                    button([line])
            CreditLine.activate([line])
            for button in [CreditLine.activate, CreditLine.unfreeze]:
                with self.assertRaises(WorkflowTransitionError):
                    button([CreditLine(line.id)])
            CreditLine.freeze([CreditLine(line.id)])
            with self.assertRaises(WorkflowTransitionError):
                CreditLine.activate([CreditLine(line.id)])
            CreditLine.close([CreditLine(line.id)])
            line = CreditLine(line.id)
            # the administrator has no employee: his user is recorded
            self.assertEqual(
                (line.state, line.activated_user.id, line.activated_date,
                    line.closed_user.id, line.closed_date),
                ('closed', Transaction().user, today,
                    Transaction().user, today))
            self.assertEqual(
                (line.activated_by, line.closed_by), (None, None))
            for button in [CreditLine.activate, CreditLine.unfreeze,
                    CreditLine.freeze]:
                with self.assertRaises(WorkflowTransitionError):
                    button([line])

    @with_transaction()
    def test_bad_line_terms_are_refused(self):
        "A line needs a positive amount and an end after its start"
        company = test_module.create_cny_company()
        with set_company(company):
            party = create_customer("孙建国", 1)
            with self.assertRaises(DomainValidationError):
                create_line(company, party, Decimal('0.00'))
            with self.assertRaises(DomainValidationError):
                create_line(company, party, Decimal('1000.00'),
                    end_date=dt.date(2026, 1, 1))

    @with_transaction()
    def test_amount_below_what_is_used_is_refused(self):
        "A line cannot be cut below the principal its loans use"
        CreditLine = Pool().get('microloan.credit_line')
        company = test_module.create_cny_company()
        with set_company(company):
            party = create_customer("孙建国", 1)
            line = create_line(company, party, Decimal('100000.00'))
            create_loan(company, party, Decimal('30000.00'),
                credit_line=line.id)
            with self.assertRaises(CreditLineError) as context:
                CreditLine.write([line], {'amount': Decimal('29999.99')})
            self.assertRegex(str(context.exception), r'30,?000\.00')
            CreditLine.write([line], {'amount': Decimal('30000.00')})
            self.assertEqual(
                CreditLine(line.id).available_amount, Decimal('0.00'))

    @with_transaction()
    def test_setting_requires_a_credit_line(self):
        "With the setting on, a loan without credit line is refused"
        pool = Pool()
        Configuration = pool.get('microloan.configuration')
        Loan = pool.get('microloan.loan')
        company = test_module.create_cny_company()
        with set_company(company):
            party = create_customer("孙建国", 1)
            self.assertFalse(Configuration(1).credit_line_required)
            free = create_loan(company, party, Decimal('1000.00'))
            Configuration.write([Configuration(1)], {
                    'credit_line_required': True})
            with self.assertRaises(CreditLineError) as context:
                create_loan(company, party, Decimal('1000.00'))
            self.assertIn("孙建国", str(context.exception))
            self.assertEqual(Loan.search([]), [free])
            line = create_line(company, party, Decimal('1000.00'))
            create_loan(company, party, Decimal('1000.00'),
                credit_line=line.id)

    @with_transaction()
    def test_borrower_picks_his_single_active_line(self):
        "On change of borrower the loan takes his one active line in force"
        Loan = Pool().get('microloan.loan')
        company = test_module.create_cny_company()
        with set_company(company):
            party = create_customer("孙建国", 1)
            line = create_line(company, party, Decimal('100000.00'))
            loan = Loan(company=company, borrower=party,
                start_date=dt.date(2026, 3, 1), credit_line=None)
            loan.on_change_borrower()
            self.assertEqual(loan.credit_line, line)

            loan.start_date = dt.date(2027, 3, 1)
            loan.on_change_borrower()
            self.assertIsNone(loan.credit_line)

            # two lines in force: the officer chooses
            create_line(company, party, Decimal('5000.00'))
            loan.start_date = dt.date(2026, 3, 1)
            loan.on_change_borrower()
            self.assertIsNone(loan.credit_line)

    @with_transaction()
    def test_loan_given_without_a_line_draws_on_the_line_in_force(self):
        "A loan created without a line is held to the borrower's line"
        company = test_module.create_cny_company()
        with set_company(company):
            party = create_customer("孙建国", 1)
            line = create_line(company, party, Decimal('100000.00'))
            loan = create_loan(company, party, Decimal('60000.00'))
            self.assertEqual(loan.credit_line, line)
            with self.assertRaises(CreditLineError):
                create_loan(company, party, Decimal('40000.01'))

    @with_transaction()
    def test_loan_officer_drafts_lines_but_cannot_activate(self):
        "A loan officer creates a draft line; an approver activates it"
        pool = Pool()
        CreditLine = pool.get('microloan.credit_line')
        company = test_module.create_cny_company()
        with set_company(company):
            employee = create_employee(company, "王敏")
            officer = create_user(
                'officer', company, ['group_loan_officer'], employee)
            approver = create_user(
                'approver', company, ['group_approver'],
                create_employee(company, "赵丽"))
            mine = create_customer("孙建国", 1, officer=employee)
            other = create_customer("周全", 2)
            other_line = create_line(company, other, Decimal('9000.00'))

            set_user, check_access = as_user(officer)
            with set_user, check_access:
                line = create_line(
                    company, mine, Decimal('80000.00'), activate=False)
                self.assertEqual(line.number[:2], 'SX')
                with self.assertRaises(AccessButtonError):
                    CreditLine.activate([line])
                # the lines of another officer's customers are not his
                self.assertEqual(CreditLine.search([]), [line])
            set_user, check_access = as_user(approver)
            with set_user, check_access:
                CreditLine.activate([line])
                self.assertEqual(
                    set(CreditLine.search([])), {line, other_line})
            line = CreditLine(line.id)
            self.assertEqual(
                (line.state, line.activated_by, line.activated_user),
                ('active', approver.employee, approver))
            self.assertTrue(approver.employee)

    @with_transaction()
    def test_active_line_keeps_its_customer_and_validity(self):
        "Once active, a line's customer, validity and kind do not change"
        CreditLine = Pool().get('microloan.credit_line')
        company = test_module.create_cny_company()
        with set_company(company):
            party = create_customer("孙建国", 1)
            other = create_customer("周全", 2)
            line = create_line(company, party, Decimal('100000.00'))
            for values in [
                    {'party': other.id},
                    {'end_date': dt.date(2026, 6, 30)},
                    {'revolving': True}]:
                with self.assertRaises(CreditLineError):
                    CreditLine.write([line], values)
            line = CreditLine(line.id)
            self.assertEqual(
                (line.party, line.end_date, line.revolving),
                (party, dt.date(2026, 12, 31), False))
