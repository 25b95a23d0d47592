# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Relationships (关联关系) between parties and the related-parties query.

A relation is typed (spouse, shareholder of, legal representative of,
guarantor of, same controller...).  Each link is stored in both directions:
creating "A shareholder of B" also stores "B has shareholder A" with the
reverse type, so each party's form lists all its relations.

The related-parties query follows the links transitively, breadth first, to
a settable depth (microloan.configuration); it is what the concentration
limit of one borrower with its related parties (15 % of net assets) counts.
Each level is one SQL query over the relation table, whatever the number of
parties, and it sees every relation whatever the user's record rules: a
limit must count the relations the officer cannot see.
"""
from sql import Literal, Null
from sql.operators import Or

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, fields)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, check_access

from .exceptions import RelationError

CATEGORIES = [
    ('family', "Family"),
    ('ownership', "Ownership"),
    ('control', "Control"),
    ('guarantee', "Guarantee"),
    ('business', "Business"),
    ('other', "Other"),
    ]


def date_order(name, other, operator):
    "Domain: name compared to other when both dates are set"
    return If(Eval(name) & Eval(other),
        (name, operator, Eval(other)),
        ())


class RelationType(DeactivableMixin, ModelSQL, ModelView):
    "Relation Type"
    __name__ = 'microloan.party.relation.type'
    __string__ = "Relation Type"

    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Code", required=True)
    reverse = fields.Many2One(
        'microloan.party.relation.type', "Reverse Type",
        help="The type seen from the other party; the type itself when "
        "the relation is symmetric (spouse, same controller).")
    category = fields.Selection(CATEGORIES, "Category", required=True)
    related_party = fields.Boolean(
        "Makes Related Parties",
        help="Counted by the related-parties query (关联方) and so by the "
        "concentration limits.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('category', 'ASC'))
        cls._order.insert(1, ('name', 'ASC'))

    @staticmethod
    def default_related_party():
        return True

    @classmethod
    def on_modification(cls, mode, types, field_names=None):
        super().on_modification(mode, types, field_names=field_names)
        if mode == 'delete' or (
                field_names is not None and 'reverse' not in field_names):
            return
        # the reverse of a reverse is the type itself
        to_write = []
        for type_ in types:
            if type_.reverse and type_.reverse != type_ \
                    and not type_.reverse.reverse:
                to_write.extend(([type_.reverse], {'reverse': type_.id}))
        if to_write:
            cls.write(*to_write)

    @staticmethod
    def default_category():
        return 'other'


class Relation(ModelSQL, ModelView):
    "Party Relation"
    __name__ = 'microloan.party.relation'
    __string__ = "Party Relation"

    from_ = fields.Many2One(
        'party.party', "From", required=True, ondelete='CASCADE')
    type = fields.Many2One(
        'microloan.party.relation.type', "Type", required=True,
        ondelete='RESTRICT')
    to = fields.Many2One(
        'party.party', "To", required=True, ondelete='CASCADE')
    start_date = fields.Date(
        "Start Date",
        domain=[
            date_order('start_date', 'end_date', '<='),
            ])
    end_date = fields.Date(
        "End Date",
        domain=[
            date_order('end_date', 'start_date', '>='),
            ])
    note = fields.Char("Note")
    to_name = fields.Function(fields.Char(
            "To",
            help="The related party's name, whoever's customer it is."),
        'get_to_name')
    reverse_relation = fields.Many2One(
        'microloan.party.relation', "Reverse Relation", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('from_')
        cls._order = [('from_', 'ASC'), ('type', 'ASC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return '%s - %s - %s' % (
            self.from_.rec_name, self.type.rec_name, self.to.rec_name)

    @classmethod
    def get_to_name(cls, relations, name):
        """The related party's name: the customer's relations list it even
        when the party is another officer's, whose file stays closed
        (getters run without access checks)"""
        return {r.id: r.to.rec_name for r in relations}

    @classmethod
    def validate(cls, relations):
        super().validate(relations)
        for relation in relations:
            if relation.from_ == relation.to:
                raise RelationError(gettext(
                        'microloan_core.msg_relation_self',
                        party=relation.from_.rec_name))

    @classmethod
    def _reverse_values(cls, values):
        RelationType = Pool().get('microloan.party.relation.type')
        type_ = RelationType(values['type'])
        return {
            'from_': values['to'],
            'to': values['from_'],
            'type': (type_.reverse or type_).id,
            'start_date': values.get('start_date'),
            'end_date': values.get('end_date'),
            'note': values.get('note'),
            }

    @classmethod
    def on_modification(cls, mode, relations, field_names=None):
        super().on_modification(mode, relations, field_names=field_names)
        if mode != 'create':
            return
        # the reverse of each link is stored as a relation of its own,
        # created knowing its reverse
        relations = [r for r in relations if not r.reverse_relation]
        if not relations:
            return
        reverses = cls.create([
                dict(cls._reverse_values(r.link_values()),
                    reverse_relation=r.id)
                for r in relations])
        cls.write(*[a for relation, reverse in zip(relations, reverses)
                for a in ([relation], {'reverse_relation': reverse.id})])

    @classmethod
    def on_write(cls, relations, values):
        callbacks = super().on_write(relations, values)
        if values.keys() & cls._mirrored_fields():
            callbacks.append(lambda: cls.mirror(cls.browse(relations)))
        return callbacks

    @classmethod
    def on_delete(cls, relations):
        callbacks = super().on_delete(relations)
        reverses = ({r.reverse_relation.id for r in relations
                if r.reverse_relation} - {r.id for r in relations})
        if reverses:
            callbacks.append(lambda: cls.delete(
                    cls.search([('id', 'in', list(reverses))])))
        return callbacks

    @classmethod
    def _mirrored_fields(cls):
        return {'from_', 'to', 'type', 'start_date', 'end_date', 'note'}

    def link_values(self):
        "Return the values of the link the relation makes"
        return {
            'from_': self.from_.id, 'to': self.to.id, 'type': self.type.id,
            'start_date': self.start_date, 'end_date': self.end_date,
            'note': self.note,
            }

    @classmethod
    def mirror(cls, relations):
        """Bring the reverse of each relation to mirror it (a changed link
        changes its reverse); a reverse that mirrors already is left, so
        the reverse's own write stops there"""
        to_write = []
        for relation in relations:
            reverse = relation.reverse_relation
            if not reverse:
                continue
            current = reverse.link_values()
            changes = {k: v for k, v in cls._reverse_values(
                    relation.link_values()).items() if current[k] != v}
            if changes:
                to_write.extend(([reverse], changes))
        if to_write:
            cls.write(*to_write)

    @classmethod
    def copy(cls, relations, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('reverse_relation', None)
        # copying one side copies the link: its reverse is made by create
        return super().copy(
            [r for r in relations
                if not r.reverse_relation
                or r.reverse_relation not in relations
                or r.id < r.reverse_relation.id],
            default=default)


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    relations = fields.One2Many(
        'microloan.party.relation', 'from_', "Relations")
    related_parties = fields.Function(
        fields.Many2Many(
            'party.party', None, None, "Related Parties",
            context={
                'related_to': Eval('id', -1),
                },
            depends={'id'},
            help="Parties linked to this one directly or through other "
            "parties, up to the depth set in the configuration; only those "
            "you may see are listed."),
        'get_related_parties')
    related_parties_count = fields.Function(
        fields.Integer("Related Parties Count",
            help="All related parties, including those of other "
            "officers."),
        'get_related_parties')
    related_distance = fields.Function(
        fields.Integer("Distance",
            help="Number of links to the party of the form."),
        'get_related_distance')

    @classmethod
    def related_party_ids(cls, parties, depth=None, date=None):
        """Return {party id: {related party id: distance}}.

        Follows the links of types that make related parties, valid on date
        (today by default), breadth first up to depth links (the
        configuration's by default).  One SQL query per level for all the
        parties together.
        """
        pool = Pool()
        Relation = pool.get('microloan.party.relation')
        RelationType = pool.get('microloan.party.relation.type')
        Configuration = pool.get('microloan.configuration')
        Date = pool.get('ir.date')
        if depth is None:
            depth = Configuration(1).related_party_depth
        if date is None:
            date = Date.today()
        relation = Relation.__table__()
        type_ = RelationType.__table__()
        cursor = Transaction().connection.cursor()

        ids = [int(p) for p in parties]
        distances = {i: {i: 0} for i in ids}
        # frontier: party reached last -> the start parties it was reached for
        frontier = {i: {i} for i in ids}
        for level in range(1, depth + 1):
            if not frontier:
                break
            reached = {}
            for sub_ids in grouped_slice(
                    list(frontier), backend.MAX_QUERY_PARAMS):
                cursor.execute(*relation.join(
                        type_, condition=relation.type == type_.id
                        ).select(relation.from_, relation.to,
                        where=fields.SQL_OPERATORS['in'](
                            relation.from_, list(sub_ids))
                        & (type_.related_party == Literal(True))
                        & (type_.active == Literal(True))
                        & Or([relation.start_date == Null,
                                relation.start_date <= date])
                        & Or([relation.end_date == Null,
                                relation.end_date >= date])))
                for from_, to in cursor:
                    for start in frontier[from_]:
                        if to not in distances[start]:
                            distances[start][to] = level
                            reached.setdefault(to, set()).add(start)
            frontier = reached
        for party_id, found in distances.items():
            del found[party_id]
        return distances

    @classmethod
    def get_related_parties(cls, parties, names):
        result = {n: {} for n in names}
        related = cls.related_party_ids(parties)
        visible = set()
        if 'related_parties' in names:
            all_ids = {i for found in related.values() for i in found}
            # only the parties the user's record rules let him read (getters
            # run without access checks)
            with check_access():
                visible = {p.id for p in cls.search([
                            ('id', 'in', list(all_ids)),
                            ('active', 'in', [True, False]),
                            ])}
        for party in parties:
            found = related[party.id]
            if 'related_parties' in result:
                result['related_parties'][party.id] = sorted(
                    (i for i in found if i in visible),
                    key=lambda i: (found[i], i))
            if 'related_parties_count' in result:
                result['related_parties_count'][party.id] = len(found)
        return result

    @classmethod
    def get_related_distance(cls, parties, name):
        related_to = Transaction().context.get('related_to')
        result = {p.id: None for p in parties}
        if isinstance(related_to, int) and related_to >= 0:
            found = cls.related_party_ids([related_to])[related_to]
            for party in parties:
                result[party.id] = found.get(party.id)
        return result

    @classmethod
    def copy(cls, parties, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('relations', None)
        return super().copy(parties, default=default)
