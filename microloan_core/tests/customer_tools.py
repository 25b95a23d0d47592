# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Builders of customers, branches and staff shared by the module's tests"
from stdnum.cn import ric as stdnum_ric

from trytond.modules.company.tests import create_employee
from trytond.pool import Pool


def ric(body):
    "Return the resident ID (GB 11643) of a 17-digit body with its check"
    # calc_check_digit ignores the last character of what it is given
    return body + stdnum_ric.calc_check_digit(body + '0')


# Valid unified social credit codes (GB 32100)
USCC = ['91110000600037341L', '9131000013220921X6', '9144030019217630XP',
    '9151010073659428X6']


def create_individual(name, ric_body, **values):
    "Create an individual customer with a valid resident ID"
    Party = Pool().get('party.party')
    party, = Party.create([dict({
                    'name': name,
                    'customer_kind': 'individual',
                    'identifiers': [('create', [{
                                    'type': 'cn_ric',
                                    'code': ric(ric_body)}])],
                    }, **values)])
    return party


def create_enterprise(name, uscc, **values):
    "Create an enterprise customer with its unified social credit code"
    Party = Pool().get('party.party')
    party, = Party.create([dict({
                    'name': name,
                    'customer_kind': 'enterprise',
                    'identifiers': [('create', [{
                                    'type': 'cn_vat', 'code': uscc}])],
                    }, **values)])
    return party


def create_branch(company, name, code):
    Branch = Pool().get('microloan.branch')
    branch, = Branch.create([{
                'name': name, 'code': code, 'company': company.id}])
    return branch


def create_staff(company, login, name, group_xml_id, branch=None):
    "Create a user with an employee of branch and the role group_xml_id"
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    Employee = pool.get('company.employee')
    employee = create_employee(company, name)
    if branch:
        Employee.write([employee], {'branch': branch.id})
    user, = User.create([{
                'login': login,
                'name': name,
                'companies': [('add', [company.id])],
                'company': company.id,
                'employees': [('add', [employee.id])],
                'employee': employee.id,
                'groups': [('add', [
                            ModelData.get_id('microloan_core', group_xml_id)])],
                }])
    return user, employee
