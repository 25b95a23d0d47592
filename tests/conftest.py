# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Fixtures of the cross-module tests: a demo database made by the very
script ``make run`` uses, and a real trytond server (``python -O``) serving
it with the web client, on a free local port."""
import datetime as dt
import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from decimal import Decimal

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
SAO = ROOT / 'web' / 'node_modules' / 'tryton-sao'
ARTIFACTS = ROOT / 'var' / 'test-artifacts'


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _is_postgresql():
    return os.environ.get('TRYTOND_DATABASE_URI', '').startswith(
        'postgresql')


@pytest.fixture(scope='session')
def demo_database(tmp_path_factory):
    "Name and environment of a demo database built by scripts/setup_demo.py"
    path = tmp_path_factory.mktemp('demo-db')
    name = 'microloan_test_%s' % os.getpid()
    env = os.environ.copy()
    env['TRYTOND_DATABASE__PATH'] = str(path)
    for key in ['DB_NAME', 'DB_CACHE']:
        env.pop(key, None)
    subprocess.run(
        [sys.executable, str(ROOT / 'scripts' / 'setup_demo.py'),
            '--database', name, '--path', str(path)],
        env=env, check=True, cwd=ROOT,
        stdout=subprocess.DEVNULL)
    yield name, env
    if _is_postgresql():
        subprocess.run(
            [sys.executable, '-c',
                'import sys\n'
                'from trytond.transaction import Transaction\n'
                'with Transaction().start(None, 0, close=True, '
                'autocommit=True) as t:\n'
                '    t.database.drop(t.connection, sys.argv[1])\n',
                name], env=env, check=False)


@pytest.fixture(scope='session')
def server(demo_database):
    "URL of a trytond server with the web client serving the demo database"
    name, env = demo_database
    if not ((SAO / 'index.html').exists() and (SAO / 'custom.js').exists()):
        pytest.fail('the web client is not installed: run "make web"')
    port = _free_port()
    env = dict(env)
    env.update({
            'TRYTOND_DATABASE_NAMES': name,
            'TRYTOND_WEB__LISTEN': '127.0.0.1:%s' % port,
            'TRYTOND_WEB__ROOT': str(SAO),
            })
    trytond = pathlib.Path(sys.executable).parent / 'trytond'
    log = open(tmp_log(), 'w')
    process = subprocess.Popen(
        [sys.executable, '-O', str(trytond)], env=env, cwd=ROOT,
        stdout=log, stderr=subprocess.STDOUT)
    url = 'http://127.0.0.1:%s/' % port
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail('the server did not start, see %s' % log.name)
            time.sleep(0.3)
    served = {'url': url, 'database': name}
    _warm_up(served, process, log.name)
    yield served
    process.terminate()
    process.wait(timeout=30)
    log.close()


def _warm_up(served, process, log_name):
    """Log in once so that the server loads the database's pool before the
    tests start: on a busy machine the first login can take longer than a
    browser test waits for a dialog"""
    from .demo import setup_demo
    deadline = time.monotonic() + 300
    while True:
        try:
            rpc(served, 'common.db.login', [
                    'admin', {'password': setup_demo.ADMIN_PASSWORD}, 'en'],
                timeout=300)
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail('the server did not answer a login, see %s'
                    % log_name)
            time.sleep(1)


def tmp_log():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / 'trytond-server.log'


def _json_value(value):
    "The JSON-RPC form of the dates and decimals the web client sends"
    if isinstance(value, dt.datetime):
        return {'__class__': 'datetime', 'year': value.year,
            'month': value.month, 'day': value.day, 'hour': value.hour,
            'minute': value.minute, 'second': value.second,
            'microsecond': value.microsecond}
    if isinstance(value, dt.date):
        return {'__class__': 'date', 'year': value.year,
            'month': value.month, 'day': value.day}
    if isinstance(value, Decimal):
        return {'__class__': 'Decimal', 'decimal': str(value)}
    raise TypeError('%r is not sent by JSON-RPC' % (value,))


def rpc(server, method, params, session=None, path=None, timeout=60):
    "Call a JSON-RPC method of the server; return the result or raise"
    url = server['url'] + (path or server['database'] + '/rpc/')
    headers = {'Content-Type': 'application/json'}
    if session:
        import base64
        token = base64.b64encode(session.encode()).decode()
        headers['Authorization'] = 'Session ' + token
    request = urllib.request.Request(
        url, data=json.dumps({
                'id': 1, 'method': method, 'params': params},
            default=_json_value).encode(),
        headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        answer = json.loads(response.read())
    if answer.get('error'):
        raise RuntimeError(answer['error'])
    return answer['result']


def _has_chinese_font():
    fc_list = shutil.which('fc-list')
    if not fc_list:
        return False
    found = subprocess.run([fc_list, ':lang=zh'], capture_output=True,
        text=True, check=False)
    return bool(found.stdout.strip())


def which_chromium():
    """Return the paths of chromium and chromedriver, installing them (and a
    Chinese font, so that screenshots show the text) if missing"""
    chromium = shutil.which('chromium')
    driver = shutil.which('chromedriver')
    if not (chromium and driver and _has_chinese_font()):
        env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
        subprocess.run(['apt-get', 'update', '-qq'], check=True, env=env)
        subprocess.run(
            ['apt-get', 'install', '-y', '-qq', 'chromium', 'chromium-driver',
                'fonts-noto-cjk'],
            check=True, env=env, stdout=subprocess.DEVNULL)
        chromium = shutil.which('chromium')
        driver = shutil.which('chromedriver')
    return chromium, driver


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    "Make each phase's report available to fixtures as item.rep_<phase>"
    report = yield
    setattr(item, 'rep_' + report.when, report)
    return report
