# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The approval engine (审批): requests, their steps, history and votes.

A document opts in with ``ApprovalMixin`` and adds its model name to
``Flow._get_documents`` (approval_flow.py) from an extension of the flow
next to it.  Its own submit button calls ``request_approval``, which finds
the flow, creates a request and opens the first step; the engine then calls
the document's hooks (``approval_submitted``, ``approval_approved``,
``approval_rejected``, ``approval_returned``, ``approval_withdrawn``) to
move its own state.

The rows of a request are written only by the engine's methods (approve,
reject, return_to_requester, return_to_previous, withdraw, vote,
close_vote), each refusing with a translated error what the rules forbid:
the requester never acts on his own request, a user acts once on a step and
on one step of a request only (unless the flow allows it), only the
eligible users of the open step act.  Requests and their steps are
workflows: a request leaves pending once (approved, rejected, returned or
withdrawn), a step leaves open once; a step row is created each time a step
opens, so a step reopened by a return starts afresh.

Committee ballots are secret while the vote is open: a record rule lets a
member read his own vote only; the tallies are computed without access
checks and only "votes cast / members" shows until the vote closes."""
import datetime as dt
import json
import random
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.rpc import RPC
from trytond.transaction import (
    Transaction, check_access, without_check_access)
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .approval_flow import STEP_KINDS
from .exceptions import ApprovalError
from .terms import APR_DIGITS, RATE_DIGITS
from .tools import open_records
from .workflow import checked_transition

REQUEST_STATES = [
    ('pending', "Pending Approval"),
    ('approved', "Approved"),
    ('rejected', "Rejected"),
    ('returned', "Returned"),
    ('withdrawn', "Withdrawn"),
    ]
STEP_STATES = [
    ('open', "Open"),
    ('approved', "Approved"),
    ('rejected', "Rejected"),
    ('returned', "Returned"),
    ('cancelled', "Cancelled"),
    ]
ACTIONS = [
    ('submit', "Submit"),
    ('approve', "Approve"),
    ('reject', "Reject"),
    ('return_requester', "Return to Requester"),
    ('return_previous', "Return to Previous Step"),
    ('withdraw', "Withdraw"),
    ('vote', "Vote"),
    ('close_vote', "Close of Vote"),
    ]
DECISIONS = [
    ('approve', "Approve"),
    ('reject', "Reject"),
    ]
# The actions that count as taking part in a step (maker-checker)
ACTING = {'approve', 'reject', 'return_requester', 'return_previous', 'vote'}


def _now():
    return dt.datetime.now()


class ApprovalMixin:
    """Make a document approvable by a flow.

    The document's submit button calls ``request_approval``; it overrides
    ``approval_context`` and the hooks that move its own state, and
    ``approval_summary`` for what the step form shows the deciders."""
    __slots__ = ()
    # the module.xml_id of the window that opens the document
    _approval_action = None

    approval_request = fields.Function(fields.Many2One(
            'microloan.approval.request', "Approval Request"),
        'get_approval')
    approval_state = fields.Function(fields.Selection(
            [(None, '')] + REQUEST_STATES, "Approval State"),
        'get_approval')
    approval_actions = fields.Function(fields.Many2Many(
            'microloan.approval.action', None, None, "Approval History"),
        'get_approval')
    approval_users = fields.Function(fields.Many2Many(
            'res.user', None, None, "Deciders",
            help="The users who may act or could act on a step of the "
            "document's approval."),
        'get_approval_users', searcher='search_approval_users')

    @classmethod
    def get_approval(cls, records, names):
        Request = Pool().get('microloan.approval.request')
        result = {n: {r.id: None for r in records} for n in names}
        if 'approval_actions' in result:
            result['approval_actions'] = {r.id: [] for r in records}
        by_document = defaultdict(list)
        with without_check_access():
            requests = Request.search([
                    ('document', 'in', [str(r) for r in records]),
                    ], order=[('id', 'ASC')])
            for request in requests:
                by_document[request.document.id].append(request)
            for record in records:
                requests = by_document.get(record.id)
                if not requests:
                    continue
                last = requests[-1]
                if 'approval_request' in result:
                    result['approval_request'][record.id] = last.id
                if 'approval_state' in result:
                    result['approval_state'][record.id] = last.state
                if 'approval_actions' in result:
                    result['approval_actions'][record.id] = [
                        a.id for r in requests for a in r.actions]
        return result

    @classmethod
    def get_approval_users(cls, records, name):
        pool = Pool()
        Request = pool.get('microloan.approval.request')
        result = {r.id: set() for r in records}
        with without_check_access():
            for request in Request.search([
                        ('document', 'in', [str(r) for r in records]),
                        ]):
                for step in request.steps:
                    result[request.document.id].update(
                        u.id for u in step.approvers)
        return {i: list(u) for i, u in result.items()}

    @classmethod
    def search_approval_users(cls, name, clause):
        """The documents on a step of whose approval the users may act or
        could act (the eligible users of every step, open or closed): the
        record rules let them read what they decide on"""
        pool = Pool()
        Request = pool.get('microloan.approval.request')
        Step = pool.get('microloan.approval.request.step')
        StepUser = pool.get('microloan.approval.request.step-res.user')
        request = Request.__table__()
        step = Step.__table__()
        step_user = StepUser.__table__()
        _, operator, value = clause[:3]
        Operator = fields.SQL_OPERATORS[operator]
        query = request.join(step, condition=step.request == request.id
            ).join(step_user, condition=step_user.step == step.id
            ).select(Request.document.sql_id(request.document, cls),
                where=request.document.like(cls.__name__ + ',%')
                & Operator(step_user.user, value))
        return [('id', 'in', query)]

    def approval_parties(self):
        """Return the parties a decider on the document reads with it (the
        borrower...): the record rules let the users of its steps read
        them"""
        return []

    def approval_context(self):
        """Return what selects the flow: dict of company, branch, product
        and amount (records or ids, Decimal)"""
        return {
            'company': getattr(self, 'company', None),
            'branch': None,
            'product': None,
            'amount': None,
            }

    def approval_summary(self):
        """Return what a decision on the document needs, shown on the step
        form: a dict of the summary fields of the request step
        (RequestStep.SUMMARY_FIELDS: customer, amount, product, term,
        rate, cost, opinions, materials...); the fields left out stay
        empty"""
        return {}

    def approval_check(self, action):
        """Hook: refuse with a translated error the action ('approve',
        'reject', 'return_requester' or 'return_previous') on a step of
        the document's request while the document is not ready for it"""

    def approval_action(self):
        "Return the window action that opens the document, or None"
        if not self._approval_action:
            return None
        return open_records(self._approval_action, [self.id])

    def approval_requester(self):
        "Return the user who submits the document (res.user)"
        return Pool().get('res.user')(Transaction().user)

    @classmethod
    def request_approval(cls, records):
        """Submit records for approval: a request of the matching flow for
        each; the records without a flow are approved at once.
        Return the requests created."""
        pool = Pool()
        Flow = pool.get('microloan.approval.flow')
        Request = pool.get('microloan.approval.request')
        submitted, free = [], []
        with without_check_access():
            for record in records:
                flow = Flow.find(cls.__name__, record.approval_context())
                if flow:
                    submitted.append((record, flow))
                else:
                    free.append(record)
        requests = Request.submit(submitted) if submitted else []
        if submitted:
            cls.approval_submitted([r for r, _ in submitted])
        if free:
            cls.approval_approved(free)
        return requests

    @classmethod
    def approval_submitted(cls, records):
        "Hook: records now wait for approval"

    @classmethod
    def approval_approved(cls, records):
        "Hook: records are approved (or need no approval)"

    @classmethod
    def approval_rejected(cls, records):
        "Hook: the approval of records was refused"

    @classmethod
    def approval_returned(cls, records):
        "Hook: records came back to the requester to be changed"

    @classmethod
    def approval_withdrawn(cls, records):
        "Hook: the requester withdrew records from approval"


class Request(Workflow, ModelSQL, ModelView):
    "Approval Request"
    __name__ = 'microloan.approval.request'
    __string__ = "Approval Request"

    document = fields.Reference(
        "Document", selection='get_documents', required=True, readonly=True)
    flow = fields.Many2One(
        'microloan.approval.flow', "Flow", required=True, readonly=True,
        ondelete='RESTRICT')
    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    requester = fields.Many2One(
        'res.user', "Requester", required=True, readonly=True)
    submitted_date = fields.DateTime("Submitted on", readonly=True)
    closed_date = fields.DateTime("Decided on", readonly=True)
    state = fields.Selection(
        REQUEST_STATES, "Approval State", required=True, readonly=True,
        sort=False)
    state_string = state.translated('state')
    current_step = fields.Many2One(
        'microloan.approval.request.step', "Current Step", readonly=True)
    current_step_kind = fields.Function(fields.Selection(
            [(None, '')] + STEP_KINDS, "Current Step Kind"),
        'get_current_step_kind')
    steps = fields.One2Many(
        'microloan.approval.request.step', 'request', "Steps",
        readonly=True)
    actions = fields.One2Many(
        'microloan.approval.action', 'request', "Approval History",
        readonly=True)
    is_mine = fields.Function(
        fields.Boolean("Submitted by Me"), 'get_is_mine',
        searcher='search_is_mine')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('submitted_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('pending', 'approved'),
            ('pending', 'rejected'),
            ('pending', 'returned'),
            ('pending', 'withdrawn'),
            }
        cls._buttons.update({
                'withdraw': {
                    'invisible': Eval('state') != 'pending',
                    'depends': ['state'],
                    },
                'decide': {
                    'invisible': Eval('state') != 'pending',
                    'depends': ['state'],
                    },
                'cast_vote': {
                    'invisible': Eval('state') != 'pending',
                    'depends': ['state'],
                    },
                'close_vote': {
                    'invisible': ((Eval('state') != 'pending')
                        | (Eval('current_step_kind') != 'committee')),
                    'depends': ['state', 'current_step_kind'],
                    },
                'open_document': {
                    'icon': 'tryton-open',
                    },
                })
        for name in ['approve', 'reject', 'return_to_requester',
                'return_to_previous', 'vote']:
            cls.__rpc__[name] = RPC(readonly=False, instantiate=0)

    @classmethod
    def default_state(cls):
        return 'pending'

    @classmethod
    def get_documents(cls):
        return Pool().get('microloan.approval.flow').get_documents()

    @classmethod
    def preprocess_values(cls, mode, values):
        "A request decided on is closed: its date, no current step"
        values = super().preprocess_values(mode, values)
        if mode == 'write' and values.get('state', 'pending') != 'pending':
            values.setdefault('closed_date', _now())
            values.setdefault('current_step', None)
        return values

    def get_current_step_kind(self, name):
        return self.current_step.kind if self.current_step else None

    def get_rec_name(self, name):
        document = self.document.rec_name if self.document else ''
        return '%s: %s' % (self.flow.rec_name, document)

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('flow.rec_name',) + tuple(clause[1:])]

    def get_is_mine(self, name):
        return self.requester.id == Transaction().user

    @classmethod
    def search_is_mine(cls, name, clause):
        _, operator, value = clause
        mine = (operator == '=') == bool(value)
        return [('requester', '=' if mine else '!=', Transaction().user)]

    # The engine

    @classmethod
    def submit(cls, documents_flows):
        """Create a pending request for each (document, flow) and open the
        flow's first step; refuse a document already pending"""
        pool = Pool()
        Action = pool.get('microloan.approval.action')
        now = _now()
        with without_check_access():
            pending = cls.search([
                    ('document', 'in', [str(d) for d, _ in documents_flows]),
                    ('state', '=', 'pending'),
                    ], limit=1)
            if pending:
                raise ApprovalError(gettext(
                        'microloan_core.msg_approval_already_pending',
                        document=pending[0].document.rec_name))
            for _, flow in documents_flows:
                if not flow.steps:
                    raise ApprovalError(gettext(
                            'microloan_core.msg_approval_flow_no_step',
                            flow=flow.rec_name))
            vlist = []
            for document, flow in documents_flows:
                vlist.append({
                        'document': str(document),
                        'flow': flow.id,
                        'company': flow.company.id,
                        'requester': document.approval_requester().id,
                        'submitted_date': now,
                        'state': 'pending',
                        })
            requests = cls.create(vlist)
            Action.create([{
                        'request': r.id,
                        'user': r.requester.id,
                        'date': now,
                        'action': 'submit',
                        } for r in requests])
            for request in requests:
                request.open_step(request.flow.steps[0])
        return requests

    def open_step(self, flow_step):
        "Open a new row of flow_step as the current step"
        pool = Pool()
        Step = pool.get('microloan.approval.request.step')
        approvers = self.step_approvers(flow_step)
        step, = Step.create([{
                    'request': self.id,
                    'flow_step': flow_step.id,
                    'name': flow_step.name,
                    'kind': flow_step.kind,
                    'state': 'open',
                    'opened_date': _now(),
                    'required_approvals': (
                        flow_step.required_approvals
                        if flow_step.kind in {'group', 'users'} else 1),
                    'quorum': flow_step.quorum,
                    'pass_numerator': flow_step.pass_numerator,
                    'pass_denominator': flow_step.pass_denominator,
                    'approvers': [('add', [u.id for u in approvers])],
                    }])
        # the eligible users are notified by their inbox (inbox.py)
        self.__class__.write([self], {'current_step': step.id})
        return step

    def step_approvers(self, flow_step):
        """Return the users who may act on a new row of flow_step: for a
        committee the members drawn at random from the pool"""
        pool = Pool()
        User = pool.get('res.user')
        requester = self.requester
        if flow_step.kind == 'group':
            users = User.search([('groups', '=', flow_step.group.id)])
        elif flow_step.kind == 'users':
            users = list(flow_step.users)
        elif flow_step.kind == 'supervisor':
            users = []
            employee = self.requester_employee()
            if employee and employee.supervisor:
                users = User.search([
                        ('employees', '=', employee.supervisor.id),
                        ])
        else:
            excluded = {requester}
            if not self.flow.allow_same_approver:
                excluded |= self.acted_users(exclude_flow_step=flow_step)
            candidates = sorted(
                (u for u in flow_step.committee_pool if u not in excluded),
                key=lambda u: u.id)
            if len(candidates) < flow_step.committee_size:
                raise ApprovalError(gettext(
                        'microloan_core.msg_approval_committee_short',
                        step=flow_step.name,
                        size=flow_step.committee_size,
                        count=len(candidates)))
            return random.SystemRandom().sample(
                candidates, flow_step.committee_size)
        needed = (flow_step.required_approvals
            if flow_step.kind in {'group', 'users'} else 1)
        if len([u for u in users if u != requester]) < needed:
            raise ApprovalError(gettext(
                    'microloan_core.msg_approval_step_no_approver',
                    step=flow_step.name,
                    request=self.rec_name,
                    count=needed))
        return users

    def requester_employee(self):
        "The requester's employee in the request's company"
        employee = self.requester.employee
        if employee and employee.company == self.company:
            return employee
        for employee in self.requester.employees:
            if employee.company == self.company:
                return employee

    def acted_users(self, exclude_flow_step):
        "The users who took part in the steps of the request"
        Action = Pool().get('microloan.approval.action')
        return {a.user for a in Action.search([
                    ('request', '=', self.id),
                    ('action', 'in', list(ACTING)),
                    ])
            if a.step and a.step.flow_step != exclude_flow_step}

    def step_acted(self, step, user=None):
        "Tell if step has an action taking part in it (by user if given)"
        Action = Pool().get('microloan.approval.action')
        domain = [
            ('step', '=', step.id),
            ('action', 'in', list(ACTING)),
            ]
        if user is not None:
            domain.append(('user', '=', user.id))
        return bool(Action.search(domain, limit=1))

    def refusal(self, user, action):
        """Return the translated reason why user may not do action
        ('decide' or 'vote') on the current step, or None"""
        pool = Pool()
        User = pool.get('res.user')
        step = self.current_step
        user = User(user)
        if self.state != 'pending' or not step or step.state != 'open':
            return gettext('microloan_core.msg_approval_closed',
                request=self.rec_name, state=self.state_string)
        if user == self.requester:
            return gettext('microloan_core.msg_approval_self',
                request=self.rec_name, user=user.rec_name)
        if user not in step.approvers:
            return gettext('microloan_core.msg_approval_not_eligible',
                request=self.rec_name, step=step.name, user=user.rec_name)
        if action == 'vote' and step.kind != 'committee':
            return gettext('microloan_core.msg_approval_not_committee',
                step=step.name)
        if action != 'vote' and step.kind == 'committee':
            return gettext('microloan_core.msg_approval_committee_only',
                step=step.name)
        if self.step_acted(step, user):
            return gettext('microloan_core.msg_approval_twice',
                request=self.rec_name, step=step.name, user=user.rec_name)
        if (not self.flow.allow_same_approver
                and user in self.acted_users(
                    exclude_flow_step=step.flow_step)):
            return gettext('microloan_core.msg_approval_same_approver',
                request=self.rec_name, user=user.rec_name)

    def check_act(self, action):
        message = self.refusal(Transaction().user, action)
        if message:
            raise ApprovalError(message)

    def record_action(self, action, comment=None):
        Action = Pool().get('microloan.approval.action')
        step = self.current_step
        Action.create([{
                    'request': self.id,
                    'step': step.id if step else None,
                    'user': Transaction().user,
                    'date': _now(),
                    'action': action,
                    'comment': comment,
                    }])

    @staticmethod
    def check_comment(action, comment):
        if not (comment or '').strip():
            actions = dict(Pool().get('microloan.approval.action').fields_get(
                    ['action'])['action']['selection'])
            raise ApprovalError(gettext(
                    'microloan_core.msg_approval_comment_required',
                    action=actions[action]))

    @classmethod
    def approve(cls, requests, comment=None):
        "Approve the current step of requests as the user"
        cls.act_on_step(requests, 'approve', comment)

    @classmethod
    def reject(cls, requests, comment):
        "Refuse requests at their current step (comment required)"
        cls.act_on_step(requests, 'reject', comment)

    @classmethod
    def return_to_requester(cls, requests, comment):
        "Send requests back to the requester to change and resubmit"
        cls.act_on_step(requests, 'return_requester', comment)

    @classmethod
    def return_to_previous(cls, requests, comment):
        "Close the current step as returned and reopen the previous one"
        cls.act_on_step(requests, 'return_previous', comment)

    @classmethod
    def act_on_step(cls, requests, action, comment):
        """Record the user's action (approve, reject, return_requester or
        return_previous) on the current step of requests and move them on;
        every action but approve needs a comment"""
        pool = Pool()
        Step = pool.get('microloan.approval.request.step')
        if action != 'approve':
            cls.check_comment(action, comment)
        with without_check_access():
            for request in cls.browse([int(r) for r in requests]):
                request.check_act('decide')
                request.document.approval_check(action)
                step = request.current_step
                steps = list(request.flow.steps)
                index = steps.index(step.flow_step)
                if action == 'return_previous' and not index:
                    raise ApprovalError(gettext(
                            'microloan_core.msg_approval_no_previous',
                            request=request.rec_name, step=step.name))
                request.record_action(action, comment)
                if action == 'approve':
                    if step.approvals_count >= step.required_approvals:
                        request.close_step('approved')
                elif action == 'return_previous':
                    Step.close_returned([step])
                    request.open_step(steps[index - 1])
                else:
                    request.close_step({
                            'reject': 'rejected',
                            'return_requester': 'returned',
                            }[action])

    @classmethod
    @ModelView.button
    @checked_transition('withdrawn')
    @Workflow.transition('withdrawn')
    def withdraw(cls, requests, comment=None):
        "The requester takes requests back while their step is untouched"
        pool = Pool()
        Step = pool.get('microloan.approval.request.step')
        User = pool.get('res.user')
        user = User(Transaction().user)
        requests = cls.browse(requests)
        for request in requests:
            step = request.current_step
            if user != request.requester:
                raise ApprovalError(gettext(
                        'microloan_core.msg_approval_withdraw_requester',
                        request=request.rec_name, user=user.rec_name))
            if request.step_acted(step):
                raise ApprovalError(gettext(
                        'microloan_core.msg_approval_withdraw_acted',
                        request=request.rec_name, step=step.name))
            request.record_action('withdraw', comment)
        Step.close_cancelled([r.current_step for r in requests])
        cls.conclude(requests, 'approval_withdrawn')

    @classmethod
    def vote(cls, requests, decision, reason):
        "Cast the user's committee vote (approve or reject, with reason)"
        pool = Pool()
        Vote = pool.get('microloan.approval.vote')
        if decision not in dict(DECISIONS):
            raise ApprovalError(gettext(
                    'microloan_core.msg_approval_vote_decision'))
        cls.check_comment('vote', reason)
        with without_check_access():
            for request in cls.browse([int(r) for r in requests]):
                request.check_act('vote')
                step = request.current_step
                Vote.create([{
                            'step': step.id,
                            'voter': Transaction().user,
                            'date': _now(),
                            'decision': decision,
                            'reason': reason,
                            }])
                # the history says who voted, the ballot stays secret
                request.record_action('vote')
                step = step.__class__(step.id)
                if step.votes_cast >= len(step.approvers):
                    request.tally_vote()

    @classmethod
    @ModelView.button
    def close_vote(cls, requests):
        """Close the open committee votes of requests before every member
        voted, once the quorum is reached and the remaining votes cannot
        change the outcome (who may: the groups of the button)"""
        pool = Pool()
        User = pool.get('res.user')
        user = User(Transaction().user)
        for request in cls.browse(requests):
            step = request.current_step
            if (request.state != 'pending' or not step
                    or step.kind != 'committee'):
                raise ApprovalError(gettext(
                        'microloan_core.msg_approval_closed',
                        request=request.rec_name,
                        state=request.state_string))
            if user == request.requester:
                raise ApprovalError(gettext(
                        'microloan_core.msg_approval_self',
                        request=request.rec_name, user=user.rec_name))
            if not step.outcome_settled():
                raise ApprovalError(gettext(
                        'microloan_core.msg_approval_vote_not_settled',
                        step=step.name, request=request.rec_name,
                        cast=step.votes_cast,
                        members=len(step.approvers),
                        quorum=step.quorum))
            request.tally_vote()

    def tally_vote(self):
        "Close the committee vote of the current step with its outcome"
        step = self.current_step
        votes_for, votes_against = step.count_votes()
        self.record_action('close_vote', gettext(
                'microloan_core.msg_approval_vote_result',
                votes_for=votes_for, votes_against=votes_against,
                members=len(step.approvers)))
        self.close_step(
            'approved' if step.vote_passes(votes_for, votes_against)
            else 'rejected')

    def close_step(self, state):
        """Close the current step in state (approved, rejected or returned)
        and move the request on: the next step, or the request's end in the
        same state"""
        Step = Pool().get('microloan.approval.request.step')
        step = self.current_step
        getattr(Step, f'close_{state}')([step])
        if state == 'approved':
            steps = list(self.flow.steps)
            index = steps.index(step.flow_step)
            if index + 1 < len(steps):
                self.open_step(steps[index + 1])
                return
        getattr(self.__class__, f'close_{state}')([self])

    @classmethod
    @checked_transition('approved')
    @Workflow.transition('approved')
    def close_approved(cls, requests):
        "The last step approved the requests"
        cls.conclude(requests, 'approval_approved',
            'microloan_core.msg_approval_notify_approved')

    @classmethod
    @checked_transition('rejected')
    @Workflow.transition('rejected')
    def close_rejected(cls, requests):
        "A step refused the requests"
        cls.conclude(requests, 'approval_rejected',
            'microloan_core.msg_approval_notify_rejected')

    @classmethod
    @checked_transition('returned')
    @Workflow.transition('returned')
    def close_returned(cls, requests):
        "A step sent the requests back to the requester"
        cls.conclude(requests, 'approval_returned',
            'microloan_core.msg_approval_notify_returned')

    @classmethod
    def conclude(cls, requests, hook, message_id=None):
        """Call the hook of the documents of requests that end and tell
        the requesters with message_id when given"""
        pool = Pool()
        documents = defaultdict(list)
        for request in requests:
            documents[request.document.__name__].append(request.document.id)
        for name, ids in documents.items():
            Document = pool.get(name)
            getattr(Document, hook)(Document.browse(ids))
        if message_id:
            for request in requests:
                request.notify(
                    [request.requester], message_id, cls.__name__, [request])

    def notify(self, users, message_id, model, records, **variables):
        "Tell users (res.notification) in their language"
        Notification = Pool().get('res.notification')
        document = self.document.rec_name if self.document else ''
        vlist = []
        for user in users:
            language = user.language.code if user.language else None
            args = (language,) if language else ()
            vlist.append({
                    'user': user.id,
                    'label': gettext(message_id, *args,
                        document=document, **variables),
                    'description': self.rec_name,
                    'model': model,
                    'records': json.dumps([r.id for r in records]),
                    })
        if vlist:
            with without_check_access():
                Notification.create(vlist)

    @classmethod
    @ModelView.button_action('microloan_core.wizard_approval_decide_request')
    def decide(cls, requests):
        pass

    @classmethod
    @ModelView.button
    def open_document(cls, requests):
        "Open the document of the (first) request in its own window"
        with without_check_access():
            documents = [r.document for r in cls.browse(requests)]
        for document in filter(None, documents):
            return document.__class__(document.id).approval_action()

    @classmethod
    @ModelView.button_action('microloan_core.wizard_approval_vote_request')
    def cast_vote(cls, requests):
        pass


class RequestStep(Workflow, ModelSQL, ModelView):
    "Approval Request Step"
    __name__ = 'microloan.approval.request.step'
    __string__ = "Approval Request Step"

    request = fields.Many2One(
        'microloan.approval.request', "Approval Request", required=True,
        ondelete='CASCADE', readonly=True)
    flow_step = fields.Many2One(
        'microloan.approval.flow.step', "Flow Step", required=True,
        ondelete='RESTRICT', readonly=True)
    name = fields.Char("Name", required=True, readonly=True)
    kind = fields.Selection(
        STEP_KINDS, "Approver Kind", required=True, readonly=True)
    state = fields.Selection(
        STEP_STATES, "Step State", required=True, readonly=True, sort=False)
    opened_date = fields.DateTime("Opened on", readonly=True)
    closed_date = fields.DateTime("Closed on", readonly=True)
    approvers = fields.Many2Many(
        'microloan.approval.request.step-res.user', 'step', 'user',
        "Eligible Users", readonly=True,
        help="Who may act on the step; for a committee the members drawn.")
    required_approvals = fields.Integer("Approvals Required", readonly=True)
    quorum = fields.Integer("Quorum", readonly=True)
    pass_numerator = fields.Integer("Pass Ratio Numerator", readonly=True)
    pass_denominator = fields.Integer(
        "Pass Ratio Denominator", readonly=True)
    actions = fields.One2Many(
        'microloan.approval.action', 'step', "Approval History",
        readonly=True)
    # not a One2Many: a search through it would see the secret ballots
    votes = fields.Function(fields.Many2Many(
            'microloan.approval.vote', None, None, "Votes"), 'get_votes')
    document = fields.Function(
        fields.Reference("Document", selection='get_documents'),
        'get_request_field')
    requester = fields.Function(
        fields.Many2One('res.user', "Requester"), 'get_request_field')
    submitted_date = fields.Function(
        fields.DateTime("Submitted on"), 'get_request_field')
    approvals_count = fields.Function(
        fields.Integer("Approvals"), 'get_approvals_count')
    members_count = fields.Function(
        fields.Integer("Members"), 'get_tally')
    votes_cast = fields.Function(
        fields.Integer("Votes Cast"), 'get_tally')
    votes_for = fields.Function(
        fields.Integer("Votes For",
            help="Shown once the vote is closed."),
        'get_tally')
    votes_against = fields.Function(
        fields.Integer("Votes Against",
            help="Shown once the vote is closed."),
        'get_tally')
    can_act = fields.Function(
        fields.Boolean("Awaiting Me"), 'get_can_act',
        searcher='search_can_act')
    # What the decision needs, from the document (approval_summary)
    customer = fields.Function(fields.Char("Customer"), 'get_summary')
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"), 'get_summary')
    amount = fields.Function(Monetary(
            "Amount", currency='currency', digits='currency'),
        'get_summary')
    product = fields.Function(fields.Char("Loan Product"), 'get_summary')
    term_months = fields.Function(
        fields.Integer("Term (Months)"), 'get_summary')
    annual_rate = fields.Function(
        fields.Numeric("Annual Rate", digits=RATE_DIGITS), 'get_summary')
    method = fields.Function(
        fields.Char("Repayment Method"), 'get_summary')
    disclosed_cost = fields.Function(fields.Numeric(
            "Comprehensive Annualized Cost", digits=APR_DIGITS,
            help="The cost disclosed to the borrower, fees included "
            "(IRR method)."),
        'get_summary')
    purpose = fields.Function(fields.Char("Loan Purpose"), 'get_summary')
    guarantee_kind = fields.Function(
        fields.Char("Guarantee Kind"), 'get_summary')
    investigators = fields.Function(
        fields.Char("Investigators"), 'get_summary')
    investigation_date = fields.Function(
        fields.Date("Investigation Date"), 'get_summary')
    investigation_report = fields.Function(
        fields.Text("Investigation Opinion"), 'get_summary')
    risk_level = fields.Function(fields.Char("Risk Level"), 'get_summary')
    risk_opinion = fields.Function(
        fields.Text("Risk Opinion"), 'get_summary')
    risk_assessed_by = fields.Function(
        fields.Char("Risk Assessed By"), 'get_summary')
    materials = fields.Function(
        fields.Text("Materials",
            help="The customer's materials and their state."),
        'get_summary')
    file_completeness = fields.Function(
        fields.Integer("File Completeness (%)"), 'get_summary')
    history = fields.Function(fields.Many2Many(
            'microloan.approval.action', None, None, "Approval History",
            help="Every action on the request, from its submission."),
        'get_history')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('opened_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('open', 'approved'),
            ('open', 'rejected'),
            ('open', 'returned'),
            ('open', 'cancelled'),
            }
        cls._buttons.update({
                'decide': {
                    'invisible': ((Eval('state') != 'open')
                        | (Eval('kind') == 'committee')),
                    'depends': ['state', 'kind'],
                    },
                'cast_vote': {
                    'invisible': ((Eval('state') != 'open')
                        | (Eval('kind') != 'committee')),
                    'depends': ['state', 'kind'],
                    },
                'close_vote': {
                    'invisible': ((Eval('state') != 'open')
                        | (Eval('kind') != 'committee')),
                    'depends': ['state', 'kind'],
                    },
                'open_document': {
                    'icon': 'tryton-open',
                    },
                })

    @classmethod
    def default_state(cls):
        return 'open'

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/form//page[@id="committee"]', 'states', {
                    'invisible': Eval('kind') != 'committee',
                    }),
            ]

    @classmethod
    def get_summary(cls, steps, names):
        """The document's summary (ApprovalMixin.approval_summary), read
        without access checks: a decider sees the figures of the document
        he must decide on"""
        result = {n: {s.id: None for s in steps} for n in names}
        with without_check_access():
            for step in cls.browse(steps):
                document = step.request.document
                if not document:
                    continue
                summary = document.approval_summary()
                for name in names:
                    result[name][step.id] = summary.get(name)
        return result

    @classmethod
    def get_history(cls, steps, name):
        "Every action of the steps' requests"
        with without_check_access():
            return {s.id: [a.id for a in s.request.actions]
                for s in cls.browse(steps)}

    @classmethod
    @ModelView.button
    def open_document(cls, steps):
        "Open the document of the (first) step in its own window"
        with without_check_access():
            documents = [s.request.document for s in cls.browse(steps)]
        for document in filter(None, documents):
            return document.__class__(document.id).approval_action()

    @classmethod
    def get_documents(cls):
        return Pool().get('microloan.approval.flow').get_documents()

    @classmethod
    def preprocess_values(cls, mode, values):
        "A step leaving open is closed at that time"
        values = super().preprocess_values(mode, values)
        if mode == 'write' and values.get('state', 'open') != 'open':
            values.setdefault('closed_date', _now())
        return values

    def get_rec_name(self, name):
        return '%s - %s' % (self.request.rec_name, self.name)

    @classmethod
    def get_request_field(cls, steps, name):
        result = {}
        with without_check_access():
            for step in cls.browse(steps):
                value = getattr(step.request, name)
                if name == 'document':
                    value = str(value) if value else None
                elif isinstance(value, ModelSQL):
                    value = value.id
                result[step.id] = value
        return result

    @classmethod
    def get_approvals_count(cls, steps, name):
        Action = Pool().get('microloan.approval.action')
        result = {s.id: set() for s in steps}
        with without_check_access():
            for action in Action.search([
                        ('step', 'in', [s.id for s in steps]),
                        ('action', '=', 'approve'),
                        ]):
                result[action.step.id].add(action.user.id)
        return {i: len(u) for i, u in result.items()}

    @classmethod
    def get_votes(cls, steps, name):
        "The votes the user may read: the record rules apply"
        Vote = Pool().get('microloan.approval.vote')
        result = {s.id: [] for s in steps}
        with check_access():
            votes = Vote.search([('step', 'in', [s.id for s in steps])])
        for vote in votes:
            result[vote.step.id].append(vote.id)
        return result

    def count_votes(self):
        "Return (for, against) of the step's votes, without access checks"
        Vote = Pool().get('microloan.approval.vote')
        with without_check_access():
            votes = Vote.search([('step', '=', self.id)])
        votes_for = sum(1 for v in votes if v.decision == 'approve')
        return votes_for, len(votes) - votes_for

    @classmethod
    def get_tally(cls, steps, names):
        result = {n: {} for n in names}
        with without_check_access():
            for step in cls.browse(steps):
                votes_for, votes_against = step.count_votes()
                closed = step.state != 'open'
                values = {
                    'members_count': len(step.approvers),
                    'votes_cast': votes_for + votes_against,
                    'votes_for': votes_for if closed else None,
                    'votes_against': votes_against if closed else None,
                    }
                if step.kind != 'committee':
                    values = dict.fromkeys(values)
                for name in names:
                    result[name][step.id] = values[name]
        return result

    def vote_passes(self, votes_for, votes_against):
        "Tell if the votes reach the quorum and the pass ratio"
        cast = votes_for + votes_against
        return cast >= self.quorum and cast > 0 and (
            votes_for * self.pass_denominator
            >= self.pass_numerator * cast)

    def outcome_settled(self):
        """Tell if the quorum is reached and no vote still to come can
        change the outcome"""
        votes_for, votes_against = self.count_votes()
        if votes_for + votes_against < self.quorum:
            return False
        outcome = self.vote_passes(votes_for, votes_against)
        remaining = len(self.approvers) - votes_for - votes_against
        for more_for in range(remaining + 1):
            for more_against in range(remaining + 1 - more_for):
                if self.vote_passes(votes_for + more_for,
                        votes_against + more_against) != outcome:
                    return False
        return True

    @classmethod
    def get_can_act(cls, steps, name):
        user = Transaction().user
        with without_check_access():
            return {s.id: cls(s.id).awaits(user) for s in steps}

    def awaits(self, user):
        "Tell if the step is the open step where user may act"
        request = self.request
        if self.state != 'open' or request.current_step != self:
            return False
        action = 'vote' if self.kind == 'committee' else 'decide'
        return request.refusal(user, action) is None

    @classmethod
    def search_can_act(cls, name, clause):
        _, operator, value = clause
        user = Transaction().user
        with without_check_access():
            steps = cls.search([
                    ('state', '=', 'open'),
                    ('approvers', '=', user),
                    ])
            ids = [s.id for s in steps if s.awaits(user)]
        if (operator == '=') == bool(value):
            return [('id', 'in', ids)]
        return [('id', 'not in', ids)]

    @classmethod
    @ModelView.button_action('microloan_core.wizard_approval_decide')
    def decide(cls, steps):
        pass

    @classmethod
    @ModelView.button_action('microloan_core.wizard_approval_vote')
    def cast_vote(cls, steps):
        pass

    @classmethod
    @ModelView.button
    def close_vote(cls, steps):
        Request = Pool().get('microloan.approval.request')
        Request.close_vote(current_requests(steps))

    # The step's ends, by the engine only (Request.close_step, withdraw)

    @classmethod
    @checked_transition('approved')
    @Workflow.transition('approved')
    def close_approved(cls, steps):
        pass

    @classmethod
    @checked_transition('rejected')
    @Workflow.transition('rejected')
    def close_rejected(cls, steps):
        pass

    @classmethod
    @checked_transition('returned')
    @Workflow.transition('returned')
    def close_returned(cls, steps):
        pass

    @classmethod
    @checked_transition('cancelled')
    @Workflow.transition('cancelled')
    def close_cancelled(cls, steps):
        pass


def current_requests(steps):
    "Return the requests of steps, refusing a step no longer open"
    requests = []
    with without_check_access():
        for step in steps:
            step = step.__class__(step.id)
            request = step.request
            if step.state != 'open' or request.current_step != step:
                raise ApprovalError(gettext(
                        'microloan_core.msg_approval_closed',
                        request=request.rec_name,
                        state=request.state_string))
            requests.append(request)
    return requests


class RequestStepUser(ModelSQL):
    "Approval Request Step - User"
    __name__ = 'microloan.approval.request.step-res.user'

    step = fields.Many2One(
        'microloan.approval.request.step', "Step", required=True,
        ondelete='CASCADE')
    user = fields.Many2One(
        'res.user', "User", required=True, ondelete='CASCADE')


class Action(ModelSQL, ModelView):
    "Approval Action"
    __name__ = 'microloan.approval.action'
    __string__ = "Approval Action"

    request = fields.Many2One(
        'microloan.approval.request', "Approval Request", required=True,
        ondelete='CASCADE', readonly=True)
    step = fields.Many2One(
        'microloan.approval.request.step', "Step", readonly=True,
        ondelete='CASCADE')
    user = fields.Many2One('res.user', "User", required=True, readonly=True)
    date = fields.DateTime("Acted on", required=True, readonly=True)
    action = fields.Selection(
        ACTIONS, "Approval Action", required=True, readonly=True,
        sort=False)
    comment = fields.Text("Approval Comment", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'ASC'), ('id', 'ASC')]


class Vote(ModelSQL, ModelView):
    "Committee Vote"
    __name__ = 'microloan.approval.vote'
    __string__ = "Committee Vote"

    step = fields.Many2One(
        'microloan.approval.request.step', "Step", required=True,
        ondelete='CASCADE', readonly=True)
    voter = fields.Many2One('res.user', "Voter", required=True, readonly=True)
    date = fields.DateTime("Voted on", required=True, readonly=True)
    decision = fields.Selection(
        DECISIONS, "Vote", required=True, readonly=True)
    reason = fields.Text("Reason", required=True, readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'ASC'), ('id', 'ASC')]


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    approval_users = fields.Function(fields.Many2Many(
            'res.user', None, None, "Deciders",
            help="The users who may act or could act on a step of the "
            "approval of a document of the party."),
        'get_approval_users', searcher='search_approval_users')

    @classmethod
    def _approval_parties(cls, clause):
        """Return the ids of the parties of the documents whose approval
        users match clause (ApprovalMixin.approval_parties)"""
        pool = Pool()
        Flow = pool.get('microloan.approval.flow')
        ids = set()
        with without_check_access():
            for model in Flow._get_documents():
                Document = pool.get(model)
                for document in Document.search(
                        [('approval_users',) + tuple(clause[1:])]):
                    ids.update(p.id for p in document.approval_parties() if p)
        return ids

    @classmethod
    def get_approval_users(cls, parties, name):
        StepUser = Pool().get('microloan.approval.request.step-res.user')
        result = {p.id: [] for p in parties}
        with without_check_access():
            users = {r.user.id for r in StepUser.search([])}
        for user in sorted(users):
            for party in cls._approval_parties(('approval_users', '=', user)):
                if party in result:
                    result[party].append(user)
        return result

    @classmethod
    def search_approval_users(cls, name, clause):
        "The parties of the documents a user decides or decided on"
        return [('id', 'in', list(cls._approval_parties(clause)))]


class DecideStart(ModelView):
    "Decide on Approval"
    __name__ = 'microloan.approval.decide.start'

    decision = fields.Selection([
            ('approve', "Approve"),
            ('reject', "Reject"),
            ('return_requester', "Return to Requester"),
            ('return_previous', "Return to Previous Step"),
            ], "Decision", required=True, sort=False)
    comment = fields.Text(
        "Approval Comment",
        states={
            'required': Eval('decision') != 'approve',
            },
        depends=['decision'])

    @classmethod
    def default_decision(cls):
        return 'approve'


def wizard_requests(wizard):
    "The requests a wizard acts on, from requests or their current steps"
    pool = Pool()
    Request = pool.get('microloan.approval.request')
    if wizard.model.__name__ == Request.__name__:
        return list(wizard.records)
    return current_requests(wizard.records)


class Decide(Wizard):
    "Decide on Approval"
    __name__ = 'microloan.approval.decide'

    start = StateView(
        'microloan.approval.decide.start',
        'microloan_core.approval_decide_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Decide", 'decide', 'tryton-ok', default=True),
            ])
    decide = StateTransition()

    def end(self):
        "The list it ran from drops the step decided on"
        return 'reload'

    def transition_decide(self):
        Request = Pool().get('microloan.approval.request')
        requests = wizard_requests(self)
        decision, comment = self.start.decision, self.start.comment
        if decision == 'approve':
            Request.approve(requests, comment)
        elif decision == 'reject':
            Request.reject(requests, comment)
        elif decision == 'return_requester':
            Request.return_to_requester(requests, comment)
        else:
            Request.return_to_previous(requests, comment)
        return 'end'


class VoteStart(ModelView):
    "Cast Committee Vote"
    __name__ = 'microloan.approval.vote.start'

    decision = fields.Selection(
        DECISIONS, "Vote", required=True, sort=False)
    reason = fields.Text("Reason", required=True)


class CastVote(Wizard):
    "Cast Committee Vote"
    __name__ = 'microloan.approval.vote.cast'

    start = StateView(
        'microloan.approval.vote.start',
        'microloan_core.approval_vote_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Vote", 'vote', 'tryton-ok', default=True),
            ])
    vote = StateTransition()

    def end(self):
        "The list it ran from drops the step decided on"
        return 'reload'

    def transition_vote(self):
        Request = Pool().get('microloan.approval.request')
        Request.vote(
            wizard_requests(self), self.start.decision, self.start.reason)
        return 'end'
