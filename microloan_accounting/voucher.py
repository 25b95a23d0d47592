# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Vouchers (凭证) on the host's ``account.move``.

docs/accounting.md, Vouchers: every move is a voucher of a type, 记 or
收/付/转 as the company chooses, numbered continuously per type and month
when it is posted (记账).  It goes prepared (制单) -> reviewed (审核, by
another user than the one who prepared it) -> signed by the cashier
(出纳签字, only when it moves a cash or bank account) -> posted (记账,
the host's post).  A reviewed voucher is changed only after its review is
cancelled; a posted voucher never: it is reversed in red (红字冲销) by a
new voucher of the negative amounts that names it."""
from collections import defaultdict

from sql.aggregate import Max

from trytond.i18n import gettext
from trytond.model import ModelView, Unique, dualmethod, fields
from trytond.modules.microloan_core.workflow import (
    actor_values, checked_transition, reset_actor, set_actor)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction

from .exceptions import VoucherError

# A company's scheme of voucher types (docs/accounting.md)
SCHEMES = [
    ('general', "One Type (记)"),
    ('split', "Receipt, Payment, Transfer (收/付/转)"),
    ]
TYPES = [
    (None, ""),
    ('general', "General (记)"),
    ('receipt', "Receipt (收)"),
    ('payment', "Payment (付)"),
    ('transfer', "Transfer (转)"),
    ]
# The character of a type in the voucher number (记-202603-0001)
TYPE_CHARS = {
    'general': '记', 'receipt': '收', 'payment': '付', 'transfer': '转'}
STATES = [
    ('draft', "Prepared"),
    ('reviewed', "Reviewed"),
    ('signed', "Signed"),
    ('posted', "Posted"),
    ]
# The voucher's own fields, written by its steps on a posted move too
WORKFLOW_FIELDS = {
    'voucher_type', 'voucher_number', 'voucher_state',
    'reviewed_by', 'reviewed_user', 'reviewed_at',
    'signed_by', 'signed_user', 'signed_at',
    'posted_by', 'posted_user', 'posted_at',
    }


class Move(metaclass=PoolMeta):
    __name__ = 'account.move'

    voucher_type = fields.Selection(
        TYPES, "Voucher Type", readonly=True,
        help="Set by the company's scheme when the voucher is reviewed: "
        "记, or 收 (money in), 付 (money out), 转 (no money).")
    voucher_number = fields.Char(
        "Voucher Number", readonly=True,
        help="Continuous per type and month, given when posted.")
    voucher_state = fields.Selection(
        STATES, "Voucher State", readonly=True, required=True, sort=False)
    attachments_count = fields.Integer(
        "Attachments", domain=[('attachments_count', '>=', 0)],
        states={'readonly': Eval('voucher_state') != 'draft'},
        help="The number of source documents attached (附单据数).")
    prepared_by = fields.Many2One(
        'company.employee', "Prepared by", readonly=True)
    prepared_user = fields.Many2One('res.user', "Prepared by", readonly=True)
    reviewed_by = fields.Many2One(
        'company.employee', "Reviewed by", readonly=True)
    reviewed_user = fields.Many2One('res.user', "Reviewed by", readonly=True)
    reviewed_at = fields.DateTime("Reviewed at", readonly=True)
    signed_by = fields.Many2One(
        'company.employee', "Cashier", readonly=True)
    signed_user = fields.Many2One('res.user', "Cashier", readonly=True)
    signed_at = fields.DateTime("Signed at", readonly=True)
    posted_by = fields.Many2One(
        'company.employee', "Posted by", readonly=True)
    posted_user = fields.Many2One('res.user', "Posted by", readonly=True)
    posted_at = fields.DateTime("Posted at", readonly=True)
    needs_signature = fields.Function(
        fields.Boolean("Needs the Cashier's Signature"),
        'get_needs_signature')
    reversal_of = fields.Many2One(
        'account.move', "Reverses", readonly=True, ondelete='RESTRICT',
        help="The posted voucher this one reverses in red (红字冲销).")
    reversed_by = fields.Function(
        fields.Many2One('account.move', "Reversed by"), 'get_reversed_by')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._check_modify_exclude |= WORKFLOW_FIELDS
        cls._sql_constraints += [
            ('voucher_number_unique', Unique(
                    t, t.company, t.period, t.voucher_number),
                'microloan_accounting.msg_voucher_number_unique'),
            ('reversal_once', Unique(t, t.reversal_of),
                'microloan_accounting.msg_voucher_reversed_once'),
            ]
        # the voucher's steps replace the host's post button
        cls._buttons['post'] = {
            'invisible': True,
            'depends': ['state'],
            }
        cls._transition_state = 'voucher_state'
        cls._transitions = {
            ('draft', 'reviewed'),
            ('reviewed', 'draft'),
            ('reviewed', 'signed'),
            ('signed', 'draft'),
            ('reviewed', 'posted'),
            ('signed', 'posted'),
            }
        cls._buttons.update({
                'voucher_review': {
                    'invisible': Eval('voucher_state') != 'draft',
                    'depends': ['voucher_state'],
                    },
                'voucher_unreview': {
                    'invisible': ~Eval('voucher_state').in_(
                        ['reviewed', 'signed']),
                    'depends': ['voucher_state'],
                    },
                'voucher_sign': {
                    'invisible': ((Eval('voucher_state') != 'reviewed')
                        | ~Eval('needs_signature')),
                    'depends': ['voucher_state', 'needs_signature'],
                    },
                'voucher_post': {
                    'invisible': ~Eval('voucher_state').in_(
                        ['reviewed', 'signed']),
                    'readonly': ((Eval('voucher_state') == 'reviewed')
                        & Bool(Eval('needs_signature'))),
                    'depends': ['voucher_state', 'needs_signature'],
                    },
                'voucher_reverse': {
                    'invisible': ((Eval('voucher_state') != 'posted')
                        | Bool(Eval('reversed_by'))
                        | Bool(Eval('reversal_of'))),
                    'depends': ['voucher_state', 'reversed_by',
                        'reversal_of'],
                    },
                })

    @classmethod
    def _get_origin(cls):
        "The loans' documents and transactions are the origins of vouchers"
        LoanTransaction = Pool().get('microloan.loan.transaction')
        return super()._get_origin() + LoanTransaction._get_origins() + [
            'microloan.loan.transaction', 'microloan.deposit']

    @staticmethod
    def default_voucher_state():
        return 'draft'

    @staticmethod
    def default_attachments_count():
        return 0

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            # 制单: who prepared the voucher
            for name, value in actor_values('prepared').items():
                values.setdefault(name, value)
            cls.check_month_open(values)
        return values

    @classmethod
    def check_month_open(cls, values):
        "Refuse a voucher dated in a closed month (结账), naming it"
        pool = Pool()
        Period = pool.get('account.period')
        date, company = values.get('date'), values.get('company')
        if not date or not company:
            return
        for period in Period.search([
                    ('company', '=', company),
                    ('start_date', '<=', date),
                    ('end_date', '>=', date),
                    ('type', '=', 'standard'),
                    ]):
            if period.state != 'open':
                raise VoucherError(gettext(
                        'microloan_accounting.msg_voucher_closed_month',
                        date=date, period=period.rec_name))

    @classmethod
    def check_modification(cls, mode, moves, values=None, external=False):
        super().check_modification(
            mode, moves, values=values, external=external)
        if mode == 'write' and external and values.keys() & (
                WORKFLOW_FIELDS | {'prepared_by', 'prepared_user',
                    'reversal_of'}):
            # only the voucher's steps write its workflow
            raise VoucherError(gettext(
                    'microloan_accounting.msg_voucher_workflow_fields'))
        excluded = cls._check_modify_exclude
        if Transaction().context.get('_microloan_voucher_post'):
            # the host's post of a reviewed voucher
            excluded = excluded | {'state', 'number', 'post_date'}
        if (mode == 'delete'
                or (mode == 'write' and values.keys() - excluded)):
            for move in moves:
                if move.voucher_state != 'draft':
                    raise VoucherError(gettext(
                            'microloan_accounting.msg_voucher_modify_reviewed',
                            voucher=move.rec_name))

    @classmethod
    def copy(cls, moves, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('voucher_state', 'draft')
        for name in WORKFLOW_FIELDS | {'prepared_by', 'prepared_user',
                'reversal_of'}:
            default.setdefault(name, None)
        return super().copy(moves, default=default)

    def get_rec_name(self, name):
        if self.voucher_number:
            return self.voucher_number
        return super().get_rec_name(name)

    @classmethod
    def search_rec_name(cls, name, clause):
        domain = super().search_rec_name(name, clause)
        return ['OR', domain, ('voucher_number',) + tuple(clause[1:])]

    @classmethod
    def get_needs_signature(cls, moves, name):
        "A voucher moving a cash or bank account is signed by the cashier"
        return {m.id: any(l.account.microloan_cash_kind for l in m.lines)
            for m in moves}

    @classmethod
    def get_reversed_by(cls, moves, name):
        result = {m.id: None for m in moves}
        for move in cls.search([('reversal_of', 'in', list(result))]):
            result[move.reversal_of.id] = move.id
        return result

    def _voucher_type(self):
        "The type of the voucher by its company's scheme and its lines"
        if self.company.microloan_voucher_scheme != 'split':
            return 'general'
        money = [l for l in self.lines if l.account.microloan_cash_kind]
        if not money:
            return 'transfer'
        # a red-ink line counts on the other side
        received = sum(l.debit - l.credit for l in money)
        return 'receipt' if received > 0 else 'payment'

    @classmethod
    def check_balanced(cls, moves):
        "Refuse an empty voucher or one whose debits and credits differ"
        for move in moves:
            if not move.lines:
                raise VoucherError(gettext(
                        'microloan_accounting.msg_voucher_empty',
                        voucher=move.rec_name))
            debit = sum(l.debit for l in move.lines)
            credit = sum(l.credit for l in move.lines)
            if debit != credit:
                raise VoucherError(gettext(
                        'microloan_accounting.msg_voucher_unbalanced',
                        voucher=move.rec_name, debit=debit, credit=credit))

    @classmethod
    @ModelView.button
    @checked_transition('reviewed', sources=['draft'])
    @set_actor('reviewed')
    def voucher_review(cls, moves):
        "审核: by another user than the one who prepared the voucher"
        user = Transaction().user
        for move in moves:
            if move.prepared_user and move.prepared_user.id == user:
                raise VoucherError(gettext(
                        'microloan_accounting.msg_voucher_review_own',
                        voucher=move.rec_name))
        cls.check_balanced(moves)
        for move in moves:
            move.voucher_type = move._voucher_type()
            move.voucher_state = 'reviewed'
        cls.save(moves)

    @classmethod
    @ModelView.button
    @checked_transition('draft', sources=['reviewed', 'signed'])
    @reset_actor('reviewed', 'signed')
    def voucher_unreview(cls, moves):
        "Cancel the review (and the signature) to correct the voucher"
        cls.write(moves, {'voucher_state': 'draft'})

    @classmethod
    @ModelView.button
    @checked_transition('signed', sources=['reviewed'])
    @set_actor('signed')
    def voucher_sign(cls, moves):
        "出纳签字: the cashier confirms the money of a cash or bank voucher"
        for move in moves:
            if not move.needs_signature:
                raise VoucherError(gettext(
                        'microloan_accounting.msg_voucher_sign_no_money',
                        voucher=move.rec_name))
        cls.write(moves, {'voucher_state': 'signed'})

    @classmethod
    @ModelView.button
    @checked_transition('posted', sources=['reviewed', 'signed'])
    @set_actor('posted')
    def voucher_post(cls, moves):
        "记账: the host's post, then the voucher's number"
        for move in moves:
            if move.needs_signature and move.voucher_state != 'signed':
                raise VoucherError(gettext(
                        'microloan_accounting.msg_voucher_post_unsigned',
                        voucher=move.rec_name))
        # records keep the context they were read in: the host's post
        # saves them in theirs
        with Transaction().set_context(_microloan_voucher_post=True):
            cls.post(cls.browse(moves))
            cls.number_vouchers(cls.browse(moves))

    @dualmethod
    def post(cls, moves):
        # the host's post only through the voucher's steps
        if not Transaction().context.get('_microloan_voucher_post'):
            for move in moves:
                if move.voucher_state not in {'reviewed', 'signed'}:
                    raise VoucherError(gettext(
                            'microloan_accounting.msg_voucher_post_review',
                            voucher=move.rec_name))
        super().post(moves)

    @classmethod
    def number_vouchers(cls, moves):
        """Number the posted moves continuously per company, type and
        period, in the order given, after the last number of each"""
        pool = Pool()
        Period = pool.get('account.period')
        move = cls.__table__()
        cursor = Transaction().connection.cursor()
        cls.lock()
        groups = defaultdict(list)
        for record in moves:
            record.voucher_type = record.voucher_type or (
                record._voucher_type())
            groups[(record.company.id, record.period.id,
                    record.voucher_type)].append(record)
        for (company, period, type_), records in groups.items():
            period = Period(period)
            prefix = '%s-%s-' % (
                TYPE_CHARS[type_], period.start_date.strftime('%Y%m'))
            cursor.execute(*move.select(Max(move.voucher_number),
                    where=(move.company == company)
                    & (move.period == period.id)
                    & (move.voucher_type == type_)
                    & move.voucher_number.like(prefix + '%')))
            last, = cursor.fetchone()
            count = int(last[len(prefix):]) if last else 0
            for record in records:
                count += 1
                record.voucher_number = '%s%04d' % (prefix, count)
                record.voucher_state = 'posted'
        cls.save(moves)

    @classmethod
    @ModelView.button
    def voucher_reverse(cls, moves):
        """红字冲销: a new voucher of the negative amounts, prepared by the
        user, naming the one it reverses; it is reviewed and posted like
        any other"""
        reversals = []
        for move in moves:
            if move.voucher_state != 'posted':
                raise VoucherError(gettext(
                        'microloan_accounting.msg_voucher_reverse_posted',
                        voucher=move.rec_name))
            if move.reversed_by or move.reversal_of:
                raise VoucherError(gettext(
                        'microloan_accounting.msg_voucher_reverse_once',
                        voucher=move.rec_name))
            reversal = move.cancel(default={
                    'description': gettext(
                        'microloan_accounting.msg_voucher_reversal_summary',
                        voucher=move.rec_name,
                        description=move.description or ''),
                    'attachments_count': 0,
                    })
            reversal.reversal_of = move
            reversal.voucher_type = move.voucher_type
            reversals.append(reversal)
        cls.save(reversals)
        return reversals

    @classmethod
    def voucher_values(cls, company, date, description, lines,
            origin=None, journal=None):
        """Return the values to create a voucher of company on date,
        prepared by the user, of lines [(account, party, debit, credit,
        summary)] (negative amounts are red ink), in the company's loan
        journal (docs/accounting.md)"""
        pool = Pool()
        Period = pool.get('account.period')
        period = Period.find(company, date=date)
        journal = journal or company.microloan_journal
        if not journal:
            raise VoucherError(gettext(
                    'microloan_accounting.msg_voucher_no_journal',
                    company=company.rec_name))
        return {
            'company': company.id,
            'period': period,
            'journal': journal.id,
            'date': date,
            'description': description,
            'origin': str(origin) if origin else None,
            'lines': [('create', [{
                                'account': account.id,
                                'party': party.id if party else None,
                                'debit': debit,
                                'credit': credit,
                                'description': summary,
                                } for account, party, debit, credit, summary
                            in lines])],
            }


class Line(metaclass=PoolMeta):
    __name__ = 'account.move.line'

    @classmethod
    def on_modification(cls, mode, lines, field_names=None):
        super().on_modification(mode, lines, field_names=field_names)
        # the lines of a reviewed voucher change only once its review is
        # cancelled (the host refuses those of a posted one)
        if field_names is None or (field_names - cls._check_modify_exclude):
            for line in lines:
                if line.move.voucher_state in {'reviewed', 'signed'}:
                    raise VoucherError(gettext(
                            'microloan_accounting.msg_voucher_modify_reviewed',
                            voucher=line.move.rec_name))
