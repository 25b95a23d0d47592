# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Builders of the accounting tests: a company's ledger on one of the
module's charts, with its fiscal year, loan journal, default posting rules
and fund accounts mapped to the chart's cash and bank accounts."""
import datetime as dt

from trytond.modules.account.tests import create_chart, get_fiscalyear
from trytond.modules.microloan_core.tests.tools import (
    create_customer, create_fund_account, create_loan, create_product,
    create_staff)
from trytond.pool import Pool


def setup_ledger(company, chart='microloan_accounting.chart_microloan',
        year=2026):
    """Create company's chart, fiscal year with monthly periods, loan
    journal and default posting rules; return the fiscal year"""
    pool = Pool()
    FiscalYear = pool.get('account.fiscalyear')
    Journal = pool.get('account.journal')
    Rule = pool.get('microloan.accounting.rule')
    Company = pool.get('company.company')
    create_chart(company, chart=chart)
    fiscalyear = get_fiscalyear(company, today=dt.date(year, 1, 1))
    fiscalyear.save()
    FiscalYear.create_period([fiscalyear])
    journal, = Journal.search([('code', '=', 'MISC')], limit=1)
    Company.write([company], {'microloan_journal': journal.id})
    Rule.create_defaults(company)
    return fiscalyear


def setup_loan(case, company):
    """The worked example's loan of docs/servicing.md on case (a
    ServicingSetup), disbursed from its fund account on 2026-01-31"""
    pool = Pool()
    Loan = pool.get('microloan.loan')
    LoanTransaction = pool.get('microloan.loan.transaction')
    case.company = company
    case.cashier, _ = create_staff(company, 'cashier', "钱芳", 'group_cashier')
    case.accountant, _ = create_staff(
        company, 'accountant', "孙会计", 'group_accountant')
    case.product = create_product(company)
    case.account = create_fund_account(company)
    borrower = create_customer("孙建国", 1)
    loan = create_loan(company, borrower, product=case.product.id)
    Loan.compute_schedule([loan])
    Loan.write([loan], {'state': 'disbursing'})
    LoanTransaction.post([{
                'loan': loan.id, 'date': loan.start_date,
                'kind': 'disbursement', 'amount': loan.principal,
                'principal': loan.principal,
                'fund_account': case.account.id,
                }])
    case.loan = Loan(loan.id)
    return case.loan


def map_fund_accounts(company):
    "Book each fund account of company on the chart's account of its kind"
    pool = Pool()
    FundAccount = pool.get('microloan.fund_account')
    Account = pool.get('account.account')
    for fund in FundAccount.search([('company', '=', company.id)]):
        account, = Account.search([
                ('company', '=', company.id),
                ('microloan_cash_kind', '=', fund.kind),
                ('type', '!=', None),
                ], limit=1)
        fund.account = account
        fund.save()


def balances(company, codes, date=None):
    "Return {code: debit - credit} of the posted lines up to date"
    pool = Pool()
    Line = pool.get('account.move.line')
    domain = [
        ('account.company', '=', company.id),
        ('account.code', 'in', list(codes)),
        ('move.state', '=', 'posted'),
        ]
    if date:
        domain.append(('move.date', '<=', date))
    result = {c: 0 for c in codes}
    for line in Line.search(domain):
        result[line.account.code] += line.debit - line.credit
    return result
