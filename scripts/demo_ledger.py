# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Demo ledger of scripts/setup_demo.py (microloan_accounting): the company
keeps its books on the microloan company's chart, and its loans' life is
in the ledger (docs/accounting.md):

* the chart made by the host's create-chart wizard, the loan journal (the
  host's 杂项 journal), the default posting rules and each fund account
  booked on 1002 银行存款 or 1001 库存现金;
* the paid-in capital as the opening balance of the year;
* the interest accrued (计提利息) to the last day of the past month;
* the vouchers (生成凭证) of the loans' transactions up to that day, those
  of the months before prepared by 陈静 (accountant), those of the last
  month by 孙悦 (accountant_review); each reviewed (审核) by the other,
  signed by the cashier (出纳签字) where it moves cash or a bank account
  and posted (记账);
* a bank charge booked on the wrong account, reversed in red (红字冲销)
  and booked again on the right one;
* in the last month, a voucher only prepared (for the other accountant to
  review), one only reviewed (waiting for the cashier) and one reviewed
  and signed (waiting to be posted);
* January closed (结账).

Dates follow the demo's loans (2026) and today; every step looks for
what an earlier run made before it does anything (a voucher's steps are
taken from the state it is in)."""
import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from proteus import Model, Wizard

from demo_origination import NET_ASSETS, as_user

CHART = 'microloan_accounting.chart_microloan'
# fund account kind: the chart's account code it is booked on
FUND_CODES = {'bank': '1002', 'cash': '1001'}
PREPARER = 'accountant'
REVIEWER = 'accountant_review'
CASHIER = 'cashier'
OPENING_DATE = dt.date(2026, 1, 1)
CAPITAL_CODE = '4001'
# the bank charge booked on the wrong account, then on the right one
BANK_CHARGE = Decimal('50.00')
WRONG_CODE, RIGHT_CODE = '6601', '6421'
# the months closed (结账), in order: January 2026
CLOSED_MONTHS = [dt.date(2026, 1, 1)]


def accrued_until(today):
    "The last day of the month before today's"
    return today + relativedelta(day=1) - dt.timedelta(days=1)


def ensure(config, company, ref_id):
    "Set the company's ledger up and post the loans' life into it"
    admin = config.user
    ensure_chart(config, company, ref_id)
    ensure_settings(company)
    ensure_rules(config)
    ensure_fund_accounts(company)
    post_life(config, company)
    config.user = admin
    config._context = Model.get('res.user').get_preferences(True, {})


def ensure_chart(config, company, ref_id):
    "The company's accounts from the chart, by the host's wizard"
    Account = Model.get('account.account')
    AccountTemplate = Model.get('account.account.template')
    if Account.find([('company', '=', company.id)], limit=1):
        return
    create_chart = Wizard('account.create_chart')
    create_chart.execute('account')
    create_chart.form.account_template = AccountTemplate(ref_id(CHART))
    create_chart.form.company = company
    create_chart.execute('create_account')
    create_chart.execute('create_properties')


def ensure_settings(company):
    "The loan journal: the host's miscellaneous journal"
    Company = Model.get('company.company')
    Journal = Model.get('account.journal')
    company = Company(company.id)
    if not company.microloan_journal:
        company.microloan_journal, = Journal.find(
            [('code', '=', 'MISC')], limit=1)
        company.save()


def ensure_rules(config):
    "The default posting rules of docs/accounting.md (those missing)"
    Wizard('microloan.accounting.rule.create_defaults')


def ensure_fund_accounts(company):
    "Each fund account booked on the chart's account of its kind"
    FundAccount = Model.get('microloan.fund_account')
    Account = Model.get('account.account')
    for fund in FundAccount.find([('company', '=', company.id)]):
        if fund.account:
            continue
        fund.account, = Account.find([
                ('company', '=', company.id),
                ('code', '=', FUND_CODES[fund.kind]),
                ])
        fund.save()


def _account(company, code):
    Account = Model.get('account.account')
    account, = Account.find([
            ('company', '=', company.id), ('code', '=', code)])
    return account


def _voucher(company, date, description, lines, attachments=1):
    """The voucher of description on date, of lines [(code, debit,
    credit)], prepared by the user when not made yet"""
    Move = Model.get('account.move')
    Company = Model.get('company.company')
    company = Company(company.id)
    found = Move.find([
            ('company', '=', company.id),
            ('date', '=', date),
            ('description', '=', description),
            ])
    if found:
        return found[0]
    move = Move(journal=company.microloan_journal, date=date,
        description=description, attachments_count=attachments)
    for code, debit, credit in lines:
        move.lines.new(account=_account(company, code),
            debit=debit, credit=credit, description=description)
    move.save()
    return move


def _make_vouchers(date):
    "生成凭证: the vouchers of the transactions pending up to date"
    make = Wizard('microloan.accounting.make_vouchers')
    make.form.date = date
    make.execute('make')


def _prepared_by(login, states=None):
    "The vouchers login prepared (in states), in date order"
    Move = Model.get('account.move')
    domain = [('prepared_user.login', '=', login)]
    if states:
        domain.append(('voucher_state', 'in', states))
    return Move.find(domain, order=[('date', 'ASC'), ('id', 'ASC')])


def _steps(config, moves, reviewer, upto='posted'):
    """The steps of moves up to the state upto, each done once: reviewed
    by reviewer, signed by the cashier where they move money, posted by
    the reviewer"""
    Move = Model.get('account.move')
    ids = [m.id for m in moves]

    def in_state(*states):
        return [m for m in map(Move, ids) if m.voucher_state in states]
    drafts = in_state('draft')
    if drafts:
        as_user(config, reviewer)
        Move.click(drafts, 'voucher_review')
    if upto == 'reviewed':
        return
    unsigned = [m for m in in_state('reviewed') if m.needs_signature]
    if unsigned:
        as_user(config, CASHIER)
        Move.click(unsigned, 'voucher_sign')
    if upto == 'signed':
        return
    ready = in_state('reviewed', 'signed')
    if ready:
        as_user(config, reviewer)
        Move.click(ready, 'voucher_post')


def post_life(config, company):
    "The vouchers of the loans' life, in every state, and January closed"
    Move = Model.get('account.move')
    Period = Model.get('account.period')
    Company = Model.get('company.company')
    today = dt.date.today()
    until = accrued_until(today)
    month_start = until + relativedelta(day=1)
    charge_date = month_start - dt.timedelta(days=1)

    # 陈静 books the paid-in capital, accrues the interest and makes the
    # vouchers of the months before the last one, and a bank charge on
    # the wrong account; 孙悦 the vouchers of the last month
    as_user(config, PREPARER)
    _voucher(company, OPENING_DATE, '期初余额：股东缴入资本金', [
            ('1002', NET_ASSETS, Decimal(0)),
            (CAPITAL_CODE, Decimal(0), NET_ASSETS)])
    accrued = Company(company.id).microloan_accrued_until
    if not accrued or accrued < until:
        accrue = Wizard('microloan.accounting.accrue')
        accrue.form.date = until
        accrue.execute('accrue')
    _make_vouchers(charge_date)
    wrong = _voucher(company, charge_date, '支付银行账户管理费', [
            (WRONG_CODE, BANK_CHARGE, Decimal(0)),
            ('1002', Decimal(0), BANK_CHARGE)])
    as_user(config, REVIEWER)
    _make_vouchers(until)

    # each reviews what the other prepared, the cashier signs those moving
    # money and the reviewer posts them; of 孙悦's, the last three moving
    # money stay: one prepared, one reviewed only (waiting for the
    # cashier), one reviewed and signed (waiting to be posted)
    _steps(config, _prepared_by(PREPARER), REVIEWER)
    last = [m for m in _prepared_by(REVIEWER) if not m.reversal_of]
    kept = [m for m in last if m.needs_signature][-3:]
    _prepared, reviewed, signed = kept
    _steps(config, [m for m in last if m.id not in {k.id for k in kept}],
        PREPARER)
    _steps(config, [reviewed], PREPARER, upto='reviewed')
    _steps(config, [signed], PREPARER, upto='signed')

    # the bank charge was booked on the wrong account: 陈静 reverses it in
    # red (红字冲销) and books it again on the right one
    as_user(config, PREPARER)
    wrong = Move(wrong.id)
    if not wrong.reversed_by:
        wrong.click('voucher_reverse')
    _voucher(company, charge_date, '支付银行账户管理费（更正）', [
            (RIGHT_CODE, BANK_CHARGE, Decimal(0)),
            ('1002', Decimal(0), BANK_CHARGE)])
    _steps(config, _prepared_by(PREPARER), REVIEWER)

    # the months closed (结账), one after the other
    as_user(config, PREPARER)
    for start in CLOSED_MONTHS:
        period, = Period.find([
                ('company', '=', company.id),
                ('type', '=', 'standard'),
                ('start_date', '=', start),
                ])
        if period.state == 'closed':
            continue
        close = Wizard('microloan.accounting.period_close')
        close.form.period = period
        close.execute('close')
