# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Builders shared by the module's tests: the company, branches, staff and
users, customers, products, credit lines, contracts and loans, and acting
as a user.

Every test file takes its set-up from here rather than writing its own
copy.  The engine's tests, which run without trytond, have theirs in
``engine_tools``."""
import datetime as dt
from contextlib import ExitStack, contextmanager
from decimal import Decimal

from stdnum.cn import ric as stdnum_ric

from trytond.modules.company.tests import create_company, create_employee
from trytond.modules.currency.tests import add_currency_rate, create_currency
from trytond.pool import Pool
from trytond.transaction import Transaction

# The smallest files whose leading bytes say what they are
PDF = b'%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n'
JPEG = b'\xff\xd8\xff\xe0\x00\x10JFIF\x00' + bytes(32) + b'\xff\xd9'
PNG = b'\x89PNG\r\n\x1a\n' + bytes(32)

# Valid unified social credit codes (GB 32100)
USCC = ['91110000600037341L', '9131000013220921X6', '9144030019217630XP',
    '9151010073659428X6']


def create_cny_company():
    "Create a company keeping its books in CNY"
    currency = create_currency('CNY')
    add_currency_rate(currency, 1)
    return create_company(currency=currency)


def ric(body):
    "Return the resident ID (GB 11643) of a 17-digit body with its check"
    # calc_check_digit ignores the last character of what it is given
    return body + stdnum_ric.calc_check_digit(body + '0')


def resident_id(serial):
    "Return the valid resident ID number serial of a man born on 1980-01-01"
    return ric('11010519800101%03d' % serial)


def create_party(name, kind, identifier_type, code, **values):
    "Create a customer of kind identified by code of identifier_type"
    Party = Pool().get('party.party')
    party, = Party.create([dict({
                    'name': name,
                    'customer_kind': kind,
                    'identifiers': [('create', [{
                                    'type': identifier_type, 'code': code}])],
                    }, **values)])
    return party


def create_individual(name, ric_body, **values):
    "Create an individual customer with the resident ID of ric_body"
    return create_party(name, 'individual', 'cn_ric', ric(ric_body), **values)


def create_customer(name, serial, officer=None, kind='individual', **values):
    """Create a customer of kind (an individual or a sole trader) with the
    resident ID number serial, filed by the employee officer"""
    return create_party(name, kind, 'cn_ric', resident_id(serial),
        **dict({'loan_officer': officer.id if officer else None}, **values))


def create_enterprise(name, uscc, **values):
    "Create an enterprise customer with its unified social credit code"
    return create_party(name, 'enterprise', 'cn_vat', uscc, **values)


def relation_type(code):
    "Return the relation type shipped as relation_type_<code>"
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    RelationType = pool.get('microloan.party.relation.type')
    return RelationType(ModelData.get_id(
            'microloan_core', 'relation_type_%s' % code))


def relate(from_, code, to, **values):
    "Record that from_ is the <code> of to"
    Relation = Pool().get('microloan.party.relation')
    relation, = Relation.create([dict({
                    'from_': from_.id, 'to': to.id,
                    'type': relation_type(code).id}, **values)])
    return relation


def blacklist(party, **values):
    "Put party on the blacklist"
    Watch = Pool().get('microloan.party.watch')
    watch, = Watch.create([dict({
                    'party': party.id,
                    'list': 'blacklist',
                    'reason': "逾期未还，恶意逃废债",
                    }, **values)])
    return watch


def create_branch(company, name, code):
    Branch = Pool().get('microloan.branch')
    branch, = Branch.create([{
                'name': name, 'code': code, 'company': company.id}])
    return branch


def create_officer(company, name, branch=None):
    "Create an employee of company working at branch"
    employee = create_employee(company, name)
    if branch:
        employee.branch = branch
        employee.save()
    return employee


def create_user(login, company, groups, employee=None, name=None):
    """Create a user of company in the groups (xml ids of microloan_core),
    acting as employee, named login unless name is given"""
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    user, = User.create([{
                'login': login,
                'name': name or login,
                'groups': [('add', [
                            ModelData.get_id('microloan_core', g)
                            for g in groups])],
                'companies': [('add', [company.id])],
                'company': company.id,
                'employees': [('add', [employee.id])] if employee else [],
                'employee': employee.id if employee else None,
                }])
    return user


def create_staff(company, login, name, group_xml_id, branch=None):
    """Create an employee name of branch and his user with the role
    group_xml_id; return both"""
    employee = create_officer(company, name, branch)
    user = create_user(login, company, [group_xml_id], employee, name=name)
    return user, employee


class as_user:
    """Act as user with his access rights and record rules checked:
    ``with as_user(user):``.  With preferences, the context is also the one
    his preferences give (company, employee, language), as in a session.

    ``set_user, check_access = as_user(user)`` gives the two context
    managers apart, for tests that enter them separately."""

    def __init__(self, user, preferences=False):
        self.user = user
        self.preferences = preferences
        self._stack = None

    def __iter__(self):
        if self.preferences:
            raise TypeError("a user's preferences need the user set first")
        transaction = Transaction()
        return iter((transaction.set_user(self.user.id),
                transaction.set_context(_check_access=True)))

    def __enter__(self):
        User = Pool().get('res.user')
        transaction = Transaction()
        self._stack = ExitStack()
        self._stack.enter_context(transaction.set_user(self.user.id))
        context = (User.get_preferences(context_only=True)
            if self.preferences else {})
        self._stack.enter_context(
            transaction.set_context(context, _check_access=True))
        return self.user

    def __exit__(self, *exc):
        stack, self._stack = self._stack, None
        return stack.__exit__(*exc)


@contextmanager
def refused(test, exception):
    """Assert the block raises exception and undo what it wrote, as the
    server does when a request fails (the test transaction goes on)"""
    transaction = Transaction()
    cursor = transaction.connection.cursor()
    cursor.execute('SAVEPOINT refused')
    with test.assertRaises(exception) as context:
        yield context
    cursor.execute('ROLLBACK TO SAVEPOINT refused')
    transaction.cache.clear()


def attach(record, name, data):
    "Attach the file name holding data to record"
    Attachment = Pool().get('ir.attachment')
    attachment, = Attachment.create([{
                'name': name,
                'resource': str(record),
                'type': 'data',
                'data': data,
                }])
    return attachment


def create_product(company, **values):
    "Create the loan product 个人消费贷 of company, updated with values"
    Product = Pool().get('microloan.product')
    product, = Product.create([dict({
                    'name': "个人消费贷",
                    'code': 'XF01',
                    'company': company.id,
                    'methods': ['equal_installment', 'equal_principal'],
                    'default_method': 'equal_installment',
                    'bases': ['month'],
                    'min_rate': Decimal('0.08'),
                    'max_rate': Decimal('0.18'),
                    'min_term': 3,
                    'max_term': 36,
                    'min_amount': Decimal('10000.00'),
                    'max_amount': Decimal('200000.00'),
                    }, **values)])
    return product


def create_line(company, party, amount, revolving=False, activate=True,
        **values):
    "Create a credit line of amount for party over 2026, active by default"
    CreditLine = Pool().get('microloan.credit_line')
    line, = CreditLine.create([dict({
                    'company': company.id,
                    'party': party.id,
                    'amount': amount,
                    'revolving': revolving,
                    'start_date': dt.date(2026, 1, 1),
                    'end_date': dt.date(2026, 12, 31),
                    }, **values)])
    if activate:
        CreditLine.activate([line])
    return CreditLine(line.id)


def create_application(company, borrower, product, **values):
    """Create a draft application of borrower under product on the worked
    example's terms (100,000.00 at 12 % for 12 months, equal installments,
    2026-01-31), values overriding them"""
    Application = Pool().get('microloan.application')
    application, = Application.create([dict({
                    'company': company.id,
                    'borrower': borrower.id,
                    'product': product.id,
                    'amount': Decimal('100000.00'),
                    'annual_rate': Decimal('0.12'),
                    'term_months': 12,
                    'method': 'equal_installment',
                    'basis': 'month',
                    'start_date': dt.date(2026, 1, 31),
                    'purpose': 'industry_commerce',
                    'guarantee_kind': 'credit',
                    }, **values)])
    return application


def create_contract(borrower, product, amount=Decimal('100000.00'),
        kind='single', **extra):
    """Create a draft contract of borrower under product on the worked
    example's terms (12 %, 12 months, equal installments, 2026-01-31)"""
    Contract = Pool().get('microloan.contract')
    contract, = Contract.create([Contract.values_from_terms(
                borrower, product, amount, Decimal('0.12'), 12,
                'equal_installment', 'month', dt.date(2026, 1, 31),
                kind=kind, **extra)])
    return contract


def create_loan(company, borrower=None, principal=None, **values):
    """Create a draft loan of company on the terms of the worked example of
    docs/schedule-rules.md (100,000.00 at 12 % over 12 months from
    2026-01-31, equal installments) updated with values.  borrower is a
    party or its id; a new party 孙建国 when None."""
    pool = Pool()
    Loan = pool.get('microloan.loan')
    Party = pool.get('party.party')
    if borrower is None:
        borrower, = Party.create([{'name': "孙建国"}])
    terms = {
        'company': company.id,
        'borrower': getattr(borrower, 'id', borrower),
        'principal': (
            Decimal('100000.00') if principal is None else principal),
        'annual_rate': Decimal('0.12'),
        'start_date': dt.date(2026, 1, 31),
        'term_months': 12,
        'method': 'equal_installment',
        'basis': 'month',
        }
    terms.update(values)
    loan, = Loan.create([terms])
    return loan


def post(loan, kind, date=dt.date(2026, 1, 31), **portions):
    "Post one transaction of kind on loan whose amount sums its portions"
    LoanTransaction = Pool().get('microloan.loan.transaction')
    values = {
        'loan': loan.id,
        'date': date,
        'kind': kind,
        'amount': sum(portions.values(), Decimal(0)),
        }
    values.update(portions)
    transaction, = LoanTransaction.post([values])
    return transaction


def create_fund_account(company, **values):
    """Create the bank account 工行基本户 of company that loans are paid
    from and repayments come into, updated with values"""
    FundAccount = Pool().get('microloan.fund_account')
    account, = FundAccount.create([dict({
                    'company': company.id,
                    'name': "工行基本户",
                    'kind': 'bank',
                    'bank_name': "中国工商银行北京西城支行",
                    'account_number': '0200001009014412345',
                    'currency': company.currency.id,
                    }, **values)])
    return account


def disburse(loan):
    """Disburse the draft loan on its value date, its schedule computed:
    the loan is active; return it read again"""
    Loan = Pool().get('microloan.loan')
    Loan.compute_schedule([loan])
    Loan.write([loan], {'state': 'disbursing'})
    post(loan, 'disbursement', loan.start_date, principal=loan.principal)
    return Loan(loan.id)
