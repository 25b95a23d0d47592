# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Workflow helpers of the suite: buttons refuse, rather than skip, a
wrong transition; documents keep their terms once out of draft; every
document records who did a step one way (set_actor)."""
import datetime as dt
import functools

from trytond.i18n import gettext
from trytond.modules.company.model import reset_employee, set_employee
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import WorkflowTransitionError
from .tools import numbered


def checked_transition(state, sources=None):
    """Refuse with a translated error a workflow button on records that
    cannot go to state (Workflow.transition alone skips them silently),
    or that are not in one of the sources states when given (two buttons
    leading to one state from different states).

    Put it between ModelView.button and Workflow.transition."""
    def decorator(func):
        @functools.wraps(func)
        def wrapper(cls, records, *args, **kwargs):
            for record in records:
                current = getattr(record, cls._transition_state)
                if ((current, state) not in cls._transitions
                        or (sources is not None
                            and current not in sources)):
                    states = dict(cls.fields_get(
                            [cls._transition_state])[
                            cls._transition_state]['selection'])
                    raise WorkflowTransitionError(gettext(
                            'microloan_core.msg_workflow_transition',
                            record=record.rec_name,
                            current=states.get(current, current),
                            state=states.get(state, state)))
            return func(cls, records, *args, **kwargs)
        return wrapper
    return decorator


def freeze_out_of_draft(fields):
    "Make each of fields read-only while its record is not a draft"
    for field in fields:
        states = dict(field.states)
        readonly = Eval('state') != 'draft'
        if 'readonly' in states:
            readonly = states['readonly'] | readonly
        states['readonly'] = readonly
        field.states = states


class DraftDocumentMixin:
    """A workflow document whose _draft_fields change only while it is a
    draft and that is deleted only in one of _deletable_states (None: no
    such rule); the refusals are the document's _state_error, naming its
    kind, the record and its state"""
    __slots__ = ()
    _draft_fields = set()
    _deletable_states = {'draft', 'cancelled'}
    _state_error = WorkflowTransitionError

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode == 'write' and values.keys() & cls._draft_fields:
            cls.check_states(records, {'draft'},
                'microloan_core.msg_document_not_draft')
        elif mode == 'delete' and cls._deletable_states is not None:
            cls.check_states(records, cls._deletable_states,
                'microloan_core.msg_document_delete')

    @classmethod
    def check_states(cls, records, states, msg_id):
        "Refuse with msg_id the first of records not in one of states"
        for record in records:
            if record.state not in states:
                raise cls._state_error(gettext(msg_id,
                        document=cls.__names__()['model'],
                        record=record.rec_name,
                        state=record.state_string))


class NumberedMixin:
    """A record of a company, its name the number the suite's sequence
    _sequence (an xml id of microloan_core) gives it when created; a copy
    gets a number of its own and none of the fields of _copy_reset"""
    __slots__ = ()
    _rec_name = 'number'
    _sequence = None
    _copy_reset = ()

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            values, = numbered([values], cls._sequence)
        return values

    @classmethod
    def _copy_cleared(cls):
        "Return the names of the fields a copy leaves empty"
        return ['number', *cls._copy_reset]

    @classmethod
    def copy(cls, records, default=None):
        default = default.copy() if default is not None else {}
        for name in cls._copy_cleared():
            if name in cls._fields:
                default.setdefault(name, None)
        return super().copy(records, default=default)


class NumberedDocumentMixin(NumberedMixin, DraftDocumentMixin):
    """A numbered draft document (NumberedMixin): a copy is a draft again,
    also without the actors of _actor_steps"""
    __slots__ = ()
    _actor_steps = ()

    @staticmethod
    def default_state():
        return 'draft'

    def get_rec_name(self, name):
        return self.number or str(self.id)

    @classmethod
    def _copy_cleared(cls):
        return super()._copy_cleared() + [
            n for s in cls._actor_steps for n in _actor_fields(s)]

    @classmethod
    def copy(cls, records, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('state', 'draft')
        return super().copy(records, default=default)

def _actor_fields(step):
    "Return the names of the employee, user and time fields of step"
    return '%s_by' % step, '%s_user' % step, '%s_at' % step


def actor_values(step):
    """Return the values that record the user of the transaction and his
    current employee as the actor of step, for records being created (the
    steps of buttons use set_actor)"""
    User = Pool().get('res.user')
    employee_field, user_field, _ = _actor_fields(step)
    user = User(Transaction().user)
    return {
        employee_field: user.employee.id if user.employee else None,
        user_field: user.id,
        }


def set_actor(step, company='company'):
    """Record who did step on the records of the decorated button method,
    as the host's set_employee does, keeping the user too: the user's
    employee goes into the field step_by (company.employee), the user into
    step_user (res.user: an administrator may have no employee, and the
    maker-checker rules compare users) and, where the document has it, the
    time into step_at.  Like the host, only records without a user of the
    step yet are written: a step done again is first reset (reset_actor).

    company names the records' company field, whose company the employee
    must belong to; None for the documents of the customer file, which
    belong to no company: the user's current employee is recorded."""
    employee_field, user_field, time_field = _actor_fields(step)

    def decorator(func):
        @functools.wraps(func)
        def wrapper(cls, records, *args, **kwargs):
            User = Pool().get('res.user')
            result = func(cls, records, *args, **kwargs)
            user = User(Transaction().user)
            values = {user_field: user.id}
            if time_field in cls._fields:
                values[time_field] = dt.datetime.now()
            cls.write(
                [r for r in records if not getattr(r, user_field)], values)
            if company is None and user.employee:
                cls.write(
                    [r for r in records if not getattr(r, employee_field)],
                    {employee_field: user.employee.id})
            return result
        if company is not None:
            wrapper = set_employee(employee_field, company=company)(wrapper)
        return wrapper
    return decorator


def reset_actor(*steps, when='after'):
    """Clear what set_actor recorded of steps (employee, user and time), as
    the host's reset_employee does, when a document goes back a step"""
    def decorator(func):
        @functools.wraps(func)
        def wrapper(cls, records, *args, **kwargs):
            names = [n for s in steps for n in _actor_fields(s)
                if n in cls._fields]
            return reset_employee(*names, when=when)(func)(
                cls, records, *args, **kwargs)
        return wrapper
    return decorator
