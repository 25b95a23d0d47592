# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Enterprise profile (企业概况) of a customer.

An enterprise customer's file holds its registration (legal representative,
registered and paid-in capital, industry, founding date, business scope,
scale, registered address), its shareholders (股东) with their share of the
capital and its executives (高管).  A shareholder or an executive is either
a party on file or just a name with an identity number: a resident ID
(GB 11643) for a natural person, a unified social credit code (GB 32100)
for a legal person, both checked with python-stdnum.
"""
from collections import defaultdict
from decimal import Decimal

from stdnum.cn import ric, uscc

from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.tools import grouped_slice

from .exceptions import EnterpriseProfileError
from .party import (
    CustomerCurrencyMixin, check_birth_date, identity_problem)
from .tools import rec_name_domain

ENTERPRISE_SCALES = [
    (None, ""),
    ('large', "Large"),
    ('medium', "Medium"),
    ('small', "Small"),
    ('micro', "Micro"),
    ]
SHAREHOLDER_KINDS = [
    ('natural', "Natural Person"),
    ('legal', "Legal Person"),
    ]
EXECUTIVE_POSITIONS = [
    ('chairman', "Chairman"),
    ('general_manager', "General Manager"),
    ('finance_director', "Finance Director"),
    ('director', "Director"),
    ('supervisor', "Supervisor"),
    ('other', "Other"),
    ]
SHARE_DIGITS = (7, 4)
HUNDRED = Decimal(100)


def check_id_number(kind, code):
    """Return the compact form of an identity number valid for kind
    ('natural': resident ID, 'legal': unified social credit code) or None
    when it is not valid"""
    module = {'natural': ric, 'legal': uscc}[kind]
    code = (code or '').strip().upper()
    if module.is_valid(code):
        return module.compact(code)


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    legal_representative = fields.Many2One(
        'party.party', "Legal Representative", ondelete='RESTRICT',
        help="The legal representative (法定代表人) of the enterprise.")
    registered_capital = Monetary(
        "Registered Capital", currency='customer_currency',
        digits='customer_currency',
        domain=['OR',
            ('registered_capital', '=', None),
            ('registered_capital', '>=', 0),
            ])
    paid_in_capital = Monetary(
        "Paid-in Capital", currency='customer_currency',
        digits='customer_currency',
        domain=['OR',
            ('paid_in_capital', '=', None),
            ('paid_in_capital', '>=', 0),
            ])
    industry = fields.Many2One(
        'microloan.industry', "Industry", ondelete='RESTRICT')
    founding_date = fields.Date(
        "Founding Date",
        help="The date the business licence was first issued (成立日期).")
    business_scope = fields.Text("Business Scope")
    employees_count = fields.Integer(
        "Number of Employees",
        domain=['OR',
            ('employees_count', '=', None),
            ('employees_count', '>=', 0),
            ])
    enterprise_scale = fields.Selection(
        ENTERPRISE_SCALES, "Enterprise Scale", sort=False,
        help="The scale (企业规模) by the national classification of "
        "small and medium enterprises.")
    registered_address = fields.Char("Registered Address")
    shareholders = fields.One2Many(
        'microloan.party.shareholder', 'party', "Shareholders")
    executives = fields.One2Many(
        'microloan.party.executive', 'party', "Executives")
    shares_total = fields.Function(
        fields.Numeric("Total Shares (%)", digits=SHARE_DIGITS),
        'get_shares_total')

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('//page[@id="microloan_enterprise"]', 'states', {
                    'invisible': Eval('customer_kind') != 'enterprise',
                    }),
            ]

    def get_shares_total(self, name):
        return sum((s.share or 0 for s in self.shareholders), Decimal(0))

    @classmethod
    def validate_fields(cls, parties, field_names):
        super().validate_fields(parties, field_names)
        cls.check_founding_date(parties, field_names)

    @classmethod
    def check_founding_date(cls, parties, field_names=None):
        "Refuse a founding date in the future"
        if field_names and 'founding_date' not in field_names:
            return
        today = Pool().get('ir.date').today()
        for party in parties:
            if party.founding_date and party.founding_date > today:
                raise EnterpriseProfileError(gettext(
                        'microloan_core.msg_enterprise_founding_date_future',
                        party=party.rec_name,
                        date=party.founding_date))

    @classmethod
    def copy(cls, parties, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('shareholders', None)
        default.setdefault('executives', None)
        return super().copy(parties, default=default)


class _PersonMixin:
    """A row of an enterprise's file naming a person: a party on file (the
    field named by _person_field) or a name with an identity number"""
    __slots__ = ()

    party = fields.Many2One(
        'party.party', "Enterprise", required=True, ondelete='CASCADE')
    name = fields.Char("Name")
    id_number = fields.Char("ID Number")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('party')
        cls.name.states['required'] = ~Eval(cls._person_field)
        cls.name.depends.add(cls._person_field)

    def _person_party(self):
        return getattr(self, self._person_field)

    def _person_kind(self):
        return 'natural'

    def get_rec_name(self, name):
        party = self._person_party()
        return party.rec_name if party else (self.name or '')

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, 'name', cls._person_field + '.rec_name')

    @classmethod
    def validate_fields(cls, records, field_names):
        super().validate_fields(records, field_names)
        cls.check_person(records)

    @classmethod
    def check_person(cls, records):
        "Refuse a row without a name and an invalid identity number"
        for record in records:
            if not record._person_party() and not record.name:
                raise EnterpriseProfileError(gettext(
                        'microloan_core.msg_enterprise_person_name_required',
                        party=record.party.rec_name))
            if record.id_number and not check_id_number(
                    record._person_kind(), record.id_number):
                message = {
                    'natural': 'msg_enterprise_person_invalid_ric',
                    'legal': 'msg_enterprise_person_invalid_uscc',
                    }[record._person_kind()]
                type_ = {'natural': 'cn_ric', 'legal': 'cn_vat'}[
                    record._person_kind()]
                raise EnterpriseProfileError(gettext(
                        'microloan_core.' + message,
                        party=record.party.rec_name,
                        person=record.rec_name,
                        code=record.id_number,
                        reason=identity_problem(type_, record.id_number)
                        or record.id_number))
            if record.id_number and record._person_kind() == 'natural':
                check_birth_date(ric.compact(record.id_number))

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('id_number'):
            values['id_number'] = values['id_number'].strip().upper()
        return values


class PartyShareholder(
        _PersonMixin, CustomerCurrencyMixin, ModelSQL, ModelView):
    "Party Shareholder"
    __name__ = 'microloan.party.shareholder'
    __string__ = "Shareholder"
    _person_field = 'shareholder'

    shareholder = fields.Many2One(
        'party.party', "Shareholder", ondelete='RESTRICT',
        domain=[('id', '!=', Eval('party', -1))],
        help="The shareholder when on file; otherwise give the name.")
    kind = fields.Selection(
        SHAREHOLDER_KINDS, "Kind", required=True, sort=False)
    contribution = Monetary(
        "Contribution", currency='currency', digits='currency',
        domain=['OR',
            ('contribution', '=', None),
            ('contribution', '>=', 0),
            ],
        help="The capital the shareholder subscribed (认缴出资额).")
    share = fields.Numeric(
        "Share (%)", digits=SHARE_DIGITS, required=True,
        domain=[('share', '>', 0), ('share', '<=', 100)],
        help="The shareholder's percentage of the capital (持股比例).")
    contribution_date = fields.Date("Contribution Date")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.id_number.help = (
            "Resident ID of a natural person, unified social credit code "
            "of a legal person.")
        cls._order.insert(0, ('share', 'DESC'))

    @classmethod
    def default_kind(cls):
        return 'natural'

    def _person_kind(self):
        return self.kind

    @fields.depends('shareholder', 'kind', 'id_number')
    def on_change_shareholder(self):
        if self.shareholder:
            if self.shareholder.customer_kind == 'enterprise':
                self.kind = 'legal'
            elif self.shareholder.customer_kind:
                self.kind = 'natural'
            code = self.shareholder.identifier_code(
                'cn_vat' if self.kind == 'legal' else 'cn_ric')
            if code:
                self.id_number = code

    @classmethod
    def validate(cls, shareholders):
        super().validate(shareholders)
        cls.check_shares_total(shareholders)

    @classmethod
    def check_shares_total(cls, shareholders):
        "Refuse shares of one enterprise adding up to more than 100 %"
        parties = {s.party for s in shareholders}
        if not parties:
            return
        totals = defaultdict(Decimal)
        for sub_parties in grouped_slice(
                list(parties), backend.MAX_QUERY_PARAMS):
            for shareholder in cls.search([
                        ('party', 'in', [p.id for p in sub_parties]),
                        ]):
                totals[shareholder.party] += shareholder.share
        for party in parties:
            if totals[party] > HUNDRED:
                raise EnterpriseProfileError(gettext(
                        'microloan_core.msg_enterprise_shares_over_100',
                        party=party.rec_name,
                        total=totals[party]))


class PartyExecutive(_PersonMixin, ModelSQL, ModelView):
    "Party Executive"
    __name__ = 'microloan.party.executive'
    __string__ = "Executive"
    _person_field = 'person'

    person = fields.Many2One(
        'party.party', "Person", ondelete='RESTRICT',
        domain=[('id', '!=', Eval('party', -1))],
        help="The executive when on file; otherwise give the name.")
    position = fields.Selection(
        EXECUTIVE_POSITIONS, "Position", required=True, sort=False)
    phone = fields.Char("Phone")
    since = fields.Date(
        "Since", help="The date the executive took the position.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.id_number.help = "The resident ID of the executive."
        cls._order.insert(0, ('position', 'ASC'))

    @fields.depends('person', 'id_number')
    def on_change_person(self):
        if self.person:
            code = self.person.identifier_code('cn_ric')
            if code:
                self.id_number = code

    @classmethod
    def validate_fields(cls, executives, field_names):
        super().validate_fields(executives, field_names)
        today = Pool().get('ir.date').today()
        for executive in executives:
            if executive.since and executive.since > today:
                raise EnterpriseProfileError(gettext(
                        'microloan_core.msg_enterprise_executive_since_future',
                        party=executive.party.rec_name,
                        person=executive.rec_name,
                        date=executive.since))



class PartyReplace(metaclass=PoolMeta):
    __name__ = 'party.replace'

    @classmethod
    def fields_to_replace(cls):
        return super().fields_to_replace() + [
            ('party.party', 'legal_representative'),
            ('microloan.party.shareholder', 'party'),
            ('microloan.party.shareholder', 'shareholder'),
            ('microloan.party.executive', 'party'),
            ('microloan.party.executive', 'person'),
            ]
