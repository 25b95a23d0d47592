# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The steps a person takes in the web client (log in, open a
menu entry, wait for a list to be drawn, open a row)."""
import time

import pytest

from ..conftest import ARTIFACTS
from ..demo import setup_demo

webdriver = pytest.importorskip('selenium.webdriver')
from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

TIMEOUT = 120


def customers_of(login):
    "The names of the demo customers of the loan officer login"
    return [name for name, _, _, officer
        in setup_demo.demo_customers.CUSTOMERS if officer == login]


def visible(driver, by, value):
    return WebDriverWait(driver, TIMEOUT).until(
        EC.visibility_of_element_located((by, value)))


def log_in(driver, server, login, password):
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
DRAWN_ROWS = """
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


def drawn_list(driver, *expected):
    """Wait until the list of the current tab has drawn all its records,
    among them a row showing each text of expected; return the rows' texts.

    Only then may a test assert that something is absent from the list:
    before, it may just not be drawn yet."""
    def complete(driver):
        rows = driver.execute_script(DRAWN_ROWS)
        if rows and all(any(text in row for row in rows)
                for text in expected):
            return rows
        return False
    return WebDriverWait(driver, TIMEOUT).until(complete)


def click_text(driver, text):
    "Click the visible element of the page whose own text is text"
    xpath = '//*[normalize-space(text())="%s"]' % text
    element = WebDriverWait(driver, TIMEOUT).until(
        EC.element_to_be_clickable((By.XPATH, xpath)))
    element.click()
    return element


def open_row(driver, text):
    "Open (double-click) the row of the current list showing text"
    row = visible(driver, By.XPATH,
        '//td[.//*[normalize-space(text())="%s"]]'
        ' | //td[normalize-space(text())="%s"]' % (text, text))
    webdriver.ActionChains(driver).double_click(row).perform()
    return row


def user(login):
    "The demo user (login, name, groups, password) of login"
    return [u for u in setup_demo.USERS if u[0] == login][0]


def save_picture(driver, name):
    "Keep what the browser shows as var/test-artifacts/<name>.png"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / ('%s.png' % name)
    driver.save_screenshot(str(path))
    return path


# The element of the page a person acts on now: the dialog on top when one
# is open, else the current tab
IN_FRONT = """
const dialogs = Array.from(document.querySelectorAll('.modal-dialog'))
    .filter(d => d.offsetParent !== null);
return dialogs.length ? dialogs[dialogs.length - 1]
    : document.querySelector('#tabcontent > .tab-pane.active');
"""


def in_front(driver):
    "The open dialog on top, else the current tab"
    return WebDriverWait(driver, TIMEOUT).until(
        lambda d: d.execute_script(IN_FRONT))


def click_button(driver, name):
    """Click the button name (its method or wizard state) of the dialog on
    top, else of the current tab, once it can be clicked"""
    def clickable(driver):
        for button in in_front(driver).find_elements(
                By.CSS_SELECTOR, 'button[name="%s"]' % name):
            if button.is_displayed() and button.is_enabled():
                return button
        return False
    button = WebDriverWait(driver, TIMEOUT).until(clickable)
    button.click()
    return button


def field(driver, name, tag='*'):
    "The visible input (or tag) of the field name in front"
    def shown(driver):
        for element in in_front(driver).find_elements(
                By.CSS_SELECTOR, '%s[name="%s"]' % (tag, name)):
            if element.is_displayed():
                return element
        return False
    return WebDriverWait(driver, TIMEOUT).until(shown)


def type_in(driver, name, text, tag='*'):
    "Type text into the field name in front and leave it (tab)"
    element = field(driver, name, tag)
    element.click()
    element.send_keys(Keys.CONTROL, 'a')
    element.send_keys(Keys.BACKSPACE, text, Keys.TAB)
    return element


def message_shown(driver, text):
    "Wait for a dialog saying text; return its text"
    return WebDriverWait(driver, TIMEOUT).until(
        lambda d: next((e.text for e in d.find_elements(
                        By.CSS_SELECTOR, '.modal-dialog')
                    if e.is_displayed() and text in e.text), False))


def choose(driver, name, text):
    """Choose the record text in the many-to-one field name in front: type
    it and leave the field; where the client asks which record, pick it in
    the search dialog"""
    element = type_in(driver, name, text)

    def chosen(driver):
        dialogs = [d for d in driver.find_elements(
                By.CSS_SELECTOR, '.modal-dialog') if d.is_displayed()]
        if dialogs and text in dialogs[-1].text:
            row = dialogs[-1].find_element(By.XPATH,
                './/td[.//*[normalize-space(text())="%s"]]'
                ' | .//td[normalize-space(text())="%s"]' % (text, text))
            webdriver.ActionChains(driver).double_click(row).perform()
            return False
        return not dialogs and element.get_attribute('value') == text
    WebDriverWait(driver, TIMEOUT, poll_frequency=1).until(chosen)
    return element


def click_dialog_button(driver, text):
    "Click the button of the dialog on top labelled text (a wizard's)"
    def clickable(driver):
        dialogs = [d for d in driver.find_elements(
                By.CSS_SELECTOR, '.modal-dialog') if d.is_displayed()]
        if not dialogs:
            return False
        for button in dialogs[-1].find_elements(By.TAG_NAME, 'button'):
            if (button.text.strip() == text and button.is_displayed()
                    and button.is_enabled()):
                return button
        return False
    button = WebDriverWait(driver, TIMEOUT).until(clickable)
    button.click()
    return button
