#!/usr/bin/env python3
# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Benchmark of the related-parties query (关联方) against a per-party walk.

Run it optimised, from the repository root:

    .venv/bin/python -O tests/benchmarks/bench_related_parties.py \\
        [--parties 100000] [--sample 1000] [--baseline-sample 100]

It makes a fresh database (SQLite under a temporary folder, or the server
of TRYTOND_DATABASE_URI), activates microloan_core, and writes --parties
customers with relationships by bulk SQL: households of two spouses, each
husband holding shares in a firm, every fourth firm guaranteed by the next
firm (so groups reach across households), stored in both directions as
the model stores them.

Case 1: ``Party.related_party_ids`` (one SQL query per level for all the
start parties) for --sample start parties, then for every party of the
portfolio at once, to the default depth of 3 links.

The peer is the straightforward walk the set-based query replaces: for
each start party, breadth first, one ORM ``search`` of its relations per
party reached.  It runs on --baseline-sample start parties in the same
process and is extrapolated by parties per second.  The two agree party
for party on that sample (the script exits 1 otherwise).
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

DEPTH = 3


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--parties', type=int, default=100_000)
    parser.add_argument('--sample', type=int, default=1_000)
    parser.add_argument('--baseline-sample', type=int, default=100)
    parser.add_argument('--repeat', type=int, default=5)
    return parser.parse_args()


def create_database(name, path):
    "Create the database with microloan_core activated (trytond-admin)"
    env = dict(os.environ, TRYTOND_DATABASE__PATH=path)
    env.setdefault('TRYTOND_DATABASE_URI', 'sqlite://')
    passfile = os.path.join(path, 'admin-password')
    with open(passfile, 'w') as fp:
        fp.write('bench')
    env['TRYTONPASSFILE'] = passfile
    if env['TRYTOND_DATABASE_URI'].startswith('sqlite'):
        open(os.path.join(path, name + '.sqlite'), 'a').close()
    else:
        subprocess.run(['createdb', '-h', '127.0.0.1', '-U', 'postgres',
                name], check=True)
    admin = os.path.join(os.path.dirname(sys.executable), 'trytond-admin')
    subprocess.run([sys.executable, admin, '-d', name, '--all',
            '-u', 'microloan_core', '--activate-dependencies',
            '--email', 'admin@example.com'],
        check=True, env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    os.environ.update({
            'TRYTOND_DATABASE__PATH': path,
            'TRYTOND_DATABASE_URI': env['TRYTOND_DATABASE_URI'],
            })


def fill(count):
    """Insert count customers and their relations by bulk SQL; return the
    party ids"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool()
    Party = pool.get('party.party')
    Relation = pool.get('microloan.party.relation')
    ModelData = pool.get('ir.model.data')
    party = Party.__table__()
    relation = Relation.__table__()
    cursor = Transaction().connection.cursor()

    def type_id(code):
        return ModelData.get_id('microloan_core', 'relation_type_' + code)

    households = count // 3
    kinds = []
    for i in range(households * 3):
        kinds.append('enterprise' if i % 3 == 2 else 'individual')
    rows = [['BENCH%07d' % i, 'customer %d' % i, kind, True]
        for i, kind in enumerate(kinds)]
    for start in range(0, len(rows), 10_000):
        cursor.execute(*party.insert(
                [party.code, party.name, party.customer_kind, party.active],
                rows[start:start + 10_000]))
    cursor.execute(*party.select(party.id,
            where=party.code.like('BENCH%'), order_by=[party.code]))
    ids = [i for i, in cursor]

    links = []
    for h in range(households):
        husband, wife, firm = ids[3 * h:3 * h + 3]
        links.append((husband, 'spouse', wife, 'spouse'))
        links.append((husband, 'shareholder', firm, 'has_shareholder'))
        if h % 4 == 0 and h + 1 < households:
            links.append(
                (firm, 'guarantor', ids[3 * h + 5], 'guaranteed_by'))
    values = []
    for from_, code, to, reverse in links:
        values.append([from_, to, type_id(code)])
        values.append([to, from_, type_id(reverse)])
    for start in range(0, len(values), 10_000):
        cursor.execute(*relation.insert(
                [relation.from_, relation.to, relation.type],
                values[start:start + 10_000]))
    return ids, len(values)


def walk(party_ids, depth, date):
    """The per-party peer: breadth first, one ORM search of relations per
    party reached, for each start party"""
    from trytond.pool import Pool
    Relation = Pool().get('microloan.party.relation')
    result = {}
    for start in party_ids:
        found = {start: 0}
        frontier = [start]
        for level in range(1, depth + 1):
            reached = []
            for party_id in frontier:
                for relation in Relation.search([
                            ('from_', '=', party_id),
                            ('type.related_party', '=', True),
                            ['OR', ('start_date', '=', None),
                                ('start_date', '<=', date)],
                            ['OR', ('end_date', '=', None),
                                ('end_date', '>=', date)],
                            ]):
                    if relation.to.id not in found:
                        found[relation.to.id] = level
                        reached.append(relation.to.id)
            frontier = reached
        del found[start]
        result[start] = found
    return result


def timed(repeat, func, *args):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main():
    args = parse_args()
    if __debug__:
        print('warning: run with python -O (trytond asserts slow browsing)')
    name = 'bench_related_%d' % os.getpid()
    with tempfile.TemporaryDirectory() as path:
        started = time.perf_counter()
        create_database(name, path)
        print('database %s with microloan_core: %.1f s' % (
                name, time.perf_counter() - started))

        from trytond.pool import Pool
        from trytond.transaction import Transaction
        Pool.start()
        pool = Pool(name)
        pool.init()
        with Transaction().start(name, 0, readonly=False):
            started = time.perf_counter()
            ids, relations = fill(args.parties)
            print('%d customers, %d relation rows (both directions): '
                '%.1f s' % (len(ids), relations,
                    time.perf_counter() - started))
            Party = pool.get('party.party')
            today = pool.get('ir.date').today()
            # husbands, wives and firms alike
            step = max(len(ids) // args.sample, 1)
            sample = [ids[min(i * step + i % 3, len(ids) - 1)]
                for i in range(min(args.sample, len(ids)))]

            seconds, related = timed(
                args.repeat, Party.related_party_ids, sample, DEPTH, today)
            set_rate = len(sample) / seconds
            print('set-based, %d start parties, depth %d: median %.3f s '
                '= %.0f parties/s' % (len(sample), DEPTH, seconds, set_rate))
            groups = sum(len(found) for found in related.values())
            print('  related parties found: %d (%.2f per party)'
                % (groups, groups / len(sample)))

            seconds_all, related_all = timed(
                1, Party.related_party_ids, ids, DEPTH, today)
            print('set-based, the whole portfolio (%d parties) at once: '
                '%.2f s = %.0f parties/s' % (
                    len(ids), seconds_all, len(ids) / seconds_all))

            baseline = sample[:args.baseline_sample]
            seconds_walk, walked = timed(1, walk, baseline, DEPTH, today)
            walk_rate = len(baseline) / seconds_walk
            print('per-party ORM walk (peer), %d start parties: %.2f s '
                '= %.0f parties/s (%.1f s extrapolated to the portfolio)'
                % (len(baseline), seconds_walk, walk_rate,
                    len(ids) / walk_rate))
            print('ratio on the sample: %.0fx; on the portfolio: %.0fx'
                % (set_rate / walk_rate,
                    (len(ids) / seconds_all) / walk_rate))
            mismatches = [p for p in baseline
                if walked[p] != related_all[p] or walked[p] != related[p]]
            print('sample compared party for party: %d mismatches'
                % len(mismatches))
            Transaction().rollback()
        from trytond import backend
        backend.Database(name).close()
    if not os.environ['TRYTOND_DATABASE_URI'].startswith('sqlite'):
        subprocess.run(['dropdb', '-h', '127.0.0.1', '-U', 'postgres', name],
            check=False)
    return 1 if mismatches else 0


if __name__ == '__main__':
    sys.exit(main())
