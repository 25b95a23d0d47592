#!/usr/bin/env python3
# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Merge the project's translations of the web client into the installed sao.

sao loads ``locale/<lang>.json`` (``Sao.i18n.setlang``: the browser's
language before login, the user's language after) and hands it to
gettext.js.  The zh_CN shipped with tryton-sao 8.0 leaves many texts empty,
fuzzy or in English, so the project keeps its own complete translation in
``web/locale/<lang>.po`` and this script writes it over the installed
``web/node_modules/tryton-sao/locale/<lang>.json``::

    scripts/sao_locale.py [--strict] [SAO_DIR]

Entries of sao that the project does not translate are kept as sao ships
them.  Running it again gives the same file (``make web`` runs it whenever
the project's po or this script changes).  It lists, on standard error,
the texts of sao's ``messages.pot`` the project's po does not translate
(``--strict``: exit status 1 then).

A plural text is written with two identical forms and the language's
plural rule ``nplurals=1``: sao turns a one-form entry into a plain string,
which gettext.js then ignores for ``ngettext`` and shows the English
("9 records saved").
"""
import json
import pathlib
import sys

import polib

ROOT = pathlib.Path(__file__).resolve().parent.parent
SAO = ROOT / 'web' / 'node_modules' / 'tryton-sao'
PROJECT_LOCALE = ROOT / 'web' / 'locale'


def translations(po_path):
    "Return msgid -> JSON value (sao's format) of the project's po"
    result = {}
    for entry in polib.pofile(str(po_path)):
        if 'fuzzy' in entry.flags or entry.obsolete:
            continue
        if entry.msgid_plural:
            text = entry.msgstr_plural.get(0)
            if text:
                result[entry.msgid] = [entry.msgid_plural, text, text]
        elif entry.msgstr:
            result[entry.msgid] = [None, entry.msgstr]
    return result


def merge(sao, po_path):
    """Write the project's po into sao's json of the same language; return
    the msgids of sao's messages.pot left untranslated"""
    lang = po_path.stem
    json_path = sao / 'locale' / ('%s.json' % lang)
    if json_path.exists():
        data = json.loads(json_path.read_text(encoding='utf-8'))
    else:
        data = {'': {'content-type': 'text/plain; charset=utf-8'}}
    po = polib.pofile(str(po_path))
    header = data.setdefault('', {})
    header['language'] = lang
    plural_forms = po.metadata.get('Plural-Forms')
    if plural_forms:
        header['plural-forms'] = plural_forms
    data.update(translations(po_path))
    text = json.dumps(data, ensure_ascii=False, separators=(',', ':'))
    if not json_path.exists() or json_path.read_text(
            encoding='utf-8') != text:
        json_path.write_text(text, encoding='utf-8')
    pot = polib.pofile(str(sao / 'locale' / 'messages.pot'))
    return [e.msgid for e in pot
        if not (data.get(e.msgid) or [None, None])[1]]


def main(argv):
    strict = '--strict' in argv
    args = [a for a in argv if a != '--strict']
    sao = pathlib.Path(args[0]) if args else SAO
    status = 0
    for po_path in sorted(PROJECT_LOCALE.glob('*.po')):
        for msgid in merge(sao, po_path):
            print('%s: sao text without translation: %r'
                % (po_path.relative_to(ROOT), msgid), file=sys.stderr)
            status = 1 if strict else status
    return status


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
