# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Excel (.xlsx) of the records selected in any list of the suite.

One report serves every model: it is bound (keyword ``form_print``) to each
list a user works with in ``export.xml``.  The sheet has the columns the user
sees in the model's list view, in their order, headed by their strings in
the user's language; amounts are numbers with their decimals and thousands
separators, rates percentages, dates dates, selections their labels and
links the names of the records they point to."""
import datetime as dt
import io
import re
from decimal import Decimal

import xlsxwriter
from lxml import etree

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.pyson import PYSONDecoder
from trytond.report import Report
from trytond.tools.timezone import UTC, get_tzinfo
from trytond.transaction import Transaction

from .exceptions import ExportError

LINKS = {'many2one', 'one2one', 'reference'}
LISTS = {'one2many', 'many2many'}
NUMBERS = {'integer', 'float', 'numeric'}
SKIPPED = {'binary'}
# strftime directives of a language's date format in Excel's format codes
DATE_CODES = {
    '%Y': 'yyyy', '%y': 'yy', '%m': 'mm', '%d': 'dd', '%b': 'mmm',
    '%B': 'mmmm', '%a': 'ddd', '%A': 'dddd', '%%': '%'}
# characters a sheet name may not have, and its length in Excel
SHEET_NAME_FORBIDDEN = re.compile(r'[\[\]:*?/\\]')
SHEET_NAME_LENGTH = 31
MAX_COLUMN_WIDTH = 60


class Column:
    """A column of the sheet: a field of the list view (name) or a path of
    the export dialog, with how it reads and writes its values"""

    def __init__(self, name, string, type_, digits=None, factor=None):
        self.name = name
        self.string = string
        self.type = type_
        # a pair of integers, or the name of the field giving them
        self.digits = digits
        self.factor = factor

    @property
    def read_name(self):
        "The name to read the column's value with"
        if self.type in LINKS | LISTS:
            return self.name + '.rec_name'
        elif self.type in {'selection', 'multiselection'}:
            return self.name + ':string'
        return self.name

    @property
    def percentage(self):
        return self.type in {'float', 'numeric'} and self.factor == 100

    @property
    def decimals(self):
        "The decimals to show: the field's, two for amounts of a currency"
        if self.type == 'integer':
            return 0
        digits = self.digits
        if (isinstance(digits, (list, tuple)) and len(digits) == 2
                and isinstance(digits[1], int)):
            decimals = digits[1]
        else:
            decimals = 2
        if self.percentage:
            decimals = max(decimals - 2, 0)
        return min(decimals, 6)

    def value(self, row):
        "The value of the column in the row read"
        if self.type in LINKS:
            target = row.get(self.name + '.')
            return target['rec_name'] if target else None
        elif self.type in LISTS:
            return '、'.join(t['rec_name'] for t in row.get(self.name + '.')
                or [])
        value = row.get(self.read_name)
        if self.type == 'multiselection' and isinstance(value, list):
            return '、'.join(value)
        return self.scaled(value)

    def scaled(self, value):
        "The value multiplied by the factor the list shows it with"
        if (self.factor and not self.percentage
                and isinstance(value, (int, float, Decimal))
                and not isinstance(value, bool)):
            value = value * self.factor
        return value


class ListExport(Report):
    "Excel of the records selected in a list, with the list's columns"
    __name__ = 'microloan.list.export'

    @classmethod
    def execute(cls, ids, data):
        ids = [i for i in map(int, ids) if i >= 0]
        if not ids:
            raise ExportError(gettext('microloan_core.msg_export_no_record'))
        # the file is named after the list, not after each record
        with Transaction().set_context(with_rec_name=False):
            oext, content, direct_print, _ = super().execute(ids, data)
        return oext, content, direct_print, cls.filename(data)

    @classmethod
    def filename(cls, data):
        pool = Pool()
        Date = pool.get('ir.date')
        Model = pool.get(data['model'])
        return '%s-%s' % (Model.__names__()['model'], Date.today())

    @classmethod
    def _execute(cls, records, header, data, action):
        model = action.model or data['model']
        return 'xlsx', cls.workbook(
            model, [int(r) for r in records], data.get('view_id'),
            data.get('fields'))

    @classmethod
    def columns(cls, model, view_id=None):
        """The columns the user sees in the list view of model: those not
        hidden, in the view's order"""
        Model = Pool().get(model)
        view = Model.fields_view_get(view_id=view_id, view_type='tree')
        decoder = PYSONDecoder(Transaction().context)
        columns = []
        for element in etree.fromstring(view['arch']).findall('field'):
            name = element.get('name')
            field = view['fields'].get(name)
            if (not field or field['type'] in SKIPPED
                    or element.get('optional') == '1'
                    or decoder.decode(element.get('tree_invisible') or '0')):
                continue
            factor = element.get('factor')
            digits = field.get('digits')
            columns.append(Column(
                    name, element.get('string') or field['string'],
                    field['type'],
                    digits=PYSONDecoder().decode(digits) if digits else None,
                    factor=float(factor) if factor else None))
        return columns

    @classmethod
    def path_columns(cls, model, paths):
        """The columns of the field paths chosen in the client's export
        dialog ("borrower/name", "state.translated"), headed as the client's
        CSV, with the factor of the list's column of the same field"""
        Model = Pool().get(model)
        in_list = {c.name: c for c in cls.columns(model)}
        headers = Model._convert_field_names([p.split('/') for p in paths])
        columns = []
        for path, header in zip(paths, headers):
            field = field_of_path(Model, path)
            type_ = 'char' if path.endswith('.translated') else field._type
            digits = getattr(field, 'digits', None)
            listed = in_list.get(path)
            columns.append(Column(path, header, type_,
                    digits=digits if isinstance(digits, tuple) else None,
                    factor=listed.factor if listed else None))
        return columns

    @classmethod
    def rows(cls, model, ids, columns):
        "The values of the columns for each record of ids, in their order"
        Model = Pool().get(model)
        names = list(dict.fromkeys(c.read_name for c in columns))
        read = {r['id']: r for r in Model.read(ids, names)}
        return [[c.value(read[i]) for c in columns] for i in ids]

    @classmethod
    def path_rows(cls, model, ids, columns):
        """The values of the columns of field paths for each record of ids,
        as the client's CSV export has them"""
        Model = Pool().get(model)
        rows = Model.export_data(Model.browse(ids), [c.name for c in columns])
        return [[c.scaled(v) for c, v in zip(columns, row)] for row in rows]

    @classmethod
    def workbook(cls, model, ids, view_id=None, paths=None):
        """The .xlsx content of the records ids of model, with the columns
        of the list view or those of the field paths"""
        pool = Pool()
        Model = pool.get(model)
        User = pool.get('res.user')
        if paths:
            columns = cls.path_columns(model, paths)
            rows = cls.path_rows(model, ids, columns)
        else:
            columns = cls.columns(model, view_id)
            rows = cls.rows(model, ids, columns)
        title = Model.__names__()['model']
        content = io.BytesIO()
        workbook = xlsxwriter.Workbook(content, {
                'in_memory': True,
                'default_date_format': cls.date_format(),
                })
        workbook.set_properties({
                'title': title,
                'author': User(Transaction().user).rec_name,
                })
        sheet = workbook.add_worksheet(cls.sheet_name(title))
        formats = cls.formats(workbook, columns)
        header = workbook.add_format({
                'bold': True, 'bg_color': '#DDEBF7', 'border': 1,
                'text_wrap': True, 'valign': 'vcenter'})
        widths = []
        for col, column in enumerate(columns):
            sheet.write_string(0, col, column.string, header)
            widths.append(text_width(column.string))
        for row_number, row in enumerate(rows, 1):
            for col, value in enumerate(row):
                width = cls.write(
                    sheet, row_number, col, columns[col], value, formats[col])
                widths[col] = max(widths[col], width)
        for col, width in enumerate(widths):
            sheet.set_column(
                col, col, min(width + 2, MAX_COLUMN_WIDTH), formats[col])
        sheet.freeze_panes(1, 0)
        if columns:
            sheet.autofilter(0, 0, len(rows), len(columns) - 1)
        workbook.close()
        return content.getvalue()

    @classmethod
    def write(cls, sheet, row, col, column, value, format_):
        "Write value in the cell, typed; return the width it takes"
        if value is None or value == '':
            sheet.write_blank(row, col, None, format_)
            return 0
        if isinstance(value, bool):
            text = gettext('microloan_core.msg_export_true' if value
                else 'microloan_core.msg_export_false')
            sheet.write_string(row, col, text, format_)
            return text_width(text)
        elif isinstance(value, (int, float, Decimal)):
            sheet.write_number(row, col, float(value), format_)
            return len('{:,.{}f}'.format(
                    value * (100 if column.percentage else 1),
                    column.decimals)) + (1 if column.percentage else 0)
        elif isinstance(value, dt.datetime):
            sheet.write_datetime(row, col, local_datetime(value), format_)
            return 19
        elif isinstance(value, (dt.date, dt.time)):
            sheet.write_datetime(row, col, value, format_)
            return 10
        text = str(value)
        # text, never a formula even when it starts with "="
        sheet.write_string(row, col, text, format_)
        return text_width(text)

    @classmethod
    def formats(cls, workbook, columns):
        "The cell format of each column"
        formats = []
        for column in columns:
            if column.percentage:
                # at least two decimals, up to the field's: 12.00%, 0.0333%
                code = '0' + decimals_code(2, column.decimals) + '%'
            elif column.type in NUMBERS:
                code = '#,##0' + decimals_code(column.decimals)
            elif column.type == 'date':
                code = cls.date_format()
            elif column.type in {'datetime', 'timestamp'}:
                code = cls.date_format() + ' hh:mm:ss'
            elif column.type == 'time':
                code = 'hh:mm:ss'
            else:
                code = None
            formats.append(
                workbook.add_format({'num_format': code}) if code else None)
        return formats

    @classmethod
    def date_format(cls):
        "The Excel code of the user's language's date format"
        Lang = Pool().get('ir.lang')
        code = Lang.get().date
        for directive, excel in DATE_CODES.items():
            code = code.replace(directive, excel)
        if '%' in code.replace('%%', ''):
            return 'yyyy-mm-dd'
        return code

    @classmethod
    def sheet_name(cls, title):
        return SHEET_NAME_FORBIDDEN.sub(' ', title)[:SHEET_NAME_LENGTH]


def field_of_path(Model, path):
    "The field a path of export_data ends on"
    field = None
    for name in path.split('/'):
        if field is not None:
            Model = field.get_target()
        field = Model._fields[name.split('.')[0].split(':')[0]]
    return field


def decimals_code(decimals, most=None):
    "Excel's code of decimals shown, and more up to most when not zero"
    optional = max((most or 0) - decimals, 0)
    if not decimals + optional:
        return ''
    return '.' + '0' * decimals + '#' * optional


def text_width(text):
    "The width of text in a cell, wide (CJK) characters counting two"
    return sum(2 if ord(c) > 0x2e7f else 1 for c in text)


def local_datetime(value):
    "A UTC datetime of the database in the user's time zone, without it"
    timezone = Transaction().context.get('timezone')
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    if timezone:
        value = value.astimezone(get_tzinfo(timezone))
    return value.replace(tzinfo=None)
