# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The web client speaks Chinese: every text of the installed sao has the
project's Chinese (web/locale/zh_CN.po, merged by scripts/sao_locale.py in
`make web`), with no English word, plurals that gettext.js uses for any
count, and a merge that gives the same file when run again."""
import importlib.util
import json
import shutil

import polib

from .chinese import english_words
from .conftest import ROOT, SAO

PROJECT_PO = ROOT / 'web' / 'locale' / 'zh_CN.po'
# Texts sao keeps as they are on purpose: letters it matches typed input
# against (y for yes, t for true) and punctuation
AS_IS = {'y', 't', '%1%', '...', ',...', '%1 (%2)'}


def _sao_locale():
    path = ROOT / 'scripts' / 'sao_locale.py'
    spec = importlib.util.spec_from_file_location('sao_locale', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _installed():
    return json.loads(
        (SAO / 'locale' / 'zh_CN.json').read_text(encoding='utf-8'))


def test_every_text_of_sao_has_chinese():
    pot = polib.pofile(str(SAO / 'locale' / 'messages.pot'))
    data = _installed()
    missing, english = [], {}
    for entry in pot:
        value = data.get(entry.msgid)
        if not value or not all(value[1:]):
            missing.append(entry.msgid)
            continue
        for text in value[1:]:
            if entry.msgid not in AS_IS and english_words(text):
                english[entry.msgid] = text
    assert not missing, "run make web; untranslated: %r" % missing
    assert not english, english


def test_plurals_have_a_form_for_any_count():
    "'9 records saved' reads 已保存 9 条记录, not the English plural"
    data = _installed()
    assert data['']['plural-forms'] == 'nplurals=1; plural=0;'
    for entry in polib.pofile(str(PROJECT_PO)):
        if entry.msgid_plural:
            value = data[entry.msgid]
            # sao turns a two-item entry into a string, which gettext.js
            # ignores for a plural
            assert len(value) > 2, value
            assert set(value[1:]) == {entry.msgstr_plural[0]}
    assert data['%1 record saved'][1] == '已保存 %1 条记录'


def test_merge_keeps_sao_texts_and_is_idempotent(tmp_path):
    sao = tmp_path / 'sao'
    (sao / 'locale').mkdir(parents=True)
    shutil.copy(SAO / 'locale' / 'messages.pot', sao / 'locale')
    (sao / 'locale' / 'zh_CN.json').write_text(json.dumps({
                '': {'content-type': 'text/plain; charset=utf-8'},
                'Favorites': [None, '收藏(_V)'],
                'A text sao has and the project does not': [None, '原文'],
                }, ensure_ascii=False), encoding='utf-8')
    sao_locale = _sao_locale()
    assert sao_locale.main([str(sao)]) == 0
    first = (sao / 'locale' / 'zh_CN.json').read_bytes()
    data = json.loads(first)
    assert data['Favorites'] == [None, '收藏']
    assert data['A text sao has and the project does not'] == [None, '原文']
    assert data['Preferences...'] == [None, '偏好设置…']
    assert sao_locale.main([str(sao), '--strict']) == 0
    assert (sao / 'locale' / 'zh_CN.json').read_bytes() == first
