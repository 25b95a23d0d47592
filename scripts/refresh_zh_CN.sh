#!/usr/bin/env bash
# Re-export microloan_core's translatable texts into locale/zh_CN.po and fill
# them from the glossaries (scripts/glossary/*.json); the host's messages the
# suite shows are rewritten into locale/override/zh_CN.po.  Fails, listing
# them, while a text has no Chinese.  Uses a throw-away SQLite database.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
ADMIN=$(dirname "$PY")/trytond-admin
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TRYTOND_DATABASE__PATH=$work
unset TRYTOND_DATABASE_URI TRYTOND_DATABASE__URI
: > "$work/po.sqlite"
echo admin > "$work/password"
export TRYTONPASSFILE=$work/password
"$PY" "$ADMIN" -d po --all --email admin@example.com >/dev/null
"$PY" "$ADMIN" -d po -u microloan_core --activate-dependencies --all -l zh_CN \
    >/dev/null
"$PY" "$ADMIN" -d po -u microloan_core -l zh_CN --export-translations \
    >/dev/null
"$PY" scripts/translate_zh_CN.py microloan_core/locale/zh_CN.po
"$PY" scripts/translate_zh_CN.py microloan_core/locale/override/zh_CN.po
