# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The host's messages read in Chinese: every ``ir.message`` of the modules
microloan_core depends on (a domain, a required field, a button in the
wrong state, an access refused...) has a Chinese translation once zh_CN is
loaded, with the placeholders of its English text."""
import os
import re
import unittest

import polib

from trytond.i18n import gettext
from trytond.modules import create_graph, get_module_info, load_translations
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

CJK = re.compile('[\u3400-\u9fff]')
PLACEHOLDER = re.compile(
    r'%(?:\((\w+)\))?[#0 +-]*\d*(?:\.\d+)?([sdifr])')
# Left out on purpose: the name of the button's Python method (such as
# "create_contract") is an identifier, not a label a Chinese user reads.
OMITTED = {
    'ir.msg_button_state_record': {('button', 's')},
    'ir.msg_access_button_error': {('button', 's')},
    }
LANGUAGE = 'zh_CN'


def placeholders(text):
    return set(PLACEHOLDER.findall(text.replace('%%', '')))


def load_language(code):
    """Load the translations of code of every activated module the way
    trytond-admin -l does, overrides included"""
    pool = Pool()
    Lang = pool.get('ir.lang')
    Module = pool.get('ir.module')
    lang, = Lang.search([('code', '=', code)])
    lang.translatable = True
    lang.save()
    modules = {m.name for m in Module.search([('state', '=', 'activated')])}
    for node in create_graph(modules):
        load_translations(pool, node, [code])


def dependencies(module):
    "Return the names of the modules module depends on, directly or not"
    found, todo = set(), list(get_module_info(module).get('depends', []))
    while todo:
        name = todo.pop()
        if name not in found:
            found.add(name)
            todo.extend(get_module_info(name).get('depends', []))
    return found


def suite_module(name):
    "Tell whether name is a module of the suite"
    return name.startswith('microloan_')


def host_modules(module):
    """Return the host modules whose messages the override of module
    translates: those it depends on, save the suite's modules and the host
    modules a suite module it depends on overrides already (as
    scripts/translate_zh_CN.py writes the override)"""
    depends = dependencies(module)
    covered = set()
    for name in depends:
        if suite_module(name):
            covered |= {name} | dependencies(name)
    return depends - covered


class HostTranslationsMixin:
    """The host's messages in Chinese through the override of MODULE:
    the checks each suite module's test_translations runs for its own
    override, on a test database that activates MODULE alone"""
    # the suite module whose locale/override/zh_CN.po is checked
    MODULE = None
    # a host module the override must cover, and the least number of
    # messages of its hosts: the check itself cannot go blind
    HOST_MODULE = None
    MIN_MESSAGES = None

    @classmethod
    def setUpClass(cls):
        activate_module(cls.MODULE)

    def host_messages(self):
        """Return the module.xml id, id and English text of every message
        of the host modules of the override"""
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Message = pool.get('ir.message')
        Module = pool.get('ir.module')
        # the test database activates MODULE alone: the other activated
        # modules are the ones it depends on
        hosts = host_modules(self.MODULE)
        modules = Module.search([
                ('state', '=', 'activated'),
                ('name', '!=', self.MODULE),
                ])
        self.assertLessEqual(hosts, {m.name for m in modules})
        modules = [m for m in modules if m.name in hosts]
        self.assertIn(self.HOST_MODULE, {m.name for m in modules})
        data = ModelData.search([
                ('model', '=', 'ir.message'),
                ('module', 'in', [m.name for m in modules]),
                ])
        self.assertGreater(len(data), self.MIN_MESSAGES)
        with Transaction().set_context(language='en'):
            return [('%s.%s' % (d.module, d.fs_id), d.db_id,
                    Message(d.db_id).text) for d in data]

    def translation(self, xml_id, message_id):
        "Return the zh_CN translation of the message"
        pool = Pool()
        Translation = pool.get('ir.translation')
        translation, = Translation.search([
                ('name', '=', 'ir.message,text'),
                ('type', '=', 'model'),
                ('res_id', '=', message_id),
                ('lang', '=', LANGUAGE),
                ('module', '=', xml_id.split('.')[0]),
                ])
        return translation

    @with_transaction()
    def test_every_host_message_has_a_chinese_translation(self):
        "gettext of each host message in zh_CN gives a reviewed translation"
        load_language(LANGUAGE)
        messages = self.host_messages()
        with Transaction().set_context(language=LANGUAGE):
            for xml_id, message_id, text in messages:
                with self.subTest(message=xml_id):
                    translation = self.translation(xml_id, message_id)
                    self.assertFalse(translation.fuzzy)
                    self.assertTrue(translation.value)
                    if re.search('[a-z]{2,}', text):
                        self.assertRegex(translation.value, CJK)
                    self.assertEqual(gettext(xml_id), translation.value)

    @with_transaction()
    def test_host_messages_keep_their_placeholders(self):
        "The Chinese has the placeholders of the English, in its formats"
        load_language(LANGUAGE)
        for xml_id, message_id, text in self.host_messages():
            with self.subTest(message=xml_id):
                translation = self.translation(xml_id, message_id)
                self.assertEqual(
                    placeholders(translation.value),
                    placeholders(text) - OMITTED.get(xml_id, set()))

    @with_transaction()
    def test_override_follows_the_host_texts(self):
        """The override po translates the host's texts as they are written
        now (a text the host rewords must be translated again), and each
        one is in force in zh_CN, not fuzzy"""
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Message = pool.get('ir.message')
        Translation = pool.get('ir.translation')
        path = os.path.join(
            get_module_info(self.MODULE)['directory'],
            'locale', 'override', LANGUAGE + '.po')
        entries = polib.pofile(path)
        self.assertTrue(entries)
        load_language(LANGUAGE)
        kinds = set()
        for entry in entries:
            with self.subTest(entry=entry.msgctxt):
                kind, name, xml_id = entry.msgctxt.split(':')
                kinds.add(kind)
                module, fs_id = xml_id.split('.')
                res_id = ModelData.get_id(module, fs_id) if fs_id else -1
                if name == 'ir.message,text':
                    with Transaction().set_context(language='en'):
                        message = Message(res_id)
                        self.assertEqual(entry.msgid, message.text)
                    self.assertEqual(
                        entry.msgid_plural or None, message.text_plural)
                translation, = Translation.search([
                        ('lang', '=', LANGUAGE),
                        ('type', '=', kind),
                        ('name', '=', name),
                        ('res_id', '=', res_id),
                        ('module', '=', module),
                        ('src', '=', entry.msgid),
                        ])
                self.assertFalse(translation.fuzzy)
                self.assertEqual(translation.value,
                    entry.msgstr_plural[0] if entry.msgid_plural
                    else entry.msgstr)
        self.assertLessEqual({'model', 'field', 'selection'}, kinds)


class TranslationsTestCase(HostTranslationsMixin, unittest.TestCase):
    "The host's messages in Chinese"
    MODULE = 'microloan_core'
    HOST_MODULE = 'party'
    MIN_MESSAGES = 150

    @with_transaction()
    def test_host_model_names_read_in_chinese(self):
        """A party reads 客户; a user 用户 although the host's own zh_CN has
        the same word marked fuzzy (Tryton then keeps its flag)"""
        pool = Pool()
        Model = pool.get('ir.model')
        load_language(LANGUAGE)
        with Transaction().set_context(language=LANGUAGE):
            names = {m.name: m.string for m in Model.search([
                        ('name', 'in', ['party.party', 'res.user']),
                        ])}
        self.assertEqual(names, {'party.party': '客户', 'res.user': '用户'})
