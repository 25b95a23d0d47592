# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The disclosure of the comprehensive annualised cost (综合年化成本告知书,
cost_disclosure.fodt) the borrower reads and signs before the contract:
amount, rate, every fee, the schedule's totals and the cost by the IRR
method, simple and compound (docs/schedule-rules.md).

An application discloses its schedule preview and the cost stored with it
(``Application.compute_preview``); a contract its schedule of the full
amount (``Contract.report_schedule``) and the cost of its terms and fees
(``Contract.fee_totals``, ``TermsMixin.disclosed_cost``, as
``Contract.update_cost`` stores it).  The print computes nothing else."""
from decimal import Decimal

from trytond.pool import Pool

from .printing import DocumentReport, selection_string


def _term(document):
    if document.method == 'free' or not document.term_months:
        return '按还款计划'
    return '%s个月' % document.term_months


def _disclosure(document, amount, fees, schedule, upfront,
        per_installment, cost):
    """Return what the disclosure prints of document: the terms, the fees
    [(fee with kind and charged, amount)], the engine schedule rows (without
    the fee per installment), the fees paid upfront and with each
    installment and the cost {'simple', 'compound'}"""
    Configuration = Pool().get('microloan.configuration')
    cap = Configuration(1).rate_cap
    interest = sum((r['interest'] for r in schedule), Decimal(0))
    principal = sum((r['principal'] for r in schedule), Decimal(0))
    installment_fees = per_installment * len(schedule)
    total_cost = interest + installment_fees + upfront
    return {
        'product': document.product.name if document.product else '',
        'amount': amount,
        'term': _term(document),
        'annual_rate': document.annual_rate,
        'method': selection_string(document, 'method'),
        'basis': selection_string(document, 'basis'),
        'start_date': document.start_date,
        'maturity_date': schedule[-1]['due_date'] if schedule else None,
        'fees': [{
                'kind': selection_string(fee, 'kind'),
                'charged': selection_string(fee, 'charged'),
                'amount': value,
                } for fee, value in fees],
        'count': len(schedule),
        'total_principal': principal,
        'total_interest': interest,
        'installment_fees': installment_fees,
        'upfront_fees': upfront,
        'total_paid': principal + total_cost,
        'total_cost': total_cost,
        'apr_simple': cost['simple'],
        'apr_compound': cost['compound'],
        'cap': cap,
        'above_cap': cap is not None and cost['simple'] > cap,
        }


class CostDisclosureReport(DocumentReport):
    "综合年化成本告知书 of a document"

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        record = context['record']
        context['cost'] = cls.disclosure(record) if record else None
        return context

    @classmethod
    def disclosure(cls, record):
        raise NotImplementedError


class ApplicationCostReport(CostDisclosureReport):
    "综合年化成本告知书 of an application, from its schedule preview"
    __name__ = 'microloan.application.cost.report'

    @classmethod
    def disclosure(cls, application):
        Application = Pool().get('microloan.application')
        upfront = application.fees_upfront or Decimal(0)
        fee = application.fee_per_installment or Decimal(0)
        if application.schedule_lines and application.apr_simple is not None:
            # the preview as stored, its rows' total include the fee
            schedule = [{
                    'due_date': l.due_date,
                    'principal': l.principal,
                    'interest': l.interest,
                    } for l in application.schedule_lines]
            cost = {
                'simple': application.apr_simple,
                'compound': application.apr_compound,
                }
        else:
            # the preview not computed yet: as compute_preview would
            schedule, = Application.schedules([application])
            cost = application.disclosed_cost(
                schedule, upfront=upfront, per_installment=fee)
        values = _disclosure(
            application, application.amount,
            application.product.fee_amounts(application.amount),
            schedule, upfront, fee, cost)
        values.update({
                'number_label': '申请编号',
                'number': application.number or '',
                })
        return values

    @classmethod
    def watermark(cls, application):
        return '草稿' if application.state == 'draft' else ''


class ContractCostReport(CostDisclosureReport):
    "综合年化成本告知书 of a contract, from its terms and fees"
    __name__ = 'microloan.contract.cost.report'

    @classmethod
    def disclosure(cls, contract):
        schedule = contract.report_schedule()['installments']
        upfront, per_installment = contract.fee_totals()
        cost = contract.disclosed_cost(
            schedule, upfront=upfront, per_installment=per_installment)
        values = _disclosure(
            contract, contract.amount,
            [(f, f.amount) for f in contract.fees],
            schedule, upfront, per_installment, cost)
        values.update({
                'number_label': '合同编号',
                'number': contract.number or '',
                })
        return values

    @classmethod
    def watermark(cls, contract):
        Report = Pool().get('microloan.contract.report', type='report')
        return Report.watermark(contract)
