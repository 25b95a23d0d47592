# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Branch (网点): where loan officers work and customers are served.

Record rules use it: a branch manager sees the customers of his branch."""
from trytond.cache import Cache
from trytond.model import DeactivableMixin, ModelSQL, ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .tools import rec_name_domain


class Branch(DeactivableMixin, ModelSQL, ModelView):
    "Branch"
    __name__ = 'microloan.branch'
    __string__ = "Branch"

    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Code")
    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')
    manager = fields.Many2One(
        'company.employee', "Manager",
        domain=[('company', '=', Eval('company', -1))],
        help="The branch manager (网点负责人).")
    employees = fields.One2Many(
        'company.employee', 'branch', "Employees",
        domain=[('company', '=', Eval('company', -1))])
    address = fields.Char("Address")
    phone = fields.Char("Phone")
    _of_employees_cache = Cache('microloan.branch.of_employees', context=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('code', 'ASC'))
        cls._order.insert(1, ('name', 'ASC'))

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def of_employees(cls, employees):
        """Return the ids of the branches where the employees work or that
        they manage, as a sorted tuple (what the record rules see)"""
        employees = tuple(sorted(employees))
        if not employees:
            return ()
        branches = cls._of_employees_cache.get(employees)
        if branches is not None:
            return branches
        Employee = Pool().get('company.employee')
        with without_check_access():
            ids = {e.branch.id for e in Employee.browse(employees)
                if e.branch}
            ids.update(b.id for b in cls.search([
                        ('manager', 'in', employees),
                        ]))
        branches = tuple(sorted(ids))
        cls._of_employees_cache.set(employees, branches)
        return branches

    @classmethod
    def on_modification(cls, mode, branches, field_names=None):
        super().on_modification(mode, branches, field_names=field_names)
        cls._of_employees_cache.clear()
        Pool().get('ir.rule')._domain_get_cache.clear()

    def get_rec_name(self, name):
        if self.code:
            return '[%s] %s' % (self.code, self.name)
        return self.name

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, 'name', 'code')


class Employee(metaclass=PoolMeta):
    __name__ = 'company.employee'

    branch = fields.Many2One(
        'microloan.branch', "Branch",
        domain=[('company', '=', Eval('company', -1))],
        help="The branch (网点) the employee works at.")

    @classmethod
    def on_modification(cls, mode, employees, field_names=None):
        super().on_modification(mode, employees, field_names=field_names)
        if field_names is None or 'branch' in field_names:
            pool = Pool()
            pool.get('microloan.branch')._of_employees_cache.clear()
            pool.get('ir.rule')._domain_get_cache.clear()
