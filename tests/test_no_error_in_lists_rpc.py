# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""No demo user meets #错误 (a row the web client cannot read).

For every demo user, every list of the suite's models and of the parties his
menu reaches is read exactly as the web client reads it: the action of each menu entry (its domain, context and
tabs), a search, then a read of the list view's fields with the names of
the records they point to (``<many2one>.rec_name``); and the forms he opens
from those lists with the lists they hold (one2many, many2many), the
customer file and the approval step among them.  A read the record rules
refuse is what the client shows as #错误.  (The first records of each
list's first tab are opened.)

A large application of a head-office customer is first sent to the loan
committee, whose members include the branch manager of another branch: he
must read the case he votes on."""
import xml.etree.ElementTree as ET

import pytest
from trytond.pyson import PYSONDecoder

from .conftest import rpc
from .demo import setup_demo
from .origination import pass_risk_review, submit_application
from .test_rpc import _login

LOGINS = [(login, password) for login, _, _, password in setup_demo.USERS]
# records of each list whose form is opened
FORMS_PER_LIST = 2
# the models whose reading the suite's record rules restrict, with the
# records they point to: the suite's and the parties (the host's other
# lists, accounting say, follow the host's company rules only)
MODELS = ('microloan.', 'party.')
RELATIONAL = {'many2one', 'one2one', 'reference'}


class Client:
    "A demo user's calls, with his context, as the web client makes them"

    def __init__(self, server, login, password):
        self.server = server
        self.login = login
        self.session, self.context = _login(server, login, password)
        self.views = {}

    def __call__(self, method, *args, context=None):
        return rpc(self.server, method,
            [*args, dict(self.context, **(context or {}))],
            session=self.session)

    def decode(self, value, context):
        if not value:
            return None
        return PYSONDecoder(dict(context, context=context)).decode(value)


def _view(client, model, view_id, view_type, context):
    "The view and the fields the client reads for it (cached per user)"
    key = (model, view_id, view_type)
    if key not in client.views:
        view = client('model.%s.fields_view_get' % model, view_id,
            view_type, context=context)
        names = []
        for name, field in view['fields'].items():
            names.append(name)
            if field['type'] in RELATIONAL:
                names.append(name + '.rec_name')
            if field['type'] in {'selection', 'reference'}:
                names.append(name + ':string')
        client.views[key] = view, names
    return client.views[key]


def _view_ids(arch):
    "{field name: view id of its list} of the view_ids of a form's fields"
    result = {}
    for element in ET.fromstring(arch).iter('field'):
        view_ids = element.get('view_ids')
        if view_ids:
            result[element.get('name')] = int(view_ids.split(',')[0])
    return result


def _read_list(client, errors, where, model, ids, fields, context):
    try:
        client('model.%s.read' % model, ids, fields, context=context)
    except RuntimeError as error:
        errors.append((client.login, where, str(error)[:300]))
        return False
    return True


def _open_forms(client, errors, where, model, view_id, ids, context):
    "Open the forms of ids: read the lists they hold as the client does"
    view, _ = _view(client, model, view_id, 'form', context)
    lists = {n: f for n, f in view['fields'].items()
        if f['type'] in {'one2many', 'many2many'}}
    if not lists:
        return
    try:
        records = client('model.%s.read' % model, ids, list(lists),
            context=context)
    except RuntimeError as error:
        errors.append((client.login, where + ' (form)', str(error)[:300]))
        return
    list_views = _view_ids(view['arch'])
    for name, field in lists.items():
        targets = sorted({i for r in records for i in r[name] or []})
        if not targets:
            continue
        _, sub_fields = _view(client, field['relation'],
            list_views.get(name), 'tree', context)
        _read_list(client, errors, '%s / %s' % (where, name),
            field['relation'], targets, sub_fields, context)


def _sweep(client, errors):
    menus = client('model.ir.ui.menu.search_read', [], 0, None, None,
        ['action', 'complete_name'])
    for menu in menus:
        if not (menu['action'] or '').startswith('ir.action.act_window,'):
            continue
        actions = client('model.ir.action.keyword.get_keyword', 'tree_open',
            ['ir.ui.menu', menu['id']])
        for action in actions:
            if action['type'] != 'ir.action.act_window':
                continue
            model = action['res_model']
            if not model.startswith(MODELS):
                continue
            context = dict(client.context)
            context.update(
                client.decode(action.get('pyson_context'), context) or {})
            domain = client.decode(action.get('pyson_domain'), context) or []
            views = dict((t, v) for v, t in reversed(action['views']))
            if 'tree' not in views:
                continue
            _, fields = _view(client, model, views['tree'], 'tree', context)
            tabs = action.get('domains') or [[None, None, False]]
            for index, (tab, tab_domain, _) in enumerate(tabs):
                where = menu['complete_name'] + (' [%s]' % tab if tab else '')
                search = domain
                tab_domain = client.decode(tab_domain, context)
                if tab_domain:
                    search = ['AND', domain, tab_domain]
                try:
                    ids = client('model.%s.search' % model, search, 0,
                        action.get('limit') or 1000, None, context=context)
                except RuntimeError as error:
                    errors.append((client.login, where, str(error)[:300]))
                    continue
                if not ids or not _read_list(
                        client, errors, where, model, ids, fields, context):
                    continue
                # the forms of the first tab's first records
                if 'form' in views and not index:
                    _open_forms(client, errors, where, model,
                        views['form'], ids[:FORMS_PER_LIST], context)


@pytest.fixture(scope='module')
def cross_branch_committee(server):
    """A large application of a head-office customer at the loan committee,
    the branch manager of the other branch among its members; return the
    step"""
    application, _, request = submit_application(
        server, 'loan_officer', '马志远', 'JY01', '520000.00', 12,
        'interest_monthly')
    return pass_risk_review(server, application, request['id'],
        '押品充足，同意提交审贷会。')['current_step']


@pytest.mark.parametrize('login,password', LOGINS)
def test_no_list_a_demo_user_reaches_shows_error(
        server, cross_branch_committee, login, password):
    client = Client(server, login, password)
    errors = []
    _sweep(client, errors)
    assert not errors, '\n'.join('%s: %s: %s' % e for e in errors)


def test_branch_manager_reads_the_committee_case_of_another_branch(
        server, cross_branch_committee):
    """The committee case of a head-office customer: the branch manager of
    the other branch is a member; he reads it in his pending list and its
    application, read only"""
    client = Client(server, 'branch_manager', dict(LOGINS)['branch_manager'])
    step, = client('model.microloan.approval.request.step.read',
        [cross_branch_committee], ['document', 'approvers', 'customer'])
    assert step['customer'] == '马志远'
    pending = client('model.microloan.approval.request.step.search',
        [('can_act', '=', True)], 0, None, None)
    assert cross_branch_committee in pending
    application = int(step['document'].split(',')[1])
    read, = client('model.microloan.application.read', [application],
        ['borrower.rec_name', 'branch.rec_name', 'product.rec_name'])
    assert read['borrower.']['rec_name'] == '马志远'
    assert read['branch.']['rec_name'].endswith('总部营业部')
    with pytest.raises(RuntimeError):
        client('model.microloan.application.write', [application],
            {'purpose_detail': '改动'})
    # of that branch, only the applications he decides or decided on
    uid = int(client.session.split(':')[1])
    others = client('model.microloan.application.search_read',
        [('branch.name', '=', '总部营业部'), ('id', '!=', application)],
        0, None, None, ['approval_users'])
    assert all(uid in a['approval_users'] for a in others), others
    every = client('model.microloan.application.search_count',
        [('branch.name', '=', '总部营业部')])
    admin = Client(server, 'admin', setup_demo.ADMIN_PASSWORD)
    assert every < admin('model.microloan.application.search_count',
        [('branch.name', '=', '总部营业部')])
