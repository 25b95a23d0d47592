# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError


class PostingRuleError(UserError):
    "A loan transaction the posting rules do not map to the ledger"


class VoucherError(UserError):
    "A voucher step refused"


class StatementMatchError(UserError):
    "A bank line and loan transactions that cannot be matched"


class BookError(UserError):
    "A book (账簿) that cannot be read as asked"


class PeriodCloseError(UserError):
    "A month that cannot close yet"


class ProvisionError(UserError):
    "A provision or off-balance interest run refused"
