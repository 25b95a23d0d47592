# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Interest overdue more than 90 days off the balance sheet (表外利息).

docs/accounting.md, Provisions and off-balance interest: at a date, the
accrued interest not yet paid of each loan more than 90 days past due (a
company setting) stops counting as income: it is reversed by the
accrual's posting rule in reverse (Dr 601101 / Cr 113201) and tracked off
the balance sheet (Dr 7001 / Cr 7002).  Each run keeps per loan what is
off the balance sheet; the next run posts only the change: more interest
accrued goes off too, and the interest of a loan back to 90 days or
less, or paid, is brought back (Dr 113201 / Cr 601101, Dr 7002 /
Cr 7001).  One voucher per run."""
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import without_check_access

from .exceptions import ProvisionError
from .provision import RunMixin, company_accounts, portfolio


class OffBalance(RunMixin, Workflow, ModelSQL, ModelView):
    "Off-Balance Interest"
    __name__ = 'microloan.accounting.off_balance'
    __string__ = "Off-Balance Interest"
    _draft_fields = {'company', 'date', 'days'}

    date = fields.Date(
        "Date", required=True,
        states={'readonly': Eval('state') != 'draft'})
    days = fields.Integer(
        "More than Days Past Due", required=True,
        domain=[('days', '>=', 0)],
        states={'readonly': Eval('state') != 'draft'},
        help="The interest of the loans more than this many days past due "
        "goes off the balance sheet.")
    previous_run = fields.Many2One(
        'microloan.accounting.off_balance', "Previous Run", readonly=True,
        ondelete='RESTRICT',
        help="The last done run before this one, whose amounts off the "
        "balance sheet this one changes.")
    lines = fields.One2Many(
        'microloan.accounting.off_balance.line', 'run', "Per Loan",
        readonly=True)
    computed = fields.Boolean("Figures Computed", readonly=True)
    amount = fields.Function(Monetary(
            "Off Balance", currency='currency', digits='currency'),
        'get_totals')
    change = fields.Function(Monetary(
            "Change Posted", currency='currency', digits='currency'),
        'get_totals')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._sql_indexes.add(Index(t,
                (t.company, Index.Equality()), (t.date, Index.Range())))

    @staticmethod
    def default_computed():
        return False

    @classmethod
    def default_days(cls):
        Company = Pool().get('company.company')
        company = cls.default_company()
        return Company(company).microloan_off_balance_days if company else None

    @fields.depends('company')
    def on_change_company(self):
        if self.company:
            self.days = self.company.microloan_off_balance_days

    def get_rec_name(self, name):
        return '%s %s' % (self.company.rec_name, self.date)

    @classmethod
    def get_totals(cls, runs, names):
        result = {n: {r.id: Decimal(0) for r in runs} for n in names}
        for run in runs:
            for line in run.lines:
                for name in names:
                    result[name][run.id] += getattr(line, name)
        return result

    def _last_done(self):
        "The last done run of the company before the run's date"
        runs = self.search([
                ('company', '=', self.company.id),
                ('state', '=', 'done'),
                ('date', '<', self.date),
                ('id', '!=', self.id),
                ], order=[('date', 'DESC'), ('id', 'DESC')], limit=1)
        return runs[0] if runs else None

    def _check_post(self):
        "Refuse a run dated on or before a done run of the company"
        later = self.search([
                ('company', '=', self.company.id),
                ('state', '=', 'done'),
                ('date', '>=', self.date),
                ('id', '!=', self.id),
                ], limit=1)
        if later:
            later, = later
            raise ProvisionError(gettext(
                    'microloan_accounting.msg_off_balance_later',
                    run=self.rec_name, later=later.rec_name))

    def _computed(self):
        # figures computed against a run that is no longer the last done
        return self.computed and self.previous_run == self._last_done()

    def _compute(self):
        """Per loan: the accrued interest not paid at the date, what must be
        off the balance sheet and the change since the previous run"""
        Line = Pool().get('microloan.accounting.off_balance.line')
        Line.delete(self.lines)
        previous_run = self._last_done()
        previous = {}
        if previous_run:
            previous = {l.loan.id: l.amount for l in previous_run.lines
                if l.amount}
        figures = portfolio(self.company, self.date)
        vlist = []
        for loan_id in sorted(set(figures) | set(previous)):
            f = figures.get(loan_id)
            interest = max(f.interest, Decimal(0)) if f else Decimal(0)
            days_past_due = f.days_past_due if f else 0
            amount = interest if days_past_due > self.days else Decimal(0)
            before = previous.get(loan_id, Decimal(0))
            if not amount and not before:
                continue
            vlist.append({
                    'run': self.id,
                    'loan': loan_id,
                    'days_past_due': days_past_due,
                    'interest': interest,
                    'amount': amount,
                    'previous': before,
                    'change': amount - before,
                    })
        Line.create(vlist)
        self.previous_run = previous_run
        self.computed = True
        self.save()

    def _voucher_description(self):
        return gettext('microloan_accounting.msg_off_balance_description',
            date=self.date)

    def _voucher_lines(self):
        """Per loan, the change taken off (Dr income / Cr receivable by the
        accrual's rule, Dr 7001 / Cr 7002) or brought back (the reverse);
        lines of an account, party and side added up"""
        pool = Pool()
        Rule = pool.get('microloan.accounting.rule')
        company = self.company
        accounts = company_accounts(
            company, ['off_balance', 'off_balance_memo'])
        with without_check_access():
            index = Rule.index([company])
        summaries = {
            True: gettext('microloan_accounting.msg_off_balance_out',
                days=self.days),
            False: gettext('microloan_accounting.msg_off_balance_back'),
            }
        totals = defaultdict(Decimal)
        order = []

        def add(account, party, side, amount, summary):
            key = (account, party, side, summary)
            if key not in totals:
                order.append(key)
            totals[key] += amount

        for line in self.lines:
            if not line.change:
                continue
            loan = line.loan
            out = line.change > 0
            amount = abs(line.change)
            summary = summaries[out]
            rule = Rule.find(index, company, loan.product, 'accrual',
                'interest', loan=loan)
            if rule.booked:
                receivable, income = rule.debit_account, rule.credit_account
                party = loan.borrower if receivable.party_required else None
                add(income, None, 'debit' if out else 'credit', amount,
                    summary)
                add(receivable, party, 'credit' if out else 'debit', amount,
                    '%s %s' % (summary, loan.rec_name))
            add(accounts['off_balance'], None, 'debit' if out else 'credit',
                amount, summary)
            add(accounts['off_balance_memo'], None,
                'credit' if out else 'debit', amount, summary)
        zero = Decimal(0)
        lines = []
        # the debits first
        for account, party, side, summary in sorted(
                order, key=lambda k: k[2] != 'debit'):
            amount = totals[(account, party, side, summary)]
            lines.append((account, party,
                    amount if side == 'debit' else zero,
                    amount if side == 'credit' else zero, summary))
        return lines


class OffBalanceLine(ModelSQL, ModelView):
    "Off-Balance Interest per Loan"
    __name__ = 'microloan.accounting.off_balance.line'
    __string__ = "Off-Balance Interest per Loan"

    run = fields.Many2One(
        'microloan.accounting.off_balance', "Run", required=True,
        ondelete='CASCADE')
    loan = fields.Many2One(
        'microloan.loan', "Loan", required=True, readonly=True,
        ondelete='RESTRICT')
    days_past_due = fields.Integer("Days Past Due", readonly=True)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"), 'get_currency')
    interest = Monetary(
        "Accrued Interest Unpaid", currency='currency', digits='currency',
        readonly=True)
    amount = Monetary(
        "Off Balance", currency='currency', digits='currency', readonly=True,
        help="The loan's interest off the balance sheet after the run.")
    previous = Monetary(
        "Off Balance Before", currency='currency', digits='currency',
        readonly=True)
    change = Monetary(
        "Change Posted", currency='currency', digits='currency', readonly=True,
        help="Positive: taken off the balance sheet; negative: brought "
        "back.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls.__access__.add('run')
        cls._order = [('run', 'DESC'), ('loan', 'ASC'), ('id', 'ASC')]
        cls._sql_indexes.add(Index(t,
                (t.run, Index.Equality()), (t.loan, Index.Equality())))

    def get_currency(self, name):
        return self.run.company.currency.id
