# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Visits: where customers come from.

A visit registration (来访登记) records someone who came to the counter; a
marketing visit (客户拜访) one a loan officer paid to a customer or a
prospect.  Both are followed up (跟进记录) and a visitor becomes a customer
with the Create Customer button.  The customer source (客户来源) says how the
customer found the company.

A follow-up belongs to a visit registration or to a marketing visit: two
Many2One fields of which exactly one is set rather than a Reference field,
so that each keeps a foreign key with ondelete CASCADE and each parent has a
plain One2Many.  As neither is required, ``__access__`` cannot be used: the
follow-ups have their own record rules that look through both (visit.xml).
"""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Workflow, fields)
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction

from .exceptions import VisitError
from .party import identity_problem
from .party_individual import ResidentIdMixin
from .workflow import NumberedMixin, checked_transition, set_actor

VISIT_PURPOSES = [
    ('loan_enquiry', "Loan Enquiry"),
    ('repayment', "Repayment"),
    ('complaint', "Complaint"),
    ('other', "Other"),
    ]
FOLLOW_UP_METHODS = [
    ('phone', "Phone Call"),
    ('visit', "Visit"),
    ('message', "Message"),
    ('other', "Other"),
    ]


class CustomerSource(DeactivableMixin, ModelSQL, ModelView):
    "Customer Source"
    __name__ = 'microloan.customer.source'
    __string__ = "Customer Source"

    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Code")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('code', 'ASC'))
        cls._order.insert(1, ('name', 'ASC'))


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    customer_source = fields.Many2One(
        'microloan.customer.source', "Customer Source", ondelete='RESTRICT',
        help="How the customer came to the company (客户来源).")


class Visit(
        NumberedMixin, ResidentIdMixin, Workflow, ModelSQL, ModelView):
    "Visit Registration"
    __name__ = 'microloan.visit'
    __string__ = "Visit Registration"
    _sequence = 'sequence_visit'
    _copy_reset = ('follow_ups',)

    _states = {
        'readonly': Eval('state') == 'closed',
        }

    number = fields.Char("Registration Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={
            'readonly': Eval('id', -1) >= 0,
            })
    date = fields.DateTime("Date and Time", required=True, states=_states)
    visitor_name = fields.Char(
        "Visitor Name", required=True, states=_states)
    phone = fields.Char("Phone", states=_states)
    id_number = fields.Char(
        "Resident ID", states=_states,
        help="The visitor's resident ID number (GB 11643), if shown.")
    party = fields.Many2One(
        'party.party', "Customer",
        domain=[('customer_kind', '!=', None)],
        states=_states,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="The customer file of the visitor, when there is one.")
    source = fields.Many2One(
        'microloan.customer.source', "Customer Source", states=_states)
    purpose = fields.Selection(
        VISIT_PURPOSES, "Purpose", required=True, sort=False,
        states=_states)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    requested_amount = Monetary(
        "Requested Amount", currency='currency', digits='currency',
        domain=['OR', ('requested_amount', '=', None),
            ('requested_amount', '>=', 0)],
        states=_states)
    received_by = fields.Many2One(
        'company.employee', "Receiving Officer", required=True,
        domain=[('company', '=', Eval('company', -1))],
        states=_states)
    branch = fields.Many2One(
        'microloan.branch', "Branch",
        domain=[('company', '=', Eval('company', -1))],
        states=_states)
    result = fields.Text("Result", states=_states)
    follow_ups = fields.One2Many(
        'microloan.visit.follow_up', 'visit', "Follow-Ups")
    closed_by = fields.Many2One(
        'company.employee', "Closed By", readonly=True)
    closed_user = fields.Many2One(
        'res.user', "Closed by User", readonly=True)
    state = fields.Selection([
            ('open', "Open"),
            ('followed_up', "Followed Up"),
            ('closed', "Closed"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('date', 'DESC'))
        cls._order.insert(1, ('id', 'DESC'))
        cls._transitions |= {
            ('open', 'followed_up'),
            ('open', 'closed'),
            ('followed_up', 'closed'),
            }
        cls._buttons.update({
                'follow_up': {
                    'invisible': Eval('state') != 'open',
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') == 'closed',
                    'depends': ['state'],
                    },
                'create_customer': {
                    'invisible': (Eval('state') == 'closed')
                    | Bool(Eval('party')),
                    'depends': ['state', 'party'],
                    },
                })

    @staticmethod
    def default_state():
        return 'open'

    @staticmethod
    def default_purpose():
        return 'loan_enquiry'

    @staticmethod
    def default_date():
        return dt.datetime.now()

    @staticmethod
    def default_received_by():
        return Transaction().context.get('employee')

    @classmethod
    def default_branch(cls):
        Employee = Pool().get('company.employee')
        employee = cls.default_received_by()
        if employee:
            branch = Employee(employee).branch
            return branch.id if branch else None

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends('received_by', 'branch')
    def on_change_received_by(self):
        if self.received_by and self.received_by.branch:
            self.branch = self.received_by.branch

    @fields.depends('party', 'visitor_name', 'source')
    def on_change_party(self):
        if self.party:
            self.visitor_name = self.party.name
            if self.party.customer_source and not self.source:
                self.source = self.party.customer_source

    def _id_number_error(self):
        return VisitError(gettext(
                'microloan_core.msg_visit_invalid_id',
                visit=self.rec_name,
                code=self.id_number,
                reason=identity_problem('cn_ric', self.id_number)
                or self.id_number))

    @classmethod
    @ModelView.button
    @checked_transition('followed_up')
    @Workflow.transition('followed_up')
    def follow_up(cls, visits):
        for visit in visits:
            if not visit.follow_ups:
                raise VisitError(gettext(
                        'microloan_core.msg_visit_no_follow_up',
                        visit=visit.rec_name))

    @classmethod
    @ModelView.button
    @checked_transition('closed')
    @Workflow.transition('closed')
    @set_actor('closed')
    def close(cls, visits):
        pass

    @classmethod
    @ModelView.button
    def create_customer(cls, visits):
        """Create an individual customer from each visitor and link it.

        The visitor's name, resident ID and phone go to the party; the
        receiver becomes its loan officer."""
        pool = Pool()
        Party = pool.get('party.party')
        to_create = []
        for visit in visits:
            if visit.party:
                raise VisitError(gettext(
                        'microloan_core.msg_visit_has_customer',
                        visit=visit.rec_name,
                        party=visit.party.rec_name))
            if visit.state == 'closed':
                raise VisitError(gettext(
                        'microloan_core.msg_visit_closed_customer',
                        visit=visit.rec_name))
            if not visit.id_number:
                raise VisitError(gettext(
                        'microloan_core.msg_visit_customer_no_id',
                        visit=visit.rec_name))
            to_create.append(visit._customer_values())
        parties = Party.create(to_create)
        to_write = []
        for visit, party in zip(visits, parties):
            to_write.extend(([visit], {'party': party.id}))
        if to_write:
            cls.write(*to_write)

    def _customer_values(self):
        "The values of the individual customer made from the visitor"
        values = {
            'name': self.visitor_name,
            'customer_kind': 'individual',
            'customer_source': self.source.id if self.source else None,
            'loan_officer': self.received_by.id,
            'branch': self.branch.id if self.branch else None,
            'identifiers': [('create', [{
                            'type': 'cn_ric',
                            'code': self.id_number,
                            }])],
            }
        if self.phone:
            phone = self.phone.replace(' ', '').replace('-', '')
            kind = ('mobile' if len(phone) == 11 and phone.startswith('1')
                else 'phone')
            values['contact_mechanisms'] = [('create', [{
                            'type': kind,
                            'value': self.phone,
                            }])]
        return values


class MarketingVisit(NumberedMixin, Workflow, ModelSQL, ModelView):
    "Marketing Visit"
    __name__ = 'microloan.marketing_visit'
    __string__ = "Marketing Visit"
    _sequence = 'sequence_marketing_visit'
    _copy_reset = ('follow_ups',)

    _states = {
        'readonly': Eval('state') != 'planned',
        }

    number = fields.Char("Visit Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={
            'readonly': Eval('id', -1) >= 0,
            })
    planned_date = fields.Date("Planned Date", required=True, states=_states)
    visit_date = fields.Date(
        "Visit Date",
        domain=['OR', ('visit_date', '=', None),
            ('visit_date', '>=', Eval('planned_date', None))],
        states={
            'readonly': Eval('state') != 'planned',
            'invisible': Eval('state') == 'cancelled',
            },
        help="The day the visit took place; today when it is done.")
    officer = fields.Many2One(
        'company.employee', "Officer", required=True,
        domain=[('company', '=', Eval('company', -1))],
        states=_states)
    branch = fields.Many2One(
        'microloan.branch', "Branch",
        domain=[('company', '=', Eval('company', -1))],
        states=_states)
    party = fields.Many2One(
        'party.party', "Customer",
        domain=[('customer_kind', '!=', None)],
        states={
            'readonly': _states['readonly'],
            'required': ~Eval('prospect_name'),
            },
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    prospect_name = fields.Char(
        "Prospect",
        states={
            'readonly': _states['readonly'],
            'required': ~Eval('party'),
            'invisible': Bool(Eval('party')),
            },
        help="The person or business visited when not yet a customer.")
    location = fields.Char("Location", states=_states)
    purpose = fields.Char("Purpose", states=_states)
    content = fields.Text(
        "Content",
        states={
            'readonly': Eval('state') == 'cancelled',
            })
    result = fields.Text(
        "Result",
        states={
            'readonly': Eval('state') == 'cancelled',
            })
    next_step = fields.Char(
        "Next Step",
        states={
            'readonly': Eval('state') == 'cancelled',
            })
    follow_ups = fields.One2Many(
        'microloan.visit.follow_up', 'marketing_visit', "Follow-Ups")
    done_by = fields.Many2One(
        'company.employee', "Done By", readonly=True)
    done_user = fields.Many2One('res.user', "Done by User", readonly=True)
    state = fields.Selection([
            ('planned', "Planned"),
            ('done', "Done"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('planned_date', 'DESC'))
        cls._order.insert(1, ('id', 'DESC'))
        cls._transitions |= {
            ('planned', 'done'),
            ('planned', 'cancelled'),
            }
        cls._buttons.update({
                'do': {
                    'invisible': Eval('state') != 'planned',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state') != 'planned',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'planned'

    @staticmethod
    def default_planned_date():
        return Pool().get('ir.date').today()

    @staticmethod
    def default_officer():
        return Transaction().context.get('employee')

    @classmethod
    def default_branch(cls):
        Employee = Pool().get('company.employee')
        employee = cls.default_officer()
        if employee:
            branch = Employee(employee).branch
            return branch.id if branch else None

    @fields.depends('officer', 'branch')
    def on_change_officer(self):
        if self.officer and self.officer.branch:
            self.branch = self.officer.branch

    @fields.depends('party', 'location')
    def on_change_party(self):
        if self.party and not self.location:
            address = self.party.address_get()
            if address:
                self.location = address.full_address.replace('\n', ' ')

    @classmethod
    @ModelView.button
    @checked_transition('done')
    @Workflow.transition('done')
    @set_actor('done')
    def do(cls, visits):
        today = Pool().get('ir.date').today()
        for visit in visits:
            if not visit.visit_date:
                cls.write([visit], {
                        'visit_date': max(today, visit.planned_date),
                        })

    @classmethod
    @ModelView.button
    @checked_transition('cancelled')
    @Workflow.transition('cancelled')
    def cancel(cls, visits):
        pass


class FollowUp(ModelSQL, ModelView):
    "Follow-Up"
    __name__ = 'microloan.visit.follow_up'
    __string__ = "Follow-Up"

    visit = fields.Many2One(
        'microloan.visit', "Visit Registration", ondelete='CASCADE',
        states={
            'required': ~Eval('marketing_visit'),
            'invisible': Bool(Eval('marketing_visit')),
            })
    marketing_visit = fields.Many2One(
        'microloan.marketing_visit', "Marketing Visit", ondelete='CASCADE',
        states={
            'required': ~Eval('visit'),
            'invisible': Bool(Eval('visit')),
            })
    date = fields.Date("Date", required=True)
    employee = fields.Many2One('company.employee', "Employee", required=True)
    method = fields.Selection(
        FOLLOW_UP_METHODS, "Method", required=True, sort=False)
    content = fields.Text("Content", required=True)
    next_date = fields.Date(
        "Next Follow-Up",
        domain=[If(Eval('next_date') & Eval('date'),
                ('next_date', '>=', Eval('date')),
                ())],
        help="When to follow up again.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('date', 'DESC'))
        cls._order.insert(1, ('id', 'DESC'))

    @staticmethod
    def default_date():
        return Pool().get('ir.date').today()

    @staticmethod
    def default_employee():
        return Transaction().context.get('employee')

    @staticmethod
    def default_method():
        return 'phone'

    @classmethod
    def validate_fields(cls, follow_ups, field_names):
        super().validate_fields(follow_ups, field_names)
        if field_names & {'visit', 'marketing_visit'}:
            for follow_up in follow_ups:
                follow_up.check_parent()

    def check_parent(self):
        "A follow-up belongs to exactly one visit"
        if bool(self.visit) == bool(self.marketing_visit):
            raise VisitError(gettext(
                    'microloan_core.msg_follow_up_parent',
                    follow_up=self.rec_name))
