# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""What counts as English in a text the suite shows in a Chinese session:
the rule shared by the RPC sweep (test_chinese_ui_rpc.py), the browser test
(browser/test_chinese_ui.py) and the web client's own texts
(test_sao_locale.py)."""
import re

# Words allowed in a Chinese screen, each for its reason (keep it short):
ALLOWED = {
    # the record identifier column and label of every Tryton list and form
    'ID',
    # names of file formats the user picks or receives
    'PDF', 'Excel', 'CSV', 'XML', 'JSON', 'URL', 'JPEG', 'PNG',
    # the name of the web client, shown as the title of its top bar, and
    # of its expression language, in messages only an administrator meets
    'Tryton', 'PYSON',
    # codes of Chinese lending regulation and identity: the annual
    # percentage rate, the unified social credit code, internal rate of
    # return
    'APR', 'USCC', 'IRR',
    # a customer grade every Chinese business writes so
    'VIP',
    # products and protocols the host offers as contact types
    'Skype', 'Jabber', 'IRC', 'SIP',
    # the company currency's ISO code the web client shows beside the user
    'CNY',
    # the name of the host's built-in account, which it lets nobody rename,
    # shown as the author of the records the demo set up
    'Administrator',
    }
# Placeholders of messages and of the web client (%(name)s, %s, %1, {0}),
# e-mail addresses and links: not words
PLACEHOLDER = re.compile(
    r'%\([^)]*\)[a-z]|%[sdrfi]|%\d|\{[^}]*\}|\S+@\S+|https?://\S+')
# Two letters or more, not joined to a digit: letters joined to digits are a
# code (the number JJ2026000001, the product XF01), not a word
WORD = re.compile(r'(?<![A-Za-z0-9])[A-Za-z][A-Za-z\']+(?![A-Za-z0-9])')


def english_words(text):
    "Return the English words of text that are not allowed, in order"
    if not text:
        return []
    text = PLACEHOLDER.sub(' ', str(text))
    # a button's text may be shown in capitals by the client's style (EXCEL)
    allowed = ALLOWED | {word.upper() for word in ALLOWED}
    return [w for w in WORD.findall(text) if w.strip("'") not in allowed]
