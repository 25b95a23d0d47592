# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The disbursement notice (放款通知书, disbursement_notice.fodt): what
finance pays, from which fund account to which account of the borrower,
and who requested, approved, paid and re-checked it."""
from .printing import DocumentReport, cn_datetime

# The steps of a disbursement as the notice lists them: (label, field
# prefix of the actor and of the time)
STEPS = [
    ('放款申请', 'requested'),
    ('放款审批', 'approved'),
    ('财务放款', 'paid'),
    ('放款复核', 'checked'),
    ('驳回', 'rejected'),
    ]


class DisbursementNoticeReport(DocumentReport):
    "Disbursement notice (放款通知书)"
    __name__ = 'microloan.disbursement.notice.report'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        record = context['record']
        context['loan'] = record.loan if record else None
        context['steps'] = (
            cls.steps(record, context['cn_datetime']) if record else [])
        return context

    @classmethod
    def steps(cls, disbursement, when=cn_datetime):
        "Return the steps done: name, who and when"
        steps = []
        for name, prefix in STEPS:
            employee = getattr(disbursement, '%s_by' % prefix)
            user = getattr(disbursement, '%s_user' % prefix)
            done = getattr(disbursement, '%s_at' % prefix)
            if not (employee or user or done):
                continue
            who = employee or user
            steps.append({
                    'name': name,
                    'who': who.rec_name if who else '',
                    'when': when(done),
                    })
        return steps

    @classmethod
    def watermark(cls, disbursement):
        "草稿 until approved, 作废 once rejected or cancelled"
        if disbursement.state in {'rejected', 'cancelled'}:
            return '作废'
        if disbursement.state in {'draft', 'requested'}:
            return '草稿'
        return ''
