# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Posting rules (记账规则): which ledger accounts each portion of a loan
transaction moves, per company and, where it differs, per product.

docs/accounting.md, Posting rules: a rule names, for one transaction kind
and one portion (principal, interest, fees, penalty, compound interest,
customer credit), the account debited and the account credited, either
of which may be "the fund account" (the ledger account of the bank or
cash account the money went through).  A product's own rule wins over
the company's rule (no product).  A rule marked not booked says the
portion stays off the ledger (penalty interest on a cash basis); a
portion without any rule is refused, naming the product and the kind,
and nothing is posted."""
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, fields)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import StateAction, Wizard

from .exceptions import PostingRuleError

PORTIONS = [
    ('principal', "Principal"),
    ('interest', "Interest"),
    ('fees', "Fees"),
    ('penalty', "Penalty Interest"),
    ('compound', "Compound Interest"),
    ('credit', "Customer Credit"),
    ('amount', "Amount"),
    ]
# The kinds of documents that are not loan transactions but post by rules
# too: the customer deposits (保证金) received and returned, and the
# deposit account a repayment by deposit offset (保证金抵扣) is paid from
DOCUMENT_KINDS = [
    ('deposit_received', "Deposit Received"),
    ('deposit_returned', "Deposit Returned"),
    ('deposit_applied', "Deposit Applied to Arrears"),
    ]
# The default rules of docs/accounting.md by account code of the
# chart: (kind, portion): (debit, credit); 'fund' is the fund account's
# ledger account, None a portion not booked
DEFAULT_RULES = {
    ('disbursement', 'principal'): ('1303', 'fund'),
    ('fee', 'fees'): ('122101', '6021'),
    ('accrual', 'interest'): ('113201', '601101'),
    ('penalty', 'penalty'): None,
    ('penalty', 'compound'): None,
    ('repayment', 'principal'): ('fund', '1303'),
    ('repayment', 'interest'): ('fund', '113201'),
    ('repayment', 'fees'): ('fund', '122101'),
    ('repayment', 'penalty'): ('fund', '601102'),
    ('repayment', 'compound'): ('fund', '601102'),
    ('repayment', 'credit'): ('fund', '224101'),
    ('waiver', 'interest'): ('601101', '113201'),
    ('waiver', 'fees'): ('6021', '122101'),
    ('waiver', 'penalty'): None,
    ('waiver', 'compound'): None,
    ('credit_refund', 'credit'): ('224101', 'fund'),
    ('credit_income', 'credit'): ('224101', '6301'),
    ('interest_refund', 'credit'): ('601101', '224101'),
    ('deposit_received', 'amount'): ('fund', '2002'),
    ('deposit_returned', 'amount'): ('2002', 'fund'),
    ('deposit_applied', 'amount'): ('2002', None),
    }


class PostingRule(DeactivableMixin, ModelSQL, ModelView):
    "Posting Rule"
    __name__ = 'microloan.accounting.rule'
    __string__ = "Posting Rule"

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')
    product = fields.Many2One(
        'microloan.product', "Product", ondelete='CASCADE',
        domain=[('company', '=', Eval('company', -1))],
        help="Empty: the company's rule for every product without its own.")
    kind = fields.Selection('get_kinds', "Transaction Kind", required=True)
    kind_string = kind.translated('kind')
    portion = fields.Selection(PORTIONS, "Portion", required=True)
    portion_string = portion.translated('portion')
    booked = fields.Boolean(
        "Booked",
        help="Unticked: the portion is not booked in the ledger (for "
        "example penalty interest recognised when paid).")
    debit_fund = fields.Boolean(
        "Debit the Fund Account",
        states={'invisible': ~Eval('booked')},
        help="Debit the ledger account of the bank or cash account the "
        "money went through.")
    debit_account = fields.Many2One(
        'account.account', "Debit Account", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type', '!=', None),
            ('closed', '!=', True),
            ],
        states={
            'invisible': ~Eval('booked') | Eval('debit_fund'),
            'required': Eval('booked') & ~Eval('debit_fund'),
            })
    credit_fund = fields.Boolean(
        "Credit the Fund Account",
        states={'invisible': ~Eval('booked')},
        help="Credit the ledger account of the bank or cash account the "
        "money went through.")
    credit_account = fields.Many2One(
        'account.account', "Credit Account", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type', '!=', None),
            ('closed', '!=', True),
            ],
        states={
            'invisible': ~Eval('booked') | Eval('credit_fund'),
            'required': (Eval('booked') & ~Eval('credit_fund')
                & (Eval('kind') != 'deposit_applied')),
            })
    summary = fields.Char(
        "Summary", translate=True,
        help="The voucher line's summary (摘要); empty: the kind's name.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('company', 'ASC'), ('product', 'ASC NULLS FIRST'),
            ('kind', 'ASC'), ('portion', 'ASC'), ('id', 'ASC')]
        cls._sql_constraints += [
            ('rule_unique', Unique(
                    t, t.company, t.product, t.kind, t.portion),
                'microloan_accounting.msg_rule_unique'),
            ]
        cls._sql_indexes.add(Index(t,
                (t.company, Index.Equality()), (t.kind, Index.Equality())))

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_booked():
        return True

    @classmethod
    def get_kinds(cls):
        "The kinds of loan transactions, but reversals, and of documents"
        Transaction_ = Pool().get('microloan.loan.transaction')
        kinds = [k for k in Transaction_.fields_get(['kind'])['kind'][
                'selection'] if k[0] != 'reversal']
        return kinds + DOCUMENT_KINDS

    @fields.depends('debit_fund', 'debit_account')
    def on_change_debit_fund(self):
        if self.debit_fund:
            self.debit_account = None

    @fields.depends('credit_fund', 'credit_account')
    def on_change_credit_fund(self):
        if self.credit_fund:
            self.credit_account = None

    def get_rec_name(self, name):
        return '%s / %s' % (self.kind_string, self.portion_string)

    @classmethod
    def index(cls, companies):
        """Return {(company id, product id or None, kind, portion): rule}
        of the active rules of companies"""
        return {(r.company.id, r.product.id if r.product else None,
                r.kind, r.portion): r
            for r in cls.search([
                    ('company', 'in', [c.id for c in companies]),
                    ])}

    @classmethod
    def find(cls, index, company, product, kind, portion, loan=None):
        """Return the rule of product or of its company for kind and
        portion in index, or refuse naming the product and the kind"""
        product_id = product.id if product else None
        rule = index.get((company.id, product_id, kind, portion))
        if rule is None:
            rule = index.get((company.id, None, kind, portion))
        if rule is None:
            Rule = Pool().get('microloan.accounting.rule')
            kinds = dict(Rule.get_kinds())
            portions = dict(Rule.fields_get(['portion'])['portion'][
                    'selection'])
            raise PostingRuleError(gettext(
                    'microloan_accounting.msg_rule_missing',
                    product=product.rec_name if product else '',
                    kind=kinds.get(kind, kind),
                    portion=portions.get(portion, portion),
                    company=company.rec_name,
                    loan=loan.rec_name if loan else ''))
        return rule

    @classmethod
    def create_defaults(cls, company):
        """Create the company's rules of docs/accounting.md from the
        accounts of its chart found by code, but those it already has;
        return the rules created"""
        pool = Pool()
        Account = pool.get('account.account')
        existing = {(r.kind, r.portion) for r in cls.search([
                    ('company', '=', company.id),
                    ('product', '=', None),
                    ], )}
        codes = {c for pair in DEFAULT_RULES.values() if pair
            for c in pair if c not in {'fund', None}}
        accounts = {a.code: a for a in Account.search([
                    ('company', '=', company.id),
                    ('code', 'in', list(codes)),
                    ('type', '!=', None),
                    ])}
        kinds = dict(cls.get_kinds())
        vlist = []
        for (kind, portion), pair in DEFAULT_RULES.items():
            if (kind, portion) in existing or kind not in kinds:
                continue
            values = {'company': company.id, 'kind': kind,
                'portion': portion, 'booked': pair is not None}
            if pair is not None:
                for side, code in zip(('debit', 'credit'), pair):
                    if code == 'fund':
                        values['%s_fund' % side] = True
                    elif code is not None:
                        if code not in accounts:
                            raise PostingRuleError(gettext(
                                    'microloan_accounting'
                                    '.msg_rule_default_account',
                                    code=code, company=company.rec_name))
                        values['%s_account' % side] = accounts[code].id
            vlist.append(values)
        return cls.create(vlist)

    def lines(self, amount, fund_account=None, party=None, summary=None):
        """Return the (account, party, debit, credit, fund) of the rule
        for amount (negative: a red-ink reversal on the same sides), the
        fund account's ledger account standing for "the fund account"
        (fund: whether the line is that side)"""
        if not self.booked or not amount:
            return []
        result = []
        for side in ('debit', 'credit'):
            if getattr(self, '%s_fund' % side):
                account = fund_account
                if account is None:
                    raise PostingRuleError(gettext(
                            'microloan_accounting.msg_rule_fund_account',
                            rule=self.rec_name))
            else:
                account = getattr(self, '%s_account' % side)
            if account is None:
                continue
            debit, credit = (amount, 0) if side == 'debit' else (0, amount)
            result.append((account,
                    party if account.party_required else None,
                    debit, credit, getattr(self, '%s_fund' % side)))
        return result


class CreateDefaults(Wizard):
    "Create Default Posting Rules"
    __name__ = 'microloan.accounting.rule.create_defaults'

    start_state = 'create_'
    create_ = StateAction('microloan_accounting.act_rule_form')

    def do_create_(self, action):
        "The rules of docs/accounting.md for the user's company"
        pool = Pool()
        Rule = pool.get('microloan.accounting.rule')
        Company = pool.get('company.company')
        company = Company(Transaction().context['company'])
        Rule.create_defaults(company)
        return action, {}
