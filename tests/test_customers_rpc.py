# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The customer file over JSON-RPC, as the web client uses it, with the
demo users: record rules isolate the officers of two branches, bad identity
numbers are refused in Chinese and nothing is saved."""
import pytest

from .conftest import rpc
from .demo import setup_demo
from .test_rpc import _login

PASSWORDS = {login: password for login, _, _, password in setup_demo.USERS}
CUSTOMERS = setup_demo.demo_customers.CUSTOMERS


def _session(server, login):
    return _login(server, login, PASSWORDS[login])


def _customer_names(server, login):
    session, context = _session(server, login)
    parties = rpc(server, 'model.party.party.search_read', [
            [('customer_kind', '!=', None)], 0, None, None, ['name'],
            context], session=session)
    return {p['name'] for p in parties}


def _names_of(login):
    return {name for name, _, _, officer in CUSTOMERS if officer == login}


def test_each_loan_officer_sees_only_his_customers(server):
    west = _names_of('loan_officer')
    east = _names_of('loan_officer_east')
    assert west and east and not (west & east)
    assert _customer_names(server, 'loan_officer') == west
    assert _customer_names(server, 'loan_officer_east') == east


def _decided_by(server, login):
    """The names of the customers whose cases login may act (or acted) on
    in an approval step, as the administrator reads them: a decider reads
    the customer of his step whatever the branch"""
    session, context = _login(
        server, 'admin', setup_demo.ADMIN_PASSWORD)
    user, = rpc(server, 'model.res.user.search', [
            [('login', '=', login)], 0, None, None, context],
        session=session)
    parties = rpc(server, 'model.party.party.search_read', [
            [('approval_users', '=', user)], 0, None, None, ['name'],
            context], session=session)
    return {p['name'] for p in parties}


def test_branch_manager_sees_the_customers_of_his_branch(server):
    """The customers of his branch, and those of the cases of another
    branch he decides on in a step (another test may have made him vote)"""
    branch = _names_of('loan_officer_east')
    decided = _decided_by(server, 'branch_manager')
    assert _customer_names(server, 'branch_manager') == branch | decided
    # a customer of the other branch he has no step on stays hidden
    assert _names_of('loan_officer') - decided


def test_head_office_roles_see_every_customer(server):
    everyone = {c[0] for c in CUSTOMERS}
    assert _customer_names(server, 'risk_officer') == everyone
    assert _customer_names(server, 'approver') == everyone


def test_officer_cannot_read_or_change_another_branch_customer(server):
    session, context = _session(server, 'risk_officer')
    other, = rpc(server, 'model.party.party.search', [
            [('name', '=', '陈立新')], 0, None, None, context],
        session=session)
    session, context = _session(server, 'loan_officer')
    with pytest.raises(RuntimeError) as info:
        rpc(server, 'model.party.party.read', [
                [other], ['name'], context], session=session)
    assert '本人管户客户' in str(info.value)
    with pytest.raises(RuntimeError) as info:
        rpc(server, 'model.party.party.write', [
                [other], {'name': '改名'}, context], session=session)
    assert '本人管户客户' in str(info.value)


def test_related_parties_count_links_across_officers(server):
    "孙建国's file counts the firm of another branch he holds shares in"
    session, context = _session(server, 'loan_officer')
    party, = rpc(server, 'model.party.party.search_read', [
            [('name', '=', '孙建国')], 0, None, None,
            ['related_parties', 'related_parties_count'], context],
        session=session)
    visible = rpc(server, 'model.party.party.read', [
            party['related_parties'], ['name'], context], session=session)
    # 周晓梅 (spouse) is his; the firm, its legal representative and the
    # guarantor of the latter belong to the east branch
    assert [p['name'] for p in visible] == ['周晓梅']
    assert party['related_parties_count'] == 4


def _count_customers(server, session, context):
    return rpc(server, 'model.party.party.search_count', [
            [('customer_kind', '!=', None)], context], session=session)


def test_wrong_resident_id_is_refused_in_chinese_and_saves_nothing(server):
    session, context = _session(server, 'loan_officer')
    before = _count_customers(server, session, context)
    with pytest.raises(RuntimeError) as info:
        rpc(server, 'model.party.party.create', [[{
                        'name': '错号客户',
                        'customer_kind': 'individual',
                        'identifiers': [['create', [{
                                        'type': 'cn_ric',
                                        'code': '110105198003120010'}]]],
                        }], context], session=session)
    assert '无效' in str(info.value)
    assert _count_customers(server, session, context) == before


def test_wrong_uscc_is_refused_in_chinese_and_saves_nothing(server):
    "A unified social credit code with a wrong check character is refused"
    session, context = _session(server, 'loan_officer')
    before = _count_customers(server, session, context)
    with pytest.raises(RuntimeError) as info:
        rpc(server, 'model.party.party.create', [[{
                        'name': '错码企业有限公司',
                        'customer_kind': 'enterprise',
                        'identifiers': [['create', [{
                                        'type': 'cn_vat',
                                        'code': '91110000600037341M'}]]],
                        }], context], session=session)
    assert '无效' in str(info.value)
    assert _count_customers(server, session, context) == before


def test_duplicate_identity_is_refused_in_chinese_and_saves_nothing(server):
    "Even a resident ID on file in another branch is refused"
    session, context = _session(server, 'loan_officer')
    before = _count_customers(server, session, context)
    name, _, body, _ = [c for c in CUSTOMERS if c[0] == '陈立新'][0]
    with pytest.raises(RuntimeError) as info:
        rpc(server, 'model.party.party.create', [[{
                        'name': name + '（重复建档）',
                        'customer_kind': 'individual',
                        'identifiers': [['create', [{
                                        'type': 'cn_ric',
                                        'code': setup_demo.demo_customers.ric(
                                            body)}]]],
                        }], context], session=session)
    assert '已登记在编号为' in str(info.value)
    assert _count_customers(server, session, context) == before


def _decimal(value):
    return {'__class__': 'Decimal', 'decimal': value}


def _loan_request(server, login, borrower_name, principal):
    "Ask for a loan as login; return (error text, loans before, after)"
    session, context = _session(server, login)
    borrower, = rpc(server, 'model.party.party.search', [
            [('name', '=', borrower_name)], 0, None, None, context],
        session=session)
    before = rpc(server, 'model.microloan.loan.search_count', [
            [], context], session=session)
    with pytest.raises(RuntimeError) as info:
        rpc(server, 'model.microloan.loan.create', [[{
                        'company': context['company'],
                        'borrower': borrower,
                        'principal': _decimal(principal),
                        'annual_rate': _decimal('0.12'),
                        'start_date': {'__class__': 'date', 'year': 2026,
                            'month': 6, 'day': 1},
                        'term_months': 6,
                        }], context], session=session)
    after = rpc(server, 'model.microloan.loan.search_count', [
            [], context], session=session)
    return str(info.value), before, after


def test_loan_over_the_credit_line_is_refused_in_chinese(server):
    "孙建国's revolving line of 500,000.00 carries 180,000.00 of loans"
    message, before, after = _loan_request(
        server, 'loan_officer', '孙建国', '320000.01')
    assert '可用额度仅为' in message
    assert '320000.00' in message
    assert after == before


def test_loan_to_a_blacklisted_customer_is_refused_in_chinese(server):
    message, before, after = _loan_request(
        server, 'loan_officer_east', '黄伟', '50000.00')
    assert '处于黑名单中' in message
    assert after == before
