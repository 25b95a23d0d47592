# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The Excel export of the loan list (借据) over JSON-RPC, as the web client
runs it from the list's print menu in a Chinese session."""
import base64
import io
import re

import pytest

from .conftest import rpc
from .demo import setup_demo
from .test_rpc import _login

openpyxl = pytest.importorskip('openpyxl')

CJK = re.compile('[\u3400-\u9fff]')
PASSWORDS = {login: password for login, _, _, password in setup_demo.USERS}


def print_action(server, session, context, model, name):
    "The action of the print menu of model's list named name"
    toolbar = rpc(server, 'model.%s.view_toolbar_get' % model, [context],
        session=session)
    action, = [a for a in toolbar['print'] if a['name'] == name]
    return action


def run_report(server, session, context, action, model, ids):
    "Run the report action on ids as the web client does; return the file"
    data = {'model': model, 'id': ids[0], 'ids': ids,
        'action_id': action['id']}
    ext, content, _, name = rpc(server,
        'report.%s.execute' % action['report_name'],
        [ids, data, dict(context, direct_print=False)], session=session)
    return ext, base64.b64decode(content['base64']), name


def test_loan_officer_exports_selected_loans_to_excel(server):
    "借据 selected by the officer: Chinese headers, numeric amounts"
    session, context = _login(server, 'loan_officer',
        PASSWORDS['loan_officer'])
    assert context['language'] == 'zh_CN'
    loans = rpc(server, 'model.microloan.loan.search_read', [
            [], 0, None, [('number', 'DESC')],
            ['number', 'principal', 'borrower.rec_name'], context],
        session=session)
    assert len(loans) >= 3
    selected = loans[:-1]
    action = print_action(
        server, session, context, 'microloan.loan', '导出Excel')

    ext, content, name = run_report(server, session, context, action,
        'microloan.loan', [loan['id'] for loan in selected])

    assert ext == 'xlsx'
    assert name.startswith('借据')
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, lines = rows[0], rows[1:]
    assert all(CJK.search(h) for h in header), header
    assert len(lines) == len(selected)
    number, principal = header.index('借据号'), header.index('本金')
    for loan, line in zip(selected, lines):
        assert line[number] == loan['number']
        assert isinstance(line[principal], (int, float))
        assert line[principal] == float(loan['principal']['decimal'])
        assert line[header.index('借款人')] == loan['borrower.']['rec_name']
    cell = sheet.cell(2, principal + 1)
    assert cell.data_type == 'n' and cell.number_format == '#,##0.00'


def test_export_refuses_loans_the_user_may_not_read(server):
    "An officer of the east branch cannot export the west officer's loans"
    west, west_context = _login(server, 'loan_officer',
        PASSWORDS['loan_officer'])
    east, context = _login(server, 'loan_officer_east',
        PASSWORDS['loan_officer_east'])
    theirs = rpc(server, 'model.microloan.loan.search', [
            [], 0, None, None, west_context], session=west)
    mine = rpc(server, 'model.microloan.loan.search', [
            [], 0, None, None, context], session=east)
    others = sorted(set(theirs) - set(mine))
    assert others
    action = print_action(
        server, east, context, 'microloan.loan', '导出Excel')
    with pytest.raises(RuntimeError) as refusal:
        run_report(server, east, context, action, 'microloan.loan', others)
    assert '您无权读取借据的记录' in str(refusal.value)
