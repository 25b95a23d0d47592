# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Small helpers shared by the models of the suite"
from trytond import backend
from trytond.transaction import Transaction


def rec_name_domain(clause, *names):
    """Return the domain searching the rec_name clause in each field of
    names: any of them matches, or none for a negative operator"""
    _, operator, operand, *extra = clause
    if operator.startswith('!') or operator.startswith('not '):
        bool_op = 'AND'
    else:
        bool_op = 'OR'
    return [bool_op] + [(name, operator, operand, *extra) for name in names]


def first_duplicate(Model, records, names):
    """Return the first of records that another row of Model matches on
    every field of names (Many2One fields by id), or None.

    What a unique constraint does, leaving the message to the caller so that
    it names the values; the table is locked first, as the host does for
    such checks, where the database can lock."""
    if backend.name != 'sqlite':
        Model.lock()
    table = Model.__table__()
    cursor = Transaction().connection.cursor()
    for record in records:
        where = table.id != record.id
        for name in names:
            value = getattr(record, name)
            where &= getattr(table, name) == getattr(value, 'id', value)
        cursor.execute(*table.select(table.id, where=where, limit=1))
        if cursor.fetchone():
            return record


def percent(fraction):
    "Return the text of a Decimal fraction as a percentage: 0.1 -> '10 %'"
    return '%s %%' % format((fraction * 100).normalize(), 'f')
