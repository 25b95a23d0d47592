# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Customer file (客户档案) on the host's party.

A party becomes a customer when it has a customer kind: individual (个人),
sole trader (个体工商户) or enterprise (企业).  A customer belongs to a loan
officer and a branch, which the record rules of party.xml follow.  Identity
is the host's party identifier: the resident ID (GB 11643, ``cn_ric``) of an
individual or a sole trader's operator and the unified social credit code
(GB 32100, the host calls it ``cn_vat``) of an enterprise; both are checked
by the host and
each may be on file for one customer only.
"""
import stdnum.exceptions
from stdnum.cn import ric as stdnum_ric

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .exceptions import CustomerDeleteError, CustomerIdentityError
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
        fields.Char("Resident ID"), 'get_identity',
        searcher='search_identity')
    uscc = fields.Function(
        fields.Char("Unified Social Credit Code"), 'get_identity',
        searcher='search_identity')
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

    @classmethod
    def get_identity(cls, parties, names):
        today = Pool().get('ir.date').today()
        result = {n: {} for n in names}
        for party in parties:
            ric = party.identifier_code('cn_ric')
            birth_date = ric_birth_date(ric) if ric else None
            values = {
                'resident_id': ric,
                'uscc': party.identifier_code('cn_vat'),
                'birth_date': birth_date,
                'gender': ric_gender(ric) if ric else None,
                'age': None,
                }
            if birth_date:
                values['age'] = today.year - birth_date.year - (
                    (today.month, today.day)
                    < (birth_date.month, birth_date.day))
            for name in names:
                result[name][party.id] = values[name]
        return result

    @classmethod
    def search_identity(cls, name, clause):
        _, operator, operand, *extra = clause
        type_ = {'resident_id': 'cn_ric', 'uscc': 'cn_vat'}[name]
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
        return super().copy(parties, default=default)


class PartyIdentifier(metaclass=PoolMeta):
    __name__ = 'party.identifier'

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
