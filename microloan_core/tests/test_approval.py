# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import json
import re
import unittest
from contextlib import contextmanager
from decimal import Decimal

from trytond.model.exceptions import (
    AccessButtonError, AccessError, SelectionValidationError)
from trytond.modules.company.tests import create_employee, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from ..exceptions import ApprovalError, WorkflowTransitionError
from . import test_module, tools
from .test_credit_line import create_line
from .test_watchlist import as_user, create_customer, create_user


@contextmanager
def acting_as(user):
    "Act as user with his access rights and record rules checked"
    set_user, check_access = as_user(user)
    with set_user, check_access:
        yield


def group_id(xml_id):
    return Pool().get('ir.model.data').get_id('microloan_core', xml_id)


def create_flow(company, steps, **values):
    Flow = Pool().get('microloan.approval.flow')
    flow, = Flow.create([dict({
                    'name': "授信审批",
                    'model': 'microloan.credit_line',
                    'company': company.id,
                    'steps': [('create', steps)],
                    }, **values)])
    return flow


def group_step(name, group, approvals=1):
    return {'name': name, 'kind': 'group', 'group': group_id(group),
        'required_approvals': approvals}


def users_step(name, users, approvals=1):
    return {'name': name, 'kind': 'users',
        'users': [('add', [u.id for u in users])],
        'required_approvals': approvals}


def committee_step(name, pool, size, quorum, numerator=2, denominator=3):
    return {'name': name, 'kind': 'committee',
        'committee_pool': [('add', [u.id for u in pool])],
        'committee_size': size, 'quorum': quorum,
        'pass_numerator': numerator, 'pass_denominator': denominator}


def submit(line, user):
    "The user activates the draft line: a request where a flow matches"
    CreditLine = Pool().get('microloan.credit_line')
    with Transaction().set_user(user.id):
        CreditLine.activate([line])
    return CreditLine(line.id)


def act(user, method, request, *args):
    "The user calls an engine method with his access rights checked"
    Request = Pool().get('microloan.approval.request')
    with acting_as(user):
        getattr(Request, method)(Request.browse([request.id]), *args)
    return Request(request.id)


def run_wizard(Wizard, user, record, state, values):
    "Run Wizard as user on record: the start form's values, then state"
    with Transaction().set_user(user.id), Transaction().set_context(
            active_model=record.__name__, active_id=record.id,
            active_ids=[record.id]):
        session_id, _, _ = Wizard.create()
        Wizard.execute(session_id, {'start': values}, state)
        Wizard.delete(session_id)


class ApprovalTestCase(unittest.TestCase):
    "Test the approval engine on credit lines"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_core')

    def assertRefused(self, msg_id, func, *args, error=ApprovalError):
        "func(*args) raises error with the message msg_id"
        pool = Pool()
        Message = pool.get('ir.message')
        text = Message(group_id(msg_id)).text
        pattern = re.sub(r'%\\\(\w+\\\)s', '.*', re.escape(text))
        with self.assertRaises(error) as context:
            func(*args)
        self.assertRegex(str(context.exception.message), '^%s$' % pattern)
        return context.exception

    def staff(self, company):
        "A loan officer (the requester), two risk officers, an approver"
        officer = create_user('officer', company, ['group_loan_officer'])
        risk1 = create_user('risk1', company, ['group_risk_officer'])
        risk2 = create_user('risk2', company, ['group_risk_officer'])
        boss = create_user('boss', company, ['group_approver'])
        return officer, risk1, risk2, boss

    def line(self, company, amount=Decimal('300000.00'), n=1):
        party = create_customer("孙建国%s" % n, n)
        return create_line(company, party, amount, activate=False)

    @with_transaction()
    def test_flows_apply_to_the_documents_registered_by_the_hook(self):
        """Applications, credit lines, deposits and loan changes register;
        other models are refused"""
        pool = Pool()
        Flow = pool.get('microloan.approval.flow')
        Request = pool.get('microloan.approval.request')
        Step = pool.get('microloan.approval.request.step')
        self.assertEqual(
            sorted(Flow._get_documents()),
            ['microloan.application', 'microloan.credit_line',
                'microloan.deposit', 'microloan.loan.change'])
        documents = Flow.get_documents()
        self.assertEqual(
            [m for m, _ in documents],
            [None] + Flow._get_documents())
        self.assertEqual(Request.get_documents(), documents)
        self.assertEqual(Step.get_documents(), documents)
        company = test_module.create_cny_company()
        with set_company(company):
            with self.assertRaises(SelectionValidationError):
                create_flow(company,
                    [group_step("风险审查", 'group_risk_officer')],
                    model='microloan.contract')

    @with_transaction()
    def test_decided_requests_and_steps_do_not_move_again(self):
        "The workflows refuse, translated, a second end of a request or step"
        pool = Pool()
        Request = pool.get('microloan.approval.request')
        Step = pool.get('microloan.approval.request.step')
        company = test_module.create_cny_company()
        with set_company(company):
            officer, risk1, risk2, boss = self.staff(company)
            create_flow(company, [group_step("风险审查", 'group_risk_officer')])
            request = submit(self.line(company), officer).approval_request
            step = request.current_step
            self.assertIsNone(request.closed_date)
            self.assertIsNone(step.closed_date)
            request = act(risk1, 'approve', request)
            step = Step(step.id)
            self.assertEqual((request.state, step.state),
                ('approved', 'approved'))
            self.assertIsNone(request.current_step)
            self.assertIsNotNone(request.closed_date)
            self.assertIsNotNone(step.closed_date)
            for Model, record, method in [
                    (Request, request, 'close_rejected'),
                    (Request, request, 'withdraw'),
                    (Step, step, 'close_returned'),
                    ]:
                self.assertRefused('msg_workflow_transition',
                    getattr(Model, method), [record],
                    error=WorkflowTransitionError)
            self.assertEqual(
                (Request(request.id).state, Step(step.id).state),
                ('approved', 'approved'))

    @with_transaction()
    def test_line_without_matching_flow_activates_at_once(self):
        "No flow, or a flow for other amounts: the button activates as before"
        pool = Pool()
        Request = pool.get('microloan.approval.request')
        company = test_module.create_cny_company()
        with set_company(company):
            officer, risk1, risk2, boss = self.staff(company)
            create_flow(company, [users_step("审批", [boss])],
                min_amount=Decimal('500000.00'))
            line = submit(self.line(company), officer)
            self.assertEqual(line.state, 'active')
            self.assertEqual(line.activated_user, officer)
            self.assertIsNone(line.approval_request)
            self.assertEqual(Request.search([]), [])

    @with_transaction()
    def test_two_step_flow_needs_two_distinct_approvers_then_a_named_user(
            self):
        "Group step of two approvals, then a named user: the line activates"
        pool = Pool()
        Notification = pool.get('res.notification')
        Request = pool.get('microloan.approval.request')
        Step = pool.get('microloan.approval.request.step')
        company = test_module.create_cny_company()
        with set_company(company):
            officer, risk1, risk2, boss = self.staff(company)
            create_flow(company, [
                    group_step("风险审查", 'group_risk_officer', 2),
                    users_step("总经理审批", [boss]),
                    ])
            line = submit(self.line(company), officer)
            request = line.approval_request
            self.assertEqual(line.state, 'pending')
            self.assertEqual(line.approval_state, 'pending')
            self.assertEqual(request.requester, officer)
            self.assertEqual(request.current_step.name, "风险审查")
            self.assertEqual(
                set(request.current_step.approvers), {risk1, risk2})
            # the step shows the line's own summary, nothing of a loan's
            step = request.current_step
            self.assertEqual(
                (step.customer, step.amount, step.product, step.term_months),
                (line.party.rec_name, line.amount, None, None))
            self.assertEqual(
                Step.open_document([step])['res_id'], [line.id])
            self.assertEqual(
                Request.open_document([request])['res_model'],
                'microloan.credit_line')
            # each risk officer is told to act
            for user in [risk1, risk2]:
                notification, = Notification.search([('user', '=', user)])
                self.assertEqual(
                    notification.model, 'microloan.approval.request.step')
                self.assertEqual(json.loads(notification.records),
                    [request.current_step.id])
                self.assertIn(line.number, notification.description)

            request = act(risk1, 'approve', request, "资料齐全")
            step = request.current_step
            self.assertEqual((step.name, step.approvals_count), ("风险审查", 1))
            # the same user twice does not make two approvals
            self.assertRefused('msg_approval_twice',
                act, risk1, 'approve', request, "再次同意")
            self.assertEqual(Step(step.id).approvals_count, 1)

            request = act(risk2, 'approve', request, "同意")
            self.assertEqual(Step(step.id).state, 'approved')
            self.assertEqual(request.current_step.name, "总经理审批")
            self.assertEqual(
                len(Notification.search([('user', '=', boss)])), 1)

            request = act(boss, 'approve', request)
            self.assertEqual(request.state, 'approved')
            self.assertIsNone(request.current_step)
            line = line.__class__(line.id)
            self.assertEqual(line.state, 'active')
            self.assertEqual(line.activated_user, boss)
            self.assertEqual(
                [(a.action, a.user) for a in line.approval_actions],
                [('submit', officer), ('approve', risk1),
                    ('approve', risk2), ('approve', boss)])
            notification, = Notification.search([('user', '=', officer)])
            self.assertEqual(notification.model, 'microloan.approval.request')
            self.assertIn(line.number, notification.label)

    @with_transaction()
    def test_nobody_writes_requests_or_votes_directly(self):
        "Roles read the requests; rows change only through the engine"
        pool = Pool()
        Request = pool.get('microloan.approval.request')
        Vote = pool.get('microloan.approval.vote')
        Action = pool.get('microloan.approval.action')
        company = test_module.create_cny_company()
        with set_company(company):
            officer, risk1, risk2, boss = self.staff(company)
            admin = create_user('mladmin', company, ['group_microloan_admin'])
            create_flow(company, [group_step("风险审查", 'group_risk_officer')])
            request = submit(self.line(company), officer).approval_request
            for user in [officer, risk1, admin]:
                with acting_as(user):
                    self.assertEqual(Request.search([]), [request])
                    with self.assertRaises(AccessError):
                        Request.write(Request.browse([request.id]),
                            {'state': 'approved'})
                    with self.assertRaises(AccessError):
                        Action.create([{
                                    'request': request.id,
                                    'user': user.id,
                                    'date': request.submitted_date,
                                    'action': 'approve',
                                    }])
                    with self.assertRaises(AccessError):
                        Vote.delete(Vote.search([]))
            self.assertEqual(Request(request.id).state, 'pending')

    @with_transaction()
    def test_requester_cannot_approve_his_own_request(self):
        "Maker-checker: a risk officer submitting cannot approve it"
        Action = Pool().get('microloan.approval.action')
        company = test_module.create_cny_company()
        with set_company(company):
            officer, risk1, risk2, boss = self.staff(company)
            create_flow(company, [group_step("风险审查", 'group_risk_officer')])
            line = submit(self.line(company), risk1)
            request = line.approval_request
            self.assertRefused('msg_approval_self',
                act, risk1, 'approve', request, "同意")
            self.assertRefused('msg_approval_self',
                act, risk1, 'reject', request, "不同意")
            self.assertEqual(
                [a.action for a in Action.search([])], ['submit'])
            request = act(risk2, 'approve', request)
            self.assertEqual(request.state, 'approved')

    @with_transaction()
    def test_one_user_cannot_approve_two_steps_unless_the_flow_allows(self):
        "A user eligible on both steps acts on one, unless allowed"
        pool = Pool()
        Flow = pool.get('microloan.approval.flow')
        company = test_module.create_cny_company()
        with set_company(company):
            officer, risk1, risk2, boss = self.staff(company)
            flow = create_flow(company, [
                    group_step("风险审查", 'group_risk_officer'),
                    users_step("总经理审批", [risk1, boss]),
                    ])
            request = submit(self.line(company, n=1), officer).approval_request
            request = act(risk1, 'approve', request)
            self.assertEqual(request.current_step.name, "总经理审批")
            self.assertRefused('msg_approval_same_approver',
                act, risk1, 'approve', request)
            self.assertEqual(request.state, 'pending')

            Flow.write([flow], {'allow_same_approver': True})
            request = submit(self.line(company, n=2), officer).approval_request
            request = act(risk1, 'approve', request)
            request = act(risk1, 'approve', request)
            self.assertEqual(request.state, 'approved')

    @with_transaction()
    def test_user_not_eligible_for_the_open_step_cannot_act(self):
        "Only the group's members act on a group step"
        company = test_module.create_cny_company()
        with set_company(company):
            officer, risk1, risk2, boss = self.staff(company)
            create_flow(company, [group_step("风险审查", 'group_risk_officer')])
            request = submit(self.line(company), officer).approval_request
            for method, args in [('approve', ()), ('reject', ("不同意",)),
                    ('return_to_requester', ("补充资料",))]:
                self.assertRefused('msg_approval_not_eligible',
                    act, boss, method, request, *args)
            self.assertRefused('msg_approval_not_committee',
                act, risk1, 'vote', request, 'approve', "同意")
            self.assertEqual(request.state, 'pending')

    @with_transaction()
    def test_supervisor_of_the_requester_approves(self):
        "A supervisor step goes to the user of the requester's supervisor"
        company = test_module.create_cny_company()
        with set_company(company):
            manager = create_employee(company, "李经理")
            clerk = create_employee(company, "王客户经理")
            clerk.supervisor = manager
            clerk.save()
            officer = create_user(
                'officer', company, ['group_loan_officer'], employee=clerk)
            chief = create_user(
                'chief', company, ['group_branch_manager'], employee=manager)
            other = create_user('other', company, ['group_approver'])
            create_flow(company, [{'name': "主管审批", 'kind': 'supervisor'}])
            line = submit(self.line(company), officer)
            request = line.approval_request
            self.assertEqual(list(request.current_step.approvers), [chief])
            self.assertRefused('msg_approval_not_eligible',
                act, other, 'approve', request)
            act(chief, 'approve', request)
            self.assertEqual(line.__class__(line.id).state, 'active')

            # a requester without a supervisor cannot submit
            lone = create_user('lone', company, ['group_loan_officer'],
                employee=create_employee(company, "赵无主管"))
            fresh = self.line(company, n=2)
            self.assertRefused('msg_approval_step_no_approver',
                submit, fresh, lone)
            self.assertEqual(fresh.__class__(fresh.id).state, 'draft')

    def committee(self, company, size=5):
        return [create_user('member%s' % i, company, ['group_approver'])
            for i in range(size)]

    def committee_request(self, company, size, quorum):
        "A line submitted by an officer to a committee of size members"
        officer = create_user('officer', company, ['group_loan_officer'])
        members = self.committee(company, size)
        create_flow(company, [committee_step("审贷会", members, size, quorum)])
        line = submit(self.line(company), officer)
        return officer, members, line, line.approval_request

    @with_transaction()
    def test_committee_members_are_drawn_at_random_from_the_pool(self):
        "K members of the pool, never the requester, not always the same"
        company = test_module.create_cny_company()
        with set_company(company):
            officer = create_user('officer', company, ['group_approver'])
            pool = self.committee(company) + [officer]
            create_flow(company, [committee_step("审贷会", pool, 3, 2)])
            draws = set()
            for n in range(1, 9):
                request = submit(
                    self.line(company, n=n), officer).approval_request
                members = frozenset(request.current_step.approvers)
                self.assertEqual(len(members), 3)
                self.assertLessEqual(members, set(pool) - {officer})
                draws.add(members)
            # eight draws of 3 among 5 all alike has odds 1 in 10^7
            self.assertGreater(len(draws), 1)

    @with_transaction()
    def test_committee_vote_passes_at_two_thirds_of_votes_cast(self):
        "2 for, 1 against of 3 with a 2/3 ratio: approved, votes recorded"
        pool = Pool()
        Vote = pool.get('microloan.approval.vote')
        Step = pool.get('microloan.approval.request.step')
        company = test_module.create_cny_company()
        with set_company(company):
            officer, members, line, request = (
                self.committee_request(company, 3, 2))
            step = request.current_step
            first, second, third = members
            self.assertRefused('msg_approval_comment_required',
                act, first, 'vote', request, 'approve', " ")
            self.assertRefused('msg_approval_committee_only',
                act, first, 'approve', request)
            self.assertRefused('msg_approval_self',
                act, officer, 'vote', request, 'approve', "同意")
            act(first, 'vote', request, 'approve', "经营稳定，还款来源充足")
            self.assertRefused('msg_approval_twice',
                act, first, 'vote', request, 'reject', "改变主意")
            act(second, 'vote', request, 'reject', "负债率偏高")
            step = Step(step.id)
            self.assertEqual((step.votes_cast, step.members_count), (2, 3))
            self.assertIsNone(step.votes_for)
            request = act(third, 'vote', request, 'approve', "担保充分")

            step = Step(step.id)
            self.assertEqual(step.state, 'approved')
            self.assertEqual((step.votes_for, step.votes_against), (2, 1))
            self.assertEqual(request.state, 'approved')
            self.assertEqual(line.__class__(line.id).state, 'active')
            self.assertEqual(
                {(v.voter, v.decision, v.reason) for v in Vote.search([])},
                {(first, 'approve', "经营稳定，还款来源充足"),
                    (second, 'reject', "负债率偏高"),
                    (third, 'approve', "担保充分")})
            self.assertEqual(
                [a.action for a in request.actions],
                ['submit', 'vote', 'vote', 'vote', 'close_vote'])

    @with_transaction()
    def test_committee_vote_below_the_ratio_rejects_the_line(self):
        "1 for, 2 against: the request and the line are rejected"
        company = test_module.create_cny_company()
        with set_company(company):
            officer, members, line, request = (
                self.committee_request(company, 3, 2))
            for member, decision in zip(
                    members, ['approve', 'reject', 'reject']):
                request = act(member, 'vote', request, decision, "意见")
            self.assertEqual(request.state, 'rejected')
            self.assertEqual(line.__class__(line.id).state, 'rejected')
            self.assertRefused('msg_approval_closed',
                act, members[0], 'vote', request, 'approve', "意见")

    @with_transaction()
    def test_committee_vote_closes_early_only_with_quorum_and_settled(self):
        "Early close needs the quorum and an outcome no vote can change"
        pool = Pool()
        Step = pool.get('microloan.approval.request.step')
        company = test_module.create_cny_company()
        with set_company(company):
            boss = create_user('boss', company, ['group_approver'])
            officer, members, line, request = (
                self.committee_request(company, 4, 2))
            step = request.current_step
            first, second, third, fourth = step.approvers
            act(first, 'vote', request, 'approve', "同意")
            # one vote cast, the quorum is two
            self.assertRefused('msg_approval_vote_not_settled',
                act, boss, 'close_vote', request)
            act(second, 'vote', request, 'reject', "不同意")
            # 1 for 1 against: two more votes can still pass it
            self.assertRefused('msg_approval_vote_not_settled',
                act, boss, 'close_vote', request)
            # only the groups of the button close a vote
            with self.assertRaises(AccessButtonError):
                act(officer, 'close_vote', request)
            act(third, 'vote', request, 'reject', "不同意")
            # 1 for 2 against: at best 2 of 4 < 2/3, settled
            request = act(boss, 'close_vote', request)
            self.assertEqual(Step(step.id).state, 'rejected')
            self.assertEqual(request.state, 'rejected')
            self.assertEqual(line.__class__(line.id).state, 'rejected')

    @with_transaction()
    def test_ballots_are_secret_until_the_vote_closes(self):
        "While open a member reads his own vote only; after, everyone all"
        pool = Pool()
        Vote = pool.get('microloan.approval.vote')
        Step = pool.get('microloan.approval.request.step')
        company = test_module.create_cny_company()
        with set_company(company):
            admin = create_user('mladmin', company, ['group_microloan_admin'])
            officer, members, line, request = (
                self.committee_request(company, 3, 2))
            step = request.current_step
            first, second, third = members
            act(first, 'vote', request, 'approve', "第一票理由")
            act(second, 'vote', request, 'reject', "第二票理由")
            own, other = Vote.search([], order=[('id', 'ASC')])

            with acting_as(first):
                self.assertEqual(Vote.search([]), [own])
                self.assertEqual(
                    Vote.read([own.id], ['reason'])[0]['reason'],
                    "第一票理由")
                with self.assertRaises(AccessError):
                    Vote.read([other.id], ['decision', 'reason'])
                data, = Step.read([step.id],
                    ['votes', 'votes_cast', 'members_count', 'votes_for',
                        'votes_against'])
                self.assertEqual(list(data['votes']), [own.id])
                self.assertEqual(
                    (data['votes_cast'], data['members_count']), (2, 3))
                self.assertIsNone(data['votes_for'])
                self.assertIsNone(data['votes_against'])
                # nor can a search through the step tell the others' votes
                with self.assertRaises(NotImplementedError):
                    Step.search([('votes.decision', '=', 'reject')])
            for user in [officer, admin, third]:
                with acting_as(user):
                    self.assertEqual(Vote.search([]), [])
                    with self.assertRaises(AccessError):
                        Vote.read([own.id, other.id], ['decision'])

            act(third, 'vote', request, 'approve', "第三票理由")
            for user in [officer, admin, first]:
                with acting_as(user):
                    self.assertEqual(len(Vote.search([])), 3)
                    reasons = {v['reason'] for v in Vote.read(
                            [v.id for v in Vote.search([])], ['reason'])}
                    self.assertEqual(
                        reasons, {"第一票理由", "第二票理由", "第三票理由"})
                    data, = Step.read(
                        [step.id], ['votes_for', 'votes_against'])
                    self.assertEqual(
                        (data['votes_for'], data['votes_against']), (2, 1))

    @with_transaction()
    def test_requester_withdraws_only_before_the_step_acted(self):
        "Withdraw puts the line back to draft until an approver acts"
        company = test_module.create_cny_company()
        with set_company(company):
            officer, risk1, risk2, boss = self.staff(company)
            create_flow(company, [
                    group_step("风险审查", 'group_risk_officer', 2)])
            line = submit(self.line(company), officer)
            request = line.approval_request
            self.assertRefused('msg_approval_withdraw_requester',
                act, risk1, 'withdraw', request)
            request = act(officer, 'withdraw', request)
            self.assertEqual(request.state, 'withdrawn')
            self.assertEqual(request.steps[0].state, 'cancelled')
            line = line.__class__(line.id)
            self.assertEqual(line.state, 'draft')
            self.assertEqual(line.approval_state, 'withdrawn')
            self.assertRefused('msg_approval_closed',
                act, risk1, 'approve', request)

            line = submit(line, officer)
            request = line.approval_request
            self.assertEqual(request.state, 'pending')
            act(risk1, 'approve', request)
            self.assertRefused('msg_approval_withdraw_acted',
                act, officer, 'withdraw', request)
            self.assertEqual(line.__class__(line.id).state, 'pending')

    @with_transaction()
    def test_return_to_requester_sends_the_line_back_to_draft(self):
        "A return needs a comment, ends the request, the line is resubmitted"
        pool = Pool()
        Notification = pool.get('res.notification')
        company = test_module.create_cny_company()
        with set_company(company):
            officer, risk1, risk2, boss = self.staff(company)
            create_flow(company, [group_step("风险审查", 'group_risk_officer')])
            line = submit(self.line(company), officer)
            request = line.approval_request
            self.assertRefused('msg_approval_comment_required',
                act, risk1, 'return_to_requester', request, "")
            self.assertRefused('msg_approval_comment_required',
                act, risk1, 'reject', request, None)
            self.assertEqual(request.state, 'pending')
            request = act(
                risk1, 'return_to_requester', request, "请补充经营流水")
            self.assertEqual(request.state, 'returned')
            self.assertEqual(request.actions[-1].comment, "请补充经营流水")
            line = line.__class__(line.id)
            self.assertEqual(line.state, 'draft')
            notification, = Notification.search([('user', '=', officer)])
            self.assertIn(line.number, notification.label)

            line = submit(line, officer)
            self.assertNotEqual(line.approval_request, request)
            self.assertEqual(line.approval_state, 'pending')
            act(risk2, 'approve', line.approval_request)
            self.assertEqual(line.__class__(line.id).state, 'active')
            self.assertEqual(
                [a.action for a in line.__class__(line.id).approval_actions],
                ['submit', 'return_requester', 'submit', 'approve'])

    @with_transaction()
    def test_return_to_previous_step_reopens_it_afresh(self):
        "The previous step opens again and needs its approvals again"
        pool = Pool()
        Step = pool.get('microloan.approval.request.step')
        company = test_module.create_cny_company()
        with set_company(company):
            officer, risk1, risk2, boss = self.staff(company)
            create_flow(company, [
                    group_step("风险审查", 'group_risk_officer', 2),
                    users_step("总经理审批", [boss]),
                    ])
            request = submit(self.line(company), officer).approval_request
            self.assertRefused('msg_approval_no_previous',
                act, risk1, 'return_to_previous', request, "退回")
            request = act(risk1, 'approve', request)
            request = act(risk2, 'approve', request)
            request = act(boss, 'return_to_previous', request, "请复核担保")
            self.assertEqual(
                [(s.name, s.state) for s in Step.search(
                        [('request', '=', request.id)],
                        order=[('id', 'ASC')])],
                [("风险审查", 'approved'), ("总经理审批", 'returned'),
                    ("风险审查", 'open')])
            self.assertEqual(request.current_step.approvals_count, 0)
            request = act(risk1, 'approve', request, "已复核")
            request = act(risk2, 'approve', request, "已复核")
            self.assertEqual(request.current_step.name, "总经理审批")
            request = act(boss, 'approve', request)
            self.assertEqual(request.state, 'approved')

    @with_transaction()
    def test_reject_ends_the_request_and_refuses_further_action(self):
        "A rejected request takes no more action and the line is rejected"
        Request = Pool().get('microloan.approval.request')
        company = test_module.create_cny_company()
        with set_company(company):
            officer, risk1, risk2, boss = self.staff(company)
            create_flow(company, [group_step("风险审查", 'group_risk_officer', 2)])
            line = submit(self.line(company), officer)
            request = act(risk1, 'reject', line.approval_request, "负债过高")
            self.assertEqual(request.state, 'rejected')
            self.assertEqual(line.__class__(line.id).state, 'rejected')
            self.assertRefused('msg_approval_closed',
                act, risk2, 'approve', request)
            # the withdraw button is gone from a finished request
            with self.assertRaises(AccessButtonError):
                act(officer, 'withdraw', request)
            self.assertEqual(Request(request.id).state, 'rejected')

    @with_transaction()
    def test_my_approvals_lists_the_steps_awaiting_the_user(self):
        "can_act finds the open steps where the user may still act"
        pool = Pool()
        Step = pool.get('microloan.approval.request.step')
        Request = pool.get('microloan.approval.request')
        company = test_module.create_cny_company()
        with set_company(company):
            officer, risk1, risk2, boss = self.staff(company)
            create_flow(company, [
                    group_step("风险审查", 'group_risk_officer', 2),
                    users_step("总经理审批", [boss]),
                    ])
            first = submit(self.line(company, n=1), officer).approval_request
            second = submit(self.line(company, n=2), officer).approval_request
            act(risk1, 'approve', first)

            def awaiting(user):
                with acting_as(user):
                    return {s.request for s in Step.search(
                                [('can_act', '=', True)])}
            self.assertEqual(awaiting(risk1), {second})
            self.assertEqual(awaiting(risk2), {first, second})
            self.assertEqual(awaiting(boss), set())
            self.assertEqual(awaiting(officer), set())
            with acting_as(officer):
                self.assertEqual(
                    set(Request.search([('is_mine', '=', True)])),
                    {first, second})
            with acting_as(risk1):
                self.assertEqual(Request.search([('is_mine', '=', True)]), [])

    @with_transaction()
    def test_decide_and_vote_wizards_act_on_the_open_step(self):
        "The wizards of My Approvals approve, return and vote"
        pool = Pool()
        Decide = pool.get('microloan.approval.decide', type='wizard')
        CastVote = pool.get('microloan.approval.vote.cast', type='wizard')
        Request = pool.get('microloan.approval.request')
        company = test_module.create_cny_company()
        with set_company(company):
            officer, risk1, risk2, boss = self.staff(company)
            members = self.committee(company, 3)
            create_flow(company, [
                    group_step("风险审查", 'group_risk_officer'),
                    committee_step("审贷会", members, 3, 2),
                    ])
            request = submit(self.line(company), officer).approval_request
            step = request.current_step
            run_wizard(Decide, risk1, step, 'decide',
                {'decision': 'approve', 'comment': "同意"})
            request = Request(request.id)
            step = request.current_step
            self.assertEqual(step.name, "审贷会")
            for member in members:
                run_wizard(CastVote, member, step, 'vote',
                    {'decision': 'approve', 'reason': "同意"})
            self.assertEqual(Request(request.id).state, 'approved')

    @with_transaction()
    def test_a_decider_of_another_branch_reads_what_he_decides_on(self):
        """The branch manager of another branch named on a step reads the
        credit line and its customer, read only, from the submission on;
        not the other customers of that branch"""
        pool = Pool()
        CreditLine = pool.get('microloan.credit_line')
        Party = pool.get('party.party')
        company = test_module.create_cny_company()
        with set_company(company):
            head = tools.create_branch(company, "总部营业部", '01')
            east = tools.create_branch(company, "城东支行", '02')
            officer, employee = tools.create_staff(
                company, 'officer', "王敏", 'group_loan_officer', head)
            manager, _ = tools.create_staff(
                company, 'manager', "刘洋", 'group_branch_manager', east)
            create_flow(company, [users_step("网点负责人审批", [manager])])
            customer = tools.create_customer("孙建国", 1, employee)
            other = tools.create_customer("周晓梅", 2, employee)
            line = create_line(company, customer, Decimal('300000.00'),
                activate=False)

            def readable(Model, record):
                with acting_as(manager):
                    return bool(Model.search([('id', '=', record.id)]))
            self.assertFalse(readable(CreditLine, line))
            self.assertFalse(readable(Party, customer))

            submit(line, officer)
            self.assertTrue(readable(CreditLine, line))
            self.assertTrue(readable(Party, customer))
            self.assertFalse(readable(Party, other))
            with acting_as(manager):
                self.assertEqual(
                    CreditLine(line.id).party.rec_name, "孙建国")
                with tools.refused(self, AccessError):
                    Party.write([Party(customer.id)], {'name': "孙建国2"})
