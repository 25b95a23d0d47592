# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Materials checklist (资料清单): generation, receipt, four-eyes sign-off
and the scans."""
import unittest

from trytond.model.exceptions import DomainValidationError
from trytond.model.modelview import AccessButtonError
from trytond.modules.company.tests import (
    create_company, create_employee, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from ..exceptions import MaterialError, MaterialScanError
from .tools import (
    PDF, PNG, attach, create_branch, create_customer, create_officer,
    create_user)


def create_types():
    """Deactivate the shipped types and create the tests' own: the tests
    state every type they count"""
    MaterialType = Pool().get('microloan.material.type')
    MaterialType.write(MaterialType.search([]), {'active': False})
    return MaterialType.create([{
                'name': "ID Card Copy", 'code': 'T-ID',
                'individual': True, 'sole_trader': True,
                }, {
                'name': "Bank Statements", 'code': 'T-BS',
                'individual': True, 'enterprise': True, 'required': False,
                }, {
                'name': "Business Licence", 'code': 'T-BL',
                'sole_trader': True, 'enterprise': True,
                'scan_required': False,
                }, {
                'name': "Old Form", 'code': 'T-OLD',
                'individual': True, 'active': False,
                }])


class MaterialTestCase(unittest.TestCase):
    "Test the materials checklist of the customer file"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_core')

    @with_transaction()
    def test_generate_materials_adds_applicable_pending_lines_once(self):
        "Generate Materials adds one pending line per type of the kind, once"
        pool = Pool()
        Party = pool.get('party.party')
        Material = pool.get('microloan.party.material')
        company = create_company()
        with set_company(company):
            id_card, statements, licence, _ = create_types()
            person = create_customer("周杰", 11)
            firm = create_customer("周记五金店", 12, kind='sole_trader')
            bank, = Party.create([{'name': "中国银行"}])

            Party.generate_materials([person, firm, bank])
            lines = Material.search([], order=[('id', 'ASC')])
            self.assertEqual(
                sorted((m.party.id, m.type.code, m.state) for m in lines),
                sorted([
                        (person.id, 'T-ID', 'pending'),
                        (person.id, 'T-BS', 'pending'),
                        (firm.id, 'T-ID', 'pending'),
                        (firm.id, 'T-BL', 'pending'),
                        ]))

            # again, and after a line moved on: nothing new, nothing lost
            Material.receive([lines[0]])
            Party.generate_materials([person, firm, bank])
            self.assertEqual(Material.search([], count=True), 4)
            self.assertEqual(
                Material.search([('state', '=', 'received')], count=True), 1)

    @with_transaction()
    def test_default_types_follow_the_customer_kind(self):
        "The shipped checklist asks each kind for its own materials"
        pool = Pool()
        Party = pool.get('party.party')
        company = create_company()
        with set_company(company):
            person = create_customer("吴芳", 13)
            firm = create_customer("吴记小吃店", 14, kind='sole_trader')
            Party.generate_materials([person, firm])
            person_codes = {m.type.code for m in Party(person.id).materials}
            firm_codes = {m.type.code for m in Party(firm.id).materials}
            self.assertEqual(
                person_codes,
                {'ID', 'HR', 'MC', 'IP', 'BS', 'CA', 'PC'})
            self.assertEqual(
                firm_codes, {'ID', 'HR', 'MC', 'BS', 'BL', 'CA', 'PC'})

    @with_transaction()
    def test_type_not_applying_to_the_kind_is_refused(self):
        "A type of traders and enterprises is refused on an individual"
        Material = Pool().get('microloan.party.material')
        company = create_company()
        with set_company(company):
            _, _, licence, _ = create_types()
            person = create_customer("郑浩", 15)
            with self.assertRaises(DomainValidationError):
                Material.create([{'party': person.id, 'type': licence.id}])

    @with_transaction()
    def test_second_line_of_a_type_is_refused(self):
        "A customer has one line per material type"
        Material = Pool().get('microloan.party.material')
        company = create_company()
        with set_company(company):
            id_card, _, _, _ = create_types()
            person = create_customer("冯磊", 16)
            Material.create([{'party': person.id, 'type': id_card.id}])
            with self.assertRaises(MaterialError) as cm:
                Material.create([{'party': person.id, 'type': id_card.id}])
            self.assertIn("ID Card Copy", str(cm.exception))

    @with_transaction()
    def test_negative_copies_are_refused(self):
        "The number of copies is never negative"
        Material = Pool().get('microloan.party.material')
        company = create_company()
        with set_company(company):
            id_card, _, _, _ = create_types()
            person = create_customer("何静", 17)
            with self.assertRaises(DomainValidationError):
                Material.create([{
                            'party': person.id, 'type': id_card.id,
                            'copies': -1,
                            }])

    @with_transaction()
    def test_receive_and_sign_record_who_and_when(self):
        "Receipt records the employee, sign-off the other user, reset clears"
        pool = Pool()
        Material = pool.get('microloan.party.material')
        company = create_company()
        with set_company(company):
            id_card, _, _, _ = create_types()
            # an officer changes the customers he files, in his branch
            branch = create_branch(company, "城东支行", 'E01')
            clerk = create_officer(company, "韩梅", branch)
            officer = create_user(
                'officer', company, ['group_loan_officer'], clerk)
            reviewer = create_user('reviewer', company, ['group_risk_officer'])
            person = create_customer(
                "曹阳", 18, officer=clerk, branch=branch.id)
            material, = Material.create([{
                        'party': person.id, 'type': id_card.id}])

            with Transaction().set_user(officer.id), \
                    Transaction().set_context(_check_access=True):
                Material.receive([material])
                attach(material, 'ID Card.PDF', PDF)
            material = Material(material.id)
            self.assertEqual(material.state, 'received')
            self.assertEqual(material.received_by, clerk)
            self.assertEqual(material.received_user, officer)
            self.assertIsNotNone(material.received_date)
            self.assertEqual(material.attachment_count, 1)

            with Transaction().set_user(reviewer.id), \
                    Transaction().set_context(_check_access=True):
                Material.sign([material])
            material = Material(material.id)
            self.assertEqual(material.state, 'signed')
            # the reviewer has no employee: his user is recorded
            self.assertEqual(
                (material.signed_by, material.signed_user), (None, reviewer))
            self.assertIsNotNone(material.signed_date)

            with self.assertRaises(MaterialError):
                Material.delete([material])

            Material.reset([material])
            material = Material(material.id)
            self.assertEqual(material.state, 'pending')
            self.assertEqual(
                (material.received_by, material.received_user,
                    material.signed_by, material.signed_user,
                    material.signed_date),
                (None, None, None, None, None))

    @with_transaction()
    def test_signing_without_scan_is_refused(self):
        "A material whose type needs a scan is not signed off without one"
        pool = Pool()
        Material = pool.get('microloan.party.material')
        company = create_company()
        with set_company(company):
            id_card, _, licence, _ = create_types()
            reviewer = create_user('reviewer', company, ['group_risk_officer'])
            person = create_customer("蒋涛", 19)
            firm = create_customer("蒋氏修车铺", 20, kind='sole_trader')
            material, no_scan = Material.create([
                    {'party': person.id, 'type': id_card.id},
                    {'party': firm.id, 'type': licence.id},
                    ])
            Material.receive([material, no_scan])
            with Transaction().set_user(reviewer.id):
                with self.assertRaises(MaterialScanError) as cm:
                    Material.sign([material])
                self.assertIn("ID Card Copy", str(cm.exception))
                self.assertEqual(Material(material.id).state, 'received')
                # a type that needs no scan is signed off without one
                Material.sign([no_scan])
            self.assertEqual(Material(no_scan.id).state, 'signed')

    @with_transaction()
    def test_signing_by_the_receiver_is_refused(self):
        "The user who received a material cannot sign it off (four eyes)"
        pool = Pool()
        Material = pool.get('microloan.party.material')
        company = create_company()
        with set_company(company):
            id_card, _, _, _ = create_types()
            person = create_customer("沈洁", 21)
            material, = Material.create([{
                        'party': person.id, 'type': id_card.id}])
            Material.receive([material])
            attach(material, 'id.png', PNG)
            with self.assertRaises(MaterialError) as cm:
                Material.sign([material])
            self.assertIn("another user", str(cm.exception))
            self.assertEqual(Material(material.id).state, 'received')
            self.assertIsNone(Material(material.id).signed_user)

    @with_transaction()
    def test_loan_officer_cannot_sign(self):
        "Sign-off belongs to risk officers and branch managers"
        pool = Pool()
        Material = pool.get('microloan.party.material')
        company = create_company()
        with set_company(company):
            id_card, _, _, _ = create_types()
            clerk = create_employee(company, "杨帆")
            officer = create_user(
                'officer', company, ['group_loan_officer'], clerk)
            person = create_customer("朱红", 22, officer=clerk)
            material, = Material.create([{
                        'party': person.id, 'type': id_card.id}])
            Material.receive([material])
            attach(material, 'id.jpg', b'\xff\xd8\xff\xe0\x00\x10JFIF')
            with Transaction().set_user(officer.id), \
                    Transaction().set_context(_check_access=True):
                with self.assertRaises(AccessButtonError):
                    Material.sign([material])
            self.assertEqual(Material(material.id).state, 'received')

    @with_transaction()
    def test_materials_follow_the_customer_record_rules(self):
        "A loan officer sees the materials of his own customers only"
        pool = Pool()
        Party = pool.get('party.party')
        Material = pool.get('microloan.party.material')
        company = create_company()
        with set_company(company):
            create_types()
            mine = create_employee(company, "许诺")
            other = create_employee(company, "吕斌")
            officer = create_user(
                'officer', company, ['group_loan_officer'], mine)
            own = create_customer("秦朗", 23, officer=mine)
            theirs = create_customer("尤佳", 24, officer=other)
            Party.generate_materials([own, theirs])

            with Transaction().set_user(officer.id), \
                    Transaction().set_context(_check_access=True):
                visible = Material.search([])
                self.assertEqual({m.party.id for m in visible}, {own.id})
                self.assertEqual(len(visible), 2)

    @with_transaction()
    def test_png_named_file_with_pdf_bytes_is_refused(self):
        "A scan whose bytes are not the type its name says is refused"
        pool = Pool()
        Party = pool.get('party.party')
        Material = pool.get('microloan.party.material')
        company = create_company()
        with set_company(company):
            id_card, _, _, _ = create_types()
            person = create_customer("魏晨", 25)
            material, = Material.create([{
                        'party': person.id, 'type': id_card.id}])

            with self.assertRaises(MaterialScanError) as cm:
                attach(material, 'id-front.png', PDF)
            self.assertIn("id-front.png", str(cm.exception))
            attachment = attach(material, 'id-front.png', PNG)
            self.assertEqual(attachment.name, 'id-front.png')
            # renaming a good scan into a lie is refused as well
            Attachment = pool.get('ir.attachment')
            with self.assertRaises(MaterialScanError):
                Attachment.write([attachment], {'name': 'id-front.pdf'})
            # other records' attachments are none of the checklist's business
            other = attach(Party(person.id), 'photo.png', PDF)
            self.assertEqual(other.name, 'photo.png')
