#!/usr/bin/env python3
# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Benchmark of the schedule engine's array path against a Decimal baseline.

Run it optimised, from the repository root:

    python -O tests/benchmarks/bench_schedule.py [--loans 100000] [--sample 2000]

Case 1: ``--loans`` loans of mixed methods (all seven), bases, rates and
terms of 3 to 36 months go through ``generate_arrays``.  The peer is the
straightforward per-loan pure-Python ``Decimal`` implementation of the same
rules (``engine/reference.py``), run in the same process on the first
``--sample`` loans and extrapolated by rows per second.  Each path is timed
``--repeat`` times; rates are compared on the medians.  The sample's
schedules from both paths are compared fen for fen; the script exits 1 on
any mismatch, and 1 as well when the array path is not at least 50 times
faster (installment rows per second) than the baseline.  The same
comparison, without the timing, runs in ``make test`` on a few hundred loans
of every method and basis (tests/test_schedule_benchmark_parity.py).

Case 2: ``--loans`` loans all of 36 months (equal installment, equal
principal and monthly interest): wall time of ``generate_arrays``.

Memory: the peak of the Python allocator as seen by ``tracemalloc`` during
one array-path call (numpy reports its buffers to tracemalloc), measured in
a separate call so that tracing does not slow the timed ones; the process's
peak resident size (``ru_maxrss``) is printed too.

The engine is loaded from its folder as a standalone package: it imports
nothing from trytond, so the benchmark runs without the ERP host.
"""
import argparse
import gc
import importlib.util
import os
import pathlib
import resource
import statistics
import sys
import time
import tracemalloc
from decimal import Decimal

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
ENGINE = ROOT / 'microloan_core' / 'engine'
REQUIRED_RATIO = 50


def load_engine():
    "Import microloan_core/engine as the standalone package 'engine'"
    spec = importlib.util.spec_from_file_location(
        'engine', ENGINE / '__init__.py',
        submodule_search_locations=[str(ENGINE)])
    module = importlib.util.module_from_spec(spec)
    sys.modules['engine'] = module
    spec.loader.exec_module(module)
    return module


engine = load_engine()
from engine.dates import from_days  # noqa: E402
from engine.reference import reference_schedule  # noqa: E402


def mixed_loans(count, seed, methods=None, terms=(3, 36), bases=None):
    """Return the columns of count random loans (a dict for
    generate_arrays) of the methods and bases given (names; all when None;
    free plans are always counted by days)"""
    rng = np.random.default_rng(seed)
    codes = engine.METHOD_CODES
    if methods is None:
        methods = list(codes)
    method = rng.choice([codes[m] for m in methods], count).astype(np.int64)
    term = rng.integers(terms[0], terms[1] + 1, count)
    # yuan 1,000 to 5,000,000 log-uniform, and one loan in 50 up to 10**9
    principal = np.exp(rng.uniform(np.log(1e5), np.log(5e8), count))
    large = rng.random(count) < 0.02
    principal[large] = rng.uniform(1e5, 1e11, large.sum())
    principal = principal.astype(np.int64)
    rate = rng.integers(0, 360_001, count)
    rate[rng.random(count) < 0.05] = 0
    start = (np.datetime64('2020-01-01')
        + rng.integers(0, 7 * 365, count)).astype('datetime64[D]')
    basis = rng.integers(0, 2, count)
    if bases is not None:
        basis = rng.choice(
            [engine.BASIS_CODES[b] for b in bases], count).astype(np.int64)
    free = method == codes['free']
    basis[free] = engine.BASIS_CODES['day']
    # free plans: term // 3 entries (1 to 12) at increasing dates within
    # the term, amounts of random weights summing to the principal
    entries = np.where(free, term // 3, 0)
    plan_offsets = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(entries, out=plan_offsets[1:])
    owner = np.repeat(np.arange(count), entries)
    gaps = rng.integers(1, 60, owner.size)
    running = np.cumsum(gaps)
    before = np.repeat((running - gaps)[plan_offsets[:-1][free]],
        entries[free])
    plan_dates = start[owner] + (running - before)
    weights = rng.random(owner.size) + 0.1
    totals = np.bincount(owner, weights=weights, minlength=count)
    spare = principal[owner] - entries[owner]
    amounts = 1 + np.floor(spare * weights / totals[owner]).astype(np.int64)
    last = plan_offsets[1:][free] - 1
    sums = np.bincount(owner, weights=amounts, minlength=count).astype(
        np.int64)
    amounts[last] += (principal - sums)[free]
    return {
        'principal': principal, 'rate_micro': rate, 'start': start,
        'term': term, 'method': method, 'basis': basis,
        'plan_offsets': plan_offsets, 'plan_dates': plan_dates,
        'plan_amounts': amounts,
        }


def terms_of(columns, index):
    "Return the terms dict of loan index of columns (Decimal amounts)"
    method = engine.METHODS[int(columns['method'][index])]
    start = from_days(int(columns['start'][index].astype(np.int64)))
    terms = {
        'principal': Decimal(int(columns['principal'][index])).scaleb(-2),
        'annual_rate': Decimal(int(columns['rate_micro'][index])).scaleb(-6),
        'start_date': start,
        'term_months': int(columns['term'][index]),
        'method': method,
        'basis': engine.BASES[int(columns['basis'][index])],
        }
    if method == 'free':
        low, high = columns['plan_offsets'][index:index + 2]
        terms['plan'] = [
            (from_days(int(d)), Decimal(int(a)).scaleb(-2))
            for d, a in zip(
                columns['plan_dates'][low:high].astype(np.int64),
                columns['plan_amounts'][low:high])]
    return terms


def fen(amount):
    return int(amount.scaleb(2))


def compare(result, schedules):
    "Return the number of sample loans whose rows differ from the baseline"
    offsets = result.offsets
    dates = {name: getattr(result, name).astype(np.int64)
        for name in ('due_date', 'period_start', 'period_end')}
    bad = 0
    for index, rows in enumerate(schedules):
        low, high = int(offsets[index]), int(offsets[index + 1])
        mine = [
            (int(result.seq[r]), from_days(int(dates['due_date'][r])),
                from_days(int(dates['period_start'][r])),
                from_days(int(dates['period_end'][r])),
                int(result.days[r]), int(result.principal[r]),
                int(result.interest[r]), int(result.total[r]),
                int(result.balance[r]))
            for r in range(low, high)]
        theirs = [
            (row['seq'], row['due_date'], row['period_start'],
                row['period_end'], row['days'], fen(row['principal']),
                fen(row['interest']), fen(row['total']), fen(row['balance']))
            for row in rows]
        if mine != theirs:
            bad += 1
            if bad <= 3:
                print('  MISMATCH loan %d' % index)
    return bad


def parity_mismatches(columns):
    """Put every loan of columns through the array path and the Decimal
    baseline; return the number of loans whose schedules differ"""
    result = engine.generate_arrays(**columns)
    schedules = [reference_schedule(terms_of(columns, i))
        for i in range(len(columns['principal']))]
    return compare(result, schedules)


def timed(function, repeat):
    "Return (result, wall times) of repeat calls"
    times = []
    for _ in range(repeat):
        gc.collect()
        begin = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - begin)
        del result
    return function(), times


def peak_memory(function):
    "Return the tracemalloc peak in bytes of one call"
    gc.collect()
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--loans', type=int, default=100_000)
    parser.add_argument('--sample', type=int, default=2_000)
    parser.add_argument('--repeat', type=int, default=5,
        help='timed runs of each path (first, median and best are shown)')
    parser.add_argument('--seed', type=int, default=20260131)
    args = parser.parse_args(argv)
    if not sys.flags.optimize:
        print('Run me with python -O (as batch processes run).')
        return 2
    sample = min(args.sample, args.loans)
    print('Schedule engine benchmark: numpy %s, Python %s, %d CPU' % (
        np.__version__, sys.version.split()[0], len(os.sched_getaffinity(0))))
    columns = mixed_loans(args.loans, args.seed)

    # warm numpy up on a few loans (first-call set-up is not the engine's)
    engine.generate_arrays(**mixed_loans(100, 1))

    def array_path():
        return engine.generate_arrays(**columns)

    result, array_times = timed(array_path, args.repeat)
    rows = int(result.offsets[-1])
    sample_terms = [terms_of(columns, i) for i in range(sample)]

    def baseline_path():
        return [reference_schedule(terms) for terms in sample_terms]

    schedules, baseline_times = timed(baseline_path, max(3, args.repeat // 2))
    sample_rows = sum(len(s) for s in schedules)
    mismatches = compare(result, schedules)
    del result
    peak = peak_memory(array_path)

    array_rate = rows / statistics.median(array_times)
    baseline_rate = sample_rows / statistics.median(baseline_times)
    ratio = array_rate / baseline_rate
    print()
    print('Case 1: %d loans, all seven methods, both bases, terms 3-36 '
        'months: %d installment rows' % (args.loans, rows))
    print('  array path (generate_arrays), %d runs:' % len(array_times))
    print('    first %.3f s, median %.3f s, best %.3f s' % (
        array_times[0], statistics.median(array_times), min(array_times)))
    print('    %.0f rows/s (median), %.0f rows/s (first run)' % (
        array_rate, rows / array_times[0]))
    print('  Decimal baseline (engine/reference.py, one loan at a time), '
        '%d loans = %d rows, %d runs:' % (sample, sample_rows,
            len(baseline_times)))
    print('    first %.3f s, median %.3f s, best %.3f s' % (
        baseline_times[0], statistics.median(baseline_times),
        min(baseline_times)))
    print('    %.0f rows/s (median); extrapolated to %d rows: %.1f s' % (
        baseline_rate, rows, rows / baseline_rate))
    print('  ratio of rows/s, medians: %.0fx (required >= %dx); '
        'first runs: %.0fx' % (ratio, REQUIRED_RATIO,
            (rows / array_times[0]) / (sample_rows / baseline_times[0])))
    print('  sample compared fen for fen: %d loans, %d mismatching' % (
        sample, mismatches))
    print('  peak memory of one array-path call: %.1f MiB (tracemalloc '
        'peak: numpy buffers, inputs excluded)' % (peak / 2 ** 20))

    columns = mixed_loans(args.loans, args.seed + 1,
        methods=['equal_installment', 'equal_principal', 'interest_monthly'],
        terms=(36, 36))

    def long_path():
        return engine.generate_arrays(**columns)

    result, long_times = timed(long_path, args.repeat)
    rows = int(result.offsets[-1])
    del result
    print()
    print('Case 2: %d loans of 36 months (equal installment, equal '
        'principal, monthly interest): %d rows' % (args.loans, rows))
    print('  array path wall time: first %.3f s, median %.3f s, best %.3f s '
        '(%.0f rows/s, median)' % (long_times[0],
            statistics.median(long_times), min(long_times),
            rows / statistics.median(long_times)))
    print()
    print('Process peak resident set size (ru_maxrss): %.1f MiB' % (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
    failed = False
    if mismatches:
        print('FAIL: the array path differs from the baseline')
        failed = True
    if ratio < REQUIRED_RATIO:
        print('FAIL: the array path is less than %dx faster' % REQUIRED_RATIO)
        failed = True
    if not failed:
        print('OK: identical to the fen, %.0fx faster' % ratio)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
