# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Drawdown (提款): a loan (借据) under a signed contract and its
disbursement request.

The loan takes the contract's product, rate, method, basis and term, the
credit line of the application and its blacklist override; its
disbursement is drafted at the same time for the officer to request
(放款申请), then approved, paid and re-checked (disbursement.py).  A single
contract is drawn once, for its whole amount; a credit-line contract as
many times as its amount and period allow.
"""
from trytond.model import ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.wizard import Button, StateAction, StateView, Wizard

from .tools import on_records


class Contract(metaclass=PoolMeta):
    __name__ = 'microloan.contract'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'draw': {
                    'invisible': Eval('state') != 'signed',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                })

    @classmethod
    @ModelView.button_action('microloan_core.wizard_contract_draw')
    def draw(cls, contracts):
        pass

    def drawdown_values(self, amount, start_date):
        "Return the values of the loan drawing amount on start_date"
        application = self.application
        values = {
            'company': self.company.id,
            'borrower': self.borrower.id,
            'contract': self.id,
            'product': self.product.id,
            'principal': amount,
            'annual_rate': self.annual_rate,
            'method': self.method,
            'basis': self.basis,
            'term_months': self.term_months,
            'start_date': start_date,
            }
        if application and application.credit_line:
            values['credit_line'] = application.credit_line.id
        if application and application.blacklist_override:
            values['blacklist_override'] = (
                application.blacklist_override.id)
        return values

    def drawdown(self, amount, start_date):
        """Create the loan drawing amount on start_date and its draft
        disbursement; return them"""
        pool = Pool()
        Loan = pool.get('microloan.loan')
        Disbursement = pool.get('microloan.disbursement')
        loan, = Loan.create([self.drawdown_values(amount, start_date)])
        disbursement, = Disbursement.create([{
                    'company': self.company.id,
                    'loan': loan.id,
                    'amount': loan.principal,
                    }])
        return loan, disbursement


class DrawStart(ModelView):
    "Draw a Loan under a Contract"
    __name__ = 'microloan.contract.draw.start'
    __string__ = "Draw a Loan under a Contract"

    contract = fields.Many2One(
        'microloan.contract', "Loan Contract", readonly=True)
    currency = fields.Many2One('currency.currency', "Currency", readonly=True)
    available = Monetary(
        "Available Amount", currency='currency', digits='currency',
        readonly=True)
    single = fields.Boolean("Single Loan", readonly=True)
    amount = Monetary(
        "Amount Drawn", currency='currency', digits='currency',
        required=True,
        domain=[
            ('amount', '>', 0),
            ('amount', '<=', Eval('available', 0)),
            ],
        states={
            'readonly': Eval('single', False),
            })
    start_date = fields.Date(
        "Expected Value Date", required=True,
        help="The value date is the payment date once finance has paid.")


class Draw(Wizard):
    "Draw a Loan under a Contract"
    __name__ = 'microloan.contract.draw'
    start = StateView('microloan.contract.draw.start',
        'microloan_core.contract_draw_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Create Loan", 'create_', 'tryton-ok', default=True),
            ])
    create_ = StateAction('microloan_core.act_disbursement_form')

    def default_start(self, fields):
        Date = Pool().get('ir.date')
        contract = self.record
        return {
            'contract': contract.id,
            'currency': contract.currency.id,
            'available': contract.available_amount,
            'single': contract.kind == 'single',
            'amount': contract.available_amount,
            'start_date': max(Date.today(), contract.start_date),
            }

    def do_create_(self, action):
        _, disbursement = self.record.drawdown(
            self.start.amount, self.start.start_date)
        return on_records(action, [disbursement.id]), {}
