# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import re
from decimal import Decimal

from trytond.modules.company.tests import CompanyTestMixin, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

from .. import engine
from ..exceptions import LoanTermsError
from .tools import create_cny_company, create_loan


class MicroloanCoreTestCase(CompanyTestMixin, ModuleTestCase):
    "Test microloan_core module"
    module = 'microloan_core'

    @with_transaction()
    def test_list_views_show_datetimes_with_a_widget(self):
        "The web client has no list column for a bare date-time field"
        pool = Pool()
        View = pool.get('ir.ui.view')
        for view in View.search([
                    ('module', '=', self.module),
                    ('type', 'in', ['tree', None]),
                    ]):
            Model = pool.get(view.model)
            tree = view.arch
            if view.inherit and view.inherit.type != 'tree':
                continue
            for name in re.findall(
                    r'<field\s+name="([^"]+)"(?![^>]*widget=)', tree):
                field = Model._fields.get(name)
                with self.subTest(view=view.name, field=name):
                    self.assertNotIn(
                        getattr(field, '_type', None),
                        {'datetime', 'timestamp'})

    @with_transaction()
    def test_role_access_records_name_their_group(self):
        """Each model of the module has at most one access record for every
        user (no group): a per-role record without its group would give
        its rights to everyone"""
        pool = Pool()
        Access = pool.get('ir.model.access')
        ModelData = pool.get('ir.model.data')
        ids = [d.db_id for d in ModelData.search([
                    ('module', '=', self.module),
                    ('model', '=', 'ir.model.access'),
                    ])]
        seen = set()
        for access in Access.browse(ids):
            if access.group:
                continue
            with self.subTest(model=access.model):
                self.assertFalse(access.model in seen)
            seen.add(access.model)

    @with_transaction()
    def test_equal_installment_schedule_matches_worked_example(self):
        "Compute Schedule stores the schedule rules' worked example to the fen"
        Loan = Pool().get('microloan.loan')
        company = create_cny_company()
        with set_company(company):
            loan = create_loan(company)
            Loan.compute_schedule([loan])

            first, second = loan.installments[:2]
            last = loan.installments[-1]
            self.assertEqual(len(loan.installments), 12)
            self.assertEqual(loan.number[:2], 'JJ')
            self.assertEqual(
                (first.principal, first.interest, first.due_date),
                (Decimal('7884.88'), Decimal('1000.00'), dt.date(2026, 2, 28)))
            self.assertEqual(
                (second.principal, second.interest, second.due_date),
                (Decimal('7963.73'), Decimal('921.15'), dt.date(2026, 3, 31)))
            self.assertEqual(
                (last.principal, last.interest, last.total, last.due_date),
                (Decimal('8796.88'), Decimal('87.97'), Decimal('8884.85'),
                    dt.date(2027, 1, 31)))
            self.assertEqual(last.balance, Decimal('0.00'))
            self.assertEqual(loan.total_interest, Decimal('6618.53'))
            self.assertEqual(
                sum(i.principal for i in loan.installments),
                loan.principal)
            self.assertEqual(loan.maturity_date, dt.date(2027, 1, 31))
            self.assertTrue(loan.apr_compound > loan.apr_simple > 0)

    @with_transaction()
    def test_schedules_of_many_loans_come_from_one_engine_call(self):
        "Compute Schedule on several loans of different methods at once"
        Loan = Pool().get('microloan.loan')
        company = create_cny_company()
        with set_company(company):
            loans = [
                create_loan(company, method=method)
                for method in ['equal_principal', 'bullet', 'interest_monthly']]
            Loan.compute_schedule(loans)
            equal_principal, bullet, monthly = loans
            self.assertEqual(equal_principal.total_interest, Decimal('6500.00'))
            self.assertEqual(
                equal_principal.installments[-1].total, Decimal('8416.70'))
            self.assertEqual(len(bullet.installments), 1)
            self.assertEqual(bullet.total_interest, Decimal('12000.00'))
            self.assertEqual(len(monthly.installments), 12)
            self.assertEqual(
                monthly.installments[-1].principal, Decimal('100000.00'))

    @with_transaction()
    def test_changing_terms_clears_the_stale_schedule(self):
        "A schedule never outlives the terms it was computed from"
        Loan = Pool().get('microloan.loan')
        company = create_cny_company()
        with set_company(company):
            loan = create_loan(company)
            Loan.compute_schedule([loan])
            self.assertTrue(loan.installments)

            Loan.write([loan], {'annual_rate': Decimal('0.10')})
            loan = Loan(loan.id)
            self.assertEqual(loan.installments, ())
            self.assertIsNone(loan.apr_simple)

    @with_transaction()
    def test_negative_principal_is_refused(self):
        "A negative principal is refused"
        company = create_cny_company()
        with set_company(company):
            with self.assertRaises(LoanTermsError) as context:
                create_loan(company, principal=Decimal('-1.00'))
            self.assertIn('Principal', str(context.exception))

    @with_transaction()
    def test_principal_beyond_the_engine_domain_names_the_field(self):
        "The engine's refusal reaches the user as a message naming the field"
        Loan = Pool().get('microloan.loan')
        company = create_cny_company()
        with set_company(company):
            loan = create_loan(company, principal=Decimal('1000000000.01'))
            with self.assertRaises(LoanTermsError) as context:
                Loan.compute_schedule([loan])
            message = str(context.exception)
            self.assertIn(loan.number, message)
            self.assertIn('"Principal"', message)
            self.assertIn('out of the allowed range', message)

    @with_transaction()
    def test_every_engine_reason_has_a_message(self):
        "Each reason code of the engine's TermsError is translatable"
        ModelData = Pool().get('ir.model.data')
        messages = {d.fs_id for d in ModelData.search([
                    ('module', '=', 'microloan_core'),
                    ('model', '=', 'ir.message'),
                    ])}
        for reason in engine.TermsError.REASONS:
            with self.subTest(reason=reason):
                self.assertIn('msg_terms_%s' % reason, messages)

    @with_transaction()
    def test_rate_out_of_range_is_refused(self):
        "A negative rate or one of 100 % and more is refused"
        company = create_cny_company()
        with set_company(company):
            for rate, text in [
                    (Decimal('-0.01'), '-1 %'), (Decimal('1.00'), '100 %')]:
                with self.assertRaises(LoanTermsError) as context:
                    create_loan(company, annual_rate=rate)
                self.assertIn(text, str(context.exception))

    @with_transaction()
    def test_free_plan_must_add_up_to_the_principal(self):
        "A free plan short of the principal is refused, naming both sums"
        company = create_cny_company()
        with set_company(company):
            with self.assertRaises(LoanTermsError) as context:
                create_loan(company, method='free', term_months=None,
                    plan_lines=[('create', [
                                {'date': dt.date(2026, 6, 30),
                                    'amount': Decimal('40000.00')},
                                {'date': dt.date(2026, 12, 31),
                                    'amount': Decimal('50000.00')},
                                ])])
            self.assertRegex(str(context.exception), r'90,?000\.00')
            self.assertRegex(str(context.exception), r'100,?000\.00')

    @with_transaction()
    def test_free_plan_date_before_value_date_is_refused(self):
        "A plan date on or before the value date is refused"
        company = create_cny_company()
        with set_company(company):
            with self.assertRaises(LoanTermsError):
                create_loan(company, method='free', term_months=None,
                    plan_lines=[('create', [
                                {'date': dt.date(2026, 1, 31),
                                    'amount': Decimal('100000.00')},
                                ])])

    @with_transaction()
    def test_free_plan_schedule_counts_interest_by_days(self):
        "A free plan gives one installment per plan line, interest by days"
        Loan = Pool().get('microloan.loan')
        company = create_cny_company()
        with set_company(company):
            loan = create_loan(company, method='free', term_months=None,
                start_date=dt.date(2026, 1, 1),
                annual_rate=Decimal('0.36'),
                plan_lines=[('create', [
                            {'date': dt.date(2026, 1, 11),
                                'amount': Decimal('60000.00')},
                            {'date': dt.date(2026, 1, 21),
                                'amount': Decimal('40000.00')},
                            ])])
            Loan.compute_schedule([loan])
            first, second = loan.installments
            # 100,000 x 0.36 x 10 / 360 and 40,000 x 0.36 x 10 / 360
            self.assertEqual(first.interest, Decimal('1000.00'))
            self.assertEqual(second.interest, Decimal('400.00'))
            self.assertEqual(loan.maturity_date, dt.date(2026, 1, 21))


del ModuleTestCase
