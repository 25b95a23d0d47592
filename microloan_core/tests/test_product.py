# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Loan products: their terms, fees, allocation order; base rates (LPR)"
import datetime as dt
import unittest
from decimal import Decimal as D

from trytond.model.exceptions import DomainValidationError
from trytond.modules.company.tests import set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction

from ..exceptions import BaseRateError, ProductError, ProductTermsError
from . import test_module
from .tools import create_product


class ProductTestCase(unittest.TestCase):
    "Test loan products and base rates"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_core')

    @with_transaction()
    def test_default_allocation_follows_the_regulator_order(self):
        "Fees, penalty, compound interest, interest, then principal"
        company = test_module.create_cny_company()
        with set_company(company):
            product = create_product(company)
            self.assertEqual(product.allocation_order, [
                    'fees', 'penalty', 'compound', 'interest', 'principal'])
            self.assertEqual(product.penalty_markup, D('0.5'))
            self.assertEqual(product.penalty_rate(D('0.12')), D('0.180000'))

    @with_transaction()
    def test_allocation_must_list_each_component_once(self):
        "An order missing principal or listing interest twice is refused"
        company = test_module.create_cny_company()
        with set_company(company):
            with self.assertRaises(ProductError):
                create_product(company, allocation=[('create', [
                                {'sequence': 1, 'component': 'interest'},
                                {'sequence': 2, 'component': 'interest'},
                                {'sequence': 3, 'component': 'fees'},
                                {'sequence': 4, 'component': 'penalty'},
                                {'sequence': 5, 'component': 'compound'},
                                ])])

    @with_transaction()
    def test_principal_first_order_is_kept(self):
        "A product may set its own order, read back by sequence"
        company = test_module.create_cny_company()
        with set_company(company):
            order = ['principal', 'interest', 'compound', 'penalty', 'fees']
            product = create_product(company, allocation=[('create', [
                            {'sequence': i, 'component': c}
                            for i, c in enumerate(order, 1)])])
            self.assertEqual(product.allocation_order, order)

    @with_transaction()
    def test_fees_are_rounded_half_up_to_the_fen(self):
        "1 % of 123,456.50 is 1,234.565, charged 1,234.57"
        company = test_module.create_cny_company()
        with set_company(company):
            product = create_product(company, fees=[('create', [{
                                'kind': 'service', 'computation': 'percentage',
                                'rate': D('0.01'), 'charged': 'disbursement',
                                }, {
                                'kind': 'review', 'computation': 'fixed',
                                'amount': D('500.00'), 'charged': 'signing',
                                }])])
            amounts = {f.kind: a for f, a in product.fee_amounts(
                    D('123456.50'))}
            self.assertEqual(amounts, {
                    'service': D('1234.57'), 'review': D('500.00')})
            self.assertEqual(
                [(f.kind, a) for f, a in product.fee_amounts(
                        D('123456.50'), charged='signing')],
                [('review', D('500.00'))])

    @with_transaction()
    def test_terms_outside_the_product_are_refused(self):
        "Amount, rate, term, method and basis are checked, naming the range"
        company = test_module.create_cny_company()
        with set_company(company):
            product = create_product(company)
            product.check_terms(
                D('100000.00'), D('0.12'), 12, 'equal_installment', 'month')
            for terms, text in [
                    ((D('200000.01'), D('0.12'), 12, 'equal_installment',
                            'month'), '200000.00'),
                    ((D('100000.00'), D('0.1801'), 12, 'equal_installment',
                            'month'), '18 %'),
                    ((D('100000.00'), D('0.12'), 48, 'equal_installment',
                            'month'), '3 - 36'),
                    ((D('100000.00'), D('0.12'), 12, 'bullet', 'month'),
                        'Equal Principal'),
                    ((D('100000.00'), D('0.12'), 12, 'equal_installment',
                            'day'), 'Monthly'),
                    ]:
                with self.subTest(terms=terms):
                    with self.assertRaises(ProductTermsError) as context:
                        product.check_terms(*terms)
                    self.assertIn(text, str(context.exception))
                    self.assertIn('XF01', str(context.exception))

    @with_transaction()
    def test_inconsistent_products_are_refused(self):
        "Ranges upside down and a default method not allowed are refused"
        company = test_module.create_cny_company()
        with set_company(company):
            # a range upside down names both of its ends
            for code, values, text in [
                    ('XF01', {'min_rate': D('0.20')}, '"Minimum Rate" (20 %'),
                    ('XF02', {'min_term': 48}, '"Maximum Term (Months)"'),
                    ('XF05', {'min_amount': D('300000.00')},
                        '"Maximum Amount" (CNY200000.00)'),
                    ]:
                with self.assertRaises(ProductError) as context:
                    create_product(company, code=code, **values)
                self.assertIn(text, str(context.exception))
            with self.assertRaises(DomainValidationError):
                create_product(company, code='XF03', max_rate=D('1.00'))
            with self.assertRaises(ProductError):
                create_product(company, code='XF04', default_method='bullet')

    @with_transaction()
    def test_lpr_in_force_on_a_date(self):
        "The shipped table gives the one-year LPR in force on each date"
        pool = Pool()
        BaseRate = pool.get('microloan.base_rate')
        Configuration = pool.get('microloan.configuration')
        self.assertEqual(
            BaseRate.rate_on('lpr_1y', dt.date(2025, 5, 19)), D('0.031'))
        self.assertEqual(
            BaseRate.rate_on('lpr_1y', dt.date(2025, 5, 20)), D('0.030'))
        self.assertEqual(
            BaseRate.rate_on('lpr_5y', dt.date(2026, 1, 1)), D('0.035'))
        self.assertIsNone(BaseRate.rate_on('lpr_1y', dt.date(2020, 1, 1)))
        configuration = Configuration(1)
        self.assertEqual(configuration.rate_cap, D('0.24'))
        self.assertEqual(
            configuration.lpr_ceiling(dt.date(2026, 1, 1)), D('0.12'))

    @with_transaction()
    def test_second_rate_of_a_kind_on_one_date_is_refused(self):
        BaseRate = Pool().get('microloan.base_rate')
        with self.assertRaises(BaseRateError):
            BaseRate.create([{'kind': 'lpr_1y', 'date': dt.date(2025, 5, 20),
                        'rate': D('0.0290')}])
