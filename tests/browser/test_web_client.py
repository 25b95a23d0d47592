# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The real web client (sao) in Debian's headless Chromium: the loan officer
logs in, in Chinese, and opens the suite's menu and its loans.

The screenshot is kept as var/test-artifacts/web-client-loan-officer.png.
"""
import time

import pytest

from ..conftest import ARTIFACTS, rpc, which_chromium
from ..demo import setup_demo
from ..test_rpc import _login

webdriver = pytest.importorskip('selenium.webdriver')
from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

TIMEOUT = 120


@pytest.fixture
def browser():
    chromium, chromedriver = which_chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in [
            '--headless=new', '--no-sandbox', '--disable-gpu',
            '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update',
            '--disable-sync', '--lang=zh-CN', '--window-size=1400,900']:
        options.add_argument(argument)
    options.add_experimental_option('prefs', {
            'intl.accept_languages': 'zh-CN,zh'})
    options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    service = webdriver.ChromeService(executable_path=chromedriver)
    driver = webdriver.Chrome(options=options, service=service)
    yield driver
    driver.quit()


@pytest.fixture
def screenshot_on_failure(browser, request):
    "Keep what the browser showed when the test failed"
    yield
    report = getattr(request.node, 'rep_call', None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(
            str(ARTIFACTS / 'web-client-failure.png'))
        (ARTIFACTS / 'web-client-failure.log').write_text('\n'.join(
                str(entry) for entry in browser.get_log('browser')))


def _customers_of(login):
    "The names of the demo customers of the loan officer login"
    return [name for name, _, _, officer
        in setup_demo.demo_customers.CUSTOMERS if officer == login]


def _visible(driver, by, value):
    return WebDriverWait(driver, TIMEOUT).until(
        EC.visibility_of_element_located((by, value)))


def _log_in(driver, server, login, password):
    """Log into the web client as login.

    The login dialog may still be drawing (it fetches the database list)
    when its field first shows, and a name entered then is lost: enter the
    name again until the client asks for the password."""
    driver.get(server['url'] + '#' + server['database'])

    def shown(driver):
        for selector in ['input[type="password"]', '#login']:
            for element in driver.find_elements(By.CSS_SELECTOR, selector):
                if element.is_displayed():
                    return element
        return False

    deadline = time.monotonic() + TIMEOUT
    while True:
        field = WebDriverWait(driver, TIMEOUT).until(shown)
        if field.get_attribute('type') == 'password':
            break
        if time.monotonic() > deadline:
            raise TimeoutException('the web client never asked a password')
        field.clear()
        field.send_keys(login, Keys.ENTER)
        try:
            WebDriverWait(driver, 10).until(EC.visibility_of_element_located(
                    (By.CSS_SELECTOR, 'input[type="password"]')))
        except TimeoutException:
            pass
    field.send_keys(password, Keys.ENTER)


# The rows of the list in the current tab once it has drawn every record the
# server counted: its record count reads "_/N" (or "k/N", never "k@m/N",
# which means more to load), N rows are drawn and no request is in progress.
# null while the list is still loading or drawing.
_DRAWN_ROWS = """
const tab = document.querySelector('#tabcontent .tab-pane.active');
const processing = document.getElementById('processing');
if (!tab || (processing && processing.offsetParent !== null)) {
    return null;
}
const badge = tab.querySelector('.navbar-text .badge');
const count = badge && /^[^@/]*\\/(\\d+)$/.exec(badge.textContent.trim());
const rows = Array.from(tab.querySelectorAll('.treeview tbody tr'))
    .filter(row => row.offsetParent !== null)
    .map(row => row.innerText);
return count && Number(count[1]) === rows.length ? rows : null;
"""


def _drawn_list(driver, *expected):
    """Wait until the list of the current tab has drawn all its records,
    among them a row showing each text of expected; return the rows' texts.

    Only then may a test assert that something is absent from the list:
    before, it may just not be drawn yet."""
    def complete(driver):
        rows = driver.execute_script(_DRAWN_ROWS)
        if rows and all(any(text in row for row in rows)
                for text in expected):
            return rows
        return False
    return WebDriverWait(driver, TIMEOUT).until(complete)


def _click_text(driver, text):
    "Click the visible element of the page whose own text is text"
    xpath = '//*[normalize-space(text())="%s"]' % text
    element = WebDriverWait(driver, TIMEOUT).until(
        EC.element_to_be_clickable((By.XPATH, xpath)))
    element.click()
    return element


def test_loan_officer_opens_microloan_menu_in_chinese(
        server, browser, screenshot_on_failure):
    login, _, _, password = setup_demo.USERS[0]
    assert login == 'loan_officer'
    _log_in(browser, server, login, password)

    # The suite's menu, in Chinese, then its lending menu (信贷管理) and
    # the loans (借据) list, drawn in full before the picture is taken.
    _click_text(browser, '小额贷款')
    _click_text(browser, '信贷管理')
    _click_text(browser, '借据')
    rows = _drawn_list(browser, 'JJ')

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
    _log_in(browser, server, login, password)

    _click_text(browser, '小额贷款')
    _click_text(browser, '客户管理')
    _click_text(browser, '客户信息')
    mine = _customers_of('loan_officer')
    rows = _drawn_list(browser, *mine)
    # his customers, all drawn, and nobody else's: not those of the other
    # branch's officer
    assert len(rows) == len(mine)
    assert '陈立新' in _customers_of('loan_officer_east')
    assert not any('陈立新' in row for row in rows)
    assert '陈立新' not in browser.find_element(By.TAG_NAME, 'body').text
    row = _visible(browser, By.XPATH,
        '//td[.//*[normalize-space(text())="孙建国"]]'
        ' | //td[normalize-space(text())="孙建国"]')
    webdriver.ActionChains(browser).double_click(row).perform()
    _click_text(browser, '客户档案')
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
    _log_in(browser, server, login, password)

    _click_text(browser, '小额贷款')
    _click_text(browser, '工作台')
    _click_text(browser, '我的待审批')
    # 郑丽华's application passed the risk review and waits for the
    # approver; the list is drawn in full before anything is said absent
    rows = _drawn_list(browser, '郑丽华')

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screenshot = ARTIFACTS / 'web-client-my-approvals.png'
    browser.save_screenshot(str(screenshot))
    # the draft application of 周晓梅 is not his to decide
    assert '周晓梅' in _customers_of('loan_officer')
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
    _log_in(browser, server, login, password)

    _click_text(browser, '小额贷款')
    _click_text(browser, '信贷管理')
    _click_text(browser, '业务受理')
    _drawn_list(browser, '周晓梅')
    row = _visible(browser, By.XPATH,
        '//td[.//*[normalize-space(text())="周晓梅"]]'
        ' | //td[normalize-space(text())="周晓梅"]')
    webdriver.ActionChains(browser).double_click(row).perform()
    # the amount's text shows until it is clicked, then its number input
    # takes the keys
    _visible(browser, By.XPATH,
        '//input[@name="amount"][@type="text"]').click()
    number = WebDriverWait(browser, TIMEOUT).until(
        lambda d: d.switch_to.active_element.get_attribute('type') == 'number'
        and d.switch_to.active_element)
    number.send_keys(Keys.CONTROL, 'a')
    number.send_keys(Keys.BACKSPACE, '0', Keys.TAB)
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
