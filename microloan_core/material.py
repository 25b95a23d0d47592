# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Materials checklist (资料清单) of the customer file and their sign-off.

A material type (身份证复印件, 营业执照...) applies to some customer kinds;
Generate Materials puts a pending line on the customer for each type of its
kind.  The loan officer receives the paper (收件) and attaches its scan; a
risk officer or branch manager other than the receiver signs it off (签收,
four eyes).  A scan attached to a material must be the file its name says:
PDF, JPEG and PNG files are checked by their leading bytes.
"""
import datetime as dt

from sql.aggregate import Count

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Workflow, fields,
    sequence_ordered)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

from .exceptions import MaterialError, MaterialScanError
from .party import CUSTOMER_KINDS
from .tools import first_duplicate, rec_name_domain
from .workflow import reset_actor, set_actor

MATERIAL_STATES = [
    ('pending', "Pending"),
    ('received', "Received"),
    ('signed', "Signed Off"),
    ]


class MaterialType(DeactivableMixin, sequence_ordered(), ModelSQL, ModelView):
    "Material Type"
    __name__ = 'microloan.material.type'
    __string__ = "Material Type"

    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Code")
    individual = fields.Boolean(
        "Individual", help="Collected from individual customers.")
    sole_trader = fields.Boolean(
        "Sole Trader", help="Collected from sole traders.")
    enterprise = fields.Boolean(
        "Enterprise", help="Collected from enterprises.")
    required = fields.Boolean(
        "Required",
        help="Counts in the completeness of the file until signed off.")
    scan_required = fields.Boolean(
        "Scan Required",
        help="The material can be signed off only with its scan attached.")
    weight = fields.Integer(
        "Weight", required=True,
        domain=[('weight', '>', 0)],
        states={
            'invisible': ~Eval('required'),
            },
        help="How much the material counts in the completeness of the "
        "file.")

    @staticmethod
    def default_required():
        return True

    @staticmethod
    def default_scan_required():
        return True

    @staticmethod
    def default_weight():
        return 1

    def get_rec_name(self, name):
        if self.code:
            return '[%s] %s' % (self.code, self.name)
        return self.name

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, 'name', 'code')

    def applies_to(self, kind):
        "Tell whether the type applies to the customer kind"
        return bool(kind) and bool(getattr(self, kind, False))

    @classmethod
    def required_by_kind(cls):
        """Return the active required types as a dictionary: customer kind
        -> list of (id, name, weight) in the order of the types"""
        result = {}
        with without_check_access():
            types = cls.search([('required', '=', True)])
        for type_ in types:
            for kind, _ in CUSTOMER_KINDS[1:]:
                if type_.applies_to(kind):
                    result.setdefault(kind, []).append(
                        (type_.id, type_.name, type_.weight))
        return result


    @classmethod
    def missing_signed(cls, parties):
        """Return the names of the required material types not yet signed
        off for each of parties: party id -> list of names, in the order
        of the types"""
        Material = Pool().get('microloan.party.material')
        types = cls.required_by_kind()
        signed = Material.signed_types([p.id for p in parties])
        return {p.id: [name for type_id, name, _ in types.get(
                        p.customer_kind, [])
                    if (p.id, type_id) not in signed]
            for p in parties}


class PartyMaterial(Workflow, ModelSQL, ModelView):
    "Party Material"
    __name__ = 'microloan.party.material'
    __string__ = "Party Material"
    _states = {
        'readonly': Eval('state') == 'signed',
        }

    party = fields.Many2One(
        'party.party', "Customer", required=True, ondelete='CASCADE',
        domain=[('customer_kind', '!=', None)],
        states={
            'readonly': Eval('state') != 'pending',
            })
    customer_kind = fields.Function(
        fields.Selection(CUSTOMER_KINDS, "Customer Kind"),
        'on_change_with_customer_kind')
    type = fields.Many2One(
        'microloan.material.type', "Type", required=True, ondelete='RESTRICT',
        domain=[
            If(Eval('customer_kind') == 'individual',
                ('individual', '=', True),
                If(Eval('customer_kind') == 'sole_trader',
                    ('sole_trader', '=', True),
                    If(Eval('customer_kind') == 'enterprise',
                        ('enterprise', '=', True),
                        ('id', '=', -1)))),
            ],
        states={
            'readonly': Eval('state') != 'pending',
            })
    state = fields.Selection(
        MATERIAL_STATES, "State", readonly=True, required=True, sort=False)
    originals = fields.Boolean(
        "Originals Seen", states=_states,
        help="The originals were seen and checked against the copies.")
    copies = fields.Integer(
        "Copies", states=_states,
        domain=['OR', ('copies', '=', None), ('copies', '>=', 0)],
        help="The number of paper copies kept in the file.")
    received_date = fields.Date("Received Date", readonly=True)
    received_by = fields.Many2One(
        'company.employee', "Received By", readonly=True)
    received_user = fields.Many2One(
        'res.user', "Received by User", readonly=True)
    signed_by = fields.Many2One(
        'company.employee', "Signed Off By", readonly=True)
    signed_user = fields.Many2One(
        'res.user', "Signed Off by User", readonly=True)
    signed_date = fields.DateTime("Signed Off At", readonly=True)
    note = fields.Text("Note")
    attachment_count = fields.Function(
        fields.Integer("Scans"), 'get_attachment_count')
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('party')
        cls._order.insert(0, ('party', 'ASC'))
        cls._transitions |= {
            ('pending', 'received'),
            ('received', 'signed'),
            ('received', 'pending'),
            ('signed', 'pending'),
            }
        cls._buttons.update({
                'receive': {
                    'invisible': Eval('state') != 'pending',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'sign': {
                    'invisible': Eval('state') != 'received',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'reset': {
                    'invisible': Eval('state') == 'pending',
                    'icon': 'tryton-clear',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'pending'

    @staticmethod
    def default_copies():
        return 1

    @fields.depends('party', '_parent_party.customer_kind')
    def on_change_with_customer_kind(self, name=None):
        if self.party:
            return self.party.customer_kind

    def refuse_scan(self, name):
        "Refuse the scan name, whose content is not its type"
        raise MaterialScanError(gettext(
                'microloan_core.msg_party_material_scan_type',
                name=name,
                material=self.rec_name))


    def get_rec_name(self, name):
        return '%s - %s' % (self.party.rec_name, self.type.rec_name)

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, 'party.rec_name', 'type.rec_name')

    @classmethod
    def get_attachment_count(cls, materials, name):
        "Count the attachments of the materials, one query per chunk"
        Attachment = Pool().get('ir.attachment')
        attachment = Attachment.__table__()
        cursor = Transaction().connection.cursor()
        resources = {str(m): m.id for m in materials}
        counts = dict.fromkeys(resources.values(), 0)
        for chunk in grouped_slice(resources, backend.MAX_QUERY_PARAMS):
            cursor.execute(*attachment.select(
                    attachment.resource, Count(attachment.id),
                    where=attachment.resource.in_(list(chunk)),
                    group_by=[attachment.resource]))
            for resource, count in cursor:
                counts[resources[resource]] = count
        return counts

    @classmethod
    def signed_types(cls, party_ids):
        """Return the set of (party id, type id) of the signed-off materials
        of the parties, one query per chunk of parties"""
        material = cls.__table__()
        cursor = Transaction().connection.cursor()
        pairs = set()
        for chunk in grouped_slice(party_ids, backend.MAX_QUERY_PARAMS):
            cursor.execute(*material.select(
                    material.party, material.type,
                    where=material.party.in_(list(chunk))
                    & (material.state == 'signed')))
            pairs.update(tuple(r) for r in cursor)
        return pairs

    @classmethod
    def validate(cls, materials):
        cls.check_unique(materials)
        super().validate(materials)

    @classmethod
    def check_unique(cls, materials):
        "Refuse a second line of the same type on a customer"
        material = first_duplicate(cls, materials, ['party', 'type'])
        if material:
            raise MaterialError(gettext(
                    'microloan_core.msg_party_material_unique',
                    party=material.party.rec_name,
                    type=material.type.rec_name))

    @classmethod
    def check_modification(cls, mode, materials, values=None, external=False):
        super().check_modification(
            mode, materials, values=values, external=external)
        if mode == 'delete':
            for material in materials:
                if material.state == 'signed':
                    raise MaterialError(gettext(
                            'microloan_core.msg_party_material_delete_signed',
                            material=material.rec_name))

    @classmethod
    def copy(cls, materials, default=None):
        default = default.copy() if default is not None else {}
        for name in ['state', 'received_date', 'received_by',
                'received_user', 'signed_by', 'signed_user', 'signed_date']:
            default.setdefault(name, None)
        return super().copy(materials, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('received')
    @set_actor('received', company=None)
    def receive(cls, materials):
        "Record the paper received, by whom and when"
        Date = Pool().get('ir.date')
        cls.write(materials, {'received_date': Date.today()})

    @classmethod
    @ModelView.button
    @Workflow.transition('signed')
    @set_actor('signed', company=None)
    def sign(cls, materials):
        "Sign the materials off (签收): scan attached, four eyes"
        user = Transaction().user
        counts = cls.get_attachment_count(materials, 'attachment_count')
        for material in materials:
            if material.type.scan_required and not counts[material.id]:
                raise MaterialScanError(gettext(
                        'microloan_core.msg_party_material_sign_no_scan',
                        material=material.rec_name))
            if material.received_user and material.received_user.id == user:
                raise MaterialError(gettext(
                        'microloan_core.msg_party_material_sign_receiver',
                        material=material.rec_name,
                        user=material.received_user.rec_name))
        cls.write(materials, {'signed_date': dt.datetime.now()})

    @classmethod
    @ModelView.button
    @Workflow.transition('pending')
    @reset_actor('received', 'signed')
    def reset(cls, materials):
        "Put the materials back to pending, forgetting who acted"
        cls.write(materials, {
                'received_date': None,
                'signed_date': None,
                })


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    materials = fields.One2Many(
        'microloan.party.material', 'party', "Materials",
        states={
            'invisible': ~Eval('customer_kind'),
            })

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'generate_materials': {
                    'invisible': ~Eval('customer_kind'),
                    'icon': 'tryton-add',
                    'depends': ['customer_kind'],
                    },
                })

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('//page[@id="microloan_materials"]', 'states', {
                    'invisible': ~Eval('customer_kind'),
                    }),
            ]

    def materials_summary(self):
        """Return the customer's materials and their state, one per line,
        and the required ones not signed off (a decision's summary)"""
        pool = Pool()
        MaterialType = pool.get('microloan.material.type')
        Material = pool.get('microloan.party.material')
        states = dict(Material.fields_get(['state'])['state']['selection'])
        lines = ['%s: %s' % (m.type.rec_name, states[m.state])
            for m in self.materials]
        missing = MaterialType.missing_signed([self])[self.id]
        if missing:
            lines.append(gettext(
                    'microloan_core.msg_application_materials_missing_line',
                    materials='、'.join(missing)))
        return '\n'.join(lines)

    @classmethod
    def copy(cls, parties, default=None):
        default = default.copy() if default is not None else {}
        # the papers were handed in by the original customer
        default.setdefault('materials', None)
        return super().copy(parties, default=default)

    @classmethod
    @ModelView.button
    def generate_materials(cls, parties):
        """Add a pending line for every active material type of the
        customer's kind that is not yet on the customer"""
        pool = Pool()
        MaterialType = pool.get('microloan.material.type')
        Material = pool.get('microloan.party.material')
        parties = [p for p in parties if p.customer_kind]
        if not parties:
            return
        types = MaterialType.search([])
        table = Material.__table__()
        cursor = Transaction().connection.cursor()
        present = set()
        for chunk in grouped_slice(
                [p.id for p in parties], backend.MAX_QUERY_PARAMS):
            cursor.execute(*table.select(table.party, table.type,
                    where=table.party.in_(list(chunk))))
            present.update(tuple(r) for r in cursor)
        to_create = []
        for party in parties:
            for type_ in types:
                if (type_.applies_to(party.customer_kind)
                        and (party.id, type_.id) not in present):
                    to_create.append({
                            'party': party.id,
                            'type': type_.id,
                            })
        if to_create:
            Material.create(to_create)
