#!/usr/bin/env python3
# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Fill the empty msgstr of a module's locale/zh_CN.po from a glossary.

Workflow for a module's Chinese texts:

1. ``trytond-admin -d DB -u MODULE -l zh_CN --export-translations`` writes
   ``MODULE/locale/zh_CN.po`` with every translatable text of the module;
2. this script fills what is still untranslated from GLOSSARY below and
   from the topic glossaries ``scripts/glossary/*.json`` (one JSON object
   of English source text -> Chinese each) and lists what it could not
   fill (exit status 1 then).

An English text has one Chinese throughout the suite: a topic glossary may
not give another Chinese to a text another glossary translates.  Where one
module uses a text in another sense than the rest of the suite ("Balance" of
a ledger line is 余额, of a loan 剩余本金; "Post" of a voucher is 记账, of a
repayment 入账), ``scripts/glossary/context/<module>.json`` gives its Chinese
there: ``{msgctxt: {English: Chinese}}`` with the msgctxt of the module's po
entry.  Such an entry wins over the shared glossary for that entry only;
one the module's po no longer has is listed as stale (exit status 1).

The host's own messages (``ir.message`` of ir, res, party, company...: a
field out of its domain, a button pressed in the wrong state, an access
refused) are partly fuzzy or missing in the host's zh_CN.po and would reach
a Chinese user in English.  Tryton loads a module's
``locale/override/<lang>.po`` after its own translations; its entries name
another module's record (``model:ir.message,text:ir.msg_...``) and replace
that module's translation.  Given such a path::

    scripts/translate_zh_CN.py microloan_core/locale/override/zh_CN.po

this script rewrites the file with one entry for every message of the
host modules the module depends on (directly or not; those another module
of the suite it depends on overrides already are left to that one's file),
in Chinese from ``scripts/glossary/override/*.json`` (English message ->
Chinese, kept apart from the suite's glossary so that a host text never
changes the suite's own), and lists the messages it has no Chinese for.
"""
import json
import os
import pathlib
import re
import sys

import polib
from lxml import etree

# English source text -> Chinese, shared by every module of the suite.
GLOSSARY = {
    'Annual Rate': '年利率',
    'Annualized Cost (Compound)': '综合年化成本（复利）',
    'Annualized Cost (Simple)': '综合年化成本（单利）',
    'Interest Basis': '计息方式',
    'Borrower': '借款人',
    'Company': '公司',
    'Currency': '币种',
    'Schedule': '还款计划',
    'Maturity Date': '到期日',
    'Repayment Method': '还款方式',
    'Number': '借据号',
    'Repayment Plan': '自定义还款计划',
    'Principal': '本金',
    'Value Date': '起息日',
    'Term (Months)': '期限（月）',
    'Total Due': '应还总额',
    'Total Interest': '利息合计',
    'Upfront Fees': '签约时收取的费用',
    'Balance': '剩余本金',
    'Days': '天数',
    'Due Date': '应还日',
    'Interest': '利息',
    'Loan': '借据',
    'Loans': '借据',
    'Period End': '计息止日',
    'Period Start': '计息起日',
    'No.': '期数',
    'Total': '合计',
    'Date': '日期',
    'Nominal annual interest rate, e.g. 0.12 for 12 %.':
        '名义年利率，例如 12% 填 0.12。',
    'Comprehensive annualized cost by the IRR method: '
    '(1 + monthly IRR)^12 - 1.':
        '按内部收益率法计算的综合年化成本：(1 + 月内部收益率)^12 - 1。',
    'Comprehensive annualized cost by the IRR method: 12 x the monthly IRR.':
        '按内部收益率法计算的综合年化成本：12 × 月内部收益率。',
    'How the interest of a period is counted: by whole months (rate / 12) '
    'or by actual days (rate / 360).':
        '每期利息的计算方式：按整月（月利率 = 年利率 / 12）'
        '或按实际天数（日利率 = 年利率 / 360）。',
    'The amount actually lent.': '实际发放的借款金额。',
    'The disbursement date from which interest runs.': '放款日，自该日起计息。',
    'Fees the borrower pays at signing, counted in the annualized cost.':
        '借款人签约时支付的费用，计入综合年化成本。',
    'Principal outstanding after this installment.': '本期还款后的剩余本金。',
    'Installments': '还款计划',
    'All': '全部',
    'Without Schedule': '未生成还款计划',
    'The schedule of loan "%(loan)s" cannot be computed: the field '
    '"%(field)s" %(reason)s.':
        '借据“%(loan)s”无法生成还款计划：字段“%(field)s”%(reason)s。',
    'is missing': '缺失',
    'has the wrong type': '类型不正确',
    'is out of the allowed range': '超出允许范围',
    'has too many decimals': '小数位数过多',
    'has an unknown value': '取值无效',
    'has dates out of order': '日期未按先后顺序排列',
    'does not add up to the principal': '合计与本金不符',
    'is empty': '为空',
    'does not match the dates of the schedule': '与还款计划的日期不一致',
    'has the wrong shape': '格式不正确',
    'The repayment plan date %(date)s of loan "%(loan)s" must be after the '
    'value date %(start_date)s and appear only once.':
        '借据“%(loan)s”的还款计划日期 %(date)s 必须晚于起息日 %(start_date)s，'
        '且不能重复。',
    'The repayment plan of loan "%(loan)s" adds up to %(plan_total)s but the '
    'principal is %(principal)s.':
        '借据“%(loan)s”的还款计划合计为 %(plan_total)s，但借款本金为 '
        '%(principal)s。',
    'Compute Schedule': '生成还款计划',
    'User in companies': '用户所属公司',
    'Microloan': '小额贷款',
    'Loan Installment': '还款计划明细',
    'Loan Repayment Plan Line': '自定义还款计划明细',
    'Microloan Accountant': '会计',
    'Loan Approver': '审批人',
    'Branch Manager': '网点负责人',
    'Cashier': '出纳',
    'Loan Officer': '客户经理',
    'Microloan Administration': '小贷管理员',
    'Risk Officer': '风控专员',
    'Daily (Actual/360)': '按日计息（实际天数/360）',
    'Monthly': '按月计息',
    'Equal Installment': '等额本息',
    'Equal Principal': '等额本金',
    'Free Plan': '自由还本付息',
    'Interest in Advance, Principal at Maturity': '提前收息、到期还本',
    'Monthly Interest, Principal at Maturity': '按月付息、到期还本',
    'Principal and Interest at Maturity': '到期一次还本付息',
    'Quarterly Interest, Principal at Maturity': '按季付息、到期还本',
    '%': '%',
    }



ROOT = pathlib.Path(__file__).resolve().parent.parent
GLOSSARY_FOLDER = ROOT / 'scripts' / 'glossary'


def _load_topics():
    for path in sorted(GLOSSARY_FOLDER.glob('*.json')):
        for english, chinese in json.loads(
                path.read_text(encoding='utf-8')).items():
            if GLOSSARY.setdefault(english, chinese) != chinese:
                raise SystemExit('%s: %r is already translated as %r'
                    % (path, english, GLOSSARY[english]))


_load_topics()


def _load_context(module):
    """Return the (msgctxt, English) -> Chinese of module where a text reads
    otherwise than in the shared glossary"""
    path = GLOSSARY_FOLDER / 'context' / (module + '.json')
    if not path.exists():
        return {}
    return {(msgctxt, english): chinese
        for msgctxt, texts in json.loads(
            path.read_text(encoding='utf-8')).items()
        for english, chinese in texts.items()}


def fill(path):
    po = polib.pofile(path, wrapwidth=79)
    context = _load_context(pathlib.Path(path).resolve().parents[1].name)
    missing = []
    for entry in po:
        fuzzy = 'fuzzy' in entry.flags
        chinese = context.pop((entry.msgctxt, entry.msgid), None)
        if chinese is None:
            chinese = GLOSSARY.get(entry.msgid)
        if chinese is not None:
            # the glossary is the source of the texts: it also settles the
            # fuzzy guesses of the export and a text kept for a changed msgid
            entry.msgstr = chinese
            if fuzzy:
                entry.flags.remove('fuzzy')
        elif ((entry.msgctxt or '').startswith('report:')
                and (re.search('[\u3000-\u9fff\uff00-\uffef]', entry.msgid)
                    or not re.search('[A-Za-z]', entry.msgid))):
            # a report template written in Chinese (with its English
            # glosses) or punctuation needs no translation
            continue
        elif not entry.msgstr or fuzzy:
            missing.append((entry.msgctxt, entry.msgid))
    po.save(path)
    for msgctxt, msgid in context:
        # the module no longer has this text in this place
        missing.append(('%s (stale context entry)' % msgctxt, msgid))
    return missing


def _load_overrides():
    "Return the English -> Chinese of the host's messages"
    overrides = {}
    for path in sorted((GLOSSARY_FOLDER / 'override').glob('*.json')):
        for english, chinese in json.loads(
                path.read_text(encoding='utf-8')).items():
            if overrides.setdefault(english, chinese) != chinese:
                raise SystemExit('%s: %r is already translated as %r'
                    % (path, english, overrides[english]))
    return overrides


def dependencies(module):
    "Return the names of the modules module depends on, directly or not"
    from trytond.modules import get_module_info
    found, todo = set(), list(get_module_info(module).get('depends', []))
    while todo:
        name = todo.pop()
        if name not in found:
            found.add(name)
            todo.extend(get_module_info(name).get('depends', []))
    return sorted(found)


def suite_module(name):
    "Tell whether name is a module of the suite (of this repository)"
    return (ROOT / name / 'tryton.cfg').exists()


def host_dependencies(module):
    """Return the host modules whose texts the override of module translates:
    those module depends on, save the suite's modules and the host modules
    a suite module it depends on already overrides (microloan_accounting's
    override leaves ir, res, party... to microloan_core's)"""
    depends = dependencies(module)
    covered = set()
    for name in depends:
        if suite_module(name):
            covered.add(name)
            covered.update(dependencies(name))
    return [name for name in depends if name not in covered]


def host_messages(module):
    """Yield (module, xml id, text, plural text) of every ir.message of the
    host modules module's override translates (host_dependencies)"""
    from trytond.modules import get_module_info
    for name in host_dependencies(module):
        info = get_module_info(name)
        for filename in info.get('xml', []):
            tree = etree.parse(os.path.join(info['directory'], filename))
            for record in tree.iter('record'):
                if record.get('model') != 'ir.message':
                    continue
                texts = {f.get('name'): f.text for f in record.iter('field')}
                yield (name, record.get('id'), texts['text'],
                    texts.get('text_plural'))


def _xml_ids(name):
    "Return the ids of the records module name declares in its XML files"
    from trytond.modules import get_module_info
    info = get_module_info(name)
    ids = set()
    for filename in info.get('xml', []):
        tree = etree.parse(os.path.join(info['directory'], filename))
        ids.update(r.get('id') for r in tree.iter('record', 'menuitem'))
    return ids


def _host_entries(name, lang):
    "Return the entries of the host's own po of module name for lang"
    from trytond.modules import get_module_info
    path = os.path.join(
        get_module_info(name)['directory'], 'locale', lang + '.po')
    if not os.path.exists(path):
        return []
    return [e for e in polib.pofile(path) if not e.obsolete]


def write_overrides(path):
    """Write the override po of path (MODULE/locale/override/LANG.po) from
    the override glossaries; return the texts left untranslated

    Every text of the host modules of MODULE (host_dependencies) whose
    English is in the override glossaries is overridden: messages, model names, field
    strings and helps, selection labels, view and wizard button strings,
    menus, actions, buttons.  Every host message must have its Chinese; the
    other texts only where the suite shows them (tests/test_chinese_ui_rpc.py
    names those missing)."""
    path = pathlib.Path(path)
    module, lang = path.resolve().parents[2].name, path.stem
    overrides = _load_overrides()
    po = polib.POFile(wrapwidth=79)
    po.header = ('Chinese of the host texts a user of %s can meet,\n'
        'written by scripts/translate_zh_CN.py from '
        'scripts/glossary/override/: do not edit.' % module)
    po.metadata = {'Content-Type': 'text/plain; charset=utf-8'}
    missing = []
    messages = {(name, xml_id): text
        for name, xml_id, text, _ in host_messages(module)}
    for name in host_dependencies(module):
        xml_ids = _xml_ids(name)
        seen = set()
        for host in _host_entries(name, lang):
            ttype, model_field, res_id = host.msgctxt.split(':')
            if res_id and res_id not in xml_ids:
                # a record the host no longer has: Tryton skips it
                continue
            seen.add(host.msgctxt)
            chinese = overrides.get(host.msgid)
            if chinese is None:
                if (ttype, model_field) == ('model', 'ir.message,text'):
                    missing.append(('%s.%s' % (name, res_id), host.msgid))
                continue
            entry = polib.POEntry(
                msgctxt='%s:%s:%s.%s' % (ttype, model_field, name, res_id),
                msgid=host.msgid)
            if host.msgid_plural:
                entry.msgid_plural = host.msgid_plural
                entry.msgstr_plural = {0: chinese}
            else:
                entry.msgstr = chinese
            po.append(entry)
        for (message_module, xml_id), text in messages.items():
            if (message_module == name and 'model:ir.message,text:%s'
                    % xml_id not in seen):
                # Tryton overrides only a translation the host loaded
                missing.append(('%s.%s (not in the host\'s %s.po)'
                        % (name, xml_id, lang), text))
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return missing


def main():
    status = 0
    for path in sys.argv[1:]:
        if pathlib.Path(path).resolve().parent.name == 'override':
            for message, text in write_overrides(path):
                print('%s: untranslated %s %r' % (path, message, text))
                status = 1
            continue
        for context, msgid in fill(path):
            print('%s: untranslated %s %r' % (path, context, msgid))
            status = 1
    return status


if __name__ == '__main__':
    sys.exit(main())
