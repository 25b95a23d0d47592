# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Settings of the suite (小贷参数设置).

docs/domain.md, Settings: where a rule varies by province or company it is
a setting with the regulator's value as default.  Other modules add their
settings here by extending this model and its form."""
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields

RELATED_PARTY_DEPTH = 3


class Configuration(ModelSingleton, ModelSQL, ModelView):
    "Microloan Configuration"
    __name__ = 'microloan.configuration'
    __string__ = "Microloan Configuration"

    related_party_depth = fields.Integer(
        "Related Party Depth", required=True,
        domain=[('related_party_depth', '>=', 1),
            ('related_party_depth', '<=', 10)],
        help="How many links the related-parties query follows "
        "(关联关系查询深度).")

    @staticmethod
    def default_related_party_depth():
        return RELATED_PARTY_DEPTH
