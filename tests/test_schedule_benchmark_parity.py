# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The schedule benchmark's fen-for-fen comparison, on a small sample.

tests/benchmarks/bench_schedule.py times the engine's array path against the
per-loan Decimal baseline and compares their schedules; the timing stays in
the script, the comparison runs here on a few hundred loans of every method
and basis at every ``make test``."""
import importlib.util
import pathlib
from decimal import Decimal

import pytest

BENCHMARK = pathlib.Path(__file__).resolve().parent / 'benchmarks' / (
    'bench_schedule.py')
LOANS_PER_KIND = 30
SEED = 20260131


@pytest.fixture(scope='module')
def bench():
    "The benchmark script as a module (its engine loaded standalone)"
    spec = importlib.util.spec_from_file_location(
        'bench_schedule', BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def kinds(bench):
    "Every (method, basis) a schedule can have: free plans count by days"
    return [(method, basis)
        for method in bench.engine.METHOD_CODES
        for basis in bench.engine.BASIS_CODES
        if method != 'free' or basis == 'day']


def test_array_path_equals_the_decimal_baseline_for_every_method_and_basis(
        bench):
    "A few hundred loans of every method and basis agree to the fen"
    checked = 0
    for index, (method, basis) in enumerate(kinds(bench)):
        columns = bench.mixed_loans(LOANS_PER_KIND, SEED + index,
            methods=[method], bases=[basis])
        assert set(columns['method'].tolist()) == {
            bench.engine.METHOD_CODES[method]}
        assert set(columns['basis'].tolist()) == {
            bench.engine.BASIS_CODES[basis]}
        assert bench.parity_mismatches(columns) == 0, (method, basis)
        checked += len(columns['principal'])
    assert len(kinds(bench)) == 13
    assert checked == 13 * LOANS_PER_KIND


def test_the_comparison_sees_a_one_fen_difference(bench):
    "The comparison counts a loan whose baseline differs by one fen"
    columns = bench.mixed_loans(5, SEED, methods=['equal_installment'])
    result = bench.engine.generate_arrays(**columns)
    schedules = [bench.reference_schedule(bench.terms_of(columns, i))
        for i in range(5)]
    assert bench.compare(result, schedules) == 0
    schedules[2][0]['interest'] += Decimal('0.01')
    assert bench.compare(result, schedules) == 1
