# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Fixtures of the browser tests: Debian's headless Chromium in Chinese at
1400x900, saving what it downloads in the test's ``downloads`` folder, and
what it showed when a test failed (var/test-artifacts/failure-<test>.png
and .log)."""
import pytest

from ..conftest import ARTIFACTS, which_chromium
from .web import webdriver


@pytest.fixture
def downloads(tmp_path):
    "The folder where the browser saves the files it downloads"
    path = tmp_path / 'downloads'
    path.mkdir()
    return path


@pytest.fixture
def browser(downloads):
    chromium, chromedriver = which_chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in [
            '--headless=new', '--no-sandbox', '--disable-gpu',
            '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update',
            '--disable-sync', '--lang=zh-CN', '--window-size=1400,900']:
        options.add_argument(argument)
    options.add_experimental_option('prefs', {
            'intl.accept_languages': 'zh-CN,zh',
            'download.default_directory': str(downloads),
            'download.prompt_for_download': False,
            'profile.default_content_setting_values.automatic_downloads': 1,
            'plugins.always_open_pdf_externally': True,
            })
    options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    service = webdriver.ChromeService(executable_path=chromedriver)
    driver = webdriver.Chrome(options=options, service=service)
    if downloads:
        driver.execute_cdp_cmd('Browser.setDownloadBehavior', {
                'behavior': 'allow', 'downloadPath': str(downloads)})
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
