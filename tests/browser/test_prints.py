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
    click_text, downloaded, drawn_list, log_in, open_row, print_report,
    save_picture, user)

# The demo's disbursed loan: its contract signed, 100,000.00 lent
BORROWER = '马志远'


def printed(browser, download_dir, name, artifact):
    """Print name from the form of the current tab; return the text of the
    PDF downloaded and keep a picture of its first page"""
    print_report(browser, name)
    path = downloaded(download_dir, '.pdf')
    content = path.read_bytes()
    assert content.startswith(b'%PDF')
    save_first_page(content, artifact)
    save_picture(browser, artifact + '-screen')
    return pdf_text(content)


def assert_chinese_print(text, title):
    assert english_words(text) == [], english_words(text)
    assert [l.strip() for l in text.splitlines()].count(title) == 1, text


def test_officer_prints_the_signed_contract(
        server, browser, download_dir, screenshot_on_failure):
    "The contract of the demo's disbursed loan, as its officer prints it"
    assert ensure_soffice()
    login, name, _, password = user('loan_officer')
    log_in(browser, server, login, password)
    click_text(browser, '小额贷款')
    click_text(browser, '信贷管理')
    click_text(browser, '借款合同')
    click_text(browser, '全部')
    drawn_list(browser, BORROWER)
    open_row(browser, BORROWER)
    text = printed(browser, download_dir, '借款合同', 'browser-print-contract')
    flat = compact(text)
    assert_chinese_print(text, '借款合同')
    for value in [BORROWER, '壹拾万元整', '¥100,000.00', '12.00%',
            setup_demo.COMPANY_NAME, '总部营业部面签室']:
        assert value in flat, value
    # signed: no draft watermark
    assert '草稿' not in flat


def test_officer_prints_the_loan_receipt(
        server, browser, download_dir, screenshot_on_failure):
    "The 借据 of the demo's disbursed loan"
    assert ensure_soffice()
    login, name, _, password = user('loan_officer')
    log_in(browser, server, login, password)
    click_text(browser, '小额贷款')
    click_text(browser, '信贷管理')
    click_text(browser, '借据')
    drawn_list(browser, BORROWER)
    open_row(browser, BORROWER)
    text = printed(browser, download_dir, '借据', 'browser-print-loan-receipt')
    flat = compact(text)
    assert_chinese_print(text, '借据')
    for value in [BORROWER, '人民币壹拾万元整', '¥100,000.00', '12.00%',
            '12个月', '借款人签字（捺印）']:
        assert value in flat, value
    assert '草稿' not in flat
