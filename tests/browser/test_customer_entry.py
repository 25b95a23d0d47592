# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The loan officer files a new individual customer through the screens, in
Chinese: he mistypes the resident ID's check digit and is told at once
which digit should be there, corrects it, fills the Chinese address
(province, city, district, detailed address, postcode) and saves.  A
customer's file shows his applications, contracts and loans.

Pictures: var/test-artifacts/customer-entry-wrong-check-digit.png,
customer-entry-saved.png and customer-entry-business-<application,
contract, loan>.png.
"""
import pytest
from stdnum.cn import ric as stdnum_ric

from ..conftest import rpc
from ..test_rpc import _login
from .web import (
    By, Keys, TIMEOUT, WebDriverWait, drawn_list, log_in, open_menu, open_row,
    save_picture, user, visible, webdriver)

# The new customer: an individual born on 1992-06-15 in Futian, Shenzhen
NAME = '林晓东'
MOBILE = '13612345678'
BODY = '44030419920615%03d'


def _ric(body):
    return body + stdnum_ric.calc_check_digit(body + '0')


def _free_resident_id(server, session, context):
    "A valid resident ID no customer has yet"
    for serial in range(11, 999, 2):
        code = _ric(BODY % serial)
        if not rpc(server, 'model.party.party.search_count', [
                    [('resident_id', '=', code)], context], session=session):
            return code
    raise AssertionError('no free resident ID left')


def _field(driver, name, tag='input'):
    "The visible field name of the current tab's form"
    return visible(driver, By.XPATH,
        '//div[@id="tabcontent"]/div[contains(@class, "tab-pane")'
        ' and contains(@class, "active")]'
        '//%s[@name="%s"]' % (tag, name))


def _alerts(driver):
    "The texts of the warnings shown on the current form"
    return driver.execute_script(
        'return Array.from(document.querySelectorAll('
        '"#tabcontent > .tab-pane.active .alert-warning"))'
        '.filter(e => e.offsetParent !== null).map(e => e.innerText);')


def _value(driver, name):
    return driver.execute_script(
        'const e = document.querySelector('
        '"#tabcontent > .tab-pane.active input[name=" + arguments[0] + "]");'
        'return e && e.value;', name)


def _tab_names(driver):
    "The names of the visible tabs of the current form"
    return driver.execute_script(
        'return Array.from(document.querySelectorAll('
        '"#tabcontent > .tab-pane.active .nav-tabs a"))'
        '.filter(e => e.offsetParent !== null)'
        '.map(e => e.innerText.trim());')


def _click_tab(driver, title):
    "Click the visible tab title of the current form"
    def tab(driver):
        for element in driver.find_elements(By.XPATH,
                '//div[@id="tabcontent"]/div[contains(@class, "tab-pane")'
                ' and contains(@class, "active")]//ul[contains(@class, "nav-tabs")]'
                '//a[normalize-space(.)="%s"]' % title):
            if element.is_displayed():
                return element
        return False
    WebDriverWait(driver, TIMEOUT).until(tab).click()


def _pick_in_search_dialog(driver, text):
    "Double-click the row text of the search dialog the client opened"
    row = visible(driver, By.XPATH,
        '//div[contains(@class, "modal-dialog")]'
        '//td[.//*[normalize-space(text())="%s"]'
        ' or normalize-space(text())="%s"]' % (text, text))
    webdriver.ActionChains(driver).double_click(row).perform()


@pytest.fixture
def new_customer_removed(server):
    """Delete the customer the test files once it is done: the officer's
    demo customers stay those the other tests know"""
    yield
    login, _, _, password = user('loan_officer')
    session, context = _login(server, login, password)
    ids = rpc(server, 'model.party.party.search', [
            [('name', '=', NAME)], 0, None, None, context], session=session)
    if ids:
        rpc(server, 'model.party.party.delete', [ids, context],
            session=session)


def test_loan_officer_files_a_customer_with_a_typed_resident_id(
        server, browser, screenshot_on_failure, new_customer_removed):
    login, officer, _, password = user('loan_officer')
    session, context = _login(server, login, password)
    code = _free_resident_id(server, session, context)
    wrong = code[:-1] + ('0' if code[-1] != '0' else '1')

    log_in(browser, server, login, password)
    open_menu(browser, '小额贷款', '客户管理', '客户信息')
    drawn_list(browser)
    visible(browser, By.CSS_SELECTOR,
        '#tabcontent > .tab-pane.active button#new_').click()
    # the new file is ready when the officer is filled in as its officer
    WebDriverWait(browser, TIMEOUT).until(
        lambda d: _value(d, 'loan_officer') == officer)
    _field(browser, 'name').send_keys(NAME)

    # the resident ID is on the first tab; a wrong check digit is named
    # as soon as the field is left
    resident_id = _field(browser, 'resident_id')
    resident_id.send_keys(wrong, Keys.TAB)
    warning, = WebDriverWait(browser, TIMEOUT).until(_alerts)
    save_picture(browser, 'customer-entry-wrong-check-digit')
    assert wrong in warning
    assert '校验位（第 18 位）应为 %s，而不是 %s' % (code[-1], wrong[-1]) in warning
    assert '参与者' not in warning and '设置无效' not in warning

    resident_id.send_keys(Keys.CONTROL, 'a')
    resident_id.send_keys(Keys.BACKSPACE, code, Keys.TAB)
    WebDriverWait(browser, TIMEOUT).until(lambda d: not _alerts(d))
    # what the ID says of its holder shows before saving
    WebDriverWait(browser, TIMEOUT).until(lambda d: _value(d, 'age'))
    _field(browser, 'mobile').send_keys(MOBILE, Keys.TAB)
    # no accounting tab nor the host's European forms for the officer
    tabs = _tab_names(browser)
    assert '会计' not in tabs, tabs
    assert '业务申请、合同与借据' in tabs, tabs

    # the Chinese address: province, city, district, detail, postcode
    _click_tab(browser, '地址与联系方式')
    assert _field(browser, 'country').get_attribute('value').endswith('中国')
    _field(browser, 'subdivision').send_keys('广东', Keys.TAB)
    _pick_in_search_dialog(browser, '广东省')
    WebDriverWait(browser, TIMEOUT).until(
        lambda d: _value(d, 'subdivision') == '广东省')
    _field(browser, 'city').send_keys('深圳市')
    _field(browser, 'district').send_keys('福田区')
    _field(browser, 'street', 'textarea').send_keys('华强北路 100 号 2 栋 301 室')
    _field(browser, 'postal_code').send_keys('518031', Keys.TAB)
    body = browser.find_element(By.TAG_NAME, 'body').text
    for english in ['Street Name', 'Building Number', 'Post Box',
            'Private Bag']:
        assert english not in body, english
    for label in ['省/自治区/直辖市', '城市', '区/县', '详细地址', '邮政编码']:
        assert label in body, label
    browser.switch_to.active_element.send_keys(Keys.CONTROL, 's')

    def saved(driver):
        return rpc(server, 'model.party.party.search_read', [
                [('resident_id', '=', code)], 0, None, None,
                ['name', 'customer_kind', 'loan_officer', 'addresses',
                    'identifiers', 'birth_date', 'contact_phone'], context],
            session=session)
    party, = WebDriverWait(browser, TIMEOUT).until(saved)
    _click_tab(browser, '客户档案')
    WebDriverWait(browser, TIMEOUT).until(
        lambda d: _value(d, 'resident_id') == code)
    save_picture(browser, 'customer-entry-saved')
    # he reads 客户 everywhere: not the host's menu of parties (参与者)
    assert '参与者' not in browser.find_element(By.TAG_NAME, 'body').text

    assert party['name'] == NAME
    assert party['customer_kind'] == 'individual'
    assert party['birth_date']['year'] == 1992
    # the phone of the customer list
    assert party['contact_phone'] == MOBILE
    # one source of truth: the ID typed on the form is the identifier
    identifier, = rpc(server, 'model.party.identifier.read', [
            party['identifiers'], ['type', 'code'], context], session=session)
    assert (identifier['type'], identifier['code']) == ('cn_ric', code)
    address, = rpc(server, 'model.party.address.read', [
            party['addresses'],
            ['subdivision.name', 'city', 'district', 'street', 'postal_code',
                'full_address'], context], session=session)
    assert address['subdivision.']['name'] == '广东省'
    assert (address['city'], address['district'], address['postal_code']) == (
        '深圳市', '福田区', '518031')
    assert '广东省深圳市福田区华强北路 100 号 2 栋 301 室' in address['full_address']


def test_customer_file_shows_his_applications_contracts_and_loans(
        server, browser, screenshot_on_failure):
    "马志远's file lists his application, contract and loans"
    login, _, _, password = user('loan_officer')
    session, context = _login(server, login, password)
    numbers = {}
    for model in ['application', 'contract', 'loan']:
        numbers[model] = [r['number'] for r in rpc(server,
                'model.microloan.%s.search_read' % model, [
                    [('borrower.name', '=', '马志远')], 0, None, None,
                    ['number'], context], session=session)]
        assert numbers[model] and all(numbers[model]), (model, numbers)

    log_in(browser, server, login, password)
    open_menu(browser, '小额贷款', '客户管理', '客户信息')
    drawn_list(browser, '马志远')
    open_row(browser, '马志远')
    _click_tab(browser, '业务申请、合同与借据')
    for model, title in [('application', '业务申请'), ('contract', '借款合同'),
            ('loan', '借据')]:
        _click_tab(browser, title)
        WebDriverWait(browser, TIMEOUT).until(
            lambda d: all(number in d.find_element(By.TAG_NAME, 'body').text
                for number in numbers[model]))
        save_picture(browser, 'customer-entry-business-%s' % model)
    assert '#错误' not in browser.find_element(By.TAG_NAME, 'body').text


def test_relations_of_a_customer_name_another_officers_customer(
        server, browser, screenshot_on_failure):
    """孙建国 holds shares of 江南机电设备有限公司, a customer of the other
    branch's officer: his 关联关系 tab names it, with no #错误"""
    login, _, _, password = user('loan_officer')
    log_in(browser, server, login, password)
    open_menu(browser, '小额贷款', '客户管理', '客户信息')
    drawn_list(browser, '孙建国')
    open_row(browser, '孙建国')
    _click_tab(browser, '关联关系')
    WebDriverWait(browser, TIMEOUT).until(
        lambda d: '江南机电设备有限公司' in d.find_element(
            By.TAG_NAME, 'body').text)
    save_picture(browser, 'customer-entry-relations')
    body = browser.find_element(By.TAG_NAME, 'body').text
    assert '周晓梅' in body
    assert '#错误' not in body
