# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Customer file: identity, relationships and the related-parties query,
record rules by officer and branch, transfer and merge."""
import datetime as dt
import unittest
from decimal import Decimal

from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import set_company
from trytond.modules.party.exceptions import InvalidIdentifierCode
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction, check_access

from ..exceptions import CustomerIdentityError, RelationError
from .tools import (
    USCC, create_branch, create_cny_company, create_enterprise,
    create_individual, create_staff, relate, relation_type, ric)


class CustomerTestCase(unittest.TestCase):
    "Test the customer file"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_core')

    @with_transaction()
    def test_resident_id_gives_birth_date_gender_and_age(self):
        "Birth date, gender and age are read from the resident ID"
        company = create_cny_company()
        with set_company(company):
            party = create_individual("孙建国", '11010519800312001')
            self.assertEqual(party.resident_id, ric('11010519800312001'))
            self.assertEqual(party.birth_date, dt.date(1980, 3, 12))
            # 17th digit 1 is odd: male
            self.assertEqual(party.gender, 'male')
            today = Pool().get('ir.date').today()
            self.assertEqual(party.age, today.year - 1980 - (
                    (today.month, today.day) < (3, 12)))
            woman = create_individual("周晓梅", '32010219850721002')
            self.assertEqual(woman.gender, 'female')

    @with_transaction()
    def test_wrong_resident_id_is_refused(self):
        "A resident ID with a wrong check character is refused"
        Party = Pool().get('party.party')
        company = create_cny_company()
        with set_company(company):
            code = ric('11010519800312001')
            wrong = code[:-1] + ('0' if code[-1] != '0' else '1')
            with self.assertRaises(InvalidIdentifierCode):
                Party.create([{
                            'name': "孙建国",
                            'customer_kind': 'individual',
                            'identifiers': [('create', [{
                                            'type': 'cn_ric',
                                            'code': wrong}])],
                            }])

    @with_transaction()
    def test_individual_without_resident_id_is_refused(self):
        "An individual customer needs a resident ID, an enterprise a USCC"
        Party = Pool().get('party.party')
        company = create_cny_company()
        with set_company(company):
            with self.assertRaises(CustomerIdentityError):
                Party.create([{
                            'name': "无证客户", 'customer_kind': 'individual'}])
            with self.assertRaises(CustomerIdentityError):
                Party.create([{
                            'name': "无码企业", 'customer_kind': 'enterprise',
                            'identifiers': [('create', [{
                                            'type': 'cn_ric',
                                            'code': ric('11010519800312001'),
                                            }])],
                            }])
            # a party that is not a customer needs neither
            Party.create([{'name': "某银行"}])

    @with_transaction()
    def test_duplicate_identity_is_refused(self):
        "The same resident ID or USCC cannot be on two customers"
        company = create_cny_company()
        with set_company(company):
            first = create_individual("孙建国", '11010519800312001')
            create_enterprise("华东贸易有限公司", USCC[0])
            with self.assertRaises(CustomerIdentityError) as context:
                create_individual("孙建国（重复）", '11010519800312001')
            self.assertIn(first.code, str(context.exception))
            with self.assertRaises(CustomerIdentityError):
                create_enterprise("华东贸易（重复）", USCC[0])

    @with_transaction()
    def test_relation_is_stored_in_both_directions(self):
        "A shareholder link shows on both parties with the reverse type"
        company = create_cny_company()
        with set_company(company):
            person = create_individual("孙建国", '11010519800312001')
            firm = create_enterprise("华东贸易有限公司", USCC[0])
            relation = relate(person, 'shareholder', firm)
            reverse = relation.reverse_relation
            self.assertEqual(
                (reverse.from_, reverse.to, reverse.type),
                (firm, person, relation_type('has_shareholder')))
            self.assertEqual(reverse.reverse_relation, relation)
            self.assertEqual(
                [r.to for r in firm.relations], [person])

            relation.end_date = dt.date(2030, 1, 1)
            relation.save()
            self.assertEqual(reverse.end_date, dt.date(2030, 1, 1))

            Relation = Pool().get('microloan.party.relation')
            Relation.delete([relation])
            self.assertEqual(Relation.search([]), [])

    @with_transaction()
    def test_party_cannot_be_related_to_itself(self):
        "A relation from a party to itself is refused"
        company = create_cny_company()
        with set_company(company):
            person = create_individual("孙建国", '11010519800312001')
            with self.assertRaises(RelationError):
                relate(person, 'spouse', person)

    @with_transaction()
    def test_related_parties_follow_links_transitively(self):
        "A spouse of B, B shareholder of C: A is related to C"
        Party = Pool().get('party.party')
        company = create_cny_company()
        with set_company(company):
            a = create_individual("甲", '11010519800312001')
            b = create_individual("乙", '32010219850721002')
            c = create_enterprise("丙公司", USCC[0])
            d = create_enterprise("丁公司", USCC[1])
            e = create_individual("戊", '31010119790105003')
            relate(a, 'spouse', b)
            relate(b, 'shareholder', c)
            relate(c, 'guarantor', d)
            relate(d, 'legal_representative', e, )
            related = Party.related_party_ids([a, c], depth=3)
            self.assertEqual(related[a.id], {b.id: 1, c.id: 2, d.id: 3})
            self.assertEqual(
                related[c.id], {b.id: 1, d.id: 1, a.id: 2, e.id: 2})
            # the form lists them nearest first, with the configured depth
            self.assertEqual(a.related_parties, (b, c, d))
            self.assertEqual(a.related_parties_count, 3)
            with Transaction().set_context(related_to=a.id):
                self.assertEqual(Party(c.id).related_distance, 2)
            self.assertEqual(
                Party.related_party_ids([a], depth=1)[a.id], {b.id: 1})

    @with_transaction()
    def test_ended_and_non_related_links_are_not_followed(self):
        "Links ended before the date or of a business type do not count"
        Party = Pool().get('party.party')
        company = create_cny_company()
        with set_company(company):
            a = create_individual("甲", '11010519800312001')
            b = create_individual("乙", '32010219850721002')
            c = create_enterprise("丙公司", USCC[0])
            relate(a, 'spouse', b, end_date=dt.date(2020, 12, 31))
            relate(a, 'business_partner', c)
            self.assertEqual(Party.related_party_ids([a])[a.id], {})
            self.assertEqual(
                Party.related_party_ids([a], date=dt.date(2020, 6, 1))[a.id],
                {b.id: 1})

    @with_transaction()
    def test_officers_see_their_own_customers_managers_their_branch(self):
        "Record rules: officer his own, branch manager his branch, HQ all"
        pool = Pool()
        Party = pool.get('party.party')
        company = create_cny_company()
        with set_company(company):
            east = create_branch(company, "城东支行", 'E')
            west = create_branch(company, "城西支行", 'W')
            officer_e, employee_e = create_staff(
                company, 'officer_e', "王敏", 'group_loan_officer', east)
            officer_w, employee_w = create_staff(
                company, 'officer_w', "赵刚", 'group_loan_officer', west)
            manager_e, _ = create_staff(
                company, 'manager_e', "刘洋", 'group_branch_manager', east)
            risk, _ = create_staff(
                company, 'risk', "李强", 'group_risk_officer')
            mine = create_individual("孙建国", '11010519800312001',
                loan_officer=employee_e.id, branch=east.id)
            theirs = create_individual("周晓梅", '32010219850721002',
                loan_officer=employee_w.id, branch=west.id)
            bank, = Party.create([{'name': "某银行"}])

            def visible(user):
                with Transaction().set_user(user.id), check_access():
                    return set(Party.search([
                                ('id', 'in', [mine.id, theirs.id, bank.id]),
                                ]))

            self.assertEqual(visible(officer_e), {mine, bank})
            self.assertEqual(visible(officer_w), {theirs, bank})
            self.assertEqual(visible(manager_e), {mine, bank})
            self.assertEqual(visible(risk), {mine, theirs, bank})
            with Transaction().set_user(officer_e.id), check_access():
                with self.assertRaises(AccessError):
                    Party.write([Party(theirs.id)], {'name': "改名"})

    @with_transaction()
    def test_branch_is_found_by_code_or_name(self):
        "Searching a branch's name matches its code or its name"
        Branch = Pool().get('microloan.branch')
        company = create_cny_company()
        with set_company(company):
            east = create_branch(company, "城东支行", 'E')
            west = create_branch(company, "城西支行", 'W')
            self.assertEqual(
                Branch.search([('rec_name', '=', 'E')]), [east])
            self.assertEqual(
                Branch.search([('rec_name', 'ilike', '%城西%')]), [west])
            self.assertEqual(
                Branch.search([('rec_name', '!=', 'E')]), [west])

    @with_transaction()
    def test_transfer_moves_customers_and_keeps_history(self):
        "Transferring a customer changes officer and branch, with history"
        pool = Pool()
        Transfer = pool.get('microloan.party.transfer', type='wizard')
        company = create_cny_company()
        with set_company(company):
            east = create_branch(company, "城东支行", 'E')
            west = create_branch(company, "城西支行", 'W')
            _, employee_e = create_staff(
                company, 'officer_e', "王敏", 'group_loan_officer', east)
            _, employee_w = create_staff(
                company, 'officer_w', "赵刚", 'group_loan_officer', west)
            party = create_individual("孙建国", '11010519800312001',
                loan_officer=employee_e.id, branch=east.id)

            session_id, _, _ = Transfer.create()
            transfer = Transfer(session_id)
            transfer.start.customers = [party]
            transfer.start.to_officer = employee_w
            transfer.start.reason = "王敏调岗"
            transfer.transition_transfer()

            self.assertEqual(
                (party.loan_officer, party.branch), (employee_w, west))
            moves = [(h.kind, h.from_officer, h.to_officer, h.to_branch,
                    h.reason) for h in party.officer_history]
            self.assertEqual(moves, [
                    ('transfer', employee_e, employee_w, west, "王敏调岗"),
                    ('filed', None, employee_e, east, None),
                    ])

    @with_transaction()
    def test_merge_moves_loans_and_relations_and_keeps_history(self):
        "Merging a duplicate file moves its loans and links to the survivor"
        pool = Pool()
        Party = pool.get('party.party')
        Loan = pool.get('microloan.loan')
        Replace = pool.get('party.replace', type='wizard')
        company = create_cny_company()
        with set_company(company):
            survivor = create_individual("孙建国", '11010519800312001')
            duplicate, = Party.create([{'name': "孙建国"}])
            spouse = create_individual("周晓梅", '32010219850721002')
            relate(duplicate, 'spouse', spouse)
            relate(duplicate, 'family', survivor)
            loan, = Loan.create([{
                        'company': company.id, 'borrower': duplicate.id,
                        'principal': Decimal('10000.00'),
                        'annual_rate': Decimal('0.12'),
                        'start_date': dt.date(2026, 1, 31),
                        'term_months': 3,
                        }])

            session_id, _, _ = Replace.create()
            replace = Replace(session_id)
            replace.ask.source = duplicate
            replace.ask.destination = survivor
            replace.transition_replace()
            # the wizard updates by SQL: read afresh, as the next request does
            for cache in Transaction().cache.values():
                cache.clear()

            self.assertEqual(Loan(loan.id).borrower, survivor)
            self.assertEqual(
                [(r.type.code, r.to) for r in Party(survivor.id).relations],
                [('spouse', spouse)])
            self.assertEqual(
                [h.kind for h in Party(survivor.id).officer_history],
                ['merge', 'filed'])
            self.assertFalse(Party(duplicate.id).active)
