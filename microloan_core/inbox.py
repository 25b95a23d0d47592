# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""One inbox (我的待办) per user: every document waiting for him.

``microloan.inbox`` is a read-only model over a set-based SQL query
(``table_query``): the UNION of the registered task sources, each a query
over its documents joined to the users who may act on them, filtered by
the user of the request and by the record rules of the model where he acts.
Nothing is stored: a row appears when its document reaches the step and
disappears when anybody has done it.

The registry is one hook, ``Inbox.task_sources``: a module that adds a kind
of task (servicing, post-loan) extends ``microloan.inbox`` by PoolMeta,
appends its task to the selection of ``task`` in ``__setup__`` and returns
one more source from ``task_sources``:

- ``ButtonTask``: a document in a state waits for the members of the
  groups of one of its buttons (``ir.model.button`` groups, the
  administrators' groups left out), a user field of the document naming
  the user who may not do it (maker-checker);
- ``ApprovalTask``: the open steps of the approval engine waiting for their
  eligible users (a committee member's vote);
- any object with the same methods (``record_model``, ``watched``,
  ``affected``, ``query``).

The documents a source watches (``watched``) mix ``InboxDocumentMixin`` in by
PoolMeta: each change of one of them brings the notifications of its tasks
up to date (``Inbox.synchronise``): a task entering someone's inbox notifies
him (``res.notification``), a task leaving it removes the notification,
whoever did the work.  The mixin also gives the document the field
``awaiting_me`` whose tab opens its list on the user's work.
"""
import json
from collections import defaultdict

from sql import Cast, Literal, Null, Union
from sql.conditionals import Case
from sql.operators import Concat, Exists

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, PYSONEncoder
from trytond.transaction import (
    Transaction, check_access, without_check_access)
from trytond.wizard import StateAction, Wizard

from .approval import ACTING

TASKS = [
    ('application_submit', "Submit Application"),
    ('approval', "Approve"),
    ('vote', "Vote in Committee"),
    ('contract_submit', "Submit Contract for Review"),
    ('contract_review', "Review Contract"),
    ('contract_sign', "Record Face-Sign"),
    ('disbursement_request', "Request Disbursement"),
    ('disbursement_approve', "Approve Disbursement"),
    ('disbursement_pay', "Pay Disbursement"),
    ('disbursement_check', "Re-check Disbursement"),
    ]
# The groups whose members may press every button: they step in, the
# inbox does not give them everybody's work
ADMIN_GROUPS = [('microloan_core', 'group_microloan_admin'),
    ('res', 'group_admin')]
# The columns every source query returns, in this order
COLUMNS = ['id', 'user', 'company', 'task', 'record', 'document', 'party',
    'amount', 'currency', 'since']
# A row's id: the id of the record where the user acts times ID_FACTOR plus
# the index of its source
ID_FACTOR = 64


def _reference(table, model):
    "The SQL text 'model,id' of the rows of table (a Reference value)"
    return Concat(Literal(model + ','), Cast(table.id, 'VARCHAR'))


def _column(Model, table, path, joins):
    """Return the column of the dotted path of Many2One fields from table
    (the table of Model), adding the LEFT JOINs it needs to joins (a list
    of (table, condition)); None path gives NULL"""
    if not path:
        return Literal(None)
    pool = Pool()
    *links, name = path.split('.')
    for link in links:
        Target = pool.get(Model._fields[link].model_name)
        target = Target.__table__()
        joins.append((target, target.id == getattr(table, link)))
        Model, table = Target, target
    return getattr(table, name)


def _join(from_, joins):
    for table, condition in joins:
        from_ = from_.join(table, 'LEFT', condition=condition)
    return from_


def _users_of_groups(groups):
    "The query of the distinct active users of groups"
    pool = Pool()
    UserGroup = pool.get('res.user-res.group')
    User = pool.get('res.user')
    user_group = UserGroup.__table__()
    user = User.__table__()
    return user_group.join(user, condition=user.id == user_group.user).select(
        user_group.user.as_('user'),
        where=user_group.group.in_(list(groups) or [-1]) & user.active,
        distinct=True)


class ButtonTask:
    """Documents of model in state wait for the users of the groups of
    button, but the user of the field exclude (maker-checker).

    since, party, amount and company name fields of the document (dotted
    paths of Many2One fields allowed).  notify: whether the task is
    announced (a draft is its maker's own work: listed, not announced)."""

    def __init__(self, task, model, state, button, since, exclude=None,
            party=None, amount='amount', company='company', notify=True):
        self.task = task
        self.notify = notify
        self.record_model = model
        self.state = state
        self.button = button
        self.since = since
        self.exclude = exclude
        self.party = party
        self.amount = amount
        self.company = company

    @property
    def watched(self):
        return [self.record_model]

    def affected(self, model, ids):
        "Return the ids of record_model whose task a change of ids may move"
        return ids

    def groups(self):
        pool = Pool()
        Button = pool.get('ir.model.button')
        ModelData = pool.get('ir.model.data')
        admin = {ModelData.get_id(*x) for x in ADMIN_GROUPS}
        return Button.get_groups(self.record_model, self.button) - admin

    def query(self, index, user=None, records=None, allowed=None):
        pool = Pool()
        Model = pool.get(self.record_model)
        Company = pool.get('company.company')
        table = Model.__table__()
        users = _users_of_groups(self.groups())
        joins = []
        party = _column(Model, table, self.party, joins)
        amount = _column(Model, table, self.amount, joins)
        company_column = _column(Model, table, self.company, joins)
        company = Company.__table__()
        joins.append((company, company.id == company_column))
        where = table.state == self.state
        if self.exclude:
            excluded = getattr(table, self.exclude)
            where &= (excluded == Null) | (excluded != users.user)
        if user is not None:
            where &= users.user == user
        if records is not None:
            where &= table.id.in_(list(records) or [-1])
        if allowed is not None:
            where &= table.id.in_(allowed)
        from_ = _join(table.join(users, condition=Literal(True)), joins)
        return from_.select(
            (table.id * ID_FACTOR + index).as_('id'),
            users.user.as_('user'),
            company.id.as_('company'),
            Literal(self.task).as_('task'),
            _reference(table, self.record_model).as_('record'),
            _reference(table, self.record_model).as_('document'),
            party.as_('party'),
            amount.as_('amount'),
            company.currency.as_('currency'),
            getattr(table, self.since).as_('since'),
            where=where)


class ApprovalTask:
    """The open step of an approval request waits for its eligible users
    who have not acted on it yet (the engine's rules of Request.refusal in
    SQL): a decision ('approval') or a committee vote ('vote').

    figures: {document model: (party field, amount field)} of the documents
    the flows approve, shown with the task."""
    record_model = 'microloan.approval.request.step'
    notify = True
    watched = [
        'microloan.approval.request',
        'microloan.approval.request.step',
        'microloan.approval.action',
        ]

    def __init__(self, figures):
        self.figures = figures

    def affected(self, model, ids):
        "The steps whose task a change of the records ids of model may move"
        pool = Pool()
        if model == self.record_model:
            return ids
        Step = pool.get(self.record_model)
        Action = pool.get('microloan.approval.action')
        if model == 'microloan.approval.action':
            return list({a.step.id for a in Action.browse(ids) if a.step})
        return [s.id for s in Step.search([('request', 'in', ids)])]

    def query(self, index, user=None, records=None, allowed=None):
        pool = Pool()
        Flow = pool.get('microloan.approval.flow')
        queries = [
            self._query(index, model, user, records, allowed)
            for model in Flow._get_documents()]
        return Union(*queries, all_=True) if len(queries) > 1 else queries[0]

    def _query(self, index, model, user, records, allowed):
        pool = Pool()
        Step = pool.get(self.record_model)
        Request = pool.get('microloan.approval.request')
        StepUser = pool.get('microloan.approval.request.step-res.user')
        Flow = pool.get('microloan.approval.flow')
        Action = pool.get('microloan.approval.action')
        Company = pool.get('company.company')
        Document = pool.get(model)
        step = Step.__table__()
        request = Request.__table__()
        step_user = StepUser.__table__()
        flow = Flow.__table__()
        company = Company.__table__()
        document = Document.__table__()
        action = Action.__table__()
        other_action = Action.__table__()
        other_step = Step.__table__()

        party_name, amount_name = self.figures.get(model, (None, None))
        joins = []
        party = _column(Document, document, party_name, joins)
        amount = _column(Document, document, amount_name, joins)
        acted = action.select(action.id, where=(action.step == step.id)
            & (action.user == step_user.user)
            & action.action.in_(list(ACTING)))
        acted_before = other_action.join(other_step,
            condition=other_step.id == other_action.step).select(
            other_action.id,
            where=(other_action.request == request.id)
            & (other_action.user == step_user.user)
            & other_action.action.in_(list(ACTING))
            & (other_step.flow_step != step.flow_step))
        where = ((step.state == 'open') & (request.state == 'pending')
            & request.document.like(model + ',%')
            & (step_user.user != request.requester)
            & ~Exists(acted)
            & (flow.allow_same_approver | ~Exists(acted_before)))
        if user is not None:
            where &= step_user.user == user
        if records is not None:
            where &= step.id.in_(list(records) or [-1])
        if allowed is not None:
            where &= step.id.in_(allowed)
        from_ = (step
            .join(request, condition=request.current_step == step.id)
            .join(step_user, condition=step_user.step == step.id)
            .join(flow, condition=flow.id == request.flow)
            .join(company, condition=company.id == request.company)
            .join(document, 'LEFT', condition=document.id
                == Request.document.sql_id(request.document, Document)))
        return _join(from_, joins).select(
            (step.id * ID_FACTOR + index).as_('id'),
            step_user.user.as_('user'),
            request.company.as_('company'),
            Case((step.kind == 'committee', 'vote'),
                else_='approval').as_('task'),
            _reference(step, self.record_model).as_('record'),
            request.document.as_('document'),
            party.as_('party'),
            amount.as_('amount'),
            company.currency.as_('currency'),
            step.opened_date.as_('since'),
            where=where)


class Inbox(ModelSQL, ModelView):
    "To Do"
    __name__ = 'microloan.inbox'
    __string__ = "To Do"

    user = fields.Many2One('res.user', "User", readonly=True)
    company = fields.Many2One('company.company', "Company", readonly=True)
    task = fields.Selection(TASKS, "Task", readonly=True, sort=False)
    task_string = task.translated('task')
    record = fields.Reference(
        "Document", selection='get_models', readonly=True,
        help="Where the task is done: opens in one click.")
    document = fields.Reference(
        "Business Document", selection='get_models', readonly=True)
    party = fields.Many2One('party.party', "Customer", readonly=True,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    customer = fields.Char("Customer", readonly=True,
        help="The customer's name, shown whichever branch he belongs to.")
    currency = fields.Many2One('currency.currency', "Currency", readonly=True)
    amount = Monetary(
        "Amount", currency='currency', digits='currency', readonly=True)
    since = fields.DateTime("Waiting Since", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('since', 'DESC'), ('id', 'DESC')]

    @classmethod
    def task_sources(cls):
        """The registry of the inbox: return the sources of tasks, in a
        fixed order (a row's id holds the index of its source)"""
        return [
            ApprovalTask({
                    'microloan.application': ('borrower', 'amount'),
                    'microloan.credit_line': ('party', 'amount'),
                    'microloan.loan.change': ('loan.borrower', 'amount'),
                    }),
            ButtonTask('application_submit', 'microloan.application',
                'draft', 'submit', since='create_date', party='borrower',
                notify=False),
            ButtonTask('contract_submit', 'microloan.contract', 'draft',
                'submit', since='create_date', party='borrower',
                notify=False),
            ButtonTask('contract_review', 'microloan.contract',
                'reviewing', 'review', since='submitted_at',
                exclude='submitted_user', party='borrower'),
            ButtonTask('contract_sign', 'microloan.contract', 'reviewed',
                'sign', since='reviewed_at', party='borrower'),
            ButtonTask('disbursement_request', 'microloan.disbursement',
                'draft', 'request', since='create_date',
                party='loan.borrower', notify=False),
            ButtonTask('disbursement_approve', 'microloan.disbursement',
                'requested', 'approve', since='requested_at',
                exclude='requested_user', party='loan.borrower'),
            ButtonTask('disbursement_pay', 'microloan.disbursement',
                'approved', 'pay', since='approved_at',
                party='loan.borrower'),
            ButtonTask('disbursement_check', 'microloan.disbursement',
                'paid', 'recheck', since='paid_at', exclude='paid_user',
                party='loan.borrower'),
            ]

    @classmethod
    def get_models(cls):
        IrModel = Pool().get('ir.model')
        models = {s.record_model for s in cls.task_sources()}
        models |= set(Pool().get('microloan.approval.flow')._get_documents())
        return [(None, '')] + sorted(
            (m, IrModel.get_name(m)) for m in models)

    @classmethod
    def table_query(cls):
        "The rows of the user of the transaction"
        return cls.rows_query(Transaction().user)

    @classmethod
    def rows_query(cls, user=None, records=None, notified=False):
        """The query of the inbox rows of user (None: of every user,
        without record rules) limited to records, {model: ids} if given,
        and to the tasks announced if notified"""
        pool = Pool()
        Rule = pool.get('ir.rule')
        queries = []
        for index, source in enumerate(cls.task_sources()):
            if notified and not source.notify:
                continue
            model = source.record_model
            ids = None
            if records is not None:
                if model not in records:
                    continue
                ids = records[model]
            allowed = None
            if user:
                with check_access():
                    domain = Rule.domain_get(model, mode='read')
                if domain:
                    with Transaction().set_user(0), without_check_access():
                        allowed = pool.get(model).search(
                            domain, order=[], query=True)
            queries.append(source.query(
                    index, user=user, records=ids, allowed=allowed))
        if not queries:
            queries.append(cls.task_sources()[0].query(0, records=[]))
        union = Union(*queries, all_=True)
        party = pool.get('party.party').__table__()
        return union.join(party, 'LEFT', condition=party.id == union.party
            ).select(
            *[getattr(union, c).as_(c) for c in COLUMNS],
            party.name.as_('customer'),
            Literal(0).as_('create_uid'),
            union.since.as_('create_date'),
            Cast(Null, 'INTEGER').as_('write_uid'),
            union.since.as_('write_date'))

    @classmethod
    def synchronise(cls, records):
        """Bring the notifications of the tasks of records ({model: ids} of
        the models where users act) up to date: notify the users who have a
        task on them and none yet, remove the notifications of the tasks
        left"""
        pool = Pool()
        Notification = pool.get('res.notification')
        records = {m: sorted(set(i)) for m, i in records.items() if i}
        if not records:
            return
        cursor = Transaction().connection.cursor()
        with without_check_access():
            query = cls.rows_query(None, records, notified=True)
            cursor.execute(*query.select(query.user, distinct=True))
            users = {u for u, in cursor}
            keys = [json.dumps([i]) for ids in records.values() for i in ids]
            notifications = Notification.search([
                    ('inbox_task', '!=', None),
                    ('model', 'in', list(records)),
                    ('records', 'in', keys),
                    ])
            users |= {n.user.id for n in notifications}
            wanted = {}
            for user in users:
                # the user's own context: the acting user's employee and
                # company in it would make the host take the user for none
                # of his employees (and cache it: User.get_employees)
                with (Transaction().set_user(user),
                        Transaction().reset_context()):
                    query = cls.rows_query(user, records, notified=True)
                    cursor.execute(*query.select(
                            query.record, query.task, query.document,
                            query.party, query.amount, query.currency))
                    for row in cursor:
                        record, task = row[:2]
                        wanted[(user, record, task)] = row[2:]
            existing = {}
            stale = []
            for notification in notifications:
                key = (notification.user.id, '%s,%s' % (
                        notification.model,
                        json.loads(notification.records)[0]),
                    notification.inbox_task)
                if key in wanted and key not in existing:
                    existing[key] = notification
                else:
                    stale.append(notification)
            if stale:
                Notification.delete(stale)
            vlist = [cls._notification_values(user, record, task, *values)
                for (user, record, task), values in wanted.items()
                if (user, record, task) not in existing]
            if vlist:
                Notification.create(vlist)

    @classmethod
    def _notification_values(cls, user, record, task, document, party,
            amount, currency):
        "The values of the notification of a task entering user's inbox"
        pool = Pool()
        User = pool.get('res.user')
        Party = pool.get('party.party')
        Currency = pool.get('currency.currency')
        Lang = pool.get('ir.lang')
        user = User(user)
        language = user.language.code if user.language else None
        args = (language,) if language else ()
        with Transaction().set_context(language=language):
            tasks = dict(cls.fields_get(['task'])['task']['selection'])
            model, record_id = record.split(',')
            document = document or record
            document_model, document_id = document.split(',')
            rec_name = pool.get(document_model)(int(document_id)).rec_name
            parts = [rec_name]
            if party:
                parts.append(Party(party).rec_name)
            if amount is not None and currency:
                lang = Lang.get(language)
                parts.append(lang.currency(
                        amount, Currency(currency), grouping=True))
        return {
            'user': user.id,
            'label': gettext('microloan_core.msg_inbox_notify', *args,
                task=tasks.get(task, task), document=rec_name),
            'description': ' · '.join(parts),
            'model': model,
            'records': json.dumps([int(record_id)]),
            'inbox_task': task,
            'icon': 'tryton-board',
            }

    @classmethod
    def documents_changed(cls, model, ids):
        "Synchronise the notifications of the tasks a change of ids may move"
        affected = defaultdict(set)
        with without_check_access():
            for source in cls.task_sources():
                if source.notify and model in source.watched:
                    affected[source.record_model].update(
                        source.affected(model, ids))
        cls.synchronise(affected)

    @classmethod
    def awaiting_ids(cls, model):
        """The ids of the documents of model in the inbox of the user (done
        on themselves or on an approval step of theirs)"""
        query = cls.rows_query(Transaction().user)
        cursor = Transaction().connection.cursor()
        cursor.execute(*query.select(query.document,
                where=query.document.like(model + ',%')))
        return sorted({int(r.split(',')[1]) for r, in cursor})


class InboxWatchMixin:
    """A record a task source of the inbox watches: its changes bring the
    notifications of the tasks up to date"""
    __slots__ = ()

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        pool = Pool()
        Inbox = pool.get('microloan.inbox')
        Notification = pool.get('res.notification')
        super().on_modification(mode, records, field_names=field_names)
        if mode == 'delete':
            with without_check_access():
                notifications = Notification.search([
                        ('inbox_task', '!=', None),
                        ('model', '=', cls.__name__),
                        ('records', 'in',
                            [json.dumps([r.id]) for r in records]),
                        ])
                # the host's notification counts select IN () on none,
                # which PostgreSQL refuses
                if notifications:
                    Notification.delete(notifications)
        else:
            Inbox.documents_changed(cls.__name__, [r.id for r in records])


class InboxDocumentMixin(InboxWatchMixin):
    """A document where users do tasks of the inbox: awaiting_me tells (and
    searches) the documents in the user's inbox; _inbox_states, the states
    in which it waits for someone, are indexed (the few rows the inbox
    reads among a portfolio's)"""
    __slots__ = ()
    _inbox_states = ()

    @classmethod
    def __setup__(cls):
        super().__setup__()
        if cls._inbox_states:
            table = cls.__table__()
            cls._sql_indexes.add(Index(table,
                    (table.state, Index.Equality(cardinality='low')),
                    where=table.state.in_(list(cls._inbox_states))))

    awaiting_me = fields.Function(
        fields.Boolean("My Work"), 'get_awaiting_me',
        searcher='search_awaiting_me')

    @classmethod
    def get_awaiting_me(cls, records, name):
        Inbox = Pool().get('microloan.inbox')
        ids = set(Inbox.awaiting_ids(cls.__name__))
        return {r.id: r.id in ids for r in records}

    @classmethod
    def search_awaiting_me(cls, name, clause):
        Inbox = Pool().get('microloan.inbox')
        _, operator, value = clause
        ids = Inbox.awaiting_ids(cls.__name__)
        if (operator == '=') == bool(value):
            return [('id', 'in', ids)]
        return [('id', 'not in', ids)]


class Notification(metaclass=PoolMeta):
    __name__ = 'res.notification'

    inbox_task = fields.Char(
        "To Do Task", readonly=True,
        help="The task of the inbox the notification announces: it goes "
        "when the task is done.")


class Contract(InboxDocumentMixin, metaclass=PoolMeta):
    __name__ = 'microloan.contract'
    _inbox_states = ('draft', 'reviewing', 'reviewed')


class Disbursement(InboxDocumentMixin, metaclass=PoolMeta):
    __name__ = 'microloan.disbursement'
    _inbox_states = ('draft', 'requested', 'approved', 'paid')


class Application(InboxDocumentMixin, metaclass=PoolMeta):
    __name__ = 'microloan.application'
    _inbox_states = ('draft',)


class ApprovalRequest(InboxWatchMixin, metaclass=PoolMeta):
    __name__ = 'microloan.approval.request'


class ApprovalRequestStep(InboxWatchMixin, metaclass=PoolMeta):
    __name__ = 'microloan.approval.request.step'


class ApprovalAction(InboxWatchMixin, metaclass=PoolMeta):
    __name__ = 'microloan.approval.action'


class Open(Wizard):
    "Open the Document of a Task"
    __name__ = 'microloan.inbox.open'
    start_state = 'open_'
    open_ = StateAction('microloan_core.act_inbox_record')

    def do_open_(self, action):
        "The form of the record where the task is done, with its buttons"
        pool = Pool()
        View = pool.get('ir.ui.view')
        record = self.record.record
        Model = record.__class__
        views = []
        for type_ in ['form', 'tree']:
            found = View.search([
                    ('model', '=', Model.__name__),
                    ('type', '=', type_),
                    ('inherit', '=', None),
                    ], order=[('priority', 'ASC'), ('id', 'ASC')], limit=1)
            if found:
                views.append((found[0].id, type_))
        action.update({
                'name': record.rec_name,
                'res_model': Model.__name__,
                'res_id': [record.id],
                'views': views,
                'pyson_domain': PYSONEncoder().encode(
                    [('id', '=', record.id)]),
                'pyson_context': '{}',
                'domains': [],
                'context_model': None,
                'context_domain': None,
                })
        return action, {}
