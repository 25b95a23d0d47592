# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""File completeness (档案完整度): rules, the percentage and what is
missing."""
import unittest

from trytond.model.exceptions import DomainValidationError
from trytond.modules.company.tests import (
    create_company, create_employee, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from ..completeness import percentage
from ..exceptions import CompletenessRuleError
from .tools import PDF, attach, create_customer, create_user

def clear_rules_and_types():
    """Remove the default rules and deactivate the default material types:
    the tests state every weight they count"""
    pool = Pool()
    Rule = pool.get('microloan.completeness.rule')
    MaterialType = pool.get('microloan.material.type')
    with Transaction().set_context(active_test=False):
        Rule.delete(Rule.search([]))
    MaterialType.write(MaterialType.search([]), {'active': False})


def create_rules(kind, weights):
    Rule = Pool().get('microloan.completeness.rule')
    return Rule.create([{
                'customer_kind': kind,
                'field': field,
                'weight': weight,
                'sequence': i,
                } for i, (field, weight) in enumerate(weights)])


class CompletenessTestCase(unittest.TestCase):
    "Test the file completeness of the customers"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_core')

    def test_percentage_rounds_half_up(self):
        "Percentages are whole numbers rounded half up, 100 without rules"
        self.assertEqual(percentage(5, 8), 63)
        self.assertEqual(percentage(1, 8), 13)
        self.assertEqual(percentage(1, 3), 33)
        self.assertEqual(percentage(2, 3), 67)
        self.assertEqual(percentage(0, 7), 0)
        self.assertEqual(percentage(7, 7), 100)
        self.assertEqual(percentage(0, 0), 100)

    @with_transaction()
    def test_worked_example_percentage_and_missing_items(self):
        "5 of 8 weights filled gives 63 % and lists the missing items"
        pool = Pool()
        Party = pool.get('party.party')
        MaterialType = pool.get('microloan.material.type')
        Material = pool.get('microloan.party.material')
        company = create_company()
        with set_company(company):
            clear_rules_and_types()
            officer = create_employee(company, "王丽")
            create_rules('individual', [
                    ('name', 1),
                    ('resident_id', 2),
                    ('addresses', 1),
                    ('contact_mechanisms', 1),
                    ('loan_officer', 1),
                    ])
            # a rule of another kind does not count for an individual
            create_rules('enterprise', [('uscc', 3)])
            income, _, _ = MaterialType.create([{
                        'name': "Income Proof",
                        'individual': True,
                        'required': True,
                        'weight': 2,
                        }, {
                        'name': "Property Certificate",
                        'individual': True,
                        'required': False,
                        'weight': 5,
                        }, {
                        'name': "Articles of Association",
                        'enterprise': True,
                        'required': True,
                        'weight': 4,
                        }])
            party = create_customer(
                "张伟", 1, officer=officer,
                addresses=[('create', [{'city': "北京"}])])

            # name 1 + resident ID 2 + address 1 + officer 1 = 5 of 8
            self.assertEqual(party.completeness, 63)
            self.assertEqual(
                party.completeness_missing,
                "Contact Mechanisms\nIncome Proof")

            Party.write([party], {
                    'contact_mechanisms': [('create', [{
                                    'type': 'email',
                                    'value': 'zhangwei@example.cn',
                                    }])],
                    })
            party = Party(party.id)
            self.assertEqual(party.completeness, 75)
            self.assertEqual(party.completeness_missing, "Income Proof")

            # the material counts once signed off, not before
            Party.generate_materials([party])
            material, = Material.search([
                    ('party', '=', party.id), ('type', '=', income.id)])
            Material.receive([material])
            attach(material, 'income.pdf', PDF)
            self.assertEqual(Party(party.id).completeness, 75)
            risk_user = create_user('risk', company, ['group_risk_officer'])
            with Transaction().set_user(risk_user.id):
                Material.sign([material])
            party = Party(party.id)
            self.assertEqual(party.completeness, 100)
            self.assertEqual(party.completeness_missing, '')

    @with_transaction()
    def test_completeness_of_many_parties_in_one_read(self):
        "Parties of different fill levels, kinds and none computed at once"
        pool = Pool()
        Party = pool.get('party.party')
        company = create_company()
        with set_company(company):
            clear_rules_and_types()
            officer = create_employee(company, "王丽")
            create_rules('individual', [
                    ('name', 1), ('loan_officer', 2), ('branch', 1)])
            full = create_customer("李娜", 2, officer=officer)
            bare = create_customer("刘洋", 3)
            other, = Party.create([{'name': "中国工商银行"}])
            trader = create_customer("陈记面馆", 4, kind='sole_trader')

            values = {r['id']: r for r in Party.read(
                    [full.id, bare.id, other.id, trader.id],
                    ['completeness', 'completeness_missing'])}
            self.assertEqual(values[full.id]['completeness'], 75)
            self.assertEqual(values[full.id]['completeness_missing'], "Branch")
            self.assertEqual(values[bare.id]['completeness'], 25)
            self.assertEqual(
                values[bare.id]['completeness_missing'],
                "Loan Officer\nBranch")
            # not a customer: no completeness at all
            self.assertIsNone(values[other.id]['completeness'])
            self.assertIsNone(values[other.id]['completeness_missing'])
            # no rule for sole traders: nothing can be missing
            self.assertEqual(values[trader.id]['completeness'], 100)

    @with_transaction()
    def test_completeness_needs_no_access_to_rules_or_types(self):
        "A user who may read a customer but not the settings sees it"
        pool = Pool()
        Party = pool.get('party.party')
        MaterialType = pool.get('microloan.material.type')
        User = pool.get('res.user')
        company = create_company()
        with set_company(company):
            clear_rules_and_types()
            create_rules('individual', [('name', 1), ('branch', 1)])
            MaterialType.create([{
                        'name': "Income Proof", 'individual': True,
                        'required': True, 'weight': 2,
                        }])
            party = create_customer("钱坤", 7)
            clerk, = User.create([{'name': "Clerk", 'login': 'clerk'}])
            with Transaction().set_user(clerk.id), \
                    Transaction().set_context(_check_access=True):
                party, = Party.read([party.id], ['completeness'])
            self.assertEqual(party['completeness'], 25)

    @with_transaction()
    def test_new_rule_changes_completeness_at_once(self):
        "Adding or deactivating a rule clears the cached rules"
        pool = Pool()
        Rule = pool.get('microloan.completeness.rule')
        Party = pool.get('party.party')
        company = create_company()
        with set_company(company):
            clear_rules_and_types()
            party = create_customer("赵敏", 5)
            create_rules('individual', [('name', 1)])
            self.assertEqual(Party(party.id).completeness, 100)

            rule, = create_rules('individual', [('branch', 3)])
            self.assertEqual(Party(party.id).completeness, 25)

            Rule.write([rule], {'active': False})
            self.assertEqual(Party(party.id).completeness, 100)

    @with_transaction()
    def test_blank_name_and_false_boolean_are_not_filled(self):
        "A name of spaces and an unchecked box do not fill their field"
        pool = Pool()
        Party = pool.get('party.party')
        Rule = pool.get('microloan.completeness.rule')
        company = create_company()
        with set_company(company):
            clear_rules_and_types()
            options = dict(Rule.get_party_fields())
            self.assertIn('resident_id', options)
            self.assertIn('uscc', options)
            for technical in ['id', 'create_uid', 'write_date', 'rec_name',
                    'birth_date', 'age', 'completeness', 'materials']:
                self.assertNotIn(technical, options)

            create_rules('individual', [('name', 1), ('resident_id', 1)])
            party = create_customer("孙强", 6)
            Party.write([party], {'name': '   '})
            party = Party(party.id)
            self.assertEqual(party.completeness, 50)
            self.assertEqual(party.completeness_missing, "Name")

    @with_transaction()
    def test_duplicate_rule_is_refused(self):
        "A second rule on the same field and kind is refused"
        company = create_company()
        with set_company(company):
            clear_rules_and_types()
            create_rules('individual', [('addresses', 2)])
            with self.assertRaises(CompletenessRuleError) as cm:
                create_rules('individual', [('addresses', 1)])
            self.assertIn("Addresses", str(cm.exception))
            self.assertIn("Individual", str(cm.exception))

    @with_transaction()
    def test_same_field_for_another_kind_is_accepted(self):
        "Each customer kind has its own rule on a field"
        Rule = Pool().get('microloan.completeness.rule')
        company = create_company()
        with set_company(company):
            clear_rules_and_types()
            create_rules('individual', [('addresses', 2)])
            create_rules('enterprise', [('addresses', 1)])
            self.assertEqual(
                sorted((r.customer_kind, r.weight) for r in Rule.search([
                            ('field', '=', 'addresses')])),
                [('enterprise', 1), ('individual', 2)])

    @with_transaction()
    def test_zero_weight_is_refused(self):
        "A rule weighs at least 1"
        company = create_company()
        with set_company(company):
            clear_rules_and_types()
            with self.assertRaises(DomainValidationError):
                create_rules('individual', [('name', 0)])

    @with_transaction()
    def test_default_rules_exist_for_every_kind(self):
        "The module ships rules for the three customer kinds"
        Rule = Pool().get('microloan.completeness.rule')
        kinds = {r.customer_kind for r in Rule.search([])}
        self.assertEqual(kinds, {'individual', 'sole_trader', 'enterprise'})
        fields = {r.field for r in Rule.search([
                    ('customer_kind', '=', 'enterprise')])}
        self.assertIn('uscc', fields)
        self.assertNotIn('resident_id', fields)

