# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Chinese addresses (地址) of the host's party addresses.

A Chinese address is written from the largest place to the smallest:
province (省、自治区、直辖市), city (市), district or county (区、县), the
detailed address (详细地址: street, number, building, room) and the postcode
(邮政编码).  They are the host's fields of ``party.address``: ``subdivision``
(the provinces of China ship as data, address.xml), ``city``,
``street`` and ``postal_code``, plus the district the host has no field
for.  The host's Chinese address format prints them in that order; the
district is printed with the city.
"""
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval


def china():
    "Return the id of China, as the suite ships it, or None"
    ModelData = Pool().get('ir.model.data')
    try:
        return ModelData.get_id('microloan_core', 'country_cn')
    except KeyError:
        return None


class Address(metaclass=PoolMeta):
    __name__ = 'party.address'

    district = fields.Char(
        "District",
        help="The district or county (区、县) of the city.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.subdivision.states = {
            **(cls.subdivision.states or {}),
            'readonly': ~Eval('country'),
            }

    @classmethod
    def default_country(cls):
        return china()

    def _get_address_substitutions(self):
        substitutions = super()._get_address_substitutions()
        district = getattr(self, 'district', None) or ''
        substitutions['district'] = district
        substitutions['DISTRICT'] = district.upper()
        if district:
            # the host's formats know a city only: the district follows it
            # (深圳市福田区)
            city = getattr(self, 'city', None) or ''
            if self._is_chinese():
                city += district
            else:
                city = ' '.join(filter(None, [district, city]))
            substitutions['city'] = city
            substitutions['CITY'] = city.upper()
        if self._is_chinese():
            # a domestic address: the host writes the country's English name
            # (CHINA) for the international post, which a Chinese print or
            # screen does not show
            substitutions['country'] = substitutions['COUNTRY'] = ''
        return substitutions

    def _is_chinese(self):
        country = getattr(self, 'country', None)
        return bool(country and country.code == 'CN')

    def get_rec_name(self, name):
        if not self._is_chinese():
            return super().get_rec_name(name)
        place = ''.join(filter(None, [
                    self.subdivision.name if self.subdivision else None,
                    self.city, self.district, self.street_single_line]))
        return ', '.join(filter(None, [
                    self.party_full_name, place, self.postal_code]))
