#!/usr/bin/env python3
# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Benchmark of the historical import (历史补录) against entering the loans
one by one.

Run it optimised, from the repository root:

    .venv/bin/python -O tests/benchmarks/bench_loan_import.py \\
        [--loans 10000] [--repayments 3] [--baseline-sample 50]

It makes a fresh database (SQLite under a temporary folder, or the server
of TRYTOND_DATABASE_URI), activates microloan_core, creates a company with
its loan product and fund account, and writes a workbook (sheets 借据 and
还款记录, docs/loan-import.md) of --loans loans: equal installments, equal
principal and monthly interest, 6 to 24 months at 8 % to 18 %, value dates
over 2024 and 2025, one borrower in three a customer on file and one in
ten with two loans, each loan with its first --repayments installments
repaid, on their due date or, one in five, 3 to 20 days late (the penalty
is then paid first, nothing is ever overpaid).

Case 1: the checks alone: the same workbook with its last repayment
overpaid; every row is read and checked (schedules in one engine call,
every loan's repayments replayed by the servicing rules) and nothing is
written.

Case 2: the workbook imported by the wizard's path
(``ImportBatch.import_files``) in one transaction: customers, loans,
schedules, disbursements, repayments posted and their allocation by one
``Loan.replay``.

The peer is what the import replaces: each loan entered through the ORM as
a user does (create, compute its schedule, post its disbursement), each
repayment created and posted one by one (each post replays its loan), on
--baseline-sample loans of the file, in the same process, extrapolated by
loans per second.  The allocations of the sample's repayments (penalty,
compound interest, interest, principal, credit) are compared fen for fen
between both paths; the script exits 1 on a mismatch.
"""
import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

from bench_related_parties import create_database

METHODS = ['equal_installment', 'equal_principal', 'interest_monthly']


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--loans', type=int, default=10_000)
    parser.add_argument('--repayments', type=int, default=3)
    parser.add_argument('--baseline-sample', type=int, default=50)
    parser.add_argument('--seed', type=int, default=20260131)
    return parser.parse_args()


def setup_company():
    "The company, its product XF01 and its fund account; return them"
    from trytond.modules.microloan_core.tests.tools import (
        create_cny_company, create_fund_account, create_product)
    company = create_cny_company()
    product = create_product(company, methods=METHODS, min_term=6,
        max_term=24, min_amount=Decimal('10000.00'),
        max_amount=Decimal('500000.00'))
    return company, product, create_fund_account(company)


def resident_ids(count):
    "count valid resident IDs: born 1970-01-01 on, a thousand a day"
    from trytond.modules.microloan_core.tests.tools import ric
    born = dt.date(1970, 1, 1)
    return [ric('110105%s%03d' % (
                (born + dt.timedelta(days=i // 1000)).strftime('%Y%m%d'),
                i % 1000)) for i in range(count)]


def file_rows(count, repayments, seed):
    """The rows of the loans and the repayments of the workbook (text, as
    typed) and the resident IDs of the borrowers"""
    from trytond.modules.microloan_core import engine
    rng = random.Random(seed)
    borrowers = resident_ids(count - count // 10)
    loans, terms = [], []
    for i in range(count):
        borrower = i if i < len(borrowers) else rng.randrange(len(borrowers))
        term = {
            'principal': Decimal(rng.randrange(10_000, 500_001, 100)),
            'annual_rate': Decimal(rng.randrange(80, 181)) / 1000,
            'start_date': dt.date(2024, 1, 1) + dt.timedelta(
                days=rng.randrange(730)),
            'term_months': rng.randrange(6, 25),
            'method': rng.choice(METHODS),
            'basis': 'month',
            }
        terms.append(term)
        loans.append(['LS%06d' % i, '客户%d' % borrower, borrowers[borrower],
                'XF01', str(term['principal']), str(term['annual_rate']),
                term['start_date'].isoformat(), str(term['term_months']),
                term['method'], 'month', '0200001009014412345',
                'FK%06d' % i])
    rows = []
    for loan, schedule in zip(loans, engine.generate(terms)):
        for installment in schedule[:repayments]:
            late = rng.randrange(3, 21) if rng.random() < 0.2 else 0
            date = installment['due_date'] + dt.timedelta(days=late)
            rows.append((date, [loan[0], date.isoformat(),
                        str(installment['total']), 'transfer', '']))
    # the repayments in the order of their dates, as a ledger lists them
    repayments_rows = [r for _, r in sorted(rows, key=lambda r: r[0])]
    return loans, repayments_rows, borrowers


def file_customers(borrowers):
    "File one borrower in three as a customer, in one create"
    from trytond.pool import Pool
    Party = Pool().get('party.party')
    Party.create([{
                'name': '客户%d' % i, 'customer_kind': 'individual',
                'identifiers': [('create', [{
                                'type': 'cn_ric', 'code': code}])],
                } for i, code in enumerate(borrowers) if i % 3 == 0])


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def main():
    args = parse_args()
    if __debug__:
        print('warning: run with python -O (trytond asserts slow browsing)')
    name = 'bench_import_%d' % os.getpid()
    with tempfile.TemporaryDirectory() as path:
        started = time.perf_counter()
        create_database(name, path)
        print('database %s with microloan_core: %.1f s' % (
                name, time.perf_counter() - started))

        from trytond.pool import Pool
        from trytond.transaction import Transaction
        from trytond.modules.company.tests import set_company
        Pool.start()
        pool = Pool(name)
        pool.init()
        from trytond.modules.microloan_core.tests.test_loan_import import (
            REPAYMENT_HEADER, allocations, by_hand, workbook)
        with Transaction().start(name, 1, readonly=False):
            company, product, account = setup_company()
            with set_company(company):
                mismatches = run(args, pool, company, product, account,
                    workbook, by_hand, allocations, REPAYMENT_HEADER)
            Transaction().rollback()
        from trytond import backend
        backend.Database(name).close()
    if not os.environ['TRYTOND_DATABASE_URI'].startswith('sqlite'):
        subprocess.run(['dropdb', '-h', '127.0.0.1', '-U', 'postgres', name],
            check=False)
    return 1 if mismatches else 0


def run(args, pool, company, product, account, workbook, by_hand,
        allocations, repayment_header):
    "Time both cases and the peer; return the number of mismatches"
    Batch = pool.get('microloan.loan.import.batch')
    Loan = pool.get('microloan.loan')
    LoanTransaction = pool.get('microloan.loan.transaction')
    started = time.perf_counter()
    loans, repayments, borrowers = file_rows(
        args.loans, args.repayments, args.seed)
    file_customers(borrowers)
    good = workbook(loans, repayments)
    overpaid = [list(r) for r in repayments]
    overpaid[-1][repayment_header.index('还款金额')] = '9999999.00'
    bad = workbook(loans, overpaid)
    print('%d loans, %d repayments (%d customers on file): workbook of '
        '%.1f MiB written in %.1f s' % (len(loans), len(repayments),
            (len(borrowers) + 2) // 3, len(good) / 2 ** 20,
            time.perf_counter() - started))

    seconds, (imported, errors) = timed(
        Batch.import_files, [('历史借据.xlsx', bad)])
    print()
    print('Case 1: the checks alone (last repayment overpaid): %.1f s, '
        '%d error(s), nothing written' % (seconds, len(errors)))
    assert not imported and len(errors) == 1

    seconds, (imported, errors) = timed(
        Batch.import_files, [('历史借据.xlsx', good)])
    assert not errors, errors[:5]
    rate = len(imported) / seconds
    transactions = LoanTransaction.search([], count=True)
    print('Case 2: the import, one transaction: %.1f s = %.0f loans/s, '
        '%.0f repayments/s' % (seconds, rate, len(repayments) / seconds))
    print('  %d loans (%s), %d installments, %d loan transactions' % (
            len(imported), ', '.join('%s %d' % (s, n) for s, n in sorted(
                    count_states(imported).items())),
            pool.get('microloan.loan.installment').search([], count=True),
            transactions))

    sample = loans[:args.baseline_sample]
    numbers = {r[0] for r in sample}
    sample_repayments = [r for r in repayments if r[0] in numbers]
    seconds_peer, entered = timed(
        by_hand, company, product, account, sample, sample_repayments)
    peer_rate = len(sample) / seconds_peer
    print('Peer: loans entered one by one and repayments posted one by '
        'one, %d loans, %d repayments: %.1f s = %.1f loans/s '
        '(%.0f s extrapolated to %d loans)' % (len(sample),
            len(sample_repayments), seconds_peer, peer_rate,
            len(loans) / peer_rate, len(loans)))
    print('  ratio of loans/s: %.0fx' % (rate / peer_rate))
    by_number = {l.original_number: l for l in Loan.browse(imported)}
    mismatches = [n for n in sorted(numbers)
        if allocations(by_number[n]) != allocations(entered[n])]
    print('  sample compared fen for fen: %d loans, %d repayments, '
        '%d mismatching loans' % (len(sample), len(sample_repayments),
            len(mismatches)))
    if mismatches:
        print('FAIL: the import differs from posting by hand: %s'
            % ', '.join(mismatches[:5]))
    return len(mismatches)


def count_states(loans):
    counts = {}
    for loan in loans:
        counts[loan.state] = counts.get(loan.state, 0) + 1
    return counts


if __name__ == '__main__':
    sys.exit(main())
