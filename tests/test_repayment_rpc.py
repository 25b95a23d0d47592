# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Repayments through the demo server: two tellers posting on one loan at
the same moment never allocate the same money twice (the loan is locked;
on PostgreSQL, two real connections), and the demo's servicing reads as a
loan officer expects."""
import datetime as dt
import threading
from decimal import Decimal

from .conftest import rpc
from .origination import PASSWORDS, _date, _login, call

COMPONENTS = ['fees', 'penalty', 'compound', 'interest', 'principal']


def _decimal(value):
    if isinstance(value, dict):
        return Decimal(value['decimal'])
    return Decimal(str(value))


def _overdue_loan(server):
    "The demo's equal-principal loan, overdue after a partial payment"
    loans = call(server, 'admin', 'model.microloan.loan.search_read',
        [('method', '=', 'equal_principal'), ('contract', '=', None),
            ('state', '=', 'active')], 0, 1, None,
        ['id', 'amount_due', 'days_past_due'])
    assert loans, 'the demo has no overdue equal-principal loan'
    return loans[0]


def test_demo_loans_are_serviced(server):
    "Settled, overdue and paid-to-date loans as the demo posted them"
    loans = call(server, 'admin', 'model.microloan.loan.search_read',
        [('contract', '=', None), ('state', 'in', ['active', 'closed'])],
        0, None, None, ['method', 'state', 'days_past_due',
            'classification', 'principal_balance'])
    by_method = {l['method']: l for l in loans}
    assert by_method['interest_monthly']['state'] == 'closed'
    assert by_method['bullet']['state'] == 'closed'
    assert _decimal(by_method['bullet']['principal_balance']) == 0
    overdue = by_method['equal_principal']
    assert overdue['days_past_due'] > 0
    assert overdue['classification'] == 'special_mention'
    # one loan prepaid and one extended through loan changes, by the
    # borrower's officer
    # (the browser tests may have applied others on the same demo)
    changes = call(server, 'admin', 'model.microloan.loan.change.search_read',
        [], 0, None, None, ['kind', 'state', 'loan', 'months'])
    assert {('extension', 'applied'), ('prepayment', 'applied')} <= {
        (c['kind'], c['state']) for c in changes}
    extended, = [c['loan'] for c in changes
        if c['kind'] == 'extension' and c['months'] == 6]
    extended, = call(server, 'admin', 'model.microloan.loan.read',
        [extended], ['installments', 'maturity_date', 'days_past_due'])
    assert len(extended['installments']) == 18
    assert extended['days_past_due'] == 0


def test_two_tellers_at_once_never_double_allocate(server):
    """Two cashier sessions post a repayment on the same loan at the same
    moment: both go through, one after the other, and together they pay
    exactly their sum, each fen of the loan's dues once"""
    loan = _overdue_loan(server)
    accounts = call(server, 'cashier',
        'model.microloan.fund_account.search', [], 0, 1, None)
    sessions = [_login(server, 'cashier', PASSWORDS['cashier'])
        for _ in range(2)]
    today = dt.date.today()
    due = _decimal(loan['amount_due'])
    amount = (due / 3).quantize(Decimal('0.01'))
    ids = []
    for session, context in sessions:
        repayment_id, = rpc(server, 'model.microloan.loan.repayment.create',
            [[{'loan': loan['id'], 'date': _date(today),
                        'amount': {'__class__': 'Decimal',
                            'decimal': str(amount)},
                        'fund_account': accounts[0], 'channel': 'transfer',
                        'payer': '并发测试'}], context], session=session)
        ids.append(repayment_id)
    before = call(server, 'admin',
        'model.microloan.loan.installment.search_read',
        [('loan', '=', loan['id'])], 0, None, None, ['paid'])
    paid_before = sum(_decimal(i['paid']) for i in before)

    barrier = threading.Barrier(2)
    errors = []

    def post(session, context, repayment_id):
        barrier.wait()
        try:
            rpc(server, 'model.microloan.loan.repayment.post',
                [[repayment_id], context], session=session, timeout=120)
        except Exception as exception:  # reported below
            errors.append(exception)

    threads = [threading.Thread(target=post, args=(*s, i))
        for s, i in zip(sessions, ids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors

    repayments = call(server, 'admin',
        'model.microloan.loan.repayment.read', ids,
        ['state', 'amount', 'credit'] + COMPONENTS)
    assert [r['state'] for r in repayments] == ['posted', 'posted']
    for repayment in repayments:
        allocated = sum(_decimal(repayment[c]) for c in COMPONENTS)
        assert allocated + _decimal(repayment['credit']) == amount
        assert _decimal(repayment['credit']) == 0
    after = call(server, 'admin',
        'model.microloan.loan.installment.search_read',
        [('loan', '=', loan['id'])], 0, None, None,
        ['paid', 'outstanding'])
    # each fen once: the installments received exactly the two amounts
    assert sum(_decimal(i['paid']) for i in after) - paid_before \
        == 2 * amount
    assert all(_decimal(i['outstanding']) >= 0 for i in after)
    # and the transactions in force say the same as the dues.  Posted in
    # the same second (the time is kept to the second), two repayments of a
    # day are taken in the order they were created: when the teller of the
    # later one came first, the other's post replays it, its first
    # allocation reversed
    transactions = call(server, 'admin',
        'model.microloan.loan.transaction.search_read',
        [('origin', 'in', ['microloan.loan.repayment,%s' % i for i in ids]),
            ('kind', '=', 'repayment')], 0, None, None,
        ['amount', 'reversed_by'])
    assert sorted(_decimal(t['amount']) for t in transactions
        if not t['reversed_by']) == [-amount, -amount]
    assert len(transactions) in {2, 3}
