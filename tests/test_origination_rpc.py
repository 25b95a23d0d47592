# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Origination over JSON-RPC, as the web client uses it, with the demo
users and their rights: the maker of an application never approves it,
and the loan committee's ballots stay secret until the vote closes."""
import datetime as dt

import pytest
from stdnum.cn import ric as stdnum_ric

from .conftest import rpc
from .demo import setup_demo
from .test_rpc import _login

PASSWORDS = {login: password for login, _, _, password in setup_demo.USERS}
COMMITTEE_POOL = {'approver', 'branch_manager', 'accountant'}


def _session(server, login):
    return _login(server, login, PASSWORDS[login])


def _call(server, login, method, *args):
    session, context = _session(server, login)
    return rpc(server, method, [*args, context], session=session)


def _date(value):
    return {'__class__': 'date', 'year': value.year, 'month': value.month,
        'day': value.day}


def _decimal(value):
    return {'__class__': 'Decimal', 'decimal': value}


def _admin(server):
    return _login(server, 'admin', setup_demo.ADMIN_PASSWORD)


def _request_of(server, login, application):
    requests = _call(server, login,
        'model.microloan.approval.request.search_read',
        [('document', '=', 'microloan.application,%s' % application)],
        0, None, [('id', 'DESC')], ['state', 'current_step'])
    return requests[0]


def _product(server, login, code):
    product, = _call(server, login, 'model.microloan.product.search',
        [('code', '=', code)], 0, None, None)
    return product


def _apply(server, login, borrower, product, amount, term, method, basis):
    """The officer files and submits an application, investigated by him
    and the branch manager (the demo's business products require it);
    return its id"""
    employee = _call(server, login, 'model.res.user.get_preferences',
        True)['employee']
    manager, = _call(server, login, 'model.company.employee.search',
        [('party.name', '=', '刘洋')], 0, 1, None)
    application, = _call(server, login, 'model.microloan.application.create',
        [{
                'investigator_a': employee,
                'investigator_b': manager,
                'investigation_date': _date(dt.date(2026, 11, 20)),
                'investigation_report': '实地走访，经营正常。',
                'borrower': borrower,
                'product': product,
                'amount': _decimal(amount),
                'annual_rate': _decimal('0.120000'),
                'term_months': term,
                'method': method,
                'basis': basis,
                'start_date': _date(dt.date(2026, 12, 20)),
                'purpose': 'industry_commerce',
                'guarantee_kind': 'credit',
                }])
    _call(server, login, 'model.microloan.application.submit', [application])
    return application


@pytest.fixture(scope='module')
def maker_checker(server):
    """A loan officer who is also a risk officer (a small branch's 兼岗),
    and a customer of his: he may review applications, not his own"""
    session, context = _admin(server)

    def call(method, *args):
        return rpc(server, method, [*args, context], session=session)
    company, = call('model.company.company.search', [], 0, 1, None)
    party, = call('model.party.party.create', [{'name': '孔明亮'}])
    employee, = call('model.company.employee.create', [{
                'party': party, 'company': company}])
    # the roles by their English names
    groups = rpc(server, 'model.res.group.search', [
            [('name', 'in', ['Loan Officer', 'Risk Officer'])], 0, None, None,
            dict(context, language='en')], session=session)
    assert len(groups) == 2
    call('model.res.user.create', [{
                'login': 'officer_reviewer',
                'name': '孔明亮',
                'password': 'reviewer-demo-2026',
                'companies': [('add', [company])],
                'company': company,
                'employees': [('add', [employee])],
                'employee': employee,
                'groups': [('add', groups)],
                'language': call('model.ir.lang.search', [
                        ('code', '=', 'zh_CN')], 0, 1, None)[0],
                }])
    body = '11010119880808005'
    customer, = call('model.party.party.create', [{
                'name': '欧阳明',
                'customer_kind': 'individual',
                'loan_officer': employee,
                'identifiers': [('create', [{
                                'type': 'cn_ric',
                                'code': body + stdnum_ric.calc_check_digit(
                                    body + '0')}])],
                }])
    PASSWORDS['officer_reviewer'] = 'reviewer-demo-2026'
    return customer


def test_maker_never_approves_his_own_application(server, maker_checker):
    """The officer-reviewer submits; the risk review is refused to him in
    Chinese and nothing changes; the risk officer and the approver
    approve"""
    product = _product(server, 'officer_reviewer', 'XF01')
    application = _apply(server, 'officer_reviewer', maker_checker, product,
        '60000.00', 12, 'equal_installment', 'month')
    request = _request_of(server, 'officer_reviewer', application)
    assert request['state'] == 'pending'

    with pytest.raises(RuntimeError) as info:
        _call(server, 'officer_reviewer',
            'model.microloan.approval.request.approve', [request['id']],
            '我自己同意')
    # the translated maker-checker message
    assert '提交人，不能对其审批' in str(info.value)
    after = _request_of(server, 'officer_reviewer', application)
    assert after == request
    actions = _call(server, 'officer_reviewer',
        'model.microloan.approval.action.search_read',
        [('request', '=', request['id'])], 0, None, None, ['action'])
    assert [a['action'] for a in actions] == ['submit']

    _call(server, 'risk_officer', 'model.microloan.approval.request.approve',
        [request['id']], '风险可控')
    # one approval per step: the risk officer cannot approve step 2
    with pytest.raises(RuntimeError):
        _call(server, 'risk_officer',
            'model.microloan.approval.request.approve', [request['id']],
            '再次同意')
    _call(server, 'approver', 'model.microloan.approval.request.approve',
        [request['id']], '同意')
    state, = _call(server, 'officer_reviewer',
        'model.microloan.application.read', [application], ['state'])
    assert state['state'] == 'approved'


def test_officer_cannot_decide_an_application(server):
    "A loan officer is no approver: his approval is refused"
    session, context = _session(server, 'loan_officer')
    pending = _call(server, 'loan_officer',
        'model.microloan.application.search',
        [('state', '=', 'submitted')], 0, None, None)
    assert pending
    request = _request_of(server, 'loan_officer', pending[0])
    with pytest.raises(RuntimeError):
        _call(server, 'loan_officer',
            'model.microloan.approval.request.approve', [request['id']],
            '同意')
    assert _request_of(server, 'loan_officer', pending[0]) == request


def _votes(server, login, step):
    return _call(server, login, 'model.microloan.approval.vote.search_read',
        [('step', '=', step)], 0, None, None,
        ['voter', 'decision', 'reason'])


def test_committee_ballots_are_secret_until_the_vote_closes(server):
    """A large application goes to the loan committee: while it votes, a
    member reads only his own ballot and the requester none; the last
    ballot closes the vote, then every ballot is readable and 2 of 3
    approve it"""
    borrower, = _call(server, 'loan_officer_east',
        'model.party.party.search', [('name', '=', '江南机电设备有限公司')],
        0, None, None)
    product = _product(server, 'loan_officer_east', 'QY01')
    application = _apply(server, 'loan_officer_east', borrower, product,
        '600000.00', 6, 'interest_monthly', 'day')
    request = _request_of(server, 'loan_officer_east', application)
    _call(server, 'risk_officer', 'model.microloan.approval.request.approve',
        [request['id']], '押品充足')

    request = _request_of(server, 'loan_officer_east', application)
    step, = _call(server, 'loan_officer_east',
        'model.microloan.approval.request.step.read',
        [request['current_step']],
        ['kind', 'state', 'approvers', 'votes_cast', 'votes_for'])
    assert (step['kind'], step['state']) == ('committee', 'open')
    users = _call(server, 'approver', 'model.res.user.read',
        step['approvers'], ['login'])
    members = sorted(u['login'] for u in users)
    # the risk officer acted on the review: the other three are drawn
    assert set(members) == COMMITTEE_POOL

    ballots = [('approve', '现金流稳定，押品足值'),
        ('reject', '行业下行，集中度偏高'),
        ('approve', '同意，按季跟踪')]
    for count, (member, (decision, reason)) in enumerate(
            zip(members, ballots)):
        if count < 2:
            _call(server, member, 'model.microloan.approval.request.vote',
                [request['id']], decision, reason)
            for login in members:
                # each member reads his own ballot, never another's
                seen = _votes(server, login, step['id'])
                assert all(v['voter'] == _uid(server, login) for v in seen)
                if login == member:
                    assert [(v['decision'], v['reason']) for v in seen] == [
                        (decision, reason)]
            assert _votes(server, 'loan_officer_east', step['id']) == []
            # nor can a search by decision reveal the others' ballots
            found = _call(server, members[2],
                'model.microloan.approval.vote.search',
                [('step', '=', step['id']), ('decision', '=', 'reject')],
                0, None, None)
            assert found == []
            open_step, = _call(server, 'loan_officer_east',
                'model.microloan.approval.request.step.read', [step['id']],
                ['state', 'votes_cast', 'votes_for', 'votes_against'])
            assert open_step['state'] == 'open'
            assert open_step['votes_cast'] == count + 1
            assert open_step['votes_for'] is None
            assert open_step['votes_against'] is None
        else:
            _call(server, member, 'model.microloan.approval.request.vote',
                [request['id']], decision, reason)

    closed, = _call(server, 'loan_officer_east',
        'model.microloan.approval.request.step.read', [step['id']],
        ['state', 'votes_for', 'votes_against'])
    assert (closed['votes_for'], closed['votes_against']) == (2, 1)
    every = _votes(server, 'loan_officer_east', step['id'])
    assert sorted((v['decision'], v['reason']) for v in every) == sorted(
        ballots)
    state, = _call(server, 'loan_officer_east',
        'model.microloan.application.read', [application], ['state'])
    assert state['state'] == 'approved'


_UIDS = {}


def _uid(server, login):
    if login not in _UIDS:
        session, _ = _session(server, login)
        _UIDS[login] = int(session.split(':')[1])
    return _UIDS[login]


STEPS = ['requested', 'approved', 'paid', 'checked']


def _steps_of(server, login, domain):
    "Return the disbursements of domain with the employee and user of steps"
    names = ['number', 'state'] + [f'{s}_{w}.rec_name' for s in STEPS
        for w in ['by', 'user']]
    return _call(server, login, 'model.microloan.disbursement.search_read',
        domain, 0, None, [('id', 'ASC')], names)


def test_disbursement_steps_record_the_employee_and_the_user(server):
    """Each step of the demo's disbursements names the demo user who did
    it and his employee; the approve button is refused to the cashier
    (its groups) and nothing changes"""
    checked = _steps_of(server, 'accountant', [('state', '=', 'checked')])
    assert checked
    for disbursement in checked:
        people = {(disbursement[f'{s}_by.']['rec_name'],
                disbursement[f'{s}_user.']['rec_name']) for s in STEPS}
        # each demo employee bears the name of his user
        assert all(employee == user for employee, user in people)
        assert {disbursement[f'{s}_user.']['rec_name']
            for s in ['approved', 'paid', 'checked']} == {
            '张伟', '赵丽', '陈静'}

    with pytest.raises(RuntimeError) as info:
        _call(server, 'cashier', 'model.microloan.disbursement.approve',
            [checked[0]['id']])
    # the host's refusal of the button's groups names the document's kind,
    # in Chinese, not the record as its refusal out of state would
    assert '无权对放款执行此操作' in str(info.value)
    assert checked[0]['number'] not in str(info.value)
    assert _steps_of(server, 'accountant',
        [('id', '=', checked[0]['id'])]) == [checked[0]]
