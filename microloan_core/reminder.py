# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Reminders (提醒) and the workbench lists (工作台) of the servicing.

The lists are act_windows on the installments, loans and repayments
(reminder.xml).  What they need that is not stored is searched in SQL, set
based, from the stored schedule and the loans' transactions: an
installment is unpaid while the loan's principal balance is above the
balance after it, or the interest repaid or waived is below the interest
of the installments up to it (each component is paid oldest first,
docs/servicing.md rule 2); a loan is overdue when an installment due
before the day is unpaid or posted penalty or compound interest is owed.

A reminder is a text from a template (ir.message, in the borrower's
language: Chinese) sent through a channel of ``CHANNELS``: the
host's e-mail, or SMS through the provider of the settings
(``SMS_PROVIDERS``; the shipped one only logs).  Every message sent or
refused is kept as a ``microloan.reminder.log`` line, read-only for all.
"""
import datetime as dt
import logging
from abc import ABC, abstractmethod
from email.message import EmailMessage

from sql import Window
from sql.aggregate import Max, Sum
from sql.conditionals import Case, Coalesce

from trytond.config import config
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, PYSONEncoder
from trytond.sendmail import sendmail_transactional
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import (
    Button, StateAction, StateView, Wizard)

from .exceptions import ReminderError

logger = logging.getLogger(__name__)

# Settings' defaults: days ahead of an installment / of maturity
REMINDER_DAYS = 3
MATURITY_REMINDER_DAYS = 30
# Repayment methods with interest paid periodically (结息日)
INTEREST_METHODS = ('interest_monthly', 'interest_quarterly')
# An amount below this is paid (float sums of SQLite)
EPSILON = 0.005
KINDS = [
    ('upcoming', "Installment Due Soon"),
    ('due', "Installment Due Today"),
    ('overdue', "Overdue"),
    ('interest', "Interest Date"),
    ('maturity', "Maturity"),
    ]
LOG_STATES = [
    ('sent', "Sent"),
    ('failed', "Failed"),
    ]


class SMSProvider(ABC):
    """An SMS gateway: a real provider subclasses it, overrides send and
    registers itself with register_sms_provider"""
    name = None

    @abstractmethod
    def send(self, number, text):
        "Send text to the mobile number; raise ReminderError when refused"


class LoggingSMSProvider(SMSProvider):
    "Sends nothing: the message is only written to the server's log"
    name = 'logging'

    def send(self, number, text):
        logger.info("SMS to %s: %s", number, text)


class Channel(ABC):
    "A way to reach a borrower: his address on it and how to send"
    name = None

    @abstractmethod
    def address(self, party):
        "The party's address on the channel, None when he has none"

    @abstractmethod
    def send(self, address, subject, text):
        "Send text; raise an exception when it cannot be sent"


class EmailChannel(Channel):
    "E-mail through the host, sent when the transaction commits"
    name = 'email'

    def address(self, party):
        return party.email or None

    def send(self, address, subject, text):
        from_ = config.get('email', 'from')
        msg = EmailMessage()
        msg['From'] = from_
        msg['To'] = address
        msg['Subject'] = subject
        msg.set_content(text)
        sendmail_transactional(from_, [address], msg)


class SMSChannel(Channel):
    "SMS through the provider of the settings"
    name = 'sms'

    def address(self, party):
        return party.mobile or None

    def send(self, address, subject, text):
        Configuration = Pool().get('microloan.configuration')
        name = Configuration(1).sms_provider or LoggingSMSProvider.name
        SMS_PROVIDERS[name]().send(address, text)


CHANNELS = {}
SMS_PROVIDERS = {}


def register_channel(channel):
    "Make the Channel subclass available to the reminders"
    CHANNELS[channel.name] = channel
    return channel


def register_sms_provider(provider):
    "Make the SMSProvider subclass selectable in the settings"
    SMS_PROVIDERS[provider.name] = provider
    return provider


register_channel(EmailChannel)
register_channel(SMSChannel)
register_sms_provider(LoggingSMSProvider)


def _today():
    "The day of the lists: the servicing date of the context or today"
    return Pool().get('microloan.loan').servicing_date()


def _config_days(name, default):
    value = getattr(Pool().get('microloan.configuration')(1), name)
    return default if value is None else value


class Configuration(metaclass=PoolMeta):
    __name__ = 'microloan.configuration'

    reminder_days = fields.Integer(
        "Remind Installments Days Ahead",
        domain=['OR', ('reminder_days', '=', None),
            ('reminder_days', '>=', 1)],
        help="The list of installments due soon shows those due within "
        "this many days.")
    maturity_reminder_days = fields.Integer(
        "Remind Maturity Days Ahead",
        domain=['OR', ('maturity_reminder_days', '=', None),
            ('maturity_reminder_days', '>=', 1)],
        help="The list of loans maturing shows the active loans whose "
        "last installment falls within this many days.")
    sms_provider = fields.Selection(
        'get_sms_providers', "SMS Provider",
        help="The gateway the SMS reminders go through.")

    @classmethod
    def default_reminder_days(cls):
        return REMINDER_DAYS

    @classmethod
    def default_maturity_reminder_days(cls):
        return MATURITY_REMINDER_DAYS

    @classmethod
    def default_sms_provider(cls):
        return LoggingSMSProvider.name

    @classmethod
    def get_sms_providers(cls):
        return [(None, '')] + [(n, n) for n in sorted(SMS_PROVIDERS)]


def _balances():
    """The query of the loans' principal balance, interest repaid or waived
    and penalty and compound interest owed, from their transactions"""
    LoanTransaction = Pool().get('microloan.loan.transaction')
    transaction = LoanTransaction.__table__()
    reversed_ = LoanTransaction.__table__()
    kind = Coalesce(reversed_.kind, transaction.kind)
    return transaction.join(reversed_, 'LEFT',
        condition=transaction.reverses == reversed_.id
        ).select(
        transaction.loan.as_('loan'),
        Sum(transaction.principal).as_('principal'),
        # accruals (and their reversals) settle no interest
        Sum(Case((kind == 'accrual', 0), else_=-transaction.interest)
            ).as_('interest'),
        Sum(transaction.penalty + transaction.compound).as_('charges'),
        group_by=[transaction.loan])


def _unpaid_installments(column='id', before=None):
    """The query of the ids (column 'id') or loans (column 'loan') of the
    installments of active loans with principal or interest unpaid, by the
    stored schedule and transactions (due before the date when given)"""
    pool = Pool()
    Installment = pool.get('microloan.loan.installment')
    Loan = pool.get('microloan.loan')
    installment = Installment.__table__()
    loan = Loan.__table__()
    schedule = installment.join(loan,
        condition=installment.loan == loan.id
        ).select(
        installment.id.as_('id'), installment.loan.as_('loan'),
        installment.due_date.as_('due_date'),
        installment.balance.as_('balance'),
        Sum(installment.interest, window=Window(
                [installment.loan], order_by=[installment.seq.asc])
            ).as_('interest'),
        where=loan.state == 'active')
    balances = _balances()
    unpaid = ((balances.principal - schedule.balance > EPSILON)
        | (schedule.interest - balances.interest > EPSILON))
    if before is not None:
        unpaid &= schedule.due_date < before
    return schedule.join(balances,
        condition=schedule.loan == balances.loan
        ).select(getattr(schedule, column), where=unpaid)


def _in_query(clause, query):
    "The domain of clause (name, '=' / '!=', True / False) on query"
    _, operator, value = clause[:3]
    positive = (operator == '=') == bool(value)
    return [('id', 'in' if positive else 'not in', query)]


class LoanInstallment(metaclass=PoolMeta):
    __name__ = 'microloan.loan.installment'

    borrower = fields.Function(
        fields.Many2One('party.party', "Borrower"),
        'get_borrower', searcher='search_borrower')
    unpaid = fields.Function(
        fields.Boolean("Unpaid",
            help="Principal or interest of the installment is still owed."),
        'get_searched', searcher='search_unpaid')
    due_soon = fields.Function(
        fields.Boolean("Due Soon",
            help="Due after the day and within the days of the settings."),
        'get_searched', searcher='search_due_soon')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'send_reminders': {
                    'icon': 'tryton-email',
                    'depends': [],
                    },
                })

    def get_borrower(self, name):
        return self.loan.borrower.id

    @classmethod
    def search_borrower(cls, name, clause):
        return [('loan.borrower',) + tuple(clause[1:])]

    @classmethod
    def get_searched(cls, installments, name):
        "The boolean searched field name of installments, in one search"
        ids = [i.id for i in installments]
        with without_check_access():
            found = {i.id for i in cls.search(
                        [('id', 'in', ids), (name, '=', True)], order=[])}
        return {i: i in found for i in ids}

    @classmethod
    def search_unpaid(cls, name, clause):
        return _in_query(clause, _unpaid_installments())

    @classmethod
    def search_due_soon(cls, name, clause):
        today = _today()
        until = today + dt.timedelta(
            days=_config_days('reminder_days', REMINDER_DAYS))
        domain = [('due_date', '>', today), ('due_date', '<=', until)]
        _, operator, value = clause[:3]
        if (operator == '=') == bool(value):
            return domain
        return ['OR', ('due_date', '<=', today), ('due_date', '>', until)]

    @classmethod
    @ModelView.button_action('microloan_core.wizard_reminder_send')
    def send_reminders(cls, installments):
        pass



class Loan(metaclass=PoolMeta):
    __name__ = 'microloan.loan'

    overdue = fields.Function(
        fields.Boolean("Overdue",
            help="Active with an installment due before the day unpaid, or "
            "penalty or compound interest owed."),
        'get_searched', searcher='search_overdue')
    maturing_soon = fields.Function(
        fields.Boolean("Maturing Soon",
            help="Active with its last installment due from the day on, "
            "within the days of the settings."),
        'get_searched', searcher='search_maturing_soon')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'send_reminders': {
                    'icon': 'tryton-email',
                    'invisible': Eval('state') != 'active',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def get_searched(cls, loans, name):
        "The boolean searched field name of loans, in one search"
        ids = [l.id for l in loans]
        with without_check_access():
            found = {l.id for l in cls.search(
                        [('id', 'in', ids), (name, '=', True)], order=[])}
        return {i: i in found for i in ids}

    @classmethod
    def search_overdue(cls, name, clause):
        balances = _balances()
        loan = cls.__table__()
        charged = balances.join(loan,
            condition=balances.loan == loan.id
            ).select(balances.loan,
            where=(loan.state == 'active') & (balances.charges > EPSILON))
        query = _unpaid_installments('loan', before=_today()) | charged
        return _in_query(clause, query)

    @classmethod
    def search_maturing_soon(cls, name, clause):
        Installment = Pool().get('microloan.loan.installment')
        installment = Installment.__table__()
        loan = cls.__table__()
        today = _today()
        until = today + dt.timedelta(days=_config_days(
                'maturity_reminder_days', MATURITY_REMINDER_DAYS))
        maturity = Max(installment.due_date)
        query = installment.join(loan,
            condition=installment.loan == loan.id
            ).select(installment.loan,
            where=loan.state == 'active',
            group_by=[installment.loan],
            having=(maturity >= today) & (maturity <= until))
        return _in_query(clause, query)

    @classmethod
    @ModelView.button_action('microloan_core.wizard_reminder_send')
    def send_reminders(cls, loans):
        pass


CHANNEL_SELECTION = [
    ('sms', "SMS"),
    ('email', "E-mail"),
    ]


class ReminderLog(ModelSQL, ModelView):
    "Reminder Log"
    __name__ = 'microloan.reminder.log'
    __string__ = "Reminder Log"

    date = fields.DateTime("Sent at", required=True, readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    loan = fields.Many2One(
        'microloan.loan', "Loan", required=True, readonly=True,
        ondelete='CASCADE')
    installment = fields.Many2One(
        'microloan.loan.installment', "Installment", readonly=True,
        ondelete='SET NULL')
    party = fields.Many2One(
        'party.party', "Borrower", required=True, readonly=True,
        ondelete='RESTRICT',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    kind = fields.Selection(
        KINDS, "Reminder Kind", required=True, readonly=True, sort=False)
    kind_string = kind.translated('kind')
    channel = fields.Selection(
        CHANNEL_SELECTION, "Reminder Channel", required=True, readonly=True)
    channel_string = channel.translated('channel')
    recipient = fields.Char(
        "Sent to", readonly=True,
        help="The e-mail address or mobile number sent to.")
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    amount = Monetary(
        "Amount", currency='currency', digits='currency', readonly=True)
    text = fields.Text("Text", readonly=True)
    state = fields.Selection(
        LOG_STATES, "State", required=True, readonly=True)
    state_string = state.translated('state')
    error = fields.Text("Error", readonly=True)
    user = fields.Many2One('res.user', "Sent by", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('loan')
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @fields.depends('loan', '_parent_loan.company')
    def on_change_with_currency(self, name=None):
        if self.loan and self.loan.company:
            return self.loan.company.currency

    def get_rec_name(self, name):
        return '%s %s' % (self.loan.rec_name, self.kind_string)

    @classmethod
    def check_modification(cls, mode, logs, values=None, external=False):
        super().check_modification(
            mode, logs, values=values, external=external)
        # the loan's access (__access__) lets its writers through: the log
        # is written only by sending, never by hand
        if external:
            raise AccessError(gettext(
                    'microloan_core.msg_reminder_log_read_only'))

    @classmethod
    def installment_reminders(cls, installments):
        """The reminders of installments on the day: overdue, due today,
        due soon (an interest date on loans paying interest periodically);
        none for an installment paid or of a loan not active"""
        today = _today()
        reminders = []
        with Transaction().set_context(servicing_date=today):
            installments = Pool().get('microloan.loan.installment').browse(
                installments)
            for installment in installments:
                loan = installment.loan
                if loan.state != 'active' or not installment.outstanding:
                    continue
                due_date = installment.due_date
                if due_date < today:
                    kind = 'overdue'
                elif due_date == today:
                    kind = 'due'
                elif (loan.method in INTEREST_METHODS
                        and not installment.principal):
                    kind = 'interest'
                else:
                    kind = 'upcoming'
                reminders.append({
                        'kind': kind,
                        'loan': loan,
                        'installment': installment,
                        'amount': installment.outstanding,
                        'date': due_date,
                        'days': abs((today - due_date).days),
                        })
        return reminders

    @classmethod
    def loan_reminders(cls, loans):
        """The reminders of active loans on the day: what is overdue, or
        else the maturity with the principal outstanding"""
        today = _today()
        reminders = []
        with Transaction().set_context(servicing_date=today):
            for loan in Pool().get('microloan.loan').browse(loans):
                if loan.state != 'active':
                    continue
                if loan.days_past_due:
                    reminder = {
                        'kind': 'overdue',
                        'amount': loan.amount_due,
                        'date': today,
                        'days': loan.days_past_due,
                        }
                else:
                    reminder = {
                        'kind': 'maturity',
                        'amount': loan.principal_balance,
                        'date': loan.maturity_date,
                        'days': (loan.maturity_date - today).days,
                        }
                reminders.append(dict(
                        reminder, loan=loan, installment=None))
        return reminders

    @classmethod
    def render(cls, reminder, language):
        "The subject and text of reminder in language"
        pool = Pool()
        Lang = pool.get('ir.lang')
        lang = Lang.get(language)
        loan = reminder['loan']
        installment = reminder['installment']
        text = gettext('microloan_core.msg_reminder_%s' % reminder['kind'],
            language,
            borrower=loan.borrower.rec_name,
            loan=loan.rec_name,
            seq=installment.seq if installment else '',
            amount=lang.currency(reminder['amount'] or 0, loan.currency,
                symbol=False, grouping=True),
            date=lang.strftime(reminder['date']) if reminder['date'] else '',
            days=reminder['days'])
        subject = gettext('microloan_core.msg_reminder_subject',
            language, loan=loan.rec_name)
        return subject, text

    @classmethod
    def language(cls, party):
        """The language of the party's reminders: Chinese, whatever the
        language of the user who sends them"""
        return 'zh_CN'

    @classmethod
    def send(cls, reminders, channel):
        """Send the reminders through the channel (a name of CHANNELS) and
        return their logs: failed, with the reason, when the borrower has
        no address on it or the channel refuses"""
        sender = CHANNELS[channel]()
        now = dt.datetime.now()
        vlist = []
        for reminder in reminders:
            loan = reminder['loan']
            party = loan.borrower
            language = cls.language(party)
            subject, text = cls.render(reminder, language)
            address = sender.address(party)
            values = {
                'date': now,
                'company': loan.company.id,
                'loan': loan.id,
                'installment': (reminder['installment'].id
                    if reminder['installment'] else None),
                'party': party.id,
                'kind': reminder['kind'],
                'channel': channel,
                'recipient': address,
                'amount': reminder['amount'],
                'text': text,
                'user': Transaction().user,
                }
            if not address:
                values.update(state='failed', error=gettext(
                        'microloan_core.msg_reminder_no_address',
                        party=party.rec_name,
                        channel=dict(cls.fields_get(['channel'])['channel'][
                                'selection'])[channel]))
            else:
                try:
                    sender.send(address, subject, text)
                except Exception as exception:
                    logger.warning("reminder to %s failed", address,
                        exc_info=True)
                    values.update(state='failed', error=str(exception))
                else:
                    values['state'] = 'sent'
            vlist.append(values)
        # the log is the reminders' own bookkeeping: nobody writes it
        with without_check_access():
            return cls.create(vlist)


class SendStart(ModelView):
    "Send Reminders"
    __name__ = 'microloan.reminder.send.start'
    __string__ = "Send Reminders"

    channel = fields.Selection(
        CHANNEL_SELECTION, "Reminder Channel", required=True)
    count = fields.Integer("Reminders", readonly=True,
        help="How many messages will be sent: none for what is paid.")

    @classmethod
    def default_channel(cls):
        return 'sms'


class Send(Wizard):
    "Send Reminders"
    __name__ = 'microloan.reminder.send'

    start = StateView('microloan.reminder.send.start',
        'microloan_core.reminder_send_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Send", 'send', 'tryton-ok', default=True),
            ])
    send = StateAction('microloan_core.act_reminder_log_form')

    def reminders(self):
        "The reminders of the selected records"
        Log = Pool().get('microloan.reminder.log')
        if self.model.__name__ == 'microloan.loan':
            return Log.loan_reminders(self.records)
        elif self.model.__name__ == 'microloan.loan.installment':
            return Log.installment_reminders(self.records)
        raise ReminderError(gettext('microloan_core.msg_reminder_model'))

    def default_start(self, fields):
        return {'count': len(self.reminders())}

    def do_send(self, action):
        Log = Pool().get('microloan.reminder.log')
        logs = Log.send(self.reminders(), self.start.channel)
        action['pyson_domain'] = PYSONEncoder().encode(
            [('id', 'in', [l.id for l in logs])])
        return action, {}
