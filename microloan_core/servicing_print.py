# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The prints of servicing (贷后): the receipt of a repayment (还款回执,
repayment_receipt.fodt), the certificate that a loan is settled (结清证明,
settlement_certificate.fodt) and the notice of what is overdue
(催收通知书, overdue_notice.fodt).

Their figures are the servicing's: the allocation of a repayment and the
loan's dues come from the loan's servicing (Loan.servicing, the rules of
docs/servicing.md), the sums paid from the loan's transactions in force.
A loan print the loan's state does not allow is refused before anything
is rendered (``check_printable``)."""
import datetime as dt
from decimal import Decimal

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access

from . import engine
from .engine import servicing as rules
from .exceptions import ServicingPrintError
from .printing import DocumentReport

# The days a borrower is given to pay what an overdue notice demands
NOTICE_DAYS = 7


def fund_account_line(account):
    "Return a fund account as a print names it: name, bank and number"
    if not account:
        return ''
    return ' '.join(filter(None, [
                account.name, account.bank_name, account.account_number]))


def employee_contact(employee):
    "Return the name and phone of an employee (a loan officer), '' for none"
    if not employee:
        return ''
    party = employee.party
    return ' '.join(filter(None, [
                party.name, party.mobile or party.phone]))


class RepaymentReceiptReport(DocumentReport):
    """Repayment receipt (还款回执): what was received, how it was
    allocated and the principal left; 草稿 before it is posted, 已冲销 once
    reversed"""
    __name__ = 'microloan.loan.repayment.receipt.report'

    @classmethod
    def get_context(cls, records, header, data):
        Repayment = Pool().get('microloan.loan.repayment')
        context = super().get_context(records, header, data)
        record = context['record']
        repayment = Repayment(record.id) if record else None
        context['loan'] = repayment.loan if repayment else None
        context['principal_after'] = (
            cls.principal_after(repayment) if repayment else None)
        context['fund_account'] = fund_account_line(
            repayment.fund_account if repayment else None)
        context['posted_by'] = cls.actor(repayment, 'posted')
        context['reversed_by'] = cls.actor(repayment, 'reversed')
        return context

    @classmethod
    def principal_after(cls, repayment):
        """Return the loan's principal outstanding once repayment is
        allocated, the repayments of its value date after it (in the
        servicing's order) not counted; None when it is not in force"""
        Loan = Pool().get('microloan.loan')
        if repayment.state != 'posted':
            return None
        loan = repayment.loan
        with without_check_access():
            state = Loan.servicing([loan], repayment.date)[loan.id]
        keys = [a.key for a in state.allocations]
        if str(repayment) not in keys:
            return None
        later = state.allocations[keys.index(str(repayment)) + 1:]
        unpaid = sum(i.unpaid('principal') for i in state.installments)
        return engine.fen_to_decimal(
            unpaid + sum(a.total('principal') for a in later))

    @classmethod
    def actor(cls, repayment, step):
        "Return who did step (posted, reversed) of repayment and when"
        if not repayment:
            return {'who': '', 'when': None}
        who = (getattr(repayment, '%s_by' % step)
            or getattr(repayment, '%s_user' % step))
        return {
            'who': who.rec_name if who else '',
            'when': getattr(repayment, '%s_at' % step),
            }

    @classmethod
    def watermark(cls, repayment):
        if repayment.state == 'reversed':
            return '已冲销'
        if repayment.state == 'draft':
            return '草稿'
        return ''


class LoanServicingReport(DocumentReport):
    """A servicing print of a loan, refused when the loan's state does not
    allow it"""

    @classmethod
    def _get_records(cls, ids, model, data):
        records = super()._get_records(ids, model, data)
        for record in records:
            cls.check_printable(record)
        return records

    @classmethod
    def check_printable(cls, loan):
        "Raise ServicingPrintError when loan cannot be printed"

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Date = pool.get('ir.date')
        context = super().get_context(records, header, data)
        record = context['record']
        context['today'] = Date.today()
        context['officer'] = employee_contact(
            record.borrower.loan_officer if record else None)
        return context


class SettlementCertificateReport(LoanServicingReport):
    """Settlement certificate (结清证明): a closed loan, the day it settled
    and what the borrower paid on it"""
    __name__ = 'microloan.loan.settlement.report'

    @classmethod
    def check_printable(cls, loan):
        if loan.state != 'closed':
            raise ServicingPrintError(gettext(
                    'microloan_core.msg_settlement_certificate_not_closed',
                    loan=loan.rec_name,
                    state=loan.state_string))

    @classmethod
    def get_context(cls, records, header, data):
        Loan = Pool().get('microloan.loan')
        context = super().get_context(records, header, data)
        record = context['record']
        loan = Loan(record.id) if record else None
        context['settled_on'] = cls.settled_on(loan) if loan else None
        context['paid'] = cls.paid(loan) if loan else {}
        context['waived'] = cls.waived(loan) if loan else Decimal(0)
        return context

    @classmethod
    def settled_on(cls, loan):
        "Return the day the servicing settled loan"
        Loan = Pool().get('microloan.loan')
        with without_check_access():
            return Loan.servicing([loan])[loan.id].settled_on

    @classmethod
    def paid(cls, loan):
        """Return {portion: amount} the repayments in force paid on loan,
        the customer's credit apart, and their total"""
        return cls._sum_transactions(loan, 'repayment')

    @classmethod
    def waived(cls, loan):
        "Return the total waived on loan by the waivers in force"
        return cls._sum_transactions(loan, 'waiver')['total']

    @classmethod
    def _sum_transactions(cls, loan, kind):
        LoanTransaction = Pool().get('microloan.loan.transaction')
        names = ['principal', 'interest', 'fees', 'penalty', 'compound',
            'credit']
        result = dict.fromkeys(names, Decimal(0))
        with without_check_access():
            transactions = LoanTransaction.in_force([loan], [kind])
        for transaction in transactions:
            for name in names:
                result[name] -= getattr(transaction, name)
        result = {k: loan.currency.round(v) for k, v in result.items()}
        result['total'] = sum(
            (v for k, v in result.items() if k != 'credit'), Decimal(0))
        return result


class OverdueNoticeReport(LoanServicingReport):
    """Overdue notice (催收通知书): what an active loan owes today, item by
    item, to be paid within NOTICE_DAYS into the company's fund accounts"""
    __name__ = 'microloan.loan.overdue_notice.report'

    @classmethod
    def check_printable(cls, loan):
        pool = Pool()
        Date = pool.get('ir.date')
        Lang = pool.get('ir.lang')
        if loan.state != 'active':
            raise ServicingPrintError(gettext(
                    'microloan_core.msg_overdue_notice_loan_state',
                    loan=loan.rec_name,
                    state=loan.state_string))
        today = Date.today()
        with Transaction().set_context(servicing_date=today):
            overdue = cls._loan(loan).days_past_due
        if not overdue:
            raise ServicingPrintError(gettext(
                    'microloan_core.msg_overdue_notice_nothing_overdue',
                    loan=loan.rec_name,
                    date=Lang.get().strftime(today)))

    @classmethod
    def _loan(cls, record):
        "The loan of record read afresh (in the context's servicing date)"
        return Pool().get('microloan.loan')(record.id)

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        record = context['record']
        today = context['today']
        context['pay_by'] = today + dt.timedelta(days=NOTICE_DAYS)
        with Transaction().set_context(servicing_date=today):
            loan = cls._loan(record) if record else None
            context['loan'] = loan
            context['days_past_due'] = loan.days_past_due if loan else 0
            context['amount_due'] = loan.amount_due if loan else None
        context['dues'] = cls.dues(loan, today) if loan else []
        context['totals'] = cls.totals(context['dues'])
        context['fund_accounts'] = (
            cls.fund_accounts(loan) if loan else [])
        return context

    @classmethod
    def dues(cls, loan, date):
        """Return the items of loan due on date with anything unpaid, oldest
        first: installment number (None for a fee charged on its own), due
        date, days past due, what is owed of each component and in all"""
        Loan = Pool().get('microloan.loan')
        with without_check_access():
            state = Loan.servicing([loan], date)[loan.id]
        rows = []
        for item in state.due_items(date):
            if isinstance(item, rules.Installment):
                seq, due_date = item.seq, item.due_date
                owed = {c: state.outstanding(item, c)
                    for c in rules.COMPONENTS}
            else:
                seq, due_date = None, item.date
                owed = dict.fromkeys(rules.COMPONENTS, 0)
                owed['fees'] = item.unpaid
            total = sum(owed.values())
            if not total:
                continue
            row = {c: engine.fen_to_decimal(a) for c, a in owed.items()}
            row.update({
                    'seq': seq,
                    'due_date': due_date,
                    'days': (date - due_date).days,
                    'total': engine.fen_to_decimal(total),
                    })
            rows.append(row)
        return rows

    @classmethod
    def totals(cls, dues):
        "Return the sum of each amount of dues"
        return {n: sum((r[n] for r in dues), Decimal(0))
            for n in rules.COMPONENTS + ('total',)}

    @classmethod
    def fund_accounts(cls, loan):
        """Return the active bank accounts of the loan's company in its
        currency, where the borrower pays"""
        FundAccount = Pool().get('microloan.fund_account')
        with without_check_access():
            accounts = FundAccount.search([
                    ('company', '=', loan.company.id),
                    ('currency', '=', loan.currency.id),
                    ('kind', '=', 'bank'),
                    ])
            return [{
                    'name': a.name,
                    'bank': a.bank_name or '',
                    'number': a.account_number or '',
                    } for a in accounts]
