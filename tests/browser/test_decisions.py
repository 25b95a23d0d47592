# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Decisions through the screens: the loan officer meets what his product
requires before submission, the risk officer records his assessment from
his pending step and approves it in the decision dialog.

Each test works on an application of its own, of a product of its own
(经营快贷（尽调）, code JDTEST: the investigation and the risk assessment
required), for 孙建国, who has no other application in the demo.  The
pictures are kept in var/test-artifacts/decisions-*.png."""


from ..conftest import rpc
from ..demo import setup_demo
from ..test_rpc import _login
from .web import (
    By, Keys, TIMEOUT, WebDriverWait, choose_record, click_button,
    click_dialog_button, click_text, drawn_list, field, in_front, log_in,
    message_shown, open_menu, open_row, save_picture, shown_dialogs, type_in,
    user, webdriver)
from selenium.webdriver.support.ui import Select  # noqa: E402

PRODUCT_CODE = 'JDTEST'
BORROWER = '孙建国'


def decimal(value):
    return {'__class__': 'Decimal', 'decimal': value}


def ensure_product(server):
    """The administrator's product requiring the investigation before
    submission and the risk assessment before approval"""
    session, context = _login(server, 'admin', setup_demo.ADMIN_PASSWORD)
    found = rpc(server, 'model.microloan.product.search', [
            [('code', '=', PRODUCT_CODE)], 0, None, None, context],
        session=session)
    if found:
        return found[0]
    product, = rpc(server, 'model.microloan.product.create', [[{
                    'code': PRODUCT_CODE,
                    'name': '经营快贷（尽调）',
                    'company': context['company'],
                    'kind': 'business',
                    'require_investigation': True,
                    'require_risk_assessment': True,
                    'methods': ['equal_installment'],
                    'default_method': 'equal_installment',
                    'bases': ['month'],
                    'min_rate': decimal('0.060000'),
                    'max_rate': decimal('0.180000'),
                    'min_term': 3,
                    'max_term': 24,
                    'min_amount': decimal('10000.00'),
                    'max_amount': decimal('500000.00'),
                    }], context], session=session)
    return product


def create_application(server, amount, investigated=False):
    """The loan officer's draft application for 孙建国 under the product;
    return its session, context, id and number"""
    product = ensure_product(server)
    login, _, _, password = user('loan_officer')
    session, context = _login(server, login, password)
    borrower, = rpc(server, 'model.party.party.search', [
            [('name', '=', BORROWER)], 0, None, None, context],
        session=session)
    values = {
        'borrower': borrower,
        'product': product,
        'amount': decimal(amount),
        'annual_rate': decimal('0.120000'),
        'term_months': 12,
        'method': 'equal_installment',
        'basis': 'month',
        'start_date': {'__class__': 'date', 'year': 2026, 'month': 12,
            'day': 20},
        'guarantee_kind': 'credit',
        }
    if investigated:
        manager, = rpc(server, 'model.company.employee.search', [
                [('party.name', '=', user('branch_manager')[1])],
                0, None, None, context], session=session)
        values.update({
                'investigator_a': context['employee'],
                'investigator_b': manager,
                'investigation_date': {'__class__': 'date', 'year': 2026,
                    'month': 11, 'day': 20},
                'investigation_report': '走访经营场所，核实进货单据与银行流水，'
                '经营正常。',
                })
    application, = rpc(server, 'model.microloan.application.create', [
            [values], context], session=session)
    number, = rpc(server, 'model.microloan.application.read', [
            [application], ['number'], context], session=session)
    return session, context, application, number['number']


def read(server, session, context, application, names):
    return rpc(server, 'model.microloan.application.read', [
            [application], names, context], session=session)[0]


def wait_for(server, session, context, application, check):
    "Wait until check holds on the application as the server reads it"
    return WebDriverWait(None, TIMEOUT, poll_frequency=1).until(
        lambda _: check(read(server, session, context, application, [
                        'state', 'risk_assessed_user', 'approval_request'])))


def close_dialogs(driver):
    "Close the message and the wizard's dialog a refusal leaves open"
    def closed(driver):
        dialogs = shown_dialogs(driver)
        if not dialogs:
            return True
        ends = [b for b in dialogs[-1].find_elements(
                By.CSS_SELECTOR, 'button[name="end"]') if b.is_displayed()]
        if ends:
            ends[0].click()
        else:
            webdriver.ActionChains(driver).send_keys(Keys.ESCAPE).perform()
        return False
    WebDriverWait(driver, TIMEOUT, poll_frequency=1).until(closed)


def test_officer_submits_only_what_the_product_requires(
        server, browser, screenshot_on_failure):
    """The officer submits an application lacking its investigation: one
    Chinese message names what is missing; he records it and submits"""
    session, context, application, number = create_application(
        server, '60000.00')
    login, _, _, password = user('loan_officer')
    log_in(browser, server, login, password)
    open_menu(browser, '小额贷款', '信贷管理', '业务受理')
    drawn_list(browser, number)
    open_row(browser, number)
    # the purpose follows the business product (not typed by anybody)
    WebDriverWait(browser, TIMEOUT).until(
        lambda d: '工商业' in in_front(d).text)

    click_button(browser, 'submit')
    refusal = message_shown(browser, '尚不能提交')
    save_picture(browser, 'decisions-submit-refused')
    for text in [number, PRODUCT_CODE, '尽职调查', '调查人（A角）',
            '调查人（B角）', '调查日期', '调查报告']:
        assert text in refusal, (text, refusal)
    assert 'investigat' not in refusal.lower()
    assert read(server, session, context, application, ['state'])[
        'state'] == 'draft'
    close_dialogs(browser)

    # the investigation, on its tab: the officer, the branch manager,
    # today, the report
    click_text(browser, '贷前调查')
    choose_record(browser, 'investigator_a', user('loan_officer')[1])
    choose_record(browser, 'investigator_b', user('branch_manager')[1])
    field(browser, 'investigation_date', 'input').send_keys('=')
    type_in(browser, 'investigation_report',
        '实地走访店铺，核实进货单据与银行流水，经营正常。', 'textarea')
    WebDriverWait(browser, TIMEOUT).until(
        lambda d: field(d, 'investigator_b', 'input').get_attribute('value')
        == user('branch_manager')[1])
    click_button(browser, 'submit')
    wait_for(server, session, context, application,
        lambda a: a['state'] == 'submitted')
    WebDriverWait(browser, TIMEOUT).until(
        lambda d: '审批中' in in_front(d).text)
    save_picture(browser, 'decisions-submitted')
    values = read(server, session, context, application, [
            'investigator_a', 'investigator_b', 'investigation_date',
            'purpose'])
    assert values['investigator_a'] and values['investigator_b']
    assert values['investigation_date'] is not None
    assert values['purpose'] == 'industry_commerce'


def test_risk_officer_assesses_and_approves_from_his_pending_step(
        server, browser, screenshot_on_failure):
    """The risk officer opens his pending step: the step shows what the
    decision needs; he opens the application, records his assessment, and
    approves in the decision dialog: the application reaches the next
    step"""
    session, context, application, number = create_application(
        server, '70000.00', investigated=True)
    rpc(server, 'model.microloan.application.submit', [
            [application], context], session=session)
    login, name, _, password = user('risk_officer')
    risk_session, risk_context = _login(server, login, password)
    log_in(browser, server, login, password)
    open_menu(browser, '小额贷款', '工作台', '我的待审批')
    drawn_list(browser, number)
    # his step on the application (not the link to the application)
    open_row(browser, number)

    # the step form: the decision's figures, not the engine's settings
    WebDriverWait(browser, TIMEOUT).until(lambda d: field(
            d, 'customer', 'input').get_attribute('value') == BORROWER)
    assert field(browser, 'product', 'input').get_attribute('value') == (
        '[%s] 经营快贷（尽调）' % PRODUCT_CODE)
    assert field(browser, 'purpose', 'input').get_attribute(
        'value') == '工商业'
    assert '走访经营场所' in field(
        browser, 'investigation_report', 'textarea').get_attribute('value')
    text = in_front(browser).text
    for label in ['审批要点', '客户', '贷款产品', '期限', '年利率', '还款方式',
            '综合年化成本', '借款用途', '担保方式', '调查人', '调查意见',
            '风险评估意见', '材料清单', '审批记录', '打开单据']:
        assert label in text, label
    for setting in ['通过比例分子', '通过比例分母', '所需批准人数',
            '可审批用户', '最低投票人数']:
        assert setting not in text, setting
    assert field(browser, 'amount', 'input').get_attribute(
        'value').replace(',', '').startswith('70000')
    save_picture(browser, 'decisions-step-form')

    # approving before the assessment the product requires is refused
    click_button(browser, 'decide')
    click_dialog_button(browser, '审批')
    refusal = message_shown(browser, '风险评估')
    assert number in refusal and '尚不能批准' in refusal, refusal
    close_dialogs(browser)

    # the application, opened from the step, takes his assessment
    click_button(browser, 'open_document')
    WebDriverWait(browser, TIMEOUT).until(
        lambda d: field(d, 'number', 'input').get_attribute('value')
        == number)
    click_text(browser, '风险评估')
    risk_level = field(browser, 'risk_level', 'select')
    Select(risk_level).select_by_visible_text('低风险')
    type_in(browser, 'risk_opinion', '经营稳定，流水覆盖月供两倍以上，风险可控。',
        'textarea')
    click_button(browser, 'assess_risk')
    wait_for(server, risk_session, risk_context, application,
        lambda a: a['risk_assessed_user'])
    save_picture(browser, 'decisions-risk-assessed')

    # back on his step, reloaded: the opinion shows; he approves
    browser.find_element(
        By.XPATH, '//*[@id="tablist"]//a[contains(., "我的待审批")]').click()
    in_front(browser).find_element(By.CSS_SELECTOR, 'button#reload').click()
    WebDriverWait(browser, TIMEOUT).until(lambda d: '风险可控' in field(
            d, 'risk_opinion', 'textarea').get_attribute('value'))
    assert name in field(browser, 'risk_assessed_by', 'input').get_attribute(
        'value')
    save_picture(browser, 'decisions-step-form-assessed')
    click_button(browser, 'decide')
    message_shown(browser, '审批决定')
    type_in(browser, 'comment', '风险可控，同意提交审批。', 'textarea')
    click_dialog_button(browser, '审批')

    def current_step(_):
        request = read(server, risk_session, risk_context, application,
            ['approval_request'])['approval_request']
        values, = rpc(server, 'model.microloan.approval.request.read', [
                [request], ['current_step.name'], risk_context],
            session=risk_session)
        step = values.get('current_step.') or {}
        return step.get('name') == '审批'
    # the decision moved the application on to the approver's step
    WebDriverWait(None, TIMEOUT, poll_frequency=1).until(current_step)
    assert read(server, session, context, application, ['state'])[
        'state'] == 'submitted'
    save_picture(browser, 'decisions-step-decided')
