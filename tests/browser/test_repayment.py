# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The cashier (出纳) at the counter, in Chinese: she opens 还款单, enters
the money a borrower brought for his overdue loan, posts it (入账) and
prints its receipt (还款回执); the allocation she sees pays the penalty
first, and the receipt says the amount in capitals.

Pictures: var/test-artifacts/repayment-posted.png and
browser-print-repayment-receipt.png (the receipt's first page)."""
from decimal import Decimal

from trytond.modules.microloan_core.tests.report_tools import (
    compact, ensure_soffice, pdf_text, save_first_page)

from ..origination import call
from .web import (
    By, choose_record, click_button, downloaded, drawn_list, form_shows,
    log_in, open_menu, print_report, save_picture, state_shows, type_in,
    type_number, user, visible)

AMOUNT = Decimal('1000.00')
CAPITALS = '壹仟元整'


def _overdue_loan(server):
    "The demo's overdue equal-principal loan: number and borrower"
    loan, = call(server, 'admin', 'model.microloan.loan.search_read',
        [('method', '=', 'equal_principal'), ('contract', '=', None),
            ('state', '=', 'active')], 0, 1, None,
        ['number', 'borrower.rec_name', 'penalty_due', 'days_past_due'])
    assert loan['days_past_due'] > 0
    return loan


def test_cashier_posts_a_repayment_and_prints_its_receipt(
        server, browser, downloads, screenshot_on_failure):
    assert ensure_soffice()
    loan = _overdue_loan(server)
    login, cashier, _, password = user('cashier')
    log_in(browser, server, login, password)
    open_menu(browser, '小额贷款', '信贷管理', '还款单')
    drawn_list(browser)
    visible(browser, By.CSS_SELECTOR,
        '#tabcontent > .tab-pane.active button#new_').click()
    # the new record is ready once its defaults are shown
    form_shows(browser, '人民币')
    choose_record(browser, 'loan', loan['number'])
    # the borrower is proposed as the payer once the loan is chosen
    form_shows(browser, loan['borrower.']['rec_name'])
    type_number(browser, 'amount', str(AMOUNT))
    account, = call(server, 'cashier',
        'model.microloan.fund_account.search_read',
        [('kind', '=', 'bank')], 0, 1, None, ['name', 'rec_name'])
    choose_record(browser, 'fund_account', account['name'],
        account['rec_name'])
    type_in(browser, 'reference', 'HKGT20261130', 'input')
    click_button(browser, 'post')
    # posted: the state is 已入账 and the allocation is shown
    state_shows(browser, 'posted')
    save_picture(browser, 'repayment-posted')

    repayment, = call(server, 'admin',
        'model.microloan.loan.repayment.search_read',
        [('reference', '=', 'HKGT20261130')], 0, None, None,
        ['state', 'amount', 'penalty', 'compound', 'interest', 'principal',
            'fees', 'credit', 'posted_by.rec_name'])
    assert repayment['state'] == 'posted'
    assert repayment['posted_by.']['rec_name'] == cashier
    paid = [Decimal(str(repayment[c]['decimal']
                if isinstance(repayment[c], dict) else repayment[c]))
        for c in ['fees', 'penalty', 'compound', 'interest', 'principal',
            'credit']]
    assert sum(paid) == AMOUNT
    # the penalty of the overdue loan comes first
    assert paid[1] > 0

    print_report(browser, '还款回执')
    path = downloaded(browser, downloads, '.pdf')
    content = path.read_bytes()
    assert content.startswith(b'%PDF')
    save_first_page(content, 'browser-print-repayment-receipt')
    flat = compact(pdf_text(content))
    for value in [loan['number'], CAPITALS, '¥1,000.00', cashier]:
        assert value in flat, value
    assert '草稿' not in flat
