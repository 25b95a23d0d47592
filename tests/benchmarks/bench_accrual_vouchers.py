#!/usr/bin/env python3
# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Benchmark of a day's interest accruals into the ledger (生成凭证): one
aggregated voucher per product against one voucher per loan.

Run it optimised, from the repository root, on PostgreSQL (a server on
127.0.0.1:5432, user postgres, trust auth):

    TRYTOND_DATABASE_URI=postgresql://postgres@127.0.0.1:5432/ \\
        .venv/bin/python -O tests/benchmarks/bench_accrual_vouchers.py \\
        [--loans 100000] [--baseline-sample 1000] [--products 3]

or on SQLite (a file in a temporary folder), without TRYTOND_DATABASE_URI.

It makes a fresh database (``createdb`` on the server, dropped at the end)
with microloan_accounting activated (trytond-admin), then, in one committed
transaction: a CNY company with the microloan chart, the fiscal year 2026
of monthly periods, the loan journal and the default posting rules
(``setup_ledger`` of microloan_accounting/tests/tools.py), a fund account
booked on the chart's bank account, --products loan products and, for each
product, one template loan made through the ORM (disbursed, its
disbursement in a voucher, one accrual transaction posted on the day by
``LoanTransaction.post``).  The template rows are then cloned by bulk SQL
(COPY on PostgreSQL, python-sql inserts of many rows on SQLite; no ORM
create) into --loans active loans in all, the products' loans interleaved,
each of its own borrower (an individual customer with his resident ID),
each with one pending accrual of the day: ``kind`` accrual, ``interest``
equal to ``amount`` (a day's interest on its principal), the other portions
0, ``ledger_state`` pending, the template's ``created_by`` and
``posted_at``; so the rows are what the ORM writes (the peer's sample is
validated through the ORM).  The loans have no schedule rows: posting reads
only the transactions.

Case 1, the aggregated posting: ``LoanTransaction.post_to_ledger(company,
day)`` in one transaction (docs/accounting.md, Posting: one grouped query,
one voucher per product, one UPDATE linking the transactions), timed.
Printed and checked: the vouchers made (one per product), their lines, the
transactions linked to them (a count query: all of them, none left
pending), and each voucher's debit and credit totals against the SQL sum of
its product's accruals of the day, to the fen.  Rolled back after.

The peer, in the same run: the per-loan posting a naive program would do,
on --baseline-sample transactions taken evenly over the portfolio, in one
transaction: for each, its lines by the posting rules
(``LoanTransaction._voucher_lines`` of that one transaction),
``Move.voucher_values`` and one ``Move.create``, then the transaction
linked to its voucher.  Timed (also by blocks of 100 vouchers, to show
whether a voucher costs more as the transaction grows), checked against
the SQL sum of the sample, extrapolated to --loans by loans per second,
and rolled back.  The ratio of the two is printed.

The script exits 1 when a check fails and 2 when not run with python -O.
"""
import argparse
import datetime as dt
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import ROUND_HALF_UP, Decimal

DAY = dt.date(2026, 3, 10)
PRODUCTS = [
    ('XF01', "个人消费贷"),
    ('JY01', "个体经营贷"),
    ('NH01', "农户贷"),
    ('CY01', "创业贷"),
    ('QY01', "小微企业贷"),
    ]
CHUNK = 10_000
# rows of one INSERT on SQLite, that refuses a statement of more variables
# than SQLITE_VARIABLES
SQLITE_VARIABLES = 30_000
CENT = Decimal('0.01')
# the per-loan vouchers are timed by blocks of
BLOCK = 100


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--loans', type=int, default=100_000)
    parser.add_argument('--baseline-sample', type=int, default=1_000)
    parser.add_argument('--products', type=int, default=3,
        choices=range(1, len(PRODUCTS) + 1))
    parser.add_argument('--seed', type=int, default=20260310)
    args = parser.parse_args()
    if args.loans < args.products:
        parser.error('--loans must be at least --products')
    args.baseline_sample = max(1, min(args.baseline_sample, args.loans))
    return args


def create_database(name, path, folder):
    """Create the database name with microloan_accounting activated
    (trytond-admin, its output in folder)"""
    env = dict(os.environ, TRYTOND_DATABASE__PATH=path)
    for key in ['DB_NAME', 'DB_CACHE']:
        env.pop(key, None)
    passfile = os.path.join(folder, 'admin-password')
    with open(passfile, 'w') as fp:
        fp.write('bench')
    env['TRYTONPASSFILE'] = passfile
    if env['TRYTOND_DATABASE_URI'].startswith('sqlite'):
        open(os.path.join(path, name + '.sqlite'), 'a').close()
    else:
        subprocess.run(['createdb', '-h', '127.0.0.1', '-U', 'postgres',
                name], check=True)
    admin = os.path.join(os.path.dirname(sys.executable), 'trytond-admin')
    log = os.path.join(folder, 'trytond-admin.log')
    with open(log, 'w') as output:
        done = subprocess.run([sys.executable, '-O', admin, '-d', name,
                '--all', '-u', 'microloan_accounting',
                '--activate-dependencies', '--email', 'admin@example.com'],
            env=env, stdout=output, stderr=subprocess.STDOUT)
    if done.returncode:
        with open(log) as output:
            raise SystemExit('trytond-admin failed:\n'
                + ''.join(output.readlines()[-30:]))
    os.environ['TRYTOND_DATABASE__PATH'] = path


def drop_database(name):
    "Drop the PostgreSQL database name once this process let it go"
    from trytond import backend
    from trytond.pool import Pool
    Pool.stop(name)
    backend.Database(name).close()
    subprocess.run(['dropdb', '-h', '127.0.0.1', '-U', 'postgres', name],
        check=False)


def run(name, user, func, commit=True):
    """Return func() run in a transaction of database name as trytond's
    dispatcher runs a request: started again with the locks the code asked
    for (trytond 8 takes table and record locks when a transaction starts),
    then committed or, when commit is false, rolled back"""
    from trytond.transaction import Transaction, TransactionError
    extras = {}
    while True:
        with Transaction().start(name, user, **extras) as transaction:
            try:
                result = func()
            except TransactionError as error:
                transaction.rollback()
                error.fix(extras)
                continue
            if not commit:
                transaction.rollback()
            return result


def backend_version():
    from trytond import backend
    from trytond.transaction import Transaction
    if backend.name == 'sqlite':
        import sqlite3
        return 'SQLite %s' % sqlite3.sqlite_version
    cursor = Transaction().connection.cursor()
    cursor.execute('SHOW server_version')
    return 'PostgreSQL %s' % cursor.fetchone()[0]


# The portfolio, in the setup transaction

def setup_company(products):
    """The company's ledger, fund account, products and one template loan
    per product, disbursed (its voucher made) with one accrual of DAY;
    return the company and [(product, template loan, template accrual)]"""
    from trytond.modules.company.tests import set_company
    from trytond.modules.microloan_accounting.tests.tools import (
        map_fund_accounts, setup_ledger)
    from trytond.modules.microloan_core.tests.tools import (
        create_cny_company, create_customer, create_fund_account,
        create_loan, create_product, post)
    from trytond.pool import Pool
    pool = Pool()
    Loan = pool.get('microloan.loan')
    LoanTransaction = pool.get('microloan.loan.transaction')
    company = create_cny_company()
    templates = []
    with set_company(company):
        setup_ledger(company)
        account = create_fund_account(company)
        map_fund_accounts(company)
        for serial, (code, name) in enumerate(PRODUCTS[:products], 1):
            product = create_product(company, code=code, name=name)
            borrower = create_customer("基准客户%d" % serial, serial)
            loan = create_loan(company, borrower, product=product.id)
            Loan.compute_schedule([loan])
            Loan.write([loan], {'state': 'disbursing'})
            LoanTransaction.post([{
                        'loan': loan.id, 'date': loan.start_date,
                        'kind': 'disbursement', 'amount': loan.principal,
                        'principal': loan.principal,
                        'fund_account': account.id,
                        }])
            templates.append((product, Loan(loan.id)))
        # the disbursements are in their vouchers before the day
        LoanTransaction.post_to_ledger(company, templates[0][1].start_date)
        result = []
        for product, loan in templates:
            accrual = post(loan, 'accrual', DAY, interest=daily_interest(
                    loan.principal, loan.annual_rate))
            result.append((product, loan, accrual))
    return company, result


def fen(value):
    """A SQL sum as a Decimal of fen: SQLite sums NUMERIC columns as
    floats, PostgreSQL exactly"""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def daily_interest(principal, rate):
    "A day's interest on principal at the annual rate (360 days a year)"
    return (principal * rate / 360).quantize(CENT, rounding=ROUND_HALF_UP)


def template_row(table, record_id):
    "The columns and values of the row record_id of table"
    from trytond.transaction import Transaction
    cursor = Transaction().connection.cursor()
    cursor.execute(*table.select(where=table.id == record_id))
    names = [d[0] for d in cursor.description]
    return dict(zip(names, cursor.fetchone()))


def bulk_insert(table, row, changes):
    """Insert one row per item of changes ({column: value} over row, a
    template's {column: value}, its id left out): by COPY on PostgreSQL,
    by INSERTs of many rows on SQLite"""
    from sql import Column
    from trytond import backend
    from trytond.transaction import Transaction
    cursor = Transaction().connection.cursor()
    names = [n for n in row if n != 'id']
    if backend.name == 'postgresql':
        with cursor.copy('COPY "%s" (%s) FROM STDIN' % (table._name,
                    ', '.join('"%s"' % n for n in names))) as copy:
            for change in changes:
                copy.write_row([change.get(n, row[n]) for n in names])
        return
    size = max(1, min(CHUNK, SQLITE_VARIABLES // len(names)))
    columns = [Column(table, n) for n in names]
    for start in range(0, len(changes), size):
        values = []
        for change in changes[start:start + size]:
            values.append([change.get(n, row[n]) for n in names])
        cursor.execute(*table.insert(columns, values))


def fill(templates, count, seed):
    """Clone the template loans into count active loans in all (the
    templates among them), each of its own borrower and with one pending
    accrual of DAY, by bulk SQL; return {product id: loans}"""
    from trytond.modules.microloan_core.tests.tools import ric
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool()
    Party = pool.get('party.party')
    Loan = pool.get('microloan.loan')
    LoanTransaction = pool.get('microloan.loan.transaction')
    Identifier = pool.get('party.identifier')
    party = Party.__table__()
    identifier = Identifier.__table__()
    loan = Loan.__table__()
    transaction = LoanTransaction.__table__()
    cursor = Transaction().connection.cursor()
    rng = random.Random(seed)
    clones = count - len(templates)

    template_party = template_row(party, templates[0][1].borrower.id)
    bulk_insert(party, template_party, [{
                'code': 'BENCH%07d' % i,
                'name': '计提基准客户%d' % i,
                } for i in range(clones)])
    cursor.execute(*party.select(party.id, party.code,
            where=party.code.like('BENCH%')))
    parties = {c: i for i, c in cursor}
    # each an individual customer with his resident ID, as on file
    template_identifier, = Identifier.search([
            ('party', '=', templates[0][1].borrower.id)])
    born = dt.date(1970, 1, 1)
    bulk_insert(identifier, template_row(identifier, template_identifier.id),
        [{'party': parties['BENCH%07d' % i], 'code': ric('110105%s%03d' % (
                        (born + dt.timedelta(days=i // 1000)).strftime(
                            '%Y%m%d'), i % 1000))}
            for i in range(clones)])

    loan_rows = {p.id: template_row(loan, l.id) for p, l, _ in templates}
    accrual_row = template_row(transaction, templates[0][2].id)
    by_product = {}
    for index, (product, _, _) in enumerate(templates):
        changes = []
        # the products' loans interleaved, as they come in
        for i in range(index, clones, len(templates)):
            changes.append({
                    'number': 'JJ-BENCH%07d' % i,
                    'borrower': parties['BENCH%07d' % i],
                    'principal': Decimal(rng.randrange(100, 2001)) * 100,
                    'annual_rate': Decimal(rng.randrange(80, 181)) / 1000,
                    'state': 'active',
                    })
        bulk_insert(loan, loan_rows[product.id], changes)
        by_product[product.id] = len(changes) + 1

    cursor.execute(*loan.select(loan.id, loan.principal, loan.annual_rate,
            where=loan.number.like('JJ-BENCH%')))
    changes = []
    for loan_id, principal, rate in cursor:
        interest = daily_interest(Decimal(principal), Decimal(rate))
        changes.append({'loan': loan_id, 'date': DAY, 'kind': 'accrual',
                'amount': interest, 'interest': interest,
                'principal': 0, 'fees': 0, 'penalty': 0, 'compound': 0,
                'credit': 0, 'fund_account': None, 'origin': None,
                'reverses': None, 'move': None, 'ledger_state': 'pending'})
    bulk_insert(transaction, accrual_row, changes)
    return by_product, len(parties)


def analyze():
    "Bring the planner's statistics up to date, as autovacuum would"
    from trytond import backend
    from trytond.transaction import Transaction
    cursor = Transaction().connection.cursor()
    if backend.name == 'sqlite':
        cursor.execute('ANALYZE')
    else:
        for table in ['party_party', 'microloan_loan',
                'microloan_loan_transaction']:
            cursor.execute('ANALYZE "%s"' % table)


# The checks, in SQL

def day_sums(company, move_ids=None):
    """{product id: (transactions, SUM(interest))} of company's accruals
    of DAY, or of those linked to move_ids; and {move id: product ids}"""
    from sql.aggregate import Count, Sum
    from trytond import backend
    from trytond.pool import Pool
    from trytond.tools import reduce_ids, sqlite_apply_types
    from trytond.transaction import Transaction
    pool = Pool()
    Loan = pool.get('microloan.loan')
    LoanTransaction = pool.get('microloan.loan.transaction')
    transaction = LoanTransaction.__table__()
    loan = Loan.__table__()
    cursor = Transaction().connection.cursor()
    where = ((transaction.kind == 'accrual') & (transaction.date == DAY)
        & (loan.company == company.id))
    if move_ids is not None:
        where &= reduce_ids(transaction.move, move_ids)
    query = transaction.join(loan,
        condition=transaction.loan == loan.id).select(
        loan.product.as_('product'), transaction.move.as_('move'),
        Count(transaction.id).as_('count'),
        Sum(transaction.interest).as_('interest'), where=where,
        group_by=[loan.product, transaction.move])
    if backend.name == 'sqlite':
        sqlite_apply_types(query, [None, None, None, 'NUMERIC'])
    cursor.execute(*query)
    sums, moves = {}, {}
    for product, move, number, total in cursor:
        count, amount = sums.get(product, (0, Decimal(0)))
        sums[product] = (count + number, amount + fen(total))
        moves.setdefault(move, set()).add(product)
    return sums, moves


def linked_count(move_ids):
    "The number of loan transactions linked to move_ids"
    from sql.aggregate import Count
    from trytond.pool import Pool
    from trytond.tools import reduce_ids
    from trytond.transaction import Transaction
    LoanTransaction = Pool().get('microloan.loan.transaction')
    transaction = LoanTransaction.__table__()
    cursor = Transaction().connection.cursor()
    if not move_ids:
        return 0
    cursor.execute(*transaction.select(Count(transaction.id),
            where=reduce_ids(transaction.move, move_ids)))
    return cursor.fetchone()[0]


def pending_count(company):
    "The number of company's loan transactions still pending"
    from trytond.pool import Pool
    LoanTransaction = Pool().get('microloan.loan.transaction')
    return LoanTransaction.search([
            ('loan.company', '=', company.id),
            ('ledger_state', '=', 'pending'),
            ], count=True)


def move_totals(moves):
    "{move id: (lines, debit, credit)}"
    return {m.id: (len(m.lines), sum(l.debit for l in m.lines),
            sum(l.credit for l in m.lines)) for m in moves}


# The two ways of posting

def aggregated(company, count):
    """Post the day by post_to_ledger and check it; return (seconds,
    failures)"""
    from trytond.pool import Pool
    pool = Pool()
    LoanTransaction = pool.get('microloan.loan.transaction')
    Product = pool.get('microloan.product')
    expected, _ = day_sums(company)
    begin = time.perf_counter()
    moves = LoanTransaction.post_to_ledger(company, DAY)
    seconds = time.perf_counter() - begin
    move_ids = [m.id for m in moves]
    totals = move_totals(moves)
    linked = linked_count(move_ids)
    pending = pending_count(company)
    got, products = day_sums(company, move_ids)
    failures = []
    print()
    print('Case 1, aggregated: LoanTransaction.post_to_ledger(company, %s) '
        'for %d loans: %.2f s' % (DAY, count, seconds))
    print('  vouchers made: %d (products with accruals: %d); lines: %d' % (
            len(moves), len(expected), sum(t[0] for t in totals.values())))
    if len(moves) != len(expected) or any(
            len(p) != 1 for p in products.values()):
        failures.append('not one voucher per product')
    print('  transactions linked to them (count query): %d of %d; still '
        'pending: %d' % (linked, count, pending))
    if linked != count or pending:
        failures.append('transactions not all linked')
    for move in moves:
        product, = products.get(move.id, {None})
        lines, debit, credit = totals[move.id]
        number, amount = expected.get(product, (0, Decimal(0)))
        equal = debit == credit == amount == got.get(
            product, (0, None))[1]
        print('  %s %s: voucher %s of %s, %d lines, %d transactions; '
            'debit %s, credit %s, SQL sum of the accruals %s: %s' % (
                Product(product).code, Product(product).name, move.id,
                move.date, lines, got.get(product, (0,))[0], debit, credit,
                amount, 'equal' if equal else 'DIFFERENT'))
        if not equal:
            failures.append('voucher %s differs from its sum' % move.id)
    return seconds, failures


def per_loan(company, sample):
    """Post the sample's transactions one voucher per loan, as a naive
    posting would; return (seconds, failures)"""
    from sql.aggregate import Sum
    from trytond import backend
    from trytond.pool import Pool
    from trytond.tools import reduce_ids, sqlite_apply_types
    from trytond.transaction import Transaction
    pool = Pool()
    LoanTransaction = pool.get('microloan.loan.transaction')
    Move = pool.get('account.move')
    Rule = pool.get('microloan.accounting.rule')
    table = LoanTransaction.__table__()
    cursor = Transaction().connection.cursor()
    query = table.select(Sum(table.interest).as_('interest'), where=reduce_ids(
            table.id, sample))
    if backend.name == 'sqlite':
        sqlite_apply_types(query, ['NUMERIC'])
    cursor.execute(*query)
    expected = fen(cursor.fetchone()[0])

    begin = time.perf_counter()
    index = Rule.index([company])
    moves, marks = [], [begin]
    for transaction_id in sample:
        # one record at a time: a list browsed at once would be read again
        # in full after each voucher's writes clear the cache
        transaction = LoanTransaction(transaction_id)
        lines = LoanTransaction._voucher_lines(index, company, [transaction])
        move, = Move.create([Move.voucher_values(company, transaction.date,
                    transaction._voucher_description(), lines,
                    origin=transaction)])
        LoanTransaction._set_ledger([transaction.id], move, 'voucher')
        moves.append(move)
        if len(moves) % BLOCK == 0:
            marks.append(time.perf_counter())
    seconds = time.perf_counter() - begin
    totals = move_totals(Move.browse([m.id for m in moves]))
    debit = sum(t[1] for t in totals.values())
    credit = sum(t[2] for t in totals.values())
    linked = linked_count([m.id for m in moves])
    failures = []
    print('  %d vouchers, %d lines, %d transactions linked; debit %s, '
        'credit %s, SQL sum of the sample %s: %s' % (len(moves),
            sum(t[0] for t in totals.values()), linked, debit, credit,
            expected, 'equal' if debit == credit == expected
            else 'DIFFERENT'))
    if len(marks) > 2:
        blocks = [b - a for a, b in zip(marks, marks[1:])]
        print('  per voucher, by blocks of %d in the transaction: the first '
            '%.0f ms, the last %.0f ms, the median %.0f ms' % (BLOCK,
                blocks[0] / BLOCK * 1000, blocks[-1] / BLOCK * 1000,
                statistics.median(blocks) / BLOCK * 1000))
    if not debit == credit == expected or linked != len(sample):
        failures.append('the per-loan vouchers differ from the sample')
    return seconds, failures


def sample_ids(company, size):
    """size accrual transactions of DAY taken evenly over the portfolio,
    their rows, their loans' and borrowers' validated by the ORM"""
    from trytond.pool import Pool
    pool = Pool()
    LoanTransaction = pool.get('microloan.loan.transaction')
    Loan = pool.get('microloan.loan')
    Party = pool.get('party.party')
    ids = [t.id for t in LoanTransaction.search([
                ('loan.company', '=', company.id),
                ('kind', '=', 'accrual'), ('date', '=', DAY),
                ], order=[('id', 'ASC')])]
    step = len(ids) / size
    sample = LoanTransaction.browse([ids[int(i * step)] for i in range(size)])
    loans = Loan.browse(list({t.loan.id for t in sample}))
    LoanTransaction._validate(sample)
    Loan._validate(loans)
    Party._validate(list({l.borrower for l in loans}))
    return [t.id for t in sample]


def main():
    args = parse_args()
    if not sys.flags.optimize:
        print('Run me with python -O (as servers and batches run):\n'
            '    .venv/bin/python -O tests/benchmarks/bench_accrual_vouchers'
            '.py')
        return 2
    uri = os.environ.setdefault('TRYTOND_DATABASE_URI', 'sqlite://')
    postgresql = not uri.startswith('sqlite')
    name = 'bench_accrual_%d' % os.getpid()
    folder = tempfile.mkdtemp(prefix='bench_accrual_')
    failures = []
    created = False
    try:
        started = time.perf_counter()
        created = True
        create_database(name, folder, folder)
        admin_seconds = time.perf_counter() - started

        import trytond
        from trytond.modules.company.tests import set_company
        from trytond.pool import Pool
        Pool.start()
        pool = Pool(name)
        pool.init()
        Company = pool.get('company.company')

        print('Accrual voucher benchmark: Python %s (%s), trytond %s, %s, '
            '%d CPU, load average %.2f, %s' % (
                platform.python_version(), platform.machine(),
                trytond.__version__,
                run(name, 0, backend_version, commit=False),
                len(os.sched_getaffinity(0)), os.getloadavg()[0],
                dt.date.today()))
        print('database %s with microloan_accounting (trytond-admin): '
            '%.1f s' % (name, admin_seconds))

        def build():
            started = time.perf_counter()
            company, templates = setup_company(args.products)
            print('company, microloan chart, fiscal year 2026, default '
                'posting rules, %d products with a template loan each '
                '(ORM): %.1f s' % (len(templates),
                    time.perf_counter() - started))
            started = time.perf_counter()
            by_product, parties = fill(templates, args.loans, args.seed)
            print('%d active loans with one pending accrual of %s each '
                '(%s), %d borrowers, by bulk SQL: %.1f s' % (
                    sum(by_product.values()), DAY, ', '.join(
                        '%s %d' % (p.code, by_product[p.id])
                        for p, _, _ in templates),
                    parties + len(templates), time.perf_counter() - started))
            return company.id
        company_id = run(name, 1, build)
        run(name, 0, analyze)

        def in_company(func, *args):
            def call():
                company = Company(company_id)
                with set_company(company):
                    return func(company, *args)
            return call

        seconds, failed = run(name, 1, in_company(aggregated, args.loans),
            commit=False)
        failures += failed
        sample = run(name, 1, in_company(sample_ids, args.baseline_sample),
            commit=False)
        print()
        print('Peer, per loan: one voucher per loan transaction (its lines '
            'by the rules, Move.voucher_values, Move.create, the link), on '
            '%d of the %d loans (their rows, loans and borrowers validated '
            'by the ORM):' % (len(sample), args.loans))
        peer_seconds, failed = run(name, 1, in_company(per_loan, sample),
            commit=False)
        failures += failed
        peer_rate = len(sample) / peer_seconds
        extrapolated = args.loans / peer_rate
        print('  %.2f s = %.1f loans/s; extrapolated to %d loans: %.0f s '
            '(%.1f min)' % (peer_seconds, peer_rate, args.loans,
                extrapolated, extrapolated / 60))
        print()
        print('ratio: the per-loan way would take %.0fx the aggregated '
            'posting (%.0f s against %.2f s)' % (
                extrapolated / seconds, extrapolated, seconds))
        for failure in failures:
            print('FAIL: %s' % failure)
        if not failures:
            print('OK: one voucher per product, every transaction linked, '
                'the totals equal to the SQL sums to the fen')
    finally:
        if created and postgresql:
            drop_database(name)
        shutil.rmtree(folder, ignore_errors=True)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
