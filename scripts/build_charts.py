#!/usr/bin/env python3
# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Write microloan_accounting/chart.xml, the charts of accounts, from the
one table below.

Four charts come out of it (docs/accounting.md, "Charts (科目表)"): the
microloan company's (小额贷款公司) and the financing guarantee company's
(融资担保公司), each in Chinese and in English, since the host does not
translate the names of account templates.  Each chart has its own tree of
account types: the balance sheet (资产负债表) and the income statement
(利润表) of a financial enterprise, with the income statement placed under
未分配利润 as the host's own chart places its current period's profit under
the equity, so that the balance sheet balances before the year is closed.

    .venv/bin/python scripts/build_charts.py [OUTPUT]

writes OUTPUT (by default microloan_accounting/chart.xml); the output only
depends on the table, so running it again gives the same file."""
import os
import sys
from xml.sax.saxutils import escape, quoteattr

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUTPUT = os.path.join(
    HERE, os.pardir, 'microloan_accounting', 'chart.xml')

# Which company kinds a row belongs to
BOTH = frozenset({'microloan', 'guarantee'})
GUARANTEE = frozenset({'guarantee'})

# The charts: XML id of the root account template, company kind, language
CHARTS = [
    ('chart_microloan', 'microloan', 'zh'),
    ('chart_microloan_en', 'microloan', 'en'),
    ('chart_guarantee', 'guarantee', 'zh'),
    ('chart_guarantee_en', 'guarantee', 'en'),
    ]

ROOT_NAMES = {
    'microloan': {
        'account': ("小额贷款公司科目表",
            "Microloan Company Chart of Accounts"),
        'type': ("小额贷款公司报表项目",
            "Microloan Company Account Types"),
        },
    'guarantee': {
        'account': ("融资担保公司科目表",
            "Financing Guarantee Company Chart of Accounts"),
        'type': ("融资担保公司报表项目",
            "Financing Guarantee Company Account Types"),
        },
    }

# Account types: key, parent key (None: under the chart's root type),
# sequence, statement, flags, Chinese, English, company kinds.
# Amounts of a type are credit less debit, turned round for the assets: an
# income is positive, an expense negative, and every total of the income
# statement is the sum of its children.
TYPES = [
    # 资产负债表
    ('assets', None, 10, 'balance', {'assets'},
        "资产", "Assets", BOTH),
    ('cash', 'assets', 10, 'balance', {'assets'},
        "现金及银行存款", "Cash and Bank Deposits", BOTH),
    ('margin_placed', 'assets', 20, 'balance', {'assets'},
        "存出保证金", "Margin Deposits Placed", GUARANTEE),
    ('interest_receivable', 'assets', 30, 'balance', {'assets'},
        "应收利息", "Interest Receivable", BOTH),
    ('other_receivables', 'assets', 40, 'balance', {'assets', 'receivable'},
        "其他应收款", "Other Receivables", BOTH),
    ('loans', 'assets', 50, 'balance', {'assets'},
        "发放贷款和垫款", "Loans and Advances", BOTH),
    ('subrogation', 'assets', 60, 'balance', {'assets'},
        "应收代位追偿款", "Subrogation Receivable", GUARANTEE),
    ('foreclosed', 'assets', 70, 'balance', {'assets'},
        "抵债资产", "Foreclosed Assets", BOTH),
    ('fixed_assets', 'assets', 80, 'balance', {'assets'},
        "固定资产", "Fixed Assets", BOTH),
    ('liabilities_equity', None, 20, 'balance', set(),
        "负债和所有者权益", "Liabilities and Owners' Equity", BOTH),
    ('liabilities', 'liabilities_equity', 10, 'balance', set(),
        "负债", "Liabilities", BOTH),
    ('borrowings', 'liabilities', 10, 'balance', set(),
        "短期借款", "Short-term Borrowings", BOTH),
    ('margin_received', 'liabilities', 20, 'balance', set(),
        "存入保证金", "Customer Margin Deposits", BOTH),
    ('payroll', 'liabilities', 30, 'balance', set(),
        "应付职工薪酬", "Payroll Payable", BOTH),
    ('taxes_payable', 'liabilities', 40, 'balance', set(),
        "应交税费", "Taxes Payable", BOTH),
    ('other_payables', 'liabilities', 50, 'balance', {'payable'},
        "其他应付款", "Other Payables", BOTH),
    ('unearned_reserve', 'liabilities', 60, 'balance', set(),
        "未到期责任准备金", "Unearned Liability Reserve", GUARANTEE),
    ('compensation_reserve', 'liabilities', 70, 'balance', set(),
        "担保赔偿准备金", "Guarantee Compensation Reserve", GUARANTEE),
    ('equity', 'liabilities_equity', 20, 'balance', set(),
        "所有者权益", "Owners' Equity", BOTH),
    ('capital', 'equity', 10, 'balance', set(),
        "实收资本", "Paid-in Capital", BOTH),
    ('surplus_reserve', 'equity', 20, 'balance', set(),
        "盈余公积", "Surplus Reserve", BOTH),
    ('risk_reserve', 'equity', 30, 'balance', set(),
        "一般风险准备", "General Risk Reserve", BOTH),
    ('retained', 'equity', 40, 'balance', set(),
        "未分配利润", "Undistributed Profit", BOTH),
    # 利润表, the current year's profit inside 未分配利润
    ('net_profit', 'retained', 10, 'income', set(),
        "净利润", "Net Profit", BOTH),
    ('total_profit', 'net_profit', 10, 'income', set(),
        "利润总额", "Total Profit", BOTH),
    ('operating_profit', 'total_profit', 10, 'income', set(),
        "营业利润", "Operating Profit", BOTH),
    ('operating_income', 'operating_profit', 10, 'income', set(),
        "营业收入", "Operating Income", BOTH),
    ('net_interest', 'operating_income', 10, 'income', set(),
        "利息净收入", "Net Interest Income", BOTH),
    ('interest_income', 'net_interest', 10, 'income', {'revenue'},
        "利息收入", "Interest Income", BOTH),
    ('interest_expense', 'net_interest', 20, 'income', {'expense'},
        "利息支出", "Interest Expense", BOTH),
    ('net_fee', 'operating_income', 20, 'income', set(),
        "手续费及佣金净收入", "Net Fee and Commission Income", BOTH),
    ('fee_income', 'net_fee', 10, 'income', {'revenue'},
        "手续费及佣金收入", "Fee and Commission Income", BOTH),
    ('fee_expense', 'net_fee', 20, 'income', {'expense'},
        "手续费及佣金支出", "Fee and Commission Expense", BOTH),
    ('guarantee_income', 'operating_income', 30, 'income', {'revenue'},
        "担保业务收入", "Guarantee Business Income", GUARANTEE),
    ('other_operating_income', 'operating_income', 40, 'income',
        {'revenue'},
        "其他业务收入", "Other Operating Income", BOTH),
    ('operating_expenses', 'operating_profit', 20, 'income', set(),
        "营业支出", "Operating Expenses", BOTH),
    ('surcharges', 'operating_expenses', 10, 'income', {'expense'},
        "税金及附加", "Taxes and Surcharges", BOTH),
    ('administrative', 'operating_expenses', 20, 'income', {'expense'},
        "业务及管理费", "General and Administrative Expenses", BOTH),
    ('impairment', 'operating_expenses', 30, 'income', {'expense'},
        "信用减值损失", "Credit Impairment Loss", BOTH),
    ('guarantee_provision', 'operating_expenses', 40, 'income', {'expense'},
        "提取担保准备金", "Guarantee Reserve Provisions", GUARANTEE),
    ('compensation', 'operating_expenses', 50, 'income', {'expense'},
        "担保赔偿支出", "Guarantee Compensation Expense", GUARANTEE),
    ('non_operating_income', 'total_profit', 20, 'income', {'revenue'},
        "营业外收入", "Non-operating Income", BOTH),
    ('non_operating_expenses', 'total_profit', 30, 'income', {'expense'},
        "营业外支出", "Non-operating Expenses", BOTH),
    ('income_tax', 'net_profit', 20, 'income', {'expense'},
        "所得税费用", "Income Tax Expense", BOTH),
    # 表外
    ('off_balance', None, 30, 'off-balance', set(),
        "表外项目", "Off-Balance Items", BOTH),
    ('off_interest', 'off_balance', 10, 'off-balance', set(),
        "表外应收利息", "Off-Balance Interest Receivable", BOTH),
    ('off_interest_memo', 'off_balance', 20, 'off-balance', set(),
        "表外应收利息备查", "Off-Balance Interest Memorandum", BOTH),
    ]

# Accounts: code, parent code (None: under the chart's root), type key (None
# for a parent account, on which nothing posts), Chinese, English, company
# kinds, options (party_required, reconcile, cash kind).
ACCOUNTS = [
    ('1001', None, 'cash', "库存现金", "Cash on Hand", BOTH,
        {'cash_kind': 'cash'}),
    ('1002', None, 'cash', "银行存款", "Bank Deposits", BOTH,
        {'cash_kind': 'bank'}),
    ('1031', None, 'margin_placed', "存出保证金", "Margin Deposits Placed",
        GUARANTEE, {}),
    ('1132', None, None, "应收利息", "Interest Receivable", BOTH, {}),
    # no party: the accruals post one aggregated line per product and day
    # (docs/accounting.md, Posting), the per-loan detail in the loans
    ('113201', '1132', 'interest_receivable', "应收贷款利息",
        "Accrued Loan Interest", BOTH, set()),
    ('113202', '1132', 'interest_receivable', "应收罚息",
        "Penalty Interest Receivable", BOTH, set()),
    ('1201', None, 'subrogation', "应收代位追偿款", "Subrogation Receivable",
        GUARANTEE, {'party_required'}),
    ('1221', None, None, "其他应收款", "Other Receivables", BOTH, {}),
    ('122101', '1221', 'other_receivables', "应收贷款费用",
        "Loan Fees Receivable", BOTH, {'party_required', 'reconcile'}),
    ('1303', None, 'loans', "贷款", "Loans", BOTH, {'party_required'}),
    ('1304', None, 'loans', "贷款损失准备", "Loan Loss Provision", BOTH, {}),
    ('1441', None, 'foreclosed', "抵债资产", "Foreclosed Assets", BOTH, {}),
    ('1601', None, 'fixed_assets', "固定资产", "Fixed Assets", BOTH, {}),
    ('2001', None, 'borrowings', "短期借款", "Short-term Borrowings", BOTH,
        {}),
    ('2002', None, 'margin_received', "存入保证金",
        "Customer Margin Deposits", BOTH, {'party_required'}),
    ('2211', None, 'payroll', "应付职工薪酬", "Payroll Payable", BOTH, {}),
    ('2221', None, 'taxes_payable', "应交税费", "Taxes Payable", BOTH, {}),
    ('2241', None, None, "其他应付款", "Other Payables", BOTH, {}),
    ('224101', '2241', 'other_payables', "客户挂账",
        "Customer Credit Balances", BOTH, {'party_required', 'reconcile'}),
    ('2601', None, 'unearned_reserve', "未到期责任准备金",
        "Unearned Liability Reserve", GUARANTEE, {}),
    ('2602', None, 'compensation_reserve', "担保赔偿准备金",
        "Guarantee Compensation Reserve", GUARANTEE, {}),
    ('4001', None, 'capital', "实收资本", "Paid-in Capital", BOTH, {}),
    ('4101', None, 'surplus_reserve', "盈余公积", "Surplus Reserve", BOTH,
        {}),
    ('4102', None, 'risk_reserve', "一般风险准备", "General Risk Reserve",
        BOTH, {}),
    ('4103', None, 'retained', "本年利润", "Current Year Profit", BOTH, {}),
    ('4104', None, 'retained', "利润分配", "Profit Distribution", BOTH, {}),
    ('6011', None, None, "利息收入", "Interest Income", BOTH, {}),
    ('601101', '6011', 'interest_income', "贷款利息收入",
        "Loan Interest Income", BOTH, {}),
    ('601102', '6011', 'interest_income', "罚息收入",
        "Penalty Interest Income", BOTH, {}),
    ('6021', None, 'fee_income', "手续费及佣金收入",
        "Fee and Commission Income", BOTH, {}),
    ('6031', None, 'guarantee_income', "担保费收入", "Guarantee Fee Income",
        GUARANTEE, {}),
    ('6051', None, 'other_operating_income', "其他业务收入",
        "Other Operating Income", BOTH, {}),
    ('6301', None, 'non_operating_income', "营业外收入",
        "Non-operating Income", BOTH, {}),
    ('6403', None, 'surcharges', "税金及附加", "Taxes and Surcharges", BOTH,
        {}),
    ('6411', None, 'interest_expense', "利息支出", "Interest Expense", BOTH,
        {}),
    ('6421', None, 'fee_expense', "手续费及佣金支出",
        "Fee and Commission Expense", BOTH, {}),
    ('6501', None, 'guarantee_provision', "提取未到期责任准备金",
        "Unearned Liability Reserve Provision", GUARANTEE, {}),
    ('6511', None, 'compensation', "担保赔偿支出",
        "Guarantee Compensation Expense", GUARANTEE, {}),
    ('6512', None, 'guarantee_provision', "提取担保赔偿准备金",
        "Compensation Reserve Provision", GUARANTEE, {}),
    ('6601', None, 'administrative', "业务及管理费",
        "General and Administrative Expenses", BOTH, {}),
    ('6702', None, 'impairment', "信用减值损失", "Credit Impairment Loss",
        BOTH, {}),
    ('6711', None, 'non_operating_expenses', "营业外支出",
        "Non-operating Expenses", BOTH, {}),
    ('6801', None, 'income_tax', "所得税费用", "Income Tax Expense", BOTH,
        {}),
    ('7001', None, 'off_interest', "表外应收利息",
        "Off-Balance Interest Receivable", BOTH, {}),
    ('7002', None, 'off_interest_memo', "表外应收利息备查",
        "Off-Balance Interest Memorandum", BOTH, {}),
    ]

TYPE_FLAGS = ['assets', 'receivable', 'payable', 'revenue', 'expense']
LANGUAGES = {'zh': 0, 'en': 1}


def field(name, value):
    return '            <field name="%s">%s</field>' % (name, escape(value))


def field_eval(name, value):
    return '            <field name="%s" eval=%s/>' % (name, quoteattr(value))


def field_ref(name, ref):
    return '            <field name="%s" ref="%s"/>' % (name, ref)


def record(model, xml_id, lines):
    head = '        <record model="%s" id="%s">' % (model, xml_id)
    return [head] + lines + ['        </record>']


def type_records(chart, kind, language):
    "Return the lines of the type templates of the chart"
    lang = LANGUAGES[language]
    root = '%s_type_root' % chart
    lines = record('account.account.type.template', root, [
            field('name', ROOT_NAMES[kind]['type'][lang]),
            field_eval('sequence', '10'),
            field_eval('statement', 'None'),
            ])
    for key, parent, sequence, statement, flags, zh, en, kinds in TYPES:
        if kind not in kinds:
            continue
        fields = [
            field('name', (zh, en)[lang]),
            field_ref('parent',
                '%s_type_%s' % (chart, parent) if parent else root),
            field_eval('sequence', str(sequence)),
            field('statement', statement),
            ]
        fields += [field_eval(f, 'True') for f in TYPE_FLAGS if f in flags]
        lines += record(
            'account.account.type.template', '%s_type_%s' % (chart, key),
            fields)
    return lines


def account_records(chart, kind, language):
    "Return the lines of the account templates of the chart"
    lang = LANGUAGES[language]
    lines = record('account.account.template', chart, [
            field('name', ROOT_NAMES[kind]['account'][lang]),
            field_ref('type', '%s_type_root' % chart),
            ])
    for code, parent, type_, zh, en, kinds, options in ACCOUNTS:
        if kind not in kinds:
            continue
        fields = [
            field('code', code),
            field('name', (zh, en)[lang]),
            field_ref(
                'parent', '%s_%s' % (chart, parent) if parent else chart),
            ]
        if type_:
            fields.append(field_ref('type', '%s_type_%s' % (chart, type_)))
        for option in ['party_required', 'reconcile']:
            if option in options:
                fields.append(field_eval(option, 'True'))
        if 'cash_kind' in options:
            fields.append(field('microloan_cash_kind', options['cash_kind']))
        lines += record(
            'account.account.template', '%s_%s' % (chart, code), fields)
    return lines


def render():
    "Return the text of chart.xml"
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<!-- This file is part of microloan.  The COPYRIGHT file at the top'
        ' level of',
        'this repository contains the full copyright notices and license'
        ' terms. -->',
        '<!-- Written by scripts/build_charts.py from its table: edit the'
        ' table and run',
        'the script again rather than editing this file'
        ' (docs/accounting.md). -->',
        '<tryton>',
        ]
    for chart, kind, language in CHARTS:
        lines += ['    <data>']
        lines += type_records(chart, kind, language)
        lines += account_records(chart, kind, language)
        lines += ['    </data>']
    lines += ['</tryton>']
    return '\n'.join(lines) + '\n'


def main(argv):
    output = argv[1] if len(argv) > 1 else DEFAULT_OUTPUT
    with open(output, 'w', encoding='utf-8') as file:
        file.write(render())


if __name__ == '__main__':
    main(sys.argv)
