# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The financial statements of a month (财务报表): the balance sheet
(资产负债表) and the income statement (利润表) in the Chinese layout, as a
PDF (statement_report.fodt) and an Excel workbook.

docs/accounting.md, "Vouchers printed and statements": the rows are the
company's account types of the statement, in the order of their sequence
and indented by their depth; their amounts are the host's (the amount of
account.account.type, as its Balance Sheet and Income Statement menus
compute it) of the posted vouchers only.  The balance sheet gives each
type at the month's end (期末余额) and at the end of the previous fiscal
year (年初余额); the income statement the month (本月金额) and the fiscal
year to the month's end (本年累计金额)."""
import datetime as dt
import io

import xlsxwriter

from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.report import Report
from trytond.transaction import Transaction
from trytond.wizard import Button, StateReport, StateView, Wizard

from trytond.modules.microloan_core.printing import money

STATEMENTS = [
    ('balance', "Balance Sheet"),
    ('income', "Income Statement"),
    ]
TITLES = {
    'balance': '资产负债表',
    'income': '利润表',
    }
# The headings of the two amount columns of each statement
COLUMNS = {
    'balance': ('期末余额', '年初余额'),
    'income': ('本月金额', '本年累计金额'),
    }
ITEM = '项目'
UNIT = '单位：元'
# The ideographic space the PDF indents a row by, per level
INDENT = '\u3000'


def contexts(period, statement):
    """Return the contexts of the two columns of statement for period, as
    the host's Balance Sheet (cumulate, date) and Income Statement
    (fiscalyear, from_date, to_date) set them, posted vouchers only"""
    fiscalyear = period.fiscalyear
    # none of the keys of the other statement is left from the caller
    base = dict.fromkeys(['date', 'from_date', 'to_date', 'fiscalyear',
            'periods', 'start_period', 'end_period', 'cumulate'])
    base.update(company=period.company.id, posted=True)
    if statement == 'balance':
        opening = fiscalyear.start_date - dt.timedelta(days=1)
        return [
            dict(base, cumulate=True, date=period.end_date),
            dict(base, cumulate=True, date=opening),
            ]
    return [
        dict(base, fiscalyear=fiscalyear.id,
            from_date=period.start_date, to_date=period.end_date),
        dict(base, fiscalyear=fiscalyear.id,
            from_date=fiscalyear.start_date, to_date=period.end_date),
        ]


def order(types):
    "Return types in the order of their sequence"
    return sorted(types, key=lambda t: (t.sequence or 0, t.id))


def tree(company, statement):
    """Return [(type, depth)] of the company's types of statement, walked
    by sequence from its top types; a balance type's child of the income
    statement (the year's profit in equity) is a row of its own, not
    opened"""
    Type = Pool().get('account.account.type')
    tops = Type.search([
            ('company', '=', company.id),
            ('statement', '=', statement),
            ['OR',
                ('parent', '=', None),
                ('parent.statement', '!=', statement),
                ('parent.statement', '=', None),
                ],
            ])
    result = []

    def walk(type_, depth):
        result.append((type_, depth))
        if type_.statement != statement:
            return
        for child in order(type_.childs):
            if child.statement == statement or (
                    statement == 'balance' and child.statement == 'income'):
                walk(child, depth + 1)
    for top in order(tops):
        walk(top, 0)
    return result


def statement_rows(company, period, statement):
    """Return the rows of statement of company for period: name, depth and
    the amounts of its two columns"""
    Type = Pool().get('account.account.type')
    rows = tree(company, statement)
    types = [t for t, _ in rows]
    columns = []
    for context in contexts(period, statement):
        with Transaction().set_context(context):
            columns.append(Type.get_amount(Type.browse(types), 'amount'))
    # adding 0 turns the -0.00 of an empty asset (the host negates the
    # assets) into 0.00
    return [{
            'name': type_.name,
            'depth': depth,
            'amounts': [c[type_.id] + 0 for c in columns],
            } for type_, depth in rows]


class StatementReportStart(ModelView):
    "Financial Statements"
    __name__ = 'microloan.accounting.financial_statement.start'

    company = fields.Many2One('company.company', "Company", required=True)
    period = fields.Many2One('account.period', "Month", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type', '=', 'standard'),
            ])
    statement = fields.Selection(
        STATEMENTS, "Statement", required=True, sort=False)

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_statement(cls):
        return 'balance'

    @classmethod
    def default_period(cls):
        "The month of today"
        pool = Pool()
        Date = pool.get('ir.date')
        Period = pool.get('account.period')
        company = cls.default_company()
        if not company:
            return None
        today = Date.today()
        periods = Period.search([
                ('company', '=', company),
                ('type', '=', 'standard'),
                ('start_date', '<=', today),
                ('end_date', '>=', today),
                ], limit=1)
        return periods[0].id if periods else None

    @fields.depends('company', 'period')
    def on_change_company(self):
        if self.period and self.period.company != self.company:
            self.period = None

    def data(self):
        "The data of the reports"
        return {
            'company': self.company.id,
            'period': self.period.id,
            'statement': self.statement,
            }


class StatementReport(Wizard):
    "Financial Statements"
    __name__ = 'microloan.accounting.financial_statement'

    start = StateView('microloan.accounting.financial_statement.start',
        'microloan_accounting.financial_statement_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Excel", 'xlsx', 'tryton-save'),
            Button("PDF", 'pdf', 'tryton-print', default=True),
            ])
    xlsx = StateReport('microloan.accounting.financial_statement.xlsx')
    pdf = StateReport('microloan.accounting.financial_statement.pdf')

    def do_xlsx(self, action):
        return action, self.start.data()

    def do_pdf(self, action):
        return action, self.start.data()

    def transition_xlsx(self):
        return 'end'

    def transition_pdf(self):
        return 'end'


class StatementMixin:
    "What the PDF and the Excel of a statement share"

    @classmethod
    def statement(cls, data):
        """Return the statement of data: its header (title, company, month,
        unit, column headings) and its rows"""
        pool = Pool()
        Company = pool.get('company.company')
        Period = pool.get('account.period')
        company = Company(data['company'])
        period = Period(data['period'])
        statement = data['statement']
        end = period.end_date
        return {
            'title': TITLES[statement],
            'company': company.rec_name,
            'month': '%d年%d月' % (end.year, end.month),
            'unit': UNIT,
            'item': ITEM,
            'columns': COLUMNS[statement],
            'rows': statement_rows(company, period, statement),
            }

    @classmethod
    def filename(cls, data):
        "The name of the file: 资产负债表-2026-03"
        Period = Pool().get('account.period')
        end = Period(data['period']).end_date
        return '%s-%s' % (TITLES[data['statement']], end.strftime('%Y-%m'))

    @classmethod
    def execute(cls, ids, data):
        oext, content, direct_print, _ = super().execute([], data)
        return oext, content, direct_print, cls.filename(data)


class StatementPDF(StatementMixin, Report):
    """PDF of a financial statement: statement_report.fodt rendered by
    relatorio and converted by LibreOffice, as microloan_core's prints"""
    __name__ = 'microloan.accounting.financial_statement.pdf'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        statement = cls.statement(data)
        for row in statement['rows']:
            row['label'] = INDENT * row['depth'] + row['name']
            row['texts'] = [money(a) for a in row['amounts']]
        context['statement'] = statement
        return context


class StatementExcel(StatementMixin, Report):
    "Excel (.xlsx) of a financial statement, its amounts numbers"
    __name__ = 'microloan.accounting.financial_statement.xlsx'

    @classmethod
    def _execute(cls, records, header, data, action):
        return 'xlsx', cls.workbook(cls.statement(data))

    @classmethod
    def workbook(cls, statement):
        "Return the .xlsx of statement"
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {'in_memory': True})
        workbook.set_properties({'title': statement['title']})
        title = workbook.add_format({
                'bold': True, 'font_size': 16, 'align': 'center'})
        center = workbook.add_format({'align': 'center'})
        right = workbook.add_format({'align': 'right'})
        head = workbook.add_format({
                'bold': True, 'border': 1, 'align': 'center',
                'bg_color': '#DDEBF7'})
        sheet = workbook.add_worksheet(statement['title'])
        sheet.set_paper(9)  # A4
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 2, 20)
        sheet.merge_range(0, 0, 0, 2, statement['title'], title)
        sheet.write_string(1, 0, '编制单位：%s' % statement['company'])
        sheet.write_string(1, 1, statement['month'], center)
        sheet.write_string(1, 2, statement['unit'], right)
        for col, heading in enumerate(
                (statement['item'],) + tuple(statement['columns'])):
            sheet.write_string(2, col, heading, head)
        formats = {}

        def cell_format(depth, number):
            key = (depth, number)
            if key not in formats:
                properties = {'border': 1, 'bold': depth == 0}
                if number:
                    properties['num_format'] = '#,##0.00'
                else:
                    properties['indent'] = depth
                formats[key] = workbook.add_format(properties)
            return formats[key]
        for row, values in enumerate(statement['rows'], 3):
            depth = values['depth']
            sheet.write_string(row, 0, values['name'],
                cell_format(depth, False))
            for col, amount in enumerate(values['amounts'], 1):
                sheet.write_number(row, col, float(amount),
                    cell_format(depth, True))
        sheet.freeze_panes(3, 1)
        workbook.close()
        return output.getvalue()
