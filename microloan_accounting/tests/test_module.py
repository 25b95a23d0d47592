# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class MicroloanAccountingTestCase(CompanyTestMixin, ModuleTestCase):
    "Test microloan_accounting module"
    module = 'microloan_accounting'


del ModuleTestCase
