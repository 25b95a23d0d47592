# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The real web client (sao) in Debian's headless Chromium: the loan officer
logs in, in Chinese, and opens the suite's menu and its loans.

The screenshot is kept as var/test-artifacts/web-client-loan-officer.png.
"""

from ..conftest import ARTIFACTS, rpc
from ..demo import setup_demo
from ..test_rpc import _login
from .web import (
    By, Keys, TIMEOUT, WebDriverWait, click_text, customers_of, drawn_list,
    log_in, open_menu, open_row, type_number)


def test_loan_officer_opens_microloan_menu_in_chinese(
        server, browser, screenshot_on_failure):
    login, _, _, password = setup_demo.USERS[0]
    assert login == 'loan_officer'
    log_in(browser, server, login, password)

    # The suite's menu, in Chinese, then its lending menu (信贷管理) and
    # the loans (借据) list, drawn in full before the picture is taken.
    open_menu(browser, '小额贷款', '信贷管理', '借据')
    rows = drawn_list(browser, 'JJ')

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screenshot = ARTIFACTS / 'web-client-loan-officer.png'
    browser.save_screenshot(str(screenshot))

    # every row is a loan (借据 numbers start with JJ), the historical loans
    # of the demo among them
    assert all(row.split()[0].startswith('JJ') for row in rows), rows
    assert len(rows) >= len(setup_demo.LOANS)
    body = browser.find_element(By.TAG_NAME, 'body').text
    assert '王敏' in body  # the loan officer's name in the header
    assert screenshot.stat().st_size > 10000


def test_loan_officer_opens_a_customer_file(
        server, browser, screenshot_on_failure):
    "The officer lists his customers only and opens one's file"
    login, _, _, password = setup_demo.USERS[0]
    log_in(browser, server, login, password)

    open_menu(browser, '小额贷款', '客户管理', '客户信息')
    mine = customers_of('loan_officer')
    rows = drawn_list(browser, *mine)
    # his customers, all drawn, and nobody else's: not those of the other
    # branch's officer
    assert len(rows) == len(mine)
    assert '陈立新' in customers_of('loan_officer_east')
    assert not any('陈立新' in row for row in rows)
    assert '陈立新' not in browser.find_element(By.TAG_NAME, 'body').text
    open_row(browser, '孙建国')
    click_text(browser, '客户档案')
    # the resident ID of the file, in its read-only field
    WebDriverWait(browser, TIMEOUT).until(lambda d: d.execute_script(
            'return Array.from(document.querySelectorAll("input")).some('
            'e => e.value == "110105198003120016");'))

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screenshot = ARTIFACTS / 'web-client-customer-file.png'
    browser.save_screenshot(str(screenshot))
    body = browser.find_element(By.TAG_NAME, 'body').text
    for text in ['客户类型', '客户经理', '王敏', '总部营业部', '出生日期',
            '关联关系', '档案完整度']:
        assert text in body, text


def test_approver_finds_his_pending_approvals_on_the_workbench(
        server, browser, screenshot_on_failure):
    "The approver's 我的待审批 lists the application waiting for him"
    login, _, _, password = [
        u for u in setup_demo.USERS if u[0] == 'approver'][0]
    log_in(browser, server, login, password)

    open_menu(browser, '小额贷款', '工作台', '我的待审批')
    # 郑丽华's application passed the risk review and waits for the
    # approver; the list is drawn in full before anything is said absent
    rows = drawn_list(browser, '郑丽华')

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screenshot = ARTIFACTS / 'web-client-my-approvals.png'
    browser.save_screenshot(str(screenshot))
    # the draft application of 周晓梅 is not his to decide
    assert '周晓梅' in customers_of('loan_officer')
    assert not any('周晓梅' in row for row in rows)
    assert '周晓梅' not in browser.find_element(By.TAG_NAME, 'body').text


def test_loan_officer_is_refused_a_zero_amount_in_chinese(
        server, browser, screenshot_on_failure):
    """The officer types a zero amount on his draft application and saves:
    the client shows the suite's refusal in Chinese and nothing is saved"""
    login, _, _, password = setup_demo.USERS[0]
    session, context = _login(server, login, password)
    draft, = rpc(server, 'model.microloan.application.search_read', [
            [('state', '=', 'draft'), ('borrower.name', '=', '周晓梅')],
            0, None, None, ['amount'], context], session=session)
    log_in(browser, server, login, password)

    open_menu(browser, '小额贷款', '信贷管理', '业务受理')
    drawn_list(browser, '周晓梅')
    open_row(browser, '周晓梅')
    type_number(browser, 'amount', '0')
    browser.switch_to.active_element.send_keys(Keys.CONTROL, 's')
    refusal = WebDriverWait(browser, TIMEOUT).until(
        lambda d: [e.text for e in d.find_elements(
                By.CSS_SELECTOR, '.modal-dialog') if '必须大于零' in e.text])

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / 'web-client-zero-amount.png'))
    assert '申请金额' in refusal[0], refusal
    assert 'must be' not in refusal[0] and 'not valid' not in refusal[0]
    after, = rpc(server, 'model.microloan.application.read', [
            [draft['id']], ['amount'], context], session=session)
    assert after['amount'] == draft['amount']
