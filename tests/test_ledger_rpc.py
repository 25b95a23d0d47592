# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The demo's ledger (scripts/demo_ledger.py), read over JSON-RPC as its
accountant: the loans' life is in posted vouchers whose debits equal their
credits, the vouchers wait at every step of docs/accounting.md, a wrong
one is reversed in red, and at the end of the last month closed the loans'
subledger agrees with the ledger (the reconciliation shows no
difference)."""
import datetime as dt
from decimal import Decimal

import pytest

from .origination import call
from .demo import setup_demo


def _decimal(value):
    if isinstance(value, dict):
        return Decimal(value['decimal'])
    return Decimal(str(value))


def _date(value):
    return dt.date(value['year'], value['month'], value['day'])


def _company(server):
    company, = call(server, 'accountant', 'model.company.company.search_read',
        [('party.name', '=', setup_demo.COMPANY_NAME)], 0, None, None,
        ['microloan_closed_until', 'microloan_accrued_until'])
    return company


def test_trial_balance_balances(server):
    "The posted vouchers' debits equal their credits, and there are many"
    lines = call(server, 'accountant',
        'model.account.move.line.search_read',
        [('move.state', '=', 'posted')], 0, None, None, ['debit', 'credit'])
    assert len(lines) > 100
    debit = sum(_decimal(l['debit']) for l in lines)
    credit = sum(_decimal(l['credit']) for l in lines)
    assert debit == credit
    # the paid-in capital and the loans' money went through the bank
    assert debit > setup_demo.demo_origination.NET_ASSETS


def test_vouchers_wait_at_every_step(server):
    """Prepared, reviewed, signed and posted vouchers; a posted one
    reversed in red by a posted reversal; the first months closed"""
    moves = call(server, 'accountant', 'model.account.move.search_read',
        [], 0, None, None,
        ['voucher_state', 'voucher_number', 'needs_signature',
            'reversal_of', 'prepared_user.login', 'reviewed_user.login',
            'signed_user.login'])
    # the demo leaves three waiting: prepared, reviewed and signed; the
    # browser test (tests/browser/test_ledger.py) may have reviewed and
    # signed the prepared one already
    waiting = sorted(m['voucher_state'] for m in moves
        if m['voucher_state'] != 'posted')
    assert waiting in (
        ['draft', 'reviewed', 'signed'], ['reviewed', 'signed', 'signed'])
    for move in moves:
        if move['voucher_state'] == 'posted':
            assert move['voucher_number']
            # reviewed by another accountant than the one who prepared it
            assert move['reviewed_user.']['login'] != (
                move['prepared_user.']['login'])
            if move['needs_signature']:
                assert move['signed_user.']['login'] == 'cashier'
    reversal, = [m for m in moves if m['reversal_of']]
    assert reversal['voucher_state'] == 'posted'
    # the second accountant prepared the three; the prepared one moves the
    # bank (the browser test has the cashier sign it)
    waiting = [m for m in moves if m['voucher_state'] != 'posted']
    assert {m['prepared_user.']['login'] for m in waiting} == {
        'accountant_review'}
    assert all(m['needs_signature'] for m in waiting
        if m['voucher_state'] == 'draft')
    company = _company(server)
    closed = _date(company['microloan_closed_until'])
    assert _date(company['microloan_accrued_until']) > closed
    periods = call(server, 'accountant', 'model.account.period.search_read',
        [('type', '=', 'standard'), ('end_date', '<=', closed)], 0, None,
        None, ['state'])
    assert periods and all(p['state'] == 'closed' for p in periods)


def test_subledger_agrees_with_ledger_at_closed_month_end(server):
    "The reconciliation (分户账与总账核对) at the last closed month's end"
    company = _company(server)
    closed = company['microloan_closed_until']
    assert closed
    wizard = 'wizard.microloan.accounting.reconciliation'
    session, _, _ = call(server, 'accountant', wizard + '.create')
    result = call(server, 'accountant', wizard + '.execute', session,
        {'start': {'company': company['id'], 'date': closed}}, 'result')
    defaults = result['view']['defaults']
    lines = defaults['lines']
    assert lines
    for line in lines:
        assert _decimal(line['difference']) == 0, line
    assert not defaults['loans']
    assert defaults['balanced'] is True
    principal = [l for l in lines if _decimal(l['subledger'])
        and _decimal(l['subledger']) == _decimal(l['ledger'])]
    assert principal


LEDGER_MODELS = ['account.move', 'account.move.line',
    'microloan.accounting.pending', 'microloan.accounting.rule']


def test_loan_officers_see_nothing_of_the_ledger(server):
    """A loan officer reads no voucher, line, account balance, pending
    document or posting rule, and finds no 财务管理 menu (docs/accounting.md,
    Vouchers)"""
    readable = []
    for model in LEDGER_MODELS:
        try:
            call(server, 'loan_officer', 'model.%s.search' % model,
                [], 0, 1, None)
        except RuntimeError:
            continue
        readable.append(model)
    assert readable == []
    # the chart is read by everyone, its balances are not
    account, = call(server, 'accountant', 'model.account.account.search',
        [('code', '=', '1002')], 0, None, None)
    with pytest.raises(RuntimeError):
        call(server, 'loan_officer', 'model.account.account.read',
            [account], ['balance'])
    balance, = call(server, 'accountant', 'model.account.account.read',
        [account], ['balance'])
    assert _decimal(balance['balance'])
    # the menus as the accountant finds them, in his Chinese
    ids = call(server, 'accountant', 'model.ir.ui.menu.search',
        [('name', 'in', ['财务管理', '凭证'])], 0, None, None)
    assert len(ids) == 2
    assert call(server, 'loan_officer', 'model.ir.ui.menu.search',
        [('id', 'in', ids)], 0, None, None) == []
    # the accountant has them
    assert len(call(server, 'accountant', 'model.ir.ui.menu.search',
        [('id', 'in', ids)], 0, None, None)) == 2
