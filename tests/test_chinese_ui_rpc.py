# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""No English in the screens a Chinese user of the suite reaches.

Each demo user logs in in Chinese, as the web client does, and the sweep
walks what he can reach, discovering it rather than listing it: his menus
and the actions they open (names, tabs of their domains), every view of
those actions, of the one2many and many2many fields in them and of the
actions of their toolbars (print, action, relate), the Preferences dialog,
and the names and fields (the export dialog lists them all) of the
models met on the way.  In every view: the labels,
pages, groups, separators, sums and buttons of the architecture, the field
strings and the labels of static selections.  Then every message of the
installed modules (the suite's and the host's refusals and notices).

The suite's screens are those of the suite's modules (microloan_*) and of
the host modules they depend on: the host's accounting menus a demo
accountant also sees belong to the suite's accounting module when it
depends on them.  A walk goes two steps from a menu (a nested list or a
related action, and one more), as far as a user clicks from a screen of the
suite to the host's.

A text fails when it has an English word outside the short allow-list of
tests/chinese.py; the failure names where each was met.  A selection whose
label is its own value is data (a time zone, a rating grade), not text."""
import collections
import importlib.util
import xml.etree.ElementTree as ElementTree

import pytest

from .chinese import english_words
from .conftest import ROOT, rpc
from .demo import setup_demo
from .test_rpc import _login

# Attributes of a view's elements the web client shows as text
SHOWN = ['string', 'sum', 'confirm']
# The field types whose records the web client opens inside the form
NESTED = {'one2many', 'many2many'}
# Steps a walk goes from a menu's action
DEPTH = 2


def suite_scope(server):
    "Return the models of the suite's modules and of those they depend on"
    session, context = _login(server, 'admin', setup_demo.ADMIN_PASSWORD)

    def call(method, *args):
        return rpc(server, method, [*args, context], session=session)
    modules = {m['id']: m for m in call('model.ir.module.search_read',
            [('state', '=', 'activated')], 0, None, None,
            ['name', 'dependencies'])}
    dependencies = {d['id']: d['name'] for d in call(
            'model.ir.module.dependency.search_read', [], 0, None, None,
            ['name'])}
    depends = {m['name']: {dependencies[d] for d in m['dependencies']}
        for m in modules.values()}
    scope = set()
    todo = [m for m in depends if m.startswith('microloan')]
    while todo:
        name = todo.pop()
        if name not in scope:
            scope.add(name)
            todo.extend(depends.get(name, ()))
    return {m['name'] for m in call('model.ir.model.search_read',
            [('module', 'in', list(scope))], 0, None, None, ['name'])}


class Sweep:
    "What the users reach, and the English met there"

    def __init__(self, server, scope):
        self.server = server
        self.scope = scope
        self.english = collections.defaultdict(set)
        self.views = set()
        self.models = set()
        self.toolbars = set()
        self.actions = set()

    def login(self, login, password):
        self.user = login
        self.session, self.context = _login(self.server, login, password)
        self.context['language'] = 'zh_CN'

    def call(self, method, *args):
        return rpc(self.server, method, [*args, self.context],
            session=self.session)

    def check(self, where, text):
        if english_words(text):
            self.english[text].add('%s: %s' % (self.user, where))

    def menus(self):
        """Walk the menus whose action opens a model of the suite's scope,
        and the folders that hold them"""
        menus = {m['id']: m for m in self.call('model.ir.ui.menu.search_read',
                [], 0, None, None,
                ['name', 'complete_name', 'action', 'parent'])}
        shown = set()
        for menu in menus.values():
            if not menu['action']:
                continue
            actions = self.call('model.ir.action.keyword.get_keyword',
                'tree_open', ['ir.ui.menu', menu['id']])
            if not any((a.get('res_model') or a.get('model')) in self.scope
                    for a in actions):
                continue
            for action in actions:
                self.action(action, 'menu %s' % menu['complete_name'], 0)
            while menu and menu['id'] not in shown:
                shown.add(menu['id'])
                self.check('menu %s' % menu['complete_name'], menu['name'])
                menu = menus.get(menu['parent'])
        assert shown, "the user sees no menu of the suite"

    def action(self, action, where, depth):
        self.check('%s: action' % where, action.get('name'))
        key = (action.get('type'), action.get('id'))
        if (key in self.actions
                or action.get('type') != 'ir.action.act_window'
                or action.get('res_model') not in self.scope):
            return
        self.actions.add(key)
        where = '%s > %s' % (where, action.get('name'))
        for domain in action.get('domains') or []:
            self.check('%s: tab' % where, domain[0])
        model = action['res_model']
        views = action.get('views') or [[None, 'tree'], [None, 'form']]
        types = {t for _, t in views}
        if 'tree' in types and 'form' not in types:
            # the client opens a form from a list even without a form view
            views = list(views) + [[None, 'form']]
        for view_id, view_type in views:
            self.view(model, view_id, view_type, where, depth)

    def view(self, model, view_id, view_type, where, depth):
        if model not in self.scope:
            return
        self.model(model, where)
        key = (model, view_id, view_type)
        if key in self.views:
            return
        self.views.add(key)
        try:
            view = self.call('model.%s.fields_view_get' % model,
                view_id, view_type)
        except RuntimeError as error:
            pytest.fail('%s: %s view of %s: %s'
                % (where, view_type, model, error))
        self.fields_view(model, view, '%s > %s %s view' % (
                where, model, view_type), depth)
        self.toolbar(model, where, depth)

    def fields_view(self, model, view, where, depth):
        arch = ElementTree.fromstring(view['arch'])
        for element in arch.iter():
            for attribute in SHOWN:
                value = element.get(attribute)
                if value and value not in {'0', '1', 'True', 'False'}:
                    self.check('%s: <%s %s>' % (
                            where, element.tag, attribute), value)
            if element.tag == 'action' and element.get('name'):
                self.board_action(int(element.get('name')), where, depth)
        for name, field in view['fields'].items():
            field_where = '%s: field %s' % (where, name)
            self.check(field_where, field.get('string'))
            selection = field.get('selection')
            if isinstance(selection, list):
                for value, label in selection:
                    if label != value:
                        self.check('%s = %r' % (field_where, value), label)
            relation = field.get('relation')
            if field['type'] in NESTED and relation and depth < DEPTH:
                nested = field.get('views') or {}
                for view_type, sub_view in nested.items():
                    self.model(relation, field_where)
                    self.fields_view(relation, sub_view, '%s > %s %s view'
                        % (field_where, relation, view_type), depth + 1)
                view_ids = list(field.get('view_ids') or [])
                for view_type in ['tree', 'form']:
                    if view_type not in nested:
                        self.view(relation, view_ids.pop(0)
                            if view_ids else None, view_type, field_where,
                            depth + 1)

    def board_action(self, action_id, where, depth):
        action, = self.call('model.ir.action.act_window.read',
            [action_id], ['name', 'res_model', 'views', 'domains'])
        action['type'] = 'ir.action.act_window'
        self.action(action, where, depth)

    def toolbar(self, model, where, depth):
        if model in self.toolbars:
            return
        self.toolbars.add(model)
        toolbar = self.call('model.%s.view_toolbar_get' % model)
        for kind in ['print', 'action', 'relate']:
            for action in toolbar[kind]:
                where_ = '%s > %s %s' % (where, model, kind)
                if depth < DEPTH:
                    self.action(action, where_, depth + 1)
                else:
                    self.check('%s: action' % where_, action.get('name'))
        for email in toolbar.get('emails', []):
            self.check('%s > %s email' % (where, model), email['name'])

    def model(self, model, where):
        if model in self.models:
            return
        self.models.add(model)
        name, = self.call('model.ir.model.search_read',
            [('name', '=', model)], 0, None, None, ['string'])
        self.check('%s: the name of %s' % (where, model), name['string'])
        # the export and import dialogs and the search filter list every
        # field of the model
        for field_name, field in self.call(
                'model.%s.fields_get' % model, None).items():
            self.check('%s > %s: field %s' % (where, model, field_name),
                field.get('string'))

    def preferences(self):
        view = self.call('model.res.user.get_preferences_fields_view')
        # each language is offered by its own name (English, 中文)
        view['fields']['language'].pop('selection', None)
        self.fields_view('res.user', view, 'Preferences', DEPTH)

    def report(self):
        return '\n'.join('%r met by %s' % (text, '; '.join(sorted(where)[:2]))
            for text, where in sorted(self.english.items()))


def test_screens_reached_by_the_users_have_no_english(server):
    sweep = Sweep(server, suite_scope(server))
    for login, _, _, password in setup_demo.USERS:
        sweep.login(login, password)
        sweep.menus()
        sweep.preferences()
    assert {'microloan.application', 'party.party'} <= sweep.models
    assert not sweep.english, (
        "English in the Chinese screens (give each text its Chinese in "
        "scripts/glossary/*.json, the host's in "
        "scripts/glossary/override/*.json, then run "
        "scripts/refresh_zh_CN.sh):\n%s" % sweep.report())


def _scope_messages():
    "Return the English of the messages of the suite and the host it uses"
    path = ROOT / 'scripts' / 'translate_zh_CN.py'
    spec = importlib.util.spec_from_file_location('translate_zh_CN', path)
    translate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(translate)
    texts = set()
    for module in sorted(ROOT.glob('microloan_*/tryton.cfg')):
        texts.update(text for _, _, text, _ in translate.host_messages(
                    module.parent.name))
        for xml in module.parent.glob('*.xml'):
            for record in ElementTree.parse(xml).iter('record'):
                if record.get('model') == 'ir.message':
                    texts.update(f.text for f in record.iter('field')
                        if f.get('name') == 'text')
    return texts


def test_messages_have_no_english(server):
    """Every refusal or notice of the suite and of the host modules it uses
    reads in Chinese (a plural text too: Chinese has one form)"""
    session, context = _login(server, 'admin', setup_demo.ADMIN_PASSWORD)

    def read(language):
        return {m['id']: m['text'] for m in rpc(server,
                'model.ir.message.search_read', [[], 0, None, None, ['text'],
                    dict(context, language=language)], session=session)}
    english, chinese = read('en'), read('zh_CN')
    scope = _scope_messages()
    shown = {i: chinese[i] for i, text in english.items() if text in scope}
    assert len(shown) > 100
    found = {text: english_words(text) for text in shown.values()
        if english_words(text)}
    assert not found, '\n'.join('%r: %s' % i for i in found.items())
