# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Financial documents to do (待办财务单据) and making their vouchers
(生成凭证), docs/accounting.md, Posting.

The list shows, per company and day, each document whose loan
transactions wait for a voucher (a disbursement, a repayment, a change)
and each product's interest accruals and penalty charges; it reads the
pending transactions in one grouped query."""
from sql import Cast, Literal, Null
from sql.aggregate import Count, Min, Sum
from sql.conditionals import Case, Coalesce
from sql.operators import Concat

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import PYSONEncoder
from trytond.wizard import Button, StateAction, StateView, Wizard

from .posting import AGGREGATED
from .tools import CompanyDateStartMixin

GROUPS = [
    ('document', "Document"),
    ('aggregated', "Accruals and Penalty Charges"),
    ]


class Pending(ModelSQL, ModelView):
    "Financial Document to Do"
    __name__ = 'microloan.accounting.pending'
    __string__ = "Financial Document to Do"

    company = fields.Many2One('company.company', "Company", readonly=True)
    date = fields.Date("Date", readonly=True)
    group = fields.Selection(GROUPS, "Kind", readonly=True)
    document = fields.Reference(
        "Document", selection='get_documents', readonly=True)
    product = fields.Many2One('microloan.product', "Product", readonly=True)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"), 'get_currency')
    amount = Monetary(
        "Amount", currency='currency', digits='currency', readonly=True,
        help="The sum of the transactions' amounts.")
    transactions = fields.Integer("Transactions", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'ASC'), ('id', 'ASC')]

    @classmethod
    def get_documents(cls):
        pool = Pool()
        LoanTransaction = pool.get('microloan.loan.transaction')
        IrModel = pool.get('ir.model')
        models = LoanTransaction._get_origins() + [
            'microloan.loan.transaction', 'microloan.product']
        return [(None, '')] + [(m, IrModel.get_name(m)) for m in models]

    def get_currency(self, name):
        return self.company.currency.id if self.company else None

    @classmethod
    def table_query(cls):
        pool = Pool()
        LoanTransaction = pool.get('microloan.loan.transaction')
        Loan = pool.get('microloan.loan')
        transaction = LoanTransaction.__table__()
        reversed_ = LoanTransaction.__table__()
        loan = Loan.__table__()
        # typed: PostgreSQL cannot tell the type of a bare parameter
        varchar = LoanTransaction.origin.sql_type().base
        kind = Coalesce(reversed_.kind, transaction.kind)
        aggregated = kind.in_(list(AGGREGATED))
        origin = Coalesce(transaction.origin, reversed_.origin,
            Concat(Cast(Literal('microloan.loan.transaction,'), varchar),
                Cast(Coalesce(transaction.reverses, transaction.id),
                    varchar)))
        document = Case((aggregated, Null), else_=origin)
        product = Case((aggregated, loan.product), else_=Null)
        group = Cast(Case((aggregated, 'aggregated'), else_='document'),
            varchar)
        # the keys computed per transaction first: PostgreSQL groups by a
        # column, not by an expression with parameters
        keyed = (transaction
            .join(loan, condition=transaction.loan == loan.id)
            .join(reversed_, 'LEFT',
                condition=transaction.reverses == reversed_.id)
            .select(
                transaction.id.as_('id'),
                loan.company.as_('company'),
                transaction.date.as_('date'),
                group.as_('group'),
                document.as_('document'),
                product.as_('product'),
                transaction.amount.as_('amount'),
                where=transaction.ledger_state == 'pending'))
        query = keyed.select(
            Min(keyed.id).as_('id'),
            keyed.company.as_('company'),
            keyed.date.as_('date'),
            keyed.group.as_('group'),
            keyed.document.as_('document'),
            keyed.product.as_('product'),
            Sum(keyed.amount).as_('amount'),
            Count(keyed.id).as_('transactions'),
            group_by=[keyed.company, keyed.date, keyed.group,
                keyed.document, keyed.product])
        return query


class MakeVouchersStart(CompanyDateStartMixin, ModelView):
    "Make Vouchers"
    __name__ = 'microloan.accounting.make_vouchers.start'

    date = fields.Date(
        "Up to", required=True,
        help="The transactions dated up to this day get their vouchers.")


class MakeVouchers(Wizard):
    "Make Vouchers"
    __name__ = 'microloan.accounting.make_vouchers'

    start = StateView('microloan.accounting.make_vouchers.start',
        'microloan_accounting.make_vouchers_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Make Vouchers", 'make', 'tryton-ok', default=True),
            ])
    make = StateAction('microloan_accounting.act_voucher_form')

    def do_make(self, action):
        LoanTransaction = Pool().get('microloan.loan.transaction')
        moves = LoanTransaction.post_to_ledger(
            self.start.company, self.start.date)
        action['pyson_domain'] = PYSONEncoder().encode(
            [('id', 'in', [m.id for m in moves])])
        return action, {}
