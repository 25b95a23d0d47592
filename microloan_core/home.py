# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A home page per role: the board a user sees when he logs in.

The host runs a user's login actions (``res.user.actions``) when he logs
in.  A user who has none gets the home page of his role: the board of the
first of his groups, by sequence, that has one (``microloan.home``, set per
group in home.xml and under 配置 › 首页设置), after the host's configuration
wizard when it shows.  A user's own login actions win.

The boards are host ``board`` views made of ``<action>`` children (the
inbox, lists, graphs); a module adds its part (servicing: today's dues and
the overdue loans) by inheriting a board view with an xpath (see
docs/inbox.md)."""
from trytond.model import ModelSQL, ModelView, fields, sequence_ordered
from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access


class Home(sequence_ordered(), ModelSQL, ModelView):
    "Home Page"
    __name__ = 'microloan.home'
    __string__ = "Home Page"

    group = fields.Many2One(
        'res.group', "Group", required=True, ondelete='CASCADE')
    action = fields.Many2One(
        'ir.action.act_window', "Board", required=True, ondelete='CASCADE',
        domain=[('res_model', '=', None)],
        help="The board the members of the group see when they log in.")

    @classmethod
    def home_of(cls, user):
        "Return the ir.action of the home page of user or None"
        with without_check_access():
            homes = cls.search([
                    ('group', 'in', [g.id for g in user.groups]),
                    ], limit=1)
        return homes[0].action.action if homes else None


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    @classmethod
    def _get_preferences(cls, user, context_only=False):
        preferences = super()._get_preferences(
            user, context_only=context_only)
        # the host may have put its configuration wizard first
        if 'actions' in preferences and not user.actions:
            home = Pool().get('microloan.home').home_of(user)
            if home:
                preferences['actions'] = preferences['actions'] + [home.id]
        return preferences
