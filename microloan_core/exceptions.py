# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model.exceptions import ValidationError


class LoanTermsError(ValidationError):
    "The terms of a loan do not make a valid schedule"


class CustomerIdentityError(ValidationError):
    "A customer's identity is missing or already on file"


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
