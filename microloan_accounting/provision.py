# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Monthly loan-loss provisions (贷款损失准备计提).

docs/accounting.md, Provisions and off-balance interest: at the end of a
month each loan with a principal balance is classed by its days past due
(五级分类, the loan's ``classification`` at that date) and provided for
at its class's ratio (settings of the company: 0 %, 2 %, 25 %, 50 %,
100 % by default); the general risk reserve (一般风险准备) is a ratio of
the loans' principal balance (1.5 %).  The run posts the difference
between what is required and the balance of the ledger account before
it: Dr 6702 / Cr 1304 for the provision, Dr 4104 (profit distribution) /
Cr 4102 for the reserve, in red ink when the requirement falls."""
from collections import namedtuple
from decimal import ROUND_HALF_UP, Decimal

from sql.aggregate import Sum
from sql.conditionals import Coalesce

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Workflow, fields)
from trytond.modules.currency.fields import Monetary
from trytond.modules.microloan_core.engine.servicing import CLASSES
from trytond.modules.microloan_core.loan import CLASSIFICATIONS
from trytond.modules.microloan_core.workflow import (
    DraftDocumentMixin, checked_transition)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.tools import sqlite_apply_types
from trytond.transaction import Transaction, without_check_access

from .exceptions import ProvisionError

RUN_STATES = [
    ('draft', "Draft"),
    ('done', "Done"),
    ]
RATIO_DIGITS = (16, 4)
# The default specific provision ratio of each class (docs/accounting.md)
DEFAULT_RATIOS = {
    'normal': Decimal('0'),
    'special_mention': Decimal('0.02'),
    'substandard': Decimal('0.25'),
    'doubtful': Decimal('0.5'),
    'loss': Decimal('1'),
    }
DEFAULT_GENERAL_RESERVE = Decimal('0.015')
DEFAULT_OFF_BALANCE_DAYS = 90
# The accounts of the entries by their code in the company's chart
ACCOUNT_CODES = {
    'impairment': '6702',
    'provision': '1304',
    'distribution': '4104',
    'reserve': '4102',
    'off_balance': '7001',
    'off_balance_memo': '7002',
    }

# What the runs read of a loan at a date
LoanFigures = namedtuple('LoanFigures',
    ['loan', 'days_past_due', 'classification', 'principal', 'interest'])


def round_money(amount, currency):
    "amount rounded half up to the currency's fen"
    return currency.round(amount, rounding=ROUND_HALF_UP)


def portfolio(company, date):
    """Return {loan id: LoanFigures} of company's loans with a principal
    or interest balance at the end of date.

    The balances come from one grouped query (LoanTransaction.balances).
    The days past due and the class are the core's per-loan function
    fields (a replay of each loan's events, there is no set-based form):
    they are read in one call for all the loans, at date."""
    pool = Pool()
    Loan = pool.get('microloan.loan')
    LoanTransaction = pool.get('microloan.loan.transaction')
    with without_check_access():
        loans = Loan.search([
                ('company', '=', company.id),
                ('state', 'in', ['active', 'closed']),
                ('start_date', '<=', date),
                ])
        balances = LoanTransaction.balances(loans, date)
        loans = [l for l in loans
            if balances[l.id]['principal'] or balances[l.id]['interest']]
        with Transaction().set_context(servicing_date=date):
            servicing = {r['id']: r for r in Loan.read(
                    [l.id for l in loans],
                    ['days_past_due', 'classification'])}
    return {l.id: LoanFigures(l, servicing[l.id]['days_past_due'] or 0,
            servicing[l.id]['classification'] or 'normal',
            balances[l.id]['principal'], balances[l.id]['interest'])
        for l in loans}


def company_accounts(company, keys):
    """Return {key: account} of company's chart for the keys of
    ACCOUNT_CODES, or refuse naming the code missing"""
    Account = Pool().get('account.account')
    codes = {ACCOUNT_CODES[k] for k in keys}
    with without_check_access():
        accounts = {a.code: a for a in Account.search([
                    ('company', '=', company.id),
                    ('code', 'in', list(codes)),
                    ('type', '!=', None),
                    ])}
    for code in sorted(codes - set(accounts)):
        raise ProvisionError(gettext(
                'microloan_accounting.msg_provision_account',
                company=company.rec_name, code=code))
    return {k: accounts[ACCOUNT_CODES[k]] for k in keys}


def ledger_balance(company, account, date):
    """The balance (debit - credit) of account in company's vouchers dated
    up to date, prepared, reviewed or posted"""
    pool = Pool()
    Line = pool.get('account.move.line')
    Move = pool.get('account.move')
    line = Line.__table__()
    move = Move.__table__()
    cursor = Transaction().connection.cursor()
    query = line.join(move, condition=line.move == move.id).select(
        Sum(Coalesce(line.debit, 0) - Coalesce(line.credit, 0)).as_('balance'),
        where=(move.company == company.id)
        & (line.account == account.id)
        & (move.date <= date))
    if backend.name == 'sqlite':
        sqlite_apply_types(query, ['NUMERIC'])
    cursor.execute(*query)
    value, = cursor.fetchone()
    return round_money(Decimal(str(value or 0)), company.currency)


def _ratio_field(string, name, help):
    "A required ratio between 0 and 1 of the company's provisions"
    return fields.Numeric(
        string, digits=RATIO_DIGITS, required=True,
        domain=[(name, '>=', 0), (name, '<=', 1)], help=help)


class Company(metaclass=PoolMeta):
    __name__ = 'company.company'

    microloan_provision_normal = _ratio_field(
        "Provision Normal", 'microloan_provision_normal',
        "The specific provision of a normal (正常) loan, a ratio of "
        "its principal balance.")
    microloan_provision_special_mention = _ratio_field(
        "Provision Special Mention", 'microloan_provision_special_mention',
        "The specific provision of a special mention (关注) loan.")
    microloan_provision_substandard = _ratio_field(
        "Provision Substandard", 'microloan_provision_substandard',
        "The specific provision of a substandard (次级) loan.")
    microloan_provision_doubtful = _ratio_field(
        "Provision Doubtful", 'microloan_provision_doubtful',
        "The specific provision of a doubtful (可疑) loan.")
    microloan_provision_loss = _ratio_field(
        "Provision Loss", 'microloan_provision_loss',
        "The specific provision of a loss (损失) loan.")
    microloan_general_reserve = _ratio_field(
        "General Risk Reserve Ratio", 'microloan_general_reserve',
        "The general risk reserve (一般风险准备), a ratio of the "
        "loans' principal balance.")
    microloan_off_balance_days = fields.Integer(
        "Off-Balance after Days Past Due", required=True,
        domain=[('microloan_off_balance_days', '>=', 0)],
        help="The accrued interest of a loan more than this many days past "
        "due is taken off the balance sheet (表外利息).")

    @classmethod
    def default_microloan_provision_normal(cls):
        return DEFAULT_RATIOS['normal']

    @classmethod
    def default_microloan_provision_special_mention(cls):
        return DEFAULT_RATIOS['special_mention']

    @classmethod
    def default_microloan_provision_substandard(cls):
        return DEFAULT_RATIOS['substandard']

    @classmethod
    def default_microloan_provision_doubtful(cls):
        return DEFAULT_RATIOS['doubtful']

    @classmethod
    def default_microloan_provision_loss(cls):
        return DEFAULT_RATIOS['loss']

    @classmethod
    def default_microloan_general_reserve(cls):
        return DEFAULT_GENERAL_RESERVE

    @classmethod
    def default_microloan_off_balance_days(cls):
        return DEFAULT_OFF_BALANCE_DAYS

    def microloan_provision_ratio(self, classification):
        "The specific provision ratio of the five-level class"
        return getattr(self, 'microloan_provision_%s' % classification)


class Move(metaclass=PoolMeta):
    __name__ = 'account.move'

    @classmethod
    def _get_origin(cls):
        "The provision and off-balance runs are origins of their vouchers"
        return super()._get_origin() + [
            'microloan.accounting.provision',
            'microloan.accounting.off_balance']


class RunMixin(DraftDocumentMixin):
    """A run of the company that is computed (计算) in draft, then posted
    (生成凭证): its voucher is prepared and goes through review and
    posting like any other"""
    __slots__ = ()
    _deletable_states = {'draft'}

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='RESTRICT',
        states={'readonly': Eval('state') != 'draft'})
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    state = fields.Selection(
        RUN_STATES, "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')
    move = fields.Many2One(
        'account.move', "Voucher", readonly=True, ondelete='RESTRICT',
        help="The voucher the run prepared: it is reviewed and posted like "
        "any other.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._transitions |= {('draft', 'done')}
        cls._buttons.update({
                'compute': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'post': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'draft'

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode == 'write' and external:
            cls.check_states(records, {'draft'},
                'microloan_core.msg_document_not_draft')

    @classmethod
    @ModelView.button
    def compute(cls, runs):
        "计算: the run's figures, anew"
        cls.check_states(runs, {'draft'},
            'microloan_core.msg_document_not_draft')
        for run in runs:
            run._compute()

    @classmethod
    @ModelView.button
    @checked_transition('done')
    @Workflow.transition('done')
    def post(cls, runs):
        "生成凭证: the voucher of the run's figures"
        pool = Pool()
        Move = pool.get('account.move')
        cls.lock()
        for run in runs:
            run._check_post()
            if not run._computed():
                run._compute()
        runs = cls.browse(runs)
        for run in runs:
            lines = run._voucher_lines()
            if lines:
                run.move, = Move.create([Move.voucher_values(
                            run.company, run.date, run._voucher_description(),
                            lines, origin=run)])
        cls.save(runs)


class Provision(RunMixin, Workflow, ModelSQL, ModelView):
    "Loan Loss Provision"
    __name__ = 'microloan.accounting.provision'
    __string__ = "Loan Loss Provision"
    _draft_fields = {'company', 'period'}

    period = fields.Many2One(
        'account.period', "Period", required=True, ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type', '=', 'standard'),
            ],
        states={'readonly': Eval('state') != 'draft'})
    date = fields.Date(
        "Date", readonly=True, help="The end of the period.")
    class_lines = fields.One2Many(
        'microloan.accounting.provision.class', 'provision', "Per Class",
        readonly=True)
    loan_lines = fields.One2Many(
        'microloan.accounting.provision.loan', 'provision', "Per Loan",
        readonly=True)
    principal = Monetary(
        "Principal Balance", currency='currency', digits='currency',
        readonly=True, help="The loans' principal balance (risk assets).")
    required = Monetary(
        "Required Provision", currency='currency', digits='currency',
        readonly=True)
    previous = Monetary(
        "Provision Before", currency='currency', digits='currency',
        readonly=True,
        help="The balance of the loan loss provision (1304) before the run.")
    change = Monetary(
        "Provision Change", currency='currency', digits='currency',
        readonly=True, help="Posted Dr 6702 / Cr 1304 (red when negative).")
    reserve_ratio = fields.Numeric(
        "General Reserve Ratio", digits=RATIO_DIGITS, readonly=True)
    reserve_required = Monetary(
        "Required General Reserve", currency='currency', digits='currency',
        readonly=True)
    reserve_previous = Monetary(
        "General Reserve Before", currency='currency', digits='currency',
        readonly=True,
        help="The balance of the general risk reserve (4102) before the run.")
    reserve_change = Monetary(
        "General Reserve Change", currency='currency', digits='currency',
        readonly=True, help="Posted Dr 4104 / Cr 4102 (red when negative).")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._sql_indexes.add(Index(t,
                (t.company, Index.Equality()), (t.period, Index.Equality())))

    @fields.depends('period')
    def on_change_with_date(self):
        return self.period.end_date if self.period else None

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('period'):
            values['date'] = Pool().get('account.period')(
                values['period']).end_date
        return values

    def get_rec_name(self, name):
        return '%s %s' % (self.company.rec_name, self.period.rec_name)

    @classmethod
    def validate(cls, provisions):
        super().validate(provisions)
        for provision in provisions:
            provision.check_done_once()

    def check_done_once(self):
        "One done provision per company and period"
        others = self.search([
                ('company', '=', self.company.id),
                ('period', '=', self.period.id),
                ('state', '=', 'done'),
                ('id', '!=', self.id),
                ], limit=1)
        if others:
            raise ProvisionError(gettext(
                    'microloan_accounting.msg_provision_done_once',
                    company=self.company.rec_name,
                    period=self.period.rec_name))

    def _check_post(self):
        "Refuse posting before a done provision of a later period"
        later = self.search([
                ('company', '=', self.company.id),
                ('date', '>', self.date),
                ('state', '=', 'done'),
                ], limit=1)
        if later:
            later, = later
            raise ProvisionError(gettext(
                    'microloan_accounting.msg_provision_later',
                    provision=self.rec_name, later=later.rec_name))

    def _computed(self):
        return bool(self.class_lines)

    def _compute(self):
        "The required provision per loan and class and its changes"
        pool = Pool()
        ClassLine = pool.get('microloan.accounting.provision.class')
        LoanLine = pool.get('microloan.accounting.provision.loan')
        company, currency = self.company, self.company.currency
        accounts = company_accounts(company, ['provision', 'reserve'])
        ClassLine.delete(self.class_lines)
        LoanLine.delete(self.loan_lines)
        figures = portfolio(company, self.date)
        loan_values = []
        by_class = {c: [Decimal(0), Decimal(0)] for c in CLASSES}
        for f in sorted(figures.values(), key=lambda f: f.loan.id):
            if not f.principal:
                continue
            ratio = company.microloan_provision_ratio(f.classification)
            amount = round_money(f.principal * ratio, currency)
            loan_values.append({
                    'provision': self.id,
                    'loan': f.loan.id,
                    'days_past_due': f.days_past_due,
                    'classification': f.classification,
                    'principal': f.principal,
                    'ratio': ratio,
                    'amount': amount,
                    })
            by_class[f.classification][0] += f.principal
            by_class[f.classification][1] += amount
        LoanLine.create(loan_values)
        ClassLine.create([{
                    'provision': self.id,
                    'classification': c,
                    'principal': by_class[c][0],
                    'ratio': company.microloan_provision_ratio(c),
                    'amount': by_class[c][1],
                    } for c in CLASSES])
        self.principal = sum(v[0] for v in by_class.values())
        self.required = sum(v[1] for v in by_class.values())
        # the provision and the reserve are credit balances
        self.previous = -ledger_balance(
            company, accounts['provision'], self.date)
        self.change = self.required - self.previous
        self.reserve_ratio = company.microloan_general_reserve
        self.reserve_required = round_money(
            self.principal * self.reserve_ratio, currency)
        self.reserve_previous = -ledger_balance(
            company, accounts['reserve'], self.date)
        self.reserve_change = self.reserve_required - self.reserve_previous
        self.save()

    def _voucher_description(self):
        return gettext('microloan_accounting.msg_provision_description',
            period=self.period.rec_name)

    def _voucher_lines(self):
        """Dr 6702 / Cr 1304 of the provision's change, Dr 4104 / Cr 4102
        of the reserve's (negative: red ink on the same sides)"""
        accounts = company_accounts(self.company, [
                'impairment', 'provision', 'distribution', 'reserve'])
        zero = Decimal(0)
        lines = []
        for change, debit, credit, msg_id in [
                (self.change, 'impairment', 'provision',
                    'msg_provision_summary'),
                (self.reserve_change, 'distribution', 'reserve',
                    'msg_general_reserve_summary'),
                ]:
            if change:
                summary = gettext('microloan_accounting.%s' % msg_id,
                    period=self.period.rec_name)
                lines += [
                    (accounts[debit], None, change, zero, summary),
                    (accounts[credit], None, zero, change, summary),
                    ]
        return lines


class ProvisionClass(ModelSQL, ModelView):
    "Loan Loss Provision per Class"
    __name__ = 'microloan.accounting.provision.class'
    __string__ = "Loan Loss Provision per Class"

    provision = fields.Many2One(
        'microloan.accounting.provision', "Provision", required=True,
        ondelete='CASCADE')
    classification = fields.Selection(
        CLASSIFICATIONS, "Five-Level Class", required=True, readonly=True,
        sort=False)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"), 'get_currency')
    principal = Monetary(
        "Principal Balance", currency='currency', digits='currency',
        readonly=True)
    ratio = fields.Numeric("Ratio", digits=RATIO_DIGITS, readonly=True)
    amount = Monetary(
        "Required Provision", currency='currency', digits='currency',
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('provision')
        cls._order = [('provision', 'DESC'), ('id', 'ASC')]

    def get_currency(self, name):
        return self.provision.company.currency.id


class ProvisionLoan(ModelSQL, ModelView):
    "Loan Loss Provision per Loan"
    __name__ = 'microloan.accounting.provision.loan'
    __string__ = "Loan Loss Provision per Loan"

    provision = fields.Many2One(
        'microloan.accounting.provision', "Provision", required=True,
        ondelete='CASCADE')
    loan = fields.Many2One(
        'microloan.loan', "Loan", required=True, readonly=True,
        ondelete='RESTRICT')
    days_past_due = fields.Integer("Days Past Due", readonly=True)
    classification = fields.Selection(
        CLASSIFICATIONS, "Five-Level Class", required=True, readonly=True,
        sort=False)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"), 'get_currency')
    principal = Monetary(
        "Principal Balance", currency='currency', digits='currency',
        readonly=True)
    ratio = fields.Numeric("Ratio", digits=RATIO_DIGITS, readonly=True)
    amount = Monetary(
        "Provision", currency='currency', digits='currency', readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls.__access__.add('provision')
        cls._order = [
            ('provision', 'DESC'), ('loan', 'ASC'), ('id', 'ASC')]
        cls._sql_indexes.add(Index(t, (t.loan, Index.Equality())))

    def get_currency(self, name):
        return self.provision.company.currency.id
