# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The ledger in the web client, in Chinese (docs/accounting.md,
Vouchers): the accountant opens 小额贷款 › 财务管理 › 凭证, opens the
voucher the other accountant prepared and reviews it (审核); the cashier
signs it (出纳签字); the accountant then reads the company's balance sheet
(资产负债表) and income statement (利润表) under 财务 › 报告, on the
Chinese chart's items.

Pictures: var/test-artifacts/ledger-voucher-reviewed.png,
ledger-voucher-signed.png, ledger-balance-sheet.png and
ledger-income-statement.png."""
import time

from ..origination import call
from .web import (
    TIMEOUT, By, StaleElementReferenceException, WebDriverWait,
    click_button, drawn_list, list_tab, log_in, log_out, open_menu,
    open_row, save_picture, shown_text, user, webdriver)

VOUCHERS = ['小额贷款', '财务管理', '凭证']
BALANCE_SHEET = ['财务', '报告', '资产负债表']
INCOME_STATEMENT = ['财务', '报告', '利润表']

# Click the expander of the row of the current tab's tree whose first
# shown cell reads arguments[0] (exactly); true once clicked
EXPAND_ROW = """
const tab = document.querySelector('#tabcontent > .tab-pane.active');
if (!tab) {
    return false;
}
for (const row of tab.querySelectorAll('.treeview tbody tr')) {
    if (row.offsetParent === null) {
        continue;
    }
    const cells = Array.from(row.querySelectorAll('td'))
        .filter(c => c.innerText.trim());
    if (cells.length && cells[0].innerText.trim() === arguments[0]) {
        const expander = row.querySelector('.expander');
        if (expander) {
            expander.click();
            return true;
        }
    }
}
return false;
"""


def _voucher(server):
    """The demo's voucher prepared by the second accountant, waiting; its
    row in the list shows its origin (a repayment: numbered only when
    posted, the voucher shows no number yet)"""
    move, = call(server, 'admin', 'model.account.move.search_read',
        [('voucher_state', '=', 'draft'),
            ('prepared_user.login', '=', 'accountant_review')],
        0, None, None, ['origin.rec_name', 'needs_signature', 'date'])
    assert move['needs_signature']
    move['shown'] = move['origin.']['rec_name']
    date = move['date']
    move['day'] = '%04d-%02d-%02d' % (date['year'], date['month'],
        date['day'])
    return move


def _voucher_state(server, move):
    "The voucher_state of move read back from the server"
    record, = call(server, 'admin', 'model.account.move.read',
        [move['id']], ['voucher_state', 'reviewed_user.login',
            'signed_user.login'])
    return record


def _wait_state(server, move, state):
    "Wait until the server says move is in state; return the record"
    deadline = time.monotonic() + TIMEOUT
    while True:
        record = _voucher_state(server, move)
        if record['voucher_state'] == state or time.monotonic() > deadline:
            return record
        time.sleep(1)


def _open_row_of_day(browser, day, label):
    """Open (double-click on its date) the row of the current list dated
    day whose voucher state reads label"""
    def opened(driver):
        for row in driver.find_elements(By.CSS_SELECTOR,
                '#tabcontent > .tab-pane.active .treeview tbody tr'):
            if not row.is_displayed():
                continue
            cells = [c for c in row.find_elements(By.TAG_NAME, 'td')
                if c.is_displayed()]
            texts = [c.text.strip() for c in cells]
            if day in texts and label in texts:
                webdriver.ActionChains(driver).double_click(
                    cells[texts.index(day)]).perform()
                return True
        return False
    WebDriverWait(browser, TIMEOUT, ignored_exceptions=[
            StaleElementReferenceException]).until(opened)


def _expand(browser, *names):
    "Expand the rows names of the current tree, one after the other"
    for name in names:
        WebDriverWait(browser, TIMEOUT).until(
            lambda d: d.execute_script(EXPAND_ROW, name))


def _shows(browser, *texts):
    "Wait until the page shows every text"
    WebDriverWait(browser, TIMEOUT).until(
        lambda d: all(t in shown_text(d) for t in texts))


def test_voucher_reviewed_signed_and_statements(
        server, browser, screenshot_on_failure):
    move = _voucher(server)

    # 审核 by the accountant who did not prepare it
    login, _, _, password = user('accountant')
    log_in(browser, server, login, password)
    open_menu(browser, *VOUCHERS)
    list_tab(browser, '已制单', move['shown'])
    open_row(browser, move['shown'])
    click_button(browser, 'voucher_review')
    record = _wait_state(server, move, 'reviewed')
    assert record['voucher_state'] == 'reviewed'
    assert record['reviewed_user.']['login'] == 'accountant'
    save_picture(browser, 'ledger-voucher-reviewed')
    log_out(browser)

    # 出纳签字 by the cashier
    login, _, _, password = user('cashier')
    log_in(browser, server, login, password)
    open_menu(browser, *VOUCHERS)
    # the cashier's list shows no origin: the row of the voucher's day
    # reviewed but not signed (the demo has one other, of another day)
    list_tab(browser, '已审核', move['day'])
    _open_row_of_day(browser, move['day'], '已审核')
    click_button(browser, 'voucher_sign')
    record = _wait_state(server, move, 'signed')
    assert record['voucher_state'] == 'signed'
    assert record['signed_user.']['login'] == 'cashier'
    save_picture(browser, 'ledger-voucher-signed')
    log_out(browser)

    # the statements of the Chinese chart, as the accountant reads them
    login, _, _, password = user('accountant')
    log_in(browser, server, login, password)
    open_menu(browser, *BALANCE_SHEET)
    drawn_list(browser, '资产', '负债和所有者权益')
    _expand(browser, '资产', '负债和所有者权益')
    _shows(browser, '资产', '负债和所有者权益', '发放贷款和垫款',
        '现金及银行存款', '所有者权益')
    save_picture(browser, 'ledger-balance-sheet')

    open_menu(browser, *INCOME_STATEMENT)
    drawn_list(browser, '净利润')
    _expand(browser, '净利润')
    _shows(browser, '净利润', '利润总额')
    save_picture(browser, 'ledger-income-statement')
