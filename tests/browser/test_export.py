# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Exports of the loan list (借据) through the web client, as the loan
officer makes them: the rows he ticks to Excel from the print menu, and a
CSV from the client's export dialog that Excel opens in Chinese.

Pictures: var/test-artifacts/export-loans-excel.png (the print menu) and
export-loans-dialog.png (the export dialog)."""
import codecs
import io
import re

import pytest

from ..conftest import rpc
from ..test_rpc import _login
from .web import (
    By, EC, TIMEOUT, WebDriverWait, click_text, downloaded, drawn_list, log_in,
    open_menu, save_picture, tab_toolbar, user, visible)

openpyxl = pytest.importorskip('openpyxl')

CJK = re.compile('[\u3400-\u9fff]')


def officer_loans(server):
    "The loans of the demo's loan officer, as he reads them"
    login, _, _, password = user('loan_officer')
    session, context = _login(server, login, password)
    return rpc(server, 'model.microloan.loan.search_read', [
            [], 0, None, [('number', 'ASC')], ['number', 'principal'],
            context], session=session)


def open_loans(browser, server, *numbers):
    "Log in as the loan officer and open 借据 drawn with the loans numbers"
    login, _, _, password = user('loan_officer')
    log_in(browser, server, login, password)
    open_menu(browser, '小额贷款', '信贷管理', '借据')
    drawn_list(browser, *numbers)


def tick(browser, text):
    "Tick the selection box of the row of the current list showing text"
    box = visible(browser, By.XPATH,
        '//div[@id="tabcontent"]/div[contains(@class, "tab-pane")'
        ' and contains(@class, "active")]'
        '//tr[td[normalize-space(.)="%s"]]'
        '/td[contains(@class, "selection-state")]/input' % text)
    box.click()
    WebDriverWait(browser, TIMEOUT).until(lambda d: box.is_selected())


def test_loan_officer_exports_ticked_loans_to_excel(
        server, browser, downloads, screenshot_on_failure):
    "The rows ticked in 借据, exported from the print menu, read back"
    loans = officer_loans(server)
    assert len(loans) > 3
    chosen = {loan['number']: loan for loan in loans[:3]}
    open_loans(browser, server, *chosen)
    for number in chosen:
        tick(browser, number)

    tab_toolbar(browser, 'button#print')
    visible(browser, By.XPATH, '//a[normalize-space(text())="导出Excel"]')
    save_picture(browser, 'export-loans-excel')
    click_text(browser, '导出Excel')
    path = downloaded(browser, downloads, '.xlsx')

    assert path.name.startswith('借据')
    sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    header, lines = rows[0], rows[1:]
    assert all(CJK.search(h) for h in header), header
    assert len(lines) == len(chosen)
    number, principal = header.index('借据号'), header.index('本金')
    assert {line[number] for line in lines} == set(chosen)
    for line in lines:
        loan = chosen[line[number]]
        assert isinstance(line[principal], (int, float))
        assert line[principal] == float(loan['principal']['decimal'])


def test_export_dialog_saves_csv_excel_reads_and_xlsx(
        server, browser, downloads, screenshot_on_failure):
    """The client's export dialog saves a CSV marked UTF-8 (另存为), that
    Excel reads in Chinese on any system, and the same fields as .xlsx"""
    loans = officer_loans(server)
    first = loans[0]
    open_loans(browser, server, first['number'])
    tick(browser, first['number'])

    tab_toolbar(browser, 'a.navbar-brand.dropdown-toggle')
    tab_toolbar(browser, 'a#export')
    save = WebDriverWait(browser, TIMEOUT).until(EC.element_to_be_clickable(
            (By.CSS_SELECTOR, '.modal-dialog button.btn-primary[type=submit]')))
    save_picture(browser, 'export-loans-dialog')
    save.click()
    path = downloaded(browser, downloads, '.csv')

    content = path.read_bytes()
    assert content.startswith(codecs.BOM_UTF8)
    lines = content[len(codecs.BOM_UTF8):].decode('utf-8').splitlines()
    header = lines[0].split(',')
    assert '借据号' in header and '本金' in header
    assert len(lines) == 2 and first['number'] in lines[1]

    visible(browser, By.CSS_SELECTOR, '.modal-dialog #export-excel').click()
    path = downloaded(browser, downloads, '.xlsx')
    sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == header
    assert len(rows) == 2
    line = dict(zip(rows[0], rows[1]))
    assert line['借据号'] == first['number']
    assert line['本金'] == float(first['principal']['decimal'])
