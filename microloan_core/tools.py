# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Small helpers shared by the models of the suite"


def rec_name_domain(clause, *names):
    """Return the domain searching the rec_name clause in each field of
    names: any of them matches, or none for a negative operator"""
    _, operator, operand, *extra = clause
    if operator.startswith('!') or operator.startswith('not '):
        bool_op = 'AND'
    else:
        bool_op = 'OR'
    return [bool_op] + [(name, operator, operand, *extra) for name in names]
