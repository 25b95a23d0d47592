# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The approval dialogs in the web client, as the deciders use them: the
loan committee's members, of two branches, each vote 批准 in the vote
dialog and the application passes; a risk officer who chooses 否决 in the
decision dialog rejects.

A drop-down's choice used to be lost when the dialog's button was pressed
right after typing the reason (sao redrew the drop-down on its first
option): the vote was stored as 否决, a refusal as 批准.

Pictures: var/test-artifacts/committee-vote-dialog.png (批准 chosen),
committee-closed.png (the request, its vote closed), decide-dialog.png."""
from ..origination import call, pass_risk_review, submit_application
from .web import (
    By, TIMEOUT, WebDriverWait, choose, click_text, dialog_button,
    dialog_closed, drawn_list, list_tab, log_in, log_out, open_menu, open_row,
    press_row_button, save_picture, user, visible)

VOTE = (By.CSS_SELECTOR, '.modal-dialog select[name="decision"]')


def _branches(server, logins):
    "The branch (name) of the employee of each user"
    users = call(server, 'admin', 'model.res.user.search_read',
        [('login', 'in', logins)], 0, None, None,
        ['login', 'employee.branch.rec_name'])
    return {u['login']: ((u.get('employee.') or {}).get('branch.') or {}
            ).get('rec_name') for u in users}


def _decide_in_dialog(browser, number, button, choice, reason):
    """Press the row's button of the pending list, choose choice in the
    dialog's drop-down, type the reason and press the dialog's button:
    the reason's field loses the focus as the button is pressed"""
    select = press_row_button(browser, number, button, VOTE)
    chosen = choose(browser, select, choice)
    text = visible(browser, By.CSS_SELECTOR, '.modal-dialog textarea')
    text.send_keys(reason)
    return chosen


def _open_pending(browser):
    open_menu(browser, '小额贷款', '工作台', '我的待审批')


def test_committee_members_of_two_branches_vote_approve(
        server, browser, screenshot_on_failure):
    """A large application of a head-office customer goes to the loan
    committee; each member, the branch manager of another branch among
    them, finds it in 我的待审批 (no #错误), votes 批准 with a reason; the
    last vote closes the committee, the application is approved and every
    ballot is stored as approve"""
    application, number, request = submit_application(server,
        'loan_officer', '郑丽华', 'JY01', '600000.00', 12,
        'interest_monthly')
    # the risk officer records his assessment (JY01 requires it), then
    # passes the risk review
    request = pass_risk_review(server, application, request['id'],
        '押品充足，风险可控。')
    step, = call(server, 'loan_officer',
        'model.microloan.approval.request.step.read',
        [request['current_step']], ['kind', 'approvers', 'members_count'])
    assert step['kind'] == 'committee'
    members = sorted(u['login'] for u in call(server, 'admin',
            'model.res.user.read', step['approvers'], ['login']))
    assert len(members) == step['members_count'] >= 3
    branches = _branches(server, members + ['loan_officer'])
    # members of two branches, one not the customer's
    assert len({branches[m] for m in members}) >= 2, branches
    assert any(branches[m] != branches['loan_officer'] for m in members)

    for count, login in enumerate(members, 1):
        log_in(browser, server, login, user(login)[3])
        _open_pending(browser)
        rows = drawn_list(browser, number)
        row, = [r for r in rows if number in r]
        assert '#错误' not in '\n'.join(rows), rows
        # the key figures of the case on its row
        assert '郑丽华' in row and '600,000.00' in row and '审贷会' in row
        chosen = _decide_in_dialog(
            browser, number, '投票', '批准', '同意，第一还款来源充足。')
        assert chosen == '"approve"'
        if count == 1:
            save_picture(browser, 'committee-vote-dialog')
        dialog_button(browser, '投票').click()
        dialog_closed(browser)
        # his vote cast, the case leaves his list (the dialog reloads it)
        WebDriverWait(browser, TIMEOUT).until(
            lambda d: not any(number in r for r in drawn_list(d)))
        log_out(browser)

    # every ballot stored as the member chose, readable once the vote closed
    votes = call(server, 'loan_officer',
        'model.microloan.approval.vote.search_read',
        [('step', '=', request['current_step'])], 0, None, None,
        ['voter', 'decision', 'reason'])
    voters = call(server, 'admin', 'model.res.user.read',
        [v['voter'] for v in votes], ['login'])
    assert sorted(u['login'] for u in voters) == members
    assert [v['decision'] for v in votes] == ['approve'] * len(members)
    closed, = call(server, 'loan_officer',
        'model.microloan.approval.request.step.read',
        [request['current_step']], ['state', 'votes_for', 'votes_against'])
    assert closed == {'id': request['current_step'], 'state': 'approved',
        'votes_for': len(members), 'votes_against': 0}
    state, = call(server, 'loan_officer', 'model.microloan.application.read',
        [application], ['state'])
    assert state['state'] == 'approved'

    # the officer finds his request decided, its history with the tally
    log_in(browser, server, 'loan_officer', user('loan_officer')[3])
    open_menu(browser, '小额贷款', '工作台', '我提交的审批')
    list_tab(browser, '全部', number)
    open_row(browser, number)
    click_text(browser, '审批记录')
    visible(browser, By.XPATH,
        '//*[contains(normalize-space(text()), "赞成 %s 票，反对 0 票")]'
        % len(members))
    save_picture(browser, 'committee-closed')


def test_risk_officer_rejects_in_the_decision_dialog(
        server, browser, screenshot_on_failure):
    """The risk officer chooses 否决 (not the first option) in the decision
    dialog of his pending review, types why and presses the button: the
    request is rejected, the history says reject"""
    application, number, request = submit_application(server,
        'loan_officer', '周晓梅', 'XF01', '30000.00')
    log_in(browser, server, 'risk_officer', user('risk_officer')[3])
    _open_pending(browser)
    rows = drawn_list(browser, number)
    assert '#错误' not in '\n'.join(rows), rows
    chosen = _decide_in_dialog(
        browser, number, '审批', '否决', '负债率偏高，不予通过。')
    assert chosen == '"reject"'
    save_picture(browser, 'decide-dialog')
    dialog_button(browser, '审批').click()
    dialog_closed(browser)
    WebDriverWait(browser, TIMEOUT).until(
        lambda d: not any(number in r for r in drawn_list(d)))

    actions = call(server, 'loan_officer',
        'model.microloan.approval.action.search_read',
        [('request', '=', request['id'])], 0, None, None,
        ['action', 'comment'])
    assert [(a['action'], a['comment']) for a in actions] == [
        ('submit', None), ('reject', '负债率偏高，不予通过。')]
    state, = call(server, 'loan_officer', 'model.microloan.application.read',
        [application], ['state'])
    assert state['state'] == 'rejected'
