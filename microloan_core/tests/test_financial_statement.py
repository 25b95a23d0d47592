# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Enterprise profile and financial statements of the customer file."""
import datetime as dt
import unittest
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction

from ..exceptions import EnterpriseProfileError, FinancialStatementError
from .tools import (
    USCC, as_user, create_cny_company, create_enterprise, create_staff, ric)

D = Decimal
# The worked example: 2025 statement of a machine maker (CNY)
STATEMENT_2025 = {
    'cash': D('1200000.00'),
    'receivables': D('1500000.00'),
    'inventory': D('2000000.00'),
    'other_current_assets': D('300000.00'),
    'total_current_assets': D('5000000.00'),
    'fixed_assets': D('3000000.00'),
    'total_assets': D('8000000.00'),
    'short_term_borrowings': D('1500000.00'),
    'payables': D('1000000.00'),
    'total_current_liabilities': D('3000000.00'),
    'long_term_borrowings': D('1800000.00'),
    'total_liabilities': D('4800000.00'),
    'equity': D('3200000.00'),
    'revenue': D('12000000.00'),
    'cost_of_sales': D('9000000.00'),
    'operating_profit': D('900000.00'),
    'financial_expenses': D('250000.00'),
    'interest_expense': D('200000.00'),
    'total_profit': D('880000.00'),
    'net_profit': D('660000.00'),
    'operating_cash_flow': D('700000.00'),
    }
# The year before: only what the averages and the balance check need
STATEMENT_2024 = {
    'receivables': D('1300000.00'),
    'inventory': D('1800000.00'),
    'total_assets': D('7000000.00'),
    'total_liabilities': D('4460000.00'),
    'equity': D('2540000.00'),
    'revenue': D('10000000.00'),
    }
RIC = [ric('11010519800101001'), ric('31010419751203002')]


def create_statement(party, period_end, amounts, kind='annual', confirm=True):
    Statement = Pool().get('microloan.party.financial_statement')
    statement, = Statement.create([{
                'party': party.id,
                'period_kind': kind,
                'period_end': period_end,
                'lines': [('create', [
                            {'item': i, 'amount': a}
                            for i, a in amounts.items()])],
                }])
    if confirm:
        Statement.confirm([statement])
    return statement


class EnterpriseProfileTestCase(unittest.TestCase):
    "Enterprise profile: shareholders and executives"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_core')

    @with_transaction()
    def test_shareholders_up_to_100_percent_are_kept(self):
        "Shareholders identified by a valid RIC or USCC add up their shares"
        company = create_cny_company()
        with set_company(company):
            holding = create_enterprise("华兴控股有限公司", USCC[1])
            party = create_enterprise(
                "华兴机械有限公司", USCC[0],
                registered_capital=D('5000000.00'),
                paid_in_capital=D('3000000.00'),
                founding_date=dt.date(2015, 6, 1),
                employees_count=85,
                enterprise_scale='small',
                shareholders=[('create', [{
                                'name': "张伟", 'kind': 'natural',
                                'id_number': RIC[0].lower(),
                                'share': D('60.0000'),
                                'contribution': D('3000000.00'),
                                }, {
                                'shareholder': holding.id, 'kind': 'legal',
                                'id_number': USCC[1],
                                'share': D('40.0000'),
                                'contribution': D('2000000.00'),
                                }])],
                executives=[('create', [{
                                'name': "张伟", 'position': 'chairman',
                                'id_number': RIC[0],
                                'since': dt.date(2015, 6, 1),
                                }])])
            self.assertEqual(party.shares_total, D('100.0000'))
            natural = [s for s in party.shareholders if s.kind == 'natural'][0]
            self.assertEqual(natural.id_number, RIC[0])
            self.assertEqual(natural.rec_name, "张伟")
            self.assertEqual(party.executives[0].position, 'chairman')

    @with_transaction()
    def test_shares_over_100_percent_are_refused(self):
        "A shareholder that takes the shares beyond 100 % is refused"
        Shareholder = Pool().get('microloan.party.shareholder')
        company = create_cny_company()
        with set_company(company):
            party = create_enterprise(
                "华兴机械有限公司", USCC[0], shareholders=[('create', [{
                                'name': "张伟", 'share': D('70.0000')}])])
            with self.assertRaises(EnterpriseProfileError) as context:
                Shareholder.create([{
                            'party': party.id, 'name': "李娜",
                            'share': D('30.0001')}])
            self.assertIn('100.0001', str(context.exception))
            self.assertIn(party.rec_name, str(context.exception))

    @with_transaction()
    def test_invalid_shareholder_id_is_refused(self):
        "A resident ID with a wrong check digit or a RIC for a legal person"
        Shareholder = Pool().get('microloan.party.shareholder')
        company = create_cny_company()
        with set_company(company):
            party = create_enterprise("华兴机械有限公司", USCC[0])
            for kind, code in [
                    ('natural', RIC[0][:-1] + '1'),
                    ('legal', RIC[1]),
                    ('legal', USCC[0][:-1] + 'M'),
                    ]:
                with self.subTest(kind=kind, code=code):
                    with self.assertRaises(EnterpriseProfileError) as context:
                        Shareholder.create([{
                                    'party': party.id, 'name': "王强",
                                    'kind': kind, 'id_number': code,
                                    'share': D('10')}])
                    self.assertIn(code, str(context.exception))

    @with_transaction()
    def test_share_out_of_range_and_missing_name_are_refused(self):
        "A share of 0 % and a shareholder with neither party nor name"
        Shareholder = Pool().get('microloan.party.shareholder')
        company = create_cny_company()
        with set_company(company):
            party = create_enterprise("华兴机械有限公司", USCC[0])
            with self.assertRaises(UserError):
                Shareholder.create([{
                            'party': party.id, 'name': "王强",
                            'share': D('0')}])
            with self.assertRaises(UserError):
                Shareholder.create([{'party': party.id, 'share': D('10')}])

    @with_transaction()
    def test_founding_date_in_the_future_is_refused(self):
        "An enterprise cannot be founded after today"
        Date = Pool().get('ir.date')
        company = create_cny_company()
        with set_company(company):
            tomorrow = Date.today() + dt.timedelta(days=1)
            with self.assertRaises(EnterpriseProfileError) as context:
                create_enterprise(
                    "华兴机械有限公司", USCC[0], founding_date=tomorrow)
            self.assertIn(str(tomorrow), str(context.exception))

    @with_transaction()
    def test_invalid_executive_id_is_refused(self):
        "An executive's resident ID is checked"
        Executive = Pool().get('microloan.party.executive')
        company = create_cny_company()
        with set_company(company):
            party = create_enterprise("华兴机械有限公司", USCC[0])
            with self.assertRaises(EnterpriseProfileError):
                Executive.create([{
                            'party': party.id, 'name': "赵敏",
                            'position': 'finance_director',
                            'id_number': RIC[1][:-1] + '5'}])


class FinancialStatementTestCase(unittest.TestCase):
    "Financial statements and their ratios"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_core')

    @with_transaction()
    def test_ratios_of_the_worked_statement(self):
        "Every ratio of the worked 2025 statement to 4 digits"
        company = create_cny_company()
        with set_company(company):
            party = create_enterprise("华兴机械有限公司", USCC[0])
            create_statement(party, dt.date(2024, 12, 31), STATEMENT_2024)
            statement = create_statement(
                party, dt.date(2025, 12, 31), STATEMENT_2025)
            self.assertEqual(statement.state, 'confirmed')
            self.assertEqual(statement.ratios, {
                    'current_ratio': D('1.6667'),  # 5.0 m / 3.0 m
                    'quick_ratio': D('1.0000'),  # (5.0 - 2.0) / 3.0
                    'debt_to_assets': D('0.6000'),  # 4.8 / 8.0
                    'roe': D('0.2063'),  # 0.66 / 3.2 = 0.20625
                    'roa': D('0.0825'),  # 0.66 / 8.0
                    'net_margin': D('0.0550'),  # 0.66 / 12.0
                    'gross_margin': D('0.2500'),  # (12.0 - 9.0) / 12.0
                    # 12.0 / ((1.5 + 1.3) / 2)
                    'receivable_turnover': D('8.5714'),
                    # 9.0 / ((2.0 + 1.8) / 2)
                    'inventory_turnover': D('4.7368'),
                    # (0.88 + 0.2) / 0.2
                    'interest_coverage': D('5.4000'),
                    })
            self.assertEqual(
                [l.code for l in statement.lines if l.item == 'equity'],
                ['E01'])

    @with_transaction()
    def test_ratios_without_previous_or_denominator(self):
        "Averages fall back to the statement alone; no denominator, no ratio"
        company = create_cny_company()
        with set_company(company):
            party = create_enterprise("华兴机械有限公司", USCC[0])
            amounts = dict(STATEMENT_2025,
                total_current_liabilities=D('0'), equity=D('3200000.00'))
            del amounts['interest_expense'], amounts['financial_expenses']
            statement = create_statement(
                party, dt.date(2025, 12, 31), amounts)
            self.assertEqual(statement.receivable_turnover, D('8.0000'))
            self.assertEqual(statement.inventory_turnover, D('4.5000'))
            self.assertIsNone(statement.current_ratio)
            self.assertIsNone(statement.quick_ratio)
            self.assertIsNone(statement.interest_coverage)

    @with_transaction()
    def test_financial_ratios_of_the_latest_confirmed_statement(self):
        "The party's ratios come from its latest confirmed statement by date"
        company = create_cny_company()
        with set_company(company):
            party = create_enterprise("华兴机械有限公司", USCC[0])
            self.assertEqual(
                set(party.financial_ratios(dt.date(2026, 1, 1)).values()),
                {None})
            create_statement(party, dt.date(2024, 12, 31), STATEMENT_2024)
            create_statement(party, dt.date(2025, 12, 31), STATEMENT_2025)
            create_statement(party, dt.date(2026, 3, 31), dict(
                    STATEMENT_2025, total_liabilities=D('6400000.00'),
                    equity=D('1600000.00')),
                kind='quarterly', confirm=False)

            ratios = party.financial_ratios(dt.date(2026, 4, 30))
            self.assertEqual(ratios['debt_to_assets'], D('0.6000'))
            self.assertEqual(ratios['receivable_turnover'], D('8.5714'))
            ratios = party.financial_ratios(dt.date(2025, 6, 30))
            # 4.46 m / 7.0 m, the 2024 statement
            self.assertEqual(ratios['debt_to_assets'], D('0.6371'))

    @with_transaction()
    def test_unbalanced_statement_is_not_confirmed(self):
        "Confirm refuses assets that differ from liabilities + equity by 0.01"
        Statement = Pool().get('microloan.party.financial_statement')
        company = create_cny_company()
        with set_company(company):
            party = create_enterprise("华兴机械有限公司", USCC[0])
            statement = create_statement(
                party, dt.date(2025, 12, 31),
                dict(STATEMENT_2025, equity=D('3199999.99')), confirm=False)
            with self.assertRaises(FinancialStatementError) as context:
                Statement.confirm([statement])
            message = str(context.exception)
            self.assertRegex(message, r'8,?000,?000\.00')
            self.assertRegex(message, r'7,?999,?999\.99')
            self.assertEqual(Statement(statement.id).state, 'draft')
            self.assertEqual(
                (Statement(statement.id).confirmed_by,
                    Statement(statement.id).confirmed_user),
                (None, None))

    @with_transaction()
    def test_duplicate_item_is_refused(self):
        "A second line of the same item on one statement is refused"
        pool = Pool()
        Line = pool.get('microloan.party.financial_statement.line')
        company = create_cny_company()
        with set_company(company):
            party = create_enterprise("华兴机械有限公司", USCC[0])
            statement = create_statement(
                party, dt.date(2025, 12, 31), STATEMENT_2024, confirm=False)
            with self.assertRaises(FinancialStatementError) as context:
                Line.create([{
                            'statement': statement.id, 'item': 'inventory',
                            'amount': D('1.00')}])
            self.assertIn(statement.rec_name, str(context.exception))
            self.assertIn("Inventory", str(context.exception))

    @with_transaction()
    def test_confirmed_statement_cannot_be_changed(self):
        "Lines of a confirmed statement are frozen until reset to draft"
        pool = Pool()
        Statement = pool.get('microloan.party.financial_statement')
        Line = pool.get('microloan.party.financial_statement.line')
        company = create_cny_company()
        with set_company(company):
            party = create_enterprise("华兴机械有限公司", USCC[0])
            statement = create_statement(
                party, dt.date(2024, 12, 31), STATEMENT_2024)
            line = statement.lines[0]
            with self.assertRaises(FinancialStatementError):
                Line.write([line], {'amount': D('1.00')})
            with self.assertRaises(FinancialStatementError):
                Statement.delete([statement])
            self.assertTrue(statement.confirmed_user)
            Statement.draft([statement])
            # back in draft, nobody has confirmed it
            self.assertEqual(
                (Statement(statement.id).confirmed_by,
                    Statement(statement.id).confirmed_user),
                (None, None))
            Line.write([line], {'amount': D('1.00')})
            self.assertEqual(Line(line.id).amount, D('1.00'))

    @with_transaction()
    def test_loan_officer_keeps_statements_of_his_customers_only(self):
        "A loan officer creates statements for his customers, not others'"
        Statement = Pool().get('microloan.party.financial_statement')
        company = create_cny_company()
        with set_company(company):
            user, officer = create_staff(
                company, 'officer', "李客户经理", 'group_loan_officer')
            _, colleague = create_staff(
                company, 'colleague', "王客户经理", 'group_loan_officer')
            mine = create_enterprise(
                "华兴机械有限公司", USCC[0], loan_officer=officer.id)
            other = create_enterprise(
                "远大贸易有限公司", USCC[2], loan_officer=colleague.id)
            create_statement(other, dt.date(2024, 12, 31), STATEMENT_2024)

            with as_user(user, preferences=True):
                statement = create_statement(
                    mine, dt.date(2024, 12, 31), STATEMENT_2024)
                self.assertEqual(
                    (statement.confirmed_by, statement.confirmed_user),
                    (officer, user))
                self.assertEqual(
                    Statement.search([]), [statement])
                with self.assertRaises(AccessError):
                    create_statement(
                        other, dt.date(2025, 12, 31), STATEMENT_2024,
                        confirm=False)
