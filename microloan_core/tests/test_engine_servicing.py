# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The servicing rules of engine/servicing.py, without trytond: the worked
example of docs/servicing.md to the fen, grace, allocation orders, DPD and
classes, and a day-by-day check of the penalty sums on random histories."""
import datetime as dt
import os
import random
import unittest
from decimal import Decimal

from ..engine import generate
from ..engine.servicing import (
    CLASSES, Event, Settings, accrued_interest, classify, replay)

D = dt.date
START = D(2026, 1, 31)


def schedule(principal='100000', rate='0.12', months=12,
        method='equal_installment', start=START):
    "The installments of a loan as the engine's servicing takes them"
    rows = generate([{
                'principal': Decimal(principal), 'annual_rate': Decimal(rate),
                'start_date': start, 'term_months': months, 'method': method,
                }])[0]
    return [{
            'seq': r['seq'], 'due_date': r['due_date'],
            'period_start': r['period_start'], 'period_end': r['period_end'],
            'principal': int(r['principal'] * 100),
            'interest': int(r['interest'] * 100),
            } for r in rows]


def repayment(date, fen, sequence=0):
    return Event(date, 'repayment', fen, sequence=sequence, key=sequence)


class ServicingEngineTestCase(unittest.TestCase):
    "The servicing rules in integer fen"

    def test_worked_example_to_the_fen(self):
        "The worked example: 2026-03-10 and 2026-03-20 repayments, DPD, accrual"
        settings = Settings(rate_micro=120000)
        events = [repayment(D(2026, 3, 10), 888488, 1),
            repayment(D(2026, 3, 20), 10000, 2)]
        state = replay(schedule(), settings, events, D(2026, 3, 10))
        first, = state.allocations
        self.assertEqual(first.totals, {'fees': 0, 'penalty': 3942,
                'compound': 500, 'interest': 100000, 'principal': 784046})
        self.assertEqual(state.installments[0].unpaid('principal'), 4442)
        self.assertEqual(state.days_past_due, 10)
        self.assertEqual(classify(state.days_past_due), 'special_mention')
        state = replay(schedule(), settings, events, D(2026, 3, 20))
        second = state.allocations[1]
        self.assertEqual(state.penalty(state.installments[0]), 3965)
        self.assertEqual(second.totals, {'fees': 0, 'penalty': 23,
                'compound': 0, 'interest': 0, 'principal': 4442})
        self.assertEqual(second.overpayment, 5535)
        self.assertEqual(state.days_past_due, 0)
        self.assertEqual(
            accrued_interest(schedule(), D(2026, 2, 10)), 39286)

    def test_accrual_reaches_the_interest_at_the_period_end(self):
        "ACC_k(E_k - 1) = I_k; nothing before the period starts"
        rows = schedule()
        self.assertEqual(accrued_interest(rows, D(2026, 1, 30)), 0)
        self.assertEqual(
            accrued_interest(rows, D(2026, 2, 27)), rows[0]['interest'])
        self.assertEqual(accrued_interest(rows, D(2027, 1, 30)),
            sum(r['interest'] for r in rows))

    def test_grace_days_charge_nothing_when_paid_within_them(self):
        "Paid by the last grace day: no penalty ever; later: from D_k"
        settings = Settings(rate_micro=120000, grace_days=3)
        rows = schedule()
        due = rows[0]['due_date']
        total = rows[0]['principal'] + rows[0]['interest']
        on_time = replay(rows, settings,
            [repayment(due + dt.timedelta(days=3), total)],
            due + dt.timedelta(days=30))
        self.assertEqual(on_time.allocations[0].totals['penalty'], 0)
        self.assertEqual(on_time.penalty(on_time.installments[0]), 0)
        late = replay(rows, settings,
            [repayment(due + dt.timedelta(days=4), total)],
            due + dt.timedelta(days=4))
        # 4 days from the due date itself, not from the end of grace
        self.assertEqual(late.penalty(late.installments[0]),
            round(rows[0]['principal'] * 0.18 / 360 * 4))
        within = replay(rows, settings, [], due + dt.timedelta(days=3))
        self.assertEqual(within.penalty(within.installments[0]), 0)

    def test_allocation_by_component_pays_all_penalty_first(self):
        "By component: the penalty of every due installment before interest"
        settings = Settings(rate_micro=120000, by_component=True)
        rows = schedule()
        state = replay(rows, settings, [repayment(D(2026, 4, 10), 21000)],
            D(2026, 4, 10))
        first, second = state.installments[:2]
        pen1, pen2 = state.penalty(first), state.penalty(second)
        self.assertEqual(pen1, round(788488 * 0.0005 * 41))
        self.assertEqual(first.paid.get('penalty'), pen1)
        self.assertEqual(second.paid.get('penalty'), pen2)
        # what is left goes to compound interest, none to interest
        self.assertEqual(state.allocations[0].totals['compound'],
            21000 - pen1 - pen2)
        self.assertEqual(state.allocations[0].totals['interest'], 0)
        # by installment the first is paid before the second gets anything
        by_installment = replay(rows, Settings(rate_micro=120000),
            [repayment(D(2026, 4, 10), 200000)], D(2026, 4, 10))
        self.assertFalse(by_installment.installments[1].paid)

    def test_product_order_and_no_compound(self):
        "Interest before penalty by the product's order; no compound"
        order = ('interest', 'principal', 'fees', 'penalty', 'compound')
        settings = Settings(rate_micro=120000, compound=False, order=order)
        state = replay(schedule(), settings,
            [repayment(D(2026, 3, 10), 888488)], D(2026, 3, 10))
        self.assertEqual(state.allocations[0].totals, {'fees': 0,
                'penalty': 0, 'compound': 0, 'interest': 100000,
                'principal': 788488})
        self.assertEqual(state.compound(state.installments[0]), 0)
        self.assertEqual(state.totals('outstanding')['penalty'], 3942)

    def test_nothing_is_allocated_to_an_installment_not_due(self):
        "What exceeds the dues is an overpayment, the next one untouched"
        state = replay(schedule(), Settings(rate_micro=120000),
            [repayment(D(2026, 2, 28), 1000000)], D(2026, 2, 28))
        self.assertEqual(state.allocations[0].overpayment,
            1000000 - 888488)
        self.assertFalse(state.installments[1].paid)
        self.assertEqual(state.installment_state(state.installments[0]),
            'paid')
        self.assertEqual(state.installment_state(state.installments[1]),
            'pending')

    def test_fee_item_comes_before_an_installment_of_its_date(self):
        "A fee charged on its own on a due date is paid first"
        events = [Event(D(2026, 2, 28), 'fee', 5000, sequence=0),
            repayment(D(2026, 2, 28), 5000 + 100000, 1)]
        state = replay(schedule(), Settings(rate_micro=120000), events,
            D(2026, 2, 28))
        self.assertEqual(state.allocations[0].totals['fees'], 5000)
        self.assertEqual(state.allocations[0].totals['interest'], 100000)
        self.assertEqual(state.allocations[0].totals['principal'], 0)

    def test_waiver_takes_interest_off(self):
        "A waived interest is owed no more and bears no compound interest"
        events = [Event(D(2026, 2, 28), 'waiver', 100000,
                component='interest', seq=1)]
        state = replay(schedule(), Settings(rate_micro=120000), events,
            D(2026, 3, 10))
        first = state.installments[0]
        self.assertEqual(state.outstanding(first, 'interest'), 0)
        self.assertEqual(state.compound(first), 0)
        self.assertEqual(state.totals('waived')['interest'], 100000)
        with self.assertRaises(ValueError):
            replay(schedule(), Settings(rate_micro=120000), [Event(
                        D(2026, 2, 28), 'waiver', 100001,
                        component='interest', seq=1)], D(2026, 3, 1))

    def test_days_past_due_and_installment_states(self):
        "Due on its date (DPD 0, due), overdue the next day, partial"
        rows = schedule()
        due = rows[0]['due_date']
        state = replay(rows, Settings(rate_micro=120000), [], due)
        self.assertEqual(state.days_past_due, 0)
        self.assertEqual(state.installment_state(state.installments[0]),
            'due')
        state = replay(rows, Settings(rate_micro=120000),
            [repayment(due, 100)], due)
        self.assertEqual(state.installment_state(state.installments[0]),
            'partial')
        state = replay(rows, Settings(rate_micro=120000), [],
            due + dt.timedelta(days=1))
        self.assertEqual(state.days_past_due, 1)
        self.assertEqual(state.installment_state(state.installments[0]),
            'overdue')

    def test_classes_follow_the_bands(self):
        "0 normal, 1-90 special mention, 91-270, 271-360, over 360"
        self.assertEqual([classify(d) for d in
                [0, 1, 90, 91, 270, 271, 360, 361]],
            ['normal', 'special_mention', 'special_mention', 'substandard',
                'substandard', 'doubtful', 'doubtful', 'loss'])
        self.assertEqual(classify(31, (0, 30, 60, 90)), 'substandard')
        self.assertEqual(len(CLASSES), 5)

    def test_settlement_when_everything_is_paid(self):
        "Settled on the day the last fen is paid, penalty included"
        rows = schedule(months=3)
        events = [repayment(r['due_date'], r['principal'] + r['interest'], n)
            for n, r in enumerate(rows)]
        state = replay(rows, Settings(rate_micro=120000), events,
            rows[-1]['due_date'])
        self.assertTrue(state.is_settled())
        self.assertEqual(state.settled_on, rows[-1]['due_date'])
        late = events[:-1] + [repayment(
                rows[-1]['due_date'] + dt.timedelta(days=5),
                rows[-1]['principal'] + rows[-1]['interest'], 9)]
        state = replay(rows, Settings(rate_micro=120000), late, D(2026, 6, 1))
        self.assertFalse(state.is_settled())
        self.assertEqual(state.payoff(), state.due_outstanding())
        # the penalty paid first left principal unpaid, which bears more
        outstanding = state.totals('outstanding')
        self.assertEqual(state.due_outstanding(), sum(outstanding.values()))
        self.assertGreater(outstanding['principal'], 0)
        self.assertGreater(outstanding['penalty'], 0)


class PenaltyDayByDayTestCase(unittest.TestCase):
    """Rules 3 and 4 done the slow way, one day at a time with Fractions,
    against the engine's piecewise sums, on random histories"""

    def naive(self, rows, settings, events, date):
        "PEN_k and COMP_k on date by walking every day from the value date"
        from fractions import Fraction
        state = replay(rows, settings, [], rows[0]['period_start'])
        rate = Fraction(settings.rate_micro, 10 ** 6) * (
            1 + Fraction(settings.markup_micro, 10 ** 6)) / 360
        pen = [Fraction(0)] * len(rows)
        comp = [Fraction(0)] * len(rows)
        base = [None] * len(rows)
        day = rows[0]['period_start']
        pending = sorted(events, key=lambda e: (e.date, e.sequence))
        while day < date:
            # the events of the day, then the day's balances bear
            while pending and pending[0].date == day:
                state.apply(pending.pop(0))
            for k, inst in enumerate(state.installments):
                if day >= inst.due_date:
                    pen[k] += rate * inst.unpaid('principal')
                    comp[k] += rate * inst.unpaid('interest')
                if day == inst.due_date + dt.timedelta(
                        days=settings.grace_days):
                    base[k] = (inst.unpaid('principal'),
                        inst.unpaid('interest'))
            day += dt.timedelta(days=1)
        result = []
        for k, inst in enumerate(state.installments):
            if (date <= inst.due_date + dt.timedelta(
                        days=settings.grace_days)):
                result.append((0, 0))
                continue
            p = int(pen[k] + Fraction(1, 2)) if base[k][0] else 0
            c = int(comp[k] + Fraction(1, 2)) if base[k][1] else 0
            result.append((p, c))
        return result

    def test_random_histories(self):
        seed = int(os.environ.get('SERVICING_SEED', random.randrange(10 ** 6)))
        print('servicing day-by-day seed', seed)
        rng = random.Random(seed)
        for _ in range(20):
            rows = schedule(
                principal=str(rng.randrange(10000, 500000)),
                rate=str(Decimal(rng.randrange(40000, 240000)) / 10 ** 6),
                months=rng.choice([3, 6, 12]),
                method=rng.choice(['equal_installment', 'equal_principal',
                        'interest_monthly']))
            settings = Settings(rate_micro=rng.randrange(40000, 240000),
                markup_micro=rng.choice([300000, 500000]),
                grace_days=rng.choice([0, 0, 3, 10]))
            end = rows[-1]['due_date'] + dt.timedelta(days=40)
            span = (end - START).days
            events = [repayment(START + dt.timedelta(
                        days=rng.randrange(1, span)),
                    rng.randrange(1, 3000000), n) for n in range(6)]
            date = START + dt.timedelta(days=rng.randrange(30, span))
            state = replay(rows, settings, events, date)
            got = [(state.penalty(i), state.compound(i))
                for i in state.installments]
            self.assertEqual(got, self.naive(rows, settings, events, date),
                'seed %s' % seed)
