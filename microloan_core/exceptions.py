# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model.exceptions import ValidationError


class LoanTermsError(ValidationError):
    "The terms of a loan do not make a valid schedule"


class CustomerIdentityError(ValidationError):
    "A customer's identity is missing or already on file"


class RelationError(ValidationError):
    "A relation between parties is not valid"


class EnterpriseProfileError(ValidationError):
    "The profile, a shareholder or an executive of an enterprise is invalid"


class FinancialStatementError(ValidationError):
    "A financial statement is invalid or may no longer be changed"


class RatingError(ValidationError):
    "A credit rating or its score card is invalid"
