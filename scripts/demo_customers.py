# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Demo customer files of scripts/setup_demo.py: branches, staff branches,
customers of two loan officers in two branches, their relationships,
profiles, statements, ratings, watch lists, credit lines, materials and
visits.

Every step looks for what an earlier run made before it creates anything.
"""
import datetime as dt
from decimal import Decimal

from proteus import Model
from stdnum.cn import ric as stdnum_ric

# code, name
BRANCHES = [
    ('01', '总部营业部'),
    ('02', '城东支行'),
    ]
# login -> branch code; the branch manager manages the branch
STAFF_BRANCHES = {
    'loan_officer': '01',
    'loan_officer_east': '02',
    'branch_manager': '02',
    # head-office deciders: the loan committee has members of both branches
    'approver': '01',
    'accountant': '01',
    }
BRANCH_MANAGERS = {'02': 'branch_manager'}

# name, kind, resident ID body (17 digits) or USCC, officer login
CUSTOMERS = [
    ('孙建国', 'individual', '11010519800312001', 'loan_officer'),
    ('周晓梅', 'individual', '32010219850721002', 'loan_officer'),
    ('吴海峰', 'individual', '31010119790105003', 'loan_officer'),
    ('郑丽华', 'individual', '51010719910916004', 'loan_officer'),
    ('马志远', 'individual', '33010619870228005', 'loan_officer'),
    ('陈立新', 'individual', '44030519830614006', 'loan_officer_east'),
    ('钱芳', 'sole_trader', '44030419900302008', 'loan_officer_east'),
    ('江南机电设备有限公司', 'enterprise', '9144030019217630XP',
        'loan_officer_east'),
    ('黄伟', 'individual', '44030019760508003', 'loan_officer_east'),
    ]

# name -> mobile, (province of address.xml, city, district, detailed
# address, postcode)
CONTACTS = {
    '孙建国': ('13801012345', ('bj', '北京市', '朝阳区', '建国路 88 号 3 单元 502 室',
            '100022')),
    '周晓梅': ('13805123456', ('js', '南京市', '玄武区', '中山路 18 号', '210018')),
    '吴海峰': ('13901789012', ('sh', '上海市', '黄浦区', '南京东路 200 号',
            '200001')),
    '郑丽华': ('13908012345', ('sc', '成都市', '武侯区', '人民南路四段 9 号',
            '610041')),
    '马志远': ('13906712345', ('zj', '杭州市', '西湖区', '文三路 90 号', '310012')),
    '陈立新': ('13902234567', ('gd', '深圳市', '南山区', '科技园南路 6 号',
            '518057')),
    '钱芳': ('13923456789', ('gd', '深圳市', '福田区', '华强北路 12 号', '518031')),
    '江南机电设备有限公司': ('13825678901', ('gd', '深圳市', '宝安区',
            '福永街道机电产业园 6 栋', '518103')),
    '黄伟': ('13712345678', ('gd', '深圳市', '罗湖区', '东门中路 1 号', '518001')),
    }

# The individual profiles (party_individual.py fields)
PROFILES = {
    '孙建国': {
        'marital_status': 'married', 'education': 'bachelor',
        'degree': 'bachelor', 'health': 'good', 'political_status': 'masses',
        'nation': '汉族', 'hukou_kind': 'non_agricultural',
        'household_registration': '北京市朝阳区建国路 88 号',
        'residence_status': 'owned', 'residence_since': dt.date(2012, 6, 1),
        'occupation': '部门经理', 'employer': '北京华远商贸有限公司',
        'unit_nature': 'private', 'position': '销售部经理',
        'professional_title': 'intermediate',
        'employed_since': dt.date(2016, 3, 1),
        'main_income_source': 'salary',
        'monthly_income': Decimal('18000.00'),
        'monthly_family_income': Decimal('30000.00'),
        'monthly_family_expenses': Decimal('14000.00'),
        'family_size': 3, 'dependants': 1,
        },
    '钱芳': {
        'marital_status': 'married', 'education': 'senior_high',
        'health': 'good', 'nation': '汉族', 'residence_status': 'rented',
        'main_income_source': 'business',
        'monthly_income': Decimal('25000.00'),
        'monthly_family_income': Decimal('32000.00'),
        'monthly_family_expenses': Decimal('15000.00'),
        'family_size': 4, 'dependants': 2,
        },
    }
# customer -> (relation, name, resident ID body, phone)
FAMILY = {
    '孙建国': [
        ('spouse', '周晓梅', '32010219850721002', '13800138002'),
        ('son', '孙小宇', '11010520120905003', None),
        ],
    }
SHOPS = {
    '钱芳': {
        'name': '钱记五金建材店', 'registered_capital': Decimal('300000.00'),
        'scale': 6, 'address': '深圳市福田区华强北路 12 号',
        'licence_number': '440304600123456',
        'registration_date': dt.date(2015, 4, 8),
        'last_annual_check_date': dt.date(2025, 6, 30),
        'basic_account_number': '6222 0240 0001 2345 678',
        'basic_account_bank': '中国工商银行深圳华强支行',
        'monthly_revenue': Decimal('180000.00'),
        },
    }
ENTERPRISE = ('江南机电设备有限公司', {
        'registered_capital': Decimal('5000000.00'),
        'paid_in_capital': Decimal('5000000.00'),
        'founding_date': dt.date(2015, 6, 1),
        'employees_count': 85, 'enterprise_scale': 'small',
        'registered_address': '深圳市宝安区福永街道机电产业园 6 栋',
        'business_scope': '机电设备、五金配件的生产与销售。',
        })
# shareholder customer, share %, contribution
SHAREHOLDERS = [
    ('陈立新', Decimal('70'), Decimal('3500000.00')),
    ('孙建国', Decimal('30'), Decimal('1500000.00')),
    ]
# period end, item -> amount (the balance sheet balances)
STATEMENTS = [
    (dt.date(2024, 12, 31), {
            'receivables': '1300000.00', 'inventory': '1800000.00',
            'total_current_assets': '4200000.00',
            'total_assets': '7000000.00',
            'total_current_liabilities': '2800000.00',
            'total_liabilities': '4460000.00', 'equity': '2540000.00',
            'revenue': '10000000.00', 'net_profit': '520000.00',
            }),
    (dt.date(2025, 12, 31), {
            'cash': '1200000.00', 'receivables': '1500000.00',
            'inventory': '2000000.00', 'other_current_assets': '300000.00',
            'total_current_assets': '5000000.00',
            'fixed_assets': '3000000.00', 'total_assets': '8000000.00',
            'short_term_borrowings': '1500000.00', 'payables': '1000000.00',
            'total_current_liabilities': '3000000.00',
            'long_term_borrowings': '1800000.00',
            'total_liabilities': '4800000.00', 'equity': '3200000.00',
            'revenue': '12000000.00', 'cost_of_sales': '9000000.00',
            'operating_profit': '900000.00',
            'financial_expenses': '250000.00',
            'interest_expense': '200000.00', 'total_profit': '880000.00',
            'net_profit': '660000.00', 'operating_cash_flow': '700000.00',
            }),
    ]
# customer, score card, rating date, qualitative item -> score (xml ids
# microloan_core.rating_scorecard_<card>_<item>)
RATINGS = [
    ('江南机电设备有限公司', 'enterprise', dt.date(2026, 3, 31), {
            'management': Decimal('8'),
            'industry_outlook': Decimal('6.5'),
            'credit_history': Decimal('9'),
            }),
    ]
# customer, amount, start, end, revolving
CREDIT_LINES = [
    ('孙建国', Decimal('500000.00'), dt.date(2026, 1, 1),
        dt.date(2027, 12, 31), True),
    ('江南机电设备有限公司', Decimal('2000000.00'), dt.date(2026, 4, 1),
        dt.date(2027, 3, 31), False),
    ]
# customer, list, reason
WATCH = [
    ('马志远', 'vip', '存款大户，五年无逾期'),
    ('陈立新', 'potential', '有扩大经营的贷款需求'),
    ('黄伟', 'blacklist', '2024 年两笔贷款恶意拖欠，已诉讼'),
    ]

# from, relation type code (microloan_core.relation_type_<code>), to
RELATIONS = [
    ('孙建国', 'spouse', '周晓梅'),
    ('孙建国', 'shareholder', '江南机电设备有限公司'),
    ('陈立新', 'legal_representative', '江南机电设备有限公司'),
    ('钱芳', 'guarantor', '陈立新'),
    ]


def ric(body):
    "Return the resident ID (GB 11643) of a 17-digit body with its check"
    # calc_check_digit ignores the last character of what it is given
    return body + stdnum_ric.calc_check_digit(body + '0')


def ensure_branches(company, ref_id):
    "Create the branches and put the staff in them"
    Branch = Model.get('microloan.branch')
    User = Model.get('res.user')
    branches = {}
    for code, name in BRANCHES:
        found = Branch.find([('code', '=', code)])
        if found:
            branch, = found
        else:
            branch = Branch(code=code, name=name, company=company)
            branch.save()
        branches[code] = branch
    for login, code in STAFF_BRANCHES.items():
        user, = User.find([('login', '=', login)])
        employee = user.employee
        if employee.branch != branches[code]:
            employee.branch = branches[code]
            employee.save()
    for code, login in BRANCH_MANAGERS.items():
        user, = User.find([('login', '=', login)])
        branch = branches[code]
        if branch.manager != user.employee:
            branch.manager = user.employee
            branch.save()
    return branches


def officer(login):
    user, = Model.get('res.user').find([('login', '=', login)])
    return user.employee


def ensure_customers():
    "Create the customer files; return them by name"
    Party = Model.get('party.party')
    customers = {}
    for name, kind, identity, login in CUSTOMERS:
        found = Party.find([('name', '=', name)])
        if found:
            party, = found
        else:
            employee = officer(login)
            party = Party(name=name, customer_kind=kind,
                loan_officer=employee, branch=employee.branch)
            identifier = party.identifiers.new()
            if kind == 'enterprise':
                identifier.type = 'cn_vat'
                identifier.code = identity
            else:
                identifier.type = 'cn_ric'
                identifier.code = ric(identity)
            party.save()
        customers[name] = party
    return customers


def ensure_contacts(customers, ref_id):
    "Give each customer his mobile and his address in Chinese form"
    Subdivision = Model.get('country.subdivision')
    Country = Model.get('country.country')
    china = Country(ref_id('microloan_core.country_cn'))
    for name, (mobile, place) in CONTACTS.items():
        party = customers[name]
        if party.contact_mechanisms:
            continue
        party.contact_mechanisms.new(type='mobile', value=mobile)
        province, city, district, street, postcode = place
        address = (party.addresses[0] if party.addresses
            else party.addresses.new())
        address.country = china
        address.subdivision = Subdivision(
            ref_id('microloan_core.subdivision_cn_' + province))
        address.city = city
        address.district = district
        address.street = street
        address.postal_code = postcode
        party.save()


def ensure_relations(customers, ref_id):
    Relation = Model.get('microloan.party.relation')
    RelationType = Model.get('microloan.party.relation.type')
    for from_, code, to in RELATIONS:
        type_ = RelationType(ref_id('microloan_core.relation_type_' + code))
        if Relation.find([
                    ('from_', '=', customers[from_].id),
                    ('to', '=', customers[to].id),
                    ('type', '=', type_.id),
                    ]):
            continue
        Relation(from_=customers[from_], type=type_,
            to=customers[to]).save()


def ensure_profiles(customers, ref_id):
    "Fill the individual profiles, families, shops and the enterprise"
    for name, values in PROFILES.items():
        party = customers[name]
        if party.marital_status:
            continue
        for field, value in values.items():
            setattr(party, field, value)
        for relation, member, body, phone in FAMILY.get(name, []):
            row = party.family_members.new()
            row.relation = relation
            row.name = member
            row.id_number = ric(body)
            row.phone = phone
        party.save()
    for name, values in SHOPS.items():
        party = customers[name]
        if not party.shops:
            shop = party.shops.new()
            for field, value in values.items():
                setattr(shop, field, value)
            party.save()
    name, values = ENTERPRISE
    firm = customers[name]
    if not firm.registered_capital:
        for field, value in values.items():
            setattr(firm, field, value)
        firm.legal_representative = customers['陈立新']
        firm.industry = Model.get('microloan.industry')(
            ref_id('microloan_core.industry_c'))
        for holder, share, contribution in SHAREHOLDERS:
            row = firm.shareholders.new()
            row.shareholder = customers[holder]
            row.kind = 'natural'
            row.share = share
            row.contribution = contribution
        firm.save()


def ensure_statements(customers):
    Statement = Model.get('microloan.party.financial_statement')
    firm = customers[ENTERPRISE[0]]
    for period_end, amounts in STATEMENTS:
        if Statement.find([
                    ('party', '=', firm.id),
                    ('period_end', '=', period_end)]):
            continue
        statement = Statement(party=firm, period_kind='annual',
            period_end=period_end, audited=True, auditor='深圳华信会计师事务所')
        for item, amount in amounts.items():
            line = statement.lines.new()
            line.item = item
            line.amount = Decimal(amount)
        statement.save()
        statement.click('confirm')


def as_user(config, login):
    "Make the proteus configuration act as the user of login"
    User = Model.get('res.user')
    user, = User.find([('login', '=', login)])
    config.user = user.id
    config._context = User.get_preferences(True, {})


def ensure_ratings(config, customers, ref_id):
    "Ratings computed by the officer and confirmed by the risk officer"
    Rating = Model.get('microloan.rating')
    Scorecard = Model.get('microloan.rating.scorecard')
    admin = config.user
    for name, card, date, scores in RATINGS:
        party = customers[name]
        if Rating.find([('party', '=', party.id), ('date', '=', date)]):
            continue
        prefix = 'microloan_core.rating_scorecard_%s' % card
        scores = {ref_id('%s_%s' % (prefix, item)): score
            for item, score in scores.items()}
        as_user(config, 'loan_officer_east')
        rating = Rating(party=party.id, scorecard=Scorecard(ref_id(prefix)),
            date=date)
        rating.save()
        rating.click('compute')
        for line in rating.lines:
            if line.item.id in scores:
                line.score = scores[line.item.id]
        rating.save()
        as_user(config, 'risk_officer')
        rating.click('confirm')
    config.user = admin
    config._context = Model.get('res.user').get_preferences(True, {})


def ensure_credit_lines(customers):
    CreditLine = Model.get('microloan.credit_line')
    for name, amount, start, end, revolving in CREDIT_LINES:
        party = customers[name]
        if CreditLine.find([('party', '=', party.id)]):
            continue
        line = CreditLine(party=party, amount=amount, start_date=start,
            end_date=end, revolving=revolving)
        line.save()
        line.click('activate')


def ensure_watch_lists(customers):
    Watch = Model.get('microloan.party.watch')
    for name, list_, reason in WATCH:
        party = customers[name]
        if Watch.find([('party', '=', party.id), ('list', '=', list_)]):
            continue
        Watch(party=party, list=list_, reason=reason,
            start_date=dt.date(2026, 1, 1)).save()


def ensure_materials(customers):
    "The checklists of the enterprise and of 孙建国, two pieces received"
    Party = Model.get('party.party')
    parties = [customers['孙建国'], customers[ENTERPRISE[0]]]
    if any(p.materials for p in parties):
        return
    Party.click(parties, 'generate_materials')
    for material in Party(customers['孙建国'].id).materials[:2]:
        material.click('receive')


def ensure_visits(company, customers):
    Visit = Model.get('microloan.visit')
    MarketingVisit = Model.get('microloan.marketing_visit')
    if not Visit.find([]):
        visit = Visit(visitor_name='林志明', phone='13912345678',
            purpose='loan_enquiry', requested_amount=Decimal('200000.00'),
            received_by=officer('loan_officer'),
            result='咨询经营贷款，约定下周携带材料再来。')
        visit.save()
    if not MarketingVisit.find([]):
        visit = MarketingVisit(
            planned_date=dt.date(2026, 12, 2),
            officer=officer('loan_officer_east'),
            party=customers[ENTERPRISE[0]],
            location='深圳市宝安区福永街道机电产业园',
            purpose='贷后回访并了解新增设备采购计划')
        visit.save()


# customer -> (bank and branch, account number) the loans are paid to
BANK_ACCOUNTS = {
    '孙建国': ('中国工商银行北京海淀支行', '6222020200112345671'),
    '马志远': ('中国建设银行杭州西湖支行', '6217001540012345678'),
    '陈立新': ('招商银行深圳福田支行', '6225880155123456'),
    }


def ensure_bank_accounts(customers):
    "The customers' accounts for their loans (party_bank.py)"
    Party = Model.get('party.party')
    for name, (bank, number) in BANK_ACCOUNTS.items():
        party = Party(customers[name].id)
        if not party.bank_account_number:
            party.bank_account_bank = bank
            party.bank_account_number = number
            party.save()


def ensure(config, company, ref_id):
    "Create the demo customer files; return the customers by name"
    ensure_branches(company, ref_id)
    customers = ensure_customers()
    ensure_contacts(customers, ref_id)
    ensure_relations(customers, ref_id)
    ensure_profiles(customers, ref_id)
    ensure_bank_accounts(customers)
    ensure_statements(customers)
    ensure_ratings(config, customers, ref_id)
    ensure_credit_lines(customers)
    ensure_watch_lists(customers)
    ensure_materials(customers)
    ensure_visits(company, customers)
    return customers
