# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Small helpers shared by the models of the suite"
from decimal import ROUND_HALF_UP, Decimal

from trytond import backend
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access


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


def percent(fraction, digits=None):
    """Return the text of a fraction as a percentage, '' for None:
    0.1 -> '10 %'; with digits decimals rounded half up: 0.12, 2 ->
    '12.00 %'"""
    if fraction is None:
        return ''
    value = Decimal(fraction) * 100
    if digits is None:
        text = format(value.normalize(), 'f')
    else:
        text = str(value.quantize(
                Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))
    return '%s %%' % text


def numbered(vlist, sequence_xml_id):
    """Return copies of the create values vlist, each without a number given
    the next one of the suite's sequence sequence_xml_id"""
    pool = Pool()
    Sequence = pool.get('ir.sequence')
    ModelData = pool.get('ir.model.data')
    sequence = Sequence(ModelData.get_id('microloan_core', sequence_xml_id))
    vlist = [v.copy() for v in vlist]
    missing = [v for v in vlist if not v.get('number')]
    if missing:
        # the numbers of a batch in one step of the sequence
        for values, number in zip(
                missing, sequence.get_many(len(missing))):
            values['number'] = number
    return vlist


def set_customer_scope(values, party_field):
    """Fill the loan officer and branch of create values from the customer
    of party_field, unless one of them is given: the record rules follow
    them"""
    Party = Pool().get('party.party')
    if not values.get(party_field) or (
            'branch' in values or 'loan_officer' in values):
        return
    with without_check_access():
        party = Party(values[party_field])
        values['loan_officer'] = (
            party.loan_officer.id if party.loan_officer else None)
        values['branch'] = party.branch.id if party.branch else None


def user_in_groups(xml_ids):
    "Tell if the user of the transaction is in one of the groups of the suite"
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    if Transaction().user == 0:
        return True
    groups = {ModelData.get_id('microloan_core', x) for x in xml_ids}
    return bool(groups & set(User.get_groups()))


def open_records(action_xml_id, ids):
    """The value of the window action action_xml_id (module.fs_id) opening
    the records ids: a single record on its form, not in a list of one"""
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    Action = pool.get('ir.action')
    module, fs_id = action_xml_id.split('.')
    action = Action(Action.get_action_id(
            ModelData.get_id(module, fs_id))).get_action_value()
    return on_records(action, ids)


def on_records(action, ids):
    """Set the window action's value to open the records ids (a single
    record on its form, not in a list of one); return it"""
    action['res_id'] = list(ids)
    if len(ids) == 1:
        action['views'] = sorted(
            action['views'], key=lambda v: v[1] != 'form')
    return action
