# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Disbursements: approval, payment and re-check of a loan; loan products"
import datetime as dt
import unittest
from decimal import Decimal as D

from trytond.model.exceptions import AccessButtonError, DomainValidationError
from trytond.modules.company.tests import create_employee, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction

from ..exceptions import (
    CreditLineError, DisbursementError, LoanStateError, ProductTermsError,
    WorkflowTransitionError)
from . import test_module
from .tools import as_user as acting
from .tools import create_customer, create_line, create_product, create_user


class DisbursementTestCase(unittest.TestCase):
    "Test the three steps of a disbursement and the loan they activate"

    @classmethod
    def setUpClass(cls):
        activate_module('microloan_core')

    def setup_company(self):
        """A company with its staff, a product charging 1 % at disbursement,
        a fund account and a customer of the loan officer"""
        pool = Pool()
        FundAccount = pool.get('microloan.fund_account')
        company = test_module.create_cny_company()
        self.company = company
        officer_employee = create_employee(company, "王敏")
        self.officer = create_user(
            'officer', company, ['group_loan_officer'], officer_employee)
        self.approver = create_user(
            'approver', company, ['group_approver'],
            create_employee(company, "赵丽"))
        self.cashier = create_user(
            'cashier', company, ['group_cashier'],
            create_employee(company, "钱芳"))
        self.accountant = create_user(
            'accountant', company, ['group_accountant'],
            create_employee(company, "孙会计"))
        self.product = create_product(company, fees=[('create', [{
                            'kind': 'service', 'computation': 'percentage',
                            'rate': D('0.01'), 'charged': 'disbursement',
                            }])])
        self.account, = FundAccount.create([{
                    'company': company.id,
                    'name': "工行基本户",
                    'kind': 'bank',
                    'bank_name': "中国工商银行北京西城支行",
                    'account_number': '0200001009014412345',
                    'currency': company.currency.id,
                    }])
        self.borrower = create_customer("孙建国", 1, officer=officer_employee)

    def create_loan(self, **values):
        "A draft loan of the officer's customer under the product"
        return test_module.create_loan(self.company, **dict({
                    'borrower': self.borrower.id,
                    'product': self.product.id,
                    'start_date': dt.date(2026, 1, 20),
                    }, **values))

    def request(self, loan, **values):
        "The officer drafts and requests the disbursement of loan"
        Disbursement = Pool().get('microloan.disbursement')
        with acting(self.officer):
            disbursement, = Disbursement.create([dict({
                            'company': self.company.id,
                            'loan': loan.id,
                            'amount': loan.principal,
                            }, **values)])
            Disbursement.request([disbursement])
        return Disbursement(disbursement.id)

    def approve(self, disbursement):
        Disbursement = Pool().get('microloan.disbursement')
        with acting(self.approver):
            Disbursement.approve([disbursement])
        return Disbursement(disbursement.id)

    def pay(self, disbursement, date=dt.date(2026, 1, 31), user=None):
        "The cashier pays from the fund account with the bank voucher"
        Disbursement = Pool().get('microloan.disbursement')
        with acting(user or self.cashier):
            Disbursement.write([disbursement], {
                    'fund_account': self.account.id,
                    'payment_date': date,
                    'payment_reference': 'ICBC-20260131-0001',
                    })
            Disbursement.pay([disbursement])
        return Disbursement(disbursement.id)

    @with_transaction()
    def test_three_steps_activate_the_loan_with_its_schedule(self):
        "Request, approve, pay and re-check: schedule, transactions, active"
        pool = Pool()
        Loan = pool.get('microloan.loan')
        Disbursement = pool.get('microloan.disbursement')
        self.setup_company()
        with set_company(self.company):
            loan = self.create_loan()
            self.assertEqual(loan.upfront_fees, D('1000.00'))
            disbursement = self.request(loan)
            self.assertTrue(disbursement.number.startswith('FK'))
            self.assertEqual(
                (disbursement.state, disbursement.requested_by,
                    disbursement.requested_user),
                ('requested', self.officer.employee, self.officer))
            self.assertEqual(Loan(loan.id).state, 'disbursing')
            disbursement = self.approve(disbursement)
            disbursement = self.pay(disbursement)
            self.assertEqual(
                (disbursement.state, disbursement.paid_by,
                    disbursement.paid_user),
                ('paid', self.cashier.employee, self.cashier))
            # paid but not re-checked: nothing in the loan's books yet
            self.assertEqual(Loan(loan.id).transactions, ())
            with acting(self.accountant):
                Disbursement.recheck([disbursement])

            disbursement = Disbursement(disbursement.id)
            self.assertEqual(
                (disbursement.state, disbursement.approved_by,
                    disbursement.checked_by),
                ('checked', self.approver.employee,
                    self.accountant.employee))
            self.assertEqual(
                (disbursement.approved_user, disbursement.checked_user),
                (self.approver, self.accountant))
            loan = Loan(loan.id)
            self.assertEqual(loan.state, 'active')
            self.assertEqual(loan.start_date, dt.date(2026, 1, 31))
            installments = loan.installments
            self.assertEqual(len(installments), 12)
            first, second, last = installments[0], installments[1], \
                installments[-1]
            self.assertEqual(
                (first.due_date, first.principal, first.interest,
                    first.total),
                (dt.date(2026, 2, 28), D('7884.88'), D('1000.00'),
                    D('8884.88')))
            self.assertEqual(
                (second.due_date, second.principal, second.interest),
                (dt.date(2026, 3, 31), D('7963.73'), D('921.15')))
            self.assertEqual(
                (last.due_date, last.principal, last.interest, last.total),
                (dt.date(2027, 1, 31), D('8796.88'), D('87.97'),
                    D('8884.85')))
            self.assertEqual(loan.total_interest, D('6618.53'))
            self.assertEqual(
                sum(i.principal for i in installments), D('100000.00'))
            self.assertIsNotNone(loan.apr_simple)

            transactions = loan.transactions
            self.assertEqual(
                [(t.kind, t.date, t.amount, t.principal, t.fees)
                    for t in transactions],
                [('disbursement', dt.date(2026, 1, 31), D('100000.00'),
                        D('100000.00'), D('0')),
                    ('fee', dt.date(2026, 1, 31), D('1000.00'), D('0'),
                        D('1000.00'))])
            self.assertEqual(transactions[0].id, min(
                    t.id for t in transactions))
            self.assertEqual(
                (transactions[0].fund_account, transactions[0].reference,
                    transactions[0].origin),
                (self.account, 'ICBC-20260131-0001', disbursement))
            self.assertEqual(
                (loan.principal_balance, loan.fees_charged,
                    loan.fees_balance, loan.disbursed_amount),
                (D('100000.00'), D('1000.00'), D('1000.00'),
                    D('100000.00')))
            self.assertEqual(
                set(disbursement.transactions), set(transactions))

    @with_transaction()
    def test_steps_out_of_order_are_refused(self):
        "Approve a draft, pay a request, re-check before payment: refused"
        Disbursement = Pool().get('microloan.disbursement')
        self.setup_company()
        with set_company(self.company):
            loan = self.create_loan()
            draft, = Disbursement.create([{
                        'company': self.company.id,
                        'loan': loan.id,
                        'amount': loan.principal,
                        }])
            with self.assertRaises(WorkflowTransitionError) as context:
                Disbursement.approve([draft])
            self.assertIn(draft.number, str(context.exception))
            disbursement = self.request(loan)
            for step in [Disbursement.pay, Disbursement.recheck]:
                with self.subTest(step=step.__name__):
                    with self.assertRaises(WorkflowTransitionError):
                        step([disbursement])
            disbursement = self.approve(disbursement)
            with self.assertRaises(WorkflowTransitionError):
                Disbursement.recheck([disbursement])
            with self.assertRaises(WorkflowTransitionError):
                Disbursement.request([disbursement])
            self.assertEqual(Disbursement(disbursement.id).state, 'approved')

    @with_transaction()
    def test_wrong_role_is_refused(self):
        "Only approvers approve, cashiers pay, accountants re-check"
        Disbursement = Pool().get('microloan.disbursement')
        self.setup_company()
        with set_company(self.company):
            loan = self.create_loan()
            disbursement = self.request(loan)
            # the buttons' groups (declared in XML) refuse the other roles
            for user in [self.cashier, self.officer]:
                with self.subTest(user=user.login):
                    with acting(user):
                        with self.assertRaises(AccessButtonError):
                            Disbursement.approve([disbursement])
            disbursement = self.approve(disbursement)
            for user in [self.approver, self.officer]:
                with self.subTest(user=user.login):
                    with acting(user):
                        with self.assertRaises(AccessButtonError):
                            Disbursement.pay([disbursement])
            disbursement = self.pay(disbursement)
            with acting(self.cashier):
                with self.assertRaises(AccessButtonError):
                    Disbursement.recheck([disbursement])
            disbursement = Disbursement(disbursement.id)
            self.assertEqual(
                (disbursement.state, disbursement.approved_user,
                    disbursement.paid_user, disbursement.checked_user),
                ('paid', self.approver, self.cashier, None))

    @with_transaction()
    def test_requester_cannot_approve_his_request(self):
        "Maker-checker: an officer who is also approver approves no own one"
        pool = Pool()
        Disbursement = pool.get('microloan.disbursement')
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        self.setup_company()
        with set_company(self.company):
            User.write([self.officer], {'groups': [('add', [
                                ModelData.get_id(
                                    'microloan_core', 'group_approver')])]})
            loan = self.create_loan()
            disbursement = self.request(loan)
            with acting(self.officer):
                with self.assertRaises(DisbursementError) as context:
                    Disbursement.approve([disbursement])
            self.assertIn('officer', str(context.exception))
            self.assertEqual(
                Disbursement(disbursement.id).state, 'requested')
            self.approve(disbursement)

    @with_transaction()
    def test_user_without_employee_is_recorded_and_checked(self):
        "The administrator has no employee: his user is kept and compared"
        pool = Pool()
        Disbursement = pool.get('microloan.disbursement')
        User = pool.get('res.user')
        self.setup_company()
        admin = User(1)
        self.assertIsNone(admin.employee)
        with set_company(self.company):
            loan = self.create_loan()
            disbursement, = Disbursement.create([{
                        'company': self.company.id,
                        'loan': loan.id,
                        'amount': loan.principal,
                        }])
            Disbursement.request([disbursement])
            disbursement = Disbursement(disbursement.id)
            self.assertEqual(
                (disbursement.requested_by, disbursement.requested_user),
                (None, admin))
            self.assertTrue(disbursement.requested_at)
            with self.assertRaises(DisbursementError) as context:
                Disbursement.approve([disbursement])
            self.assertIn(admin.rec_name, str(context.exception))
            disbursement = self.approve(disbursement)
            self.assertEqual(
                (disbursement.state, disbursement.approved_by,
                    disbursement.approved_user),
                ('approved', self.approver.employee, self.approver))

    @with_transaction()
    def test_payer_cannot_recheck_his_payment(self):
        "Maker-checker: the accountant who paid does not re-check"
        pool = Pool()
        Disbursement = pool.get('microloan.disbursement')
        Loan = pool.get('microloan.loan')
        self.setup_company()
        with set_company(self.company):
            loan = self.create_loan()
            disbursement = self.approve(self.request(loan))
            disbursement = self.pay(disbursement, user=self.accountant)
            with acting(self.accountant):
                with self.assertRaises(DisbursementError) as context:
                    Disbursement.recheck([disbursement])
            self.assertIn('accountant', str(context.exception))
            self.assertEqual(Disbursement(disbursement.id).state, 'paid')
            self.assertEqual(Loan(loan.id).transactions, ())
            other = create_user('accountant2', self.company,
                ['group_accountant'], create_employee(self.company, "周会计"))
            with acting(other):
                Disbursement.recheck([disbursement])
            self.assertEqual(Loan(loan.id).state, 'active')

    @with_transaction()
    def test_payment_needs_account_date_and_voucher(self):
        "A payment without voucher reference is refused, still approved"
        Disbursement = Pool().get('microloan.disbursement')
        self.setup_company()
        with set_company(self.company):
            disbursement = self.approve(self.request(self.create_loan()))
            with acting(self.cashier):
                Disbursement.write([disbursement], {
                        'fund_account': self.account.id,
                        'payment_date': dt.date(2026, 1, 31),
                        })
                with self.assertRaises(DisbursementError) as context:
                    Disbursement.pay([disbursement])
            self.assertIn('Voucher Reference', str(context.exception))
            self.assertEqual(
                Disbursement(disbursement.id).state, 'approved')

    @with_transaction()
    def test_amount_must_be_the_whole_principal(self):
        "A partial disbursement is refused; the loan stays a draft"
        pool = Pool()
        Disbursement = pool.get('microloan.disbursement')
        Loan = pool.get('microloan.loan')
        self.setup_company()
        with set_company(self.company):
            loan = self.create_loan()
            with self.assertRaises(DisbursementError) as context:
                self.request(loan, amount=D('99999.99'))
            self.assertRegex(str(context.exception), r'99,?999\.99')
            self.assertEqual(Loan(loan.id).state, 'draft')
            self.assertEqual(
                [d.state for d in Disbursement.search([])], ['draft'])

    @with_transaction()
    def test_a_loan_under_disbursement_freezes_and_gets_no_second(self):
        "Requested: terms frozen, no second request; rejected: draft again"
        pool = Pool()
        Disbursement = pool.get('microloan.disbursement')
        Loan = pool.get('microloan.loan')
        self.setup_company()
        with set_company(self.company):
            loan = self.create_loan()
            disbursement = self.request(loan)
            with self.assertRaises(LoanStateError):
                Loan.write([loan], {'principal': D('90000.00')})
            # a loan out of draft is not offered to a new disbursement
            with self.assertRaises(DomainValidationError) as context:
                self.request(loan)
            self.assertIn(loan.number, str(context.exception))
            with acting(self.approver):
                Disbursement.reject([disbursement])
            self.assertEqual(Loan(loan.id).state, 'draft')
            Loan.write([loan], {'principal': D('90000.00')})
            self.assertEqual(Loan(loan.id).upfront_fees, D('900.00'))
            second = self.request(Loan(loan.id))
            with acting(self.officer):
                Disbursement.cancel([second])
            self.assertEqual(Loan(loan.id).state, 'draft')

            # two drafts of one loan requested together: one goes through
            twins = Disbursement.create([{
                        'company': self.company.id,
                        'loan': loan.id,
                        'amount': D('90000.00'),
                        }] * 2)
            with self.assertRaises(DisbursementError) as context:
                Disbursement.request(twins)
            self.assertIn(loan.number, str(context.exception))
            self.assertEqual(
                [d.state for d in Disbursement.browse(twins)],
                ['draft', 'draft'])
            self.assertEqual(Loan(loan.id).state, 'draft')

    @with_transaction()
    def test_refused_recheck_saves_nothing(self):
        "A payment date outside the credit line: the re-check leaves all"
        pool = Pool()
        Disbursement = pool.get('microloan.disbursement')
        Loan = pool.get('microloan.loan')
        LoanTransaction = pool.get('microloan.loan.transaction')
        self.setup_company()
        with set_company(self.company):
            line = create_line(self.company, self.borrower,
                D('150000.00'), end_date=dt.date(2026, 1, 31))
            loan = self.create_loan(credit_line=line.id)
            Loan.compute_schedule([loan])
            disbursement = self.approve(self.request(loan))
            disbursement = self.pay(disbursement, date=dt.date(2026, 2, 2))
            with acting(self.accountant):
                with self.assertRaises(CreditLineError):
                    Disbursement.recheck([disbursement])
            loan = Loan(loan.id)
            self.assertEqual(
                (loan.state, loan.start_date, loan.installments[0].due_date),
                ('disbursing', dt.date(2026, 1, 20), dt.date(2026, 2, 20)))
            self.assertEqual(LoanTransaction.search([]), [])
            disbursement = Disbursement(disbursement.id)
            self.assertEqual(
                (disbursement.state, disbursement.checked_by,
                    disbursement.checked_user),
                ('paid', None, None))

    @with_transaction()
    def test_product_terms_are_checked_on_the_loan(self):
        "A rate above the product's range is refused, naming the product"
        self.setup_company()
        with set_company(self.company):
            with self.assertRaises(ProductTermsError) as context:
                self.create_loan(annual_rate=D('0.20'))
            self.assertIn('XF01', str(context.exception))
            loan = self.create_loan(principal=D('123456.50'))
            self.assertEqual(loan.upfront_fees, D('1234.57'))
