# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Historical import (历史补录): the loans a company gave before the suite,
with their terms and their past repayments, from an Excel workbook or CSV
files (docs/loan-import.md).

The file has two tables: the loans (sheet 借据) and their repayments (sheet
还款记录), keyed by the original loan number (原借据号).  A workbook holds
both sheets; in CSV they are two files, one per table, with the sheet's
headers.  Every row is checked before anything is written, with the suite's
own rules (the resident ID check, the terms and product checks, the checks
of new loans, the posting check of repayments, the servicing rules that
allocate them); a file with a bad row imports nothing and every error is
listed with its sheet, row and column.  A good file is imported in one
transaction: the customers missing are filed, the loans get their schedule
from one engine call, their disbursement transaction (whose origin is the
import) and their repayments, posted, which one replay allocates.
"""
import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections import defaultdict
from decimal import Decimal, InvalidOperation

import openpyxl
import xlsxwriter
from stdnum.cn import ric as stdnum_ric

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import (
    Button, StateAction, StateTransition, StateView, Wizard)

from . import engine
from .engine import servicing as rules
from .exceptions import LoanTermsError
from .party import compact_identity, identity_problem
from .terms import RATE_DIGITS
from .tools import numbered, on_records
from .workflow import actor_values


class Column:
    "A column of a sheet: its key, its header and how its cells read"

    def __init__(self, key, header, kind, required=True):
        self.key = key
        self.header = header
        self.kind = kind
        self.required = required


# The file's layout: fixed Chinese headers, as the company's staff and its
# former systems name the columns (docs/loan-import.md)
LOAN_SHEET = '借据'
REPAYMENT_SHEET = '还款记录'
LOAN_COLUMNS = (
    Column('number', '原借据号', 'text'),
    Column('borrower_name', '借款人姓名', 'text'),
    Column('resident_id', '身份证号', 'text'),
    Column('product', '产品代码', 'text'),
    Column('principal', '本金', 'amount'),
    Column('annual_rate', '年利率', 'rate'),
    Column('start_date', '放款日', 'date'),
    Column('term_months', '期限(月)', 'integer'),
    Column('method', '还款方式', 'method'),
    Column('basis', '计息方式', 'basis'),
    Column('fund_account', '资金账户', 'text'),
    Column('reference', '放款凭证号', 'text', required=False),
    )
REPAYMENT_COLUMNS = (
    Column('number', '原借据号', 'text'),
    Column('date', '还款日', 'date'),
    Column('amount', '还款金额', 'amount'),
    Column('channel', '还款渠道', 'channel'),
    Column('reference', '凭证号', 'text', required=False),
    )
SHEETS = {LOAN_SHEET: LOAN_COLUMNS, REPAYMENT_SHEET: REPAYMENT_COLUMNS}
# The terms of a loan row, named as the loan's fields
TERMS = ('principal', 'annual_rate', 'term_months', 'method', 'basis')
TEMPLATE_NAMES = {
    None: '历史补录模板.xlsx',
    LOAN_SHEET: LOAN_SHEET + '.csv',
    REPAYMENT_SHEET: REPAYMENT_SHEET + '.csv',
    }
# Characters no CSV file has: their presence says the content is binary
CONTROL = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]')
DATE_FORMATS = ('%Y-%m-%d', '%Y/%m/%d', '%Y.%m.%d', '%Y%m%d', '%Y年%m月%d日')
FEN = Decimal('0.01')


def normalized(text):
    "Text compared as typed in any width and case, without spaces"
    return unicodedata.normalize('NFKC', text or '').strip().casefold()


def cell_text(value):
    "The text of a cell as the user reads it"
    if value is None:
        return ''
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    return unicodedata.normalize('NFKC', str(value)).strip()


class CellError(Exception):
    "A cell that does not read as its column says"

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def parse_decimal(value):
    "A number typed or stored in a cell (Excel stores floats)"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = Decimal(repr(value))
    else:
        text = cell_text(value).replace(',', '').replace(' ', '')
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
    return number if number.is_finite() else None


def parse_amount(value):
    amount = parse_decimal(value)
    if amount is None or amount <= 0 or amount != amount.quantize(FEN):
        raise CellError(gettext('microloan_core.msg_loan_import_amount',
                value=cell_text(value)))
    return amount.quantize(FEN)


def parse_rate(value):
    "A fraction (0.12) or a percentage (12%) with at most 6 decimals"
    text = cell_text(value)
    if isinstance(value, str) and text.endswith('%'):
        rate = parse_decimal(text[:-1])
        rate = rate / 100 if rate is not None else None
    else:
        rate = parse_decimal(value)
    exp = Decimal(1).scaleb(-RATE_DIGITS[1])
    if rate is None or rate != rate.quantize(exp):
        raise CellError(gettext('microloan_core.msg_loan_import_rate',
                value=text))
    return rate.quantize(exp)


def parse_integer(value):
    number = parse_decimal(value)
    if number is None or number != number.to_integral_value():
        raise CellError(gettext('microloan_core.msg_loan_import_integer',
                value=cell_text(value)))
    return int(number)


def parse_date(value):
    "A date cell, or a date typed year first (2026-01-31, 20260131...)"
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    for format_ in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, format_).date()
        except ValueError:
            continue
    raise CellError(gettext('microloan_core.msg_loan_import_date',
            value=text, example=Pool().get('ir.date').today().isoformat()))


def file_text(data):
    """The text of a CSV file: UTF-8 (with or without the byte order mark)
    or GB18030 (GBK, what Excel saves on a Chinese Windows); None when the
    content is not text"""
    for encoding in ('utf-8-sig', 'gb18030'):
        try:
            text = bytes(data).decode(encoding)
        except UnicodeDecodeError:
            continue
        return None if CONTROL.search(text) else text


def file_kind(data):
    "'xlsx' or 'csv' as the content of the file says, else None"
    content = io.BytesIO(bytes(data))
    if zipfile.is_zipfile(content):
        with zipfile.ZipFile(content) as archive:
            if 'xl/workbook.xml' in archive.namelist():
                return 'xlsx'
        return None
    if file_text(data) is not None:
        return 'csv'


def workbook_sheets(data):
    "{sheet name: [(row number, cells)]} of a workbook, or None"
    try:
        book = openpyxl.load_workbook(
            io.BytesIO(bytes(data)), read_only=True, data_only=True)
    except Exception:
        # a damaged workbook is not one
        return None
    try:
        return {name: list(enumerate(
                    book[name].iter_rows(values_only=True), 1))
            for name in book.sheetnames}
    finally:
        book.close()


def csv_rows(data):
    "[(row number, cells)] of a CSV file, or None"
    text = file_text(data)
    if text is None:
        return None
    try:
        return list(enumerate(csv.reader(io.StringIO(text)), 1))
    except csv.Error:
        return None


class Table:
    "A sheet of the file: its columns by position and its rows"

    def __init__(self, sheet, rows):
        self.sheet = sheet
        self.columns = SHEETS[sheet]
        self.rows = rows
        # position -> Column, from the header row
        self.positions = {}

    def check_header(self, errors):
        "Map the header to the sheet's columns; errors say what is wrong"
        known = {normalized(c.header): c for c in self.columns}
        header = self.rows[0][1] if self.rows else ()
        seen = set()
        for position, cell in enumerate(header):
            text = cell_text(cell)
            if not text:
                continue
            column = known.get(normalized(text))
            if column is None:
                errors.add(gettext(
                        'microloan_core.msg_loan_import_column_unknown',
                        column=text, sheet=self.sheet,
                        columns='、'.join(c.header for c in self.columns)),
                    self.sheet, 1, text)
            elif column.key in seen:
                errors.add(gettext(
                        'microloan_core.msg_loan_import_column_duplicate',
                        column=text), self.sheet, 1, text)
            else:
                seen.add(column.key)
                self.positions[position] = column
        for column in self.columns:
            if column.required and column.key not in seen:
                errors.add(gettext(
                        'microloan_core.msg_loan_import_column_missing',
                        column=column.header, sheet=self.sheet),
                    self.sheet, 1, column.header)

    def records(self):
        "Yield (row number, {key: cell}) of the rows that are not empty"
        for number, cells in self.rows[1:]:
            values = {c.key: None for c in self.columns}
            for position, column in self.positions.items():
                if position < len(cells):
                    values[column.key] = cells[position]
            if any(cell_text(v) for v in values.values()):
                yield number, values


class Errors(list):
    "The errors found in a file: dicts of sheet, row, column and message"

    def add(self, message, sheet=None, row=None, column=None):
        self.append({
                'sheet': sheet, 'row': row, 'column': column,
                'message': message,
                })

    def in_file_order(self):
        sheets = list(SHEETS)
        headers = {s: [c.header for c in cs] for s, cs in SHEETS.items()}

        def key(error):
            sheet = error['sheet']
            columns = headers.get(sheet, [])
            return (sheets.index(sheet) if sheet in sheets else -1,
                error['row'] or 0,
                columns.index(error['column'])
                if error['column'] in columns else len(columns))
        return sorted(self, key=key)


class Row:
    "A row of the file, read, with what the import found of it"

    def __init__(self, table, number, values):
        self.sheet = table.sheet
        self.number = number
        self.values = values
        self.good = True
        self.loan = None            # an unsaved loan, for the checks
        self.schedule = None
        self.repayments = []


class ImportBatch(ModelSQL, ModelView):
    "Historical Import"
    __name__ = 'microloan.loan.import.batch'
    __string__ = "Historical Import"

    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    file_name = fields.Char("File Name", readonly=True)
    imported_by = fields.Many2One(
        'company.employee', "Imported by", readonly=True)
    imported_user = fields.Many2One(
        'res.user', "Imported by User", readonly=True)
    imported_at = fields.DateTime("Imported at", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('imported_at', 'DESC'), ('id', 'DESC')]

    def get_rec_name(self, name):
        return self.file_name or str(self.id)

    @classmethod
    def import_files(cls, files):
        """Check the tables of files, [(name, content)]: a workbook, or the
        CSV of loans and optionally the CSV of repayments; import them when
        every row is good.  Return (the loans imported, the errors)."""
        errors = Errors()
        tables = cls._read(files, errors)
        if errors:
            return [], errors
        loans = cls._check_loans(tables[LOAN_SHEET], errors)
        cls._check_repayments(tables.get(REPAYMENT_SHEET), loans, errors)
        good = [r for r in loans if r.good]
        cls._check_new_loans(good, errors)
        cls._check_schedules([r for r in good if r.good], errors)
        cls._check_allocations([r for r in good if r.good], errors)
        if errors:
            return [], errors
        return cls._import(files[0][0], loans), errors

    # Reading the file
    @classmethod
    def _read(cls, files, errors):
        "Return {sheet: Table} of the files"
        (name, data), *others = files
        others = [(n, d) for n, d in others if d]
        kind = file_kind(data)
        tables = {}
        if kind == 'xlsx':
            sheets = workbook_sheets(data)
            if sheets is None:
                kind = None
            else:
                for sheet in SHEETS:
                    if sheet in sheets:
                        tables[sheet] = Table(sheet, sheets[sheet])
                if LOAN_SHEET not in tables:
                    errors.add(gettext(
                            'microloan_core.msg_loan_import_sheet_missing',
                            file=name, sheet=LOAN_SHEET))
                for _ in others:
                    errors.add(gettext(
                            'microloan_core.msg_loan_import_repayments_file',
                            file=name, sheet=REPAYMENT_SHEET))
        if kind == 'csv':
            tables[LOAN_SHEET] = Table(LOAN_SHEET, csv_rows(data))
            for other, other_data in others:
                rows = csv_rows(other_data)
                if rows is None:
                    errors.add(gettext(
                            'microloan_core.msg_loan_import_file_type',
                            file=other))
                else:
                    tables[REPAYMENT_SHEET] = Table(REPAYMENT_SHEET, rows)
        if kind is None:
            errors.add(gettext('microloan_core.msg_loan_import_file_type',
                    file=name))
        for table in tables.values():
            table.check_header(errors)
        return tables

    @classmethod
    def _parsers(cls):
        "{column kind: function reading a cell}"
        pool = Pool()
        Loan = pool.get('microloan.loan')
        Repayment = pool.get('microloan.loan.repayment')
        return {
            'text': cell_text,
            'amount': parse_amount,
            'rate': parse_rate,
            'integer': parse_integer,
            'date': parse_date,
            # a free plan has its plan lines, which the file does not carry
            'method': choice_parser(Loan, 'method', exclude={'free'}),
            'basis': choice_parser(Loan, 'basis'),
            'channel': choice_parser(Repayment, 'channel'),
            }

    @classmethod
    def _rows(cls, table, errors):
        "The rows of table with their cells read; errors for the bad cells"
        parsers = cls._parsers()
        rows = []
        for number, cells in table.records():
            row = Row(table, number, {})
            for column in table.columns:
                cell = cells[column.key]
                if not cell_text(cell):
                    row.values[column.key] = None
                    if column.required:
                        row.good = False
                        errors.add(gettext(
                                'microloan_core.msg_loan_import_value_missing',
                                column=column.header),
                            table.sheet, number, column.header)
                    continue
                try:
                    row.values[column.key] = parsers[column.kind](cell)
                except CellError as error:
                    row.values[column.key] = None
                    row.good = False
                    errors.add(error.message, table.sheet, number,
                        column.header)
            rows.append(row)
        return rows

    # The loans
    @classmethod
    def _check_loans(cls, table, errors):
        "Return the rows of the loans, checked one by one"
        rows = cls._rows(table, errors)
        if not rows:
            errors.add(gettext('microloan_core.msg_loan_import_no_loan',
                    sheet=table.sheet), table.sheet)
        company = cls._company()
        # what the rows name, looked up for all of them at once
        found = {
            'product': cls._products(company, rows),
            'fund_account': cls._fund_accounts(company, rows),
            'borrower': cls._parties(rows),
            'imported': cls._imported(company, rows),
            'numbers': {},
            'names': {},
            }
        defaults = cls._loan_defaults()
        for row in rows:
            cls._check_loan(row, found, errors)
            if row.good:
                row.loan = cls._pending_loan(company, row, defaults)
                cls._check_terms(row, errors)
        return rows

    @classmethod
    def _check_loan(cls, row, found, errors):
        """Check a loan row against the file and the company's records and
        give it its product, fund account and customer on file"""
        Date = Pool().get('ir.date')
        values = row.values

        def refuse(message, key):
            row.good = False
            errors.add(message, row.sheet, row.number,
                header(LOAN_COLUMNS, key))
        number = values['number']
        if number in found['numbers']:
            refuse(gettext('microloan_core.msg_loan_import_duplicate',
                    number=number, row=found['numbers'][number].number),
                'number')
        elif number:
            found['numbers'][number] = row
        if number in found['imported']:
            refuse(gettext('microloan_core.msg_loan_import_exists',
                    number=number, loan=found['imported'][number].rec_name),
                'number')
        values['borrower'] = None
        if values['resident_id']:
            code = values['resident_id'] = compact_identity(
                values['resident_id'])
            problem = identity_problem('cn_ric', code)
            if problem:
                refuse(problem, 'resident_id')
            else:
                cls._check_borrower(row, found['borrower'].get(code),
                    found['names'], refuse)
        for key, msg_id, name in [
                ('product', 'msg_loan_import_product', 'code'),
                ('fund_account', 'msg_loan_import_fund_account', 'account'),
                ]:
            text = values[key]
            if text:
                values[key] = found[key].get(text)
                if values[key] is None:
                    refuse(gettext('microloan_core.' + msg_id,
                            **{name: text}), key)
        if values['start_date'] and values['start_date'] > Date.today():
            refuse(gettext('microloan_core.msg_loan_import_date_future',
                    date=values['start_date'].isoformat()), 'start_date')

    @classmethod
    def _check_borrower(cls, row, party, names, refuse):
        """Give the row the customer of its resident ID; refuse another
        name than the customer's on file or than an earlier row's"""
        values = row.values
        code, given = values['resident_id'], values['borrower_name']
        if given:
            name = party.name if party else names.setdefault(code, given)
            if normalized(name) != normalized(given):
                refuse(gettext(
                        'microloan_core.msg_loan_import_borrower_name',
                        code=code, name=name, given=given), 'borrower_name')
        values['borrower'] = party

    @classmethod
    def _company(cls):
        Company = Pool().get('company.company')
        return Company(Transaction().context['company'])

    @classmethod
    def _products(cls, company, rows):
        "{code: product} of the codes of rows that name one active product"
        Product = Pool().get('microloan.product')
        codes = {r.values['product'] for r in rows if r.values['product']}
        found = defaultdict(list)
        for product in Product.search([
                    ('company', '=', company.id),
                    ('code', 'in', list(codes)),
                    ]):
            found[product.code].append(product)
        return {c: ps[0] for c, ps in found.items() if len(ps) == 1}

    @classmethod
    def _fund_accounts(cls, company, rows):
        """{text: account} of the fund accounts of rows named by their
        account number or their name: one active account of the company in
        its currency"""
        FundAccount = Pool().get('microloan.fund_account')
        accounts = FundAccount.search([
                ('company', '=', company.id),
                ('currency', '=', company.currency.id),
                ])
        result = {}
        for text in {r.values['fund_account'] for r in rows
                if r.values['fund_account']}:
            for name in ['account_number', 'name']:
                matches = [a for a in accounts
                    if normalized(getattr(a, name)) == normalized(text)]
                if matches:
                    if len(matches) == 1:
                        result[text] = matches[0]
                    break
        return result

    @classmethod
    def _parties(cls, rows):
        "{resident ID: party} of the customers on file for the rows"
        Identifier = Pool().get('party.identifier')
        codes = {compact_identity(r.values['resident_id']) for r in rows
            if r.values['resident_id']}
        identifiers = Identifier.search([
                ('type', '=', 'cn_ric'),
                ('code_compact', 'in', list(codes)),
                ], order=[('id', 'ASC')])
        result = {}
        for identifier in identifiers:
            result.setdefault(identifier.code_compact, identifier.party)
        return result

    @classmethod
    def _imported(cls, company, rows):
        "{original number: loan} of the rows' loans imported before"
        Loan = Pool().get('microloan.loan')
        numbers = {r.values['number'] for r in rows if r.values['number']}
        return {l.original_number: l for l in Loan.search([
                    ('company', '=', company.id),
                    ('original_number', 'in', list(numbers)),
                    ])}

    @classmethod
    def _loan_values(cls, company, row):
        "The create values of the loan of a good row (borrower not yet)"
        values = row.values
        return {
            'company': company.id,
            'product': values['product'].id,
            'principal': values['principal'],
            'annual_rate': values['annual_rate'],
            'start_date': values['start_date'],
            'term_months': values['term_months'],
            'method': values['method'],
            'basis': values['basis'],
            'original_number': values['number'],
            }

    @classmethod
    def _loan_defaults(cls):
        """The values of a new loan before the row's: its defaults, None
        for the fields the checks of new loans read, and nothing linked to
        it yet (installments, transactions... whichever module adds them)"""
        Loan = Pool().get('microloan.loan')
        defaults = {n: [] for n, f in Loan._fields.items()
            if f._type in {'one2many', 'many2many'}}
        defaults.update(dict.fromkeys(Loan._checked_fields()))
        defaults.update(Loan.default_get(
                list(Loan._fields), with_rec_name=False))
        return defaults

    @classmethod
    def _pending_loan(cls, company, row, defaults):
        """The loan of a good row as it will be once imported, unsaved,
        named by its original number in the messages of the checks"""
        Loan = Pool().get('microloan.loan')
        values = dict(defaults)
        values.update(cls._loan_values(company, row))
        values.update(
            # the rows of a product share it, and what it read
            company=company,
            product=row.values['product'],
            borrower=row.values['borrower'],
            rec_name=row.values['number'],
            currency=company.currency,
            state='active')
        return Loan(**values)

    @classmethod
    def _check_terms(cls, row, errors):
        """Refuse the terms of the row's loan as the loan does (its own
        checks, then its product's), naming the column of each term
        refused: the check is run again on each term alone, the others at
        values the product takes"""
        loan = row.loan
        for check in ['check_terms_values', 'check_product_terms']:
            try:
                getattr(loan, check)()
                continue
            except UserError as error:
                whole = error.message
            reference = cls._reference_terms(loan)
            refusals = [(k, m) for k in TERMS
                if (m := _term_refusal(loan, check, k, reference))]
            for key, message in refusals or [(None, whole)]:
                errors.add(message, row.sheet, row.number,
                    header(LOAN_COLUMNS, key))
            row.good = False
            return

    @classmethod
    def _reference_terms(cls, loan):
        "Terms the loan's product takes: its minimums and first choices"
        product = loan.product
        return {
            'principal': product.min_amount,
            'annual_rate': product.min_rate,
            'term_months': product.min_term,
            'method': product.default_method,
            'basis': product.bases[0],
            }

    @classmethod
    def _check_new_loans(cls, rows, errors):
        """The checks of the new loans of customers on file (credit line,
        contract, blacklist): all at once, then row by row on a refusal"""
        Loan = Pool().get('microloan.loan')
        rows = [r for r in rows if r.values['borrower']]
        try:
            Loan.check_new_loans([r.loan for r in rows])
            return
        except UserError as error:
            failed = error
        found = False
        for row in rows:
            try:
                Loan.check_new_loans([row.loan])
            except UserError as error:
                row.good = False
                found = True
                errors.add(error.message, row.sheet, row.number)
        if not found:
            # refused together only (a credit line drawn by several rows)
            for row in rows:
                row.good = False
            errors.add(failed.message, LOAN_SHEET)

    @classmethod
    def _check_schedules(cls, rows, errors):
        "Compute the schedules of the rows' loans in one engine call"
        pool = Pool()
        Loan = pool.get('microloan.loan')
        Installment = pool.get('microloan.loan.installment')
        while rows:
            try:
                schedules = Loan.schedules([r.loan for r in rows])
                break
            except LoanTermsError as error:
                # the engine names the first loan it refuses
                index = getattr(error.__cause__, 'index', None) or 0
                row = rows.pop(index)
                row.good = False
                errors.add(error.message, row.sheet, row.number)
        else:
            return
        for row, schedule in zip(rows, schedules):
            row.schedule = schedule
            row.loan.installments = [
                Installment(**Installment.engine_values(r))
                for r in schedule]

    # The repayments
    @classmethod
    def _check_repayments(cls, table, loans, errors):
        "Return the rows of the repayments, checked one by one"
        if table is None:
            return []
        pool = Pool()
        Repayment = pool.get('microloan.loan.repayment')
        rows = cls._rows(table, errors)
        by_number = {r.values['number']: r for r in loans
            if r.values['number']}
        company = cls._company()
        # the repayments as they will be created, for the posting check
        defaults = Repayment.default_get(
            list(Repayment._fields), with_rec_name=False)
        for row in rows:
            loan_row = by_number.get(row.values['number'])
            if row.values['number'] and loan_row is None:
                row.good = False
                errors.add(gettext(
                        'microloan_core.msg_loan_import_unknown_loan',
                        number=row.values['number'], sheet=LOAN_SHEET),
                    row.sheet, row.number, header(REPAYMENT_COLUMNS, 'number'))
            if not row.good or loan_row is None or not loan_row.good:
                continue
            loan_row.repayments.append(row)
            repayment = Repayment(**dict(defaults,
                    **cls._repayment_values(company, loan_row, row),
                    loan=loan_row.loan,
                    rec_name=row.values['reference'] or row.values['number']))
            try:
                repayment.check_postable()
            except UserError as error:
                row.good = False
                errors.add(error.message, row.sheet, row.number,
                    header(REPAYMENT_COLUMNS, 'date'))
        return rows

    @classmethod
    def _check_allocations(cls, rows, errors):
        """Replay each loan's repayments by the servicing rules: a
        repayment over what its loan owed that day is refused"""
        pool = Pool()
        Loan = pool.get('microloan.loan')
        Lang = pool.get('ir.lang')
        lang = Lang.get()
        for row in rows:
            repayments = [r for r in row.repayments if r.good]
            if not repayments:
                continue
            events = [(rules.Event(
                        r.values['date'], 'repayment',
                        engine.decimal_to_fen(r.values['amount']),
                        sequence=(0, 'repayment', i), key=i), {})
                for i, r in enumerate(repayments)]
            servicing = Loan.servicing(
                [row.loan], events={row.loan.id: events})[row.loan.id]
            for allocation in servicing.allocations:
                if allocation.overpayment > 0:
                    repayment = repayments[allocation.key]
                    repayment.good = False
                    currency = row.loan.currency
                    errors.add(gettext(
                            'microloan_core.msg_loan_import_overpaid',
                            amount=lang.currency(
                                repayment.values['amount'], currency),
                            date=lang.strftime(repayment.values['date']),
                            loan=row.values['number'],
                            overpayment=lang.currency(engine.fen_to_decimal(
                                    allocation.overpayment), currency)),
                        repayment.sheet, repayment.number,
                        header(REPAYMENT_COLUMNS, 'amount'))

    # Writing, once every row is good
    @classmethod
    def _import(cls, file_name, loan_rows):
        """Create the customers missing, the loans with their schedule and
        disbursement, the repayments posted, and allocate them; return the
        loans"""
        pool = Pool()
        Loan = pool.get('microloan.loan')
        LoanTransaction = pool.get('microloan.loan.transaction')
        Repayment = pool.get('microloan.loan.repayment')
        company = cls._company()
        batch, = cls.create([cls._batch_values(company, file_name)])
        cls._create_customers(loan_rows)
        # numbered all at once: one step of the sequence, not one a loan
        loans = Loan.create(numbered([
                    dict(cls._loan_values(company, r),
                        borrower=r.values['borrower'].id)
                    for r in loan_rows], 'sequence_loan'))
        Loan.store_schedules(loans, [r.schedule for r in loan_rows])
        LoanTransaction.post([
                cls._disbursement_values(batch, loan, row)
                for loan, row in zip(loans, loan_rows)])
        posted = dict(actor_values('posted'), posted_at=dt.datetime.now())
        Repayment.create(numbered([
                    dict(cls._repayment_values(company, row, r),
                        loan=loan.id, **posted)
                    for loan, row in zip(loans, loan_rows)
                    for r in row.repayments], 'sequence_repayment'))
        Loan.replay(loans)
        return loans

    @classmethod
    def _batch_values(cls, company, file_name):
        values = actor_values('imported')
        values.update({
                'company': company.id,
                'file_name': file_name,
                'imported_at': dt.datetime.now(),
                })
        return values

    @classmethod
    def _create_customers(cls, rows):
        """File the borrowers not on file as individual customers, one per
        resident ID, and give the rows their party"""
        Party = Pool().get('party.party')
        missing = {}
        for row in rows:
            if not row.values['borrower']:
                missing.setdefault(row.values['resident_id'], row)
        vlist = [cls._customer_values(r) for r in missing.values()]
        sequence = Party._code_sequence()
        if sequence and vlist:
            # the party codes in one step of the sequence
            for values, code in zip(vlist, sequence.get_many(len(vlist))):
                values['code'] = code
        parties = dict(zip(missing, Party.create(vlist)))
        for row in rows:
            if not row.values['borrower']:
                row.values['borrower'] = parties[row.values['resident_id']]

    @classmethod
    def _customer_values(cls, row):
        "The values of the individual customer of a row's borrower"
        return {
            'name': row.values['borrower_name'],
            'customer_kind': 'individual',
            'identifiers': [('create', [{
                            'type': 'cn_ric',
                            'code': row.values['resident_id'],
                            }])],
            }

    @classmethod
    def _disbursement_values(cls, batch, loan, row):
        "The disbursement transaction of an imported loan"
        return {
            'loan': loan.id,
            'date': loan.start_date,
            'kind': 'disbursement',
            'amount': loan.principal,
            'principal': loan.principal,
            'fund_account': row.values['fund_account'].id,
            'reference': row.values['reference'],
            'origin': str(batch),
            }

    @classmethod
    def _repayment_values(cls, company, loan_row, row):
        """The values of a repayment of the loan of loan_row (but the
        loan), into the fund account of the loan, paid by its borrower"""
        return {
            'company': company.id,
            'currency': company.currency.id,
            'date': row.values['date'],
            'amount': row.values['amount'],
            'fund_account': loan_row.values['fund_account'].id,
            'channel': row.values['channel'],
            'payer': loan_row.values['borrower_name'],
            'reference': row.values['reference'],
            'state': 'posted',
            }

    # The template
    @classmethod
    def template_examples(cls):
        """{sheet: [row values by key]}: the example rows of the template,
        a loan of the company's first product from its first fund account
        and the repayment of its first installment, on time"""
        pool = Pool()
        Date = pool.get('ir.date')
        Product = pool.get('microloan.product')
        FundAccount = pool.get('microloan.fund_account')
        Loan = pool.get('microloan.loan')
        Repayment = pool.get('microloan.loan.repayment')
        company = cls._company()
        product, = Product.search([('company', '=', company.id)],
            limit=1) or [None]
        account, = FundAccount.search([
                ('company', '=', company.id),
                ('currency', '=', company.currency.id),
                ], limit=1) or [None]
        terms = {
            'principal': Decimal('100000.00'),
            'annual_rate': Decimal('0.12'),
            'start_date': engine.add_months(Date.today(), -6),
            'term_months': 12,
            'method': 'equal_installment',
            'basis': 'month',
            }
        if product:
            # within what the product allows
            for key, low, high in [
                    ('principal', product.min_amount, product.max_amount),
                    ('annual_rate', product.min_rate, product.max_rate),
                    ('term_months', product.min_term, product.max_term)]:
                terms[key] = min(max(terms[key], low), high)
            methods = [m for m in (product.default_method,)
                + tuple(product.methods) if m != 'free']
            terms.update(method=methods[0] if methods else 'bullet',
                basis=product.bases[0])
        first = engine.generate([terms])[0][0]
        labels = {f: dict(s['selection']) for f, s in Loan.fields_get(
                ['method', 'basis']).items()}
        channels = dict(Repayment.fields_get(
                ['channel'])['channel']['selection'])
        body = '11010819850615002'
        loan = dict(terms,
            number='JD-0001',
            borrower_name='张伟',
            resident_id=body + stdnum_ric.calc_check_digit(body + '0'),
            product=product.code if product else 'XF01',
            method=labels['method'][terms['method']],
            basis=labels['basis'][terms['basis']],
            fund_account=((account.account_number or account.name)
                if account else '工行基本户'),
            reference='FK-0001')
        repayment = {
            'number': 'JD-0001',
            'date': first['due_date'],
            'amount': first['total'],
            'channel': channels['transfer'],
            'reference': 'HK-0001',
            }
        return {LOAN_SHEET: [loan], REPAYMENT_SHEET: [repayment]}

    @classmethod
    def template_workbook(cls):
        "The .xlsx template: both sheets, headers and example rows"
        content = io.BytesIO()
        book = xlsxwriter.Workbook(content, {'in_memory': True})
        head = book.add_format({'bold': True, 'bg_color': '#DDEBF7'})
        formats = {
            'text': book.add_format({'num_format': '@'}),
            'amount': book.add_format({'num_format': '#,##0.00'}),
            'rate': book.add_format({'num_format': '0.00##%'}),
            'integer': book.add_format({'num_format': '0'}),
            'date': book.add_format({'num_format': 'yyyy-mm-dd'}),
            }
        for sheet, rows in cls.template_examples().items():
            worksheet = book.add_worksheet(sheet)
            for col, column in enumerate(SHEETS[sheet]):
                format_ = formats.get(column.kind, formats['text'])
                worksheet.set_column(col, col, 16, format_)
                worksheet.write_string(0, col, column.header, head)
                for number, row in enumerate(rows, 1):
                    value = row[column.key]
                    if isinstance(value, dt.date):
                        worksheet.write_datetime(number, col, value, format_)
                    elif isinstance(value, (int, Decimal)):
                        worksheet.write_number(
                            number, col, float(value), format_)
                    else:
                        worksheet.write_string(number, col, value, format_)
            worksheet.freeze_panes(1, 0)
        book.close()
        return content.getvalue()

    @classmethod
    def template_csv(cls, sheet):
        """The CSV template of the table sheet, in UTF-8 with its byte order
        mark (Excel then reads its Chinese)"""
        content = io.StringIO()
        writer = csv.writer(content, lineterminator='\r\n')
        writer.writerow([c.header for c in SHEETS[sheet]])
        for row in cls.template_examples()[sheet]:
            writer.writerow([cell_text(row[c.key]) for c in SHEETS[sheet]])
        return content.getvalue().encode('utf-8-sig')


def header(columns, key):
    "The header of the column key, None for None"
    for column in columns:
        if column.key == key:
            return column.header


def choice_parser(Model, name, exclude=()):
    """Return the function reading a cell of the selection field name of
    Model: its key, or its label in the user's language or in Chinese"""
    choices = {}
    allowed = []
    languages = [None, 'zh_CN']
    for language in languages:
        context = {'language': language} if language else {}
        with Transaction().set_context(**context):
            selection = Model.fields_get([name])[name]['selection']
        for key, label in selection:
            if key and key not in exclude:
                choices.setdefault(normalized(key), key)
                choices.setdefault(normalized(label), key)
                if language is None:
                    allowed.append(label)

    def parse(value):
        key = choices.get(normalized(cell_text(value)))
        if key is None:
            raise CellError(gettext('microloan_core.msg_loan_import_choice',
                    value=cell_text(value), allowed='、'.join(allowed)))
        return key
    return parse


def _term_refusal(loan, check, key, terms):
    """The message of the loan's check refusing its term key alone (the
    other terms set to terms), or None"""
    saved = {k: getattr(loan, k) for k in TERMS}
    try:
        for name in TERMS:
            if name != key:
                setattr(loan, name, terms[name])
        getattr(loan, check)()
    except UserError as error:
        return error.message
    finally:
        for name, value in saved.items():
            setattr(loan, name, value)


class Loan(metaclass=PoolMeta):
    __name__ = 'microloan.loan'

    original_number = fields.Char(
        "Original Loan Number", readonly=True,
        help="The number of the loan in the system it was imported from "
        "(历史补录).")

    @classmethod
    def copy(cls, loans, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('original_number', None)
        return super().copy(loans, default=default)


class LoanTransaction(metaclass=PoolMeta):
    __name__ = 'microloan.loan.transaction'

    @classmethod
    def _get_origins(cls):
        return super()._get_origins() + ['microloan.loan.import.batch']


class ImportStart(ModelView):
    "Import Historical Loans"
    __name__ = 'microloan.loan.import.start'
    __string__ = "Import Historical Loans"

    template = fields.Binary(
        "Excel Template", readonly=True, filename='template_name',
        help="A workbook with the sheets 借据 (loans) and 还款记录 "
        "(repayments): their headers and an example row.")
    template_name = fields.Char("Excel Template Name", readonly=True)
    loans_template = fields.Binary(
        "CSV Template of Loans", readonly=True,
        filename='loans_template_name')
    loans_template_name = fields.Char(
        "CSV Template of Loans Name", readonly=True)
    repayments_template = fields.Binary(
        "CSV Template of Repayments", readonly=True,
        filename='repayments_template_name')
    repayments_template_name = fields.Char(
        "CSV Template of Repayments Name", readonly=True)
    file = fields.Binary(
        "File", required=True, filename='file_name',
        help="The Excel workbook (.xlsx) with the sheets 借据 and 还款记录, "
        "or the CSV file of the loans.")
    file_name = fields.Char("File Name")
    repayments_file = fields.Binary(
        "Repayments File", filename='repayments_file_name',
        help="With a CSV file of loans: the CSV file of their repayments.")
    repayments_file_name = fields.Char("Repayments File Name")


class ImportErrors(ModelView):
    "Historical Import Errors"
    __name__ = 'microloan.loan.import.errors'
    __string__ = "Historical Import Errors"

    summary = fields.Text("Summary", readonly=True)
    errors = fields.One2Many(
        'microloan.loan.import.error', None, "Errors", readonly=True)


class ImportErrorLine(ModelView):
    "Historical Import Error"
    __name__ = 'microloan.loan.import.error'
    __string__ = "Historical Import Error"

    sheet = fields.Char("Sheet", readonly=True)
    row = fields.Integer("Row", readonly=True)
    column = fields.Char("Column", readonly=True)
    message = fields.Text("Error", readonly=True)


class Import(Wizard):
    "Import Historical Loans"
    __name__ = 'microloan.loan.import'

    start = StateView('microloan.loan.import.start',
        'microloan_core.loan_import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateTransition()
    errors = StateView('microloan.loan.import.errors',
        'microloan_core.loan_import_errors_view_form', [
            Button("Back", 'start', 'tryton-back'),
            Button("Close", 'end', 'tryton-close', default=True),
            ])
    open_ = StateAction('microloan_core.act_loan_form')

    def default_start(self, fields):
        Batch = Pool().get('microloan.loan.import.batch')
        with without_check_access():
            return {
                'template': Batch.template_workbook(),
                'template_name': TEMPLATE_NAMES[None],
                'loans_template': Batch.template_csv(LOAN_SHEET),
                'loans_template_name': TEMPLATE_NAMES[LOAN_SHEET],
                'repayments_template': Batch.template_csv(REPAYMENT_SHEET),
                'repayments_template_name': TEMPLATE_NAMES[REPAYMENT_SHEET],
                }

    def transition_import_(self):
        Batch = Pool().get('microloan.loan.import.batch')
        files = [(self.start.file_name, self.start.file)]
        if self.start.repayments_file:
            files.append((self.start.repayments_file_name,
                    self.start.repayments_file))
        # the bookkeeping of the suite, for whom the action allows
        with without_check_access():
            loans, errors = Batch.import_files(files)
        if errors:
            self._errors = errors.in_file_order()
            return 'errors'
        self._loans = loans
        return 'open_'

    def default_errors(self, fields):
        errors = getattr(self, '_errors', [])
        return {
            'summary': gettext('microloan_core.msg_loan_import_refused',
                count=len(errors)),
            'errors': errors,
            }

    def do_open_(self, action):
        return on_records(action, [l.id for l in self._loans]), {}
