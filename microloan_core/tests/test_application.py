# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Loan applications: schedule preview, cost disclosure, the cost cap and
its override, concentration limits, blacklist and credit line checks"""
import datetime as dt
import unittest
from decimal import Decimal as D

from trytond.model.exceptions import AccessButtonError, DomainValidationError
from trytond.modules.company.tests import set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from ..exceptions import (
    ApplicationError, BlacklistError, ConcentrationError, CreditLineError,
    ProductTermsError, WorkflowTransitionError)
from . import test_module
from .test_approval import create_flow, group_step
from .tools import (
    PNG, as_user, attach, blacklist, create_application, create_contract,
    create_individual, create_line, create_product, create_staff, post,
    refused, relate)


def irr_monthly(flows):
    """Monthly IRR of flows at months 0, 1, 2...: bisection in Decimal, an
    implementation independent of the engine's"""
    low, high = D('-0.5'), D('1')
    for _ in range(200):
        middle = (low + high) / 2
        value = sum(f / (1 + middle) ** t for t, f in enumerate(flows))
        if value > 0:
            low = middle
        else:
            high = middle
    return (low + high) / 2


class ApplicationTestCase(unittest.TestCase):
    "Test loan applications"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_core')

    def setup_company(self, net_assets=D('10000000.00')):
        company = test_module.create_cny_company()
        company.microloan_net_assets = net_assets
        company.save()
        return company

    def create_flow(self, company):
        "A one-step flow of applications: an approver decides"
        create_staff(company, 'approver', "张伟", 'group_approver')
        return create_flow(company, [group_step("审批", 'group_approver')],
            name="贷款审批", model='microloan.application')

    create_application = staticmethod(create_application)

    @with_transaction()
    def test_preview_matches_the_worked_example_and_discloses_the_cost(self):
        "Preview to the fen; the cost counts the 1 % fee paid at signing"
        Application = Pool().get('microloan.application')
        company = self.setup_company()
        with set_company(company):
            product = create_product(company, fees=[('create', [{
                                'kind': 'review', 'computation': 'percentage',
                                'rate': D('0.01'), 'charged': 'signing'}])])
            borrower = create_individual("孙建国", '11010519800312001')
            application = self.create_application(company, borrower, product)
            Application.compute_preview([application])

            lines = application.schedule_lines
            self.assertEqual(application.number[:2], 'SQ')
            self.assertEqual(len(lines), 12)
            self.assertEqual(
                (lines[0].principal, lines[0].interest, lines[0].due_date),
                (D('7884.88'), D('1000.00'), dt.date(2026, 2, 28)))
            self.assertEqual(
                (lines[1].principal, lines[1].interest),
                (D('7963.73'), D('921.15')))
            self.assertEqual(
                (lines[-1].principal, lines[-1].interest, lines[-1].total),
                (D('8796.88'), D('87.97'), D('8884.85')))
            self.assertEqual(application.total_interest, D('6618.53'))
            self.assertEqual(application.fees_upfront, D('1000.00'))
            self.assertEqual(application.total_cost, D('7618.53'))
            self.assertEqual(sum(l.principal for l in lines), D('100000.00'))

            flows = [D('-99000.00')] + [l.total for l in lines]
            monthly = irr_monthly(flows)
            self.assertEqual(application.apr_simple,
                (12 * monthly).quantize(D('0.0001')))
            self.assertEqual(application.apr_compound,
                ((1 + monthly) ** 12 - 1).quantize(D('0.0001')))
            self.assertFalse(application.above_cap)

    @with_transaction()
    def test_installment_fees_are_in_the_cost(self):
        "A fee with each installment raises every total and the cost"
        Application = Pool().get('microloan.application')
        company = self.setup_company()
        with set_company(company):
            product = create_product(company, fees=[('create', [{
                                'kind': 'service', 'computation': 'fixed',
                                'amount': D('50.00'),
                                'charged': 'installment'}])])
            borrower = create_individual("孙建国", '11010519800312001')
            application = self.create_application(company, borrower, product)
            Application.compute_preview([application])
            self.assertEqual(application.schedule_lines[0].total,
                D('8934.88'))
            self.assertEqual(application.total_cost, D('7218.53'))
            flows = [D('-100000.00')] + [
                l.total for l in application.schedule_lines]
            self.assertEqual(application.apr_simple,
                (12 * irr_monthly(flows)).quantize(D('0.0001')))

    @with_transaction()
    def test_changing_the_amount_clears_the_preview(self):
        Application = Pool().get('microloan.application')
        company = self.setup_company()
        with set_company(company):
            product = create_product(company)
            borrower = create_individual("孙建国", '11010519800312001')
            application = self.create_application(company, borrower, product)
            Application.compute_preview([application])
            self.assertTrue(application.schedule_lines)
            Application.write([application], {'amount': D('90000.00')})
            application = Application(application.id)
            self.assertEqual(application.schedule_lines, ())
            self.assertIsNone(application.apr_simple)

    @with_transaction()
    def test_terms_outside_the_product_are_refused(self):
        Application = Pool().get('microloan.application')
        company = self.setup_company()
        with set_company(company):
            product = create_product(company)
            borrower = create_individual("孙建国", '11010519800312001')
            application = self.create_application(
                company, borrower, product, annual_rate=D('0.20'))
            with self.assertRaises(ProductTermsError):
                Application.submit([application])
            self.assertEqual(Application(application.id).state, 'draft')

    @with_transaction()
    def test_cost_above_the_cap_needs_an_authorised_override(self):
        """A 6 % fee on a three-month loan costs more than 24 %: refused
        until a risk officer, not the maker, authorises it with a reason"""
        Application = Pool().get('microloan.application')
        company = self.setup_company()
        with set_company(company):
            officer, officer_employee = create_staff(
                company, 'officer', "王敏", 'group_loan_officer')
            risk, _ = create_staff(
                company, 'risk', "李强", 'group_risk_officer')
            product = create_product(company, fees=[('create', [{
                                'kind': 'handling', 'computation': 'percentage',
                                'rate': D('0.06'), 'charged': 'signing'}])])
            borrower = create_individual(
                "孙建国", '11010519800312001',
                loan_officer=officer_employee.id)
            with Transaction().set_user(officer.id):
                application = self.create_application(
                    company, borrower, product, term_months=3)
            Application.compute_preview([application])
            self.assertTrue(application.above_cap)
            self.assertGreater(application.apr_simple, D('0.24'))

            with self.assertRaises(ApplicationError) as raised:
                Application.submit([application])
            self.assertIn('24', str(raised.exception))
            self.assertEqual(Application(application.id).state, 'draft')

            with Transaction().set_user(officer.id):
                # the maker cannot authorise his own application
                Application.write([application], {
                        'cap_override_reason': "客户急需周转，期限短"})
                with self.assertRaises(ApplicationError):
                    Application.authorise_cap_override([application])
            # nor has a loan officer the button (its groups are in XML)
            user, context = as_user(officer)
            with user, context:
                with self.assertRaises(AccessButtonError):
                    Application.authorise_cap_override([application])
            with Transaction().set_user(risk.id):
                Application.authorise_cap_override([application])
            application = Application(application.id)
            self.assertEqual(
                (application.cap_override_by, application.cap_override_user),
                (risk.employee, risk))
            self.assertTrue(risk.employee)
            Application.submit([application])
            self.assertEqual(application.state, 'approved')

    @with_transaction()
    def test_override_needs_a_reason(self):
        Application = Pool().get('microloan.application')
        company = self.setup_company()
        with set_company(company):
            risk, _ = create_staff(
                company, 'risk', "李强", 'group_risk_officer')
            product = create_product(company, fees=[('create', [{
                                'kind': 'handling', 'computation': 'percentage',
                                'rate': D('0.06'), 'charged': 'signing'}])])
            borrower = create_individual("孙建国", '11010519800312001')
            application = self.create_application(
                company, borrower, product, term_months=3)
            Application.compute_preview([application])
            with Transaction().set_user(risk.id):
                with self.assertRaises(ApplicationError):
                    Application.authorise_cap_override([application])
            application = Application(application.id)
            self.assertEqual(
                (application.cap_override_by, application.cap_override_user,
                    application.cap_override_at),
                (None, None, None))

    @with_transaction()
    def test_single_borrower_limit_counts_loans_and_approved_applications(
            self):
        """Net assets 1,000,000.00: 10 % is 100,000.00; a loan of 60,000.00
        plus a request of 50,000.00 is over it"""
        Application = Pool().get('microloan.application')
        company = self.setup_company(D('1000000.00'))
        with set_company(company):
            product = create_product(company)
            borrower = create_individual("孙建国", '11010519800312001')
            test_module.create_loan(
                company, borrower=borrower.id, principal=D('60000.00'))
            application = self.create_application(
                company, borrower, product, amount=D('50000.00'))
            with self.assertRaises(ConcentrationError) as raised:
                Application.submit([application])
            self.assertIn('110000.00', str(raised.exception))
            self.assertEqual(Application(application.id).state, 'draft')

            Application.write([application], {'amount': D('40000.00')})
            Application.submit([application])
            self.assertEqual(application.state, 'approved')

    @with_transaction()
    def test_exposure_counts_outstanding_principal_and_undrawn_contracts(
            self):
        """An active loan counts what is still owed after repayments; a
        loan not disbursed its principal; an open contract what is left to
        draw"""
        from ..concentration import exposures
        company = self.setup_company(D('1000000.00'))
        with set_company(company):
            product = create_product(company)
            borrower = create_individual("孙建国", '11010519800312001')
            active = test_module.create_loan(
                company, borrower=borrower.id, principal=D('60000.00'))
            post(active, 'disbursement', principal=D('60000.00'))
            post(active, 'repayment', date=dt.date(2026, 2, 28),
                principal=D('-20000.01'), interest=D('-600.00'))
            test_module.create_loan(
                company, borrower=borrower.id, principal=D('15000.00'))
            create_contract(borrower, product, amount=D('30000.00'))
            self.assertEqual(exposures(company, [borrower.id]), {
                    borrower.id: D('84999.99')})

    @with_transaction()
    def test_related_group_limit_counts_the_spouse(self):
        """15 % of 1,000,000.00 is 150,000.00: the spouse owes 80,000.00, the
        borrower asks 80,000.00, under 10 % each but 160,000.00 together"""
        Application = Pool().get('microloan.application')
        company = self.setup_company(D('1000000.00'))
        with set_company(company):
            product = create_product(company)
            borrower = create_individual("孙建国", '11010519800312001')
            spouse = create_individual("刘芳", '11010519820506002')
            relate(borrower, 'spouse', spouse)
            test_module.create_loan(
                company, borrower=spouse.id, principal=D('80000.00'))
            application = self.create_application(
                company, borrower, product, amount=D('80000.00'))
            with self.assertRaises(ConcentrationError) as raised:
                Application.submit([application])
            self.assertIn('160000.00', str(raised.exception))
            self.assertIn('150000.00', str(raised.exception))

    @with_transaction()
    def test_net_assets_must_be_set(self):
        Application = Pool().get('microloan.application')
        company = self.setup_company(None)
        with set_company(company):
            product = create_product(company)
            borrower = create_individual("孙建国", '11010519800312001')
            application = self.create_application(company, borrower, product)
            with self.assertRaises(ConcentrationError):
                Application.submit([application])

    @with_transaction()
    def test_blacklisted_borrower_is_refused(self):
        Application = Pool().get('microloan.application')
        company = self.setup_company()
        with set_company(company):
            product = create_product(company)
            borrower = create_individual("黄伟", '11010519800312001')
            blacklist(borrower, start_date=dt.date(2025, 1, 1))
            application = self.create_application(company, borrower, product)
            with self.assertRaises(BlacklistError):
                Application.submit([application])
            self.assertEqual(Application(application.id).state, 'draft')

    @with_transaction()
    def test_request_over_the_credit_line_is_refused(self):
        Application = Pool().get('microloan.application')
        company = self.setup_company()
        with set_company(company):
            product = create_product(company)
            borrower = create_individual("孙建国", '11010519800312001')
            line = create_line(company, borrower, D('80000.00'))
            application = self.create_application(
                company, borrower, product, credit_line=line.id)
            with self.assertRaises(CreditLineError) as raised:
                Application.submit([application])
            self.assertIn('80000.00', str(raised.exception))
            Application.write([application], {'amount': D('80000.00')})
            Application.submit([application])
            self.assertEqual(application.state, 'approved')

    @with_transaction()
    def test_new_application_takes_the_credit_line_in_force(self):
        Application = Pool().get('microloan.application')
        company = self.setup_company()
        with set_company(company):
            borrower = create_individual("孙建国", '11010519800312001')
            line = create_line(company, borrower, D('80000.00'))
            application = Application(
                company=company, borrower=borrower,
                start_date=dt.date(2026, 3, 1))
            application.on_change_borrower()
            self.assertEqual(application.credit_line, line)

    @with_transaction()
    def test_investigators_must_differ(self):
        Application = Pool().get('microloan.application')
        company = self.setup_company()
        with set_company(company):
            _, employee = create_staff(
                company, 'officer', "王敏", 'group_loan_officer')
            product = create_product(company)
            borrower = create_individual("孙建国", '11010519800312001')
            application = self.create_application(company, borrower, product)
            with self.assertRaises((ApplicationError, DomainValidationError)):
                Application.write([application], {
                        'investigator_a': employee.id,
                        'investigator_b': employee.id,
                        })

    @with_transaction()
    def test_out_of_order_transitions_are_refused(self):
        "An application in approval cannot be cancelled or reset to draft"
        Application = Pool().get('microloan.application')
        company = self.setup_company()
        with set_company(company):
            self.create_flow(company)
            product = create_product(company)
            borrower = create_individual("孙建国", '11010519800312001')
            application = self.create_application(company, borrower, product)
            Application.submit([application])
            with self.assertRaises(WorkflowTransitionError):
                Application.cancel([application])
            with self.assertRaises(WorkflowTransitionError):
                Application.draft([application])
            with self.assertRaises(WorkflowTransitionError):
                Application.submit([application])

    @with_transaction()
    def test_terms_are_frozen_after_submission(self):
        "An approved application keeps its terms"
        Application = Pool().get('microloan.application')
        company = self.setup_company()
        with set_company(company):
            officer, _ = create_staff(
                company, 'officer', "王敏", 'group_loan_officer')
            product = create_product(company)
            borrower = create_individual("孙建国", '11010519800312001')
            application = self.create_application(company, borrower, product)
            Application.submit([application])
            with self.assertRaises(ApplicationError):
                Application.write([application], {'amount': D('1.00')})

    @with_transaction()
    def test_risk_assessment_is_recorded_by_a_risk_officer(self):
        Application = Pool().get('microloan.application')
        company = self.setup_company()
        with set_company(company):
            self.create_flow(company)
            officer, officer_employee = create_staff(
                company, 'officer', "王敏", 'group_loan_officer')
            risk, _ = create_staff(
                company, 'risk', "李强", 'group_risk_officer')
            product = create_product(company)
            borrower = create_individual(
                "孙建国", '11010519800312001',
                loan_officer=officer_employee.id)
            application = self.create_application(company, borrower, product)
            Application.submit([application])
            Application.write([application], {
                    'risk_level': 'medium', 'risk_opinion': "经营稳定"})
            # the button's groups (in XML) refuse a loan officer
            user, context = as_user(officer)
            with user, context:
                with self.assertRaises(AccessButtonError):
                    Application.assess_risk([application])
            self.assertIsNone(
                Application(application.id).risk_assessed_user)
            Application.assess_risk([application])
            with Transaction().set_user(risk.id):
                Application.assess_risk([application])
            # the last assessment counts
            application = Application(application.id)
            self.assertEqual(
                (application.risk_assessed_by,
                    application.risk_assessed_user),
                (risk.employee, risk))

    @with_transaction()
    def test_product_requires_investigation_and_materials_before_submit(self):
        """Submitting lacks what the product requires: one message names
        every empty field of the investigation and every required
        material not signed off; complete, the application goes"""
        pool = Pool()
        Application = pool.get('microloan.application')
        Party = pool.get('party.party')
        MaterialType = pool.get('microloan.material.type')
        Material = pool.get('microloan.party.material')
        company = self.setup_company()
        with set_company(company):
            officer, officer_employee = create_staff(
                company, 'officer', "王敏", 'group_loan_officer')
            risk, risk_employee = create_staff(
                company, 'risk', "李强", 'group_risk_officer')
            product = create_product(company,
                require_investigation=True, require_materials=True)
            borrower = create_individual(
                "孙建国", '11010519800312001',
                loan_officer=officer_employee.id)
            Party.generate_materials([borrower])
            required = [t.name for t in MaterialType.search([
                        ('individual', '=', True),
                        ('required', '=', True)])]
            self.assertTrue(required)
            application = self.create_application(
                company, borrower, product,
                investigator_a=officer_employee.id)

            with refused(self, ApplicationError) as context:
                Application.submit([application])
            message = str(context.exception)
            for text in [application.number, product.rec_name,
                    "Investigator B", "Investigation Date",
                    "Investigation Report", *required]:
                self.assertIn(text, message)
            self.assertNotIn("Investigator A", message)
            self.assertEqual(Application(application.id).state, 'draft')

            Application.write([application], {
                    'investigator_b': risk_employee.id,
                    'investigation_date': dt.date(2026, 1, 20),
                    'investigation_report': "实地走访，经营正常。",
                    })
            # the materials alone are missing now, the last one signed
            materials = [m for m in Material.search([
                        ('party', '=', borrower.id)])
                if m.type.required]
            for material in materials:
                attach(material, 'scan.png', PNG)
            with Transaction().set_user(officer.id):
                Material.receive(materials)
            with Transaction().set_user(risk.id):
                Material.sign(materials[:-1])
            with refused(self, ApplicationError) as context:
                Application.submit([application])
            message = str(context.exception)
            self.assertIn(materials[-1].type.name, message)
            self.assertNotIn(materials[0].type.name, message)
            self.assertNotIn("Investigation", message)

            with Transaction().set_user(risk.id):
                Material.sign(materials[-1:])
            Application.submit([application])
            # no flow: approved at once
            self.assertEqual(Application(application.id).state, 'approved')

    @with_transaction()
    def test_purpose_follows_the_product_kind(self):
        "A consumer product gives the purpose consumption, not commerce"
        Application = Pool().get('microloan.application')
        company = self.setup_company()
        with set_company(company):
            consumer = create_product(company, kind='consumer')
            business = create_product(company, code='JY01', kind='business')
            borrower = create_individual("孙建国", '11010519800312001')
            # no purpose before the product says which
            self.assertFalse(
                Application.default_get(['purpose']).get('purpose'))
            application = Application(company=company, borrower=borrower)
            application.product = consumer
            application.on_change_product()
            self.assertEqual(application.purpose, 'consumption')
            application.product = business
            application.on_change_product()
            self.assertEqual(application.purpose, 'industry_commerce')

            created, = Application.create([{
                        'company': company.id,
                        'borrower': borrower.id,
                        'product': consumer.id,
                        'amount': D('50000.00'),
                        'annual_rate': D('0.12'),
                        'term_months': 12,
                        'method': 'equal_installment',
                        'basis': 'month',
                        'start_date': dt.date(2026, 1, 31),
                        'guarantee_kind': 'credit',
                        }])
            self.assertEqual(created.purpose, 'consumption')

    @with_transaction()
    def test_step_shows_the_decision_summary_and_needs_the_risk_assessment(
            self):
        """The approval step shows the application's figures and opinions;
        a product requiring the risk assessment is not approved before it
        is recorded"""
        pool = Pool()
        Application = pool.get('microloan.application')
        Request = pool.get('microloan.approval.request')
        Step = pool.get('microloan.approval.request.step')
        User = pool.get('res.user')
        company = self.setup_company()
        with set_company(company):
            self.create_flow(company)
            approver, = User.search([('login', '=', 'approver')])
            risk, _ = create_staff(
                company, 'risk', "李强", 'group_risk_officer')
            product = create_product(company, require_risk_assessment=True)
            borrower = create_individual("孙建国", '11010519800312001')
            application = self.create_application(company, borrower, product)
            Application.submit([application])
            application = Application(application.id)
            request = application.approval_request
            step = request.current_step

            self.assertEqual(
                (step.customer, step.amount, step.product, step.term_months,
                    step.annual_rate, step.disclosed_cost),
                (borrower.rec_name, D('100000.00'), product.rec_name, 12,
                    D('0.12'), application.apr_simple))
            self.assertEqual(step.purpose, "Industry and Commerce")
            self.assertEqual(step.guarantee_kind, "Credit")
            self.assertIsNone(step.risk_opinion)
            self.assertEqual(
                [a.action for a in step.history], ['submit'])
            with Transaction().set_user(approver.id):
                action = Step.open_document([step])
            self.assertEqual(
                (action['res_model'], action['res_id']),
                ('microloan.application', [application.id]))

            with Transaction().set_user(approver.id):
                with refused(self, ApplicationError) as context:
                    Request.approve([request], "同意")
            self.assertIn(product.rec_name, str(context.exception))
            self.assertEqual(Request(request.id).state, 'pending')

            Application.write([application], {
                    'risk_level': 'medium', 'risk_opinion': "经营稳定"})
            with Transaction().set_user(risk.id):
                Application.assess_risk([Application(application.id)])
            step = Step(step.id)
            self.assertEqual(
                (step.risk_level, step.risk_opinion, step.risk_assessed_by),
                ("Medium Risk", "经营稳定", "李强"))
            with Transaction().set_user(approver.id):
                Request.approve([request], "同意")
            self.assertEqual(Application(application.id).state, 'approved')
            self.assertEqual(
                [a.action for a in Step(step.id).history],
                ['submit', 'approve'])

    @with_transaction()
    def test_photo_that_is_not_an_image_is_refused(self):
        "A file named .jpg holding a PDF is refused; a real PNG counts"
        pool = Pool()
        Attachment = pool.get('ir.attachment')
        company = self.setup_company()
        with set_company(company):
            product = create_product(company)
            borrower = create_individual("孙建国", '11010519800312001')
            application = self.create_application(company, borrower, product)
            with refused(self, ApplicationError):
                Attachment.create([{
                            'name': '店铺门头.jpg',
                            'resource': str(application),
                            'data': b'%PDF-1.4 not a photo',
                            }])
            Attachment.create([{
                        'name': '经营场所.png',
                        'resource': str(application),
                        'data': b'\x89PNG\r\n\x1a\n' + b'\0' * 32,
                        }])
            self.assertEqual(application.photo_count, 1)

    @with_transaction()
    def test_approved_application_becomes_a_contract_then_a_loan(self):
        """The contract takes the application's terms and fees; its
        drawdown is a draft loan with the contract's terms and a draft
        disbursement of the principal"""
        pool = Pool()
        Application = pool.get('microloan.application')
        Contract = pool.get('microloan.contract')
        company = self.setup_company()
        with set_company(company):
            officer, witness = create_staff(
                company, 'officer', "王敏", 'group_loan_officer')
            product = create_product(company, fees=[('create', [{
                                'kind': 'service', 'computation': 'percentage',
                                'rate': D('0.01'),
                                'charged': 'disbursement'}])])
            borrower = create_individual("孙建国", '11010519800312001')
            application = self.create_application(
                company, borrower, product, purpose_detail="进货")
            # no approval flow is configured: approved at once
            Application.submit([application])
            self.assertEqual(application.state, 'approved')
            action = Application.create_contract([application])
            self.assertEqual(application.state, 'contracted')
            contract, = application.contracts
            # the client opens the new contract on its form
            self.assertEqual(action['res_model'], 'microloan.contract')
            self.assertEqual(action['res_id'], [contract.id])
            self.assertEqual(action['views'][0][1], 'form')
            self.assertEqual(
                (contract.amount, contract.annual_rate, contract.method,
                    contract.term_months, contract.kind),
                (D('100000.00'), D('0.12'), 'equal_installment', 12,
                    'single'))
            self.assertEqual(
                [(f.kind, f.amount) for f in contract.fees],
                [('service', D('1000.00'))])
            self.assertEqual(
                contract.purpose, "%s: 进货" % application.purpose_string)
            self.assertEqual(contract.application, application)
            with self.assertRaises(WorkflowTransitionError):
                Application.create_contract([application])

            from .test_contract import sign_contract
            contract = sign_contract(contract, officer, witness)
            loan, disbursement = Contract(contract.id).drawdown(
                D('100000.00'), dt.date(2026, 1, 31))
            self.assertEqual(
                (loan.contract, loan.product, loan.principal, loan.state,
                    loan.upfront_fees),
                (contract, product, D('100000.00'), 'draft', D('1000.00')))
            self.assertEqual(
                (disbursement.loan, disbursement.amount, disbursement.state),
                (loan, D('100000.00'), 'draft'))
