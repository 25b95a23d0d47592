# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Financial statements (财务报表) of a customer, by period.

A statement holds one amount per item of a fixed list of balance-sheet,
income-statement and cash-flow items.  At confirmation the balance sheet
must balance: total assets = total liabilities + equity, to the fen.  The
usual analysis ratios are computed from the lines of one statement (and of
the previous confirmed statement of the same party and period kind for the
average receivables and inventory).  The ratios are not annualised: the
flows (revenue, profit) are those of the statement's own period.
"""
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from trytond.i18n import gettext
from trytond.model import (
    ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

from .exceptions import FinancialStatementError
from .party import CustomerCurrencyMixin
from .workflow import reset_actor, set_actor

PERIOD_KINDS = [
    ('annual', "Year"),
    ('semi_annual', "Half-Year"),
    ('quarterly', "Quarter"),
    ('month', "Month"),
    ]
# Preferred statement among those ending on the same date: the longest period
PERIOD_PRIORITY = {'annual': 0, 'semi_annual': 1, 'quarterly': 2, 'month': 3}
STATES = [
    ('draft', "Draft"),
    ('confirmed', "Confirmed"),
    ]
# (item, code, label): the code is the row of the statement form
ITEMS = [
    ('cash', 'A01', "Cash and Bank Balances"),
    ('receivables', 'A02', "Accounts Receivable"),
    ('prepayments', 'A03', "Prepayments"),
    ('other_receivables', 'A04', "Other Receivables"),
    ('inventory', 'A05', "Inventory"),
    ('other_current_assets', 'A06', "Other Current Assets"),
    ('total_current_assets', 'A10', "Total Current Assets"),
    ('long_term_investments', 'A11', "Long-term Equity Investments"),
    ('fixed_assets', 'A12', "Fixed Assets"),
    ('intangible_assets', 'A13', "Intangible Assets"),
    ('total_assets', 'A20', "Total Assets"),
    ('short_term_borrowings', 'L01', "Short-term Borrowings"),
    ('payables', 'L02', "Accounts Payable"),
    ('advances_received', 'L03', "Advances from Customers"),
    ('other_payables', 'L04', "Other Payables"),
    ('total_current_liabilities', 'L10', "Total Current Liabilities"),
    ('long_term_borrowings', 'L11', "Long-term Borrowings"),
    ('total_liabilities', 'L20', "Total Liabilities"),
    ('equity', 'E01', "Total Owners' Equity"),
    ('revenue', 'P01', "Operating Revenue"),
    ('cost_of_sales', 'P02', "Cost of Sales"),
    ('operating_profit', 'P10', "Operating Profit"),
    ('financial_expenses', 'P11', "Financial Expenses"),
    ('interest_expense', 'P12', "Of Which: Interest Expense"),
    ('total_profit', 'P20', "Total Profit"),
    ('income_tax', 'P21', "Income Tax Expense"),
    ('net_profit', 'P30', "Net Profit"),
    ('operating_cash_flow', 'C01', "Net Cash Flow from Operating Activities"),
    ]
ITEM_CODES = {i: c for i, c, _ in ITEMS}
RATIO_DIGITS = (16, 4)
RATIO_QUANTUM = Decimal('0.0001')
CENT = Decimal('0.01')
NOT_ANNUALISED = (
    " Not annualised: for a half-year, quarter or month it covers that "
    "period only.")
# ratio name -> (label, help)
RATIOS = {
    'current_ratio': ("Current Ratio",
        "Total current assets / total current liabilities."),
    'quick_ratio': ("Quick Ratio",
        "(Total current assets - inventory) / total current liabilities."),
    'debt_to_assets': ("Debt to Assets",
        "Total liabilities / total assets, as a fraction (0.6 = 60 %)."),
    'roe': ("Return on Equity",
        "Net profit / owners' equity at the period end, as a fraction."
        + NOT_ANNUALISED),
    'roa': ("Return on Assets",
        "Net profit / total assets at the period end, as a fraction."
        + NOT_ANNUALISED),
    'net_margin': ("Net Margin",
        "Net profit / operating revenue, as a fraction."),
    'gross_margin': ("Gross Margin",
        "(Operating revenue - cost of sales) / operating revenue, "
        "as a fraction."),
    'receivable_turnover': ("Receivable Turnover",
        "Operating revenue / average accounts receivable of this and of the "
        "previous confirmed statement of the same period kind (this one "
        "alone without a previous one)." + NOT_ANNUALISED),
    'inventory_turnover': ("Inventory Turnover",
        "Cost of sales / average inventory of this and of the previous "
        "confirmed statement of the same period kind (this one alone "
        "without a previous one)." + NOT_ANNUALISED),
    'interest_coverage': ("Interest Coverage",
        "(Total profit + interest expense) / interest expense; the "
        "financial expenses stand for the interest expense when it is not "
        "given."),
    }


def _ratio(numerator, denominator):
    "numerator / denominator to 4 digits, None when one is missing or zero"
    if numerator is None or not denominator:
        return None
    return (numerator / denominator).quantize(
        RATIO_QUANTUM, rounding=ROUND_HALF_UP)


def _average(current, previous):
    if current is None:
        return None
    if previous is None:
        return current
    return (current + previous) / 2


def compute_ratios(amounts, previous=None):
    """Return {ratio: Decimal or None} from the {item: amount} of a statement
    and of the previous statement of the same kind (or None)"""
    a = amounts.get
    p = (previous or {}).get

    def diff(x, y):
        return x - y if x is not None and y is not None else None

    interest = a('interest_expense')
    if interest is None:
        interest = a('financial_expenses')
    ebit = (a('total_profit') + interest
        if a('total_profit') is not None and interest is not None else None)
    return {
        'current_ratio': _ratio(
            a('total_current_assets'), a('total_current_liabilities')),
        'quick_ratio': _ratio(
            diff(a('total_current_assets'), a('inventory')),
            a('total_current_liabilities')),
        'debt_to_assets': _ratio(a('total_liabilities'), a('total_assets')),
        'roe': _ratio(a('net_profit'), a('equity')),
        'roa': _ratio(a('net_profit'), a('total_assets')),
        'net_margin': _ratio(a('net_profit'), a('revenue')),
        'gross_margin': _ratio(
            diff(a('revenue'), a('cost_of_sales')), a('revenue')),
        'receivable_turnover': _ratio(
            a('revenue'), _average(a('receivables'), p('receivables'))),
        'inventory_turnover': _ratio(
            a('cost_of_sales'), _average(a('inventory'), p('inventory'))),
        'interest_coverage': _ratio(ebit, interest),
        }


def _ratio_field(name):
    label, help_ = RATIOS[name]
    return fields.Function(
        fields.Numeric(label, digits=RATIO_DIGITS, help=help_),
        'get_ratios')


class FinancialStatement(Workflow, ModelSQL, ModelView):
    "Financial Statement"
    __name__ = 'microloan.party.financial_statement'
    __string__ = "Financial Statement"

    _states = {
        'readonly': Eval('state') != 'draft',
        }

    party = fields.Many2One(
        'party.party', "Customer", required=True, ondelete='CASCADE',
        domain=[('customer_kind', '!=', None)],
        states=_states)
    period_kind = fields.Selection(
        PERIOD_KINDS, "Period", required=True, sort=False, states=_states)
    period_kind_string = period_kind.translated('period_kind')
    period_end = fields.Date(
        "Reporting Date", required=True, states=_states,
        help="The balance-sheet date (报表截止日); the income statement "
        "covers the period that ends on it.")
    audited = fields.Boolean("Audited", states=_states)
    auditor = fields.Char(
        "Auditor",
        states={
            'readonly': _states['readonly'],
            'invisible': ~Eval('audited'),
            'required': Eval('audited', False),
            },
        help="The accounting firm that audited the statement.")
    note = fields.Text("Note")
    lines = fields.One2Many(
        'microloan.party.financial_statement.line', 'statement', "Lines",
        states=_states)
    state = fields.Selection(STATES, "State", readonly=True, required=True)
    confirmed_by = fields.Many2One(
        'company.employee', "Confirmed By", readonly=True,
        states={
            'invisible': Eval('state') != 'confirmed',
            })
    confirmed_user = fields.Many2One(
        'res.user', "Confirmed by User", readonly=True,
        states={
            'invisible': Eval('state') != 'confirmed',
            })
    current_ratio = _ratio_field('current_ratio')
    quick_ratio = _ratio_field('quick_ratio')
    debt_to_assets = _ratio_field('debt_to_assets')
    roe = _ratio_field('roe')
    roa = _ratio_field('roa')
    net_margin = _ratio_field('net_margin')
    gross_margin = _ratio_field('gross_margin')
    receivable_turnover = _ratio_field('receivable_turnover')
    inventory_turnover = _ratio_field('inventory_turnover')
    interest_coverage = _ratio_field('interest_coverage')

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('party')
        t = cls.__table__()
        cls._sql_constraints += [
            ('party_period_unique',
                Unique(t, t.party, t.period_kind, t.period_end),
                'microloan_core.msg_financial_statement_unique'),
            ]
        cls._order = [
            ('period_end', 'DESC'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('draft', 'confirmed'),
            ('confirmed', 'draft'),
            }
        cls._buttons.update({
                'confirm': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'confirmed',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_period_kind(cls):
        return 'annual'

    @classmethod
    def default_audited(cls):
        return False

    def get_rec_name(self, name):
        return '%s %s %s' % (
            self.party.rec_name, self.period_end, self.period_kind_string)

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('party.rec_name',) + tuple(clause[1:])]

    @property
    def amounts(self):
        "The amount of each item on the statement"
        return {l.item: l.amount for l in self.lines if l.amount is not None}

    @classmethod
    def previous_statements(cls, statements):
        """Return {statement: previous confirmed statement of the same party
        and period kind or None}"""
        result = dict.fromkeys(statements)
        parties = {s.party.id for s in statements}
        if not parties:
            return result
        by_key = defaultdict(list)
        for other in cls.search([
                    ('party', 'in', list(parties)),
                    ('state', '=', 'confirmed'),
                    ], order=[('period_end', 'DESC')]):
            by_key[other.party.id, other.period_kind].append(other)
        for statement in statements:
            for other in by_key[statement.party.id, statement.period_kind]:
                if other.period_end < statement.period_end:
                    result[statement] = other
                    break
        return result

    @classmethod
    def get_ratios(cls, statements, names):
        result = {n: {} for n in names}
        previous = cls.previous_statements(statements)
        for statement in statements:
            prior = previous[statement]
            ratios = compute_ratios(
                statement.amounts, prior.amounts if prior else None)
            for name in names:
                result[name][statement.id] = ratios[name]
        return result

    @property
    def ratios(self):
        "{ratio name: Decimal or None}"
        return {n: getattr(self, n) for n in RATIOS}

    @classmethod
    def check_balance(cls, statements):
        "Refuse a balance sheet where assets differ from liabilities + equity"
        for statement in statements:
            amounts = statement.amounts
            zero = Decimal(0)
            assets = amounts.get('total_assets', zero).quantize(CENT)
            liabilities_equity = (
                amounts.get('total_liabilities', zero)
                + amounts.get('equity', zero)).quantize(CENT)
            if assets != liabilities_equity:
                raise FinancialStatementError(gettext(
                        'microloan_core.msg_financial_statement_unbalanced',
                        statement=statement.rec_name,
                        assets=assets,
                        liabilities_equity=liabilities_equity))

    @classmethod
    @ModelView.button
    @Workflow.transition('confirmed')
    @set_actor('confirmed', company=None)
    def confirm(cls, statements):
        cls.check_balance(statements)

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    @reset_actor('confirmed')
    def draft(cls, statements):
        pass

    @classmethod
    def copy(cls, statements, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('state', 'draft')
        default.setdefault('confirmed_by', None)
        default.setdefault('confirmed_user', None)
        return super().copy(statements, default=default)

    @classmethod
    def check_modification(cls, mode, statements, values=None, external=False):
        super().check_modification(
            mode, statements, values=values, external=external)
        if mode == 'delete' or (mode == 'write'
                and set(values) - {
                    'state', 'confirmed_by', 'confirmed_user', 'note'}):
            for statement in statements:
                if statement.state != 'draft':
                    raise FinancialStatementError(gettext(
                            'microloan_core.msg_financial_statement_confirmed',
                            statement=statement.rec_name))


class FinancialStatementLine(CustomerCurrencyMixin, ModelSQL, ModelView):
    "Financial Statement Line"
    __name__ = 'microloan.party.financial_statement.line'
    __string__ = "Financial Statement Line"

    statement = fields.Many2One(
        'microloan.party.financial_statement', "Statement", required=True,
        ondelete='CASCADE')
    item = fields.Selection(
        [(i, l) for i, _, l in ITEMS], "Item", required=True, sort=False)
    item_string = item.translated('item')
    code = fields.Function(fields.Char("Code"), 'on_change_with_code')
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('statement')
        cls._order.insert(0, ('statement', 'ASC'))

    @fields.depends('item')
    def on_change_with_code(self, name=None):
        return ITEM_CODES.get(self.item)

    def get_rec_name(self, name):
        return '%s %s' % (self.code or '', self.item_string or '')

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        for line in lines:
            if line.statement.state != 'draft':
                raise FinancialStatementError(gettext(
                        'microloan_core.msg_financial_statement_confirmed',
                        statement=line.statement.rec_name))

    @classmethod
    def validate(cls, lines):
        super().validate(lines)
        cls.check_unique_item(lines)

    @classmethod
    def check_unique_item(cls, lines):
        "Refuse a second line of the same item on one statement"
        for statement in {l.statement for l in lines}:
            seen = set()
            for line in statement.lines:
                if line.item in seen:
                    raise FinancialStatementError(gettext(
                            'microloan_core.msg_financial_statement_line_'
                            'duplicate',
                            statement=statement.rec_name,
                            item=line.item_string))
                seen.add(line.item)


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    financial_statements = fields.One2Many(
        'microloan.party.financial_statement', 'party',
        "Financial Statements")

    def financial_ratios(self, date=None):
        """Return {ratio name: Decimal or None} of the latest confirmed
        statement ending on or before date (today by default); every ratio
        is None without such a statement"""
        pool = Pool()
        Statement = pool.get('microloan.party.financial_statement')
        if date is None:
            date = pool.get('ir.date').today()
        statements = Statement.search([
                ('party', '=', self.id),
                ('state', '=', 'confirmed'),
                ('period_end', '<=', date),
                ], order=[('period_end', 'DESC'), ('id', 'DESC')], limit=4)
        if not statements:
            return dict.fromkeys(RATIOS)
        latest = statements[0].period_end
        statement = min(
            (s for s in statements if s.period_end == latest),
            key=lambda s: PERIOD_PRIORITY[s.period_kind])
        return statement.ratios

    @classmethod
    def copy(cls, parties, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('financial_statements', None)
        return super().copy(parties, default=default)


class PartyReplace(metaclass=PoolMeta):
    __name__ = 'party.replace'

    @classmethod
    def fields_to_replace(cls):
        return super().fields_to_replace() + [
            ('microloan.party.financial_statement', 'party'),
            ]
