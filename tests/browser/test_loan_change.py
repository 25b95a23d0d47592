# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The loan officer (客户经理) extends a loan, in Chinese: he opens 贷款变更,
drafts a 展期 of three months for his customer's loan, gives the reason
and requests it (提交申请); the demo has no approval flow for loan changes,
so it takes effect at once (已生效) and the loan matures three months
later with three more installments.

Picture: var/test-artifacts/loan-change-applied.png."""
import datetime as dt

from ..origination import call
from .web import (
    By, choose, choose_record, click_button, drawn_list, field, form_shows,
    log_in, open_menu, save_picture, state_shows, type_in, type_number,
    user, visible)

REASON = "门店装修停业，申请展期三个月"


def _prepaid_loan(server):
    "The demo's loan of 10 March 2026 (prepaid): number and schedule"
    loan, = call(server, 'admin', 'model.microloan.loan.search_read',
        [('start_date', '=', {'__class__': 'date', 'year': 2026,
                    'month': 3, 'day': 10}),
            ('method', '=', 'equal_installment'), ('state', '=', 'active')],
        0, 1, None, ['number', 'maturity_date', 'installments'])
    return loan


def test_officer_extends_a_loan(
        server, browser, screenshot_on_failure):
    loan = _prepaid_loan(server)
    login, officer, _, password = user('loan_officer')
    log_in(browser, server, login, password)
    open_menu(browser, '小额贷款', '信贷管理', '贷款变更')
    drawn_list(browser)
    visible(browser, By.CSS_SELECTOR,
        '#tabcontent > .tab-pane.active button#new_').click()
    # the new record is ready once its company is shown
    company, = call(server, 'admin', 'model.company.company.search_read',
        [], 0, 1, None, ['rec_name'])
    form_shows(browser, company['rec_name'])
    choose_record(browser, 'loan', loan['number'])
    choose(browser, field(browser, 'kind', 'select'), '展期')
    type_number(browser, 'months', '3')
    type_in(browser, 'reason', REASON, 'textarea')
    # the button sits below the long form: brought to the middle first
    button = field(browser, 'request', 'button')
    browser.execute_script(
        'arguments[0].scrollIntoView({block: "center"});', button)
    click_button(browser, 'request')
    state_shows(browser, 'applied')
    save_picture(browser, 'loan-change-applied')

    change, = call(server, 'admin', 'model.microloan.loan.change.search_read',
        [('reason', '=', REASON)], 0, None, None,
        ['kind', 'months', 'state', 'requested_user.rec_name', 'lines'])
    assert (change['kind'], change['months'], change['state']) == (
        'extension', 3, 'applied')
    assert change['requested_user.']['rec_name'] == officer
    after, = call(server, 'admin', 'model.microloan.loan.read',
        [loan['id']], ['maturity_date', 'installments'])
    maturity = dt.date(**{k: loan['maturity_date'][k]
            for k in ['year', 'month', 'day']})
    extended = dt.date(**{k: after['maturity_date'][k]
            for k in ['year', 'month', 'day']})
    assert (extended.year * 12 + extended.month) - (
        maturity.year * 12 + maturity.month) == 3
    assert len(after['installments']) == len(loan['installments']) + 3
    assert len(change['lines']) == len(after['installments'])
