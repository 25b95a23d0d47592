# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Demo customer files of scripts/setup_demo.py: branches, staff branches,
customers of two loan officers in two branches and their relationships.

Every step looks for what an earlier run made before it creates anything.
"""
from proteus import Model

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
    ]

# from, relation type code (microloan_core.relation_type_<code>), to
RELATIONS = [
    ('孙建国', 'spouse', '周晓梅'),
    ('孙建国', 'shareholder', '江南机电设备有限公司'),
    ('陈立新', 'legal_representative', '江南机电设备有限公司'),
    ('钱芳', 'guarantor', '陈立新'),
    ]


def ric(body):
    "Return the resident ID number (GB 11643) with its check character"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(c) * w for c, w in zip(body, weights))
    return body + '10X98765432'[total % 11]


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


def ensure(company, ref_id):
    "Create the demo customer files; return the customers by name"
    ensure_branches(company, ref_id)
    customers = ensure_customers()
    ensure_relations(customers, ref_id)
    return customers
