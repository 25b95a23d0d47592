# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The prints of an application (业务受理): its repayment schedule preview
(还款计划表（测算）, application_schedule.fodt) and its approval form
(贷款审批表, approval_form.fodt) with the whole approval history of the
engine (approval.py): every step, every action, and the ballots of a
committee once its vote is closed."""
from collections import defaultdict
from decimal import Decimal

from trytond.pool import Pool
from trytond.transaction import without_check_access

from .printing import DocumentReport, cn_datetime, selection_string


def _person(user):
    "Return the name of the person behind user: his employee's name"
    employee = getattr(user, 'employee', None)
    return employee.rec_name if employee else (user.name or user.login)


class ApplicationReport(DocumentReport):
    "A print of an application: 草稿 while it is a draft"

    @classmethod
    def watermark(cls, application):
        if application.state == 'cancelled':
            return '作废'
        return '草稿' if application.state == 'draft' else ''


class ApplicationScheduleReport(ApplicationReport):
    "Repayment schedule preview (还款计划表（测算）) of an application"
    __name__ = 'microloan.application.schedule.report'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        lines = context['record'].schedule_lines if context['record'] else []
        context['totals'] = {
            name: sum((getattr(l, name) for l in lines), Decimal(0))
            if lines else None
            for name in ['principal', 'interest', 'fee', 'total']}
        return context


class ApprovalFormReport(ApplicationReport):
    "Approval form (贷款审批表) of an application with its history"
    __name__ = 'microloan.application.approval.report'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        record = context['record']
        context['steps'], context['history'] = (
            cls.approval_history(record, context['cn_datetime'])
            if record else ([], []))
        return context

    @classmethod
    def approval_history(cls, document, when=cn_datetime):
        """Return the steps and the actions of every approval request of
        document, oldest first, as the form prints them; a committee's
        ballots once its vote is closed (the secret-ballot rule)"""
        pool = Pool()
        Request = pool.get('microloan.approval.request')
        Vote = pool.get('microloan.approval.vote')
        steps, history = [], []
        # the document's reader reads its whole history, as its form does
        # (ApprovalMixin.get_approval)
        with without_check_access():
            requests = Request.search([
                    ('document', '=', str(document)),
                    ], order=[('id', 'ASC')])
            closed = [s for r in requests for s in r.steps
                if s.kind == 'committee' and s.state != 'open']
            ballots = defaultdict(dict)
            for vote in Vote.search([('step', 'in', [s.id for s in closed])]):
                ballots[vote.step.id][vote.voter.id] = vote
            for request in requests:
                for step in sorted(request.steps, key=lambda s: s.id):
                    steps.append(cls.step_line(step, when))
                for action in request.actions:
                    history.append(cls.action_line(action, ballots, when))
        return steps, history

    @classmethod
    def step_line(cls, step, when):
        tally = ''
        if step.kind == 'committee':
            if step.votes_for is not None:
                tally = '赞成%s票，反对%s票' % (
                    step.votes_for, step.votes_against)
            else:
                tally = '已投%s票' % (step.votes_cast or 0)
        return {
            'name': step.name,
            'state': selection_string(step, 'state'),
            'opened': when(step.opened_date),
            'closed': when(step.closed_date),
            'tally': tally,
            }

    @classmethod
    def action_line(cls, action, ballots, when):
        label = selection_string(action, 'action')
        opinion = action.comment or ''
        if action.action == 'vote':
            vote = ballots.get(
                action.step.id if action.step else None, {}).get(
                action.user.id)
            if vote:
                label = '投票：%s' % selection_string(vote, 'decision')
                opinion = vote.reason or ''
            else:
                opinion = '（表决未结束，票决保密）'
        return {
            'when': when(action.date),
            'step': action.step.name if action.step else '',
            'who': _person(action.user),
            'action': label,
            'opinion': opinion,
            }
