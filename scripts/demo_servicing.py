# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Demo servicing of scripts/setup_demo.py: the cashier posts the
repayments of the historical loans (setup_demo.LOANS) as they came in, so
that the demo shows every case a loan officer meets:

* the equal-installment loan paid on every due date (its installment due
  today is in the day's dues);
* the equal-principal loan paid on time, then partly: overdue since;
* the interest-monthly loan paid to the end: settled (结清);
* the quarterly loan whose interest came two weeks late, with penalty and
  compound interest, then not at all: overdue;
* the bullet loan repaid three weeks late with its penalty: settled;
* the interest-upfront loan whose principal was not repaid at maturity:
  overdue ten days today;
* the free-plan loan paid on its first date;
* the loan of 10 March prepaid (提前还款) by 20,000.00 on its fourth due
  date through a loan change, keeping its term, then paid on time;
* the loan of 20 March extended (展期) by six months at 12 % from
  1 September through a loan change, then paid on time.

Dates are those of the demo (the loans start in 2026); every step looks
for what an earlier run made before it posts anything."""
import datetime as dt
from decimal import Decimal

from proteus import Model

from demo_origination import as_user

BANK = '工行朝阳支行基本户'
CASH = '库存现金'


def _loans():
    "The historical loans by (start date, method)"
    Loan = Model.get('microloan.loan')
    return {(l.start_date, l.method): l for l in Loan.find([
                ('contract', '=', None), ('state', '!=', 'draft')])}


def _repay(config, loan, date, amount=None, channel='transfer',
        account=BANK):
    """Post a repayment of loan on date: amount, or what was due that day
    (penalty and compound interest included)"""
    Repayment = Model.get('microloan.loan.repayment')
    FundAccount = Model.get('microloan.fund_account')
    Loan = Model.get('microloan.loan')
    if amount is None:
        with config.set_context(servicing_date=date):
            amount = Loan(loan.id).amount_due
    fund_account, = FundAccount.find([('name', '=', account)])
    repayment = Repayment(loan=Loan(loan.id), date=date,
        amount=Decimal(amount), channel=channel, fund_account=fund_account,
        payer=loan.borrower.rec_name,
        reference='HK%s%04d' % (date.strftime('%Y%m%d'), loan.id))
    repayment.save()
    repayment.click('post')
    return repayment


def _due(loan, upto):
    "The installments of loan due on or before upto"
    return [i for i in loan.installments if i.due_date <= upto]


def ensure(config):
    "Post the demo repayments as the cashier"
    Repayment = Model.get('microloan.loan.repayment')
    if Repayment.find([]):
        return
    admin = config.user
    as_user(config, 'cashier')
    loans = _loans()
    today = dt.date.today()

    equal = loans.get((dt.date(2026, 1, 31), 'equal_installment'))
    if equal:
        for installment in _due(equal, min(today, dt.date(2026, 10, 31))):
            _repay(config, equal, installment.due_date, installment.total)

    principal = loans.get((dt.date(2026, 1, 31), 'equal_principal'))
    if principal:
        due = _due(principal, min(today, dt.date(2026, 10, 31)))
        for installment in due[:-1]:
            _repay(config, principal, installment.due_date, installment.total)
        if due:
            _repay(config, principal, due[-1].due_date,
                (due[-1].total / 2).quantize(Decimal('0.01')),
                channel='cash', account=CASH)

    monthly = loans.get((dt.date(2026, 3, 15), 'interest_monthly'))
    if monthly:
        for installment in _due(monthly, today):
            _repay(config, monthly, installment.due_date, installment.total,
                channel='online')

    quarterly = loans.get((dt.date(2026, 2, 10), 'interest_quarterly'))
    if quarterly:
        due = _due(quarterly, min(today, dt.date(2026, 8, 10)))
        if due:
            _repay(config, quarterly, due[0].due_date + dt.timedelta(days=15))
        for installment in due[1:]:
            _repay(config, quarterly, installment.due_date, installment.total)

    bullet = loans.get((dt.date(2026, 4, 1), 'bullet'))
    if bullet:
        late = bullet.installments[-1].due_date + dt.timedelta(days=21)
        if late <= today:
            _repay(config, bullet, late)

    upfront = loans.get((dt.date(2026, 5, 20), 'interest_upfront'))
    if upfront:
        for installment in _due(upfront, today):
            if installment.principal:
                continue
            _repay(config, upfront, installment.due_date, installment.total,
                channel='auto_debit')

    free = loans.get((dt.date(2026, 6, 1), 'free'))
    if free:
        for installment in _due(free, min(today, dt.date(2026, 9, 1))):
            _repay(config, free, installment.due_date, installment.total)

    prepaid = loans.get((dt.date(2026, 3, 10), 'equal_installment'))
    if prepaid and today > dt.date(2026, 7, 10):
        _pay_on_time(config, prepaid, dt.date(2026, 6, 10))
        _change(config, prepaid, kind='prepayment',
            date=dt.date(2026, 7, 10), amount=Decimal('20000.00'),
            prepayment_mode='keep_term', reason="客户卖出存货，申请提前还款两万元")
        # the fourth installment and the prepayment, due that day
        _repay(config, prepaid, dt.date(2026, 7, 10))
        _pay_on_time(config, prepaid, today, after=dt.date(2026, 7, 10))

    extended = loans.get((dt.date(2026, 3, 20), 'equal_installment'))
    if extended and today > dt.date(2026, 9, 1):
        _pay_on_time(config, extended, dt.date(2026, 8, 31))
        _change(config, extended, kind='extension',
            date=dt.date(2026, 9, 1), months=6,
            new_rate=Decimal('0.120000'),
            reason="养殖场扩建占用资金，申请展期六个月")
        _pay_on_time(config, extended, today, after=dt.date(2026, 9, 1))

    config.user = admin
    config._context = Model.get('res.user').get_preferences(True, {})


def _pay_on_time(config, loan, upto, after=None):
    """The cashier posts each installment of loan due after the date after
    and on or before upto, on its due date"""
    loan = Model.get('microloan.loan')(loan.id)
    for installment in _due(loan, upto):
        if after is None or installment.due_date > after:
            _repay(config, loan, installment.due_date, installment.total)


def _change(config, loan, reason, **values):
    """The borrower's loan officer requests a loan change (applied at once:
    the demo has no flow for loan changes), then the cashier goes on"""
    Change = Model.get('microloan.loan.change')
    Loan = Model.get('microloan.loan')
    officer, = Model.get('res.user').find([
            ('employees', '=', loan.borrower.loan_officer.id)], limit=1)
    as_user(config, officer.login)
    change = Change(loan=Loan(loan.id), reason=reason, **values)
    change.save()
    change.click('request')
    as_user(config, 'cashier')
