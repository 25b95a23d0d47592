#!/bin/bash
# Entrypoint of the microloan image: one image, one role per container.
#
#   admin        create the database if needed, activate/upgrade the modules,
#                load the languages (one-shot job, run it before the others)
#   admin-password  set the admin password from TRYTON_ADMIN_PASSWORD(_FILE)
#   web          JSON-RPC/REST server: gunicorn + trytond.application:app
#   bus          long-polling bus (notifications, chat) on gevent
#   worker       trytond-worker, executes the ir.queue tasks
#   cron         trytond-cron, runs the scheduled actions (run exactly one)
#   console      trytond-console on the database (interactive: docker run -it)
#   healthcheck  exit 0 when the web/bus process of this container answers
#   anything else is executed as is (bash, trytond-admin --help, ...)
#
# Every Python process runs with -O: trytond 8.0 keeps an assert in record
# instantiation that makes browsing N records cost O(N^2).
# The variables are described in docker/README.md.
set -euo pipefail

HELPER=${MICROLOAN_HELPER:-/usr/local/lib/microloan/deploy_helper.py}
PYTHON=${PYTHON:-python}

log() { printf '[microloan-entrypoint] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

is_true() {
    case "${1,,}" in
        1|yes|true|on) return 0 ;;
        *) return 1 ;;
    esac
}

# NAME_FILE=/run/secrets/x sets NAME to the content of the file, so secrets
# can be mounted as files instead of being passed in the environment.
load_file_secrets() {
    local file_var var
    for file_var in $(compgen -e); do
        [[ $file_var == *_FILE ]] || continue
        var=${file_var%_FILE}
        case $var in
            TRYTOND_*|POSTGRES_PASSWORD|PGPASSWORD|TRYTON_ADMIN_PASSWORD) ;;
            *) continue ;;
        esac
        [ -z "${!var:-}" ] || die "both $var and $file_var are set"
        [ -r "${!file_var}" ] || die "$file_var: cannot read ${!file_var}"
        export "$var=$(cat "${!file_var}")"
        unset "$file_var"
    done
}

configure_database() {
    TRYTON_DB=${TRYTON_DB:-microloan}
    if [ -z "${TRYTOND_DATABASE__URI:-}" ]; then
        # The password stays out of the URI: libpq reads PGPASSWORD.
        export TRYTOND_DATABASE__URI="postgresql://${POSTGRES_USER:-tryton}@${POSTGRES_HOST:-postgres}:${POSTGRES_PORT:-5432}/"
    fi
    if [ -z "${PGPASSWORD:-}" ] && [ -n "${POSTGRES_PASSWORD:-}" ]; then
        export PGPASSWORD=$POSTGRES_PASSWORD
    fi
    unset POSTGRES_PASSWORD
    # A freshly started trytond only serves the databases it has loaded;
    # listing them here loads them at start-up.
    export TRYTOND_DATABASE_NAMES=${TRYTOND_DATABASE_NAMES:-$TRYTON_DB}
}

# trytond-admin reads the admin password from the file named by
# TRYTONPASSFILE; the temporary copy is removed when the script ends.
PASSFILE=''
trap '[ -z "$PASSFILE" ] || rm -f "$PASSFILE"' EXIT
write_passfile() {
    PASSFILE=$(mktemp)
    printf '%s\n' "$TRYTON_ADMIN_PASSWORD" > "$PASSFILE"
}

wait_for_database() {
    "$PYTHON" -O "$HELPER" wait "${DB_WAIT_TIMEOUT:-60}" \
        || die "PostgreSQL is not reachable"
}

run_admin() {
    wait_for_database
    "$PYTHON" -O "$HELPER" ensure-database "$TRYTON_DB"

    local modules
    if [ -n "${MICROLOAN_MODULES:-}" ]; then
        modules=$MICROLOAN_MODULES
    else
        modules=$("$PYTHON" -O "$HELPER" modules) \
            || die "no microloan_* module is installed; set MICROLOAN_MODULES"
    fi
    local module_list languages
    modules="$modules ${MICROLOAN_EXTRA_MODULES:-}"
    read -r -a module_list <<< "${modules//,/ }"
    local wanted_languages=${TRYTON_LANGUAGES-zh_CN en}
    read -r -a languages <<< "${wanted_languages//,/ }"

    # -u must come before --all: --all extends the list, -u replaces it.
    local args=(-d "$TRYTON_DB" -u "${module_list[@]}" --all
        --activate-dependencies)
    if [ ${#languages[@]} -gt 0 ]; then
        args+=(-l "${languages[@]}")
    fi

    local answers=''
    if "$PYTHON" -O "$HELPER" initialised "$TRYTON_DB"; then
        log "upgrading database \"$TRYTON_DB\": ${module_list[*]}"
    else
        log "initialising database \"$TRYTON_DB\": ${module_list[*]}"
        if [ -z "${TRYTONPASSFILE:-}" ]; then
            [ -n "${TRYTON_ADMIN_PASSWORD:-}" ] || die "a new database needs" \
                "TRYTON_ADMIN_PASSWORD (or TRYTON_ADMIN_PASSWORD_FILE)"
            write_passfile
            export TRYTONPASSFILE=$PASSFILE
        fi
        if [ -n "${TRYTON_ADMIN_EMAIL:-}" ]; then
            args+=(--email "$TRYTON_ADMIN_EMAIL")
        else
            # trytond-admin asks for the admin email of a new database; an
            # empty answer means none.
            answers=$'\n'
        fi
    fi
    printf '%s' "$answers" | "$PYTHON" -O -m trytond.cli.admin "${args[@]}"
    log "database \"$TRYTON_DB\" is up to date"
}

run_admin_password() {
    # Set the admin password of an existing database from
    # TRYTON_ADMIN_PASSWORD(_FILE).
    [ -n "${TRYTON_ADMIN_PASSWORD:-}" ] || die "TRYTON_ADMIN_PASSWORD is not set"
    wait_for_database
    write_passfile
    TRYTONPASSFILE=$PASSFILE "$PYTHON" -O -m trytond.cli.admin \
        -d "$TRYTON_DB" --password < /dev/null
}

run_web() {
    wait_for_database
    local args=(
        --bind "${TRYTOND_WEB__LISTEN:-0.0.0.0:8000}"
        --workers "${WEB_WORKERS:-4}"
        --worker-class gthread
        --threads "${WEB_THREADS:-4}"
        --timeout "${WEB_TIMEOUT:-120}"
        --graceful-timeout "${WEB_GRACEFUL_TIMEOUT:-30}"
        --worker-tmp-dir /dev/shm
        --access-logfile -
        --error-logfile -
    )
    if [ "${WEB_MAX_REQUESTS:-0}" -gt 0 ]; then
        args+=(--max-requests "$WEB_MAX_REQUESTS"
            --max-requests-jitter $((WEB_MAX_REQUESTS / 10 + 1)))
    fi
    # Loading the modules once in the gunicorn master and forking saves
    # memory; trytond.application closes its connections before the fork.
    if is_true "${WEB_PRELOAD:-true}"; then
        args+=(--preload)
    fi
    exec "$PYTHON" -O -m gunicorn "${args[@]}" trytond.application:app
}

run_bus() {
    wait_for_database
    is_true "${TRYTOND_BUS__ALLOW_SUBSCRIBE:-false}" \
        || log "warning: TRYTOND_BUS__ALLOW_SUBSCRIBE is off, clients will not subscribe"
    exec "$PYTHON" -O -m trytond.cli --coroutine
}

run_worker() {
    wait_for_database
    # trytond-worker silently does nothing when the queue is off.
    is_true "${TRYTOND_QUEUE__WORKER:-false}" \
        || die "TRYTOND_QUEUE__WORKER must be True for a worker"
    local args=(-n "${WORKER_PROCESSES:-2}")
    if [ -n "${WORKER_MAX_TASKS:-}" ]; then
        args+=(--max "$WORKER_MAX_TASKS")
    fi
    if [ -n "${WORKER_QUEUE:-}" ]; then
        args+=(--name "$WORKER_QUEUE")
    fi
    exec "$PYTHON" -O -m trytond.cli.worker "${args[@]}"
}

run_cron() {
    wait_for_database
    exec "$PYTHON" -O -m trytond.cli.cron -n "${CRON_PROCESSES:-1}"
}

run_console() {
    wait_for_database
    exec "$PYTHON" -O -m trytond.cli.console -d "$TRYTON_DB" "$@"
}

run_healthcheck() {
    local listen=${TRYTOND_WEB__LISTEN:-0.0.0.0:8000}
    exec "$PYTHON" -O "$HELPER" healthcheck \
        "http://127.0.0.1:${listen##*:}/rpc/"
}

main() {
    local command=${1:-web}
    shift || true
    load_file_secrets
    configure_database
    case $command in
        admin) run_admin ;;
        admin-password) run_admin_password ;;
        web) run_web ;;
        bus) run_bus ;;
        worker) run_worker ;;
        cron) run_cron ;;
        console) run_console "$@" ;;
        healthcheck) run_healthcheck ;;
        help|--help|-h) sed -n '2,17p' "$0" ;;
        *) exec "$command" "$@" ;;
    esac
}

main "$@"
