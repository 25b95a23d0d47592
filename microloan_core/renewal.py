# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Renewal (续贷): a new loan whose disbursement pays off an old one.

docs/servicing.md, Renewal: the loan officer names, on the new loan while
it is a draft, the active loan of the same borrower it renews.  When the
new loan's disbursement is re-checked, a repayment (还款单, channel 续贷还款)
of the old loan's payoff amount on the payment date is posted into the
disbursement's fund account: the old loan is settled by the servicing
rules like any loan paid in full.  Before, the old loan is terminated on
that date (a loan change 贷款终止 applied without approval): its principal
with its interest by days falls due.  The payoff must not exceed the new
principal, checked when the disbursement is requested and again when it
is re-checked; the renewal repayment is neither keyed in by hand nor
reversed on its own."""
from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access

from .exceptions import RenewalError


class Loan(metaclass=PoolMeta):
    __name__ = 'microloan.loan'

    renewed_loan = fields.Many2One(
        'microloan.loan', "Renews", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ('borrower', '=', Eval('borrower', -1)),
            ('id', '!=', Eval('id', -1)),
            If(Eval('state') == 'draft',
                ('state', '=', 'active'),
                ()),
            ],
        help="The active loan of the same borrower that the disbursement "
        "of this loan pays off (续贷).")
    renewals = fields.One2Many(
        'microloan.loan', 'renewed_loan', "Renewed by", readonly=True)

    @classmethod
    def _frozen_fields(cls):
        return super()._frozen_fields() | {'renewed_loan'}

    @classmethod
    def copy(cls, loans, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('renewals', None)
        return super().copy(loans, default=default)

    def renewal_payoff(self, date):
        """Return what pays off the loan this loan renews on date, refusing
        a renewed loan not active or a payoff above the principal"""
        pool = Pool()
        Loan = pool.get('microloan.loan')
        Lang = pool.get('ir.lang')
        lang = Lang.get()
        renewed = self.renewed_loan
        if renewed.state != 'active':
            raise RenewalError(gettext(
                    'microloan_core.msg_renewal_state',
                    loan=self.rec_name, renewed=renewed.rec_name,
                    state=renewed.state_string))
        with Transaction().set_context(servicing_date=date):
            payoff = Loan(renewed.id).payoff_amount
        if payoff > self.principal:
            raise RenewalError(gettext(
                    'microloan_core.msg_renewal_payoff',
                    loan=self.rec_name, renewed=renewed.rec_name,
                    date=lang.strftime(date),
                    payoff=lang.currency(payoff, self.currency),
                    principal=lang.currency(self.principal, self.currency)))
        return payoff


class Disbursement(metaclass=PoolMeta):
    __name__ = 'microloan.disbursement'

    @classmethod
    def request(cls, disbursements):
        Date = Pool().get('ir.date')
        for disbursement in disbursements:
            loan = disbursement.loan
            if loan.renewed_loan:
                # an estimate: the interest by days comes with the payment
                loan.renewal_payoff(loan.start_date or Date.today())
        super().request(disbursements)

    @classmethod
    def recheck(cls, disbursements):
        super().recheck(disbursements)
        cls.pay_off_renewed(disbursements)

    @classmethod
    def pay_off_renewed(cls, disbursements):
        """Terminate the loans renewed on the payment date (their principal
        and its interest by days fall due: a loan change 贷款终止 applied
        without approval, the renewal being approved as a loan) and post
        the repayments that pay them off"""
        pool = Pool()
        Repayment = pool.get('microloan.loan.repayment')
        Change = pool.get('microloan.loan.change')
        disbursements = [d for d in disbursements if d.loan.renewed_loan]
        terminations = [{
                'company': d.loan.company.id,
                'loan': d.loan.renewed_loan.id,
                'kind': 'termination',
                'date': d.payment_date,
                'reason': gettext('microloan_core.msg_renewal_termination',
                    loan=d.loan.rec_name),
                } for d in disbursements
            if d.payment_date < d.loan.renewed_loan.maturity_date]
        with without_check_access():
            if terminations:
                changes = Change.create(terminations)
                Change.prepare(changes)
                Change.approval_approved(Change.browse(changes))
        vlist = []
        for disbursement in disbursements:
            loan = disbursement.loan
            date = disbursement.payment_date
            vlist.append({
                    'company': loan.company.id,
                    'loan': loan.renewed_loan.id,
                    'date': date,
                    'amount': loan.renewal_payoff(date),
                    'fund_account': disbursement.fund_account.id,
                    'channel': 'renewal',
                    'payer': loan.borrower.rec_name,
                    'reference': loan.number,
                    'renewal': loan.id,
                    })
        if vlist:
            with without_check_access():
                Repayment.post(Repayment.create(vlist))


class Repayment(metaclass=PoolMeta):
    __name__ = 'microloan.loan.repayment'

    renewal = fields.Many2One(
        'microloan.loan', "Renewal Loan", readonly=True,
        ondelete='RESTRICT',
        states={
            'invisible': Eval('channel') != 'renewal',
            },
        help="The new loan whose disbursement paid this loan off (续贷).")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        selection = ('renewal', "Renewal Payoff")
        if selection not in cls.channel.selection:
            cls.channel.selection = cls.channel.selection + [selection]

    @classmethod
    def _document_channels(cls):
        # a renewal payoff comes from the disbursement of the new loan, and
        # a loan is never reversed: neither is its payoff
        return dict(super()._document_channels(), renewal='renewal')

    @classmethod
    def copy(cls, repayments, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('renewal', None)
        return super().copy(repayments, default=default)
