# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Microloan core: the lending domain, its roles and the schedule engine."
