# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Concentration limits (集中度): one borrower <= 10 % and a borrower with
its related parties <= 15 % of the company's net assets at the prior year
end (docs/domain.md, Concentration; both shares are settings).

The exposure of a party is what it owes or has been promised: the principal
outstanding of its loans, what its open contracts still allow it to draw,
and its applications approved and not yet under contract.  It is read with
grouped SQL queries for all the parties concerned together, whatever the
size of the related group.
"""
from collections import defaultdict
from decimal import Decimal

from sql.aggregate import Sum

from trytond import backend
from trytond.i18n import gettext
from trytond.model import fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice, reduce_ids, sqlite_apply_types
from trytond.transaction import Transaction

from .exceptions import ConcentrationError
from .tools import percent

SHARE_DIGITS = (16, 4)


class Company(metaclass=PoolMeta):
    __name__ = 'company.company'

    microloan_net_assets = Monetary(
        "Net Assets", currency='currency', digits='currency',
        domain=['OR',
            ('microloan_net_assets', '=', None),
            ('microloan_net_assets', '>', 0),
            ],
        help="Net assets at the prior year end, the base of the "
        "concentration limits (集中度).")
    microloan_net_assets_date = fields.Date(
        "Net Assets Date",
        help="The year end the net assets were taken from.")


class Configuration(metaclass=PoolMeta):
    __name__ = 'microloan.configuration'

    single_borrower_limit = fields.Numeric(
        "Single Borrower Limit", digits=SHARE_DIGITS, required=True,
        domain=[
            ('single_borrower_limit', '>', 0),
            ('single_borrower_limit', '<=', 1),
            ],
        help="Largest share of the net assets one borrower may owe, "
        "e.g. 0.10 for 10 %.")
    related_group_limit = fields.Numeric(
        "Related Group Limit", digits=SHARE_DIGITS, required=True,
        domain=[
            ('related_group_limit', '>', 0),
            ('related_group_limit', '<=', 1),
            ],
        help="Largest share of the net assets a borrower and its related "
        "parties may owe together, e.g. 0.15 for 15 %.")

    @staticmethod
    def default_single_borrower_limit():
        return Decimal('0.10')

    @staticmethod
    def default_related_group_limit():
        return Decimal('0.15')


def exposures(company, party_ids, exclude_application=None):
    """Return {party id: Decimal} of what each party of party_ids owes the
    company or has been promised:

    - the principal outstanding of its active loans (from their
      transactions) and the principal of its loans not yet disbursed;
    - what is still undrawn on its open contracts;
    - its approved applications not yet under contract (other than
      exclude_application).

    A few grouped queries for all the parties, whatever their number."""
    pool = Pool()
    Loan = pool.get('microloan.loan')
    Transaction_ = pool.get('microloan.loan.transaction')
    Contract = pool.get('microloan.contract')
    Application = pool.get('microloan.application')
    loan = Loan.__table__()
    transaction = Transaction_.__table__()
    application = Application.__table__()
    cursor = Transaction().connection.cursor()
    result = defaultdict(Decimal)

    def add(query):
        if backend.name == 'sqlite':
            sqlite_apply_types(query, [None, 'NUMERIC'])
        cursor.execute(*query)
        for party, amount in cursor:
            result[party] += Decimal(str(amount or 0))

    for sub_ids in grouped_slice(
            list(party_ids), backend.MAX_QUERY_PARAMS - 2):
        loans = (reduce_ids(loan.borrower, sub_ids)
            & (loan.company == int(company)))
        add(loan.select(loan.borrower, Sum(loan.principal).as_('amount'),
                where=loans & loan.state.in_(['draft', 'disbursing']),
                group_by=[loan.borrower]))
        add(loan.join(transaction,
                condition=transaction.loan == loan.id).select(
                loan.borrower, Sum(transaction.principal).as_('amount'),
                where=loans & (loan.state == 'active'),
                group_by=[loan.borrower]))
        where = (reduce_ids(application.borrower, sub_ids)
            & (application.company == int(company))
            & (application.state == 'approved'))
        if exclude_application is not None:
            where &= application.id != int(exclude_application)
        add(application.select(
                application.borrower, Sum(application.amount).as_('amount'),
                where=where, group_by=[application.borrower]))
    contracts = Contract.search([
            ('company', '=', int(company)),
            ('borrower', 'in', list(party_ids)),
            ('state', 'in', ['draft', 'reviewing', 'reviewed', 'signed']),
            ])
    drawn = Contract.get_drawdowns(contracts)
    for contract in contracts:
        result[contract.borrower.id] += max(
            contract.amount - drawn[contract.id][0], Decimal(0))
    return {p: company.currency.round(a) for p, a in result.items()}


def check_concentration(company, borrower, amount, date,
        exclude_application=None):
    """Refuse new business of amount to borrower that would take it or its
    related group (on date) over the limits of the company's net assets"""
    pool = Pool()
    Configuration = pool.get('microloan.configuration')
    Party = pool.get('party.party')
    Lang = pool.get('ir.lang')
    lang = Lang.get()
    config = Configuration(1)
    net_assets = company.microloan_net_assets
    if not net_assets:
        raise ConcentrationError(gettext(
                'microloan_core.msg_concentration_net_assets',
                company=company.rec_name))
    related = Party.related_party_ids([borrower], date=date)[borrower.id]
    group = {borrower.id} | set(related)
    owed = defaultdict(Decimal, exposures(
            company, group, exclude_application=exclude_application))
    currency = company.currency

    def refuse(message, total, share):
        raise ConcentrationError(gettext(message,
                party=borrower.rec_name,
                amount=lang.currency(amount, currency),
                total=lang.currency(total, currency),
                limit=lang.currency(net_assets * share, currency),
                share=percent(share),
                net_assets=lang.currency(net_assets, currency),
                related=len(related)))

    single = owed[borrower.id] + amount
    if single > net_assets * config.single_borrower_limit:
        refuse('microloan_core.msg_concentration_single', single,
            config.single_borrower_limit)
    total = sum((owed[p] for p in group), Decimal(0)) + amount
    if total > net_assets * config.related_group_limit:
        refuse('microloan_core.msg_concentration_group', total,
            config.related_group_limit)
