#!/usr/bin/env python3
# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Benchmark of posting repayments (还款单): the cost of one posting as a
loan's history grows, and tellers posting at once on shared loans.

Run it optimised, from the repository root, on SQLite:

    .venv/bin/python -O tests/benchmarks/bench_repayment.py [--quick]

or on PostgreSQL (a server on 127.0.0.1:5432, user postgres, trust auth):

    TRYTOND_DATABASE_URI=postgresql://postgres@127.0.0.1:5432/ \\
        .venv/bin/python -O tests/benchmarks/bench_repayment.py [--quick]

It builds a fresh demo database with scripts/setup_demo.py (SQLite in a
temporary folder, or a new database on the PostgreSQL server) and drops it
at the end.  With ``--database NAME`` it brings the demo database NAME up
to date with the same script (creating it if missing; SQLite files under
``--path``, by default TRYTOND_DATABASE__PATH or var/) and keeps it: the
benchmark's loans (borrower 还款基准客户) and their repayments stay in it.
``--quick`` is a smoke run: fewer postings in case 1, 100 repayments on 10
loans in case 2.

Case 1, in this process, inside trytond transactions as the admin user
with the demo company in the context: two equal-installment loans are
built and disbursed as the module's tests build one (a disbursement
transaction posted), then given a history of repayments posted through
``Repayment.post``, so that ``Loan.replay`` makes their penalty, accrual
and repayment transactions: a loan of 60 installments with about 200
transactions (repayments in halves and late, with penalty), and the
baseline, a loan of 12 installments with 5 transactions (disbursement and
two installments paid on their due dates).  The transactions actually in
each history are counted and printed.  Then one repayment of 100.00 dated
today is created and posted (``--postings`` times after two warm-up
postings, alternately on the two loans), each in its own transaction that
is rolled back so that the histories keep their size.  The loan's row is
locked when the transaction starts, as trytond 8 does once ``post`` asks
for the lock.  Printed: median and p95 of create + post on each loan and
their ratio against the ratio of the histories.

Case 2, through a real trytond server (``python -O .venv/bin/trytond`` as
tests/conftest.py starts it, TRYTOND_DATABASE_NAMES set): ``--loans``
active loans of 12 installments, started 70 days ago (two installments
overdue), are committed first.  ``--clients`` threads, each logged in as
the demo ``cashier`` in its own session, create and post
``--repayments`` repayments in all, on loans drawn at random (so that
tellers meet on one loan), by JSON-RPC: amounts of 50.00 to 3,000.00,
dated today or, one in ten, 1 to 20 days back (keyed in late: the loan's
later allocations are replayed).  A second teller on a loan waits for
the first (``Loan.lock`` updates the loan's row) and the server runs its
request again on what the first committed: counted as the server's
"Retry:" lines.  A request the server still refuses for a database reason
(HTTP 503, after trytond's retries) is tried again by the client after a
short pause, up to 5 times, and counted.
Printed: the throughput (repayments posted per second of wall time), the
latency of create + post per repayment (median, p95), how many posts met
another teller's post on the same loan, the requests retried by the
client, the retries in the server's log and the repayments refused.

Then, in a transaction of this process, for every loan of case 2: what
``Loan.replay`` would reverse or post, computed as it does
(``Loan.servicing``, ``loan._serviced_values`` and ``_difference`` of
microloan_core/loan.py against the transactions in force; through
``Loan.replay_differences`` where the module has it), and whether the
repayment transactions in force sum to the posted repayments, each
allocated exactly once.  A loan failing one of these is a double
allocation; there must be none.  As a cross-check ``Loan.replay`` itself
runs on those loans in a transaction that is rolled back and the
transactions it would post are counted.

On SQLite, case 2 runs too, but SQLite serializes writers: its throughput
says nothing of PostgreSQL's.  The script exits 1 on a double allocation
or a refused repayment, or when microloan_core's files changed during the
run (the header prints the commit and a digest of the files it ran), and 2
when not run with ``python -O``.
"""
import argparse
import collections
import datetime as dt
import html
import math
import os
import pathlib
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
from decimal import Decimal

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.conftest import _free_port, rpc  # noqa: E402
from tests.demo import setup_demo  # noqa: E402
from tests.origination import PASSWORDS, _date  # noqa: E402
from tests.test_rpc import _login  # noqa: E402

BORROWER = '还款基准客户'
FUND_ACCOUNT = '工行朝阳支行基本户'  # scripts/demo_servicing.py BANK
LOAN_TABLE = 'microloan_loan'
HISTORY_TRANSACTIONS = 200
BASELINE_TRANSACTIONS = 5
WARM_UP = 2
ATTEMPTS = 5
BACKDATED = 0.1
LOGCONF = """[formatters]
keys=plain
[handlers]
keys=stderr
[loggers]
keys=root,transaction,dispatcher
[formatter_plain]
format=%(asctime)s %(levelname)s %(name)s %(message)s
[handler_stderr]
class=StreamHandler
args=(sys.stderr,)
formatter=plain
[logger_root]
level=WARNING
handlers=stderr
[logger_transaction]
level=DEBUG
handlers=
qualname=trytond.transaction
[logger_dispatcher]
level=DEBUG
handlers=
qualname=trytond.protocols.dispatcher
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--database',
        help='use (and keep) this demo database instead of a scratch one')
    parser.add_argument('--path',
        default=os.environ.get('TRYTOND_DATABASE__PATH',
            str(ROOT / 'var')),
        help='folder of the SQLite file of --database')
    parser.add_argument('--quick', action='store_true',
        help='a smoke run: fewer postings and repayments')
    parser.add_argument('--postings', type=int,
        help='timed postings on each loan of case 1 (40; 10 with --quick)')
    parser.add_argument('--loans', type=int,
        help='loans of case 2 (40; 10 with --quick)')
    parser.add_argument('--clients', type=int, default=4)
    parser.add_argument('--repayments', type=int,
        help='repayments of case 2, all clients (1000; 100 with --quick)')
    parser.add_argument('--seed', type=int, default=20261130)
    args = parser.parse_args()
    defaults = {'postings': (40, 10), 'loans': (40, 10),
        'repayments': (1000, 100)}
    for name, (full, quick) in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, quick if args.quick else full)
    return args


def code_state():
    """The commit of the work tree, and a digest of the module's files as
    they are (uncommitted changes included, its tests excepted)"""
    import hashlib
    head = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'],
        cwd=ROOT, capture_output=True, text=True).stdout.strip()
    head = head or '(not a git checkout)'
    digest = hashlib.sha1()
    for path in sorted((ROOT / 'microloan_core').rglob('*')):
        if (path.suffix in {'.py', '.xml', '.cfg'} and path.is_file()
                and 'tests' not in path.relative_to(ROOT).parts):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return head, digest.hexdigest()[:12]


def percentile(values, share):
    "The nearest-rank percentile share (0 to 1) of values"
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def ms(seconds):
    return '%.1f ms' % (seconds * 1000)


# The database and the trytond pool of this process

def build_demo(name, path, env, folder):
    """Create or update the demo database name with scripts/setup_demo.py
    (its output in folder)"""
    log = os.path.join(folder, 'setup_demo.log')
    with open(log, 'w') as output:
        done = subprocess.run(
            [sys.executable, '-O', str(ROOT / 'scripts' / 'setup_demo.py'),
                '--database', name, '--path', path],
            env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
    if done.returncode:
        with open(log) as output:
            sys.exit('scripts/setup_demo.py failed:\n'
                + ''.join(output.readlines()[-30:]))


def run(name, user, context, func, commit=True, locks=None):
    """Return func() run in a transaction of database name as trytond's
    dispatcher runs a request: started again with the locks the code asked
    for (trytond 8 takes record locks when a transaction starts) and
    committed, or rolled back when commit is false; locks: {table: ids}
    locked from the start"""
    from trytond.transaction import Transaction, TransactionError
    extras = {'_lock_records': dict(locks)} if locks else {}
    while True:
        with Transaction().start(
                name, user, context=context, **extras) as transaction:
            try:
                result = func()
            except TransactionError as error:
                transaction.rollback()
                error.fix(extras)
                continue
            if not commit:
                transaction.rollback()
            return result


def admin_context(name):
    "The id and the preferences context of the demo's admin user"
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    def read():
        User = Pool().get('res.user')
        admin, = User.search([('login', '=', 'admin')])
        with Transaction().set_user(admin.id):
            return admin.id, User.get_preferences(context_only=True)
    user, context = run(name, 0, {}, read, commit=False)
    if not context.get('company'):
        sys.exit('the admin user of %s has no company' % name)
    return user, context


def backend_version(name):
    "The name and version of the database backend"
    from trytond import backend
    from trytond.transaction import Transaction

    def read():
        if backend.name == 'sqlite':
            import sqlite3
            return 'SQLite %s' % sqlite3.sqlite_version
        cursor = Transaction().connection.cursor()
        cursor.execute('SHOW server_version')
        return 'PostgreSQL %s' % cursor.fetchone()[0]
    return run(name, 0, {}, read, commit=False)


# Loans and repayments, inside a transaction

def fund_account():
    FundAccount = _get('microloan.fund_account')
    account, = FundAccount.search([('name', '=', FUND_ACCOUNT)])
    return account.id


def _get(model):
    from trytond.pool import Pool
    return Pool().get(model)


def new_borrower():
    Party = _get('party.party')
    party, = Party.create([{'name': BORROWER}])
    return party


def new_loan(borrower, start, term, principal=Decimal('300000.00')):
    """A loan of the context's company at 12 % in term equal installments
    from start, disbursed that day as the module's tests disburse one"""
    from trytond.modules.microloan_core.tests.tools import create_loan, post
    from trytond.transaction import Transaction
    Loan = _get('microloan.loan')
    company = _get('company.company')(Transaction().context['company'])
    loan = create_loan(company, borrower, principal,
        start_date=start, term_months=term)
    Loan.compute_schedule([loan])
    Loan.write([loan], {'state': 'disbursing'})
    post(loan, 'disbursement', start, principal=loan.principal)
    return Loan(loan.id)


def repay(loan_id, account, date, amount):
    "Create and post a repayment of amount on loan_id dated date"
    Repayment = _get('microloan.loan.repayment')
    repayment, = Repayment.create([{
                'loan': loan_id, 'date': date, 'amount': amount,
                'fund_account': account, 'channel': 'transfer',
                'payer': BORROWER,
                }])
    Repayment.post([repayment])
    return repayment


def amount_due(loan_id, date):
    "What is due on loan_id on date, penalty and compound included"
    from trytond.transaction import Transaction
    Loan = _get('microloan.loan')
    with Transaction().set_context(servicing_date=date):
        return Loan(loan_id).amount_due


def transaction_count(loan_id):
    LoanTransaction = _get('microloan.loan.transaction')
    return LoanTransaction.search([('loan', '=', loan_id)], count=True)


def give_history(loan, account, target, on_time):
    """Post repayments of loan's installments in date order until it has
    target transactions: each paid on its due date when on_time, else
    alternately half on its due date and the rest 6 days late, or all of
    it 10 days late (penalty and compound interest)"""
    today = _get('ir.date').today()
    for index, installment in enumerate(loan.installments):
        if transaction_count(loan.id) >= target:
            break
        due = installment.due_date
        if on_time:
            payments = [(due, installment.total)]
        elif index % 2 == 0:
            payments = [
                (due, (installment.total / 2).quantize(Decimal('0.01'))),
                (due + dt.timedelta(days=6), None)]
        else:
            payments = [(due + dt.timedelta(days=10), None)]
        if payments[-1][0] > today:
            break
        for date, amount in payments:
            repay(loan.id, account, date,
                amount if amount is not None else amount_due(loan.id, date))


def describe(loan_id):
    """The installments, paid ones and transactions (in all, in force, by
    kind) of loan_id"""
    Loan = _get('microloan.loan')
    LoanTransaction = _get('microloan.loan.transaction')
    loan = Loan(loan_id)
    transactions = LoanTransaction.search([('loan', '=', loan_id)])
    in_force = LoanTransaction.in_force([loan_id], [
            k for k, _ in LoanTransaction.kind.selection])
    kinds = collections.Counter(t.kind for t in transactions)
    return {
        'installments': len(loan.installments),
        'paid': sum(1 for i in loan.installments
            if i.installment_state == 'paid'),
        'days_past_due': loan.days_past_due,
        'transactions': len(transactions),
        'in_force': len(in_force),
        'kinds': ', '.join('%s %d' % (k, n) for k, n in sorted(
                    kinds.items())),
        }


# Case 1

def case_history(name, user, context, args):
    from trytond.modules.microloan_core.engine import add_months

    def build():
        today = _get('ir.date').today()
        account = fund_account()
        borrower = new_borrower()
        # the 50th due date 12 days ago: the last late payment is 2 days old
        history = new_loan(borrower,
            add_months(today, -50) - dt.timedelta(days=12), 60)
        give_history(history, account, HISTORY_TRANSACTIONS, on_time=False)
        baseline = new_loan(borrower,
            add_months(today, -2) - dt.timedelta(days=12), 12)
        give_history(baseline, account, BASELINE_TRANSACTIONS, on_time=True)
        return account, history.id, baseline.id

    started = time.perf_counter()
    account, history, baseline = run(name, user, context, build)
    built = time.perf_counter() - started
    loans = {'baseline': baseline, 'history': history}
    facts = run(name, user, context,
        lambda: {k: describe(v) for k, v in loans.items()}, commit=False)

    def posting(loan_id):
        today = _get('ir.date').today()
        begin = time.perf_counter()
        repay(loan_id, account, today, Decimal('100.00'))
        return time.perf_counter() - begin, transaction_count(loan_id)

    times = {k: [] for k in loans}
    made = {k: collections.Counter() for k in loans}
    for index in range(WARM_UP + args.postings):
        for key, loan_id in loans.items():
            seconds, after = run(name, user, context,
                lambda: posting(loan_id), commit=False,
                locks={LOAN_TABLE: [loan_id]})
            if index >= WARM_UP:
                times[key].append(seconds)
                made[key][after - facts[key]['transactions']] += 1
    after = run(name, user, context,
        lambda: {k: transaction_count(v) for k, v in loans.items()},
        commit=False)

    print()
    print('Case 1: create + post of one repayment (100.00, dated today) '
        'against the loan\'s history, in this process')
    print('  loans and histories built and committed in %.1f s (each history '
        'repayment posted through Repayment.post)' % built)
    for key, fact in facts.items():
        print('  %s loan: %d installments (%d paid, %s days past due), '
            '%d transactions in its history (%d in force): %s' % (
                key, fact['installments'], fact['paid'],
                fact['days_past_due'], fact['transactions'],
                fact['in_force'], fact['kinds']))
    print('  %d timed postings on each loan (after %d warm-up), alternately, '
        'each in its own transaction rolled back (histories unchanged: '
        '%s transactions after)' % (args.postings, WARM_UP, ' and '.join(
                str(after[k]) for k in loans)))
    for key in loans:
        values = times[key]
        print('  %-8s median %s, p95 %s, mean %s, min %s, max %s; '
            'transactions each posting made: %s' % (
                key, ms(statistics.median(values)),
                ms(percentile(values, 0.95)), ms(statistics.mean(values)),
                ms(min(values)), ms(max(values)),
                ', '.join('%d (x%d)' % (n, c)
                    for n, c in sorted(made[key].items()))))
    history_ratio = (facts['history']['transactions']
        / facts['baseline']['transactions'])
    median_ratio = (statistics.median(times['history'])
        / statistics.median(times['baseline']))
    p95_ratio = (percentile(times['history'], 0.95)
        / percentile(times['baseline'], 0.95))
    slope = ((statistics.median(times['history'])
            - statistics.median(times['baseline']))
        / (facts['history']['transactions']
            - facts['baseline']['transactions']))
    print('  ratio history / baseline: %.1fx the transactions -> %.2fx the '
        'median time, %.2fx the p95' % (
            history_ratio, median_ratio, p95_ratio))
    print('  marginal cost: %.2f ms per transaction of history (medians)'
        % (slope * 1000))
    return {'history_ratio': history_ratio, 'median_ratio': median_ratio}


# Case 2

def new_loans(count):
    "count loans of 12 installments started 70 days ago, disbursed"
    today = _get('ir.date').today()
    borrower = new_borrower()
    return [new_loan(borrower, today - dt.timedelta(days=70), 12).id
        for _ in range(count)]


def start_server(name, env, folder):
    """Start trytond (python -O) serving database name on a free port;
    return the process, the server dict of tests/conftest.py's rpc and the
    path of its log"""
    port = _free_port()
    env = dict(env, TRYTOND_DATABASE_NAMES=name,
        TRYTOND_WEB__LISTEN='127.0.0.1:%s' % port)
    logconf = os.path.join(folder, 'logging.conf')
    with open(logconf, 'w') as output:
        output.write(LOGCONF)
    log_path = os.path.join(folder, 'trytond-server.log')
    log = open(log_path, 'w')
    trytond = pathlib.Path(sys.executable).parent / 'trytond'
    process = subprocess.Popen(
        [sys.executable, '-O', str(trytond), '--logconf', logconf],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    server = {'url': 'http://127.0.0.1:%s/' % port, 'database': name}
    deadline = time.monotonic() + 300
    while True:
        try:
            # as tests/conftest.py warms it up: the first login loads the
            # database's pool
            _login(server, 'admin', setup_demo.ADMIN_PASSWORD)
            return process, server, log_path
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                sys.exit('the server did not start, see %s' % log_path)
            time.sleep(0.5)


class Refused(Exception):
    pass


def attempt(stats, kind, func):
    """Return func() (one JSON-RPC request), tried again after a short
    pause when the server answers with a database error or the connection
    fails, ATTEMPTS times at most; raise Refused otherwise"""
    for number in range(ATTEMPTS):
        try:
            return func()
        except urllib.error.HTTPError as error:
            reason = 'HTTP %s %s' % (error.code, error.reason)
            # the server's text, once: werkzeug's page without its tags
            stats['texts'].setdefault(reason, html.unescape(' '.join(re.sub(
                            '<[^>]*>', ' ', error.read().decode(
                                errors='replace')).split()))[:300])
        except RuntimeError as error:
            # a JSON-RPC error: a user error, not worth trying again
            stats['refusals'].append('%s: %s' % (kind, error))
            raise Refused()
        except OSError as error:
            reason = '%s: %s' % (type(error).__name__, error)
        stats['retried'][kind, reason] += 1
        time.sleep(random.uniform(0.05, 0.2) * (number + 1))
    stats['refusals'].append('%s: %s after %d attempts' % (
            kind, reason, ATTEMPTS))
    raise Refused()


def teller(server, loans, account, today, count, seed, barrier, stats):
    """Log in as the demo cashier and create and post count repayments on
    loans drawn at random, dated today (the company's date) or earlier"""
    session, context = _login(server, 'cashier', PASSWORDS['cashier'])
    rng = random.Random(seed)
    barrier.wait()
    for _ in range(count):
        loan = rng.choice(loans)
        date = today
        if rng.random() < BACKDATED:
            date = today - dt.timedelta(days=rng.randint(1, 20))
        amount = Decimal(rng.randint(5_000, 300_000)).scaleb(-2)
        values = {'loan': loan, 'date': _date(date),
            'amount': {'__class__': 'Decimal', 'decimal': str(amount)},
            'fund_account': account, 'channel': 'transfer',
            'payer': BORROWER}
        begin = time.perf_counter()
        try:
            repayment, = attempt(stats, 'create', lambda: rpc(server,
                    'model.microloan.loan.repayment.create',
                    [[values], context], session=session, timeout=300))
            post_begin = time.perf_counter()
            attempt(stats, 'post', lambda: rpc(server,
                    'model.microloan.loan.repayment.post',
                    [[repayment], context], session=session, timeout=300))
        except Refused:
            continue
        end = time.perf_counter()
        stats['latency'].append(end - begin)
        stats['posts'].append((loan, post_begin, end))
        stats['posted'] += amount


def meetings(posts):
    """The number of posts that overlapped in time a post of another teller
    on the same loan"""
    by_loan = collections.defaultdict(list)
    for client, (loan, begin, end) in posts:
        by_loan[loan].append((begin, end, client))
    met = 0
    for intervals in by_loan.values():
        for begin, end, client in intervals:
            if any(c != client and b < end and begin < e
                    for b, e, c in intervals):
                met += 1
    return met


def server_log(log_path):
    "The retries and errors logged by the server"
    retries = collections.Counter()
    errors = []
    with open(log_path, errors='replace') as log:
        for line in log:
            if 'Retry: ' in line:
                retries[line.split()[3]] += 1
            elif ' ERROR ' in line or 'Traceback' in line:
                errors.append(line.strip())
    return retries, errors


def replay_differences(loans):
    """Return {loan id: (the transactions in force to reverse, the values
    to post)} that Loan.replay would make of loans now: the module's
    Loan.replay_differences where it has one, else computed as Loan.replay
    of commit 2dda309 computes it (Loan.servicing, loan._serviced_values
    and _difference against the transactions in force)"""
    from trytond.modules.microloan_core.loan import (
        SERVICED_KINDS, _difference)
    Loan = _get('microloan.loan')
    LoanTransaction = _get('microloan.loan.transaction')
    if hasattr(Loan, 'replay_differences'):
        return Loan.replay_differences(loans)
    events = Loan._servicing_events(loans)
    posted = collections.defaultdict(list)
    for transaction in LoanTransaction.in_force(loans, SERVICED_KINDS):
        posted[transaction.loan.id].append(transaction)
    checkpoints = {}
    for loan in loans:
        marks = {e.date for e, _ in events[loan.id] if e.kind == 'repayment'}
        marks |= {t.date for t in posted[loan.id] if t.kind != 'repayment'}
        checkpoints[loan.id] = marks
    servicing = Loan.servicing(
        loans, checkpoints=checkpoints, events=events)
    return {loan.id: _difference(posted[loan.id], loan._serviced_values(
                servicing[loan.id], dict(events[loan.id])))
        for loan in loans}


def check_loans(loan_ids):
    """Return, for each loan, what a replay would change and the money of
    its posted repayments and of its repayment transactions in force"""
    Loan = _get('microloan.loan')
    LoanTransaction = _get('microloan.loan.transaction')
    Repayment = _get('microloan.loan.repayment')
    loans = Loan.browse(loan_ids)
    differences = replay_differences(loans)
    allocations = collections.defaultdict(list)
    for transaction in LoanTransaction.in_force(loans, ['repayment']):
        allocations[transaction.loan.id].append(transaction)
    repayments = collections.defaultdict(list)
    for repayment in Repayment.search([
                ('loan', 'in', loan_ids), ('state', '=', 'posted')]):
        repayments[repayment.loan.id].append(repayment)
    result = {}
    for loan in loans:
        reverse, post = differences[loan.id]
        mine = allocations[loan.id]
        own = repayments[loan.id]
        origins = collections.Counter(
            str(t.origin) if t.origin else None for t in mine)
        result[loan.id] = {
            'reverse': len(reverse),
            'post': len(post),
            'repayments': len(own),
            'posted': sum((r.amount for r in own), Decimal(0)),
            'allocations': len(mine),
            'allocated': -sum((t.amount for t in mine), Decimal(0)),
            'not_once': sum(1 for r in own if origins[str(r)] != 1),
            'strays': sum(n for o, n in origins.items()
                if o not in {str(r) for r in own}),
            }
    return result


def replayed(loan_ids):
    "The transactions Loan.replay posts on loan_ids (rolled back after)"
    Loan = _get('microloan.loan')
    before = sum(transaction_count(i) for i in loan_ids)
    Loan.replay(Loan.browse(loan_ids))
    return sum(transaction_count(i) for i in loan_ids) - before


def case_concurrency(name, user, context, env, folder, args, backend_name):
    started = time.perf_counter()
    loan_ids = run(name, user, context, lambda: new_loans(args.loans))
    account, today = run(name, user, context,
        lambda: (fund_account(), _get('ir.date').today()), commit=False)
    print()
    print('Case 2: %d repayments by %d cashier clients at once through a '
        'trytond server (python -O, JSON-RPC), on %d loans' % (
            args.repayments, args.clients, len(loan_ids)))
    if backend_name == 'sqlite':
        print('  NOTE: SQLite serializes writers (one writing transaction '
            'at a time, the others wait for it): this says nothing of '
            'PostgreSQL\'s throughput')
    print('  %d active loans (300,000.00, 12 installments, 2 overdue) '
        'committed in %.1f s' % (
            len(loan_ids), time.perf_counter() - started))
    process, server, log_path = start_server(name, env, folder)
    try:
        share, extra = divmod(args.repayments, args.clients)
        barrier = threading.Barrier(args.clients + 1)
        stats = [{'latency': [], 'posts': [], 'refusals': [], 'texts': {},
                'retried': collections.Counter(), 'posted': Decimal(0)}
            for _ in range(args.clients)]
        threads = [threading.Thread(target=teller, args=(
                    server, loan_ids, account, today,
                    share + (1 if i < extra else 0), args.seed + i,
                    barrier, stats[i]))
            for i in range(args.clients)]
        for thread in threads:
            thread.start()
        barrier.wait()
        begin = time.perf_counter()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - begin
    finally:
        process.terminate()
        process.wait(timeout=60)
    latency = [s for c in stats for s in c['latency']]
    posts = [(i, p) for i, c in enumerate(stats) for p in c['posts']]
    retried = sum((c['retried'] for c in stats), collections.Counter())
    refusals = [r for c in stats for r in c['refusals']]
    texts = {}
    for client in stats:
        texts.update(client['texts'])
    posted = sum((c['posted'] for c in stats), Decimal(0))
    retries, errors = server_log(log_path)
    print('  posted by the clients: %d repayments, %s, in %.1f s of wall '
        'time' % (len(latency), posted, wall))
    print('  throughput: %.1f repayments/s' % (len(latency) / wall))
    if latency:
        print('  latency of create + post per repayment: median %s, p95 %s, '
            'max %s' % (ms(statistics.median(latency)),
                ms(percentile(latency, 0.95)), ms(max(latency))))
    print('  posts that met another teller\'s post on the same loan: %d '
        'of %d' % (meetings(posts), len(posts)))
    print('  requests retried by the clients: %d%s' % (
            sum(retried.values()), ''.join(
                '\n    %s, %s: %d' % (k, r, n)
                for (k, r), n in sorted(retried.items()))))
    for reason, text in sorted(texts.items()):
        print('    the server\'s answer (%s): %s' % (reason, text))
    print('  retries in the server\'s log (trytond "Retry:"): %d%s' % (
            sum(retries.values()), ''.join(
                '\n    %s: %d' % (k, n) for k, n in sorted(retries.items()))))
    print('  repayments refused: %d%s' % (len(refusals), ''.join(
                '\n    ' + r for r in refusals[:5])))
    if errors:
        print('  errors in the server\'s log: %d, the first: %s' % (
                len(errors), errors[0][:400]))

    checks = run(name, user, context, lambda: check_loans(loan_ids),
        commit=False)
    would_post = run(name, user, context, lambda: replayed(loan_ids),
        commit=False, locks={LOAN_TABLE: loan_ids})
    changing = [i for i, c in checks.items() if c['reverse'] or c['post']]
    unequal = [i for i, c in checks.items()
        if c['posted'] != c['allocated'] or c['not_once'] or c['strays']]
    double = len(set(changing) | set(unequal))
    total = {k: sum(c[k] for c in checks.values())
        for k in ['repayments', 'posted', 'allocations', 'allocated',
            'not_once', 'strays', 'reverse', 'post']}
    print('  after the run, in a transaction of this process:')
    print('    posted repayments on the loans: %d, %s; repayment '
        'transactions in force: %d, %s' % (
            total['repayments'], total['posted'], total['allocations'],
            total['allocated']))
    print('    repayments not allocated exactly once: %d; allocations '
        'without their posted repayment: %d' % (
            total['not_once'], total['strays']))
    print('    loans a replay would change (Loan.servicing + '
        '_serviced_values + _difference): %d of %d (%d transactions to '
        'reverse, %d to post)' % (len(changing), len(checks),
            total['reverse'], total['post']))
    print('    loans whose repayment transactions do not sum to their '
        'posted repayments: %d' % len(unequal))
    print('    Loan.replay run on the %d loans and rolled back: %d '
        'transactions posted' % (len(loan_ids), would_post))
    print('  double allocations: %d' % double)
    return {'double': double, 'refused': len(refusals),
        'replayed': would_post}


def drop(name):
    "Drop the PostgreSQL database name once this process let it go"
    from trytond import backend
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    Pool.stop(name)
    backend.Database(name).close()
    with Transaction().start(
            None, 0, close=True, autocommit=True) as transaction:
        if name in transaction.database.list():
            transaction.database.drop(transaction.connection, name)


def main():
    args = parse_args()
    if not sys.flags.optimize:
        print('Run me with python -O (as servers and batches run).')
        return 2
    uri = os.environ.setdefault('TRYTOND_DATABASE_URI', 'sqlite://')
    backend_name = 'sqlite' if uri.startswith('sqlite') else 'postgresql'
    scratch = tempfile.mkdtemp(prefix='bench_repayment_')
    name = args.database or 'bench_repayment_%d' % os.getpid()
    path = args.path if args.database else scratch
    os.makedirs(path, exist_ok=True)
    os.environ['TRYTOND_DATABASE__PATH'] = os.path.abspath(path)
    env = dict(os.environ)
    for key in ['DB_NAME', 'DB_CACHE']:
        env.pop(key, None)
    status = 0
    code = code_state()
    try:
        started = time.perf_counter()
        build_demo(name, path, env, scratch)
        demo_seconds = time.perf_counter() - started

        import trytond
        from trytond.pool import Pool
        Pool.start()
        Pool(name).init()
        user, context = admin_context(name)
        print('Repayment posting benchmark: Python %s (%s), trytond %s, %s, '
            '%d CPU, load average %.2f, %s' % (
                platform.python_version(), platform.machine(),
                trytond.__version__, backend_version(name),
                len(os.sched_getaffinity(0)), os.getloadavg()[0],
                dt.date.today()))
        print('code: commit %s; microloan_core as run (uncommitted changes '
            'included, tests excepted): digest %s' % code)
        print('database %s (%s), demo built by scripts/setup_demo.py in '
            '%.1f s' % (name, 'kept' if args.database else
                'scratch, dropped at the end', demo_seconds))
        first = case_history(name, user, context, args)
        second = case_concurrency(
            name, user, context, env, scratch, args, backend_name)
        print()
        digest = code_state()[1]
        if digest != code[1]:
            print('WARNING: microloan_core changed during the run (digest '
                '%s at the end): the database, this process and the server '
                'may not have run the same code' % digest)
            status = 1
        if second['double'] or second['replayed']:
            print('FAIL: double allocations')
            status = 1
        elif second['refused']:
            print('FAIL: %d repayments refused' % second['refused'])
            status = 1
        elif not status:
            print('OK: %.1fx the history costs %.2fx the posting time; no '
                'double allocation, no refused repayment' % (
                    first['history_ratio'], first['median_ratio']))
    finally:
        if not args.database and backend_name != 'sqlite':
            drop(name)
        shutil.rmtree(scratch, ignore_errors=True)
    return status


if __name__ == '__main__':
    sys.exit(main())
