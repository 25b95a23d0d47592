# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The secrets of the users (password hash, reset password, application
keys) are read, searched and sorted by the host's administrators only.

user.xml gives these fields no read access (``ir.model.field.access``)
but to the administrators, so the host refuses them in an order and in a
search domain, dotted paths included.  The host does not look into the
sub-domain of a ``where`` clause (``('create_uid', 'where',
[('password_hash', 'like', ...)])``) nor behind ``rec_name`` (the key of an
application): every domain of these models passes through
``search_domain``, which checks the same field access there.

A read gives them empty, as the host does for the password hash, rather
than refusing the whole read: a client that reads a user record whole
(proteus, the host's tools) keeps working and learns nothing.
"""
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, check_access


def _domain_fields(domain):
    "Yield the names of the model's own fields that domain tests"
    if not domain:
        return
    if isinstance(domain[0], str) and domain[0] not in {'AND', 'OR'}:
        yield domain[0].split('.', 1)[0]
        return
    for clause in domain:
        if isinstance(clause, (list, tuple)):
            yield from _domain_fields(clause)


class SecretFieldsMixin:
    "Refuse a domain on a field the user may not read, at any depth"
    __slots__ = ()

    @classmethod
    def search_domain(cls, domain, active_test=None, tables=None):
        cls.check_domain_access(domain)
        return super().search_domain(
            domain, active_test=active_test, tables=tables)

    @classmethod
    def read(cls, ids, fields_names):
        hidden = cls._hidden_fields(fields_names)
        result = super().read(
            ids, [f for f in fields_names if f not in hidden])
        for values in result:
            values.update(dict.fromkeys(hidden))
        return result

    @classmethod
    def _hidden_fields(cls, fields_names):
        "Return the fields of fields_names the user of a request may not read"
        transaction = Transaction()
        if not transaction.user or not transaction.check_access:
            return set()
        FieldAccess = Pool().get('ir.model.field.access')
        accesses = FieldAccess.get_access([cls.__name__])[cls.__name__]
        return {
            f for f in fields_names
            if not accesses.get(f, {}).get('read', True)}

    @classmethod
    def check_domain_access(cls, domain):
        # the root user (logins, password resets, cron) searches freely
        if not Transaction().user:
            return
        FieldAccess = Pool().get('ir.model.field.access')
        names = {
            cls._rec_name if n == 'rec_name' else n
            for n in _domain_fields(domain)}
        names &= set(cls._fields)
        if names:
            with check_access():
                FieldAccess.check(cls.__name__, names, 'read')


class User(SecretFieldsMixin, metaclass=PoolMeta):
    __name__ = 'res.user'


class UserApplication(SecretFieldsMixin, metaclass=PoolMeta):
    __name__ = 'res.user.application'
