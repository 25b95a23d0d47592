# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""File completeness (档案完整度) of the customer file.

A completeness rule says that a field of the party weighs so much in the
file of a customer kind.  The completeness of a customer is the weight of
the filled fields plus the weight of the required materials signed off
(签收), over the weight of every rule and required material of its kind,
as a whole percentage rounded half up.  What is still missing is listed by
its label, one per line.
"""

from trytond.cache import Cache
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, fields, sequence_ordered)
from trytond.model.fields import Function, MultiValue
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access

from .exceptions import CompletenessRuleError
from .party import CUSTOMER_KINDS
from .tools import first_duplicate, rec_name_domain

# Fields of the party that say nothing about the customer's file
TECHNICAL_FIELDS = {
    'id', 'rec_name', 'create_uid', 'create_date', 'write_uid', 'write_date',
    'active', 'customer_kind', 'code_readonly', 'langs', 'replaced_by',
    'completeness', 'completeness_missing',
    # counted through the required material types
    'materials',
    }
# Function fields a user fills in all the same, through an identifier
FILLABLE_FUNCTIONS = {'resident_id', 'uscc'}
FILLABLE_TYPES = {
    'char', 'text', 'many2one', 'one2many', 'many2many', 'numeric',
    'integer', 'float', 'boolean', 'selection', 'multiselection', 'date',
    'datetime',
    }


def is_filled(type_, value):
    "Tell whether a value read from a field of type_ fills that field"
    if type_ in {'char', 'text'}:
        return bool(value and value.strip())
    elif type_ in {'one2many', 'many2many', 'multiselection'}:
        return bool(value)
    elif type_ == 'boolean':
        return value is True
    elif type_ == 'selection':
        return value not in {None, ''}
    return value is not None


def percentage(filled, total):
    "Return filled / total as a whole percentage rounded half up"
    if not total:
        return 100
    # floor(100 * filled / total + 1/2) in integers: no float on the way
    return (200 * filled + total) // (2 * total)


class CompletenessRule(DeactivableMixin, sequence_ordered(), ModelSQL,
        ModelView):
    "File Completeness Rule"
    __name__ = 'microloan.completeness.rule'
    __string__ = "File Completeness Rule"

    customer_kind = fields.Selection(
        CUSTOMER_KINDS[1:], "Customer Kind", required=True, sort=False)
    customer_kind_string = customer_kind.translated('customer_kind')
    field = fields.Selection(
        'get_party_fields', "Field", required=True,
        help="The field of the customer file that must be filled.")
    field_string = field.translated('field')
    weight = fields.Integer(
        "Weight", required=True,
        domain=[('weight', '>', 0)],
        help="How much the field counts in the completeness of the file.")
    _rules_cache = Cache('microloan.completeness.rule.rules', context=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('customer_kind', 'ASC'))

    @staticmethod
    def default_weight():
        return 1

    @classmethod
    def fillable_fields(cls):
        "Return the names of the fields of the party a rule may require"
        Party = Pool().get('party.party')
        names = []
        for name, field in Party._fields.items():
            if name in TECHNICAL_FIELDS or field._type not in FILLABLE_TYPES:
                continue
            if (isinstance(field, Function)
                    and not isinstance(field, MultiValue)
                    and name not in FILLABLE_FUNCTIONS):
                continue
            names.append(name)
        return names

    @classmethod
    def get_party_fields(cls):
        Party = Pool().get('party.party')
        descriptions = Party.fields_get(cls.fillable_fields())
        return sorted(
            ((n, '%s (%s)' % (d['string'], n))
                for n, d in descriptions.items()),
            key=lambda s: s[1])

    def get_rec_name(self, name):
        return '%s: %s' % (self.customer_kind_string, self.field_string)

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, 'field', 'customer_kind')

    @classmethod
    def validate(cls, rules):
        cls.check_unique(rules)
        super().validate(rules)

    @classmethod
    def check_unique(cls, rules):
        "Refuse a second rule on the same field for the same kind"
        rule = first_duplicate(cls, rules, ['customer_kind', 'field'])
        if rule:
            raise CompletenessRuleError(gettext(
                    'microloan_core.msg_completeness_rule_unique',
                    kind=rule.customer_kind_string,
                    field=rule.field_string))

    @classmethod
    def on_modification(cls, mode, rules, field_names=None):
        super().on_modification(mode, rules, field_names=field_names)
        cls._rules_cache.clear()

    @classmethod
    def rules(cls):
        """Return the active rules as a dictionary: customer kind -> list of
        (field name, weight) in the order of the rules"""
        rules = cls._rules_cache.get(None)
        if rules is not None:
            return rules
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(
                table.customer_kind, table.field, table.weight,
                where=table.active == True,  # noqa: E712
                order_by=[table.sequence.asc.nulls_first, table.id.asc]))
        fillable = set(cls.fillable_fields())
        rules = {}
        for kind, field, weight in cursor:
            # a rule on a field whose module is gone counts for nothing
            if field in fillable:
                rules.setdefault(kind, []).append((field, weight))
        cls._rules_cache.set(None, rules)
        return rules


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    completeness = fields.Function(
        fields.Integer("File Completeness (%)",
            help="The weight of the filled fields and signed materials "
            "over the weight of all the rules of the customer kind, "
            "in percent."),
        'get_completeness')
    completeness_missing = fields.Function(
        fields.Text("Missing from the File",
            help="The fields and the required materials still missing, "
            "one per line."),
        'get_completeness')

    @classmethod
    def get_completeness(cls, parties, names):
        pool = Pool()
        Rule = pool.get('microloan.completeness.rule')
        MaterialType = pool.get('microloan.material.type')
        rules = Rule.rules()
        field_names = sorted({f for k in rules.values() for f, _ in k})
        descriptions = cls.fields_get(field_names)
        with without_check_access():
            values = {r['id']: r for r in cls.read(
                    [p.id for p in parties], ['customer_kind', *field_names])}
        Material = pool.get('microloan.party.material')
        types = MaterialType.required_by_kind()
        signed = Material.signed_types([p.id for p in parties])

        result = {n: {} for n in names}
        for party in parties:
            row = values[party.id]
            kind = row['customer_kind']
            if not kind:
                completeness, missing = None, None
            else:
                total = filled = 0
                missing = []
                for field, weight in rules.get(kind, []):
                    total += weight
                    if is_filled(
                            descriptions[field]['type'], row[field]):
                        filled += weight
                    else:
                        missing.append(descriptions[field]['string'])
                for type_id, type_name, weight in types.get(kind, []):
                    total += weight
                    if (party.id, type_id) in signed:
                        filled += weight
                    else:
                        missing.append(type_name)
                completeness = percentage(filled, total)
                missing = '\n'.join(missing)
            if 'completeness' in result:
                result['completeness'][party.id] = completeness
            if 'completeness_missing' in result:
                result['completeness_missing'][party.id] = missing
        return result

