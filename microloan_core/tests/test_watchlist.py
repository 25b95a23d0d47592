# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import unittest
from decimal import Decimal

from trytond.model.exceptions import (
    AccessButtonError, AccessError, DomainValidationError,
    RequiredValidationError)
from trytond.modules.company.tests import create_employee, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from ..exceptions import (
    BlacklistError, BlacklistOverrideError, WatchListError,
    WorkflowTransitionError)
from .tools import (
    as_user, blacklist, create_cny_company, create_customer, create_loan,
    create_user)


class WatchListTestCase(unittest.TestCase):
    "Test watch lists and blacklist overrides"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_core')

    def setup_roles(self, company):
        "A loan officer, a risk officer and an approver of company"
        officer_employee = create_employee(company, "王敏")
        self.officer = create_user(
            'officer', company, ['group_loan_officer'], officer_employee)
        self.risk = create_user(
            'risk', company, ['group_risk_officer'],
            create_employee(company, "李强"))
        self.approver = create_user(
            'approver', company, ['group_approver'],
            create_employee(company, "赵丽"))
        return officer_employee

    def approved_override(self, company, party, amount, **values):
        "An override requested by the loan officer, approved by the risk one"
        Override = Pool().get('microloan.blacklist.override')
        with Transaction().set_user(self.officer.id):
            override, = Override.create([dict({
                            'company': company.id,
                            'party': party.id,
                            'reason': "已结清历史逾期，经营恢复正常",
                            'amount': amount,
                            }, **values)])
            Override.request([override])
        with Transaction().set_user(self.risk.id):
            Override.approve([override])
        return Override(override.id)

    @with_transaction()
    def test_blacklisted_flag_follows_active_entries_and_is_searchable(self):
        "A party is blacklisted by an active entry in force today only"
        pool = Pool()
        Party = pool.get('party.party')
        Watch = pool.get('microloan.party.watch')
        today = pool.get('ir.date').today()
        company = create_cny_company()
        with set_company(company):
            listed = create_customer("钱多多", 1)
            ended = create_customer("周全", 2)
            vip = create_customer("吴用", 3)
            blacklist(listed)
            blacklist(ended,
                start_date=today - dt.timedelta(days=30),
                end_date=today - dt.timedelta(days=1))
            Watch.create([{'party': vip.id, 'list': 'vip'}])

            self.assertEqual(
                [(p.is_blacklisted, p.is_vip, p.is_potential)
                    for p in Party.browse([listed, ended, vip])],
                [(True, False, False), (False, False, False),
                    (False, True, False)])
            self.assertEqual(
                Party.search([('is_blacklisted', '=', True)]), [listed])
            customers = Party.search([('customer_kind', '!=', None)])
            self.assertEqual(
                set(Party.search([
                            ('customer_kind', '!=', None),
                            ('is_blacklisted', '=', False),
                            ])),
                set(customers) - {listed})
            self.assertEqual(Party.search([('is_vip', '!=', False)]), [vip])

    @with_transaction()
    def test_loan_officer_cannot_blacklist_but_adds_vip(self):
        "A loan officer is refused the blacklist, nothing saved; lists his own"
        pool = Pool()
        Watch = pool.get('microloan.party.watch')
        company = create_cny_company()
        with set_company(company):
            employee = self.setup_roles(company)
            party = create_customer("钱多多", 1, officer=employee)
            other = create_customer("周全", 2)
            with as_user(self.officer):
                with self.assertRaises(WatchListError) as context:
                    blacklist(party)
                self.assertIn('officer', str(context.exception))
                vip, = Watch.create([{'party': party.id, 'list': 'vip'}])
                # the customers of other officers are not his to list
                with self.assertRaises(AccessError):
                    Watch.create([{'party': other.id, 'list': 'potential'}])
                # nor can he turn his VIP entry into a blacklist entry
                with self.assertRaises(WatchListError):
                    Watch.write([vip], {
                            'list': 'blacklist', 'reason': "欺诈"})
            self.assertEqual(
                [(e.list, e.added_by, e.added_user) for e in Watch.search([
                            ('party', '=', party.id)])],
                [('vip', employee, self.officer)])

    @with_transaction()
    def test_blacklist_entry_needs_a_reason(self):
        "A blacklist entry without reason is refused"
        company = create_cny_company()
        with set_company(company):
            party = create_customer("钱多多", 1)
            with self.assertRaises(RequiredValidationError):
                blacklist(party, reason=None)

    @with_transaction()
    def test_end_date_before_start_date_is_refused(self):
        "A watch entry cannot end before it starts"
        company = create_cny_company()
        with set_company(company):
            party = create_customer("钱多多", 1)
            with self.assertRaises(DomainValidationError):
                blacklist(party,
                    start_date=dt.date(2026, 5, 1),
                    end_date=dt.date(2026, 4, 30))

    @with_transaction()
    def test_removal_needs_a_reason_and_keeps_the_entry(self):
        "Remove asks a reason, records who and when, and happens once"
        pool = Pool()
        Watch = pool.get('microloan.party.watch')
        today = pool.get('ir.date').today()
        company = create_cny_company()
        with set_company(company):
            party = create_customer("钱多多", 1)
            entry = blacklist(party)
            with self.assertRaises(WatchListError):
                Watch.remove([entry])
            self.assertEqual(entry.state, 'active')

            entry.removal_reason = "法院判决已执行完毕"
            entry.save()
            Watch.remove([entry])
            entry = Watch(entry.id)
            # the administrator has no employee: his user is recorded
            self.assertEqual(
                (entry.state, entry.removed_by, entry.removed_user.id,
                    entry.removed_date),
                ('removed', None, Transaction().user, today))
            self.assertFalse(party.__class__(party.id).is_blacklisted)
            with self.assertRaises(WorkflowTransitionError):
                Watch.remove([entry])

    @with_transaction()
    def test_loan_to_blacklisted_borrower_is_refused(self):
        "A loan to a blacklisted borrower is refused and nothing is saved"
        Loan = Pool().get('microloan.loan')
        company = create_cny_company()
        with set_company(company):
            party = create_customer("钱多多", 1)
            blacklist(party)
            with self.assertRaises(BlacklistError) as context:
                create_loan(company, party, Decimal('50000.00'))
            self.assertIn("钱多多", str(context.exception))
            self.assertRegex(str(context.exception), r'50,?000\.00')
            self.assertEqual(Loan.search([('borrower', '=', party.id)]), [])

    @with_transaction()
    def test_approved_override_lets_exactly_one_loan_through(self):
        "An approved override carries one loan within its amount, then used"
        pool = Pool()
        Loan = pool.get('microloan.loan')
        Override = pool.get('microloan.blacklist.override')
        today = pool.get('ir.date').today()
        company = create_cny_company()
        with set_company(company):
            self.setup_roles(company)
            party = create_customer("钱多多", 1)
            blacklist(party)
            override = self.approved_override(
                company, party, Decimal('50000.00'))
            self.assertEqual(
                (override.state, override.requested_by, override.approved_by,
                    override.approved_date, override.used),
                ('approved', self.officer.employee, self.risk.employee, today,
                    False))
            self.assertEqual(
                (override.requested_user, override.approved_user),
                (self.officer, self.risk))

            with self.assertRaises(BlacklistError):
                create_loan(company, party, Decimal('50000.01'),
                    blacklist_override=override.id)
            # two loans created together cannot share it
            with self.assertRaises(BlacklistError):
                Loan.create([{
                            'company': company.id,
                            'borrower': party.id,
                            'blacklist_override': override.id,
                            'principal': Decimal('20000.00'),
                            'annual_rate': Decimal('0.12'),
                            'start_date': dt.date(2026, 3, 1),
                            'term_months': 6,
                            }] * 2)
            self.assertEqual(Loan.search([('borrower', '=', party.id)]), [])
            loan = create_loan(company, party, Decimal('50000.00'),
                blacklist_override=override.id)
            override = Override(override.id)
            self.assertEqual((override.loan, override.used), (loan, True))
            self.assertEqual(Override.search([('used', '=', True)]),
                [override])

            # the loan may change within the override, not beyond it
            Loan.write([loan], {'principal': Decimal('40000.00')})
            with self.assertRaises(BlacklistError):
                Loan.write([loan], {'principal': Decimal('60000.00')})
            self.assertEqual(
                Loan(loan.id).principal, Decimal('40000.00'))

            with self.assertRaises(BlacklistError):
                create_loan(company, party, Decimal('10000.00'),
                    blacklist_override=override.id)
            self.assertEqual(
                Loan.search([('borrower', '=', party.id)]), [loan])

    @with_transaction()
    def test_expired_override_is_refused(self):
        "An override past its validity does not cover new business"
        pool = Pool()
        today = pool.get('ir.date').today()
        company = create_cny_company()
        with set_company(company):
            self.setup_roles(company)
            party = create_customer("钱多多", 1)
            blacklist(party)
            override = self.approved_override(
                company, party, Decimal('50000.00'),
                valid_until=today + dt.timedelta(days=10))
            self.assertEqual(party.check_new_business(
                    Decimal('1000.00'), today, override), override)
            with self.assertRaises(BlacklistError):
                party.check_new_business(
                    Decimal('1000.00'), today + dt.timedelta(days=11),
                    override)

    @with_transaction()
    def test_requester_cannot_approve_his_own_override(self):
        "The requester cannot approve; nor can a loan officer"
        Override = Pool().get('microloan.blacklist.override')
        company = create_cny_company()
        with set_company(company):
            officer_employee = self.setup_roles(company)
            party = create_customer("钱多多", 1, officer=officer_employee)
            blacklist(party)
            with Transaction().set_user(self.risk.id):
                override, = Override.create([{
                            'company': company.id,
                            'party': party.id,
                            'reason': "担保人代偿能力充足",
                            'amount': Decimal('30000.00'),
                            }])
                Override.request([override])
                with self.assertRaises(BlacklistOverrideError) as context:
                    Override.approve([override])
                self.assertIn('risk', str(context.exception))
            # the button's groups (declared in XML) refuse a loan officer
            set_user, check_access = as_user(self.officer)
            with set_user, check_access:
                with self.assertRaises(AccessButtonError):
                    Override.approve([override])
            self.assertEqual(Override(override.id).state, 'requested')
            with Transaction().set_user(self.approver.id):
                Override.approve([override])
            override = Override(override.id)
            self.assertEqual(
                (override.state, override.approved_by, override.approved_user),
                ('approved', self.approver.employee, self.approver))

    @with_transaction()
    def test_override_transitions_out_of_order_are_refused(self):
        "A draft cannot be approved, an approved override not rejected"
        Override = Pool().get('microloan.blacklist.override')
        company = create_cny_company()
        with set_company(company):
            self.setup_roles(company)
            party = create_customer("钱多多", 1)
            blacklist(party)
            override, = Override.create([{
                        'company': company.id,
                        'party': party.id,
                        'reason': "抵押物足值",
                        'amount': Decimal('30000.00'),
                        }])
            with self.assertRaises(WorkflowTransitionError):
                Override.approve([override])
            override = self.approved_override(
                company, party, Decimal('10000.00'))
            with self.assertRaises(WorkflowTransitionError):
                Override.reject([override])
            with self.assertRaises(BlacklistOverrideError):
                Override.write([override], {'amount': Decimal('90000.00')})

    @with_transaction()
    def test_override_only_for_a_blacklisted_party(self):
        "An override for a party not on the blacklist is refused"
        Override = Pool().get('microloan.blacklist.override')
        company = create_cny_company()
        with set_company(company):
            party = create_customer("吴用", 3)
            with self.assertRaises(DomainValidationError):
                Override.create([{
                            'company': company.id,
                            'party': party.id,
                            'reason': "无",
                            'amount': Decimal('30000.00'),
                            }])

    @with_transaction()
    def test_loans_of_parties_not_blacklisted_need_no_override(self):
        "New business of a party off the blacklist uses no override"
        pool = Pool()
        today = pool.get('ir.date').today()
        company = create_cny_company()
        with set_company(company):
            party = create_customer("吴用", 3)
            self.assertIsNone(
                party.check_new_business(Decimal('80000.00'), today))
            loan = create_loan(company, party, Decimal('80000.00'))
            self.assertIsNone(loan.blacklist_override)
