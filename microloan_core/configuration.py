# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Settings of the suite (小贷参数设置).

docs/domain.md, Settings: where a rule varies by province or company it is
a setting with the regulator's value as default.  Other modules add their
settings here by extending this model and its form."""
from trytond.i18n import gettext
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields

from .engine.servicing import DEFAULT_BANDS
from .exceptions import ConfigurationError

RELATED_PARTY_DEPTH = 3
# The fields of the highest days past due of each class but loss
CLASSIFICATION_BANDS = [
    'normal_days', 'special_mention_days', 'substandard_days',
    'doubtful_days']


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

    normal_days = fields.Integer(
        "Normal up to (Days Past Due)", required=True,
        domain=[('normal_days', '>=', 0)],
        help="Five-level class (五级分类) by days past due: a loan is "
        "normal (正常) up to this many days.")
    special_mention_days = fields.Integer(
        "Special Mention up to (Days Past Due)", required=True,
        help="关注 up to this many days past due.")
    substandard_days = fields.Integer(
        "Substandard up to (Days Past Due)", required=True,
        help="次级 up to this many days past due.")
    doubtful_days = fields.Integer(
        "Doubtful up to (Days Past Due)", required=True,
        help="可疑 up to this many days past due; beyond, loss (损失).")

    @staticmethod
    def default_related_party_depth():
        return RELATED_PARTY_DEPTH

    @classmethod
    def default_normal_days(cls):
        return DEFAULT_BANDS[0]

    @classmethod
    def default_special_mention_days(cls):
        return DEFAULT_BANDS[1]

    @classmethod
    def default_substandard_days(cls):
        return DEFAULT_BANDS[2]

    @classmethod
    def default_doubtful_days(cls):
        return DEFAULT_BANDS[3]

    @property
    def classification_bands(self):
        "The highest days past due of each class but loss, in order"
        return tuple(getattr(self, n) for n in CLASSIFICATION_BANDS)

    @classmethod
    def validate(cls, configurations):
        super().validate(configurations)
        for configuration in configurations:
            configuration.check_classification_bands()

    def check_classification_bands(self):
        "Each band starts after the one before"
        bands = self.classification_bands
        if any(b <= a for a, b in zip(bands, bands[1:])):
            raise ConfigurationError(gettext(
                    'microloan_core.msg_configuration_classification_bands'))
