# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The demo made by `make run` answers JSON-RPC: every demo user logs in
with the printed password and sees the suite's menu in Chinese; roles are
enforced; bad input is refused with a translated message and saves
nothing."""
import json
import urllib.error
import urllib.request

import pytest

from .conftest import rpc
from .demo import setup_demo

LOGINS = [('admin', setup_demo.ADMIN_PASSWORD)] + [
    (login, password) for login, _, _, password in setup_demo.USERS]


def _login(server, login, password):
    "Return the session and the context of the user, as the web client does"
    user_id, token, _ = rpc(
        server, 'common.db.login', [login, {'password': password}, 'zh_CN'])
    session = '%s:%s:%s' % (login, user_id, token)
    context = rpc(server, 'model.res.user.get_preferences', [True, {}],
        session=session)
    return session, context


@pytest.mark.parametrize('login,password', LOGINS)
def test_demo_user_logs_in_and_sees_microloan_menu(server, login, password):
    session, context = _login(server, login, password)
    menus = rpc(server, 'model.ir.ui.menu.search_read', [
            [('parent', '=', None)], 0, None, None, ['name'], context],
        session=session)
    assert '小额贷款' in {m['name'] for m in menus}


def test_loan_officer_reads_demo_schedules(server):
    login, _, _, password = setup_demo.USERS[0]
    session, context = _login(server, login, password)
    # the historical loans, lent before the suite without a contract (other
    # tests lend without one too, from December 2026)
    last = max(loan[3] for loan in setup_demo.LOANS)
    loans = rpc(server, 'model.microloan.loan.search_read', [
            [('contract', '=', None), ('start_date', '<=', {
                        '__class__': 'date', 'year': last.year,
                        'month': last.month, 'day': last.day})],
            0, None, [('number', 'ASC')],
            ['number', 'method', 'principal', 'installments', 'state'],
            context],
        session=session)
    assert len(loans) == len(setup_demo.LOANS)
    # some are settled by the demo's repayments (scripts/demo_servicing.py)
    states = {loan['state'] for loan in loans}
    assert 'active' in states and states <= {'active', 'closed'}
    assert all(loan['installments'] for loan in loans)
    first, = [l for l in loans
        if l['method'] == 'equal_installment'
        and l['principal'] == {'__class__': 'Decimal', 'decimal': '100000.00'}]
    rows = rpc(server, 'model.microloan.loan.installment.search_read', [
            [('loan', '=', first['id'])], 0, None, [('seq', 'ASC')],
            ['principal', 'interest', 'due_date'], context],
        session=session)
    assert rows[0]['principal']['decimal'] == '7884.88'
    assert rows[0]['interest']['decimal'] == '1000.00'


def test_wrong_password_is_refused(server):
    request = urllib.request.Request(
        server['url'] + server['database'] + '/rpc/',
        data=json.dumps({'id': 1, 'method': 'common.db.login', 'params': [
                    'cashier', {'password': 'not-the-password'}, 'zh_CN']}
            ).encode(),
        headers={'Content-Type': 'application/json'})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=30)
    assert info.value.code == 401


def test_cashier_cannot_change_a_loan(server):
    login, _, _, password, = [
        u for u in setup_demo.USERS if u[0] == 'cashier'][0]
    session, context = _login(server, login, password)
    loans = rpc(server, 'model.microloan.loan.search', [
            [], 0, 1, None, context], session=session)
    assert loans, "the cashier reads the loans"
    with pytest.raises(RuntimeError) as info:
        rpc(server, 'model.microloan.loan.write', [
                loans, {'annual_rate': {
                        '__class__': 'Decimal', 'decimal': '0.1'}}, context],
            session=session)
    assert 'UserError' in str(info.value)
    assert '借据' in str(info.value)


def test_bad_free_plan_over_rpc_is_refused_in_chinese_and_saves_nothing(
        server):
    login, _, _, password = setup_demo.USERS[0]
    session, context = _login(server, login, password)
    before = rpc(server, 'model.microloan.loan.search_count', [[], context],
        session=session)
    borrower, = rpc(server, 'model.party.party.search', [
            [('name', '=', setup_demo.BORROWERS[0][0])], 0, None, None,
            context],
        session=session)

    def decimal(value):
        return {'__class__': 'Decimal', 'decimal': value}

    def date(year, month, day):
        return {'__class__': 'date', 'year': year, 'month': month,
            'day': day}

    with pytest.raises(RuntimeError) as info:
        rpc(server, 'model.microloan.loan.create', [[{
                        'company': context['company'],
                        'borrower': borrower,
                        'principal': decimal('10000.00'),
                        'annual_rate': decimal('0.12'),
                        'start_date': date(2026, 1, 1),
                        'method': 'free',
                        'basis': 'day',
                        'plan_lines': [['create', [{
                                        'date': date(2026, 6, 30),
                                        'amount': decimal('4000.00')}]]],
                        }], context],
            session=session)
    assert '还款计划合计' in str(info.value)
    after = rpc(server, 'model.microloan.loan.search_count', [[], context],
        session=session)
    assert after == before
    assert rpc(server, 'model.microloan.loan.plan_line.search_count', [
            [('amount', '=', decimal('4000.00'))], context],
        session=session) == 0


def test_installments_are_written_only_by_compute_schedule(server):
    """The loan officer recomputes the schedule of a draft loan but cannot
    edit an installment, nor recompute the schedule of a disbursed loan"""
    login, _, _, password = setup_demo.USERS[0]
    session, context = _login(server, login, password)
    active, = rpc(server, 'model.microloan.loan.search', [
            [('method', '=', 'equal_principal')], 0, 1, None, context],
        session=session)
    with pytest.raises(RuntimeError):
        rpc(server, 'model.microloan.loan.compute_schedule', [
                [active], context], session=session)
    loan, = rpc(server, 'model.microloan.loan.copy', [[active], {}, context],
        session=session)
    rpc(server, 'model.microloan.loan.compute_schedule', [[loan], context],
        session=session)
    installments = rpc(server, 'model.microloan.loan.installment.search', [
            [('loan', '=', loan)], 0, None, None, context], session=session)
    assert len(installments) == 12
    with pytest.raises(RuntimeError) as info:
        rpc(server, 'model.microloan.loan.installment.write', [
                installments[:1], {'interest': {
                        '__class__': 'Decimal', 'decimal': '0.00'}},
                context],
            session=session)
    assert 'UserError' in str(info.value)
    rpc(server, 'model.microloan.loan.delete', [[loan], context],
        session=session)


def test_loan_officer_deletes_a_loan_with_its_schedule(server):
    login, _, _, password = setup_demo.USERS[0]
    session, context = _login(server, login, password)
    loan, = rpc(server, 'model.microloan.loan.search', [
            [('method', '=', 'bullet')], 0, 1, None, context],
        session=session)
    copy, = rpc(server, 'model.microloan.loan.copy', [[loan], {}, context],
        session=session)
    rpc(server, 'model.microloan.loan.compute_schedule', [[copy], context],
        session=session)
    rpc(server, 'model.microloan.loan.delete', [[copy], context],
        session=session)
    assert rpc(server, 'model.microloan.loan.installment.search_count', [
            [('loan', '=', copy)], context], session=session) == 0
