"""Small database and module checks used by the container entrypoint.

It reads the same configuration as trytond (TRYTOND_* variables and the
optional TRYTOND_CONFIG file), so the entrypoint never parses a database URI
itself.  PostgreSQL is the only backend supported by the deployment; for any
other URI scheme the database commands do nothing and succeed.

Usage:
    deploy_helper.py wait [SECONDS]       wait until PostgreSQL accepts connections
    deploy_helper.py ensure-database NAME create NAME if it does not exist
    deploy_helper.py initialised NAME     exit 0 when NAME holds a Tryton database
    deploy_helper.py modules              print the installed microloan_* modules
    deploy_helper.py healthcheck URL      ask a trytond web process for its version
"""
import json
import sys
import time
import urllib.request

MODULE_PREFIX = 'microloan_'


def _uri():
    from trytond import config
    return config.parse_uri(config.get('database', 'uri'))


def _conninfo(database_name):
    return _uri()._replace(scheme='postgresql', path='/' + database_name).geturl()


def _maintenance_database():
    from trytond import config
    return config.get('database', 'default_name', default='template1')


def _is_postgresql():
    return _uri().scheme.startswith('postgresql')


def wait(timeout='60'):
    if not _is_postgresql():
        return 0
    import psycopg
    deadline = time.monotonic() + float(timeout)
    while True:
        try:
            with psycopg.connect(
                    _conninfo(_maintenance_database()), connect_timeout=5):
                return 0
        except psycopg.OperationalError as exception:
            if time.monotonic() > deadline:
                print(f'database server unreachable: {exception}',
                    file=sys.stderr)
                return 1
            time.sleep(2)


def ensure_database(name):
    if not _is_postgresql():
        return 0
    import psycopg
    from psycopg import sql
    with psycopg.connect(
            _conninfo(_maintenance_database()), autocommit=True) as conn:
        exists = conn.execute(
            'SELECT 1 FROM pg_database WHERE datname = %s', (name,)).fetchone()
        if not exists:
            # Same template and encoding as trytond uses for the databases it
            # creates itself.
            conn.execute(sql.SQL(
                    "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'"
                    ).format(sql.Identifier(name)))
            print(f'created database "{name}"', file=sys.stderr)
    return 0


def initialised(name):
    if not _is_postgresql():
        return 1
    import psycopg
    try:
        with psycopg.connect(_conninfo(name)) as conn:
            found = conn.execute(
                'SELECT 1 FROM information_schema.tables '
                "WHERE table_name = 'ir_configuration'").fetchone()
    except psycopg.OperationalError:
        return 1
    return 0 if found else 1


def modules():
    from trytond.modules import get_modules
    names = sorted(m for m in get_modules() if m.startswith(MODULE_PREFIX))
    print(' '.join(names))
    return 0 if names else 1


def healthcheck(url):
    body = json.dumps({
            'id': 0, 'method': 'common.server.version', 'params': []})
    request = urllib.request.Request(
        url, data=body.encode(), method='POST',
        headers={'Content-Type': 'application/json'})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            result = json.load(response).get('result')
    except Exception as exception:
        print(f'unhealthy: {exception}', file=sys.stderr)
        return 1
    if not result:
        print('unhealthy: no version in the answer', file=sys.stderr)
        return 1
    return 0


COMMANDS = {
    'wait': wait,
    'ensure-database': ensure_database,
    'initialised': initialised,
    'modules': modules,
    'healthcheck': healthcheck,
    }


def main(argv):
    if len(argv) < 2 or argv[1] not in COMMANDS:
        print(__doc__, file=sys.stderr)
        return 2
    return COMMANDS[argv[1]](*argv[2:])


if __name__ == '__main__':
    sys.exit(main(sys.argv))
