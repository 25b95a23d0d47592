# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The individual profile of a customer: household, income, family
members, résumé and shops."""
import datetime as dt
import unittest
from decimal import Decimal

from stdnum.cn import ric

from trytond.model.exceptions import DomainValidationError
from trytond.modules.company.tests import set_company
from trytond.modules.party.exceptions import InvalidIdentifierCode
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction

from ..exceptions import (
    FamilyMemberError, IndividualProfileError, ResidentIdError, ShopError)
from .test_module import create_cny_company
from .tools import refused

# Valid resident IDs (GB 11643): the 17th digit is odd for a man
MAN_ID = '330106198503120036'
WOMAN_ID = '330106198503120044'
CUSTOMER_ID = '11010519491231002X'
# A valid unified social credit code (GB 32100)
VALID_USCC = '91330106MA2H0QXK01'


def resident_id(birth_date, region='110105', sequence='003'):
    "Return a resident ID with a right check digit for a birth date (YYYYMMDD)"
    body = region + birth_date + sequence
    # calc_check_digit ignores the last character of what it is given
    return body + ric.calc_check_digit(body + '0')


def create_customer(name="王秀英", code=CUSTOMER_ID, **values):
    Party = Pool().get('party.party')
    values.update({
            'name': name,
            'customer_kind': 'individual',
            'identifiers': [('create', [{'type': 'cn_ric', 'code': code}])],
            })
    party, = Party.create([values])
    return party


class PartyIndividualTestCase(unittest.TestCase):
    "Test the individual profile of the customer file"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_module('microloan_core')

    @with_transaction()
    def test_monthly_family_surplus_is_income_less_expenses(self):
        "The family surplus is the family income less the expenses, to the fen"
        with set_company(create_cny_company()):
            party = create_customer(
                monthly_income=Decimal('8000.00'),
                monthly_family_income=Decimal('12000.50'),
                monthly_family_expenses=Decimal('7300.25'),
                family_size=4, dependants=2)
            self.assertEqual(party.monthly_family_surplus, Decimal('4700.25'))
            self.assertEqual(party.customer_currency.code, 'CNY')

    @with_transaction()
    def test_dependants_as_many_as_family_size_are_refused(self):
        "Dependants must be fewer than the family members; nothing is saved"
        Party = Pool().get('party.party')
        with set_company(create_cny_company()):
            with refused(self, IndividualProfileError) as context:
                create_customer(family_size=3, dependants=3)
            self.assertIn("王秀英", str(context.exception))
            self.assertEqual(Party.search([('name', '=', "王秀英")]), [])

            party = create_customer(family_size=3, dependants=2)
            with refused(self, IndividualProfileError):
                Party.write([party], {'family_size': 2})
            self.assertEqual(Party(party.id).family_size, 3)

    @with_transaction()
    def test_family_size_below_one_is_refused(self):
        "A family counts at least the customer"
        with set_company(create_cny_company()):
            with refused(self, DomainValidationError):
                create_customer(family_size=0)

    @with_transaction()
    def test_negative_income_is_refused(self):
        "A negative monthly amount is refused"
        with set_company(create_cny_company()):
            for field in ['monthly_income', 'monthly_family_income',
                    'monthly_family_expenses']:
                with self.subTest(field=field):
                    with refused(self, DomainValidationError):
                        create_customer(**{field: Decimal('-0.01')})

    @with_transaction()
    def test_employed_since_in_the_future_is_refused(self):
        "A customer cannot have started a job in the future"
        Date = Pool().get('ir.date')
        with set_company(create_cny_company()):
            tomorrow = Date.today() + dt.timedelta(days=1)
            with refused(self, IndividualProfileError):
                create_customer(employed_since=tomorrow)
            party = create_customer(employed_since=Date.today())
            self.assertEqual(party.employed_since, Date.today())

    @with_transaction()
    def test_gender_is_derived_from_the_family_member_id(self):
        "A family member's gender comes from the resident ID when given"
        Member = Pool().get('microloan.party.family_member')
        with set_company(create_cny_company()):
            party = create_customer()
            husband, daughter, mother = Member.create([{
                        'party': party.id, 'relation': 'spouse',
                        'name': "李建国", 'id_number': MAN_ID,
                        'gender': 'female',
                        }, {
                        'party': party.id, 'relation': 'daughter',
                        'name': "李小梅", 'id_number': WOMAN_ID,
                        }, {
                        'party': party.id, 'relation': 'mother',
                        'name': "张桂兰", 'gender': 'male',
                        }])
            self.assertEqual(husband.gender, 'male')
            self.assertEqual(daughter.gender, 'female')
            # without an ID the entered gender stands
            self.assertEqual(mother.gender, 'male')

            Member.write([mother], {'id_number': ' %s ' % WOMAN_ID})
            mother = Member(mother.id)
            self.assertEqual(mother.gender, 'female')
            self.assertEqual(mother.id_number, WOMAN_ID)

    @with_transaction()
    def test_family_member_with_a_bad_id_is_refused(self):
        "A family member's resident ID with a wrong check digit is refused"
        Member = Pool().get('microloan.party.family_member')
        with set_company(create_cny_company()):
            party = create_customer()
            with refused(self, FamilyMemberError) as context:
                Member.create([{
                            'party': party.id, 'relation': 'son',
                            'name': "李小龙", 'id_number': MAN_ID[:-1] + '7',
                            }])
            self.assertIn(MAN_ID[:-1] + '7', str(context.exception))
            self.assertIn("李小龙", str(context.exception))
            self.assertEqual(Member.search([]), [])

    @with_transaction()
    def test_second_spouse_is_refused(self):
        "A customer has at most one spouse on file"
        Member = Pool().get('microloan.party.family_member')
        with set_company(create_cny_company()):
            party = create_customer()
            other = create_customer(name="赵四", code=WOMAN_ID)
            Member.create([
                    {'party': party.id, 'relation': 'spouse', 'name': "李建国"},
                    {'party': other.id, 'relation': 'spouse', 'name': "刘能"},
                    ])
            with refused(self, FamilyMemberError) as context:
                Member.create([{
                            'party': party.id, 'relation': 'spouse',
                            'name': "王大力",
                            }])
            self.assertIn("王秀英", str(context.exception))
            brother, = Member.create([{
                        'party': party.id, 'relation': 'sibling',
                        'name': "王大力",
                        }])
            with refused(self, FamilyMemberError):
                Member.write([brother], {'relation': 'spouse'})
            self.assertEqual(
                Member.search_count([('relation', '=', 'spouse')]), 2)

    @with_transaction()
    def test_family_members_count_counts_each_party_s_members(self):
        "The number of family members is counted per customer"
        pool = Pool()
        Party = pool.get('party.party')
        with set_company(create_cny_company()):
            party = create_customer(family_members=[('create', [
                            {'relation': 'spouse', 'name': "李建国"},
                            {'relation': 'son', 'name': "李小龙"},
                            {'relation': 'mother', 'name': "张桂兰"},
                            ])])
            other = create_customer(name="赵四", code=WOMAN_ID)
            counts = Party.get_family_members_count(
                [party, other], 'family_members_count')
            self.assertEqual(counts, {party.id: 3, other.id: 0})
            self.assertEqual(party.family_members_count, 3)

    @with_transaction()
    def test_resume_ending_before_it_starts_is_refused(self):
        "A résumé entry cannot end before it starts"
        Resume = Pool().get('microloan.party.resume')
        with set_company(create_cny_company()):
            party = create_customer()
            with refused(self, DomainValidationError):
                Resume.create([{
                            'party': party.id,
                            'start_date': dt.date(2015, 3, 1),
                            'end_date': dt.date(2015, 2, 28),
                            'organisation': "杭州华联商厦",
                            }])
            entry, = Resume.create([{
                        'party': party.id,
                        'start_date': dt.date(2015, 3, 1),
                        'end_date': dt.date(2015, 3, 1),
                        'organisation': "杭州华联商厦",
                        }])
            self.assertEqual(party.resumes, (entry,))

    @with_transaction()
    def test_shop_tax_number_shaped_like_a_uscc_must_be_valid(self):
        "An 18-character tax number is checked as a USCC, others are kept"
        Shop = Pool().get('microloan.party.shop')
        with set_company(create_cny_company()):
            party = create_customer(customer_kind='sole_trader')
            bad = VALID_USCC[:-1] + '4'
            with refused(self, ShopError) as context:
                Shop.create([{
                            'party': party.id, 'name': "秀英便利店",
                            'tax_number': bad,
                            }])
            self.assertIn(bad, str(context.exception))
            valid, old = Shop.create([{
                        'party': party.id, 'name': "秀英便利店",
                        'tax_number': VALID_USCC,
                        'registered_capital': Decimal('50000.00'),
                        'monthly_revenue': Decimal('36500.80'),
                        'scale': 3,
                        }, {
                        'party': party.id, 'name': "秀英早餐店",
                        'tax_number': '330106600123456',
                        }])
            self.assertEqual(valid.monthly_revenue, Decimal('36500.80'))
            self.assertEqual(valid.currency.code, 'CNY')
            self.assertEqual(len(party.shops), 2)

    @with_transaction()
    def test_shop_annual_check_before_registration_is_refused(self):
        "The last annual check cannot precede the registration"
        Shop = Pool().get('microloan.party.shop')
        with set_company(create_cny_company()):
            party = create_customer(customer_kind='sole_trader')
            with refused(self, DomainValidationError):
                Shop.create([{
                            'party': party.id, 'name': "秀英便利店",
                            'registration_date': dt.date(2020, 6, 1),
                            'last_annual_check_date': dt.date(2020, 5, 31),
                            }])
            with refused(self, DomainValidationError):
                Shop.create([{
                            'party': party.id, 'name': "秀英便利店",
                            'registered_capital': Decimal('-1.00'),
                            }])
            self.assertEqual(Shop.search([]), [])

    @with_transaction()
    def test_copy_of_a_customer_starts_without_family(self):
        "Copying a party does not copy another person's family or shops"
        Party = Pool().get('party.party')
        with set_company(create_cny_company()):
            party = create_customer(family_members=[('create', [
                            {'relation': 'spouse', 'name': "李建国"}])])
            copy, = Party.copy([party])
            self.assertEqual(copy.family_members, ())
            self.assertEqual(len(party.family_members), 1)

    @with_transaction()
    def test_resident_id_born_after_today_is_refused(self):
        "A customer's resident ID cannot give a birth date after today"
        Party = Pool().get('party.party')
        Date = Pool().get('ir.date')
        with set_company(create_cny_company()):
            today = Date.today()
            tomorrow = today + dt.timedelta(days=1)
            code = resident_id(tomorrow.strftime('%Y%m%d'))
            with refused(self, ResidentIdError) as context:
                create_customer(code=code)
            self.assertIn(code, str(context.exception))
            self.assertEqual(Party.search([('name', '=', "王秀英")]), [])
            party = create_customer(code=resident_id(today.strftime('%Y%m%d')))
            self.assertEqual(party.birth_date, today)
            self.assertEqual(party.age, 0)

    @with_transaction()
    def test_resident_id_born_before_1900_is_refused(self):
        "1900-01-01 is the earliest birth date a resident ID may give"
        Party = Pool().get('party.party')
        with set_company(create_cny_company()):
            with refused(self, ResidentIdError) as context:
                create_customer(code=resident_id('18991231'))
            self.assertIn('1899', str(context.exception))
            self.assertEqual(Party.search([('name', '=', "王秀英")]), [])
            party = create_customer(code=resident_id('19000101'))
            self.assertEqual(party.birth_date, dt.date(1900, 1, 1))

    @with_transaction()
    def test_resident_id_with_a_date_that_does_not_exist_is_refused(self):
        "30 February 1990 is no birth date, even with a right check digit"
        Party = Pool().get('party.party')
        with set_company(create_cny_company()):
            code = resident_id('19900230')
            with refused(self, InvalidIdentifierCode) as context:
                create_customer(code=code)
            self.assertIn(code, str(context.exception))
            self.assertEqual(Party.search([('name', '=', "王秀英")]), [])

    @with_transaction()
    def test_family_member_born_in_the_future_is_refused(self):
        "The birth-date rule holds for family members' resident IDs too"
        Member = Pool().get('microloan.party.family_member')
        Date = Pool().get('ir.date')
        with set_company(create_cny_company()):
            party = create_customer()
            next_year = Date.today() + dt.timedelta(days=366)
            code = resident_id(next_year.strftime('%Y%m%d'))
            with refused(self, ResidentIdError) as context:
                Member.create([{
                            'party': party.id, 'relation': 'son',
                            'name': "李小龙", 'id_number': code,
                            }])
            self.assertIn(code, str(context.exception))
            self.assertEqual(Member.search([]), [])
