# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Origination steps done over JSON-RPC as the demo users, where a test
needs a document at a given stage before its own steps (through the
screens or not): an application filed and submitted, decided."""
import datetime as dt

from .conftest import rpc
from .demo import setup_demo
from .test_rpc import _login

PASSWORDS = {login: password for login, _, _, password in setup_demo.USERS}
PASSWORDS['admin'] = setup_demo.ADMIN_PASSWORD


def call(server, login, method, *args):
    "Call method with args as the demo user login (his context last)"
    session, context = _login(server, login, PASSWORDS[login])
    return rpc(server, method, [*args, context], session=session)


def _date(value):
    return {'__class__': 'date', 'year': value.year, 'month': value.month,
        'day': value.day}


def submit_application(server, login, customer, code, amount, term=12,
        method='equal_installment', basis='month'):
    """The officer login files an application of his customer for amount
    under the product code, investigated three days ago by him and the
    branch manager (the demo's business products require it), and submits
    it; return its id, number and approval request (with its current
    step)"""
    borrower, = call(server, login, 'model.party.party.search',
        [('name', '=', customer)], 0, None, None)
    product, = call(server, login, 'model.microloan.product.search',
        [('code', '=', code)], 0, None, None)
    employee = call(server, login, 'model.res.user.get_preferences',
        True)['employee']
    manager, = call(server, login, 'model.company.employee.search',
        [('party.name', '=', '刘洋')], 0, 1, None)
    today = dt.date.today()
    application, = call(server, login,
        'model.microloan.application.create', [{
                'investigator_a': employee,
                'investigator_b': manager,
                'investigation_date': _date(today - dt.timedelta(days=3)),
                'investigation_report': '实地走访，经营正常。',
                'borrower': borrower,
                'product': product,
                'amount': {'__class__': 'Decimal', 'decimal': amount},
                'annual_rate': {'__class__': 'Decimal',
                    'decimal': '0.120000'},
                'term_months': term,
                'method': method,
                'basis': basis,
                'start_date': _date(today + dt.timedelta(days=20)),
                'purpose': 'industry_commerce',
                'guarantee_kind': 'credit',
                }])
    call(server, login, 'model.microloan.application.submit', [application])
    number, = call(server, login, 'model.microloan.application.read',
        [application], ['number'])
    request, = call(server, login,
        'model.microloan.approval.request.search_read',
        [('document', '=', 'microloan.application,%s' % application)],
        0, None, None, ['current_step'])
    return application, number['number'], request


def approve_step(server, request, login, comment):
    """login approves the current step of the approval request (an id);
    return the request's current step after it"""
    call(server, login, 'model.microloan.approval.request.approve',
        [request], comment)
    values, = call(server, 'admin', 'model.microloan.approval.request.read',
        [request], ['current_step', 'state'])
    return values


def pass_risk_review(server, application, request, opinion):
    """The risk officer records his assessment of the application (low
    risk, with opinion: the demo's business products require it) and
    approves the risk review of its request (an id); return the request's
    current step and state after it"""
    call(server, 'risk_officer', 'model.microloan.application.write',
        [application], {'risk_level': 'low', 'risk_opinion': opinion})
    call(server, 'risk_officer', 'model.microloan.application.assess_risk',
        [application])
    return approve_step(server, request, 'risk_officer', opinion)


def decide_to_the_end(server, request, comment):
    """Approve each step of the approval request (an id) in turn, as the
    first demo user who may act on it, until it is closed; return its
    state"""
    logins = call(server, 'admin', 'model.res.user.search_read',
        [('login', 'in', list(PASSWORDS))], 0, None, None, ['login'])
    login_of = {u['id']: u['login'] for u in logins}
    values = {'state': 'pending'}
    for _ in range(10):
        values, = call(server, 'admin',
            'model.microloan.approval.request.read', [request],
            ['current_step', 'state'])
        if values['state'] != 'pending':
            break
        step, = call(server, 'admin',
            'model.microloan.approval.request.step.read',
            [values['current_step']], ['approvers'])
        login = next(login_of[u] for u in step['approvers']
            if u in login_of and login_of[u] != 'admin')
        approve_step(server, request, login, comment)
    return values['state']
