# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Workbench lists and reminders: the day's lists, the senders, the log, access"
import datetime as dt
import json
import unittest
from decimal import Decimal as D

from trytond.model.exceptions import AccessButtonError, AccessError
from trytond.modules.company.tests import set_company
from trytond.pool import Pool
from trytond.pyson import PYSONDecoder
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from . import test_module
from .servicing_tools import ServicingSetup
from .test_translations import load_language
from .tools import (
    as_user, create_customer, create_loan, create_product, create_staff,
    disburse)

LOGGER = 'trytond.modules.microloan_core.reminder'


def _on(value, today):
    "The PYSON value with its Date() on today instead of the clock's day"
    if isinstance(value, dict):
        value = {k: _on(v, today) for k, v in value.items()}
        if value.get('__class__') == 'Date':
            value['start'] = {'__class__': 'Date', 'y': today.year,
                'M': today.month, 'd': today.day, 'dy': 0, 'dM': 0, 'dd': 0,
                'start': None}
        return value
    if isinstance(value, list):
        return [_on(v, today) for v in value]
    return value


def listed(xml_id, today):
    """The ids the act_window xml_id lists on today (its PYSON dates and
    the servicing date of the searchers)"""
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    ActWindow = pool.get('ir.action.act_window')
    action = ActWindow(ModelData.get_id('microloan_core', xml_id))
    domain = PYSONDecoder({}).decode(
        json.dumps(_on(json.loads(action.domain), today)))
    Model = pool.get(action.res_model)
    with Transaction().set_context(servicing_date=today):
        return [r.id for r in Model.search(domain, order=[('id', 'ASC')])]


class ReminderTestCase(ServicingSetup, unittest.TestCase):
    "Test the workbench lists and the reminders"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_core')

    def setup(self, company, mobile=None, **terms):
        self.officer, officer_employee = create_staff(
            company, 'officer', "李信贷", 'group_loan_officer')
        loan = self.setup_loan(company, officer=officer_employee, **terms)
        loan = Pool().get('microloan.loan')(loan.id)
        if mobile:
            ContactMechanism = Pool().get('party.contact_mechanism')
            ContactMechanism.create([{
                        'party': loan.borrower.id,
                        'type': 'mobile',
                        'value': mobile,
                        }])
        return loan

    @with_transaction()
    def test_lists_of_the_day_follow_the_repayments(self):
        "Due today, due soon, overdue, collected: as the engine finds them"
        pool = Pool()
        Loan = pool.get('microloan.loan')
        company = test_module.create_cny_company()
        with set_company(company):
            loan = self.setup(company)
            first, second = loan.installments[:2]
            # 2026-02-28: installment 1 due today, nothing overdue
            today = dt.date(2026, 2, 28)
            self.assertEqual(listed('act_workbench_due_today', today),
                [first.id])
            self.assertEqual(listed('act_reminder_overdue', today), [])
            self.assertEqual(listed('act_workbench_overdue_loans', today), [])
            # three days ahead by default
            self.assertEqual(listed('act_reminder_due_soon',
                    dt.date(2026, 2, 25)), [first.id])
            self.assertEqual(listed('act_reminder_due_soon',
                    dt.date(2026, 2, 24)), [])
            # 2026-03-10: overdue, partly repaid the same day
            today = dt.date(2026, 3, 10)
            self.assertEqual(listed('act_reminder_overdue', today),
                [first.id])
            self.assertEqual(listed('act_workbench_overdue_loans', today),
                [loan.id])
            repayment = self.repay(today, D('8884.88'))
            self.assertEqual(listed('act_workbench_collected_today', today),
                [repayment.id])
            self.assertEqual(listed('act_workbench_collected_today',
                    dt.date(2026, 3, 11)), [])
            # 44.42 of principal still unpaid: still overdue (DPD 10)
            self.assertEqual(listed('act_reminder_overdue', today),
                [first.id])
            self.assertEqual(listed('act_workbench_overdue_loans', today),
                [loan.id])
            with Transaction().set_context(servicing_date=today):
                self.assertEqual(Loan(loan.id).days_past_due, 10)
            # 2026-03-20: the rest and the penalty paid, nothing overdue
            today = dt.date(2026, 3, 20)
            self.repay(today, D('100.00'))
            self.assertEqual(listed('act_reminder_overdue', today), [])
            self.assertEqual(listed('act_workbench_overdue_loans', today), [])
            with Transaction().set_context(servicing_date=today):
                self.assertEqual(Loan(loan.id).days_past_due, 0)
            self.assertEqual(listed('act_workbench_due_today',
                    dt.date(2026, 3, 31)), [second.id])
            # maturity 2027-01-31, 30 days ahead by default
            self.assertEqual(listed('act_workbench_maturing_loans',
                    dt.date(2027, 1, 1)), [loan.id])
            self.assertEqual(listed('act_workbench_maturing_loans',
                    dt.date(2026, 12, 31)), [])

    @with_transaction()
    def test_interest_dates_of_periodic_interest_loans(self):
        "结息日: the installments of a loan paying interest monthly"
        company = test_module.create_cny_company()
        with set_company(company):
            product = create_product(company, code='XF02', methods=[
                    'equal_installment', 'interest_monthly'])
            loan = disburse(create_loan(company, create_customer(
                        "周结息", 2), product=product.id,
                    method='interest_monthly'))
            loan = Pool().get('microloan.loan')(loan.id)
            today = dt.date(2026, 2, 1)
            self.assertEqual(listed('act_reminder_interest', today),
                [i.id for i in loan.installments])
            self.assertEqual(loan.installments[0].principal, D(0))

    @with_transaction()
    def test_lists_follow_the_loan_officer(self):
        "An officer lists the installments of his own customers only"
        company = test_module.create_cny_company()
        with set_company(company):
            loan = self.setup(company)
            other, _ = create_staff(
                company, 'other', "王信贷", 'group_loan_officer')
            today = dt.date(2026, 2, 28)
            with as_user(self.officer):
                self.assertEqual(listed('act_workbench_due_today', today),
                    [loan.installments[0].id])
            with as_user(other):
                self.assertEqual(listed('act_workbench_due_today', today),
                    [])
                self.assertEqual(
                    listed('act_workbench_overdue_loans',
                        dt.date(2026, 3, 10)), [])

    @with_transaction()
    def test_logging_sms_provider_logs(self):
        "The logging provider sends nothing, logs, and the log says sent"
        pool = Pool()
        Log = pool.get('microloan.reminder.log')
        load_language('zh_CN')
        company = test_module.create_cny_company()
        with set_company(company):
            loan = self.setup(company, mobile='+8613800138000')
            first = loan.installments[0]
            with as_user(self.officer), Transaction().set_context(
                    servicing_date=dt.date(2026, 2, 28)):
                reminders = Log.installment_reminders([first])
                with self.assertLogs(LOGGER, 'INFO') as logged:
                    log, = Log.send(reminders, 'sms')
            self.assertEqual(log.state, 'sent')
            self.assertEqual(log.kind, 'due')
            self.assertEqual(log.channel, 'sms')
            self.assertEqual(log.recipient, loan.borrower.mobile)
            self.assertEqual(log.installment, first)
            self.assertEqual(log.amount, D('8884.88'))
            self.assertEqual(log.user, self.officer)
            self.assertIn(loan.number, log.text)
            self.assertIn('8,884.88', log.text)
            self.assertIn('元', log.text)
            self.assertIn(log.recipient, logged.output[0])

    @with_transaction()
    def test_party_without_phone_gets_a_failed_log(self):
        "No mobile number: a failed log line with the reason, no exception"
        pool = Pool()
        Log = pool.get('microloan.reminder.log')
        company = test_module.create_cny_company()
        with set_company(company):
            loan = self.setup(company)
            with as_user(self.officer), Transaction().set_context(
                    servicing_date=dt.date(2026, 3, 10)):
                for channel in ['sms', 'email']:
                    log, = Log.send(Log.loan_reminders([loan]), channel)
                    self.assertEqual(log.state, 'failed')
                    self.assertEqual(log.kind, 'overdue')
                    self.assertFalse(log.recipient)
                    self.assertTrue(log.error)
                # read-only for everyone, the officer included
                with self.assertRaises(AccessError):
                    Log.write([log], {'text': "x"})
                # a complete line, so that only the access refuses it (the
                # required columns are checked first on PostgreSQL)
                with self.assertRaises(AccessError):
                    Log.create([{
                                'date': log.date,
                                'company': company.id,
                                'loan': loan.id,
                                'party': loan.borrower.id,
                                'kind': 'overdue',
                                'channel': 'sms',
                                'state': 'sent',
                                }])

    @with_transaction()
    def test_user_without_the_group_cannot_send(self):
        "A cashier reads the lists but cannot send reminders"
        pool = Pool()
        Installment = pool.get('microloan.loan.installment')
        Send = pool.get('microloan.reminder.send', type='wizard')
        company = test_module.create_cny_company()
        with set_company(company):
            loan = self.setup(company, mobile='+8613800138000')
            first = loan.installments[0]
            today = dt.date(2026, 2, 28)
            context = {
                'active_model': 'microloan.loan.installment',
                'active_id': first.id,
                'active_ids': [first.id],
                'servicing_date': today,
                }
            with as_user(self.cashier):
                self.assertEqual(listed('act_workbench_due_today', today),
                    [first.id])
                with self.assertRaises(AccessButtonError):
                    Installment.send_reminders([first])
                with Transaction().set_context(context), \
                        self.assertRaises(AccessError):
                    session_id, _, _ = Send.create()
                    Send.execute(session_id, {}, 'start')
            with as_user(self.officer), Transaction().set_context(context):
                Installment.send_reminders([first])
                session_id, _, _ = Send.create()
                result = Send.execute(session_id, {}, 'start')
                self.assertEqual(
                    result['view']['defaults']['count'], 1)
                result = Send.execute(session_id, {
                        'start': {'channel': 'sms', 'count': 1},
                        }, 'send')
                self.assertEqual(len(result['actions']), 1)
            log, = pool.get('microloan.reminder.log').search([])
            self.assertEqual(log.state, 'sent')
