# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Photos and scans attached to the documents of the suite.

A file attached to a document that checks its files (one with a
``refuse_scan`` method: the customer's materials, applications, contracts)
must be the file its name says: PDF, JPEG and PNG files are checked by their
leading bytes.  Photos (JPEG and PNG) are counted per document, for the
investigation of an application and the face-sign of a contract.
"""
import os
from collections import defaultdict

from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access

# The leading bytes (magic numbers) of the scans by file name extension
SCAN_SIGNATURES = {
    '.pdf': (b'%PDF-',),
    '.jpg': (b'\xff\xd8\xff',),
    '.jpeg': (b'\xff\xd8\xff',),
    '.png': (b'\x89PNG\r\n\x1a\n',),
    }
PHOTO_EXTENSIONS = {'.jpg', '.jpeg', '.png'}


def _extension(name):
    return os.path.splitext(name or '')[1].lower()


def scan_matches_name(name, data):
    """Tell whether data starts as the file type of the name's extension
    says; names of other types are not checked"""
    signatures = SCAN_SIGNATURES.get(_extension(name))
    if not signatures or data is None:
        return True
    return bytes(data[:16]).startswith(signatures)


class Attachment(metaclass=PoolMeta):
    __name__ = 'ir.attachment'

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            # refused before anything is written
            data = {n: values.get(n) for n in cls._scan_fields()}
            data['type'] = data['type'] or cls.default_type()
            cls(**data).check_scan()
        return values

    @classmethod
    def check_modification(cls, mode, attachments, values=None,
            external=False):
        super().check_modification(
            mode, attachments, values=values, external=external)
        if mode == 'write' and values.keys() & cls._scan_fields():
            changes = {n: values[n] for n in cls._scan_fields()
                if n in values}
            for attachment in attachments:
                cls(attachment.id, **changes).check_scan()

    @classmethod
    def _scan_fields(cls):
        return {'name', 'type', 'data', 'resource'}

    def check_scan(self):
        """Let the document refuse a file whose content is not the type its
        name says"""
        refuse = getattr(self.resource, 'refuse_scan', None)
        if (refuse is not None and self.type == 'data'
                and not scan_matches_name(self.name, self.data)):
            refuse(self.name)

    @classmethod
    def count_photos(cls, records):
        "Return {record id: number of photos attached to the record}"
        counts = defaultdict(int)
        with without_check_access():
            attachments = cls.search([
                    ('resource', 'in', [str(r) for r in records]),
                    ('type', '=', 'data'),
                    ])
        for attachment in attachments:
            if _extension(attachment.name) in PHOTO_EXTENSIONS:
                counts[attachment.resource.id] += 1
        return {r.id: counts[r.id] for r in records}


def count_photos(records):
    "Return {record id: number of photos attached to the record}"
    return Pool().get('ir.attachment').count_photos(records)
