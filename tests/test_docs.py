# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The rules the code cites live in docs/ of the repository: every page a
comment names exists, a cited schedule rule is on its page, no comment
points outside the repository, and the worked example of the schedule rules
is what the engine computes, to the fen."""
import datetime as dt
import pathlib
import re
from decimal import Decimal

from trytond.modules.microloan_core.engine import generate

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS = ROOT / 'docs'
SCHEDULE_RULES = DOCS / 'schedule-rules.md'
# What the repository's text is read in
SOURCES = ['microloan_core', 'tests', 'scripts', 'docs', 'docker',
    'README.md', 'Makefile', 'conftest.py', 'pyproject.toml']
SUFFIXES = {'.py', '.xml', '.md', '.rst', '.cfg', '.toml', '.sh', '.yaml',
    '.conf', '.txt', '.json', ''}
# Names of reference files kept outside the repository (written in two
# pieces so that this file does not name them itself)
OUTSIDE = re.compile('|'.join([
            r'\b(SCHEDULE|DOMAIN|SERVICING|ARCHITECTURE)' + r'\.md',
            r'shared' + r'/(reference|design)']))


def texts():
    "Yield (path relative to the root, text) of the repository's text files"
    for source in SOURCES:
        path = ROOT / source
        files = [path] if path.is_file() else sorted(path.rglob('*'))
        for file in files:
            if (not file.is_file() or file.suffix not in SUFFIXES
                    or '__pycache__' in file.parts
                    or file.name == 'Dockerfile.dockerignore'):
                continue
            try:
                text = file.read_text(encoding='utf-8')
            except UnicodeDecodeError:
                continue
            yield str(file.relative_to(ROOT)), text


def test_every_cited_docs_page_exists():
    "Each docs/<page>.md named in the repository is a file of docs/"
    cited = {}
    for name, text in texts():
        for page in re.findall(r'\bdocs/([\w.-]+\.md)', text):
            cited.setdefault(page, name)
    assert {'schedule-rules.md', 'domain.md', 'engine.md'} <= set(cited)
    missing = {page: name for page, name in cited.items()
        if not (DOCS / page).is_file()}
    assert not missing, missing


def test_cited_schedule_rules_are_on_their_page():
    "A comment's 'docs/schedule-rules.md, rule N' finds a 'Rule N' heading"
    rules = set(re.findall(
            r'^## Rule (\d+):', SCHEDULE_RULES.read_text(), re.MULTILINE))
    cited = {}
    for name, text in texts():
        for number in re.findall(
                r'schedule[- ]rules(?:\.md)?,?\s+rule\s+(\d+)', text):
            cited.setdefault(number, name)
    assert {'1', '2', '3'} <= set(cited)
    assert set(cited) <= rules, {n: cited[n] for n in set(cited) - rules}


def test_no_file_names_a_reference_outside_the_repository():
    "No comment, docstring or page points at files the repository lacks"
    found = [(name, match.group(0))
        for name, text in texts()
        for match in OUTSIDE.finditer(text)]
    assert found == []


def amounts(text):
    return Decimal(text.replace(',', ''))


def test_worked_example_of_the_schedule_rules_is_the_engine_s():
    "The equal-installment table of the schedule rules, row by row"
    text = SCHEDULE_RULES.read_text()
    table = re.findall(
        r'^\| (\d+) \| (\d{4}-\d\d-\d\d) \| ([\d,.]+) \| ([\d,.]+) '
        r'\| ([\d,.]+) \| ([\d,.]+) \|$', text, re.MULTILINE)
    schedule, = generate([{
                'principal': Decimal('100000.00'),
                'annual_rate': Decimal('0.12'),
                'start_date': dt.date(2026, 1, 31),
                'term_months': 12,
                'method': 'equal_installment',
                'basis': 'month',
                }])
    assert [(int(seq), dt.date.fromisoformat(due), amounts(principal),
                amounts(interest), amounts(total), amounts(balance))
            for seq, due, principal, interest, total, balance in table] == [
        (row['seq'], row['due_date'], row['principal'], row['interest'],
            row['total'], row['balance']) for row in schedule]
    assert 'The interest adds up to 6,618.53.' in text
    assert sum(row['interest'] for row in schedule) == Decimal('6618.53')
