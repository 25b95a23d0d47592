# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The steps a person takes in the web client (log in, open a
menu entry, wait for a list to be drawn, open a row, print the record)."""
import time

import pytest

from ..conftest import ARTIFACTS
from ..demo import setup_demo

webdriver = pytest.importorskip('selenium.webdriver')
from selenium.common.exceptions import (  # noqa: E402
    ElementClickInterceptedException, ElementNotInteractableException,
    StaleElementReferenceException, TimeoutException)
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
    """The first element of the locator the page shows (a tab behind the
    current one, such as the home page, may hold hidden ones first)"""
    def shown(driver):
        for element in driver.find_elements(by, value):
            try:
                if element.is_displayed():
                    return element
            except StaleElementReferenceException:
                pass
        return False
    return WebDriverWait(driver, TIMEOUT).until(shown)


def shown_dialogs(driver):
    "The dialogs the page shows, the one on top last"
    return [d for d in driver.find_elements(By.CSS_SELECTOR, '.modal-dialog')
        if d.is_displayed()]


def click_until(element, done, seconds):
    """Click element, then give the client seconds to make done() true (a
    click it takes before it is ready is lost); tell if it did"""
    element.click()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.5)
        if done():
            return True
    return False


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
const tab = document.querySelector('#tabcontent > .tab-pane.active');
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
    """Wait until the list of the current tab has drawn all its records
    (none, maybe), among them a row showing each text of expected; return
    the rows' texts.

    Only then may a test assert that something is absent from the list:
    before, it may just not be drawn yet."""
    def complete(driver):
        rows = driver.execute_script(DRAWN_ROWS)
        if rows is not None and all(any(text in row for row in rows)
                for text in expected):
            return [rows]
        return False
    rows, = WebDriverWait(driver, TIMEOUT).until(complete)
    return rows


# The tab of the current list's filter (its tab domain) named by
# arguments[0]: "active" once shown, else clicked now and "clicked"; null
# while the list has no such tab drawn
LIST_TAB = """
const tab = document.querySelector('#tabcontent > .tab-pane.active');
if (!tab) {
    return null;
}
for (const link of tab.querySelectorAll('.tab-domain .nav-tabs a')) {
    if (link.firstChild && link.firstChild.textContent.trim() === arguments[0]
            && link.offsetParent !== null) {
        if (link.parentElement.classList.contains('active')) {
            return 'active';
        }
        link.click();
        return 'clicked';
    }
}
return null;
"""


def list_tab(driver, name, *expected):
    """Show the tab name of the current list (its filter's tabs, such as
    全部) once the list has drawn, until it is the active one, and wait for
    its rows (among them a row showing each text of expected); return them.

    A tab clicked while the list still loads its first tab's rows may be
    set back by the client, hence the wait for the list first and the
    click again until the tab stays."""
    drawn_list(driver)

    def shown(driver):
        state = driver.execute_script(LIST_TAB, name)
        if state == 'active':
            return True
        if state == 'clicked':
            time.sleep(1)
        return False
    WebDriverWait(driver, TIMEOUT).until(shown)
    return drawn_list(driver, *expected)


def click_text(driver, text):
    """Click the element of the page whose own text is text: the menu's
    entry when the menu shows one (the home page may show a panel of the
    same name), else the first one shown; again while it cannot take the
    click yet (a drop-down still opening)"""
    xpath = '//*[normalize-space(text())="%s"]' % text

    def clicked(driver):
        for element in (driver.find_elements(By.XPATH, '//*[@id="menu"]'
                    + xpath) + driver.find_elements(By.XPATH, xpath)):
            try:
                if element.is_displayed() and element.is_enabled():
                    element.click()
                    return element
            except (StaleElementReferenceException,
                    ElementNotInteractableException,
                    ElementClickInterceptedException):
                return False
        return False
    return WebDriverWait(driver, TIMEOUT).until(clicked)


def open_row(driver, text):
    """Open (double-click) the row of the current tab's list showing text,
    on a cell with neither a link (it opens the record it names) nor a
    button: the cell of text when it is such a cell"""
    def opened(driver):
        row = row_of(driver, text)
        cells = [c for c in row.find_elements(By.XPATH,
                './td[not(.//a) and not(.//button)][normalize-space(.)]')
            if c.is_displayed()]
        cells.sort(key=lambda c: text not in c.text)
        webdriver.ActionChains(driver).double_click(
            cells[0] if cells else row).perform()
        return row
    return WebDriverWait(driver, TIMEOUT, ignored_exceptions=[
            StaleElementReferenceException]).until(opened)


def user(login):
    "The demo user (login, name, groups, password) of login"
    return [u for u in setup_demo.USERS if u[0] == login][0]


def downloaded(driver, folder, suffix):
    """Wait until the browser has saved in folder a whole file whose name
    ends with suffix; return its path"""
    def saved(driver):
        partial = list(folder.glob('*.crdownload'))
        files = [f for f in folder.glob('*' + suffix) if f.stat().st_size]
        return not partial and files and files[0]
    return WebDriverWait(driver, TIMEOUT).until(saved)


def tab_toolbar(driver, selector):
    "Click the element of selector in the toolbar of the current tab"
    element = WebDriverWait(driver, TIMEOUT).until(
        EC.element_to_be_clickable((By.CSS_SELECTOR,
                '#tabcontent > .tab-pane.active ' + selector)))
    element.click()
    return element


def save_picture(driver, name):
    "Keep what the browser shows as var/test-artifacts/<name>.png"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / ('%s.png' % name)
    driver.save_screenshot(str(path))
    return path


def log_out(driver):
    """Log out of the web client (closing its tabs when it asks): its
    session ends, the next log_in starts anew"""
    driver.execute_script('Sao.logout();')

    def logged_out(driver):
        for button in driver.find_elements(By.XPATH,
                '//div[contains(@class, "modal-dialog")]'
                '//button[normalize-space(.)="确定"]'):
            if button.is_displayed():
                button.click()
        return not driver.execute_script(
            'return Object.keys(localStorage).some('
            'k => k.startsWith("sao_session_"));')
    WebDriverWait(driver, TIMEOUT).until(logged_out)


def row_of(driver, text):
    "The drawn row of the current list showing text"
    return visible(driver, By.XPATH,
        '//div[@id="tabcontent"]/div[contains(@class, "tab-pane")'
        ' and contains(@class, "active")]'
        '//div[contains(@class, "treeview")]//tbody/tr[.//td['
        './/*[contains(normalize-space(text()), "%s")]'
        ' or contains(normalize-space(text()), "%s")]]' % (text, text))


def press_row_button(driver, text, label, shown):
    """Press the button label of the row showing text until shown (a
    locator) is visible: the first click on a row may only select it"""
    def pressed(driver):
        buttons = row_of(driver, text).find_elements(
            By.XPATH, './/button[normalize-space(.)="%s"]' % label)
        if not buttons:
            # the client may draw a row it has just selected without its
            # buttons (their states evaluated before the record loaded):
            # reload the list
            tab_toolbar(driver, 'button#reload')
            time.sleep(2)
            return False
        button, = buttons
        driver.execute_script(
            'arguments[0].scrollIntoView({block: "center"});', button)
        button.click()
        try:
            return WebDriverWait(driver, 15).until(
                EC.visibility_of_element_located(shown))
        except TimeoutException:
            return False
    return WebDriverWait(driver, TIMEOUT).until(pressed)


def choose(driver, select, label):
    "Choose the option label of the drop-down select, as a person does"
    select.click()
    option = select.find_element(
        By.XPATH, './option[normalize-space(.)="%s"]' % label)
    value = option.get_attribute('value')
    # the client redraws the options once the choice is made
    option.click()
    WebDriverWait(driver, TIMEOUT).until(
        lambda d: select.get_attribute('value') == value)
    return value


def dialog_button(driver, label):
    "The visible button label of the dialog in front"
    return visible(driver, By.XPATH,
        '//div[contains(@class, "modal-dialog")]'
        '//button[normalize-space(.)="%s"]' % label)


def dialog_closed(driver):
    "Wait until no dialog is shown"
    WebDriverWait(driver, TIMEOUT, ignored_exceptions=[
            StaleElementReferenceException]).until(
        lambda d: not shown_dialogs(d))


def form_shows(driver, value):
    """Wait until the form of the current tab has loaded its record: one of
    its fields shows value"""
    WebDriverWait(driver, TIMEOUT).until(lambda d: d.execute_script(
            'const tab = document.querySelector('
            '"#tabcontent > .tab-pane.active");'
            'return !!tab && Array.from(tab.querySelectorAll("input"))'
            '.some(e => e.offsetParent !== null && e.value == arguments[0]);',
            value))


def print_report(driver, name):
    """Press the print (打印) toolbar button of the current tab and choose
    the report name"""
    tab = ('//div[@id="tabcontent"]/div[contains(@class, "tab-pane")'
        ' and contains(@class, "active")]')
    WebDriverWait(driver, TIMEOUT).until(EC.element_to_be_clickable(
            (By.XPATH, tab + '//button[@id="print"]'))).click()
    WebDriverWait(driver, TIMEOUT).until(EC.element_to_be_clickable(
            (By.XPATH, tab + '//ul[contains(@class, "dropdown-menu")]'
                '//a[normalize-space()="%s"]' % name))).click()


# The entries of the menu (the left pane) shown now, by their text
MENU_SHOWN = """
return Array.from(document.querySelectorAll('#menu *'))
    .filter(e => e.offsetParent !== null)
    .map(e => Array.from(e.childNodes).filter(n => n.nodeType === 3)
        .map(n => n.textContent).join('').trim());
"""
# The number of tabs open and the title of the current one
TABS = """
const active = document.querySelector('#tablist > li.active');
return [document.querySelectorAll('#tablist > li').length,
    active ? active.innerText.trim() : ''];
"""


def open_menu(driver, *names):
    """Open the entry of the menu (the left pane) reached by names in turn:
    expand each folder not yet expanded (its next entry not shown), then
    click the last entry until the client opens its tab.  A click the menu
    takes before it is ready is lost, hence the checks."""
    def entry(name):
        xpath = '//div[@id="menu"]//*[normalize-space(text())="%s"]' % name
        return WebDriverWait(driver, TIMEOUT).until(
            EC.element_to_be_clickable((By.XPATH, xpath)))

    def shown(name):
        return name in driver.execute_script(MENU_SHOWN)

    def settled(driver):
        "the menu drawn and still for half a second (its rows move)"
        before = driver.execute_script(MENU_SHOWN)
        time.sleep(0.5)
        return names[0] in before and before == driver.execute_script(
            MENU_SHOWN)

    for folder, child in zip(names, names[1:]):
        WebDriverWait(driver, TIMEOUT).until(settled)
        if shown(child):
            continue

        # once clicked, the folder fetches its entries: a second click
        # before they show would fold it again
        WebDriverWait(driver, TIMEOUT).until(lambda d: click_until(
                entry(folder), lambda: shown(child), 15))
    WebDriverWait(driver, TIMEOUT).until(settled)
    tabs, _ = driver.execute_script(TABS)

    def shows():
        # a new tab, or the tab of the entry already open, brought in front
        count, title = driver.execute_script(TABS)
        return count > tabs or title == names[-1]
    WebDriverWait(driver, TIMEOUT).until(
        lambda d: click_until(entry(names[-1]), shows, 10))


def click_link(driver, text):
    "Click the link of the current tab whose text contains text"
    xpath = ('//div[@id="tabcontent"]/div[contains(@class, "active")]'
        '//a[contains(normalize-space(.), "%s")]' % text)
    element = WebDriverWait(driver, TIMEOUT).until(
        EC.element_to_be_clickable((By.XPATH, xpath)))
    element.click()
    return element


def click_in_tab(driver, text):
    "Click the visible element of the current tab whose own text is text"
    xpath = ('//div[@id="tabcontent"]/div[contains(@class, "active")]'
        '//*[normalize-space(text())="%s"]' % text)
    element = WebDriverWait(driver, TIMEOUT).until(
        EC.element_to_be_clickable((By.XPATH, xpath)))
    element.click()
    return element


def notifications(driver):
    "Open the user's menu and return the texts of his notifications"
    visible(driver, By.CSS_SELECTOR, '#user-preferences > a').click()
    return WebDriverWait(driver, TIMEOUT).until(lambda d: [
            e.text for e in d.find_elements(
                By.CSS_SELECTOR, '.notification-menu .notification-item')
            if e.is_displayed()] or False)


def fill_many2one(driver, field, text):
    """Type text in the many2one field of the current tab and pick the
    record it finds (in the search dialog the client may open)"""
    xpath = ('//div[@id="tabcontent"]/div[contains(@class, "active")]'
        '//input[@name="%s"]' % field)
    visible(driver, By.XPATH, xpath).send_keys(text, Keys.TAB)

    def picked(driver):
        dialogs = shown_dialogs(driver)
        if dialogs:
            cells = dialogs[-1].find_elements(
                By.XPATH, './/td[normalize-space(.)="%s"]' % text)
            if cells:
                webdriver.ActionChains(driver).double_click(
                    cells[0]).perform()
            return False
        value = driver.find_element(By.XPATH, xpath).get_attribute('value')
        return value.startswith(text)
    WebDriverWait(driver, TIMEOUT).until(picked)


# What the page shows a person: its visible text, and the tooltips and
# placeholders of its visible elements
SHOWN_TEXT = """
const texts = [document.body.innerText];
for (const element of document.querySelectorAll(
        '[title], [placeholder], [aria-label]')) {
    if (element.offsetParent === null) {
        continue;
    }
    for (const name of ['title', 'placeholder', 'aria-label']) {
        const value = element.getAttribute(name);
        if (value) {
            texts.push(value);
        }
    }
}
return texts.join('\\n');
"""


def shown_text(driver):
    "The text the page shows: visible text, tooltips and placeholders"
    return driver.execute_script(SHOWN_TEXT)


def dialog(driver, *expected):
    "Wait for the dialog on top showing each text of expected; return it"
    def shown(driver):
        dialogs = shown_dialogs(driver)
        if dialogs and all(text in dialogs[-1].text for text in expected):
            return dialogs[-1]
        return False
    return WebDriverWait(driver, TIMEOUT).until(shown)


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


def close_dialog(driver, button='关闭'):
    "Close the dialog on top with its button"
    top = dialog(driver)
    top.find_element(By.XPATH,
        './/button[normalize-space(.)="%s"]' % button).click()
    WebDriverWait(driver, TIMEOUT).until(EC.invisibility_of_element(top))


def tab_menu(driver, entry):
    "Choose entry in the menu of the current tab (its title)"
    visible(driver, By.CSS_SELECTOR,
        '#tabcontent > .tab-pane.active .title').click()
    click_text(driver, entry)


def toolbar_menu(driver, button, entry):
    "Choose entry in the drop-down of the current tab's toolbar button"
    visible(driver, By.CSS_SELECTOR,
        '#tabcontent > .tab-pane.active button#%s' % button).click()
    click_text(driver, entry)


def user_menu(driver, entry=None):
    "Open the user's menu (his name, top right) and choose entry"
    visible(driver, By.CSS_SELECTOR, '#user-preferences > a').click()
    if entry:
        click_text(driver, entry)


def type_in(driver, name, text, tag='*'):
    "Type text into the field name in front and leave it (tab)"
    element = field(driver, name, tag)
    element.click()
    element.send_keys(Keys.CONTROL, 'a')
    element.send_keys(Keys.BACKSPACE, text, Keys.TAB)
    return element


def type_number(driver, name, text):
    """Type text into the numeric field name in front: its text shows
    until it is clicked, then its number input takes the keys; leave it
    (tab) and return the number input"""
    field(driver, name, 'input[type="text"]').click()
    number = WebDriverWait(driver, TIMEOUT).until(
        lambda d: d.switch_to.active_element.get_attribute('type')
        == 'number' and d.switch_to.active_element)
    number.send_keys(Keys.CONTROL, 'a')
    number.send_keys(Keys.BACKSPACE, text, Keys.TAB)
    return number


def state_shows(driver, value):
    """Wait until the state field of the form in front holds value (the
    record saved and its button done: the page's text would not do, the
    state's drop-down lists every state)"""
    # the client keeps a selection's values as JSON
    WebDriverWait(driver, TIMEOUT).until(
        lambda d: field(d, 'state', 'select').get_attribute('value')
        in {value, '"%s"' % value})


def message_shown(driver, text):
    "Wait for a dialog saying text; return its text"
    return WebDriverWait(driver, TIMEOUT).until(
        lambda d: next((e.text for e in shown_dialogs(d) if text in e.text),
            False))


def choose_record(driver, name, text, shown=None):
    """Choose the record text in the many-to-one field name in front: type
    it and leave the field; where the client asks which record, pick it in
    the search dialog (the row showing text); the field then shows shown
    (text by default)"""
    shown = shown or text
    element = type_in(driver, name, text)

    def chosen(driver):
        dialogs = shown_dialogs(driver)
        if dialogs and text in dialogs[-1].text:
            row = dialogs[-1].find_element(By.XPATH,
                './/td[.//*[normalize-space(text())="%s"]]'
                ' | .//td[normalize-space(text())="%s"]' % (text, text))
            webdriver.ActionChains(driver).double_click(row).perform()
            return False
        return not dialogs and element.get_attribute('value') == shown
    WebDriverWait(driver, TIMEOUT, poll_frequency=1).until(chosen)
    return element


def click_dialog_button(driver, text):
    "Click the button of the dialog on top labelled text (a wizard's)"
    def clickable(driver):
        dialogs = shown_dialogs(driver)
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
