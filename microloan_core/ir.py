# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Record rules of the suite see the user's employees and their branches.

``employees``: ids of the user's employees (a loan officer's customers);
``branches``: ids of their branches and of the branches they manage (a
branch manager's customers); ``user_id``: the user's id, for the secret
ballots of the approval committees and the documents submitted to him.

The Chinese of the host's texts (``locale/override/zh_CN.po``) is settled
even where the host's translation already reads the same but is marked
fuzzy: Tryton overrides only a value that differs, so such a text kept its
fuzzy flag and showed in English."""
import os

import polib

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


class Translation(metaclass=PoolMeta):
    __name__ = 'ir.translation'

    @classmethod
    def translation_import(cls, lang, module, po_path):
        result = super().translation_import(lang, module, po_path)
        paths = [po_path] if isinstance(po_path, str) else po_path
        overrides = [p for p in paths
            if os.path.basename(os.path.dirname(p)) == 'override']
        cls._settle_fuzzy_overrides(lang, module, overrides)
        return result

    @classmethod
    def _settle_fuzzy_overrides(cls, lang, module, paths):
        "Clear the fuzzy flag of the host texts the override po translates"
        ModelData = Pool().get('ir.model.data')
        to_save = []
        for path in paths:
            for entry in polib.pofile(path):
                if entry.obsolete or 'fuzzy' in entry.flags:
                    continue
                translation, _ = cls.from_poentry(entry)
                ttype, name, res_id = entry.msgctxt.split(':')
                if '.' not in res_id:
                    continue
                host, fs_id = res_id.split('.')
                domain = [
                    ('name', '=', name),
                    ('res_id', '=',
                        ModelData.get_id(host, fs_id) if fs_id else -1),
                    ('lang', '=', lang),
                    ('type', '=', ttype),
                    ('module', '=', host),
                    ('fuzzy', '=', True),
                    ('value', '=', translation.value),
                    ]
                if ttype in {'report', 'view', 'wizard_button', 'selection'}:
                    domain.append(('src', '=', translation.src))
                for fuzzy in cls.search(domain):
                    fuzzy.fuzzy = False
                    fuzzy.overriding_module = module
                    to_save.append(fuzzy)
        cls.save(to_save)
