# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""No English in the web client as the demo roles see it in Chinese.

Each role logs in (the browser asks for zh-CN) and goes through the main
screens: the menu, his user menu and the Preferences dialog, a list of his
work and its export dialog, a record of it and its attachment and note
dialogs.  What each screen shows (visible text, tooltips, placeholders) has
no English word outside the short allow-list of tests/chinese.py; the
failure names the screen and the words.  A picture of each screen is kept
as var/test-artifacts/chinese-<role>-<screen>.png."""
import pytest

from ..chinese import english_words
from .web import (
    By, TIMEOUT, WebDriverWait, click_text, close_dialog, dialog, drawn_list,
    log_in, open_menu, open_row, save_picture, shown_text, tab_menu,
    toolbar_menu, user, user_menu, visible)

# role: the menu entries to his list, a text of the row to open
ROLES = {
    'loan_officer': (['信贷管理', '借据'], 'JJ'),
    'risk_officer': (['信贷管理', '业务受理'], 'SQ'),
    'approver': (['工作台', '我的待审批'], '郑丽华'),
    'cashier': (['客户管理', '客户信息'], '孙建国'),
    }

# The form of the current tab, drawn
FORM_SHOWN = """
const form = document.querySelector('#tabcontent > .tab-pane.active .form');
return Boolean(form) && form.offsetParent !== null
    && form.querySelectorAll('input').length > 0;
"""


class Screens:
    "The English met on each screen a role goes through"

    def __init__(self, browser, login):
        self.browser = browser
        self.login = login
        self.english = {}

    def check(self, screen):
        "Read what the screen shows now and keep its picture"
        save_picture(self.browser, 'chinese-%s-%s' % (self.login, screen))
        text = shown_text(self.browser)
        lines = {line.strip() for line in text.splitlines()
            if english_words(line)}
        if lines:
            self.english[screen] = sorted(lines)
        return text


@pytest.mark.parametrize('login', sorted(ROLES))
def test_main_screens_show_no_english(
        server, browser, screenshot_on_failure, login):
    path, row_text = ROLES[login]
    _, name, _, password = user(login)
    log_in(browser, server, login, password)
    screens = Screens(browser, login)

    # the menu, unfolded down to his list, and the list, drawn
    open_menu(browser, '小额贷款', *path)
    drawn_list(browser, row_text)
    assert name in screens.check('list')

    # its export dialog
    tab_menu(browser, '导出')
    dialog(browser, '全部字段')
    screens.check('export')
    close_dialog(browser)

    # a record, and its attachment and note dialogs
    open_row(browser, row_text)
    WebDriverWait(browser, TIMEOUT).until(
        lambda driver: driver.execute_script(FORM_SHOWN))
    screens.check('form')
    toolbar_menu(browser, 'attach', '管理…')
    dialog(browser, '附件')
    screens.check('attachments')
    close_dialog(browser)
    visible(browser, By.CSS_SELECTOR,
        '#tabcontent > .tab-pane.active button#note').click()
    dialog(browser, '备注')
    screens.check('notes')
    close_dialog(browser)

    # his user menu and the Preferences dialog (last: it closes the tabs)
    user_menu(browser)
    visible(browser, By.XPATH, '//*[normalize-space(text())="偏好设置…"]')
    screens.check('user-menu')
    click_text(browser, '偏好设置…')
    # his home page is open: the client first asks to close the tabs
    if '标签页' in dialog(browser).text:
        screens.check('close-tabs')
        close_dialog(browser, '确定')
    dialog(browser, '偏好设置')
    screens.check('preferences')
    close_dialog(browser, '取消')

    assert not screens.english, "English on the screens of %s: %r" % (
        login, screens.english)
