# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Credit rating (资信评级) of a customer by a score card.

A score card (rating_scorecard.py) lists weighted items.  A quantitative
item reads a value from the customer file (a ratio of the latest confirmed
financial statement, the registered capital, the years in business, the
age...) and scores it by the bracket the value falls in; a qualitative
item is scored by the loan officer between 0 and its maximum, with a
comment.  The total score is

    sum(score / maximum score of the item x weight) / sum(weight) x 100

rounded half-up to 0.01, and the grade is that of the highest band whose
minimum the total reaches.  A rating is computed by the loan officer and
confirmed by someone else (risk officer or approver).
"""
from decimal import ROUND_HALF_UP, Decimal

from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .exceptions import RatingError
from .party import CUSTOMER_KINDS
from .rating_scorecard import (
    GRADES, ITEM_KINDS, SCORE_DIGITS, VALUE_DIGITS, WEIGHT_DIGITS)
from .workflow import reset_actor, set_actor

STATES = [
    ('draft', "Draft"),
    ('computed', "Computed"),
    ('confirmed', "Confirmed"),
    ('cancelled', "Cancelled"),
    ]
CENT = Decimal('0.01')
HUNDRED = Decimal(100)
# The sources of quantitative items (rating_scorecard.py) besides the ratios
AMOUNT_SOURCES = [
    'registered_capital', 'paid_in_capital', 'monthly_income',
    'monthly_family_income', 'monthly_family_surplus']
COUNT_SOURCES = ['employees_count', 'family_size', 'dependants']
# whole years from the date field of the party to the rating date
YEARS_SOURCES = {
    'years_in_business': 'founding_date',
    'age': 'birth_date',
    'years_employed': 'employed_since',
    'years_at_address': 'residence_since',
    }


def whole_years(start, end):
    "Completed years from start to end, None without a start"
    if not start or not end:
        return None
    return Decimal(end.year - start.year - (
            (end.month, end.day) < (start.month, start.day)))


def total_score(lines):
    """Return the total score (0..100, 2 digits) of (score, maximum, weight)
    tuples; a missing score or a zero maximum counts as 0"""
    lines = list(lines)
    total_weight = sum((w for _, _, w in lines), Decimal(0))
    if not total_weight:
        return Decimal('0.00')
    weighted = sum(
        (s / m * w for s, m, w in lines if s is not None and m),
        Decimal(0))
    return (weighted / total_weight * HUNDRED).quantize(
        CENT, rounding=ROUND_HALF_UP)


class Rating(Workflow, ModelSQL, ModelView):
    "Rating"
    __name__ = 'microloan.rating'
    __string__ = "Credit Rating"

    _states = {
        'readonly': ~Eval('state').in_(['draft', 'computed']),
        }

    party = fields.Many2One(
        'party.party', "Customer", required=True, ondelete='CASCADE',
        domain=[('customer_kind', '!=', None)],
        states={
            'readonly': Eval('state') != 'draft',
            })
    customer_kind = fields.Function(
        fields.Selection(CUSTOMER_KINDS, "Customer Kind"),
        'on_change_with_customer_kind')
    scorecard = fields.Many2One(
        'microloan.rating.scorecard', "Scorecard", required=True,
        domain=[If(Bool(Eval('customer_kind')),
                ('customer_kinds', 'in', Eval('customer_kind')),
                ())],
        states={
            'readonly': Eval('state') != 'draft',
            })
    date = fields.Date(
        "Date", required=True, states=_states,
        help="The date of the customer file the rating reads.")
    lines = fields.One2Many(
        'microloan.rating.line', 'rating', "Score Lines", states=_states)
    total_score = fields.Numeric(
        "Total Score", digits=SCORE_DIGITS, readonly=True)
    grade = fields.Selection(
        [(None, "")] + GRADES, "Grade", readonly=True, sort=False)
    comment = fields.Text("Comment", states=_states)
    rated_by = fields.Many2One(
        'company.employee', "Rated By", readonly=True,
        help="The employee who computed the rating.")
    rated_user = fields.Many2One(
        'res.user', "Rated by User", readonly=True,
        help="The user who computed the rating.")
    confirmed_by = fields.Many2One(
        'company.employee', "Confirmed By", readonly=True)
    confirmed_user = fields.Many2One(
        'res.user', "Confirmed by User", readonly=True)
    confirmed_at = fields.DateTime("Confirmed At", readonly=True)
    state = fields.Selection(STATES, "State", readonly=True, required=True)
    state_string = state.translated('state')

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('party')
        cls._order = [
            ('date', 'DESC'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('draft', 'computed'),
            ('computed', 'computed'),
            ('computed', 'confirmed'),
            ('draft', 'cancelled'),
            ('computed', 'cancelled'),
            ('computed', 'draft'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update({
                'compute': {
                    'invisible': ~Eval('state').in_(['draft', 'computed']),
                    'icon': 'tryton-refresh',
                    'depends': ['state'],
                    },
                'confirm': {
                    'invisible': Eval('state') != 'computed',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(['draft', 'computed']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': ~Eval('state').in_(['computed', 'cancelled']),
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @fields.depends('party', '_parent_party.customer_kind')
    def on_change_with_customer_kind(self, name=None):
        return self.party.customer_kind if self.party else None

    @fields.depends('scorecard', 'lines')
    def on_change_scorecard(self):
        "Prepare one line per item so the officer can score the qualitative"
        Line = Pool().get('microloan.rating.line')
        if not self.scorecard:
            self.lines = []
            return
        self.lines = [Line(item=i, kind=i.kind) for i in self.scorecard.items]

    def get_rec_name(self, name):
        return '%s %s' % (self.party.rec_name, self.date)

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('party.rec_name',) + tuple(clause[1:])]

    def source_values(self):
        "Return {source: Decimal or None} read from the customer file"
        party = self.party
        values = dict(party.financial_ratios(self.date))
        for name in AMOUNT_SOURCES:
            values[name] = getattr(party, name)
        for name in COUNT_SOURCES:
            count = getattr(party, name)
            values[name] = Decimal(count) if count is not None else None
        for name, field in YEARS_SOURCES.items():
            values[name] = whole_years(getattr(party, field), self.date)
        return values

    @classmethod
    def update_totals(cls, ratings):
        "Store the total score and grade of the ratings from their lines"
        for rating in ratings:
            score = total_score(
                (l.score, l.item.maximum, l.item.weight)
                for l in rating.lines)
            rating.total_score = score
            rating.grade = rating.scorecard.grade_of(score)
        cls.save(ratings)

    @classmethod
    @ModelView.button
    @Workflow.transition('computed')
    @reset_actor('rated', when='before')
    @set_actor('rated', company=None)
    def compute(cls, ratings):
        pool = Pool()
        Line = pool.get('microloan.rating.line')
        to_save, to_delete = [], []
        for rating in ratings:
            values = rating.source_values()
            lines = {}
            for line in rating.lines:
                if line.item in lines:
                    to_delete.append(line)
                else:
                    lines[line.item] = line
            for item in rating.scorecard.items:
                line = lines.pop(item, None) or Line(rating=rating, item=item)
                if item.kind == 'quantitative':
                    line.value = values.get(item.source)
                    line.score, line.note = item.score(line.value)
                else:
                    line.value = None
                    line.note = None
                to_save.append(line)
            to_delete.extend(lines.values())
        Line.delete(to_delete)
        Line.save(to_save)
        cls.update_totals(cls.browse(ratings))

    @classmethod
    def check_confirmable(cls, ratings):
        "Refuse an unscored qualitative line and a rater confirming himself"
        user = Transaction().user
        for rating in ratings:
            for line in rating.lines:
                if line.kind == 'qualitative' and line.score is None:
                    raise RatingError(gettext(
                            'microloan_core.msg_rating_qualitative_unscored',
                            rating=rating.rec_name,
                            item=line.item.rec_name))
            if rating.rated_user and rating.rated_user.id == user:
                raise RatingError(gettext(
                        'microloan_core.msg_rating_self_confirm',
                        rating=rating.rec_name,
                        user=rating.rated_user.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('confirmed')
    @set_actor('confirmed', company=None)
    def confirm(cls, ratings):
        cls.check_confirmable(ratings)
        cls.update_totals(ratings)

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, ratings):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    @reset_actor('rated')
    def draft(cls, ratings):
        cls.write(ratings, {
                'total_score': None,
                'grade': None,
                })

    @classmethod
    def check_modification(cls, mode, ratings, values=None, external=False):
        super().check_modification(
            mode, ratings, values=values, external=external)
        if mode == 'delete':
            allowed = {'draft', 'cancelled'}
        elif mode == 'write' and not set(values) <= {'state'}:
            allowed = {'draft', 'computed'}
            if set(values) <= {
                    'rated_by', 'rated_user', 'total_score', 'grade'}:
                # reset to draft of a cancelled rating
                allowed.add('cancelled')
        else:
            return
        for rating in ratings:
            if rating.state not in allowed:
                raise RatingError(gettext(
                        'microloan_core.msg_rating_modify',
                        rating=rating.rec_name,
                        state=rating.state_string))

    @classmethod
    def copy(cls, ratings, default=None):
        default = default.copy() if default is not None else {}
        for name in ['rated_by', 'confirmed_by', 'confirmed_at',
                'total_score', 'grade', 'rated_user', 'confirmed_user']:
            default.setdefault(name, None)
        default.setdefault('state', 'draft')
        default.setdefault('date', cls.default_date())
        return super().copy(ratings, default=default)


class RatingLine(ModelSQL, ModelView):
    "Rating Line"
    __name__ = 'microloan.rating.line'
    __string__ = "Rating Line"

    rating = fields.Many2One(
        'microloan.rating', "Rating", required=True, ondelete='CASCADE')
    item = fields.Many2One(
        'microloan.rating.scorecard.item', "Item", required=True,
        ondelete='RESTRICT',
        domain=[('scorecard', '=', Eval('_parent_rating.scorecard', -1))],
        states={
            'readonly': Eval('id', -1) >= 0,
            },
        depends={'rating'})
    kind = fields.Function(
        fields.Selection(ITEM_KINDS, "Kind"), 'on_change_with_kind')
    value = fields.Numeric(
        "Value", digits=VALUE_DIGITS, readonly=True,
        help="The value read from the customer file.")
    score = fields.Numeric(
        "Score", digits=SCORE_DIGITS,
        states={
            'readonly': Eval('kind') != 'qualitative',
            })
    maximum = fields.Function(
        fields.Numeric("Maximum", digits=SCORE_DIGITS), 'get_item_value')
    weight = fields.Function(
        fields.Numeric("Weight", digits=WEIGHT_DIGITS), 'get_item_value')
    weighted_score = fields.Function(
        fields.Numeric("Weighted Score", digits=VALUE_DIGITS,
            help="Score / maximum x weight."),
        'on_change_with_weighted_score')
    comment = fields.Text("Comment")
    note = fields.Char(
        "Note", readonly=True,
        help="Why the item scored 0 when the customer file could not be "
        "scored.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('rating')
        cls._order.insert(0, ('item', 'ASC'))

    @fields.depends('item', '_parent_item.kind')
    def on_change_with_kind(self, name=None):
        return self.item.kind if self.item else None

    def get_item_value(self, name):
        return getattr(self.item, name) if self.item else None

    @fields.depends('score', 'item', '_parent_item.maximum',
        '_parent_item.weight')
    def on_change_with_weighted_score(self, name=None):
        if self.score is None or not self.item:
            return None
        maximum = self.item.maximum
        if not maximum:
            return Decimal(0)
        return (self.score / maximum * self.item.weight).quantize(
            Decimal('0.0001'), rounding=ROUND_HALF_UP)

    def get_rec_name(self, name):
        return '%s %s' % (self.rating.rec_name, self.item.rec_name)

    @classmethod
    def validate_fields(cls, lines, field_names):
        super().validate_fields(lines, field_names)
        for line in lines:
            maximum = line.item.maximum
            if line.kind == 'qualitative' and line.score is not None and (
                    line.score < 0 or line.score > maximum):
                raise RatingError(gettext(
                        'microloan_core.msg_rating_line_score_range',
                        rating=line.rating.rec_name,
                        item=line.item.rec_name,
                        score=line.score,
                        maximum=maximum))

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        for line in lines:
            if line.rating.state not in {'draft', 'computed'}:
                raise RatingError(gettext(
                        'microloan_core.msg_rating_modify',
                        rating=line.rating.rec_name,
                        state=line.rating.state_string))

    @classmethod
    def on_modification(cls, mode, lines, field_names=None):
        super().on_modification(mode, lines, field_names=field_names)
        Rating = Pool().get('microloan.rating')
        if mode != 'delete' and (
                field_names is None or 'score' in field_names):
            # keep the total of a computed rating in step with its scores
            ratings = {l.rating for l in lines if l.rating.state == 'computed'}
            if ratings:
                Rating.update_totals(Rating.browse(ratings))


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    ratings = fields.One2Many(
        'microloan.rating', 'party', "Ratings",
        order=[('date', 'DESC'), ('id', 'DESC')])
    rating_grade = fields.Function(
        fields.Selection([(None, "")] + GRADES, "Credit Grade",
            help="The grade of the latest confirmed rating."),
        'get_rating')
    rating_score = fields.Function(
        fields.Numeric("Credit Score", digits=SCORE_DIGITS,
            help="The total score of the latest confirmed rating."),
        'get_rating')
    rating_date = fields.Function(
        fields.Date("Rating Date",
            help="The date of the latest confirmed rating."),
        'get_rating')

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('//page[@id="microloan_rating"]', 'states', {
                    'invisible': ~Eval('customer_kind'),
                    }),
            ]

    @classmethod
    def get_rating(cls, parties, names):
        "The grade, score and date of each party's latest confirmed rating"
        Rating = Pool().get('microloan.rating')
        fields_ = {
            'rating_grade': 'grade',
            'rating_score': 'total_score',
            'rating_date': 'date',
            }
        result = {n: dict.fromkeys((p.id for p in parties)) for n in names}
        latest = {}
        for sub_parties in grouped_slice(
                parties, backend.MAX_QUERY_PARAMS):
            for rating in Rating.search([
                        ('party', 'in', [p.id for p in sub_parties]),
                        ('state', '=', 'confirmed'),
                        ], order=[('date', 'ASC'), ('id', 'ASC')]):
                latest[rating.party.id] = rating
        for party_id, rating in latest.items():
            for name in names:
                result[name][party_id] = getattr(rating, fields_[name])
        return result

    @classmethod
    def copy(cls, parties, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('ratings', None)
        return super().copy(parties, default=default)


class PartyReplace(metaclass=PoolMeta):
    __name__ = 'party.replace'

    @classmethod
    def fields_to_replace(cls):
        return super().fields_to_replace() + [
            ('microloan.rating', 'party'),
            ]
