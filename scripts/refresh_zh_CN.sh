#!/usr/bin/env bash
# Re-export the translatable texts of the suite's modules into their
# locale/zh_CN.po and fill them from the glossaries (scripts/glossary/*.json);
# the host's messages each module's users meet are rewritten into its
# locale/override/zh_CN.po.  Fails, listing them, while a text has no
# Chinese.  Uses a throw-away SQLite database.
#
#   scripts/refresh_zh_CN.sh                        every module of the suite
#   scripts/refresh_zh_CN.sh microloan_accounting   only the modules named
#
# The modules are activated one after the other in the order of MODULES (a
# module after those it depends on), each exported as soon as it is
# activated: microloan_core is exported from a database that has it and its
# host dependencies only, whichever modules are refreshed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
ADMIN=$(dirname "$PY")/trytond-admin
MODULES=(microloan_core microloan_accounting)
if (( $# )); then
    for module in "$@"; do
        [[ " ${MODULES[*]} " == *" $module "* ]] \
            || { echo "$0: $module is not a module of the suite" >&2; exit 2; }
    done
    wanted=" $* "
else
    wanted=" ${MODULES[*]} "
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TRYTOND_DATABASE__PATH=$work
unset TRYTOND_DATABASE_URI TRYTOND_DATABASE__URI
: > "$work/po.sqlite"
echo admin > "$work/password"
export TRYTONPASSFILE=$work/password
"$PY" "$ADMIN" -d po --all --email admin@example.com >/dev/null
status=0
for module in "${MODULES[@]}"; do
    [[ $wanted == *" $module "* ]] || continue
    "$PY" "$ADMIN" -d po -u "$module" --activate-dependencies --all -l zh_CN \
        >/dev/null
    "$PY" "$ADMIN" -d po -u "$module" -l zh_CN --export-translations \
        >/dev/null
    "$PY" scripts/translate_zh_CN.py "$module/locale/zh_CN.po" || status=1
    "$PY" scripts/translate_zh_CN.py "$module/locale/override/zh_CN.po" \
        || status=1
done
exit $status
