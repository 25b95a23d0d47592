# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Transfer (客户移交) and merge (客户合并) of customers, with their history.

Every change of a customer's loan officer or branch leaves a history row:
when the customer is filed, when it is edited, when it is transferred with
the wizard (with its reason) and when a duplicate file is merged into it
with the host's Replace wizard.
"""
import datetime as dt

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

KINDS = [
    ('filed', "Filed"),
    ('edit', "Edit"),
    ('transfer', "Transfer"),
    ('merge', "Merge"),
    ]
# Models of the suite whose party fields follow a merge (Replace wizard)
MERGED_FIELDS = [
    ('microloan.loan', 'borrower'),
    ('microloan.party.relation', 'from_'),
    ('microloan.party.relation', 'to'),
    ('microloan.party.officer_history', 'party'),
    ('microloan.party.resume', 'party'),
    ('microloan.party.family_member', 'party'),
    ('microloan.party.shop', 'party'),
    ('microloan.party.material', 'party'),
    ('microloan.visit', 'party'),
    ('microloan.marketing_visit', 'party'),
    ('microloan.party.watch', 'party'),
    ('microloan.blacklist.override', 'party'),
    ('microloan.credit_line', 'party'),
    ]


class OfficerHistory(ModelSQL, ModelView):
    "Customer Officer History"
    __name__ = 'microloan.party.officer_history'
    __string__ = "Customer Officer History"

    party = fields.Many2One(
        'party.party', "Customer", required=True, readonly=True,
        ondelete='CASCADE')
    date = fields.DateTime("Date", required=True, readonly=True)
    kind = fields.Selection(KINDS, "Kind", required=True, readonly=True)
    from_officer = fields.Many2One(
        'company.employee', "From Officer", readonly=True)
    to_officer = fields.Many2One(
        'company.employee', "To Officer", readonly=True)
    from_branch = fields.Many2One(
        'microloan.branch', "From Branch", readonly=True)
    to_branch = fields.Many2One(
        'microloan.branch', "To Branch", readonly=True)
    reason = fields.Char("Reason", readonly=True)
    user = fields.Many2One('res.user', "User", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('party')
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def record(cls, rows):
        """Store history rows: dicts with party, kind and the from/to
        officers and branches; date and user are the transaction's"""
        if not rows:
            return
        now = dt.datetime.now()
        user = Transaction().user
        for row in rows:
            row.setdefault('date', now)
            row.setdefault('user', user or None)
        with without_check_access():
            cls.create(rows)


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    officer_history = fields.One2Many(
        'microloan.party.officer_history', 'party', "Officer History",
        readonly=True)

    @classmethod
    def on_modification(cls, mode, parties, field_names=None):
        History = Pool().get('microloan.party.officer_history')
        super().on_modification(mode, parties, field_names=field_names)
        if mode == 'create':
            History.record([{
                        'party': p.id, 'kind': 'filed',
                        'to_officer': (
                            p.loan_officer.id if p.loan_officer else None),
                        'to_branch': p.branch.id if p.branch else None,
                        }
                    for p in parties if p.customer_kind])

    @classmethod
    def on_write(cls, parties, values):
        callbacks = super().on_write(parties, values)
        if {'loan_officer', 'branch'} & values.keys():
            before = {p.id: (p.loan_officer, p.branch) for p in parties}
            callbacks.append(lambda: cls.record_officer_change(before))
        return callbacks

    @classmethod
    def record_officer_change(cls, before):
        """Record in the officer history the parties whose officer or branch
        changed from before, {party id: (officer, branch)}; the context says
        the kind of change and its reason"""
        History = Pool().get('microloan.party.officer_history')
        context = Transaction().context
        kind = context.get('microloan_officer_change', 'edit')
        reason = context.get('microloan_officer_change_reason')
        rows = []
        for party in cls.browse(list(before)):
            officer, branch = before[party.id]
            if (officer, branch) != (party.loan_officer, party.branch):
                rows.append({
                        'party': party.id, 'kind': kind, 'reason': reason,
                        'from_officer': officer.id if officer else None,
                        'to_officer': (party.loan_officer.id
                            if party.loan_officer else None),
                        'from_branch': branch.id if branch else None,
                        'to_branch': party.branch.id if party.branch else None,
                        })
        History.record(rows)

    @classmethod
    def copy(cls, parties, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('officer_history', None)
        return super().copy(parties, default=default)


class Transfer(Wizard):
    "Transfer Customers"
    __name__ = 'microloan.party.transfer'
    start = StateView('microloan.party.transfer.start',
        'microloan_core.party_transfer_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Transfer", 'transfer', 'tryton-ok', default=True),
            ])
    transfer = StateTransition()

    def default_start(self, fields):
        return {
            'customers': [r.id for r in self.records],
            }

    def transition_transfer(self):
        Party = Pool().get('party.party')
        officer = self.start.to_officer
        values = {'loan_officer': officer.id}
        if officer.branch:
            values['branch'] = officer.branch.id
        with Transaction().set_context(
                microloan_officer_change='transfer',
                microloan_officer_change_reason=self.start.reason):
            Party.write(list(self.start.customers), values)
        return 'end'


class TransferStart(ModelView):
    "Transfer Customers"
    __name__ = 'microloan.party.transfer.start'
    __string__ = "Transfer Customers"

    customers = fields.Many2Many(
        'party.party', None, None, "Customers", required=True,
        domain=[('customer_kind', '!=', None)],
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    to_officer = fields.Many2One(
        'company.employee', "To Officer", required=True,
        domain=[('company', '=', Eval('company', -1))],
        help="The loan officer who takes the customers over; the "
        "customers move to his branch.")
    company = fields.Many2One('company.company', "Company", readonly=True)
    reason = fields.Char("Reason", required=True)

    @staticmethod
    def default_company():
        return Transaction().context.get('company')


class Replace(metaclass=PoolMeta):
    __name__ = 'party.replace'

    @classmethod
    def fields_to_replace(cls):
        return super().fields_to_replace() + MERGED_FIELDS

    def transition_replace(self):
        pool = Pool()
        History = pool.get('microloan.party.officer_history')
        Relation = pool.get('microloan.party.relation')
        source, destination = self.ask.source, self.ask.destination
        state = super().transition_replace()
        # links between the two files became links of a party to itself
        with without_check_access():
            Relation.delete(Relation.search([
                        ('from_', '=', destination.id),
                        ('to', '=', destination.id),
                        ]))
        if destination.customer_kind:
            History.record([{
                        'party': destination.id, 'kind': 'merge',
                        'reason': source.rec_name,
                        'from_officer': (source.loan_officer.id
                            if source.loan_officer else None),
                        'to_officer': (destination.loan_officer.id
                            if destination.loan_officer else None),
                        'from_branch': (source.branch.id
                            if source.branch else None),
                        'to_branch': (destination.branch.id
                            if destination.branch else None),
                        }])
        return state
