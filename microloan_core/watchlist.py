# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Watch lists (客户名单): VIP, potential customers and the blacklist.

An entry puts a party on one list from a start date, optionally until an end
date.  Entries are never deleted: they are removed with a reason, so the
history of who listed whom, when and why is kept.  Only risk officers and
administrators maintain the blacklist (不良客户名单).

A blacklisted party gets no new business unless a blacklist override (黑名单
例外审批), requested by one user and approved by another with the authority,
covers the amount; each override is consumed by one loan.
"""

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction, without_check_access

from .exceptions import BlacklistError, BlacklistOverrideError, WatchListError
from .tools import user_in_groups
from .workflow import (
    DraftDocumentMixin, actor_values, checked_transition, set_actor)

WATCH_LISTS = [
    ('vip', "VIP"),
    ('potential', "Potential Customer"),
    ('blacklist', "Blacklist"),
    ]
# The groups that maintain the blacklist.  Not a button's groups (those are
# declared in XML): putting a party on the blacklist is a value of the list
# field, which every role keeping watch lists may write, so this one check
# (check_blacklist_access) refuses the value to the other roles.
BLACKLIST_GROUPS = ('group_risk_officer', 'group_microloan_admin')


def active_on_domain(date, prefix=''):
    "The domain of the watch entries in force on date"
    return [
        (prefix + 'state', '=', 'active'),
        (prefix + 'start_date', '<=', date),
        ['OR',
            (prefix + 'end_date', '=', None),
            (prefix + 'end_date', '>=', date),
            ],
        ]


class PartyWatch(Workflow, ModelSQL, ModelView):
    "Party Watch List Entry"
    __name__ = 'microloan.party.watch'
    __string__ = "Party Watch List Entry"

    _states = {
        'readonly': Eval('state') != 'active',
        }

    party = fields.Many2One(
        'party.party', "Party", required=True, ondelete='CASCADE',
        states=_states)
    list = fields.Selection(
        WATCH_LISTS, "List", required=True, sort=False, states=_states)
    reason = fields.Text(
        "Reason",
        states={
            'readonly': _states['readonly'],
            'required': Eval('list') == 'blacklist',
            },
        help="Why the party is on the list; required for the blacklist.")
    start_date = fields.Date("Start Date", required=True, states=_states)
    end_date = fields.Date(
        "End Date",
        domain=[If(Bool(Eval('start_date')) & Bool(Eval('end_date')),
                ('end_date', '>=', Eval('start_date')),
                ())],
        states=_states,
        help="Leave empty for an entry without end.")
    added_by = fields.Many2One(
        'company.employee', "Added by", readonly=True)
    added_user = fields.Many2One('res.user', "Added by User", readonly=True)
    added_date = fields.Date("Added on", readonly=True)
    removal_reason = fields.Text(
        "Removal Reason", states=_states,
        help="Why the party is taken off the list; required to remove it.")
    removed_by = fields.Many2One(
        'company.employee', "Removed by", readonly=True)
    removed_user = fields.Many2One(
        'res.user', "Removed by User", readonly=True)
    removed_date = fields.Date("Removed on", readonly=True)
    state = fields.Selection([
            ('active', "Active"),
            ('removed', "Removed"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('party')
        cls._order = [
            ('start_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('active', 'removed'),
            }
        cls._buttons.update({
                'remove': {
                    'invisible': Eval('state') != 'active',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'active'

    @staticmethod
    def default_list():
        return Transaction().context.get('watch_list', 'vip')

    @staticmethod
    def default_start_date():
        return Pool().get('ir.date').today()

    def get_rec_name(self, name):
        lists = dict(self.fields_get(['list'])['list']['selection'])
        return '%s (%s)' % (
            self.party.rec_name, lists.get(self.list, self.list))

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('party.rec_name',) + tuple(clause[1:])]

    @classmethod
    def check_blacklist_access(cls, entries=None, lists=None):
        """Refuse a user outside the risk officers and administrators who
        adds, changes or removes a blacklist entry"""
        lists = set(lists or []) | {e.list for e in entries or []}
        if 'blacklist' in lists and not user_in_groups(BLACKLIST_GROUPS):
            User = Pool().get('res.user')
            raise WatchListError(gettext(
                    'microloan_core.msg_watch_blacklist_access',
                    user=User(Transaction().user).rec_name))

    @classmethod
    def preprocess_values(cls, mode, values):
        Date = Pool().get('ir.date')
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            cls.check_blacklist_access(lists=[values.get('list')])
            values.update(actor_values('added'))
            values['added_date'] = Date.today()
        return values

    @classmethod
    def check_modification(cls, mode, entries, values=None, external=False):
        super().check_modification(
            mode, entries, values=values, external=external)
        if mode != 'create':
            cls.check_blacklist_access(
                entries, [values.get('list')] if values else None)

    @classmethod
    def copy(cls, entries, default=None):
        default = default.copy() if default is not None else {}
        for name in ['removal_reason', 'removed_by', 'removed_user',
                'removed_date']:
            default.setdefault(name, None)
        default.setdefault('state', 'active')
        return super().copy(entries, default=default)

    @classmethod
    @ModelView.button
    @checked_transition('removed')
    @Workflow.transition('removed')
    @set_actor('removed', company=None)
    def remove(cls, entries):
        "Take the parties off the list, keeping the entries as history"
        Date = Pool().get('ir.date')
        for entry in entries:
            if not (entry.removal_reason or '').strip():
                raise WatchListError(gettext(
                        'microloan_core.msg_watch_removal_reason',
                        entry=entry.rec_name))
        cls.write(entries, {'removed_date': Date.today()})

    @classmethod
    def parties_on(cls, list_, parties, date):
        "Return the ids of the parties with an entry of list_ in force on date"
        with without_check_access():
            entries = cls.search([
                    ('list', '=', list_),
                    ('party', 'in', [int(p) for p in parties]),
                    ] + active_on_domain(date))
        return {e.party.id for e in entries}


class BlacklistOverride(DraftDocumentMixin, Workflow, ModelSQL, ModelView):
    "Blacklist Override"
    __name__ = 'microloan.blacklist.override'
    __string__ = "Blacklist Override"

    _states = {
        'readonly': Eval('state') != 'draft',
        }

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    party = fields.Many2One(
        'party.party', "Party", required=True, ondelete='CASCADE',
        domain=[If(Eval('state') == 'draft',
                [('is_blacklisted', '=', True)],
                [])],
        context={
            'company': Eval('company', -1),
            },
        states=_states, depends={'company'},
        help="The blacklisted party that may get new business.")
    requested_by = fields.Many2One(
        'company.employee', "Requested by", readonly=True,
        help="Who asked for the override; he cannot approve it.")
    requested_user = fields.Many2One(
        'res.user', "Requested by User", readonly=True,
        help="Who asked for the override; he cannot approve it.")
    reason = fields.Text("Reason", required=True, states=_states)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True,
        domain=[('amount', '>', 0)], states=_states,
        help="The largest principal the override allows.")
    valid_until = fields.Date(
        "Valid Until", states=_states,
        help="Leave empty for an override without expiry.")
    approved_by = fields.Many2One(
        'company.employee', "Approved by", readonly=True)
    approved_user = fields.Many2One(
        'res.user', "Approved by User", readonly=True)
    approved_date = fields.Date("Approved on", readonly=True)
    loan = fields.Many2One(
        'microloan.loan', "Loan", readonly=True, ondelete='SET NULL',
        help="The loan that used the override.")
    used = fields.Function(
        fields.Boolean("Used"), 'get_used', searcher='search_used')
    state = fields.Selection([
            ('draft', "Draft"),
            ('requested', "Requested"),
            ('approved', "Approved"),
            ('rejected', "Rejected"),
            ], "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')

    del _states

    # Fields that only change while the override is a draft
    _draft_fields = {
        'company', 'party', 'reason', 'amount', 'valid_until', 'requested_by',
        'requested_user'}
    _deletable_states = None
    _state_error = BlacklistOverrideError

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('party')
        cls._order = [('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'requested'),
            ('requested', 'approved'),
            ('requested', 'rejected'),
            }
        cls._buttons.update({
                'request': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'requested',
                    'depends': ['state'],
                    },
                'reject': {
                    'invisible': Eval('state') != 'requested',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'draft'

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    def get_rec_name(self, name):
        return '%s #%s' % (self.party.rec_name, self.id)

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('party.rec_name',) + tuple(clause[1:])]

    def get_used(self, name):
        return self.loan is not None

    @classmethod
    def search_used(cls, name, clause):
        _, operator, value = clause[:3]
        used = (operator == '=') == bool(value)
        return [('loan', '!=' if used else '=', None)]

    @classmethod
    def copy(cls, overrides, default=None):
        default = default.copy() if default is not None else {}
        for name in ['approved_by', 'approved_user', 'approved_date', 'loan',
                'requested_by', 'requested_user']:
            default.setdefault(name, None)
        default.setdefault('state', 'draft')
        return super().copy(overrides, default=default)

    @classmethod
    @ModelView.button
    @checked_transition('requested')
    @Workflow.transition('requested')
    @set_actor('requested')
    def request(cls, overrides):
        "Ask for the override: who asks is the requester, whoever drafted it"
        pass

    @classmethod
    @ModelView.button
    @checked_transition('approved')
    @Workflow.transition('approved')
    @set_actor('approved')
    def approve(cls, overrides):
        "Grant the override: a decision maker other than the requester"
        Date = Pool().get('ir.date')
        user = Transaction().user
        for override in overrides:
            if (override.requested_user
                    and override.requested_user.id == user):
                raise BlacklistOverrideError(gettext(
                        'microloan_core.msg_override_own_request',
                        override=override.rec_name,
                        user=override.requested_user.rec_name))
        cls.write(overrides, {'approved_date': Date.today()})

    @classmethod
    @ModelView.button
    @checked_transition('rejected')
    @Workflow.transition('rejected')
    def reject(cls, overrides):
        pass

    def usable_for(self, party, amount, date, loan=None):
        """Tell if the override lets party get amount on date: approved,
        for party, unexpired, not used by another loan than loan"""
        return (self.state == 'approved'
            and self.party == party
            and (self.valid_until is None or self.valid_until >= date)
            and (self.loan is None or (loan is not None
                    and self.loan.id == int(loan)))
            and amount <= self.amount)


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    watch_entries = fields.One2Many(
        'microloan.party.watch', 'party', "Watch Lists")
    is_vip = fields.Function(
        fields.Boolean("VIP"), 'get_watch_flags', searcher='search_watch_flag')
    is_potential = fields.Function(
        fields.Boolean("Potential Customer"), 'get_watch_flags',
        searcher='search_watch_flag')
    is_blacklisted = fields.Function(
        fields.Boolean("Blacklisted"), 'get_watch_flags',
        searcher='search_watch_flag')

    _watch_flags = {
        'is_vip': 'vip',
        'is_potential': 'potential',
        'is_blacklisted': 'blacklist',
        }

    @classmethod
    def get_watch_flags(cls, parties, names):
        pool = Pool()
        Watch = pool.get('microloan.party.watch')
        today = pool.get('ir.date').today()
        result = {}
        for name in names:
            listed = Watch.parties_on(cls._watch_flags[name], parties, today)
            result[name] = {p.id: p.id in listed for p in parties}
        return result

    @classmethod
    def search_watch_flag(cls, name, clause):
        today = Pool().get('ir.date').today()
        _, operator, value = clause[:3]
        listed = (operator == '=') == bool(value)
        return [('watch_entries', 'where' if listed else 'not where', [
                    ('list', '=', cls._watch_flags[name]),
                    ] + active_on_domain(today))]

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree[field[@name="is_blacklisted"]]', 'visual',
                If(Eval('is_blacklisted'), 'danger', '')),
            ]

    def check_new_business(self, amount, date, override=None, loan=None):
        """Refuse new business of amount on date for a blacklisted party
        unless override is an approved, unused, unexpired override of the
        party covering amount (loan: the loan that may already use it).

        Return the override used, or None when the party is not blacklisted.
        """
        pool = Pool()
        Watch = pool.get('microloan.party.watch')
        Lang = pool.get('ir.lang')
        if self.id not in Watch.parties_on('blacklist', [self], date):
            return None
        lang = Lang.get()
        company = Transaction().context.get('company')
        if company is not None:
            currency = pool.get('company.company')(company).currency
            amount_text = lang.currency(amount, currency)
        else:
            amount_text = lang.format_number(amount, digits=2)
        if override is None:
            raise BlacklistError(gettext(
                    'microloan_core.msg_party_blacklisted',
                    party=self.rec_name,
                    date=lang.strftime(date),
                    amount=amount_text))
        with without_check_access():
            override = override.__class__(override.id)
            if not override.usable_for(self, amount, date, loan=loan):
                raise BlacklistError(gettext(
                        'microloan_core.msg_party_override_unusable',
                        party=self.rec_name,
                        override=override.rec_name,
                        amount=amount_text))
        return override


class Loan(metaclass=PoolMeta):
    __name__ = 'microloan.loan'

    blacklist_override = fields.Many2One(
        'microloan.blacklist.override', "Blacklist Override",
        ondelete='RESTRICT',
        domain=[
            ('party', '=', Eval('borrower', -1)),
            ('state', '=', 'approved'),
            ['OR',
                ('loan', '=', None),
                ('loan', '=', Eval('id', -1)),
                ],
            ],
        help="The approved override that lets a blacklisted borrower "
        "get this loan.")

    @classmethod
    def _frozen_fields(cls):
        return super()._frozen_fields() | {'blacklist_override'}

    @classmethod
    def _checked_fields(cls):
        return super()._checked_fields() | cls._blacklist_fields()

    @classmethod
    def _blacklist_fields(cls):
        return {'borrower', 'principal', 'blacklist_override', 'company'}

    @classmethod
    def check_new_loans(cls, loans):
        """Refuse loans of blacklisted borrowers without a usable override,
        one override a loan"""
        super().check_new_loans(loans)
        today = Pool().get('ir.date').today()
        used = []
        for loan in loans:
            with Transaction().set_context(
                    company=loan.company.id if loan.company else None):
                override = loan.borrower.check_new_business(
                    loan.principal, today,
                    override=loan.blacklist_override, loan=loan.id)
            if override is not None and override in used:
                raise BlacklistError(gettext(
                        'microloan_core.msg_override_one_loan',
                        override=override.rec_name))
            used.append(override)

    @classmethod
    def on_modification(cls, mode, loans, field_names=None):
        Watch = Pool().get('microloan.party.watch')
        super().on_modification(mode, loans, field_names=field_names)
        if mode == 'create' or (
                mode == 'write' and field_names & cls._blacklist_fields()):
            # the override of a blacklisted borrower is used by his loan
            blacklisted = Watch.parties_on('blacklist',
                [l.borrower for l in loans],
                Pool().get('ir.date').today())
            cls.use_overrides({l: l.blacklist_override
                    if l.borrower.id in blacklisted else None
                    for l in loans})

    @classmethod
    def use_overrides(cls, used):
        """Mark the overrides as used by their loan and free those the loans
        do not need any more; used maps loan to override or None"""
        Override = Pool().get('microloan.blacklist.override')
        with without_check_access():
            keep = [o.id for o in used.values() if o]
            released = Override.search([
                    ('loan', 'in', [l.id for l in used]),
                    ('id', 'not in', keep),
                    ])
            to_write = [released, {'loan': None}] if released else []
            for loan, override in used.items():
                if override and override.loan != loan:
                    to_write.extend(([override], {'loan': loan.id}))
            if to_write:
                Override.write(*to_write)

    @classmethod
    def copy(cls, loans, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('blacklist_override', None)
        return super().copy(loans, default=default)
