# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class LoanTermsError(ValidationError):
    "The terms of a loan do not make a valid schedule"


class CustomerIdentityError(ValidationError):
    "A customer's identity is missing or already on file"


class CustomerDeleteError(AccessError):
    "A customer with business is deleted by an administrator only"


class ResidentIdError(ValidationError):
    "A resident ID number gives an impossible birth date"


class RelationError(ValidationError):
    "A relation between parties is not valid"


class CompletenessRuleError(ValidationError):
    "A file completeness rule is wrong"


class MaterialError(ValidationError):
    "A material of the customer file is refused"


class MaterialScanError(ValidationError):
    "The scan of a material is missing or not what it claims to be"


class IndividualProfileError(ValidationError):
    "The individual profile of a customer is inconsistent"


class FamilyMemberError(ValidationError):
    "A family member of a customer is invalid"


class ShopError(ValidationError):
    "A shop of a customer is invalid"


class VisitError(ValidationError):
    "A visit registration or a marketing visit is invalid"


class EnterpriseProfileError(ValidationError):
    "The profile, a shareholder or an executive of an enterprise is invalid"


class FinancialStatementError(ValidationError):
    "A financial statement is invalid or may no longer be changed"


class RatingError(ValidationError):
    "A credit rating or its score card is invalid"


class WorkflowTransitionError(ValidationError):
    "A workflow button was used on a record in a state it does not leave"


class WatchListError(ValidationError):
    "A watch list entry cannot be saved or removed"


class BlacklistError(ValidationError):
    "A blacklisted party cannot get new business"


class BlacklistOverrideError(ValidationError):
    "A blacklist override cannot be changed or decided"


class CreditLineError(ValidationError):
    "A credit line cannot carry a loan or its amount"


class ProductError(ValidationError):
    "A loan product is not consistent"


class ProductTermsError(ValidationError):
    "Terms are outside what a loan product allows"


class BaseRateError(ValidationError):
    "A base rate is not valid"


class ApplicationError(UserError):
    "A loan application cannot do what is asked"


class ConcentrationError(UserError):
    "New business would break a concentration limit"


class ContractError(ValidationError):
    "A loan contract cannot be saved or cannot go on in its workflow"


class ContractDrawdownError(ValidationError):
    "A loan cannot be drawn under a loan contract"


class LoanTransactionError(ValidationError):
    "A loan transaction is inconsistent or may not change"


class LoanStateError(ValidationError):
    "A loan may not change in its state"


class DisbursementError(ValidationError):
    "A disbursement step is refused"


class ApprovalFlowError(ValidationError):
    "An approval flow or its step is not consistent"


class ApprovalError(UserError):
    "An approval action is not allowed"


class ExportError(UserError):
    "A list cannot be exported as asked"


class ConfigurationError(ValidationError):
    pass


class RepaymentError(ValidationError):
    pass


class LoanChangeError(ValidationError):
    pass


class ServicingPrintError(UserError):
    "A servicing print is refused for the state of its loan"


class DepositError(ValidationError):
    "A customer deposit (保证金) is refused: balance, loan or state"


class ReminderError(UserError):
    "Reminders are refused for the records selected"


class RenewalError(ValidationError):
    "A renewal (续贷) cannot pay off the loan it renews"
