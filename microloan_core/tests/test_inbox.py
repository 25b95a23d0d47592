# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The inbox (我的待办): rows per user, gone when done, notifications"
import json
import unittest
from decimal import Decimal as D

from trytond.modules.company.tests import create_employee, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from . import test_module
from .test_approval import act, create_flow, group_step, submit
from . import test_disbursement
from .tools import (
    JPEG, as_user, attach, create_contract, create_customer, create_line,
    create_product, create_user)


def inbox(user):
    "The (task, record) rows of the inbox of user, as he reads them"
    Inbox = Pool().get('microloan.inbox')
    with as_user(user):
        return {(r.task, str(r.record)) for r in Inbox.search([])}


def notified(user):
    "The (task, model, record ids) of the inbox notifications of user"
    Notification = Pool().get('res.notification')
    return {(n.inbox_task, n.model, tuple(json.loads(n.records)))
        for n in Notification.search([
                ('user', '=', user.id), ('inbox_task', '!=', None)])}


class InboxTestCase(unittest.TestCase):
    "Test the inbox registry, its SQL and its notifications"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_core')

    # the company, staff, loan and steps of the disbursement tests
    _steps = test_disbursement.DisbursementTestCase
    setup_company = _steps.setup_company
    create_loan = _steps.create_loan
    request = _steps.request
    approve = _steps.approve
    pay = _steps.pay
    del _steps

    @with_transaction()
    def test_disbursement_moves_from_inbox_to_inbox(self):
        "Each step of a disbursement is in the inbox of who does it next"
        pool = Pool()
        Inbox = pool.get('microloan.inbox')
        Disbursement = pool.get('microloan.disbursement')
        self.setup_company()
        staff = [self.officer, self.approver, self.cashier, self.accountant]
        with set_company(self.company):
            loan = self.create_loan()
            disbursement = self.request(loan)
            key = str(disbursement)
            expected = {self.approver: {('disbursement_approve', key)}}
            for user in staff:
                self.assertEqual(inbox(user), expected.get(user, set()))
            self.assertEqual(notified(self.approver), {
                    ('disbursement_approve', 'microloan.disbursement',
                        (disbursement.id,))})

            # the row shows the document, its customer and its amount
            with as_user(self.approver):
                row, = Inbox.search([])
                self.assertEqual(
                    (row.customer, row.party, row.amount, row.since),
                    (self.borrower.name, self.borrower, loan.principal,
                        disbursement.requested_at))
                self.assertEqual(Disbursement.search(
                        [('awaiting_me', '=', True)]), [disbursement])

            disbursement = self.approve(disbursement)
            # the pay button is the cashier's and the accountant's
            expected = {
                self.cashier: {('disbursement_pay', key)},
                self.accountant: {('disbursement_pay', key)},
                }
            for user in staff:
                self.assertEqual(inbox(user), expected.get(user, set()))
            self.assertEqual(notified(self.approver), set())
            self.assertEqual(notified(self.cashier), {
                    ('disbursement_pay', 'microloan.disbursement',
                        (disbursement.id,))})

            disbursement = self.pay(disbursement)
            expected = {self.accountant: {('disbursement_check', key)}}
            for user in staff:
                self.assertEqual(inbox(user), expected.get(user, set()))
            self.assertEqual(notified(self.cashier), set())
            self.assertEqual(notified(self.accountant), {
                    ('disbursement_check', 'microloan.disbursement',
                        (disbursement.id,))})

            with as_user(self.accountant):
                Disbursement.recheck([disbursement])
            for user in staff:
                self.assertEqual(inbox(user), set())
                self.assertEqual(notified(user), set())

    @with_transaction()
    def test_notifying_leaves_the_others_their_employees(self):
        """The officer's request notifies the approver: the approver keeps
        his employee (the host caches a user's employees; computed in the
        officer's session context it would be none, and the approver would
        lose what the record rules show him)"""
        User = Pool().get('res.user')
        self.setup_company()
        with set_company(self.company):
            loan = self.create_loan()
            with as_user(self.officer, preferences=True):
                disbursement = self.request(loan)
            self.assertTrue(notified(self.approver))
            with as_user(self.approver, preferences=True):
                self.assertEqual(User.get_employees(),
                    (self.approver.employee.id,))
                self.assertEqual(inbox(self.approver),
                    {('disbursement_approve', str(disbursement))})

    @with_transaction()
    def test_payer_has_no_recheck_of_his_payment(self):
        "The accountant who paid does not find the re-check in his inbox"
        self.setup_company()
        with set_company(self.company):
            disbursement = self.approve(self.request(self.create_loan()))
            self.pay(disbursement, user=self.accountant)
            self.assertEqual(inbox(self.accountant), set())
            self.assertEqual(notified(self.accountant), set())

    @with_transaction()
    def test_approval_step_leaves_the_inbox_of_who_acted(self):
        "A step of two approvals: each risk officer's row goes as he acts"
        company = test_module.create_cny_company()
        with set_company(company):
            officer = create_user('officer', company, ['group_loan_officer'])
            risk1 = create_user('risk1', company, ['group_risk_officer'])
            risk2 = create_user('risk2', company, ['group_risk_officer'])
            create_flow(company, [
                    group_step("风险审查", 'group_risk_officer', 2)])
            party = create_customer("孙建国", 1)
            line = submit(create_line(
                    company, party, D('300000.00'), activate=False), officer)
            request = line.approval_request
            key = str(request.current_step)
            for user in [risk1, risk2]:
                self.assertEqual(inbox(user), {('approval', key)})
                self.assertEqual(notified(user), {
                        ('approval', 'microloan.approval.request.step',
                            (request.current_step.id,))})
            self.assertEqual(inbox(officer), set())

            act(risk1, 'approve', request, "资料齐全")
            self.assertEqual(inbox(risk1), set())
            self.assertEqual(notified(risk1), set())
            self.assertEqual(inbox(risk2), {('approval', key)})

            act(risk2, 'approve', request, "同意")
            self.assertEqual(inbox(risk2), set())
            self.assertEqual(notified(risk2), set())

    @with_transaction()
    def test_contract_waits_for_its_officer_then_a_reviewer(self):
        "Draft and face-sign: the officer's; the review: a risk officer's"
        pool = Pool()
        Contract = pool.get('microloan.contract')
        company = test_module.create_cny_company()
        with set_company(company):
            officer_employee = create_employee(company, "王晓明")
            officer = create_user(
                'officer', company, ['group_loan_officer'], officer_employee)
            other = create_user('other', company, ['group_loan_officer'],
                create_employee(company, "赵刚"))
            risk = create_user('risk', company, ['group_risk_officer'])
            borrower = create_customer("孙建国", 1, officer=officer_employee)
            contract = create_contract(borrower, create_product(company))
            key = str(contract)
            # a draft is its officer's work, listed but not announced; the
            # other officer does not see his colleague's customer
            self.assertEqual(inbox(officer), {('contract_submit', key)})
            self.assertEqual(notified(officer), set())
            self.assertEqual(inbox(other), set())
            self.assertEqual(inbox(risk), set())
            with as_user(officer):
                self.assertEqual(Contract.search(
                        [('awaiting_me', '=', True)]), [contract])
                Contract.submit([contract])
            self.assertEqual(inbox(officer), set())
            self.assertEqual(inbox(risk), {('contract_review', key)})
            self.assertEqual(notified(risk), {
                    ('contract_review', 'microloan.contract',
                        (contract.id,))})
            with as_user(risk):
                Contract.review([contract])
            self.assertEqual(inbox(risk), set())
            self.assertEqual(notified(risk), set())
            self.assertEqual(inbox(officer), {('contract_sign', key)})
            self.assertEqual(inbox(other), set())
            self.assertEqual(notified(officer), {
                    ('contract_sign', 'microloan.contract', (contract.id,))})
            self.assertEqual(notified(other), set())
            # signed, it leaves his inbox and his notifications
            Contract.write([contract], {
                    'sign_date': contract.start_date,
                    'sign_place': "总部营业部面签室",
                    'witness': officer_employee.id,
                    })
            attach(contract, 'face_sign.jpg', JPEG)
            with as_user(officer):
                Contract.sign([contract])
            self.assertEqual(inbox(officer), set())
            self.assertEqual(notified(officer), set())

    @with_transaction()
    def test_open_gives_the_form_of_the_record(self):
        "A row opens the form of the record where the task is done"
        pool = Pool()
        Inbox = pool.get('microloan.inbox')
        Open = pool.get('microloan.inbox.open', type='wizard')
        self.setup_company()
        with set_company(self.company):
            disbursement = self.request(self.create_loan())
            with as_user(self.approver):
                row, = Inbox.search([])
                with Transaction().set_context(
                        active_model=Inbox.__name__, active_id=row.id,
                        active_ids=[row.id]):
                    session_id, _, _ = Open.create()
                    result = Open.execute(session_id, {}, 'open_')
            action, = result['actions']
            action, _ = action
            self.assertEqual(
                (action['res_model'], action['res_id']),
                ('microloan.disbursement', [disbursement.id]))
            self.assertEqual(action['views'][0][1], 'form')

    @with_transaction()
    def test_home_page_of_a_new_user_of_a_group(self):
        "A user of a group logs in on its board; his own login actions win"
        pool = Pool()
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        ActWindow = pool.get('ir.action.act_window')
        company = test_module.create_cny_company()

        def home(xml_id):
            return ActWindow(
                ModelData.get_id('microloan_core', xml_id)).action.id

        def login_actions(user):
            with Transaction().set_user(user.id):
                return User.get_preferences()['actions']

        cashier = create_user('cashier', company, ['group_cashier'])
        officer = create_user('officer', company, ['group_loan_officer'])
        self.assertEqual(login_actions(cashier), [home('act_home_cashier')])
        self.assertEqual(login_actions(officer), [home('act_home_officer')])
        User.write([cashier], {'actions': [('add', [home('act_inbox')])]})
        self.assertEqual(login_actions(cashier), [home('act_inbox')])
