# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Individual profile (个人信息) of a customer.

The person of an individual or a sole trader customer: household
registration, family, education, employment, income and expenses, and the
rows of the file kept with the party: résumé (个人履历), family members
(家庭成员) and shops (经营实体).  Phones and postal addresses are the host's
contact mechanisms and addresses of the party (its ``mobile`` field gives the
first mobile number); they are not repeated here.
"""
from decimal import ROUND_HALF_UP, Decimal

from sql.aggregate import Count
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction

from .exceptions import (
    FamilyMemberError, IndividualProfileError, ShopError)
from .party import (
    GENDERS, CustomerCurrencyMixin, check_birth_date, identity_problem,
    ric_gender)

HUKOU_KINDS = [
    (None, ""),
    ('agricultural', "Agricultural"),
    ('non_agricultural', "Non-Agricultural"),
    ('unified', "Unified Resident"),
    ]
MARITAL_STATUSES = [
    (None, ""),
    ('unmarried', "Unmarried"),
    ('married', "Married"),
    ('divorced', "Divorced"),
    ('widowed', "Widowed"),
    ('other', "Other"),
    ]
EDUCATIONS = [
    (None, ""),
    ('primary', "Primary School or Below"),
    ('junior_high', "Junior High School"),
    ('senior_high', "Senior High or Vocational School"),
    ('college', "Junior College"),
    ('bachelor', "Undergraduate"),
    ('master', "Master's Graduate"),
    ('doctorate', "Doctoral Graduate"),
    ]
DEGREES = [
    (None, ""),
    ('none', "No Degree"),
    ('bachelor', "Bachelor"),
    ('master', "Master"),
    ('doctorate', "Doctorate"),
    ]
HEALTHS = [
    (None, ""),
    ('good', "Good"),
    ('fair', "Fair"),
    ('poor', "Poor"),
    ]
POLITICAL_STATUSES = [
    (None, ""),
    ('cpc', "CPC Member"),
    ('cyl', "CYL Member"),
    ('democratic', "Member of a Democratic Party"),
    ('masses', "Masses"),
    ('other', "Other"),
    ]
RESIDENCE_STATUSES = [
    (None, ""),
    ('owned', "Owned"),
    ('mortgaged', "Owned with Mortgage"),
    ('rented', "Rented"),
    ('family', "With Family"),
    ('dormitory', "Dormitory"),
    ('other', "Other"),
    ]
UNIT_NATURES = [
    (None, ""),
    ('government', "Government or Public Institution"),
    ('state_owned', "State-Owned Enterprise"),
    ('private', "Private Enterprise"),
    ('foreign', "Foreign-Invested Enterprise"),
    ('individual_business', "Individual Business"),
    ('other', "Other"),
    ]
PROFESSIONAL_TITLES = [
    (None, ""),
    ('none', "No Title"),
    ('junior', "Junior Title"),
    ('intermediate', "Intermediate Title"),
    ('senior', "Senior Title"),
    ]
INCOME_SOURCES = [
    (None, ""),
    ('salary', "Salary"),
    ('business', "Business Income"),
    ('agriculture', "Agriculture"),
    ('rental', "Rental Income"),
    ('investment', "Investment Income"),
    ('other', "Other"),
    ]
RELATIONS = [
    ('spouse', "Spouse"),
    ('father', "Father"),
    ('mother', "Mother"),
    ('son', "Son"),
    ('daughter', "Daughter"),
    ('sibling', "Sibling"),
    ('other', "Other"),
    ]
PERSON_KINDS = {'individual', 'sole_trader'}


def _positive_domain(name):
    return ['OR', (name, '=', None), (name, '>=', 0)]


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    household_registration = fields.Char(
        "Household Registration",
        help="The address of the household register (户籍地址).")
    hukou_kind = fields.Selection(
        HUKOU_KINDS, "Household Type", sort=False)
    marital_status = fields.Selection(
        MARITAL_STATUSES, "Marital Status", sort=False)
    education = fields.Selection(
        EDUCATIONS, "Education Level", sort=False)
    degree = fields.Selection(
        DEGREES, "Degree", sort=False)
    health = fields.Selection(
        HEALTHS, "Health", sort=False)
    political_status = fields.Selection(
        POLITICAL_STATUSES, "Political Status", sort=False)
    nation = fields.Char(
        "Ethnic Group",
        help="As printed on the resident ID card (民族), e.g. Han.")
    residence_status = fields.Selection(
        RESIDENCE_STATUSES, "Residence Status", sort=False)
    residence_since = fields.Date(
        "Resident Since",
        help="Since when the customer lives at the current address.")
    region = fields.Many2One(
        'country.subdivision', "Region",
        help="The province, city or county where the customer lives.")
    occupation = fields.Char("Occupation")
    employer = fields.Char("Employer")
    employer_industry = fields.Many2One(
        'microloan.industry', "Employer Industry")
    unit_nature = fields.Selection(
        UNIT_NATURES, "Nature of Employer", sort=False)
    position = fields.Char("Position")
    professional_title = fields.Selection(
        PROFESSIONAL_TITLES, "Professional Title", sort=False)
    employed_since = fields.Date(
        "Employed Since",
        help="Since when the customer works for the current employer.")
    main_income_source = fields.Selection(
        INCOME_SOURCES, "Main Income Source", sort=False)
    other_income_sources = fields.Char(
        "Other Income Sources")
    monthly_income = Monetary(
        "Monthly Income", currency='customer_currency',
        digits='customer_currency',
        domain=_positive_domain('monthly_income'),
        help="The customer's own monthly income.")
    monthly_family_income = Monetary(
        "Monthly Family Income", currency='customer_currency',
        digits='customer_currency',
        domain=_positive_domain('monthly_family_income'))
    monthly_family_expenses = Monetary(
        "Monthly Family Expenses", currency='customer_currency',
        digits='customer_currency',
        domain=_positive_domain('monthly_family_expenses'))
    monthly_family_surplus = fields.Function(Monetary(
            "Monthly Family Surplus", currency='customer_currency',
            digits='customer_currency',
            help="Monthly family income less monthly family expenses."),
        'on_change_with_monthly_family_surplus')
    family_size = fields.Integer(
        "Family Size",
        domain=['OR', ('family_size', '=', None), ('family_size', '>=', 1)],
        help="The number of people living in the household, the customer "
        "included.")
    dependants = fields.Integer(
        "Dependants",
        domain=['OR', ('dependants', '=', None), ('dependants', '>=', 0)],
        help="The number of household members the family supports.")
    resumes = fields.One2Many(
        'microloan.party.resume', 'party', "Résumé")
    family_members = fields.One2Many(
        'microloan.party.family_member', 'party', "Family Members")
    family_members_count = fields.Function(
        fields.Integer("Number of Family Members"),
        'get_family_members_count')
    shops = fields.One2Many(
        'microloan.party.shop', 'party', "Shops",
        help="The businesses the customer runs (经营实体).")

    @classmethod
    def view_attributes(cls):
        kind = Eval('customer_kind')
        return super().view_attributes() + [
            ('//page[@id="microloan_individual"]', 'states', {
                    'invisible': ~kind.in_(list(PERSON_KINDS)),
                    }),
            ('//page[@id="microloan_business"]', 'states', {
                    'invisible': ~((kind == 'sole_trader')
                        | ((kind == 'individual') & Eval('shops', []))),
                    }),
            ]

    @fields.depends('monthly_family_income', 'monthly_family_expenses')
    def on_change_with_monthly_family_surplus(self, name=None):
        if (self.monthly_family_income is None
                or self.monthly_family_expenses is None):
            return None
        return (self.monthly_family_income
            - self.monthly_family_expenses).quantize(
            Decimal('0.01'), rounding=ROUND_HALF_UP)

    @classmethod
    def get_family_members_count(cls, parties, name):
        "Count the family members of the parties in one query"
        Member = Pool().get('microloan.party.family_member')
        member = Member.__table__()
        cursor = Transaction().connection.cursor()
        counts = {p.id: 0 for p in parties}
        ids = list(counts)
        for sub_ids in (ids[i:i + 1000] for i in range(0, len(ids), 1000)):
            cursor.execute(*member.select(
                    member.party, Count(member.id),
                    where=member.party.in_(sub_ids),
                    group_by=[member.party]))
            counts.update(cursor)
        return counts

    @classmethod
    def validate_fields(cls, parties, field_names):
        super().validate_fields(parties, field_names)
        if field_names & {'family_size', 'dependants'}:
            for party in parties:
                party.check_dependants()
        if 'employed_since' in field_names:
            today = Pool().get('ir.date').today()
            for party in parties:
                party.check_employed_since(today)

    def check_dependants(self):
        "The family supports fewer people than it counts"
        if (self.family_size is not None and self.dependants is not None
                and self.dependants >= self.family_size):
            raise IndividualProfileError(gettext(
                    'microloan_core.msg_party_dependants_family_size',
                    party=self.rec_name,
                    dependants=self.dependants,
                    family_size=self.family_size))

    def check_employed_since(self, today):
        if self.employed_since and self.employed_since > today:
            lang = Pool().get('ir.lang').get()
            raise IndividualProfileError(gettext(
                    'microloan_core.msg_party_employed_since_future',
                    party=self.rec_name,
                    date=lang.strftime(self.employed_since)))

    @classmethod
    def copy(cls, parties, default=None):
        default = default.copy() if default is not None else {}
        # a copy is another person: it starts with no file of its own
        default.setdefault('resumes', None)
        default.setdefault('family_members', None)
        default.setdefault('shops', None)
        return super().copy(parties, default=default)


class _PartyRowMixin:
    "A row of the customer file, seen through the party's record rules"
    __slots__ = ()

    party = fields.Many2One(
        'party.party', "Customer", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('party')


class ResidentIdMixin:
    """The resident ID number (GB 11643) of a person on a record, stored
    compact and checked; the model says in _id_number_error() how it
    refuses an invalid one"""
    __slots__ = ()

    @fields.depends('id_number')
    def on_change_id_number(self):
        if self.id_number and ric.is_valid(self.id_number):
            self.id_number = ric.compact(self.id_number)

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('id_number'):
            values['id_number'] = ric.compact(values['id_number'])
        return values

    @classmethod
    def validate_fields(cls, records, field_names):
        super().validate_fields(records, field_names)
        if 'id_number' in field_names:
            for record in records:
                if record.id_number:
                    if not ric.is_valid(record.id_number):
                        raise record._id_number_error()
                    check_birth_date(record.id_number)


class Resume(_PartyRowMixin, ModelSQL, ModelView):
    "Résumé"
    __name__ = 'microloan.party.resume'
    __string__ = "Résumé Entry"

    start_date = fields.Date("Start Date", required=True)
    end_date = fields.Date(
        "End Date",
        domain=['OR', ('end_date', '=', None),
            ('end_date', '>=', Eval('start_date', None))],
        help="Empty while the customer is still there.")
    organisation = fields.Char("Organisation", required=True)
    position = fields.Char("Position")
    note = fields.Text("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('start_date', 'DESC'))


class FamilyMember(
        _PartyRowMixin, CustomerCurrencyMixin, ResidentIdMixin, ModelSQL,
        ModelView):
    "Family Member"
    __name__ = 'microloan.party.family_member'
    __string__ = "Family Member"

    relation = fields.Selection(
        RELATIONS, "Relation", required=True, sort=False)
    name = fields.Char("Full Name", required=True)
    id_number = fields.Char(
        "Resident ID", help="The resident ID number (GB 11643).")
    gender = fields.Selection(
        GENDERS, "Gender",
        states={
            'readonly': Bool(Eval('id_number')),
            },
        help="Derived from the resident ID when it is given.")
    phone = fields.Char("Phone")
    employer = fields.Char("Employer")
    health = fields.Selection(HEALTHS, "Health", sort=False)
    monthly_income = Monetary(
        "Monthly Income", currency='currency', digits='currency',
        domain=_positive_domain('monthly_income'))

    @fields.depends('id_number', 'gender')
    def on_change_id_number(self):
        super().on_change_id_number()
        if self.id_number and ric.is_valid(self.id_number):
            self.gender = ric_gender(self.id_number)

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        gender = ric_gender(values.get('id_number'))
        if gender:
            values['gender'] = gender
        return values

    @classmethod
    def validate_fields(cls, members, field_names):
        super().validate_fields(members, field_names)
        if field_names & {'relation', 'party'}:
            cls.check_one_spouse(members)

    def _id_number_error(self):
        return FamilyMemberError(gettext(
                'microloan_core.msg_family_member_invalid_id',
                member=self.name,
                party=self.party.rec_name,
                code=self.id_number,
                reason=identity_problem('cn_ric', self.id_number)
                or self.id_number))

    @classmethod
    def check_one_spouse(cls, members):
        "A party has at most one spouse on file"
        parties = {m.party for m in members if m.relation == 'spouse'}
        if not parties:
            return
        member = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*member.select(
                member.party,
                where=member.party.in_([p.id for p in parties])
                & (member.relation == 'spouse'),
                group_by=[member.party],
                having=Count(member.id) > 1))
        for party_id, in cursor:
            party = Pool().get('party.party')(party_id)
            raise FamilyMemberError(gettext(
                    'microloan_core.msg_family_member_second_spouse',
                    party=party.rec_name))


class Shop(_PartyRowMixin, CustomerCurrencyMixin, ModelSQL, ModelView):
    "Shop"
    __name__ = 'microloan.party.shop'
    __string__ = "Shop"

    name = fields.Char("Name", required=True)
    industry = fields.Many2One('microloan.industry', "Industry")
    registered_capital = Monetary(
        "Registered Capital", currency='currency', digits='currency',
        domain=_positive_domain('registered_capital'))
    scale = fields.Integer(
        "Employees Count",
        domain=['OR', ('scale', '=', None), ('scale', '>=', 0)],
        help="The number of people working in the business.")
    address = fields.Char("Business Address")
    licence_number = fields.Char(
        "Business Licence Number",
        help="The number of the business licence (营业执照).")
    tax_number = fields.Char(
        "Tax Number",
        help="The taxpayer number, today the unified social credit code.")
    registration_date = fields.Date("Registration Date")
    last_annual_check_date = fields.Date(
        "Last Annual Check",
        domain=['OR', ('last_annual_check_date', '=', None),
            ('registration_date', '=', None),
            ('last_annual_check_date', '>=', Eval('registration_date', None)),
            ],
        help="The date of the last annual inspection or report (年检).")
    basic_account_number = fields.Char(
        "Basic Account Number",
        help="The number of the basic bank account (基本户).")
    basic_account_bank = fields.Char(
        "Basic Account Bank",
        help="The bank holding the basic account.")
    monthly_revenue = Monetary(
        "Monthly Revenue", currency='currency', digits='currency',
        domain=_positive_domain('monthly_revenue'))

    @classmethod
    def validate_fields(cls, shops, field_names):
        super().validate_fields(shops, field_names)
        if 'tax_number' in field_names:
            for shop in shops:
                shop.check_tax_number()

    def check_tax_number(self):
        "A tax number shaped like a USCC must be a valid one"
        code = uscc.compact(self.tax_number or '')
        if len(code) != 18:
            return
        try:
            uscc.validate(code)
        except StdnumError:
            raise ShopError(gettext(
                    'microloan_core.msg_shop_invalid_tax_number',
                    shop=self.name,
                    party=self.party.rec_name,
                    code=self.tax_number))
