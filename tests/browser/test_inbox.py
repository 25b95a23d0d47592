# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Each role's home page and the inbox (我的待办) in the web client.

Every demo user logs in and lands on his role's home page (a picture of
it is kept as var/test-artifacts/home-<login>.png); a disbursement the
officer requests (through RPC, on a loan made for this test) is approved,
paid and re-checked by the approver, the cashier and the accountant, each
finding it in 我的待办, opening it in one click and pressing the button;
the cashier is notified that the payment waits."""
import pytest

from ..conftest import rpc
from ..demo import setup_demo
from ..test_rpc import _login
from .web import (
    TIMEOUT, By, Keys, WebDriverWait, click_in_tab, click_link, drawn_list,
    fill_many2one, log_in, log_out, notifications, open_menu, save_picture,
    user, visible)

# The panels of each role's home page, beside 我的待办
HOMES = {
    'loan_officer': ['各阶段申请金额', '我的客户'],
    'loan_officer_east': ['各阶段申请金额', '我的客户'],
    'risk_officer': ['我的待审批', '各阶段申请金额'],
    'approver': ['我的待审批', '各阶段申请金额'],
    'branch_manager': ['各阶段申请金额', '各状态放款金额'],
    'accountant': ['待复核付款', '各状态放款金额'],
    'accountant_review': ['待复核付款', '各状态放款金额'],
    'cashier': ['待付款项', '各状态放款金额'],
    }
LOGINS = [(u[0], u[3]) for u in setup_demo.USERS]


# The number of panels of the board of the current tab that show a list
# (its header drawn) or a chart
DRAWN_PANELS = """
const tab = document.querySelector('#tabcontent > .tab-pane.active');
return tab ? Array.from(tab.querySelectorAll('.panel'))
    .filter(panel => panel.querySelector('.treeview thead th, svg'))
    .length : 0;
"""


def panel_titles(driver):
    return driver.execute_script(
        'return Array.from(document.querySelectorAll('
        '"#tabcontent > .tab-pane.active .panel-heading"))'
        '.map(e => e.textContent.trim());')


@pytest.mark.parametrize('login,password', LOGINS)
def test_home_page_of_each_role(server, browser, screenshot_on_failure,
        login, password):
    "Login lands on the role's board: the inbox, his lists and charts"
    assert set(HOMES) == {login for login, _ in LOGINS}
    log_in(browser, server, login, password)
    WebDriverWait(browser, TIMEOUT).until(
        lambda d: set(['我的待办'] + HOMES[login]) <= set(panel_titles(d)))
    # each panel has drawn its list or its chart
    WebDriverWait(browser, TIMEOUT).until(lambda d: d.execute_script(
            DRAWN_PANELS) >= len(HOMES[login]) + 1)
    visible(browser, By.XPATH,
        '//div[@id="menu"]//*[normalize-space(text())="小额贷款"]')
    save_picture(browser, 'home-%s' % login)
    assert '首页' in browser.find_element(By.CSS_SELECTOR, '#tablist').text


def _decimal(value):
    return {'__class__': 'Decimal', 'decimal': value}


def _date(year, month, day):
    return {'__class__': 'date', 'year': year, 'month': month, 'day': day}


def requested_disbursement(server):
    """The loan officer makes a loan for 吴海峰 and requests its
    disbursement; return the disbursement's id and number"""
    login, _, _, password = user('loan_officer')
    session, context = _login(server, login, password)
    borrower, = rpc(server, 'model.party.party.search', [
            [('name', '=', '吴海峰')], 0, None, None, context],
        session=session)
    loan, = rpc(server, 'model.microloan.loan.create', [[{
                    'company': context['company'],
                    'borrower': borrower,
                    'principal': _decimal('30000.00'),
                    'annual_rate': _decimal('0.12'),
                    'start_date': _date(2026, 12, 20),
                    'method': 'equal_installment',
                    'basis': 'month',
                    'term_months': 6,
                    }], context], session=session)
    disbursement, = rpc(server, 'model.microloan.disbursement.create', [[{
                    'company': context['company'],
                    'loan': loan,
                    'amount': _decimal('30000.00'),
                    }], context], session=session)
    rpc(server, 'model.microloan.disbursement.request', [
            [disbursement], context], session=session)
    number, = rpc(server, 'model.microloan.disbursement.read', [
            [disbursement], ['number'], context], session=session)
    return disbursement, number['number']


def state_of(server, disbursement):
    login, _, _, password = user('accountant')
    session, context = _login(server, login, password)
    values, = rpc(server, 'model.microloan.disbursement.read', [
            [disbursement], ['state'], context], session=session)
    return values['state']


def open_from_inbox(driver, server, login, number):
    """Log in as login, open 我的待办, find the disbursement number there and
    open it in one click"""
    _, _, _, password = user(login)
    log_in(driver, server, login, password)
    open_menu(driver, '小额贷款', '工作台', '我的待办')
    drawn_list(driver, number)
    click_link(driver, number)
    # the disbursement's form, in a tab of its own
    visible(driver, By.XPATH,
        '//div[@id="tabcontent"]/div[contains(@class, "active")]'
        '//input[@name="payment_reference"]')


def press(driver, server, disbursement, button, state):
    "Press the button of the open form; wait for the disbursement's state"
    click_in_tab(driver, button)
    WebDriverWait(driver, TIMEOUT).until(
        lambda d: state_of(server, disbursement) == state)


def test_disbursement_steps_done_from_the_inbox(
        server, browser, screenshot_on_failure):
    "The approver, the cashier and the accountant each act from 我的待办"
    disbursement, number = requested_disbursement(server)

    open_from_inbox(browser, server, 'approver', number)
    save_picture(browser, 'inbox-approver-disbursement')
    press(browser, server, disbursement, '批准', 'approved')

    # the cashier is told that the payment waits, and pays it
    log_out(browser)
    _, _, _, password = user('cashier')
    log_in(browser, server, 'cashier', password)
    texts = notifications(browser)
    assert any('财务放款' in t and number in t for t in texts), texts
    save_picture(browser, 'inbox-cashier-notification')
    browser.find_element(By.TAG_NAME, 'body').send_keys(Keys.ESCAPE)
    open_menu(browser, '小额贷款', '工作台', '我的待办')
    drawn_list(browser, number)
    click_link(browser, number)
    tab = ('//div[@id="tabcontent"]/div[contains(@class, "active")]')
    fill_many2one(browser, 'fund_account', '工行朝阳支行基本户')
    date = visible(browser, By.XPATH,
        tab + '//input[@name="payment_date"][@type="text"]')
    date.click()
    date = browser.switch_to.active_element
    date.send_keys('2026-12-20', Keys.TAB)
    reference = visible(browser, By.XPATH,
        tab + '//input[@name="payment_reference"]')
    reference.send_keys('YH20261220-INBOX', Keys.TAB)
    save_picture(browser, 'inbox-cashier-payment')
    press(browser, server, disbursement, '财务放款', 'paid')

    # the cashier's notification is gone once the payment is made
    login, _, _, password = user('cashier')
    session, context = _login(server, login, password)
    texts = [n['label'] for n in rpc(server, 'model.res.notification.get',
            [10, context], session=session)]
    assert not any(number in t for t in texts), texts
    log_out(browser)
    open_from_inbox(browser, server, 'accountant', number)
    press(browser, server, disbursement, '放款复核', 'checked')
    save_picture(browser, 'inbox-accountant-rechecked')
