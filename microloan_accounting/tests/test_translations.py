# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The Chinese of microloan_accounting: every text of the module has its
reviewed Chinese with no English word, the host's messages of the
accounting modules it depends on (account, account_invoice,
account_payment, account_statement, bank, product...) read in Chinese
through its locale/override/zh_CN.po (microloan_core's covers ir, res,
party, company...), and the refusals a Chinese accountant meets read in
Chinese (docs/accounting.md, Vouchers)."""
import datetime as dt
import importlib.util
import pathlib
import re
import unittest
from contextlib import contextmanager
from decimal import Decimal as D

import polib

from trytond import backend
from trytond.modules.account.exceptions import PostError
from trytond.modules.company.tests import set_company
from trytond.modules.microloan_core.tests import test_translations as core
from trytond.modules.microloan_core.tests.tools import (
    create_cny_company, create_staff)
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from ..exceptions import VoucherError
from .tools import setup_ledger

LANGUAGE = core.LANGUAGE
MODULE = 'microloan_accounting'
ROOT = pathlib.Path(__file__).resolve().parents[2]


def _english_words():
    """Return the suite's rule of what is English in a Chinese text
    (tests/chinese.py of the repository: its short allow-list of words)"""
    path = ROOT / 'tests' / 'chinese.py'
    if not path.exists():
        raise unittest.SkipTest("the suite's tests/chinese.py is not here")
    spec = importlib.util.spec_from_file_location('microloan_chinese', path)
    chinese = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(chinese)
    return chinese.english_words


class TranslationsTestCase(core.HostTranslationsMixin, unittest.TestCase):
    "The module's texts and its hosts' messages in Chinese"
    MODULE = MODULE
    HOST_MODULE = 'account'
    MIN_MESSAGES = 150

    def export(self):
        """Return the module's po for zh_CN as trytond-admin
        --export-translations writes it from the database, the Chinese
        loaded: what it lists is every translatable text of the module"""
        pool = Pool()
        Lang = pool.get('ir.lang')
        Translation = pool.get('ir.translation')
        TranslationSet = pool.get('ir.translation.set', type='wizard')
        TranslationUpdate = pool.get('ir.translation.update', type='wizard')
        core.load_language(LANGUAGE)
        session_id, _, _ = TranslationSet.create()
        TranslationSet.execute(session_id, {}, 'set_')
        TranslationSet.delete(session_id)
        lang, = Lang.search([('code', '=', LANGUAGE)])
        session_id, _, _ = TranslationUpdate.create()
        TranslationUpdate.execute(
            session_id, {'start': {'language': lang.id}}, 'update')
        TranslationUpdate.delete(session_id)
        return polib.pofile(
            Translation.translation_export(LANGUAGE, MODULE).decode('utf-8'))

    @with_transaction()
    def test_every_text_of_the_module_is_chinese(self):
        """Each text of the module (fields, helps, selections, views,
        buttons, menus, actions, messages, reports) has a Chinese that is
        not fuzzy and has no English word; a report template written in
        Chinese, or a text with no English word in it (an expression), may
        be left as it is (scripts/translate_zh_CN.py)"""
        english_words = _english_words()
        entries = self.export()
        self.assertGreater(len(entries), 300)
        kinds = set()
        for entry in entries:
            with self.subTest(entry=entry.msgctxt, text=entry.msgid):
                kind = entry.msgctxt.split(':')[0]
                kinds.add(kind)
                if kind == 'report' and (
                        core.CJK.search(entry.msgid)
                        or not re.search('[A-Za-z]', entry.msgid)):
                    continue
                if not entry.msgstr and not english_words(entry.msgid):
                    # nothing to translate: an expression such as
                    # ${record.rec_name}, a code, punctuation
                    continue
                self.assertNotIn('fuzzy', entry.flags)
                self.assertTrue(entry.msgstr)
                self.assertEqual(english_words(entry.msgstr), [])
                self.assertEqual(
                    core.placeholders(entry.msgstr),
                    core.placeholders(entry.msgid))
        self.assertLessEqual(
            {'model', 'field', 'help', 'selection', 'view'}, kinds)

    @with_transaction()
    def test_the_module_po_is_the_one_in_force(self):
        "The Chinese the database holds is the one of locale/zh_CN.po"
        path = ROOT / MODULE / 'locale' / (LANGUAGE + '.po')
        written = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(
                str(path)) if not e.obsolete}
        exported = {(e.msgctxt, e.msgid): e.msgstr for e in self.export()}
        self.assertEqual(
            {k: v for k, v in exported.items() if k in written}, {
                k: v for k, v in written.items() if k in exported})

    @with_transaction()
    def test_override_has_no_english(self):
        "The host's texts the override translates have no English word"
        english_words = _english_words()
        path = ROOT / MODULE / 'locale' / 'override' / (LANGUAGE + '.po')
        for entry in polib.pofile(str(path)):
            with self.subTest(entry=entry.msgctxt):
                chinese = (entry.msgstr_plural[0] if entry.msgid_plural
                    else entry.msgstr)
                self.assertEqual(english_words(chinese), [])


@contextmanager
def as_chinese_user(user):
    """Act as user in the context his preferences give (his language
    zh_CN), as in a session of the web client"""
    User = Pool().get('res.user')
    with Transaction().set_user(user.id):
        with Transaction().set_context(
                User.get_preferences(context_only=True)):
            yield


class RefusalsTestCase(unittest.TestCase):
    "The refusals of the vouchers read in Chinese for a zh_CN user"

    @classmethod
    def setUpClass(cls):
        activate_module(MODULE)

    def setup(self):
        "A company's ledger, its accountant in Chinese and a voucher"
        pool = Pool()
        Account = pool.get('account.account')
        Lang = pool.get('ir.lang')
        Move = pool.get('account.move')
        User = pool.get('res.user')
        core.load_language(LANGUAGE)
        company = create_cny_company()
        user, _ = create_staff(
            company, 'preparer', "陈静", 'group_accountant')
        chinese, = Lang.search([('code', '=', LANGUAGE)])
        User.write([user], {'language': chinese.id})
        with set_company(company):
            setup_ledger(company)
            # two accounts of the chart that need no party
            debit, credit = Account.search([
                    ('company', '=', company.id),
                    ('type', '!=', None),
                    ('closed', '!=', True),
                    ('party_required', '=', False),
                    ('code', 'in', ['1002', '601101']),
                    ], order=[('code', 'ASC')])
        return company, user, Move, debit, credit

    def assertChinese(self, message, expected):
        "message is the Chinese expected, with no English word"
        self.assertRegex(message, core.CJK)
        self.assertEqual(_english_words()(message), [])
        self.assertEqual(message, expected)

    @with_transaction()
    def test_review_by_the_preparer(self):
        "审核 by the one who prepared the voucher: refused in Chinese"
        company, user, Move, debit, credit = self.setup()
        with set_company(company), as_chinese_user(user):
            self.assertEqual(Transaction().language, LANGUAGE)
            move, = Move.create([Move.voucher_values(
                        company, dt.date(2026, 2, 1), "试算", [
                            (debit, None, D('10.00'), D(0), "借"),
                            (credit, None, D(0), D('10.00'), "贷"),
                            ])])
            with self.assertRaises(VoucherError) as cm:
                Move.voucher_review([move])
        self.assertChinese(cm.exception.message,
            '凭证“%s”由您制单：须由其他人审核。' % move.rec_name)

    @with_transaction()
    def test_host_refuses_an_unbalanced_move(self):
        """The host's own refusal of an unbalanced move
        (account.msg_post_unbalanced_move), reached through the voucher's
        post (voucher.py lets the host post only from there), in Chinese.
        The host finds the move unbalanced by an SQL sum compared with its
        currency's rounding, a comparison SQLite makes with text and never
        finds true: on PostgreSQL only"""
        if backend.name == 'sqlite':
            self.skipTest("the host's balance check is blind on SQLite")
        company, user, Move, debit, credit = self.setup()
        with set_company(company), as_chinese_user(user):
            move, = Move.create([Move.voucher_values(
                        company, dt.date(2026, 2, 1), "试算", [
                            (debit, None, D('10.00'), D(0), "借"),
                            (credit, None, D(0), D('9.99'), "贷"),
                            ])])
            with Transaction().set_context(_microloan_voucher_post=True), \
                    self.assertRaises(PostError) as cm:
                Move.post([move])
        self.assertChinese(cm.exception.message,
            '凭证“%s”借贷不平衡：须使其全部分录的借方合计等于贷方合计后'
            '才能记账。' % move.rec_name)
