# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The prints of a loan (借据): the loan receipt the borrower signs
(loan_receipt.fodt) and its repayment schedule (还款计划表,
repayment_schedule.fodt), both from the loan's stored installments and
totals, as its form shows them."""
from .printing import DocumentReport, selection_string


class LoanReport(DocumentReport):
    "A print of a loan: 草稿 while the loan is a draft"

    @classmethod
    def watermark(cls, loan):
        return '草稿' if loan.state == 'draft' else ''


class LoanReceiptReport(LoanReport):
    "Loan receipt (借据) as the borrower signs it"
    __name__ = 'microloan.loan.receipt.report'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        contract = context['record'].contract if context['record'] else None
        context['purpose'] = contract.purpose or '' if contract else ''
        context['guarantee'] = (
            selection_string(contract, 'guarantee_kind') if contract else '')
        return context


class LoanScheduleReport(LoanReport):
    "Repayment schedule (还款计划表) of a loan"
    __name__ = 'microloan.loan.schedule.report'
