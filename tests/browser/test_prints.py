# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The prints as a counter gets them: a user opens a document in the web
client, presses the print (打印) toolbar button and chooses the print; the
PDF the browser downloads is read back (pdftotext) and its first page kept
as var/test-artifacts/browser-print-<document>.png."""

from trytond.modules.microloan_core.tests.report_tools import (
    compact, english_words, ensure_soffice, pdf_text, save_first_page)

from ..demo import setup_demo
from .web import (
    downloaded, drawn_list, form_shows, list_tab, log_in, open_menu, open_row,
    print_report, save_picture, user)

# The demo's disbursed loan: its contract signed, 100,000.00 lent
BORROWER = '马志远'


def print_from_form(browser, server, downloads, menu, report,
        artifact):
    """As the loan officer, open the document of BORROWER from the list
    menu (its entries, then the tab when given), print report from its form;
    return the text of the PDF downloaded and keep a picture of its first
    page and of the screen"""
    assert ensure_soffice()
    login, _, _, password = user('loan_officer')
    log_in(browser, server, login, password)
    open_menu(browser, *menu[:3])
    for tab in menu[3:]:
        list_tab(browser, tab)
    drawn_list(browser, BORROWER)
    open_row(browser, BORROWER)
    form_shows(browser, BORROWER)
    print_report(browser, report)
    path = downloaded(browser, downloads, '.pdf')
    content = path.read_bytes()
    assert content.startswith(b'%PDF')
    save_first_page(content, artifact)
    save_picture(browser, artifact + '-screen')
    text = pdf_text(content)
    # Chinese only, the title once
    assert english_words(text) == [], english_words(text)
    assert [l.strip() for l in text.splitlines()].count(report) == 1, text
    return text


def test_officer_prints_the_signed_contract(
        server, browser, downloads, screenshot_on_failure):
    "The contract of the demo's disbursed loan, as its officer prints it"
    text = print_from_form(browser, server, downloads,
        ['小额贷款', '信贷管理', '借款合同', '全部'], '借款合同',
        'browser-print-contract')
    flat = compact(text)
    bank, account = setup_demo.demo_customers.BANK_ACCOUNTS[BORROWER]
    for value in [BORROWER, '壹拾万元整', '¥100,000.00', '12.00%', bank,
            account, setup_demo.COMPANY_NAME, setup_demo.COMPANY_USCC,
            compact(setup_demo.COMPANY_ADDRESS), setup_demo.COMPANY_PHONE,
            '总部营业部面签室']:
        assert value in flat, value
    # signed: no draft watermark
    assert '草稿' not in flat


def test_officer_prints_the_loan_receipt(
        server, browser, downloads, screenshot_on_failure):
    "The 借据 of the demo's disbursed loan"
    text = print_from_form(browser, server, downloads,
        ['小额贷款', '信贷管理', '借据'], '借据', 'browser-print-loan-receipt')
    flat = compact(text)
    bank, account = setup_demo.demo_customers.BANK_ACCOUNTS[BORROWER]
    for value in [BORROWER, '人民币壹拾万元整', '¥100,000.00', '12.00%',
            '12个月', '借款人签字（捺印）', bank, account]:
        assert value in flat, value
    assert '草稿' not in flat
