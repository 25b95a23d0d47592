# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Microloan accounting: the loans' life in the host's own ledger (Chinese
chart, posting rules, vouchers, books, provisions, reconciliation)."""
