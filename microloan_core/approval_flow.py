# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Approval flows (审批流程配置): who approves which documents, in what order.

A flow applies to one kind of document of a company, optionally only to
one branch, one loan product or a range of amounts.  A submitted document
takes the first active flow by sequence whose conditions match its
``approval_context()``.  The kinds of document are the model names
``Flow._get_documents`` returns: each document that uses the approval
mixin of approval.py adds its own, from an extension of the flow next to
the document.

The flow's steps run in sequence.  A step is decided by a group, by named
users, by the supervisor of the requester's employee or by a credit
committee (审贷会) whose members are drawn at random from a pool when the
step opens; a committee passes with enough votes cast (quorum) and a share
of votes for at least numerator / denominator of the votes cast."""
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, fields, sequence_ordered)
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .exceptions import ApprovalFlowError

STEP_KINDS = [
    ('group', "Group Members"),
    ('users', "Named Users"),
    ('supervisor', "Requester's Supervisor"),
    ('committee', "Credit Committee"),
    ]


class Flow(DeactivableMixin, sequence_ordered(), ModelSQL, ModelView):
    "Approval Flow"
    __name__ = 'microloan.approval.flow'
    __string__ = "Approval Flow"

    name = fields.Char("Name", required=True, translate=True)
    model = fields.Selection(
        'get_documents', "Document Type", required=True,
        help="The kind of document the flow approves.")
    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    branch = fields.Many2One(
        'microloan.branch', "Branch", ondelete='CASCADE',
        domain=[('company', '=', Eval('company', -1))],
        help="Apply only to documents of this branch; empty for all.")
    product = fields.Many2One(
        'microloan.product', "Product", ondelete='CASCADE',
        domain=[('company', '=', Eval('company', -1))],
        help="Apply only to documents of this loan product; empty for all.")
    min_amount = Monetary(
        "Minimum Amount", currency='currency', digits='currency',
        domain=[If(Eval('min_amount', None) & Eval('max_amount', None),
                ('min_amount', '<=', Eval('max_amount', 0)),
                ())],
        help="Apply only from this amount on; empty for no minimum.")
    max_amount = Monetary(
        "Maximum Amount", currency='currency', digits='currency',
        help="Apply only up to this amount; empty for no maximum.")
    allow_same_approver = fields.Boolean(
        "Same Approver on Several Steps",
        help="One user may approve or vote on more than one step of a "
        "request.")
    steps = fields.One2Many(
        'microloan.approval.flow.step', 'flow', "Steps")

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def default_allow_same_approver(cls):
        return False

    @classmethod
    def _get_documents(cls):
        "Return the names of the models a flow can approve"
        return []

    @classmethod
    def get_documents(cls):
        "Selection of the documents a flow can approve, with their names"
        IrModel = Pool().get('ir.model')
        get_name = IrModel.get_name
        return [(None, '')] + [(m, get_name(m)) for m in cls._get_documents()]

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    def match(self, context):
        """Tell if the flow applies to a document of approval context
        (dict of company, branch, product, amount)"""
        def id_(value):
            return getattr(value, 'id', value)
        if self.company.id != id_(context.get('company')):
            return False
        if self.branch and self.branch.id != id_(context.get('branch')):
            return False
        if self.product and self.product.id != id_(context.get('product')):
            return False
        amount = context.get('amount')
        if self.min_amount is not None and (
                amount is None or amount < self.min_amount):
            return False
        if self.max_amount is not None and (
                amount is None or amount > self.max_amount):
            return False
        return True

    @classmethod
    def find(cls, model, context):
        "Return the first active flow of model matching context or None"
        for flow in cls.search([('model', '=', model)]):
            if flow.match(context):
                return flow


class FlowStep(sequence_ordered(), ModelSQL, ModelView):
    "Approval Flow Step"
    __name__ = 'microloan.approval.flow.step'
    __string__ = "Approval Flow Step"

    flow = fields.Many2One(
        'microloan.approval.flow', "Flow", required=True,
        ondelete='CASCADE')
    name = fields.Char("Name", required=True, translate=True)
    kind = fields.Selection(
        STEP_KINDS, "Approver Kind", required=True, sort=False)
    kind_string = kind.translated('kind')
    group = fields.Many2One(
        'res.group', "Group", ondelete='RESTRICT',
        states={
            'required': Eval('kind') == 'group',
            'invisible': Eval('kind') != 'group',
            })
    users = fields.Many2Many(
        'microloan.approval.flow.step-res.user', 'step', 'user',
        "Approvers",
        states={
            'required': Eval('kind') == 'users',
            'invisible': Eval('kind') != 'users',
            })
    required_approvals = fields.Integer(
        "Approvals Required",
        domain=[If(Eval('kind').in_(['group', 'users']),
                ('required_approvals', '>=', 1),
                ())],
        states={
            'required': Eval('kind').in_(['group', 'users']),
            'invisible': ~Eval('kind').in_(['group', 'users']),
            },
        help="How many distinct users must approve the step.")
    committee_pool = fields.Many2Many(
        'microloan.approval.flow.step-committee', 'step', 'user',
        "Committee Pool",
        states={
            'required': Eval('kind') == 'committee',
            'invisible': Eval('kind') != 'committee',
            },
        help="The users the members of each vote are drawn from.")
    committee_size = fields.Integer(
        "Members Drawn",
        domain=[If(Eval('kind') == 'committee',
                ('committee_size', '>=', 1),
                ())],
        states={
            'required': Eval('kind') == 'committee',
            'invisible': Eval('kind') != 'committee',
            },
        help="How many members are drawn at random from the pool when the "
        "step opens.")
    quorum = fields.Integer(
        "Quorum",
        domain=[If(Eval('kind') == 'committee',
                [('quorum', '>=', 1),
                    ('quorum', '<=', Eval('committee_size', 0))],
                [])],
        states={
            'required': Eval('kind') == 'committee',
            'invisible': Eval('kind') != 'committee',
            },
        help="The minimum number of votes cast for the vote to count.")
    pass_numerator = fields.Integer(
        "Pass Ratio Numerator",
        domain=[If(Eval('kind') == 'committee',
                [('pass_numerator', '>=', 1),
                    ('pass_numerator', '<=', Eval('pass_denominator', 0))],
                [])],
        states={
            'required': Eval('kind') == 'committee',
            'invisible': Eval('kind') != 'committee',
            },
        help="The vote passes when the votes for make at least numerator / "
        "denominator of the votes cast, e.g. 2 / 3.")
    pass_denominator = fields.Integer(
        "Pass Ratio Denominator",
        domain=[If(Eval('kind') == 'committee',
                ('pass_denominator', '>=', 1),
                ())],
        states={
            'required': Eval('kind') == 'committee',
            'invisible': Eval('kind') != 'committee',
            })

    @classmethod
    def default_kind(cls):
        return 'group'

    @classmethod
    def default_required_approvals(cls):
        return 1

    @classmethod
    def default_pass_numerator(cls):
        return 1

    @classmethod
    def default_pass_denominator(cls):
        return 2

    @classmethod
    def validate_fields(cls, steps, field_names):
        super().validate_fields(steps, field_names)
        cls.check_committee(steps)

    @classmethod
    def check_committee(cls, steps):
        "The pool must be able to give the members drawn"
        for step in steps:
            if (step.kind == 'committee'
                    and len(step.committee_pool) < (step.committee_size or 0)):
                raise ApprovalFlowError(gettext(
                        'microloan_core.msg_approval_committee_pool',
                        step=step.rec_name,
                        size=step.committee_size,
                        pool=len(step.committee_pool)))


class FlowStepUser(ModelSQL):
    "Approval Flow Step - User"
    __name__ = 'microloan.approval.flow.step-res.user'

    step = fields.Many2One(
        'microloan.approval.flow.step', "Step", required=True,
        ondelete='CASCADE')
    user = fields.Many2One(
        'res.user', "User", required=True, ondelete='CASCADE')


class FlowStepCommittee(ModelSQL):
    "Approval Flow Step - Committee Member"
    __name__ = 'microloan.approval.flow.step-committee'

    step = fields.Many2One(
        'microloan.approval.flow.step', "Step", required=True,
        ondelete='CASCADE')
    user = fields.Many2One(
        'res.user', "User", required=True, ondelete='CASCADE')


class Product(metaclass=PoolMeta):
    __name__ = 'microloan.product'

    approval_flows = fields.One2Many(
        'microloan.approval.flow', 'product', "Approval Flows",
        domain=[('company', '=', Eval('company', -1))],
        help="The flows bound to this product; an application takes the "
        "first matching flow by sequence.")
