# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Record rules of the suite see the user's employees and their branches.

``employees``: ids of the user's employees (a loan officer's customers);
``branches``: ids of their branches and of the branches they manage (a
branch manager's customers); ``user_id``: the user's id, for the secret
ballots of the approval committees and the documents submitted to him."""
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

# Models whose rules see the user's id as "user_id"
USER_RULE_MODELS = {
    'microloan.approval.vote',
    # a decider reads what he decides on (approval.py: approval_users)
    'microloan.application', 'microloan.credit_line', 'microloan.contract',
    'party.party',
    }


class Rule(metaclass=PoolMeta):
    __name__ = 'ir.rule'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.domain.help += (
            '\n- "employees" as list of ids of the user\'s employees'
            '\n- "branches" as list of ids of their branches')

    @classmethod
    def _microloan_scope(cls):
        pool = Pool()
        User = pool.get('res.user')
        Branch = pool.get('microloan.branch')
        employees = tuple(sorted(User.get_employees()))
        return employees, Branch.of_employees(employees)

    @classmethod
    def _get_cache_key(cls, model_names):
        key = super()._get_cache_key(model_names)
        key = (*key, *cls._microloan_scope())
        if model_names & USER_RULE_MODELS:
            key = (*key, Transaction().user)
        return key

    @classmethod
    def _get_context(cls, model_name):
        context = super()._get_context(model_name)
        employees, branches = cls._microloan_scope()
        context['employees'] = list(employees)
        context['branches'] = list(branches)
        if model_name in USER_RULE_MODELS:
            context['user_id'] = Transaction().user
        return context
