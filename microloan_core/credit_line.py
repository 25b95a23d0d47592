# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Credit lines (授信): the amount a customer may draw as loans.

A line is granted to one customer for a period.  Each loan (借据) drawn
under it uses part of the amount: a revolving line (循环额度) counts the
outstanding principal of its loans, so repaid principal can be drawn again;
a non-revolving line counts every principal ever drawn under it.  A loan is
refused when the line is not active, its value date falls outside the line's
validity, or its principal exceeds what is available.
"""
from collections import defaultdict
from decimal import Decimal

from sql import Literal
from sql.aggregate import Sum
from sql.conditionals import Case

from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice, sqlite_apply_types
from trytond.transaction import Transaction, without_check_access

from .approval import ApprovalMixin
from .exceptions import CreditLineError
from .workflow import NumberedDocumentMixin, checked_transition, set_actor

STATES = [
    ('draft', "Draft"),
    ('pending', "Pending Approval"),
    ('rejected', "Rejected"),
    ('active', "Active"),
    ('frozen', "Frozen"),
    ('closed', "Closed"),
    ]


class CreditLine(ApprovalMixin, NumberedDocumentMixin, Workflow, ModelSQL,
        ModelView):
    "Credit Line"
    __name__ = 'microloan.credit_line'
    __string__ = "Credit Line"
    _sequence = 'sequence_credit_line'
    _actor_steps = ('activated', 'closed')
    _copy_reset = ('loans', 'activated_date', 'closed_date')
    _approval_action = 'microloan_core.act_credit_line_form'

    _states = {
        'readonly': Eval('state') != 'draft',
        }

    number = fields.Char("Credit Line Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    party = fields.Many2One(
        'party.party', "Party", required=True,
        domain=[('customer_kind', '!=', None)],
        context={
            'company': Eval('company', -1),
            },
        states=_states, depends={'company'})
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True,
        domain=[('amount', '>', 0)], states=_states,
        help="The total the customer may draw under the line.")
    start_date = fields.Date("Start Date", required=True, states=_states)
    end_date = fields.Date(
        "End Date", required=True,
        domain=[If(Eval('start_date'),
                ('end_date', '>', Eval('start_date')),
                ())],
        states=_states)
    revolving = fields.Boolean(
        "Revolving", states=_states,
        help="Repaid principal can be drawn again (循环额度).")
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')
    activated_by = fields.Many2One(
        'company.employee', "Activated by", readonly=True)
    activated_user = fields.Many2One(
        'res.user', "Activated by User", readonly=True)
    activated_date = fields.Date("Activated on", readonly=True)
    closed_by = fields.Many2One(
        'company.employee', "Closed by", readonly=True)
    closed_user = fields.Many2One('res.user', "Closed by User", readonly=True)
    closed_date = fields.Date("Closed on", readonly=True)
    note = fields.Text("Note")
    loans = fields.One2Many(
        'microloan.loan', 'credit_line', "Loans", readonly=True)
    used_amount = fields.Function(Monetary(
            "Used Amount", currency='currency', digits='currency'),
        'get_amounts')
    available_amount = fields.Function(Monetary(
            "Available Amount", currency='currency', digits='currency'),
        'get_amounts')

    del _states

    # Fields that only change while the line is a draft; the amount may be
    # adjusted later, never below what the loans use
    _draft_fields = {
        'company', 'party', 'start_date', 'end_date', 'revolving'}
    _deletable_states = None
    _state_error = CreditLineError

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('start_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'active'),
            ('draft', 'pending'),
            ('pending', 'active'),
            ('pending', 'draft'),
            ('pending', 'rejected'),
            ('active', 'frozen'),
            ('frozen', 'active'),
            ('active', 'closed'),
            ('frozen', 'closed'),
            }
        cls._buttons.update({
                'activate': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'freeze': {
                    'invisible': Eval('state') != 'active',
                    'depends': ['state'],
                    },
                'unfreeze': {
                    'invisible': Eval('state') != 'frozen',
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': ~Eval('state').in_(['active', 'frozen']),
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_revolving():
        return False

    @staticmethod
    def default_start_date():
        return Pool().get('ir.date').today()

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @classmethod
    def get_utilisation(cls, lines, exclude=None):
        """Return the amount used of each line, by id, in one query.

        A revolving line uses the outstanding principal of its loans, a
        non-revolving one every principal ever drawn.  The loans have no
        repayments yet, so today the outstanding principal of a loan is its
        principal; this is the one place to change when repayments come.
        exclude: loans not to count (the loans being checked).
        """
        pool = Pool()
        Loan = pool.get('microloan.loan')
        loan = Loan.__table__()
        line = cls.__table__()
        cursor = Transaction().connection.cursor()
        result = {l.id: Decimal(0) for l in lines}
        exclude = [int(l) for l in exclude or [] if int(l) >= 0]
        # the outstanding principal of a loan: no repayments exist yet
        outstanding = loan.principal
        drawn = Case(
            (line.revolving == Literal(True), outstanding),
            else_=loan.principal)
        for sub_ids in grouped_slice(
                list(result), backend.MAX_QUERY_PARAMS):
            where = fields.SQL_OPERATORS['in'](loan.credit_line, sub_ids)
            if exclude:
                where &= ~loan.id.in_(exclude)
            query = (loan
                .join(line, condition=loan.credit_line == line.id)
                .select(
                    loan.credit_line, Sum(drawn).as_('used'),
                    where=where,
                    group_by=loan.credit_line))
            if backend.name == 'sqlite':
                sqlite_apply_types(query, [None, 'NUMERIC'])
            cursor.execute(*query)
            for line_id, amount in cursor:
                result[line_id] = Decimal(str(amount or 0))
        for l in lines:
            result[l.id] = l.currency.round(result[l.id])
        return result

    @classmethod
    def get_amounts(cls, lines, names):
        with without_check_access():
            used = cls.get_utilisation(lines)
        result = {}
        if 'used_amount' in names:
            result['used_amount'] = used
        if 'available_amount' in names:
            result['available_amount'] = {
                l.id: l.amount - used[l.id] for l in lines}
        return result

    @classmethod
    def validate_fields(cls, lines, field_names):
        super().validate_fields(lines, field_names)
        if 'amount' in field_names:
            cls.check_amount_covers_use(lines)

    @classmethod
    def check_amount_covers_use(cls, lines):
        "Refuse an amount below what the loans already use"
        Lang = Pool().get('ir.lang')
        with without_check_access():
            used = cls.get_utilisation(lines)
        for line in lines:
            if used[line.id] > line.amount:
                lang = Lang.get()
                raise CreditLineError(gettext(
                        'microloan_core.msg_credit_line_below_use',
                        line=line.rec_name,
                        amount=lang.currency(line.amount, line.currency),
                        used=lang.currency(used[line.id], line.currency)))

    @classmethod
    @ModelView.button
    @checked_transition('active', sources={'draft'})
    def activate(cls, lines):
        """Activate draft lines: through an approval request (授信审批)
        where a flow of credit lines matches, at once otherwise"""
        cls.request_approval(lines)

    @classmethod
    @Workflow.transition('active')
    @set_actor('activated')
    def _activate(cls, lines):
        "Activate the lines: the user who gave the last approval activates"
        Date = Pool().get('ir.date')
        cls.write(lines, {'activated_date': Date.today()})

    def approval_parties(self):
        return [self.party]

    def approval_context(self):
        return {
            'company': self.company,
            'branch': self.party.branch,
            'product': None,
            'amount': self.amount,
            }

    def approval_summary(self):
        "What a decision on the credit line needs (the step form)"
        summary = super().approval_summary()
        summary.update({
                'customer': self.party.rec_name,
                'currency': self.currency.id if self.currency else None,
                'amount': self.amount,
                'materials': self.party.materials_summary(),
                'file_completeness': self.party.completeness,
                })
        return summary

    @classmethod
    @Workflow.transition('pending')
    def approval_submitted(cls, lines):
        pass

    @classmethod
    def approval_approved(cls, lines):
        cls._activate(lines)

    @classmethod
    @Workflow.transition('rejected')
    def approval_rejected(cls, lines):
        pass

    @classmethod
    @Workflow.transition('draft')
    def approval_returned(cls, lines):
        pass

    @classmethod
    @Workflow.transition('draft')
    def approval_withdrawn(cls, lines):
        pass

    @classmethod
    @ModelView.button
    @checked_transition('frozen')
    @Workflow.transition('frozen')
    def freeze(cls, lines):
        pass

    @classmethod
    @ModelView.button
    @checked_transition('active', sources={'frozen'})
    @Workflow.transition('active')
    def unfreeze(cls, lines):
        pass

    @classmethod
    @ModelView.button
    @checked_transition('closed')
    @Workflow.transition('closed')
    @set_actor('closed')
    def close(cls, lines):
        Date = Pool().get('ir.date')
        cls.write(lines, {'closed_date': Date.today()})

    @classmethod
    def check_drawdowns(cls, loans):
        """Refuse loans their credit line cannot carry: the line must be
        active, cover the loan's value date and have the principal
        available (loans of one line in one batch count together)"""
        with without_check_access():
            for loan in loans:
                cls.check_required(loan.borrower, loan.credit_line)
            lines = cls.browse(list({l.credit_line.id for l in loans
                        if l.credit_line}))
            if not lines:
                return
            # serialise the drawdowns of a line
            cls.lock(lines)
            used = cls.get_utilisation(
                lines, exclude=[l.id for l in loans if l.id is not None])
            for loan in loans:
                line = cls(loan.credit_line.id) if loan.credit_line else None
                if line is None:
                    continue
                line.check_use(
                    loan.principal, loan.start_date, used[line.id])
                used[line.id] += loan.principal

    @classmethod
    def check_required(cls, party, line):
        """Refuse new business of party outside a credit line (line None)
        where the configuration requires one"""
        Configuration = Pool().get('microloan.configuration')
        if line is None and Configuration(1).credit_line_required:
            raise CreditLineError(gettext(
                    'microloan_core.msg_credit_line_required',
                    party=party.rec_name))

    @classmethod
    def in_force(cls, company, party, date):
        "Return the party's single active line of company covering date"
        if not (company and party and date):
            return None
        lines = cls.search([
                ('company', '=', company.id),
                ('party', '=', party.id),
                ('state', '=', 'active'),
                ('start_date', '<=', date),
                ('end_date', '>=', date),
                ], limit=2)
        if len(lines) == 1:
            return lines[0]

    def check_use(self, amount, date, used):
        """Refuse a use of amount on date of the line of which used is
        already drawn: the line must be active, cover date and have the
        amount available"""
        lang = Pool().get('ir.lang').get()
        if self.state != 'active':
            raise CreditLineError(gettext(
                    'microloan_core.msg_credit_line_not_active',
                    line=self.rec_name,
                    state=self.state_string))
        if not (self.start_date <= date <= self.end_date):
            raise CreditLineError(gettext(
                    'microloan_core.msg_credit_line_validity',
                    line=self.rec_name,
                    date=lang.strftime(date),
                    start_date=lang.strftime(self.start_date),
                    end_date=lang.strftime(self.end_date)))
        available = self.amount - used
        if amount > available:
            raise CreditLineError(gettext(
                    'microloan_core.msg_credit_line_exceeded',
                    line=self.rec_name,
                    amount=lang.currency(amount, self.currency),
                    available=lang.currency(
                        max(available, Decimal(0)), self.currency)))


class ApprovalFlow(metaclass=PoolMeta):
    __name__ = 'microloan.approval.flow'

    @classmethod
    def _get_documents(cls):
        return super()._get_documents() + ['microloan.credit_line']


class Loan(metaclass=PoolMeta):
    __name__ = 'microloan.loan'

    credit_line = fields.Many2One(
        'microloan.credit_line', "Credit Line", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ('party', '=', Eval('borrower', -1)),
            ('state', '=', 'active'),
            ],
        help="The credit line (授信) the loan is drawn under.")

    @classmethod
    def _frozen_fields(cls):
        return super()._frozen_fields() | {'credit_line'}

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        # a borrower's business goes under his line (统一授信): a loan
        # given without one draws on the single active line in force
        if mode == 'create' and not values.get('credit_line'):
            loan = cls(
                company=values.get('company') or cls.default_company(),
                borrower=values.get('borrower'),
                start_date=(values.get('start_date')
                    or cls.default_start_date()))
            line = loan.borrower_credit_line()
            if line:
                values['credit_line'] = line.id
        return values

    @classmethod
    def _checked_fields(cls):
        return super()._checked_fields() | {
            'credit_line', 'principal', 'start_date', 'borrower', 'company'}

    @classmethod
    def check_new_loans(cls, loans):
        CreditLine = Pool().get('microloan.credit_line')
        super().check_new_loans(loans)
        for loan in loans:
            if loan.id is None and not loan.credit_line:
                # the line it will draw on (preprocess_values)
                loan.credit_line = loan.borrower_credit_line()
        CreditLine.check_drawdowns(loans)

    @fields.depends('borrower', 'company', 'start_date', 'credit_line')
    def on_change_borrower(self):
        try:
            super_on_change = super().on_change_borrower
        except AttributeError:
            pass
        else:
            super_on_change()
        self.credit_line = self.borrower_credit_line()

    def borrower_credit_line(self):
        "Return the borrower's single active line covering the value date"
        CreditLine = Pool().get('microloan.credit_line')
        return CreditLine.in_force(self.company, self.borrower, self.start_date)

    @classmethod
    def copy(cls, loans, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('credit_line', None)
        return super().copy(loans, default=default)


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    credit_lines = fields.One2Many(
        'microloan.credit_line', 'party', "Credit Lines", readonly=True)
    credit_available = fields.Function(Monetary(
            "Credit Available", currency='customer_currency',
            digits='customer_currency',
            help="What the customer may still draw under his active "
            "credit lines."),
        'get_credit_available')

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('//page[@id="microloan_credit_line"]', 'states', {
                    'invisible': ~Eval('customer_kind'),
                    }),
            ]

    @classmethod
    def get_credit_available(cls, parties, name):
        CreditLine = Pool().get('microloan.credit_line')
        company = Transaction().context.get('company')
        result = defaultdict(lambda: Decimal(0))
        domain = [
            ('party', 'in', [p.id for p in parties]),
            ('state', '=', 'active'),
            ]
        if company is not None:
            domain.append(('company', '=', company))
        with without_check_access():
            lines = CreditLine.search(domain)
            used = CreditLine.get_utilisation(lines)
        for line in lines:
            result[line.party.id] += line.amount - used[line.id]
        return {p.id: result[p.id] for p in parties}


class Configuration(metaclass=PoolMeta):
    __name__ = 'microloan.configuration'

    credit_line_required = fields.Boolean(
        "Credit Line Required",
        help="Refuse a loan that is not drawn under a credit line.")

    @staticmethod
    def default_credit_line_required():
        return False
