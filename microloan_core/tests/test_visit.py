# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Visit registrations, marketing visits, their follow-ups and the customer
sources."""
import datetime as dt
import unittest
from contextlib import contextmanager
from decimal import Decimal

from trytond.model.exceptions import (
    DomainValidationError, RequiredValidationError)
from trytond.modules.company.tests import set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from ..exceptions import VisitError, WorkflowTransitionError
from .test_party_individual import CUSTOMER_ID, MAN_ID
from .tools import (
    create_branch, create_cny_company, create_officer, create_user, refused)


def source(xml_id):
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    Source = pool.get('microloan.customer.source')
    return Source(ModelData.get_id('microloan_core', xml_id))


def create_visit(company, officer, **values):
    Visit = Pool().get('microloan.visit')
    terms = {
        'company': company.id,
        'date': dt.datetime(2026, 3, 2, 9, 30),
        'visitor_name': "周志强",
        'phone': '13812345678',
        'purpose': 'loan_enquiry',
        'requested_amount': Decimal('50000.00'),
        'received_by': officer.id,
        'branch': officer.branch.id,
        'source': source('customer_source_walk_in').id,
        }
    terms.update(values)
    visit, = Visit.create([terms])
    return visit


class VisitTestCase(unittest.TestCase):
    "Test visit registrations and marketing visits"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_module('microloan_core')

    @contextmanager
    def west_branch(self):
        "A company, its branch 西湖网点 and the loan officer 陈晓东 there"
        company = create_cny_company()
        with set_company(company):
            branch = create_branch(company, "西湖网点", 'XH')
            yield company, branch, create_officer(company, "陈晓东", branch)

    @with_transaction()
    def test_default_customer_sources_are_loaded(self):
        "The seven usual customer sources come with the module"
        Source = Pool().get('microloan.customer.source')
        self.assertEqual(
            [s.code for s in Source.search([])],
            ['01', '02', '03', '04', '05', '06', '99'])
        self.assertEqual(source('customer_source_walk_in').name, "Walk-In")

    @with_transaction()
    def test_visit_is_numbered_and_served_by_the_receiver_s_branch(self):
        "A visit gets a number and the receiver's branch by default"
        Visit = Pool().get('microloan.visit')
        with self.west_branch() as (company, branch, officer):
            visit = create_visit(company, officer)
            self.assertTrue(visit.number.startswith('LF'))
            self.assertEqual(visit.state, 'open')
            self.assertEqual(visit.requested_amount, Decimal('50000.00'))
            self.assertEqual(visit.currency.code, 'CNY')
            with Transaction().set_context(employee=officer.id):
                self.assertEqual(Visit.default_branch(), branch.id)
                self.assertEqual(Visit.default_received_by(), officer.id)

    @with_transaction()
    def test_create_customer_makes_an_individual_with_the_resident_id(self):
        "Create Customer files the visitor as an individual and links it"
        Visit = Pool().get('microloan.visit')
        with self.west_branch() as (company, branch, officer):
            visit = create_visit(company, officer, id_number=MAN_ID)

            Visit.create_customer([visit])

            party = Visit(visit.id).party
            self.assertEqual(party.name, "周志强")
            self.assertEqual(party.customer_kind, 'individual')
            self.assertEqual(party.resident_id, MAN_ID)
            self.assertEqual(party.gender, 'male')
            self.assertEqual(party.loan_officer, officer)
            self.assertEqual(party.branch, branch)
            self.assertEqual(
                party.customer_source, source('customer_source_walk_in'))
            self.assertEqual(party.mobile, '13812345678')

    @with_transaction()
    def test_create_customer_twice_is_refused(self):
        "A visit already linked to a customer does not make another"
        pool = Pool()
        Visit = pool.get('microloan.visit')
        Party = pool.get('party.party')
        with self.west_branch() as (company, branch, officer):
            visit = create_visit(company, officer, id_number=MAN_ID)
            Visit.create_customer([visit])
            party = Visit(visit.id).party

            with refused(self, VisitError) as context:
                Visit.create_customer([Visit(visit.id)])
            self.assertIn(visit.number, str(context.exception))
            self.assertEqual(
                Party.search([('resident_id', '=', MAN_ID)]), [party])

    @with_transaction()
    def test_create_customer_without_resident_id_is_refused(self):
        "An individual customer needs the visitor's resident ID"
        pool = Pool()
        Visit = pool.get('microloan.visit')
        Party = pool.get('party.party')
        with self.west_branch() as (company, branch, officer):
            visit = create_visit(company, officer)
            with refused(self, VisitError):
                Visit.create_customer([visit])
            self.assertEqual(Party.search([('name', '=', "周志强")]), [])
            self.assertIsNone(Visit(visit.id).party)

    @with_transaction()
    def test_visit_with_a_bad_resident_id_is_refused(self):
        "A visitor's resident ID with a wrong check digit is refused"
        Visit = Pool().get('microloan.visit')
        with self.west_branch() as (company, branch, officer):
            bad = CUSTOMER_ID[:-1] + '1'
            with refused(self, VisitError) as context:
                create_visit(company, officer, id_number=bad)
            self.assertIn(bad, str(context.exception))
            with refused(self, DomainValidationError):
                create_visit(
                    company, officer, requested_amount=Decimal('-0.01'))
            self.assertEqual(Visit.search([]), [])

    @with_transaction()
    def test_visit_workflow_refuses_transitions_out_of_order(self):
        "Open -> followed up -> closed; a closed visit goes nowhere"
        pool = Pool()
        Visit = pool.get('microloan.visit')
        FollowUp = pool.get('microloan.visit.follow_up')
        with self.west_branch() as (company, branch, officer):
            visit = create_visit(company, officer)

            with refused(self, VisitError):
                Visit.follow_up([visit])
            FollowUp.create([{
                        'visit': visit.id,
                        'date': dt.date(2026, 3, 3),
                        'employee': officer.id,
                        'method': 'phone',
                        'content': "电话回访，客户准备材料",
                        'next_date': dt.date(2026, 3, 10),
                        }])
            Visit.follow_up([visit])
            self.assertEqual(Visit(visit.id).state, 'followed_up')

            user = create_user('chenxd', company, ['group_loan_officer'], officer)
            with Transaction().set_user(user.id):
                Visit.close([visit])
            visit = Visit(visit.id)
            self.assertEqual(visit.state, 'closed')
            self.assertEqual(
                (visit.closed_by, visit.closed_user), (officer, user))

            with refused(self, WorkflowTransitionError) as context:
                Visit.follow_up([visit])
            self.assertIn(visit.number, str(context.exception))
            self.assertEqual(Visit(visit.id).state, 'closed')
            with refused(self, VisitError):
                Visit.create_customer([visit])

    @with_transaction()
    def test_marketing_visit_done_or_cancelled_once(self):
        "A planned marketing visit is done or cancelled, never both"
        MarketingVisit = Pool().get('microloan.marketing_visit')
        with self.west_branch() as (company, branch, officer):
            visit, = MarketingVisit.create([{
                        'company': company.id,
                        'planned_date': dt.date(2026, 3, 5),
                        'officer': officer.id,
                        'branch': branch.id,
                        'prospect_name': "西溪农贸市场商户",
                        'purpose': "介绍经营贷产品",
                        }])
            self.assertTrue(visit.number.startswith('BF'))
            user = create_user('chenxd', company, ['group_loan_officer'], officer)
            with Transaction().set_user(user.id):
                MarketingVisit.do([visit])
            visit = MarketingVisit(visit.id)
            self.assertEqual(visit.state, 'done')
            self.assertEqual(
                (visit.done_by, visit.done_user), (officer, user))
            self.assertGreaterEqual(visit.visit_date, dt.date(2026, 3, 5))

            with refused(self, WorkflowTransitionError):
                MarketingVisit.cancel([visit])
            self.assertEqual(MarketingVisit(visit.id).state, 'done')

    @with_transaction()
    def test_marketing_visit_needs_a_customer_or_a_prospect(self):
        "A marketing visit names whom it visits"
        MarketingVisit = Pool().get('microloan.marketing_visit')
        with self.west_branch() as (company, branch, officer):
            with refused(self, RequiredValidationError):
                MarketingVisit.create([{
                            'company': company.id,
                            'planned_date': dt.date(2026, 3, 5),
                            'officer': officer.id,
                            }])
            self.assertEqual(MarketingVisit.search([]), [])

    @with_transaction()
    def test_follow_up_belongs_to_exactly_one_visit(self):
        "A follow-up is of a visit registration or of a marketing visit"
        pool = Pool()
        FollowUp = pool.get('microloan.visit.follow_up')
        MarketingVisit = pool.get('microloan.marketing_visit')
        with self.west_branch() as (company, branch, officer):
            visit = create_visit(company, officer)
            marketing, = MarketingVisit.create([{
                        'company': company.id,
                        'planned_date': dt.date(2026, 3, 5),
                        'officer': officer.id,
                        'prospect_name': "西溪农贸市场商户",
                        }])
            values = {
                'date': dt.date(2026, 3, 3),
                'employee': officer.id,
                'method': 'visit',
                'content': "上门了解经营情况",
                }
            with refused(self, VisitError):
                FollowUp.create([dict(values,
                            visit=visit.id, marketing_visit=marketing.id)])
            with refused(self, DomainValidationError):
                FollowUp.create([dict(values, visit=visit.id,
                            next_date=dt.date(2026, 3, 2))])
            follow_up, = FollowUp.create([dict(
                        values, marketing_visit=marketing.id)])
            self.assertEqual(marketing.follow_ups, (follow_up,))
            self.assertEqual(FollowUp.search([]), [follow_up])

    @with_transaction()
    def test_loan_officer_of_another_branch_does_not_see_the_visit(self):
        "Record rules: own visits for officers, the branch for its manager"
        pool = Pool()
        Visit = pool.get('microloan.visit')
        FollowUp = pool.get('microloan.visit.follow_up')
        company = create_cny_company()
        with set_company(company):
            west = create_branch(company, "西湖网点", 'XH')
            east = create_branch(company, "滨江网点", 'BJ')
            receiver = create_officer(company, "陈晓东", west)
            stranger = create_officer(company, "林海峰", east)
            manager = create_officer(company, "吴静", west)
            visit = create_visit(company, receiver)
            FollowUp.create([{
                        'visit': visit.id,
                        'date': dt.date(2026, 3, 3),
                        'employee': receiver.id,
                        'method': 'phone',
                        'content': "电话回访",
                        }])
            users = {
                'receiver': create_user(
                    'chenxd', company, ['group_loan_officer'], receiver),
                'stranger': create_user(
                    'linhf', company, ['group_loan_officer'], stranger),
                'manager': create_user(
                    'wujing', company, ['group_branch_manager'], manager),
                }
            seen = {}
            for name, user in users.items():
                with Transaction().set_user(user.id), \
                        Transaction().set_context(
                            _check_access=True, company=company.id,
                            employee=user.employee.id):
                    seen[name] = (
                        Visit.search([]), len(FollowUp.search([])))
            self.assertEqual(seen['receiver'], ([visit], 1))
            self.assertEqual(seen['stranger'], ([], 0))
            self.assertEqual(seen['manager'], ([visit], 1))

