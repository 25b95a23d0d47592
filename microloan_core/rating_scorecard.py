# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Rating score cards (评级打分卡).

A score card applies to some customer kinds and lists weighted items.  A
quantitative item reads a value of the customer file (its ``source``) and
scores it by brackets: lower bound included, upper bound excluded.  A
qualitative item is scored by the officer between 0 and its maximum score.
Grade bands give the grade of a total score: the highest band whose minimum
the total reaches.  The suite ships an enterprise and an individual score
card (rating_scorecard.xml) that the administrator may change.
"""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, fields, sequence_ordered)
from trytond.pyson import Eval, If

from .exceptions import RatingError
from .financial_statement import RATIOS
from .party import CUSTOMER_KINDS

GRADES = [
    ('AAA', "AAA"),
    ('AA', "AA"),
    ('A', "A"),
    ('BBB', "BBB"),
    ('BB', "BB"),
    ('B', "B"),
    ('CCC', "CCC"),
    ('CC', "CC"),
    ('C', "C"),
    ]
ITEM_KINDS = [
    ('quantitative', "Quantitative"),
    ('qualitative', "Qualitative"),
    ]
SCORE_DIGITS = (16, 2)
VALUE_DIGITS = (16, 4)
WEIGHT_DIGITS = (16, 2)


class Scorecard(DeactivableMixin, ModelSQL, ModelView):
    "Rating Scorecard"
    __name__ = 'microloan.rating.scorecard'
    __string__ = "Rating Scorecard"

    name = fields.Char("Name", required=True, translate=True)
    customer_kinds = fields.MultiSelection(
        [k for k in CUSTOMER_KINDS if k[0]], "Customer Kinds", sort=False,
        help="The kinds of customer the score card rates.")
    items = fields.One2Many(
        'microloan.rating.scorecard.item', 'scorecard', "Items")
    grades = fields.One2Many(
        'microloan.rating.grade', 'scorecard', "Grade Bands")
    total_weight = fields.Function(
        fields.Numeric("Total Weight", digits=WEIGHT_DIGITS),
        'get_total_weight')

    def get_total_weight(self, name):
        return sum((i.weight or 0 for i in self.items), Decimal(0))

    def grade_of(self, score):
        "Return the grade of the highest band whose minimum score reaches"
        for band in sorted(
                self.grades, key=lambda g: g.min_score, reverse=True):
            if score >= band.min_score:
                return band.grade


class ScorecardItem(sequence_ordered(), ModelSQL, ModelView):
    "Rating Scorecard Item"
    __name__ = 'microloan.rating.scorecard.item'
    __string__ = "Rating Scorecard Item"

    scorecard = fields.Many2One(
        'microloan.rating.scorecard', "Scorecard", required=True,
        ondelete='CASCADE')
    name = fields.Char("Name", required=True, translate=True)
    kind = fields.Selection(ITEM_KINDS, "Kind", required=True, sort=False)
    weight = fields.Numeric(
        "Weight", digits=WEIGHT_DIGITS, required=True,
        domain=[('weight', '>', 0)],
        help="The share of the item in the total score, relative to the "
        "weights of the other items.")
    source = fields.Selection(
        'get_sources', "Source", sort=False,
        states={
            'invisible': Eval('kind') != 'quantitative',
            'required': Eval('kind') == 'quantitative',
            },
        help="The value of the customer file the item scores. Ratios are "
        "fractions (0.6 = 60 %) of the latest confirmed financial statement "
        "on or before the rating date; years and age are whole years at the "
        "rating date.")
    source_string = source.translated('source')
    brackets = fields.One2Many(
        'microloan.rating.scorecard.bracket', 'item', "Brackets",
        states={
            'invisible': Eval('kind') != 'quantitative',
            })
    max_score = fields.Numeric(
        "Maximum Score", digits=SCORE_DIGITS,
        domain=[If(Eval('kind') == 'qualitative',
                ('max_score', '>', 0),
                ())],
        states={
            'invisible': Eval('kind') != 'qualitative',
            'required': Eval('kind') == 'qualitative',
            },
        help="The officer scores the item from 0 to this maximum.")
    maximum = fields.Function(
        fields.Numeric("Maximum", digits=SCORE_DIGITS,
            help="The best score of the item: the maximum score of a "
            "qualitative item, the highest bracket score of a quantitative "
            "one."),
        'get_maximum')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('scorecard')

    @classmethod
    def default_kind(cls):
        return 'quantitative'

    @classmethod
    def get_sources(cls):
        "The values of the customer file a quantitative item may score"
        return [(None, "")] + [
            (name, label) for name, (label, _) in RATIOS.items()] + [
            ('registered_capital', "Registered Capital"),
            ('paid_in_capital', "Paid-in Capital"),
            ('years_in_business', "Years in Business"),
            ('employees_count', "Number of Employees"),
            ('age', "Age"),
            ('monthly_income', "Monthly Income"),
            ('monthly_family_income', "Monthly Family Income"),
            ('monthly_family_surplus', "Monthly Family Surplus"),
            ('family_size', "Family Size"),
            ('dependants', "Dependants"),
            ('years_employed', "Years with Employer"),
            ('years_at_address', "Years at Address"),
            ]

    def get_maximum(self, name):
        if self.kind == 'qualitative':
            return self.max_score
        return max((b.score for b in self.brackets), default=Decimal(0))

    def score(self, value):
        """Return (score, note) of a value for a quantitative item; the note
        says why the score is 0 when the value cannot be scored"""
        if value is None:
            return Decimal(0), gettext(
                'microloan_core.msg_rating_line_missing_data',
                source=self.source_string)
        for bracket in self.brackets:
            if bracket.contains(value):
                return bracket.score, None
        return Decimal(0), gettext(
            'microloan_core.msg_rating_line_no_bracket',
            source=self.source_string, value=value)


class ScorecardBracket(ModelSQL, ModelView):
    "Rating Scorecard Bracket"
    __name__ = 'microloan.rating.scorecard.bracket'
    __string__ = "Rating Scorecard Bracket"

    item = fields.Many2One(
        'microloan.rating.scorecard.item', "Item", required=True,
        ondelete='CASCADE')
    lower = fields.Numeric(
        "Lower Bound", digits=VALUE_DIGITS,
        help="Lowest value of the bracket, included; empty for no lower "
        "bound.")
    upper = fields.Numeric(
        "Upper Bound", digits=VALUE_DIGITS,
        help="Value above the bracket, excluded; empty for no upper bound.")
    score = fields.Numeric(
        "Score", digits=SCORE_DIGITS, required=True,
        domain=[('score', '>=', 0)])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('item')
        cls._order.insert(0, ('lower', 'ASC NULLS FIRST'))

    def contains(self, value):
        return ((self.lower is None or value >= self.lower)
            and (self.upper is None or value < self.upper))

    def get_rec_name(self, name):
        return '[%s, %s)' % (
            self.lower if self.lower is not None else '',
            self.upper if self.upper is not None else '')

    @classmethod
    def validate_fields(cls, brackets, field_names):
        super().validate_fields(brackets, field_names)
        for bracket in brackets:
            if (bracket.lower is not None and bracket.upper is not None
                    and bracket.lower >= bracket.upper):
                raise RatingError(gettext(
                        'microloan_core.msg_rating_bracket_bounds',
                        item=bracket.item.rec_name,
                        lower=bracket.lower,
                        upper=bracket.upper))


class Grade(ModelSQL, ModelView):
    "Rating Grade Band"
    __name__ = 'microloan.rating.grade'
    __string__ = "Rating Grade Band"

    scorecard = fields.Many2One(
        'microloan.rating.scorecard', "Scorecard", required=True,
        ondelete='CASCADE')
    grade = fields.Selection(GRADES, "Grade", required=True, sort=False)
    min_score = fields.Numeric(
        "Minimum Score", digits=SCORE_DIGITS, required=True,
        domain=[('min_score', '>=', 0), ('min_score', '<=', 100)],
        help="The lowest total score of the grade.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('scorecard')
        cls._order.insert(0, ('min_score', 'DESC'))

    def get_rec_name(self, name):
        return self.grade
