# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The contract of an approved application, through the screens: the loan
officer draws it up from the application and submits it for review; the
risk officer finds it in 我的待办 and passes the review; the officer finds
it in his 我的待办, prints it (草稿 across its pages until it is signed),
records the face-sign and prints it again, signed.

The face-sign photo is attached over RPC (the upload through the client's
attachment dialog is not driven here).  Pictures:
var/test-artifacts/contract-*.png and browser-print-contract-*.png."""
import base64

from trytond.modules.microloan_core.tests.report_tools import (
    compact, ensure_soffice, pdf_text, save_first_page)

from ..demo import setup_demo
from ..origination import call, decide_to_the_end, submit_application
from .web import (
    TIMEOUT, WebDriverWait, choose_record, click_button, click_link,
    click_text, downloaded, drawn_list, field, form_shows, list_tab, log_in,
    log_out, open_menu, open_row, print_report, save_picture, type_in, user)

BORROWER = '周晓梅'


def contract_of(server, application):
    "The contract (id, number, state) drawn up from the application"
    contracts = call(server, 'loan_officer',
        'model.microloan.contract.search_read',
        [('application', '=', application)], 0, None, None,
        ['number', 'state'])
    return contracts[0] if contracts else None


def wait_state(server, application, state):
    "Wait until the application's contract is in state; return it"
    return WebDriverWait(None, TIMEOUT, poll_frequency=1).until(
        lambda _: (contract := contract_of(server, application))
        and contract['state'] == state and contract)


def open_from_inbox(browser, server, login, number):
    "Log in as login and open the document number from 我的待办"
    log_in(browser, server, login, user(login)[3])
    open_menu(browser, '小额贷款', '工作台', '我的待办')
    drawn_list(browser, number)
    click_link(browser, number)
    form_shows(browser, number)


def print_contract(browser, downloads, artifact):
    "Print the contract of the form in front; return the PDF's text"
    for old in downloads.glob('*'):
        old.unlink()
    print_report(browser, '借款合同')
    content = downloaded(browser, downloads, '.pdf').read_bytes()
    assert content.startswith(b'%PDF')
    save_first_page(content, artifact)
    return compact(pdf_text(content))


def test_contract_reviewed_printed_and_signed(
        server, browser, downloads, screenshot_on_failure):
    assert ensure_soffice()
    application, number, request = submit_application(
        server, 'loan_officer', BORROWER, 'XF01', '40000.00')
    assert decide_to_the_end(server, request['id'], '同意。') == 'approved'
    officer = user('loan_officer')

    # the officer draws the contract up from the application and submits it
    log_in(browser, server, officer[0], officer[3])
    open_menu(browser, '小额贷款', '信贷管理', '业务受理')
    list_tab(browser, '全部', number)
    open_row(browser, number)
    form_shows(browser, number)
    click_button(browser, 'create_contract')
    contract = wait_state(server, application, 'draft')
    form_shows(browser, contract['number'])
    click_button(browser, 'submit')
    wait_state(server, application, 'reviewing')
    save_picture(browser, 'contract-submitted')
    log_out(browser)

    # the risk officer passes the review from his inbox
    open_from_inbox(browser, server, 'risk_officer', contract['number'])
    save_picture(browser, 'contract-review')
    click_button(browser, 'review')
    wait_state(server, application, 'reviewed')
    log_out(browser)

    # the officer prints it (a draft still), records the face-sign, prints
    open_from_inbox(browser, server, 'loan_officer', contract['number'])
    draft = print_contract(browser, downloads,
        'browser-print-contract-reviewed')
    assert '草稿' in draft
    assert BORROWER in draft and '肆万元整' in draft, draft
    click_text(browser, '签约面签')
    type_in(browser, 'sign_place', '总部营业部面签室', 'input')
    field(browser, 'sign_date', 'input').send_keys('=')
    choose_record(browser, 'witness', officer[1])
    photo = setup_demo.demo_origination.png_photo()
    call(server, 'loan_officer', 'model.ir.attachment.create', [{
                'name': '面签照片.png',
                'resource': 'microloan.contract,%s' % contract['id'],
                'type': 'data',
                'data': {'__class__': 'bytes',
                    'base64': base64.b64encode(photo).decode()},
                }])
    click_button(browser, 'sign')
    wait_state(server, application, 'signed')
    save_picture(browser, 'contract-signed')
    signed = print_contract(browser, downloads,
        'browser-print-contract-signed')
    assert '草稿' not in signed
    for value in [BORROWER, '总部营业部面签室', setup_demo.COMPANY_NAME]:
        assert value in signed, value

    # the contract left his inbox once signed (as he finds it next time)
    log_out(browser)
    log_in(browser, server, officer[0], officer[3])
    open_menu(browser, '小额贷款', '工作台', '我的待办')
    rows = drawn_list(browser)
    assert not any(contract['number'] in row for row in rows), rows
