# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Servicing: what the borrower of one loan owes on any date.

``replay`` applies a loan's money events (repayments, fee charges,
waivers, penalty-rate changes, new schedules) in value-date order to its
schedule and returns, for the date asked, every installment's dues, paid,
waived and outstanding amounts, the allocation of each repayment, the days
past due and the settlement date.  The rules are the house's servicing
rules (docs/servicing.md):

* an installment is due on its due date; a repayment pays the items due
  on or before its value date, by installment (oldest first, a fee item
  before an installment of the same date, the components in the product's
  order inside one installment) or by component (each component over all
  due installments, oldest first); what is left is an overpayment;
* penalty interest on the unpaid principal of an installment and compound
  interest on its unpaid interest, at the contract rate in force x
  (1 + markup) / 360 a day, from the due date, a cumulative amount rounded
  half up once; nothing within the grace days, nor ever when the amount
  was paid by the last grace day;
* days past due count from the oldest installment due with anything
  unpaid at the end of the day.

Amounts are integer fen, rates integer micro-units (12 % is 120000), dates
``datetime.date``.  Events are applied in the order (date, sequence): the
result depends only on the events, never on the order they were entered in,
which is what makes a backdated entry or a reversal exact (replay the events
without it).  Nothing here imports trytond.
"""
import datetime as dt
from dataclasses import dataclass, field

from .rounding import round_div

__all__ = [
    'COMPONENTS', 'CLASSES', 'DEFAULT_BANDS', 'Settings', 'Installment',
    'Event', 'Servicing', 'replay', 'classify', 'accrued_interest']

# What a repayment pays, in the default order
COMPONENTS = ('fees', 'penalty', 'compound', 'interest', 'principal')
# What a waiver may take off
WAIVABLE = ('fees', 'penalty', 'compound', 'interest')
# The five-level classification (五级分类) in order of risk
CLASSES = ('normal', 'special_mention', 'substandard', 'doubtful', 'loss')
# The highest days past due of each class but the last (docs/domain.md,
# Risk classification)
DEFAULT_BANDS = (0, 90, 270, 360)
MICRO = 10 ** 6
DAY_COUNT = 360


@dataclass(frozen=True)
class Settings:
    "What the product and the contract say about servicing"
    rate_micro: int                   # contract annual rate
    markup_micro: int = MICRO // 2    # penalty markup, 0.5 by default
    grace_days: int = 0
    compound: bool = True
    order: tuple = COMPONENTS         # the components in allocation order
    by_component: bool = False
    # prepay(installments, date, amount, mode): the schedule (keyword
    # dicts of Installment) after a prepayment of amount fen on date
    prepay: object = None


@dataclass
class Installment:
    "An installment of the schedule in force, with what befell it"
    seq: int
    due_date: dt.date
    period_start: dt.date
    period_end: dt.date
    principal: int
    interest: int
    fees: int = 0
    row: dict = None                  # the caller's own row, for recalc
    paid: dict = field(default_factory=dict)
    waived: dict = field(default_factory=dict)
    # penalty and compound bases: sum of balance x rate (micro) over days
    _penalty_sum: int = 0
    _compound_sum: int = 0
    _summed_to: dt.date = None        # the sums cover days before this one
    _penalty_base: int = None         # principal unpaid on the last grace day
    _compound_base: int = None        # interest unpaid on the last grace day

    def unpaid(self, component):
        "What is still owed of a scheduled component (not penalty)"
        return (getattr(self, component) - self.paid.get(component, 0)
            - self.waived.get(component, 0))


@dataclass
class FeeItem:
    "A fee charged on its own (a fee transaction): due on its date"
    key: object
    date: dt.date
    amount: int
    paid: int = 0
    waived: int = 0

    @property
    def unpaid(self):
        return self.amount - self.paid - self.waived


@dataclass(frozen=True)
class Event:
    """A money event on the loan.

    kind: ``repayment`` (amount), ``fee`` (amount: a fee item due on the
    date), ``waiver`` (amount of component, on installment seq or oldest
    first), ``rate`` (rate_micro: the contract rate in force from the
    date), ``schedule`` (installments: the schedule after a change, whose
    installments due after the date replace the old ones)."""
    date: dt.date
    kind: str
    amount: int = 0
    sequence: int = 0
    key: object = None              # the caller's name of the event
    prepay: str = None              # repayment: prepay its rest so (mode)
    component: str = None
    seq: int = None
    rate_micro: int = None
    installments: tuple = ()


@dataclass
class Allocation:
    "What one repayment paid: [(item, component, amount)] and the rest"
    key: object
    date: dt.date
    amount: int
    lines: list = field(default_factory=list)
    overpayment: int = 0

    def total(self, component):
        return sum(a for _, c, a in self.lines if c == component)

    @property
    def totals(self):
        return {c: self.total(c) for c in COMPONENTS}


class Servicing:
    "The state of a loan after its events up to a date"

    def __init__(self, installments, settings):
        self.settings = settings
        self.installments = [Installment(**i) if isinstance(i, dict)
            else i for i in installments]
        self.fee_items = []
        self.allocations = []
        self.rate_micro = settings.rate_micro
        self.date = None                 # the day being processed
        self.settled_on = None
        self.charged = {}
        # the schedules in force and the day each took effect (accrual)
        self.versions = [(None, list(self.installments))]

    # Penalty and compound interest (rules 3 and 4)
    def _advance(self, date):
        """Bring the penalty sums and grace bases of every installment to
        the start of date (the events of date not yet applied)"""
        g = self.settings.grace_days
        for inst in self.installments:
            start = max(inst._summed_to or inst.due_date, inst.due_date)
            if date > start:
                days = (date - start).days
                inst._penalty_sum += (
                    inst.unpaid('principal') * self.rate_micro * days)
                inst._compound_sum += (
                    inst.unpaid('interest') * self.rate_micro * days)
                inst._summed_to = date
            if (inst._penalty_base is None
                    and date > inst.due_date + dt.timedelta(days=g)):
                inst._penalty_base = inst.unpaid('principal')
                inst._compound_base = inst.unpaid('interest')
        self.date = date

    def _charge(self, inst, total, base):
        g = self.settings.grace_days
        if self.date <= inst.due_date + dt.timedelta(days=g) or not base:
            return 0
        return round_div(total * (MICRO + self.settings.markup_micro),
            DAY_COUNT * MICRO * MICRO)

    def penalty(self, inst):
        "PEN_k of the day being processed: cumulative, rounded once"
        return self._charge(inst, inst._penalty_sum, inst._penalty_base)

    def compound(self, inst):
        "COMP_k of the day being processed"
        if not self.settings.compound:
            return 0
        return self._charge(inst, inst._compound_sum, inst._compound_base)

    def outstanding(self, inst, component):
        "What is owed of a component of an installment on the day"
        if component == 'penalty':
            charged = self.penalty(inst)
        elif component == 'compound':
            charged = self.compound(inst)
        else:
            return inst.unpaid(component)
        return (charged - inst.paid.get(component, 0)
            - inst.waived.get(component, 0))

    # What is due (rule 1) and its allocation (rule 2)
    def due_items(self, date):
        "The installments and fee items due on or before date, oldest first"
        items = [(i.due_date, 1, i.seq, i) for i in self.installments
            if i.due_date <= date]
        items += [(f.date, 0, n, f) for n, f in enumerate(self.fee_items)
            if f.date <= date]
        return [i for *_, i in sorted(items, key=lambda x: x[:3])]

    def _owed(self, item, component):
        if isinstance(item, FeeItem):
            return item.unpaid if component == 'fees' else 0
        return self.outstanding(item, component)

    def _pay(self, item, component, amount):
        if isinstance(item, FeeItem):
            item.paid += amount
        else:
            item.paid[component] = item.paid.get(component, 0) + amount

    def slots(self, date):
        "(item, component) in the order a repayment on date pays them"
        items = self.due_items(date)
        order = self.settings.order
        if self.settings.by_component:
            return [(i, c) for c in order for i in items]
        return [(i, c) for i in items for c in order]

    def _allocate(self, allocation, date, left):
        "Pay what is due on date from left; return what remains"
        for item, component in self.slots(date):
            if not left:
                break
            amount = min(self._owed(item, component), left)
            if amount > 0:
                self._pay(item, component, amount)
                allocation.lines.append((item, component, amount))
                left -= amount
        return left

    def _repay(self, event):
        allocation = Allocation(event.key, event.date, event.amount)
        left = self._allocate(allocation, event.date, event.amount)
        if left and event.prepay:
            left = self._prepay(allocation, event, left)
        allocation.overpayment = left
        self.allocations.append(allocation)

    def _prepay(self, allocation, event, left):
        """Prepay principal with what is left of a repayment: the largest
        prepayment whose installment (principal, and its interest when the
        day falls inside a period) the rest pays; return what remains"""
        undue = sum(i.unpaid('principal') for i in self.installments
            if i.due_date > event.date)
        kept = len([i for i in self.installments
                if i.due_date <= event.date])
        schedules = {}

        def cost(principal):
            "What the prepayment installment of principal costs on the day"
            if principal not in schedules:
                schedules[principal] = self.settings.prepay(
                    self.installments, event.date, principal, event.prepay)
            return sum(r['principal'] + r['interest']
                for r in schedules[principal][kept:]
                if r['due_date'] == event.date)

        # the interest of a prepayment is a small share of it: start from
        # the proportional guess, then close the gap by halves
        high = min(left, undue)
        if high <= 0:
            return left
        if cost(high) > left:
            low = max(high * left // cost(high) - 1, 0)
            while low and cost(low) > left:
                low //= 2
            while high - low > 1:
                middle = (low + high) // 2
                if cost(middle) <= left:
                    low = middle
                else:
                    high = middle
            high = low
        if not high:
            return left
        self._reschedule(Event(event.date, 'schedule',
                installments=schedules[high]))
        return self._allocate(allocation, event.date, left)

    def _waive(self, event):
        "Take an amount of a component off, the given installment or oldest"
        left = event.amount
        if event.seq is None:
            items = self.due_items(event.date)
        else:
            # an installment may be waived before it falls due (免息)
            items = [i for i in self.installments if i.seq == event.seq]
        for item in items:
            amount = min(self._owed(item, event.component), left)
            if amount > 0:
                if isinstance(item, FeeItem):
                    item.waived += amount
                else:
                    item.waived[event.component] = (
                        item.waived.get(event.component, 0) + amount)
                left -= amount
        if left:
            raise ValueError('waiver exceeds what is owed')

    def _reschedule(self, event):
        """Take the schedule of a change from its date: its first rows are
        the installments due on or before the date, unchanged (the
        engine's recalculations keep them); the others replace the rest"""
        kept = [i for i in self.installments if i.due_date <= event.date]
        fees = self.installments[0].fees if self.installments else 0
        new = [Installment(**dict({'fees': fees}, **i))
            for i in event.installments[len(kept):]]
        self.installments = kept + new
        self.versions.append((event.date, list(self.installments)))

    def apply(self, event):
        if self.date is None or event.date > self.date:
            self._advance(event.date)
        getattr(self, '_' + {
                'repayment': 'repay', 'fee': 'fee', 'waiver': 'waive',
                'rate': 'rate', 'schedule': 'reschedule'}[event.kind])(event)
        if self.settled_on is None and self.is_settled():
            self.settled_on = event.date

    def _fee(self, event):
        self.fee_items.append(FeeItem(event.key, event.date, event.amount))

    def _rate(self, event):
        self.rate_micro = event.rate_micro

    def checkpoint(self, date):
        "Record what is charged and accrued on date (see replay)"
        if self.date is None or date > self.date:
            self._advance(date)
        self.charged[date] = (
            sum(self.penalty(i) for i in self.installments),
            sum(self.compound(i) for i in self.installments),
            self.accrued(date))

    def accrued(self, date):
        """The interest accrued at the end of date (rule 5): each schedule
        accrues over the days it was in force, what accrued before a change
        standing"""
        total = 0
        for n, (start, installments) in enumerate(self.versions):
            if start is not None and date < start:
                break
            end = (self.versions[n + 1][0] if n + 1 < len(self.versions)
                else None)
            upto = date if end is None or date < end else (
                end - dt.timedelta(days=1))
            total += accrued_interest(installments, upto)
            if start is not None:
                total -= accrued_interest(
                    installments, start - dt.timedelta(days=1))
        return total

    # The state at the end of the day (rules 6 and 8)
    def is_settled(self):
        "Every installment and fee item paid, penalty included"
        return (all(not self._owed(i, c)
                for i in self.installments for c in COMPONENTS)
            and all(not f.unpaid for f in self.fee_items))

    def installment_paid(self, inst):
        return all(not self.outstanding(inst, c) for c in COMPONENTS)

    @property
    def days_past_due(self):
        "DPD at the end of the day processed"
        for inst in sorted(self.installments, key=lambda i: i.due_date):
            if inst.due_date > self.date:
                break
            if not self.installment_paid(inst):
                return (self.date - inst.due_date).days
        return 0

    def installment_state(self, inst):
        "pending, due, partial, paid or overdue at the end of the day"
        if inst.due_date > self.date:
            return 'pending'
        if self.installment_paid(inst):
            return 'paid'
        if inst.due_date < self.date:
            return 'overdue'
        return 'partial' if any(inst.paid.values()) else 'due'

    def totals(self, what):
        """{component: amount} over the installments of what ('due':
        scheduled or charged on the day, 'paid', 'waived', 'outstanding');
        fee items count as fees"""
        result = dict.fromkeys(COMPONENTS, 0)
        for inst in self.installments:
            for c in COMPONENTS:
                result[c] += self.amount(inst, c, what)
        for item in self.fee_items:
            result['fees'] += {'due': item.amount, 'paid': item.paid,
                'waived': item.waived, 'outstanding': item.unpaid}[what]
        return result

    def due_outstanding(self):
        "What is owed of the items due on the day (rule 1), all components"
        return sum(self._owed(i, c) for i in self.due_items(self.date)
            for c in COMPONENTS)

    def payoff(self):
        """What settles the loan on the day: the items due and the principal
        of the installments not yet due (no interest of theirs)"""
        return self.due_outstanding() + sum(i.unpaid('principal')
            for i in self.installments if i.due_date > self.date)

    def amount(self, inst, component, what):
        "One figure of an installment on the day (see totals)"
        if what == 'paid':
            return inst.paid.get(component, 0)
        if what == 'waived':
            return inst.waived.get(component, 0)
        if what == 'outstanding':
            return self.outstanding(inst, component)
        if component == 'penalty':
            return self.penalty(inst)
        if component == 'compound':
            return self.compound(inst)
        return getattr(inst, component)


def replay(installments, settings, events, date, checkpoints=()):
    """Apply events (Event) with a date up to date, in the order (date,
    sequence), to the schedule (Installment or their keyword dicts) and
    return the Servicing at the end of date.

    At each date of checkpoints (up to date) the Servicing records in
    ``charged`` {date: (penalty, compound, accrued)}: the penalty and
    compound interest charged on that day (before its repayments: rules 3
    and 4 count the days before it) and the interest accrued at its end,
    all cumulative since the value date."""
    servicing = Servicing(installments, settings)
    marks = sorted(d for d in set(checkpoints) if d <= date)
    for event in sorted(events, key=lambda e: (e.date, e.sequence)):
        if event.date > date:
            break
        while marks and marks[0] <= event.date:
            servicing.checkpoint(marks.pop(0))
        servicing.apply(event)
    for mark in marks:
        servicing.checkpoint(mark)
    if servicing.date is None or date > servicing.date:
        servicing._advance(date)
    return servicing


def classify(days_past_due, bands=DEFAULT_BANDS):
    "The five-level class (CLASSES) of a loan by its days past due"
    for name, highest in zip(CLASSES, bands):
        if days_past_due <= highest:
            return name
    return CLASSES[-1]


def accrued_interest(installments, date):
    """The contract interest accrued at the end of date (rule 5): each
    installment's interest spread evenly over the days of its period, the
    cumulative amount rounded half up per installment"""
    total = 0
    for inst in installments:
        if isinstance(inst, dict):
            inst = Installment(**inst)
        days = (inst.period_end - inst.period_start).days
        if days <= 0:
            continue
        elapsed = min(max((date - inst.period_start).days + 1, 0), days)
        total += round_div(inst.interest * elapsed, days)
    return total
