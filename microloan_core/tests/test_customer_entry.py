# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Chinese-first customer entry: the resident ID or USCC typed on the first
tab (the party's identifier underneath) with a message saying what is
wrong, the identifier types of a Chinese company first, Chinese addresses,
the phone of the customer list."""
import datetime as dt
import unittest

from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import set_company
from trytond.modules.party.exceptions import InvalidIdentifierCode
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from ..exceptions import (
    CustomerIdentityError, FamilyMemberError, ResidentIdError)
from .test_translations import load_language
from .tools import (
    USCC, as_user, create_branch, create_cny_company, create_enterprise,
    create_individual, create_staff, refused, relate, ric)

GOOD_RIC = ric('11010519800312001')
# the check digit of GOOD_RIC is 6
WRONG_CHECK = GOOD_RIC[:-1] + ('0' if GOOD_RIC[-1] != '0' else '1')


class CustomerEntryTestCase(unittest.TestCase):
    "Test the customer entry"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_core')

    def create(self, kind='individual', **values):
        Party = Pool().get('party.party')
        party, = Party.create([dict({
                        'name': "王秀英", 'customer_kind': kind}, **values)])
        return party

    def refused_in_chinese(self, exception, **values):
        "Return the Chinese message refusing the customer; nothing is saved"
        pool = Pool()
        Party = pool.get('party.party')
        Identifier = pool.get('party.identifier')
        with refused(self, exception) as context:
            self.create(**values)
        self.assertEqual(Party.search([('name', '=', "王秀英")]), [])
        self.assertEqual(Identifier.search([('party.name', '=', "王秀英")]), [])
        return str(context.exception)

    @with_transaction()
    def test_each_fault_of_a_resident_id_has_its_chinese_message(self):
        "Length, character, check digit, birth date and region are named"
        load_language('zh_CN')
        with set_company(create_cny_company()), \
                Transaction().set_context(language='zh_CN'):
            for code, expected in [
                    (WRONG_CHECK, ["校验位（第 18 位）应为 %s" % GOOD_RIC[-1],
                            "而不是 %s" % WRONG_CHECK[-1]]),
                    (GOOD_RIC[:-2], ["应为 18 位", "现为 16 位"]),
                    (GOOD_RIC[:4] + 'A' + GOOD_RIC[5:],
                        ["第 5 位是“A”", "前 17 位只能是数字"]),
                    (ric('11010519900230003'),
                        ["出生日期 19900230 不存在"]),
                    (ric('99010519800312001'),
                        ["前 6 位 990105 不是有效的行政区划代码"]),
                    ]:
                with self.subTest(code=code):
                    message = self.refused_in_chinese(
                        InvalidIdentifierCode, resident_id=code)
                    for part in expected:
                        self.assertIn(part, message)
                    self.assertIn("身份证号码", message)
                    self.assertNotIn("参与者", message)
            # a birth date after today is the suite's own rule
            tomorrow = Pool().get('ir.date').today() + dt.timedelta(days=1)
            code = ric('110105%s003' % tomorrow.strftime('%Y%m%d'))
            message = self.refused_in_chinese(
                ResidentIdError, resident_id=code)
            self.assertIn("出生日期", message)

    @with_transaction()
    def test_each_fault_of_a_uscc_has_its_chinese_message(self):
        "Length, characters and check character of a USCC are named"
        load_language('zh_CN')
        good = USCC[0]  # 91110000600037341L
        with set_company(create_cny_company()), \
                Transaction().set_context(language='zh_CN'):
            for code, expected in [
                    (good[:-1] + 'M', ["统一社会信用代码", "校验位（第 18 位）应为 L",
                            "而不是 M"]),
                    (good + '1', ["应为 18 位", "现为 19 位"]),
                    ('A' + good[1:], ["第 1 位是“A”", "前 8 位只能是数字"]),
                    (good[:9] + 'O' + good[10:], ["第 10 位是“O”",
                            "除 I、O、S、V、Z 以外的大写字母"]),
                    ]:
                with self.subTest(code=code):
                    message = self.refused_in_chinese(
                        InvalidIdentifierCode, kind='enterprise', uscc=code)
                    for part in expected:
                        self.assertIn(part, message)

    @with_transaction()
    def test_identifiers_tab_gives_the_same_message(self):
        "A wrong ID typed under the identifiers says what is wrong too"
        load_language('zh_CN')
        with set_company(create_cny_company()), \
                Transaction().set_context(language='zh_CN'):
            message = self.refused_in_chinese(InvalidIdentifierCode,
                identifiers=[('create', [{
                                'type': 'cn_ric', 'code': WRONG_CHECK}])])
            self.assertIn("校验位", message)
            self.assertNotIn('""', message)

            # typed there with a Chinese input method, it is stored compact
            typed = GOOD_RIC[:6] + ' ' + GOOD_RIC[6:].translate(
                str.maketrans('0123456789', '０１２３４５６７８９'))
            party = self.create(identifiers=[('create', [{
                                'type': 'cn_ric', 'code': typed}])])
            identifier, = party.identifiers
            self.assertEqual((identifier.code, identifier.code_compact),
                (GOOD_RIC, GOOD_RIC))

    @with_transaction()
    def test_a_valid_resident_id_typed_on_the_form_is_the_identifier(self):
        "The typed ID is stored as the one identifier, changed in place"
        pool = Pool()
        Party = pool.get('party.party')
        Identifier = pool.get('party.identifier')
        with set_company(create_cny_company()):
            # typed with a full-width input method, lower-case x, spaces
            party = self.create(resident_id=' ' + GOOD_RIC[:6] + ' '
                + GOOD_RIC[6:].translate(
                    str.maketrans('0123456789', '０１２３４５６７８９')))
            identifier, = party.identifiers
            self.assertEqual((identifier.type, identifier.code),
                ('cn_ric', GOOD_RIC))
            self.assertEqual(party.resident_id, GOOD_RIC)
            self.assertEqual(party.birth_date, dt.date(1980, 3, 12))
            self.assertEqual(
                Party.search([('resident_id', '=', GOOD_RIC)]), [party])

            other = ric('11010519800312011')
            Party.write([party], {'resident_id': other})
            identifier, = Identifier.search([('party', '=', party.id)])
            self.assertEqual(identifier.code, other)

            # a wrong one changes nothing
            with refused(self, InvalidIdentifierCode):
                Party.write([party], {'resident_id': WRONG_CHECK})
            self.assertEqual(Party(party.id).resident_id, other)

            # emptied, the customer has no identity: refused
            with refused(self, CustomerIdentityError):
                Party.write([party], {'resident_id': None})
            self.assertEqual(Party(party.id).resident_id, other)

    @with_transaction()
    def test_a_uscc_typed_on_the_form_is_the_identifier(self):
        with set_company(create_cny_company()):
            party = self.create(kind='enterprise', uscc=USCC[1].lower())
            identifier, = party.identifiers
            self.assertEqual((identifier.type, identifier.code),
                ('cn_vat', USCC[1]))

    @with_transaction()
    def test_form_says_at_once_what_is_wrong(self):
        "The form notifies the fault while the ID is typed, before saving"
        pool = Pool()
        Party = pool.get('party.party')
        load_language('zh_CN')
        with set_company(create_cny_company()), \
                Transaction().set_context(language='zh_CN'):
            party = Party(customer_kind='individual', resident_id=WRONG_CHECK)
            (kind, message), = party.on_change_notify()
            self.assertEqual(kind, 'warning')
            self.assertIn("校验位（第 18 位）应为 %s" % GOOD_RIC[-1], message)

            party.resident_id = GOOD_RIC.lower()
            self.assertEqual(party.on_change_notify(), [])
            party.on_change_resident_id()
            self.assertEqual(party.birth_date, dt.date(1980, 3, 12))
            self.assertEqual(party.gender, 'male')

    @with_transaction()
    def test_chinese_identifier_types_come_first(self):
        Identifier = Pool().get('party.identifier')
        types = [t for t, _ in Identifier.get_types()]
        self.assertEqual(types[:8], [None, 'cn_ric', 'cn_vat', 'cn_passport',
                'cn_hkmo_permit', 'cn_tw_permit', 'cn_hmt_residence',
                'cn_foreigner_residence'])
        # the host's others stay reachable
        self.assertIn('fr_siren', types)
        self.assertFalse(Identifier.type.sort)

    @with_transaction()
    def test_chinese_address(self):
        "Province, city, district and detail are printed in Chinese order"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Subdivision = pool.get('country.subdivision')
        Address = pool.get('party.address')
        load_language('zh_CN')
        with set_company(create_cny_company()), \
                Transaction().set_context(language='zh_CN'):
            party = self.create(resident_id=GOOD_RIC)
            self.assertEqual(Address.default_country(),
                ModelData.get_id('microloan_core', 'country_cn'))
            guangdong = Subdivision(ModelData.get_id(
                    'microloan_core', 'subdivision_cn_gd'))
            address, = Address.create([{
                        'party': party.id,
                        'country': Address.default_country(),
                        'subdivision': guangdong.id,
                        'city': "深圳市", 'district': "福田区",
                        'street': "华强北路 12 号", 'postal_code': '518000',
                        }])
            address = Address(address.id)
            self.assertEqual(address.subdivision.name, "广东省")
            self.assertIn("广东省深圳市福田区华强北路 12 号",
                address.full_address)
            self.assertIn("518000", address.full_address)
            self.assertIn("广东省深圳市福田区", address.rec_name)

    @with_transaction()
    def test_customer_phone_is_the_mobile_or_else_the_phone(self):
        Party = Pool().get('party.party')
        with set_company(create_cny_company()):
            party = self.create(resident_id=GOOD_RIC, contact_mechanisms=[
                    ('create', [{'type': 'phone', 'value': '0755-8888 6666'}]),
                    ])
            self.assertEqual(party.contact_phone, '0755-8888 6666')
            Party.write([party], {'contact_mechanisms': [('create', [
                                {'type': 'mobile', 'value': '13800138000'}])]})
            self.assertEqual(Party(party.id).contact_phone, '13800138000')
            self.assertEqual(
                Party.search([('contact_phone', '=', '13800138000')]), [party])

    @with_transaction()
    def test_family_member_id_says_what_is_wrong(self):
        "The rows of the file with a resident ID name its fault too"
        pool = Pool()
        Member = pool.get('microloan.party.family_member')
        load_language('zh_CN')
        with set_company(create_cny_company()), \
                Transaction().set_context(language='zh_CN'):
            party = self.create(resident_id=GOOD_RIC)
            with refused(self, FamilyMemberError) as context:
                Member.create([{
                            'party': party.id, 'relation': 'son',
                            'name': "王小明", 'id_number': WRONG_CHECK,
                            }])
            message = str(context.exception)
            self.assertIn("家庭成员“王小明”", message)
            self.assertIn("校验位（第 18 位）应为 %s" % GOOD_RIC[-1], message)
            self.assertEqual(Member.search([]), [])

    @with_transaction()
    def test_relation_names_another_officers_customer(self):
        "A relation's row reads for the officer whatever party it links to"
        pool = Pool()
        Relation = pool.get('microloan.party.relation')
        company = create_cny_company()
        with set_company(company):
            east = create_branch(company, "城东支行", 'E')
            west = create_branch(company, "城西支行", 'W')
            officer, employee = create_staff(
                company, 'officer_e', "王敏", 'group_loan_officer', east)
            _, other = create_staff(
                company, 'officer_w', "赵刚", 'group_loan_officer', west)
            mine = create_individual("孙建国", '11010519800312001',
                loan_officer=employee.id, branch=east.id)
            theirs = create_enterprise("江南机电设备有限公司", USCC[2],
                loan_officer=other.id, branch=west.id)
            relate(mine, 'shareholder', theirs)
            with as_user(officer):
                relation, = Relation.search([('from_', '=', mine.id)])
                values, = Relation.read([relation.id], ['type', 'to_name'])
                self.assertIn("江南机电设备有限公司", values['to_name'])
                # what the list showed before: the party itself, unreadable
                with self.assertRaises(AccessError):
                    Relation.read([relation.id], ['to.rec_name'])
