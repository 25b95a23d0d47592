# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Fixtures of the browser tests: Debian's headless Chromium in Chinese at
1400x900 (saving what it downloads in download_dir when the test asks for
that fixture), and what it showed when a test failed (var/test-artifacts/
failure-<test>.png and .log)."""
import pytest

from ..conftest import ARTIFACTS, which_chromium
from .web import webdriver


@pytest.fixture
def download_dir(tmp_path):
    """The folder where the browser saves the files the test downloads (a
    test asking for it gets a browser that saves there without asking)"""
    path = tmp_path / 'downloads'
    path.mkdir()
    return path


@pytest.fixture
def browser(request):
    chromium, chromedriver = which_chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in [
            '--headless=new', '--no-sandbox', '--disable-gpu',
            '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update',
            '--disable-sync', '--lang=zh-CN', '--window-size=1400,900']:
        options.add_argument(argument)
    prefs = {'intl.accept_languages': 'zh-CN,zh'}
    download_dir = None
    if 'download_dir' in request.fixturenames:
        download_dir = request.getfixturevalue('download_dir')
        prefs.update({
                'download.default_directory': str(download_dir),
                'download.prompt_for_download': False,
                'plugins.always_open_pdf_externally': True,
                })
    options.add_experimental_option('prefs', prefs)
    options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    service = webdriver.ChromeService(executable_path=chromedriver)
    driver = webdriver.Chrome(options=options, service=service)
    if download_dir:
        driver.execute_cdp_cmd('Browser.setDownloadBehavior', {
                'behavior': 'allow', 'downloadPath': str(download_dir)})
    yield driver
    driver.quit()


@pytest.fixture
def screenshot_on_failure(browser, request):
    "Keep what the browser showed when the test failed"
    yield
    report = getattr(request.node, 'rep_call', None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = 'failure-%s' % request.node.name
        browser.save_screenshot(str(ARTIFACTS / ('%s.png' % name)))
        (ARTIFACTS / ('%s.log' % name)).write_text('\n'.join(
                str(entry) for entry in browser.get_log('browser')))
