# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Credit rating (资信评级) by score card."""
import datetime as dt
import unittest
from decimal import Decimal

from trytond.model.exceptions import (
    AccessButtonError, DomainValidationError)
from trytond.modules.company.tests import set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction

from ..exceptions import RatingError
from .test_financial_statement import (
    STATEMENT_2024, STATEMENT_2025, create_statement)
from .tools import (
    USCC, as_user, create_cny_company, create_enterprise, create_individual,
    create_staff)

D = Decimal
RATING_DATE = dt.date(2026, 3, 31)
# The officer's scores of the qualitative items of the worked example
WORKED_SCORES = {
    "Management Quality": D('8'),
    "Industry Outlook": D('6.5'),
    "Credit History": D('9'),
    }


def default_scorecard(kind):
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    Scorecard = pool.get('microloan.rating.scorecard')
    return Scorecard(ModelData.get_id(
            'microloan_core', 'rating_scorecard_%s' % kind))


def create_rating(party, scorecard, date=RATING_DATE):
    Rating = Pool().get('microloan.rating')
    rating, = Rating.create([{
                'party': party.id,
                'scorecard': scorecard.id,
                'date': date,
                }])
    return rating


def score_qualitative(rating, scores):
    "Give the qualitative lines their score by item name"
    Line = Pool().get('microloan.rating.line')
    for line in rating.lines:
        if line.item.name in scores:
            Line.write([line], {
                    'score': scores[line.item.name],
                    'comment': "实地走访核实",
                    })


def worked_enterprise(**values):
    "The worked example: the machine maker with its 2024 and 2025 accounts"
    party = create_enterprise(
        "华兴机械有限公司", USCC[0],
        registered_capital=D('5000000.00'),
        founding_date=dt.date(2015, 6, 1),
        employees_count=85,
        **values)
    create_statement(party, dt.date(2024, 12, 31), STATEMENT_2024)
    create_statement(party, dt.date(2025, 12, 31), STATEMENT_2025)
    return party


class RatingTestCase(unittest.TestCase):
    "Credit rating"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_core')

    @with_transaction()
    def test_worked_enterprise_rating_score_and_grade(self):
        "The default enterprise card rates the worked example 80.25, AA"
        Rating = Pool().get('microloan.rating')
        company = create_cny_company()
        with set_company(company):
            party = worked_enterprise()
            scorecard = default_scorecard('enterprise')
            self.assertEqual(scorecard.total_weight, D('100'))
            rating = create_rating(party, scorecard)
            Rating.compute([rating])
            score_qualitative(rating, WORKED_SCORES)
            rating = Rating(rating.id)

            lines = {l.item.name: l for l in rating.lines}
            self.assertEqual(
                {n: (l.value, l.score, l.weighted_score)
                    for n, l in lines.items()}, {
                    # 0.6 in [0.6, 0.8): 4 / 10 x 15
                    "Debt to Assets": (D('0.6000'), D('4'), D('6.0000')),
                    "Current Ratio": (D('1.6667'), D('8'), D('8.0000')),
                    "Interest Coverage": (D('5.4000'), D('10'), D('10.0000')),
                    "Return on Equity": (D('0.2063'), D('10'), D('10.0000')),
                    "Net Margin": (D('0.0550'), D('7'), D('7.0000')),
                    "Receivable Turnover": (
                        D('8.5714'), D('10'), D('5.0000')),
                    # founded 2015-06-01: 10 whole years on 2026-03-31
                    "Years in Business": (D('10'), D('10'), D('10.0000')),
                    "Registered Capital": (
                        D('5000000.00'), D('8'), D('4.0000')),
                    "Management Quality": (None, D('8'), D('8.0000')),
                    "Industry Outlook": (None, D('6.5'), D('3.2500')),
                    "Credit History": (None, D('9'), D('9.0000')),
                    })
            self.assertTrue(all(l.note is None for l in rating.lines))
            self.assertEqual(rating.total_score, D('80.25'))
            self.assertEqual(rating.grade, 'AA')
            self.assertEqual(rating.state, 'computed')

    @with_transaction()
    def test_total_score_rounds_half_up(self):
        "A total of 18.125 is rounded half-up to 18.13"
        pool = Pool()
        Scorecard = pool.get('microloan.rating.scorecard')
        Rating = pool.get('microloan.rating')
        company = create_cny_company()
        with set_company(company):
            party = worked_enterprise()
            scorecard, = Scorecard.create([{
                        'name': "Test card",
                        'customer_kinds': ['enterprise'],
                        'items': [('create', [{
                                        'name': "Site visit",
                                        'kind': 'qualitative',
                                        'weight': D('3'),
                                        'max_score': D('8'),
                                        }, {
                                        'name': "Staff",
                                        'kind': 'quantitative',
                                        'weight': D('1'),
                                        'source': 'employees_count',
                                        'brackets': [('create', [{
                                                        'upper': D('100'),
                                                        'score': D('1'),
                                                        }, {
                                                        'lower': D('100'),
                                                        'score': D('2'),
                                                        }])],
                                        }])],
                        'grades': [('create', [
                                    {'grade': 'B', 'min_score': D('40')},
                                    {'grade': 'C', 'min_score': D('0')},
                                    ])],
                        }])
            rating = create_rating(party, scorecard)
            Rating.compute([rating])
            score_qualitative(rating, {"Site visit": D('0.6')})
            rating = Rating(rating.id)
            # 85 employees: 1 of 2; (0.6 / 8 x 3 + 1 / 2 x 1) / 4 x 100
            # = 18.125, half-up 18.13 where half-even would give 18.12
            self.assertEqual(rating.total_score, D('18.13'))
            self.assertEqual(rating.grade, 'C')

    @with_transaction()
    def test_individual_card_scores_the_age_at_the_rating_date(self):
        """Born 1980-01-01: 46 on 2026-03-31; a family surplus of 8,000 a
        month; 7 years with the employer"""
        Rating = Pool().get('microloan.rating')
        company = create_cny_company()
        with set_company(company):
            party = create_individual(
                "孙建国", '11010519800101001',
                monthly_family_income=D('20000.00'),
                monthly_family_expenses=D('12000.00'),
                employed_since=dt.date(2018, 5, 1))
            with self.assertRaises(DomainValidationError):
                create_rating(party, default_scorecard('enterprise'))
            rating = create_rating(party, default_scorecard('individual'))
            Rating.compute([rating])
            score_qualitative(rating, {
                    "Credit History": D('9'),
                    "Income Stability": D('7'),
                    "Family Assets": D('6'),
                    "Character and Reputation": D('8'),
                    })
            lines = {l.item.name: l for l in rating.lines}
            self.assertEqual(
                {n: (lines[n].value, lines[n].score) for n in [
                        "Age", "Monthly Family Surplus",
                        "Years with Employer"]}, {
                    "Age": (D('46'), D('10')),
                    "Monthly Family Surplus": (D('8000.00'), D('8')),
                    "Years with Employer": (D('7'), D('10')),
                    })
            # 10/10 x 15 + 8/10 x 15 + 10/10 x 10
            # + 9/10 x 20 + 7/10 x 15 + 6/10 x 15 + 8/10 x 10 = 82.5
            rating = Rating(rating.id)
            self.assertEqual(rating.total_score, D('82.50'))
            self.assertEqual(rating.grade, 'AA')

    @with_transaction()
    def test_missing_data_scores_zero_with_a_note(self):
        "Without statements the ratios score 0 and each line says why"
        Rating = Pool().get('microloan.rating')
        company = create_cny_company()
        with set_company(company):
            party = create_enterprise(
                "远大贸易有限公司", USCC[1],
                registered_capital=D('20000000.00'))
            rating = create_rating(party, default_scorecard('enterprise'))
            Rating.compute([rating])
            lines = {l.item.name: l for l in rating.lines}
            debt = lines["Debt to Assets"]
            self.assertEqual((debt.value, debt.score), (None, D('0')))
            self.assertIn("Debt to Assets", debt.note)
            self.assertIn("Years in Business", lines["Years in Business"].note)
            capital = lines["Registered Capital"]
            self.assertEqual((capital.score, capital.note), (D('10'), None))
            # only the registered capital scores: 10 / 10 x 5 of 100
            self.assertEqual(Rating(rating.id).total_score, D('5.00'))
            self.assertEqual(Rating(rating.id).grade, 'C')

    @with_transaction()
    def test_unscored_qualitative_line_blocks_confirm(self):
        "A rating with a qualitative item left unscored is not confirmed"
        Rating = Pool().get('microloan.rating')
        company = create_cny_company()
        with set_company(company):
            party = worked_enterprise()
            rating = create_rating(party, default_scorecard('enterprise'))
            Rating.compute([rating])
            score_qualitative(rating, {
                    "Management Quality": D('8'), "Credit History": D('9')})
            with self.assertRaises(RatingError) as context:
                Rating.confirm([rating])
            self.assertIn("Industry Outlook", str(context.exception))
            rating = Rating(rating.id)
            self.assertEqual(rating.state, 'computed')
            self.assertEqual(
                (rating.confirmed_by, rating.confirmed_user), (None, None))

    @with_transaction()
    def test_qualitative_score_above_its_maximum_is_refused(self):
        "An officer cannot give 11 on an item scored out of 10"
        Rating = Pool().get('microloan.rating')
        company = create_cny_company()
        with set_company(company):
            party = worked_enterprise()
            rating = create_rating(party, default_scorecard('enterprise'))
            Rating.compute([rating])
            with self.assertRaises(RatingError) as context:
                score_qualitative(rating, {"Credit History": D('11')})
            self.assertIn('11', str(context.exception))

    @with_transaction()
    def test_rater_cannot_confirm_his_own_rating(self):
        """The officer who computed a rating cannot confirm it even with the
        risk role; a risk officer confirms it and the party shows it"""
        pool = Pool()
        Rating = pool.get('microloan.rating')
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        company = create_cny_company()
        with set_company(company):
            officer_user, officer = create_staff(
                company, 'officer', "李客户经理", 'group_loan_officer')
            risk_group = ModelData.get_id(
                'microloan_core', 'group_risk_officer')
            User.write([officer_user], {'groups': [('add', [risk_group])]})
            risk_user, _ = create_staff(
                company, 'risk', "周风控", 'group_risk_officer')
            party = worked_enterprise(loan_officer=officer.id)

            with as_user(officer_user, preferences=True):
                rating = create_rating(party, default_scorecard('enterprise'))
                Rating.compute([rating])
                score_qualitative(rating, WORKED_SCORES)
                self.assertEqual(
                    (rating.rated_by, rating.rated_user),
                    (officer, officer_user))
                with self.assertRaises(RatingError) as context:
                    Rating.confirm([rating])
                self.assertIn(officer_user.rec_name, str(context.exception))
                self.assertEqual(Rating(rating.id).state, 'computed')

            with as_user(risk_user, preferences=True):
                with self.assertRaises(AccessButtonError):
                    Rating.compute([Rating(rating.id)])
                Rating.confirm([Rating(rating.id)])
                rating = Rating(rating.id)
                self.assertEqual(rating.state, 'confirmed')
                self.assertEqual(
                    (rating.confirmed_by, rating.confirmed_user),
                    (risk_user.employee, risk_user))
                self.assertTrue(risk_user.employee)
                self.assertIsNotNone(rating.confirmed_at)

            party = pool.get('party.party')(party.id)
            self.assertEqual(
                (party.rating_grade, party.rating_score, party.rating_date),
                ('AA', D('80.25'), RATING_DATE))
            with self.assertRaises(RatingError):
                Rating.write([rating], {'comment': "改分"})

    @with_transaction()
    def test_loan_officer_cannot_confirm(self):
        "Confirming is for the risk officer and the approver, not the officer"
        Rating = Pool().get('microloan.rating')
        company = create_cny_company()
        with set_company(company):
            officer_user, officer = create_staff(
                company, 'officer', "李客户经理", 'group_loan_officer')
            party = worked_enterprise(loan_officer=officer.id)
            rating = create_rating(party, default_scorecard('enterprise'))
            Rating.compute([rating])
            with as_user(officer_user, preferences=True):
                with self.assertRaises(AccessButtonError):
                    Rating.confirm([Rating(rating.id)])

    @with_transaction()
    def test_latest_confirmed_rating_is_the_party_grade(self):
        "The party shows its newest confirmed rating, not a newer draft"
        pool = Pool()
        Rating = pool.get('microloan.rating')
        Party = pool.get('party.party')
        company = create_cny_company()
        with set_company(company):
            risk_user, _ = create_staff(
                company, 'risk', "周风控", 'group_risk_officer')
            party = worked_enterprise()
            scorecard = default_scorecard('enterprise')
            self.assertIsNone(party.rating_grade)
            old = create_rating(party, scorecard, dt.date(2025, 3, 31))
            new = create_rating(party, scorecard)
            draft = create_rating(party, scorecard, dt.date(2026, 4, 30))
            for rating in [old, new]:
                Rating.compute([rating])
                score_qualitative(rating, WORKED_SCORES)
                with as_user(risk_user, preferences=True):
                    Rating.confirm([Rating(rating.id)])
            old = Rating(old.id)
            party = Party(party.id)
            self.assertEqual(
                (party.rating_grade, party.rating_score, party.rating_date),
                ('AA', D('80.25'), RATING_DATE))
            # the 2025-03-31 rating only knew the 2024 statement
            self.assertNotEqual(old.total_score, D('80.25'))
            self.assertEqual(
                [r.id for r in party.ratings], [draft.id, new.id, old.id])
