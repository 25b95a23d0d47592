# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Workflow helpers of the suite: buttons refuse, rather than skip, a
wrong transition; documents keep their terms once out of draft."""
import functools

from trytond.i18n import gettext

from .exceptions import WorkflowTransitionError


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


def draft_records_written(args, names):
    """Return the records of write args whose values change one of names,
    for a check that they are still drafts"""
    actions = iter(args)
    return [r for records, values in zip(actions, actions)
        if names & values.keys() for r in records]
