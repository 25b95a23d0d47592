# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The demo server tried from outside over JSON-RPC, as its users and an
attacker would: the users' secrets are no oracle, the customer file is
changed by the loan officers and branch managers only, a customer with
business is not deleted, and a resident ID born in the future is refused
in Chinese."""
import datetime as dt

import pytest
from stdnum.cn import ric

from .conftest import rpc
from .demo import setup_demo
from .test_rpc import _login

PASSWORDS = {login: password for login, _, _, password in setup_demo.USERS}
PASSWORDS['admin'] = setup_demo.ADMIN_PASSWORD
# refusals of the host's access checks, in Chinese (locale/override)
NO_ACCESS = '您的角色无权'
ROLES_WHO_READ = ['risk_officer', 'approver', 'accountant', 'cashier']


def _session(server, login):
    return _login(server, login, PASSWORDS[login])


def _call(server, login, method, *args):
    "Call model.<method> with args as login; return the result"
    session, context = _session(server, login)
    return rpc(server, 'model.' + method, [*args, context], session=session)


def _refused(server, login, method, *args):
    "Call model.<method> as login, assert it is refused; return the error"
    with pytest.raises(RuntimeError) as info:
        _call(server, login, method, *args)
    return str(info.value)


def _party(server, name):
    party, = _call(server, 'admin', 'party.party.search_read',
        [('name', '=', name)], 0, None, None,
        ['name', 'loan_officer', 'customer_kind'])
    return party


def _resident_id(birth_date, region='110105', sequence='005'):
    "A resident ID with a right check digit for a birth date (YYYYMMDD)"
    body = region + birth_date + sequence
    return body + ric.calc_check_digit(body + '0')


# The password-hash oracle

@pytest.mark.parametrize('domain', [
        [('login', '=', 'admin'), ('password_hash', 'like', '$argon2id$%')],
        [('password_reset', '!=', None)],
        # the key of a REST application is its record name
        [('applications.rec_name', 'like', '%')],
        [('applications', 'where', [('key', 'like', '%')])],
        ], ids=['hash', 'reset-password', 'application-key', 'where-key'])
def test_users_are_not_searched_on_their_secrets(server, domain):
    message = _refused(server, 'cashier', 'res.user.search',
        domain, 0, None, None)
    assert NO_ACCESS in message


@pytest.mark.parametrize('domain', [
        [('create_uid.password_hash', 'like', '$%')],
        [('create_uid', 'where', [('password_hash', 'like', '$%')])],
        [('write_uid.create_uid', 'where', [('password_hash', 'like', '$%')])],
        ], ids=['dotted', 'where', 'nested-where'])
def test_no_path_from_another_model_reaches_the_password_hash(
        server, domain):
    message = _refused(server, 'loan_officer', 'party.party.search',
        domain, 0, None, None)
    assert NO_ACCESS in message


@pytest.mark.parametrize('model,order', [
        ('res.user', [('password_hash', 'ASC')]),
        ('party.party', [('create_uid.password_hash', 'ASC')]),
        ], ids=['own', 'dotted'])
def test_nothing_is_sorted_on_the_password_hash(server, model, order):
    message = _refused(server, 'cashier', model + '.search',
        [], 0, None, order)
    assert NO_ACCESS in message


def test_users_secrets_read_empty(server):
    "A read gives no secret, as the host gives no password hash"
    accountant, = _call(server, 'admin', 'res.user.search',
        [('login', '=', 'accountant')], 0, None, None)
    secrets = ['password_hash', 'password_reset', 'password_reset_expire']
    # an expired reset password: the accountant's login is unchanged
    _call(server, 'admin', 'res.user.write', [accountant], {
            'password_reset': 'reset-demo-2000',
            'password_reset_expire': {'__class__': 'datetime', 'year': 2000,
                'month': 1, 'day': 1, 'hour': 0, 'minute': 0, 'second': 0,
                'microsecond': 0},
            })
    try:
        admin_view, = _call(
            server, 'admin', 'res.user.read', [accountant], secrets)
        assert admin_view['password_reset'] == 'reset-demo-2000'
        for login in ['cashier', 'loan_officer']:
            values, = _call(
                server, login, 'res.user.read', [accountant], secrets)
            assert [values[f] for f in secrets] == [None, None, None]
    finally:
        _call(server, 'admin', 'res.user.write', [accountant], {
                'password_reset': None, 'password_reset_expire': None})


def test_admin_still_searches_on_the_hash_and_users_still_log_in(server):
    users = _call(server, 'admin', 'res.user.search',
        [('password_hash', 'like', '$%')], 0, None, [('password_hash', 'ASC')])
    logins = _call(server, 'admin', 'res.user.read', users, ['login'])
    # every demo user (other tests of the session may add theirs)
    assert set(PASSWORDS) <= {u['login'] for u in logins}
    for login in PASSWORDS:
        session, context = _session(server, login)
        assert context['language'] == 'zh_CN'
    # a user still reads the names of the others
    names = _call(server, 'cashier', 'res.user.search_read',
        [('login', '=', 'admin')], 0, None, None, ['name', 'login'])
    assert [n['login'] for n in names] == ['admin']


# Customers filed by the back office

@pytest.mark.parametrize('login', ROLES_WHO_READ)
def test_roles_who_read_cannot_file_a_customer(server, login):
    count = _call(server, 'admin', 'party.party.search_count', [])
    message = _refused(server, login, 'party.party.create', [{
                'name': '后台建档客户', 'customer_kind': 'individual',
                'identifiers': [['create', [{
                                'type': 'cn_ric',
                                'code': _resident_id('19800101')}]]],
                }])
    assert NO_ACCESS in message
    assert _call(server, 'admin', 'party.party.search_count', []) == count


@pytest.mark.parametrize('login', ROLES_WHO_READ)
def test_roles_who_read_cannot_rename_take_or_delete_a_customer(
        server, login):
    before = _party(server, '陈立新')
    session, context = _session(server, login)
    assert rpc(server, 'model.party.party.read', [
            [before['id']], ['name'], context], session=session)
    for values in [{'name': '改名'}, {'loan_officer': context['employee']}]:
        message = _refused(server, login, 'party.party.write',
            [before['id']], values)
        assert NO_ACCESS in message
    message = _refused(server, login, 'party.party.delete', [before['id']])
    assert NO_ACCESS in message
    for model, values in [
            ('party.address', {'street': '假地址'}),
            ('party.contact_mechanism', {'type': 'mobile',
                    'value': '13900000000'}),
            ('microloan.party.family_member', {'relation': 'other',
                    'name': '假家属'}),
            ]:
        message = _refused(server, login, model + '.create',
            [dict(values, party=before['id'])])
        assert NO_ACCESS in message
    assert _party(server, '陈立新') == before


def test_loan_officer_files_renames_and_deletes_his_own_customer(server):
    code = _resident_id('19850615', sequence='017')
    party, = _call(server, 'loan_officer', 'party.party.create', [{
                'name': '安全测试客户', 'customer_kind': 'individual',
                'identifiers': [['create', [{
                                'type': 'cn_ric', 'code': code}]]],
                }])
    _call(server, 'loan_officer', 'party.party.write',
        [party], {'name': '安全测试客户（更名）'})
    filed = _party(server, '安全测试客户（更名）')
    officer = _session(server, 'loan_officer')[1]['employee']
    assert filed['loan_officer'] == officer
    # without business the officer may delete his mistaken file
    _call(server, 'loan_officer', 'party.party.delete', [party])
    assert not _call(server, 'admin', 'party.party.search',
        [('id', '=', party)], 0, None, None)


@pytest.mark.parametrize('login', ['loan_officer', 'branch_manager'])
def test_parties_that_are_not_customers_are_not_changed_by_the_staff(
        server, login):
    "Neither the company's party nor a colleague's is an officer's to change"
    session, context = _session(server, 'admin')
    company, = rpc(server, 'model.company.company.read', [
            [context['company']], ['party'], context], session=session)
    cashier = _party(server, '赵丽')
    for party in [company['party'], cashier['id']]:
        message = _refused(server, login, 'party.party.write',
            [party], {'name': '改名'})
        assert '修改' in message
        message = _refused(server, login, 'party.party.delete', [party])
        assert '修改' in message
    assert _party(server, '赵丽') == cashier


def test_loan_officer_neither_gives_away_nor_unfiles_a_customer(server):
    "A transfer is the branch manager's; a customer stays a customer"
    east = _session(server, 'loan_officer_east')[1]['employee']
    name = [c[0] for c in setup_demo.demo_customers.CUSTOMERS
        if c[3] == 'loan_officer'][0]
    before = _party(server, name)
    for values in [{'loan_officer': east}, {'customer_kind': None}]:
        message = _refused(server, 'loan_officer', 'party.party.write',
            [before['id']], values)
        assert '本人管户客户' in message
    assert _party(server, name) == before


def test_officer_history_cannot_be_forged(server):
    name = [c[0] for c in setup_demo.demo_customers.CUSTOMERS
        if c[3] == 'loan_officer'][0]
    party = _party(server, name)
    now = dt.datetime.now()
    message = _refused(server, 'loan_officer',
        'microloan.party.officer_history.create', [{
                'party': party['id'], 'kind': 'transfer', 'reason': '伪造',
                'date': {'__class__': 'datetime', 'year': now.year,
                    'month': now.month, 'day': now.day, 'hour': 0,
                    'minute': 0, 'second': 0, 'microsecond': 0},
                }])
    assert '变更记录仅由系统记录' in message


def test_watch_list_entry_is_removed_not_deleted_by_its_officer(server):
    "The entry follows its customer, whom the officer may delete"
    party = _party(server, '马志远')
    entries = _call(server, 'loan_officer', 'microloan.party.watch.search',
        [('party', '=', party['id'])], 0, None, None)
    assert entries
    message = _refused(server, 'loan_officer',
        'microloan.party.watch.delete', entries)
    assert '只能移出，不能删除' in message
    assert _call(server, 'admin', 'microloan.party.watch.search',
        [('party', '=', party['id'])], 0, None, None) == entries


@pytest.mark.parametrize('login,model', [
        ('loan_officer', 'microloan.loan'),
        ('branch_manager', 'microloan.application'),
        ])
def test_customer_with_business_is_not_deleted(server, login, model):
    "Not even by the roles who may delete a mistaken file"
    session, context = _session(server, login)
    documents = rpc(server, 'model.%s.search_read' % model, [
            [], 0, 1, None, ['borrower'], context], session=session)
    borrower = documents[0]['borrower']
    message = _refused(server, login, 'party.party.delete', [borrower])
    assert '已有业务' in message
    assert '只有管理员可以删除' in message
    assert _call(server, 'admin', 'party.party.search',
        [('id', '=', borrower)], 0, None, None) == [borrower]


# A resident ID whose birth date is in the future

@pytest.mark.parametrize('birth_date', ['20991231', '18991231'])
def test_resident_id_born_outside_1900_to_today_is_refused(
        server, birth_date):
    code = _resident_id(birth_date, sequence='029')
    before = _call(server, 'loan_officer', 'party.party.search_count',
        [('customer_kind', '!=', None)])
    message = _refused(server, 'loan_officer', 'party.party.create', [{
                'name': '出生日期不合理', 'customer_kind': 'individual',
                'identifiers': [['create', [{
                                'type': 'cn_ric', 'code': code}]]],
                }])
    assert '出生日期' in message and code in message
    assert _call(server, 'loan_officer', 'party.party.search_count',
        [('customer_kind', '!=', None)]) == before


def test_resident_id_with_a_date_that_does_not_exist_is_refused(server):
    code = _resident_id('19900230', sequence='029')
    message = _refused(server, 'loan_officer', 'party.party.create', [{
                'name': '日期不存在', 'customer_kind': 'individual',
                'identifiers': [['create', [{
                                'type': 'cn_ric', 'code': code}]]],
                }])
    assert '无效' in message
