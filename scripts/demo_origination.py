# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Demo origination of scripts/setup_demo.py: the company's net assets, its
fund accounts, approval flows, loan applications at every stage (draft,
waiting for the risk review, waiting for the approver, at the loan
committee, rejected, under contract review, disbursed) and the
disbursement of the historical loans, each step done by the demo user
whose role it is.

Every step looks for what an earlier run made before it creates anything.
"""
import datetime as dt
import struct
import zlib
from decimal import Decimal

from proteus import Model, Wizard

NET_ASSETS = Decimal('80000000.00')
NET_ASSETS_DATE = dt.date(2025, 12, 31)

# name, kind, bank, account number
FUND_ACCOUNTS = [
    ('工行朝阳支行基本户', 'bank', '中国工商银行北京朝阳支行',
        '0200 0016 0920 0088 888'),
    ('库存现金', 'cash', None, None),
    ]

# name, model, sequence, minimum amount, steps: (name, kind, value) with
# value a group xml id, or the committee (pool logins, size, quorum)
FLOWS = [
    ('大额贷款审批（审贷会）', 'microloan.application', 10,
        Decimal('500000.00'), [
            ('风险审查', 'group', 'microloan_core.group_risk_officer'),
            ('审贷会', 'committee', (
                    ['risk_officer', 'approver', 'branch_manager',
                        'accountant'], 3, 3)),
            ]),
    ('贷款审批', 'microloan.application', 20, None, [
            ('风险审查', 'group', 'microloan_core.group_risk_officer'),
            ('审批', 'group', 'microloan_core.group_approver'),
            ]),
    ('授信审批', 'microloan.credit_line', 10, None, [
            ('审批', 'group', 'microloan_core.group_approver'),
            ]),
    ]

# the second investigator (B角) of the applications of each officer
INVESTIGATOR_B = {
    'loan_officer': 'branch_manager',
    'loan_officer_east': 'branch_manager',
    }
RISK_OPINIONS = {
    'rejected': ('high', '经营流水不足以覆盖还款，负债率偏高。'),
    }
RISK_OPINION = ('low', '第一还款来源稳定，担保措施有效，风险可控。')

# customer, officer login, product code, amount, rate, term, method, basis,
# value date, purpose, guarantee kind, stage
APPLICATIONS = [
    ('周晓梅', 'loan_officer', 'XF01', '50000.00', '0.120000', 12,
        'equal_installment', 'month', dt.date(2026, 12, 1), 'consumption',
        'credit', 'draft'),
    ('吴海峰', 'loan_officer', 'XF01', '150000.00', '0.108000', 24,
        'equal_principal', 'month', dt.date(2026, 12, 5), 'consumption',
        'guaranteed', 'risk_review'),
    ('郑丽华', 'loan_officer', 'JY01', '200000.00', '0.132000', 12,
        'interest_monthly', 'month', dt.date(2026, 12, 10),
        'industry_commerce', 'mortgage', 'approval'),
    ('江南机电设备有限公司', 'loan_officer_east', 'QY01', '800000.00',
        '0.120000', 12, 'interest_monthly', 'day', dt.date(2026, 12, 15),
        'industry_commerce', 'mortgage', 'committee'),
    ('钱芳', 'loan_officer_east', 'JY01', '300000.00', '0.150000', 12,
        'equal_installment', 'month', dt.date(2026, 12, 1),
        'industry_commerce', 'credit', 'rejected'),
    ('陈立新', 'loan_officer_east', 'JY01', '120000.00', '0.126000', 12,
        'equal_installment', 'month', dt.date(2026, 12, 1),
        'industry_commerce', 'guaranteed', 'contract_review'),
    ('马志远', 'loan_officer', 'XF01', '100000.00', '0.120000', 12,
        'equal_installment', 'month', dt.date(2026, 11, 20),
        'consumption', 'credit', 'disbursed'),
    ]


def png_photo():
    "Return a small real PNG picture (8 x 8 grey), as a face-sign photo"
    def chunk(kind, data):
        body = kind + data
        return (struct.pack('>I', len(data)) + body
            + struct.pack('>I', zlib.crc32(body) & 0xffffffff))
    rows = b''.join(b'\0' + b'\x80' * 8 for _ in range(8))
    return (b'\x89PNG\r\n\x1a\n'
        + chunk(b'IHDR', struct.pack('>IIBBBBB', 8, 8, 8, 0, 0, 0, 0))
        + chunk(b'IDAT', zlib.compress(rows))
        + chunk(b'IEND', b''))


def as_user(config, login):
    "Make the proteus configuration act as the user of login"
    User = Model.get('res.user')
    user, = User.find([('login', '=', login)])
    config.user = user.id
    config._context = User.get_preferences(True, {})


def ensure_net_assets(company):
    Company = Model.get('company.company')
    company = Company(company.id)
    if company.microloan_net_assets != NET_ASSETS:
        company.microloan_net_assets = NET_ASSETS
        company.microloan_net_assets_date = NET_ASSETS_DATE
        company.save()


def ensure_fund_accounts(company):
    FundAccount = Model.get('microloan.fund_account')
    accounts = {}
    for name, kind, bank, number in FUND_ACCOUNTS:
        found = FundAccount.find([('name', '=', name)])
        if found:
            accounts[name] = found[0]
            continue
        account = FundAccount(name=name, kind=kind, bank_name=bank,
            account_number=number)
        account.save()
        accounts[name] = account
    return accounts


def ensure_flows(company, ref_id):
    Flow = Model.get('microloan.approval.flow')
    Group = Model.get('res.group')
    User = Model.get('res.user')
    for name, model, sequence, minimum, steps in FLOWS:
        if Flow.find([('name', '=', name)]):
            continue
        flow = Flow(name=name, model=model, sequence=sequence,
            min_amount=minimum)
        for step_name, kind, value in steps:
            step = flow.steps.new(name=step_name, kind=kind)
            if kind == 'group':
                step.group = Group(ref_id(value))
                step.required_approvals = 1
            else:
                logins, size, quorum = value
                for login in logins:
                    step.committee_pool.append(
                        User.find([('login', '=', login)])[0])
                step.committee_size = size
                step.quorum = quorum
                step.pass_numerator = 2
                step.pass_denominator = 3
        flow.save()


def request_of(document):
    Request = Model.get('microloan.approval.request')
    requests = Request.find([
            ('document', '=', '%s,%s' % (document.__class__.__name__,
                    document.id)),
            ], order=[('id', 'DESC')], limit=1)
    return requests[0] if requests else None


def decide(config, login, document, method, comment):
    "The user of login calls the engine method on the document's request"
    Request = Model.get('microloan.approval.request')
    as_user(config, login)
    request = request_of(document)
    getattr(Request, method)([request.id], comment, config.context)


def employees():
    "The employee of each demo user, by login (read as the administrator)"
    User = Model.get('res.user')
    return {u.login: u.employee for u in User.find([])}


def ensure_signed_materials(config, party, login):
    """The borrower's checklist complete: each required material received
    with its scan by the officer of login, signed off by the risk officer
    (four eyes)"""
    Party = Model.get('party.party')
    Material = Model.get('microloan.party.material')
    Attachment = Model.get('ir.attachment')
    as_user(config, login)
    Party.click([Party(party.id)], 'generate_materials')
    materials = [m for m in Material.find([('party', '=', party.id)])
        if m.type.required and m.state != 'signed']
    for material in materials:
        resource = 'microloan.party.material,%d' % material.id
        if not Attachment.find([('resource', '=', resource)]):
            Attachment(name='%s.png' % material.type.name,
                resource=material, type='data', data=png_photo()).save()
        if material.state == 'pending':
            material.click('receive')
    as_user(config, 'risk_officer')
    for material in materials:
        Material(material.id).click('sign')


def assess_risk(config, application, stage):
    "The risk officer records his assessment of the application"
    Application = Model.get('microloan.application')
    as_user(config, 'risk_officer')
    application = Application(application.id)
    application.risk_level, application.risk_opinion = RISK_OPINIONS.get(
        stage, RISK_OPINION)
    application.save()
    application.click('assess_risk')


def ensure_applications(config, company, customers, accounts):
    Application = Model.get('microloan.application')
    Product = Model.get('microloan.product')
    admin = config.user
    today = dt.date.today()
    staff = employees()
    for (name, login, code, amount, rate, term, method, basis, start,
            purpose, guarantee, stage) in APPLICATIONS:
        party = customers[name]
        if Application.find([('borrower', '=', party.id)]):
            continue
        ensure_signed_materials(config, party, login)
        as_user(config, login)
        product, = Product.find([('code', '=', code)])
        # the investigation was done before the application, never later
        # than today, by the officer and a colleague
        application = Application(borrower=party.id, product=product,
            amount=Decimal(amount), annual_rate=Decimal(rate),
            term_months=term, method=method, basis=basis, start_date=start,
            purpose=purpose, guarantee_kind=guarantee,
            investigator_a=staff[login],
            investigator_b=staff[INVESTIGATOR_B[login]],
            investigation_date=min(start - dt.timedelta(days=10), today),
            investigation_report=(
                '实地走访借款人经营场所及住所，核实收入流水与资产负债情况，'
                '第一还款来源充足。'))
        application.save()
        application.click('compute_preview')
        if stage == 'draft':
            continue
        application.click('submit')
        if stage == 'risk_review':
            continue
        assess_risk(config, application, stage)
        if stage == 'rejected':
            decide(config, 'risk_officer', application, 'reject',
                '经营流水不足以覆盖还款，负债率偏高，不予通过。')
            continue
        decide(config, 'risk_officer', application, 'approve',
            '资料齐全，风险可控，同意提交审批。')
        if stage in {'approval', 'committee'}:
            continue
        decide(config, 'approver', application, 'approve', '同意发放。')
        as_user(config, login)
        application = Application(application.id)
        application.click('create_contract')
        application = Application(application.id)
        contract, = application.contracts
        contract.click('submit')
        if stage == 'contract_review':
            continue
        as_user(config, 'risk_officer')
        contract.click('review')
        as_user(config, login)
        sign(contract, login)
        loan = draw(contract, start)
        disburse(config, loan, accounts, start)
    config.user = admin
    config._context = Model.get('res.user').get_preferences(True, {})


def sign(contract, login):
    "The officer of login, whom config acts as, records the face-sign"
    Contract = Model.get('microloan.contract')
    Attachment = Model.get('ir.attachment')
    Employee = Model.get('company.employee')
    User = Model.get('res.user')
    contract = Contract(contract.id)
    # the officer's employee, from his preferences: a user who is not an
    # administrator may not read a user record whole (its secrets)
    employee = User.get_preferences(True, {})['employee']
    Attachment(name='面签照片.png', resource=contract, type='data',
        data=png_photo()).save()
    contract.sign_place = '总部营业部面签室'
    contract.sign_date = contract.start_date - dt.timedelta(days=2)
    contract.witness = Employee(employee)
    contract.save()
    contract.click('sign')


def draw(contract, start):
    "The officer draws the whole contract: a loan and its disbursement"
    Contract = Model.get('microloan.contract')
    Loan = Model.get('microloan.loan')
    contract = Contract(contract.id)
    draw = Wizard('microloan.contract.draw', [contract])
    draw.form.start_date = start
    draw.execute('create_')
    loan, = Loan.find([('contract', '=', contract.id)])
    return loan


def disburse(config, loan, accounts, date):
    """The three steps of a disbursement, each by the user whose role it
    is: the officer requests, the approver approves, the cashier pays and
    the accountant re-checks"""
    Disbursement = Model.get('microloan.disbursement')
    officer = config.user
    disbursements = Disbursement.find([('loan', '=', loan.id)])
    if disbursements:
        disbursement, = disbursements
    else:
        disbursement = Disbursement(loan=loan.id, amount=loan.principal)
        disbursement.save()
    if disbursement.state == 'checked':
        return
    disbursement.click('request')
    as_user(config, 'approver')
    disbursement = Disbursement(disbursement.id)
    disbursement.click('approve')
    as_user(config, 'cashier')
    disbursement = Disbursement(disbursement.id)
    disbursement.fund_account = Model.get('microloan.fund_account')(
        accounts[FUND_ACCOUNTS[0][0]].id)
    disbursement.payment_date = date
    disbursement.payment_reference = 'YH%s%06d' % (
        date.strftime('%Y%m%d'), disbursement.id)
    disbursement.save()
    disbursement.click('pay')
    as_user(config, 'accountant')
    disbursement = Disbursement(disbursement.id)
    disbursement.click('recheck')
    config.user = officer


def ensure_historical_loans(config, accounts):
    """The loans of setup_demo.LOANS were lent before the suite: the
    officer requests their disbursement on their value date and finance
    completes it"""
    Loan = Model.get('microloan.loan')
    admin = config.user
    for loan in Loan.find([('state', '=', 'draft'),
                ('contract', '=', None)]):
        as_user(config, 'loan_officer')
        disburse(config, Loan(loan.id), accounts, loan.start_date)
    config.user = admin
    config._context = Model.get('res.user').get_preferences(True, {})


def ensure(config, company, customers, ref_id):
    "Create the demo origination"
    ensure_net_assets(company)
    accounts = ensure_fund_accounts(company)
    ensure_flows(company, ref_id)
    ensure_historical_loans(config, accounts)
    ensure_applications(config, company, customers, accounts)
