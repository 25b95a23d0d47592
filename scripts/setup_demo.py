#!/usr/bin/env python3
# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Create (or bring up to date) the demo database of the microloan suite.

Run through ``make setup`` / ``make run``; every step looks for what an
earlier run made before it creates anything, so running it again neither
fails nor duplicates data.

Steps: initialise the database, activate the suite with its host
dependencies, load zh_CN and en, create the demo company (CNY, a fiscal year
with monthly periods), one user per role, the demo loans and their life in
the ledger (demo_ledger.py).
"""
import argparse
import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import demo_customers  # noqa: E402
import demo_ledger  # noqa: E402
import demo_origination  # noqa: E402
import demo_servicing  # noqa: E402

SUITE_MODULES = ['microloan_core', 'microloan_accounting']
# Host modules activated beside the suite for the demo: the fiscal year.
DEMO_HOST_MODULES = ['account']
LANGUAGES = ['zh_CN', 'en']
ADMIN_PASSWORD = 'admin-demo-2026'
COMPANY_NAME = '华信小额贷款股份有限公司'
COMPANY_USCC = '91330106MA2H3K5R7P'
COMPANY_ADDRESS = '杭州市西湖区文三路 90 号'
COMPANY_PHONE = '0571-88886666'

# login, name, role groups (module.xml_id), password
USERS = [
    ('loan_officer', '王敏', ['microloan_core.group_loan_officer'],
        'officer-demo-2026'),
    ('loan_officer_east', '赵刚', ['microloan_core.group_loan_officer'],
        'officer-east-demo-2026'),
    ('risk_officer', '李强', ['microloan_core.group_risk_officer'],
        'risk-demo-2026'),
    ('approver', '张伟', ['microloan_core.group_approver'],
        'approver-demo-2026'),
    ('branch_manager', '刘洋', ['microloan_core.group_branch_manager'],
        'manager-demo-2026'),
    ('accountant', '陈静', [
            'microloan_core.group_accountant', 'account.group_account'],
        'accountant-demo-2026'),
    # the second accountant: each reviews (审核) the vouchers the other
    # prepared
    ('accountant_review', '孙悦', [
            'microloan_core.group_accountant', 'account.group_account'],
        'review-demo-2026'),
    ('cashier', '赵丽', ['microloan_core.group_cashier'],
        'cashier-demo-2026'),
    ]

# code, name, methods, bases, rates, terms, amounts, fees (kind, computation,
# amount or rate, charged)
PRODUCTS = [
    ('XF01', '个人消费贷', ['equal_installment', 'equal_principal'],
        ['month'], ('0.080000', '0.180000'), (3, 36),
        ('10000.00', '200000.00'),
        [('service', 'percentage', '0.010000', 'disbursement')]),
    ('JY01', '个体经营贷', ['interest_monthly', 'equal_installment',
            'interest_quarterly', 'bullet'],
        ['month', 'day'], ('0.060000', '0.180000'), (1, 24),
        ('50000.00', '1000000.00'),
        [('review', 'fixed', '500.00', 'signing'),
            ('handling', 'percentage', '0.005000', 'disbursement')]),
    ('QY01', '小微企业流动资金贷', ['interest_monthly', 'interest_quarterly',
            'free', 'interest_upfront'],
        ['day'], ('0.060000', '0.150000'), (3, 12),
        ('100000.00', '3000000.00'),
        [('review', 'percentage', '0.003000', 'signing')]),
    ]

# code: the product's kind and what its applications need complete first
# (investigation, signed materials before submission; the risk assessment
# before approval); a consumer loan is lighter than a business one
PRODUCT_RULES = {
    'XF01': ('consumer', []),
    'JY01': ('business', ['require_investigation', 'require_materials',
            'require_risk_assessment']),
    'QY01': ('business', ['require_investigation', 'require_materials']),
    }

# the borrowers of the demo loans: customers of 王敏 (demo_customers.py)
BORROWERS = [
    c[:3:2] for c in demo_customers.CUSTOMERS
    if c[3] == 'loan_officer']

# borrower index, principal, rate, start, term, method, basis, plan
LOANS = [
    (0, '100000.00', '0.120000', dt.date(2026, 1, 31), 12,
        'equal_installment', 'month', None),
    (1, '100000.00', '0.120000', dt.date(2026, 1, 31), 12,
        'equal_principal', 'month', None),
    (2, '200000.00', '0.150000', dt.date(2026, 3, 15), 6,
        'interest_monthly', 'month', None),
    (3, '300000.00', '0.135000', dt.date(2026, 2, 10), 12,
        'interest_quarterly', 'day', None),
    (4, '50000.00', '0.180000', dt.date(2026, 4, 1), 3, 'bullet', 'day',
        None),
    (0, '80000.00', '0.144000', dt.date(2026, 5, 20), 6,
        'interest_upfront', 'month', None),
    (2, '150000.00', '0.120000', dt.date(2026, 6, 1), 0, 'free', 'day', [
            (dt.date(2026, 9, 1), '50000.00'),
            (dt.date(2026, 12, 1), '50000.00'),
            (dt.date(2027, 3, 1), '50000.00')]),
    (3, '60000.00', '0.120000', dt.date(2026, 3, 10), 12,
        'equal_installment', 'month', None),
    (4, '120000.00', '0.132000', dt.date(2026, 3, 20), 12,
        'equal_installment', 'month', None),
    ]


def admin(*args):
    "Run trytond-admin of this environment"
    trytond_admin = os.path.join(os.path.dirname(sys.executable), 'trytond-admin')
    subprocess.run([sys.executable, trytond_admin, *args], check=True)


def initialise(database, path):
    "Create the database, activate the modules and load the languages"
    from trytond import config
    if config.get('database', 'uri').startswith('sqlite'):
        os.makedirs(path, exist_ok=True)
        db_file = os.path.join(path, database + '.sqlite')
        if not os.path.exists(db_file):
            open(db_file, 'a').close()
    else:
        create_postgresql(database)
    if not initialised(database):
        passfile = os.path.join(path, '.admin-password')
        os.makedirs(path, exist_ok=True)
        with open(passfile, 'w') as fp:
            fp.write(ADMIN_PASSWORD)
        os.environ['TRYTONPASSFILE'] = passfile
        admin('-d', database, '--all', '--email', 'admin@example.com')
    # -u before --all: the suite is activated (with its host dependencies)
    # and every activated module is updated with both languages loaded.
    admin('-d', database, '-u', *SUITE_MODULES, *DEMO_HOST_MODULES,
        '--all', '--activate-dependencies', '-l', *LANGUAGES)


def initialised(database):
    "Tell whether trytond has initialised the database"
    from trytond import backend
    database = backend.Database(database).connect()
    try:
        return database.test()
    finally:
        database.close()


def create_postgresql(database):
    "Create the PostgreSQL database if the server does not have it yet"
    from trytond.transaction import Transaction
    with Transaction().start(
            None, 0, close=True, autocommit=True) as transaction:
        if database not in transaction.database.list():
            transaction.database.create(transaction.connection, database)


def ref_id(database, xml_id):
    "Return the id of the record of xml_id (module.fs_id)"
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    module, fs_id = xml_id.split('.')
    with Transaction().start(database, 0, readonly=True):
        return Pool().get('ir.model.data').get_id(module, fs_id)


def demo(database):
    from proteus import Model
    from proteus import config as pconfig
    config = pconfig.set_trytond(database)

    company = ensure_company(config)
    ensure_fiscal_year(config, company, dt.date.today().year)
    ensure_fiscal_year(config, company, 2026)
    ensure_users(database, company)
    config._context = Model.get('res.user').get_preferences(True, {})
    customers = demo_customers.ensure(
        config, company, lambda xml_id: ref_id(database, xml_id))
    ensure_products(company)
    ensure_loans(config, company, customers)
    demo_origination.ensure(
        config, company, customers, lambda xml_id: ref_id(database, xml_id))
    demo_servicing.ensure(config)
    demo_ledger.ensure(
        config, company, lambda xml_id: ref_id(database, xml_id))


def ensure_company(config):
    from proteus import Model, Wizard
    Company = Model.get('company.company')
    Party = Model.get('party.party')
    Currency = Model.get('currency.currency')
    companies = Company.find([('party.name', '=', COMPANY_NAME)])
    if companies:
        return companies[0]
    cny = Currency.find([('code', '=', 'CNY')])
    if cny:
        cny, = cny
    else:
        cny = Currency(
            name='人民币', code='CNY', symbol='¥', rounding=Decimal('0.01'),
            digits=2)
        cny.save()
    party = Party(name=COMPANY_NAME)
    # what the prints show of the lender (printing.party_details)
    identifier = party.identifiers.new()
    identifier.type = 'cn_vat'  # the USCC, as the suite files it
    identifier.code = COMPANY_USCC
    address, = party.addresses or [party.addresses.new()]
    address.street = COMPANY_ADDRESS
    phone = party.contact_mechanisms.new()
    phone.type = 'phone'
    phone.value = COMPANY_PHONE
    party.save()
    company_config = Wizard('company.company.config')
    company_config.execute('company')
    form = company_config.form
    form.party = party
    form.currency = cny
    form.timezone = 'Asia/Shanghai'
    company_config.execute('add')
    config._context = Model.get('res.user').get_preferences(True, {})
    company, = Company.find([('party.name', '=', COMPANY_NAME)])
    return company


def ensure_fiscal_year(config, company, year):
    from proteus import Model
    FiscalYear = Model.get('account.fiscalyear')
    SequenceStrict = Model.get('ir.sequence.strict')
    SequenceType = Model.get('ir.sequence.type')
    name = str(year)
    if FiscalYear.find([('name', '=', name), ('company', '=', company.id)]):
        return
    sequence_type, = SequenceType.find([('name', '=', 'Account Move')])
    sequence = SequenceStrict(
        name='%s 凭证号' % name, sequence_type=sequence_type,
        company=company)
    sequence.save()
    fiscalyear = FiscalYear(
        name=name, company=company,
        start_date=dt.date(year, 1, 1), end_date=dt.date(year, 12, 31),
        move_sequence=sequence)
    if 'invoice_sequences' in FiscalYear._fields:
        # account_invoice (a dependency of microloan_accounting's host
        # modules) numbers the invoices of the year
        invoice_type, = SequenceType.find([('name', '=', 'Invoice')])
        invoice_sequence = SequenceStrict(
            name='%s 发票号' % name, sequence_type=invoice_type,
            company=company)
        invoice_sequence.save()
        numbering, = fiscalyear.invoice_sequences or [
            fiscalyear.invoice_sequences.new()]
        for kind in ['out_invoice', 'in_invoice', 'out_credit_note',
                'in_credit_note']:
            setattr(numbering, '%s_sequence' % kind, invoice_sequence)
    fiscalyear.save()
    fiscalyear.click('create_period')


def ensure_users(database, company):
    from proteus import Model
    User = Model.get('res.user')
    Employee = Model.get('company.employee')
    Party = Model.get('party.party')
    Lang = Model.get('ir.lang')
    zh, = Lang.find([('code', '=', 'zh_CN')])

    admin_user, = User.find([('login', '=', 'admin')])
    if admin_user.language != zh:
        admin_user.language = zh
        admin_user.save()

    for login, name, groups, password in USERS:
        if User.find([('login', '=', login)]):
            continue
        party = Party(name=name)
        party.save()
        employee = Employee(party=party, company=company)
        employee.save()
        user = User(login=login, name=name, language=zh, password=password)
        user.companies.append(Model.get('company.company')(company.id))
        user.company = Model.get('company.company')(company.id)
        user.employees.append(Employee(employee.id))
        user.employee = Employee(employee.id)
        for xml_id in groups:
            user.groups.append(
                Model.get('res.group')(ref_id(database, xml_id)))
        user.save()


def ensure_products(company):
    from proteus import Model
    Product = Model.get('microloan.product')
    for (code, name, methods, bases, rates, terms, amounts,
            fees) in PRODUCTS:
        if Product.find([('code', '=', code)]):
            continue
        product = Product(code=code, name=name, company=company,
            methods=methods, default_method=methods[0], bases=bases,
            min_rate=Decimal(rates[0]), max_rate=Decimal(rates[1]),
            min_term=terms[0], max_term=terms[1],
            min_amount=Decimal(amounts[0]), max_amount=Decimal(amounts[1]))
        product.kind, required = PRODUCT_RULES[code]
        for name in required:
            setattr(product, name, True)
        for kind, computation, value, charged in fees:
            fee = product.fees.new(kind=kind, computation=computation,
                charged=charged)
            if computation == 'fixed':
                fee.amount = Decimal(value)
            else:
                fee.rate = Decimal(value)
        product.save()


def ensure_loans(config, company, customers):
    from proteus import Model
    Loan = Model.get('microloan.loan')

    borrowers = [customers[name] for name, _ in BORROWERS]

    for (index, principal, rate, start, term, method, basis,
            plan) in LOANS:
        borrower = borrowers[index]
        if Loan.find([
                    ('borrower', '=', borrower.id),
                    ('start_date', '=', start),
                    ('method', '=', method),
                    ]):
            continue
        loan = Loan(
            company=company, borrower=borrower,
            principal=Decimal(principal), annual_rate=Decimal(rate),
            start_date=start, method=method, basis=basis)
        if plan:
            for date, amount in plan:
                line = loan.plan_lines.new()
                line.date = date
                line.amount = Decimal(amount)
        else:
            loan.term_months = term
        loan.save()
        loan.click('compute_schedule')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-d', '--database', default='microloan')
    parser.add_argument(
        '--path', default=os.environ.get('TRYTOND_DATABASE__PATH', 'var'))
    args = parser.parse_args()
    initialise(args.database, args.path)
    demo(args.database)
    print()
    print('Demo database "%s" is ready. Demo logins (user / password):'
        % args.database)
    print('  %-18s %s   (administrator)' % ('admin', ADMIN_PASSWORD))
    for login, name, _, password in USERS:
        print('  %-18s %s   (%s)' % (login, password, name))


if __name__ == '__main__':
    main()
