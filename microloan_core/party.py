# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Customer file (客户档案) on the host's party.

A party becomes a customer when it has a customer kind: individual (个人),
sole trader (个体工商户) or enterprise (企业).  A customer belongs to a loan
officer and a branch, which the record rules of party.xml follow.  Identity
is the host's party identifier: the resident ID (GB 11643, ``cn_ric``) of an
individual or a sole trader's operator and the unified social credit code
(GB 32100, the host calls it ``cn_vat``) of an enterprise.  The officer types
them on the first tab of the form (``resident_id``, ``uscc``: the identifier
underneath is the one record); both are checked by the suite with a message
saying what is wrong (``identity_problem``) and each may be on file for one
customer only.
"""
import datetime as dt
import unicodedata

import stdnum.exceptions
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from trytond.modules.party.exceptions import InvalidIdentifierCode

from .exceptions import (
    CustomerDeleteError, CustomerIdentityError, ResidentIdError)
from .tools import user_in_groups

CUSTOMER_KINDS = [
    (None, ""),
    ('individual', "Individual"),
    ('sole_trader', "Sole Trader"),
    ('enterprise', "Enterprise"),
    ]
# The identifier each customer kind must have
REQUIRED_IDENTIFIER = {
    'individual': 'cn_ric',
    'sole_trader': 'cn_ric',
    'enterprise': 'cn_vat',
    }
# Identifiers that name one person or one entity: never on two customers
UNIQUE_IDENTIFIERS = {'cn_ric', 'cn_vat'}
# The identity fields of the form and the identifier type they stand for
IDENTITY_FIELDS = {
    'resident_id': 'cn_ric',
    'uscc': 'cn_vat',
    }
# The identifier types a Chinese company uses, offered first: the host's
# resident ID and USCC, then the suite's own documents of identity (no
# python-stdnum module checks them)
CHINESE_IDENTIFIER_TYPES = [
    ('cn_ric', "Resident ID"),
    ('cn_vat', "Unified Social Credit Code"),
    ('cn_passport', "Passport"),
    ('cn_hkmo_permit', "Mainland Travel Permit for Hong Kong and Macao "
        "Residents"),
    ('cn_tw_permit', "Mainland Travel Permit for Taiwan Residents"),
    ('cn_hmt_residence', "Residence Permit for Hong Kong, Macao and Taiwan "
        "Residents"),
    ('cn_foreigner_residence', "Foreign Permanent Resident ID Card"),
    ]
# No customer, family member or visitor was born before this date
OLDEST_BIRTH_DATE = dt.date(1900, 1, 1)
DIGITS = '0123456789'
# The characters of a USCC after its 8th (GB 32100: no I, O, Z, S, V)
USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
GENDERS = [
    (None, ""),
    ('male', "Male"),
    ('female', "Female"),
    ]


def company_currency():
    "Return the id of the context company's currency: the customer file's"
    Company = Pool().get('company.company')
    company = Transaction().context.get('company')
    return Company(company).currency.id if company else None


class CustomerCurrencyMixin:
    "A row with amounts in the customer file's currency"
    __slots__ = ()

    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"), 'get_currency')

    @staticmethod
    def default_currency():
        return company_currency()

    @classmethod
    def get_currency(cls, records, name):
        currency = company_currency()
        return {r.id: currency for r in records}


def compact_identity(code):
    """Return code without spaces or dashes, in upper case and half-width
    (a Chinese input method types １２３ and ｘ)"""
    code = unicodedata.normalize('NFKC', code or '')
    return ''.join(c for c in code if c not in ' -\t').upper()


def _bad_character(code, allowed):
    "Return (position from 1, character) of the first character not allowed"
    for position, (char, chars) in enumerate(zip(code, allowed), 1):
        if char not in chars:
            return position, char


def resident_id_problem(code):
    """Return the message saying what is wrong with the resident ID number
    (GB 11643) code, or None: the number's length, a character that is not
    allowed, its check digit, a birth date that does not exist or lies
    before 1900 or after today, a region code that does not exist (the
    region file of python-stdnum, which knows the counties of the past)"""
    pool = Pool()
    code = compact_identity(code)
    if len(code) != 18:
        return gettext('microloan_core.msg_resident_id_length',
            code=code, length=len(code))
    bad = _bad_character(code, [DIGITS] * 17 + [DIGITS + 'X'])
    if bad:
        return gettext('microloan_core.msg_resident_id_character',
            code=code, position=bad[0], char=bad[1])
    check = stdnum_ric.calc_check_digit(code)
    if code[-1] != check:
        return gettext('microloan_core.msg_identity_check_digit',
            type=identifier_type_string('cn_ric'),
            code=code, expected=check, given=code[-1])
    try:
        birth_date = stdnum_ric.get_birth_date(code)
    except stdnum.exceptions.ValidationError:
        return gettext('microloan_core.msg_resident_id_date',
            code=code, date=code[6:14])
    try:
        stdnum_ric.get_birth_place(code)
    except stdnum.exceptions.ValidationError:
        return gettext('microloan_core.msg_resident_id_region',
            code=code, region=code[:6])
    if not OLDEST_BIRTH_DATE <= birth_date <= pool.get('ir.date').today():
        lang = pool.get('ir.lang').get()
        return gettext('microloan_core.msg_resident_id_birth_date',
            code=code, date=lang.strftime(birth_date),
            oldest=lang.strftime(OLDEST_BIRTH_DATE))


def uscc_problem(code):
    """Return the message saying what is wrong with the unified social
    credit code (GB 32100) code, or None: its length, a character that is
    not allowed (the first 8 are digits, the others no I, O, Z, S, V) or
    its check character"""
    code = compact_identity(code)
    if len(code) != 18:
        return gettext('microloan_core.msg_uscc_length',
            code=code, length=len(code))
    bad = _bad_character(code[:8], [DIGITS] * 8)
    if bad:
        return gettext('microloan_core.msg_uscc_character_head',
            code=code, position=bad[0], char=bad[1])
    bad = _bad_character(code[8:], [USCC_ALPHABET] * 10)
    if bad:
        return gettext('microloan_core.msg_uscc_character',
            code=code, position=bad[0] + 8, char=bad[1])
    check = stdnum_uscc.calc_check_digit(code)
    if code[-1] != check:
        return gettext('microloan_core.msg_identity_check_digit',
            type=identifier_type_string('cn_vat'),
            code=code, expected=check, given=code[-1])


IDENTITY_PROBLEMS = {
    'cn_ric': resident_id_problem,
    'cn_vat': uscc_problem,
    }


def identity_problem(type_, code):
    "Return what is wrong with code as an identifier of type_, or None"
    problem = IDENTITY_PROBLEMS.get(type_)
    if problem and code:
        return problem(code)


def check_identity(type_, code):
    """Refuse code as an identifier of type_ with the message that says what
    is wrong (a birth date out of 1900 to today is a ResidentIdError, any
    other fault the host's InvalidIdentifierCode)"""
    message = identity_problem(type_, code)
    if message:
        if type_ == 'cn_ric' and stdnum_ric.is_valid(compact_identity(code)):
            raise ResidentIdError(message)
        raise InvalidIdentifierCode(message)


def check_birth_date(code):
    """Refuse a resident ID number that python-stdnum finds valid but whose
    birth date is before 1900 or after today"""
    check_identity('cn_ric', code)


def identifier_type_string(type_):
    "Return the translated name of the identifier type_"
    Identifier = Pool().get('party.identifier')
    return dict(Identifier.get_types()).get(type_, type_)


def ric_birth_date(code):
    "Return the birth date written in a resident ID number"
    try:
        return stdnum_ric.get_birth_date(code or '')
    except (ValueError, stdnum.exceptions.ValidationError):
        return None


def ric_gender(code):
    "Return the gender written in a resident ID number (17th digit)"
    code = (code or '').strip()
    if len(code) == 18 and code[16].isdigit():
        return 'male' if int(code[16]) % 2 else 'female'


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    customer_kind = fields.Selection(
        CUSTOMER_KINDS, "Customer Kind", sort=False,
        help="Filled for a customer of the company; empty for any other "
        "party (employees, banks, suppliers).")
    loan_officer = fields.Many2One(
        'company.employee', "Loan Officer",
        states={
            'invisible': ~Eval('customer_kind'),
            },
        help="The loan officer (客户经理) in charge of the customer.")
    branch = fields.Many2One(
        'microloan.branch', "Branch",
        states={
            'invisible': ~Eval('customer_kind'),
            },
        help="The branch (网点) that serves the customer.")
    customer_currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'get_customer_currency')
    resident_id = fields.Function(
        fields.Char("Resident ID",
            states={
                'invisible': ~Eval('customer_kind').in_(
                    ['individual', 'sole_trader']),
                },
            help="The 18 characters of the resident ID card (居民身份证); "
            "stored as the customer's identifier."),
        'get_identity', setter='set_identity', searcher='search_identity')
    uscc = fields.Function(
        fields.Char("Unified Social Credit Code",
            states={
                'invisible': Eval('customer_kind') != 'enterprise',
                },
            help="The 18 characters of the business licence "
            "(统一社会信用代码); stored as the customer's identifier."),
        'get_identity', setter='set_identity', searcher='search_identity')
    customer_applications = fields.One2Many(
        'microloan.application', 'borrower', "Applications", readonly=True,
        states={
            'invisible': ~Eval('customer_kind'),
            })
    customer_contracts = fields.One2Many(
        'microloan.contract', 'borrower', "Contracts", readonly=True,
        states={
            'invisible': ~Eval('customer_kind'),
            })
    customer_loans = fields.One2Many(
        'microloan.loan', 'borrower', "Loans", readonly=True,
        states={
            'invisible': ~Eval('customer_kind'),
            })
    contact_phone = fields.Function(
        fields.Char("Phone",
            help="The customer's first mobile number, or else his first "
            "phone number."),
        'get_contact_phone', searcher='search_contact_phone')
    birth_date = fields.Function(
        fields.Date("Birth Date",
            help="Derived from the resident ID."),
        'get_identity')
    gender = fields.Function(
        fields.Selection(GENDERS, "Gender",
            help="Derived from the resident ID."),
        'get_identity')
    age = fields.Function(
        fields.Integer("Age"), 'get_identity')

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('//page[@id="microloan_customer"]', 'states', {
                    'invisible': ~Eval('customer_kind'),
                    }),
            ('//page[@id="microloan_customer_business"]', 'states', {
                    'invisible': ~Eval('customer_kind'),
                    }),
            ] + cls._accounting_view_attributes()

    @classmethod
    def _accounting_view_attributes(cls):
        """Hide the host's accounting tab of a customer from whoever is not
        an accountant of the host: the suite keeps its books elsewhere"""
        ModelData = Pool().get('ir.model.data')
        try:
            group = ModelData.get_id('account', 'group_account')
        except KeyError:
            # the account module is not activated: no such tab
            return []
        return [
            ('//page[@id="accounting"]', 'states', {
                    'invisible': Eval('customer_kind') & ~Eval(
                        'context', {}).get('groups', []).contains(group),
                    }),
            ]

    @classmethod
    def default_loan_officer(cls):
        # whoever files a customer is its officer until it is transferred
        return Transaction().context.get('employee')

    @classmethod
    def default_branch(cls):
        Employee = Pool().get('company.employee')
        employee = cls.default_loan_officer()
        if employee:
            employee = Employee(employee)
            return employee.branch.id if employee.branch else None

    @classmethod
    def default_customer_kind(cls):
        return Transaction().context.get('customer_kind')

    @fields.depends('loan_officer', 'branch')
    def on_change_loan_officer(self):
        if self.loan_officer and self.loan_officer.branch:
            self.branch = self.loan_officer.branch

    @fields.depends('customer_kind', 'loan_officer')
    def on_change_customer_kind(self):
        if self.customer_kind and not self.loan_officer:
            employee = Transaction().context.get('employee')
            if employee is not None:
                self.loan_officer = employee
                self.on_change_loan_officer()

    @classmethod
    def get_customer_currency(cls, parties, name):
        "The currency of the amounts of the customer file: the company's"
        currency = company_currency()
        return {p.id: currency for p in parties}

    def identifier_code(self, type_):
        "Return the code of the party's first identifier of type_"
        for identifier in self.identifiers:
            if identifier.type == type_:
                return identifier.code

    @staticmethod
    def get_identity_values(ric, today=None):
        "Return the resident ID ric with what it says of its holder"
        if today is None:
            today = Pool().get('ir.date').today()
        birth_date = ric_birth_date(ric) if ric else None
        values = {
            'resident_id': ric,
            'birth_date': birth_date,
            'gender': ric_gender(ric) if ric else None,
            'age': None,
            }
        if birth_date:
            values['age'] = today.year - birth_date.year - (
                (today.month, today.day)
                < (birth_date.month, birth_date.day))
        return values

    @classmethod
    def get_identity(cls, parties, names):
        today = Pool().get('ir.date').today()
        result = {n: {} for n in names}
        for party in parties:
            values = party.get_identity_values(
                party.identifier_code('cn_ric'), today=today)
            values['uscc'] = party.identifier_code('cn_vat')
            for name in names:
                result[name][party.id] = values[name]
        return result

    @classmethod
    def set_identity(cls, parties, name, value):
        """Keep the typed resident ID or USCC as the party's identifier of
        its type: change the first one, create it, or delete them when the
        field is emptied"""
        Identifier = Pool().get('party.identifier')
        type_ = IDENTITY_FIELDS[name]
        code = compact_identity(value) if value else None
        # refuse before anything is written, with what is wrong
        check_identity(type_, code)
        to_save, to_delete = [], []
        for party in parties:
            identifiers = [i for i in party.identifiers if i.type == type_]
            if not code:
                to_delete.extend(identifiers)
            elif identifiers:
                if identifiers[0].code_compact != code:
                    identifiers[0].code = code
                    to_save.append(identifiers[0])
            else:
                to_save.append(Identifier(party=party, type=type_, code=code))
        Identifier.delete(to_delete)
        Identifier.save(to_save)

    @fields.depends('resident_id', 'birth_date', 'gender', 'age')
    def on_change_resident_id(self):
        code = compact_identity(self.resident_id)
        if self.resident_id and not resident_id_problem(code):
            self.resident_id = code
            values = self.get_identity_values(code)
            self.birth_date = values['birth_date']
            self.gender = values['gender']
            self.age = values['age']

    @fields.depends('uscc')
    def on_change_uscc(self):
        code = compact_identity(self.uscc)
        if self.uscc and not uscc_problem(code):
            self.uscc = code

    @fields.depends('customer_kind', 'resident_id', 'uscc')
    def on_change_notify(self):
        "Say at once what is wrong with the typed resident ID or USCC"
        notifications = super().on_change_notify()
        for name, type_ in IDENTITY_FIELDS.items():
            if self.customer_kind and getattr(self, name, None):
                message = identity_problem(type_, getattr(self, name))
                if message:
                    notifications.append(('warning', message))
        return notifications

    @classmethod
    def get_contact_phone(cls, parties, name):
        result = {}
        for party in parties:
            mechanism = (party.contact_mechanism_get('mobile')
                or party.contact_mechanism_get({'phone', 'mobile'}))
            result[party.id] = mechanism.value if mechanism else None
        return result

    @classmethod
    def search_contact_phone(cls, name, clause):
        _, operator, operand, *extra = clause
        return [('contact_mechanisms', 'where', [
                    ('type', 'in', ['mobile', 'phone']),
                    ('value', operator, operand, *extra),
                    ])]

    @classmethod
    def search_identity(cls, name, clause):
        _, operator, operand, *extra = clause
        type_ = IDENTITY_FIELDS[name]
        return [('identifiers', 'where', [
                    ('type', '=', type_),
                    ('code', operator, operand, *extra),
                    ])]

    @classmethod
    def validate(cls, parties):
        super().validate(parties)
        for party in parties:
            party.check_customer_identity()

    def check_customer_identity(self):
        "Check the customer has the identity its kind requires"
        type_ = REQUIRED_IDENTIFIER.get(self.customer_kind)
        if type_ and not self.identifier_code(type_):
            Identifier = Pool().get('party.identifier')
            types = dict(Identifier.get_types())
            kinds = dict(self.fields_get(['customer_kind'])[
                    'customer_kind']['selection'])
            raise CustomerIdentityError(gettext(
                    'microloan_core.msg_customer_identity_required',
                    party=self.rec_name,
                    kind=kinds.get(self.customer_kind, self.customer_kind),
                    type=types.get(type_, type_)))

    @classmethod
    def _business_documents(cls):
        """Return the (model, party field) of the documents that give a
        customer business: such a customer is deleted by an administrator
        only"""
        return [
            ('microloan.application', 'borrower'),
            ('microloan.contract', 'borrower'),
            ('microloan.loan', 'borrower'),
            ('microloan.credit_line', 'party'),
            ]

    @classmethod
    def check_modification(cls, mode, parties, values=None, external=False):
        super().check_modification(
            mode, parties, values=values, external=external)
        if mode == 'delete' and not user_in_groups(['group_microloan_admin']):
            cls.check_delete_business(parties)

    @classmethod
    def check_delete_business(cls, parties):
        "Refuse to delete a customer with business, even business unseen"
        pool = Pool()
        ids = [p.id for p in parties]
        for model, field in cls._business_documents():
            Document = pool.get(model)
            with without_check_access(), \
                    Transaction().set_context(active_test=False):
                documents = Document.search(
                    [(field, 'in', ids)], limit=1, order=[])
            if documents:
                party = getattr(documents[0], field)
                raise CustomerDeleteError(gettext(
                        'microloan_core.msg_customer_delete_business',
                        party=party.rec_name,
                        documents=Document.__names__()['model']))

    @classmethod
    def copy(cls, parties, default=None):
        default = default.copy() if default is not None else {}
        # an identity is never on two customers: a copy starts without one
        default.setdefault('identifiers', None)
        default.setdefault('customer_kind', None)
        default.setdefault('customer_applications', None)
        default.setdefault('customer_contracts', None)
        default.setdefault('customer_loans', None)
        return super().copy(parties, default=default)


class PartyConfiguration(metaclass=PoolMeta):
    __name__ = 'party.configuration'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # the types a Chinese company uses first, then the host's others
        chinese = dict(CHINESE_IDENTIFIER_TYPES)
        cls.identifier_types.selection = list(CHINESE_IDENTIFIER_TYPES) + [
            (k, v) for k, v in cls.identifier_types.selection
            if k not in chinese]


class PartyIdentifier(metaclass=PoolMeta):
    __name__ = 'party.identifier'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # offered in the configuration's order: the Chinese types first
        cls.type.sort = False

    @classmethod
    def preprocess_values(cls, mode, values):
        # a resident ID or USCC typed under the identifiers is stored as the
        # one typed on the form: compact, upper case, half-width
        if values.get('type') in IDENTITY_PROBLEMS and values.get('code'):
            values = values.copy()
            values['code'] = compact_identity(values['code'])
        return super().preprocess_values(mode, values)

    @fields.depends('type', 'code')
    def check_code(self):
        "Say what is wrong with a resident ID or USCC, not only that it is"
        if self.type in IDENTITY_PROBLEMS:
            check_identity(self.type, self.code)
        else:
            super().check_code()

    @classmethod
    def validate(cls, identifiers):
        super().validate(identifiers)
        cls.check_unique_identity(identifiers)

    @classmethod
    def check_unique_identity(cls, identifiers):
        "Refuse a resident ID or USCC already on file for another party"
        identifiers = [i for i in identifiers if i.type in UNIQUE_IDENTIFIERS]
        if not identifiers:
            return
        # other officers' customers count too: search beyond the user's rules
        with without_check_access():
            for identifier in identifiers:
                code = identifier.code_compact or identifier.code
                others = cls.search([
                        ('type', '=', identifier.type),
                        ('code_compact', '=', code),
                        ('id', '!=', identifier.id),
                        ('party', '!=', identifier.party.id),
                        ], limit=1)
                if others:
                    other, = others
                    raise CustomerIdentityError(gettext(
                            'microloan_core.msg_customer_identity_duplicate',
                            type=identifier.type_string,
                            code=identifier.code,
                            party=identifier.party.rec_name,
                            other=other.party.code or other.party.id))
