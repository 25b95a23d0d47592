# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""pytest integration of the suite's Tryton modules.

Two things pytest does not do by itself for Tryton modules:

* a test file inside a module folder is imported under the name the host
  gives it (``trytond.modules.<module>.tests.<file>``), so that the module's
  relative imports resolve to the very classes the Pool registered;
* ``scenario_*.rst`` files are run as doctests with Tryton's own set-up,
  tear-down and output checker (what ``load_doc_tests`` does for unittest),
  once per configuration of an optional ``scenario_*.json`` beside them.
"""
import doctest
import importlib
import json
import pathlib
import unittest

import pytest

ROOT = pathlib.Path(__file__).resolve().parent


def _tryton_module_root(path):
    "Return the suite module folder containing path, or None"
    for parent in path.parents:
        if parent == ROOT:
            return None
        if parent.parent == ROOT and (parent / 'tryton.cfg').exists():
            return parent


def _host_name(path):
    module_root = _tryton_module_root(path)
    if module_root is None:
        return None
    relative = path.relative_to(module_root).with_suffix('')
    return '.'.join(('trytond', 'modules', module_root.name, *relative.parts))


class HostModule(pytest.Module):
    "A test file of a suite module, imported by its host name"

    def _getobj(self):
        return importlib.import_module(self.host_name)


def pytest_pycollect_makemodule(module_path, parent):
    name = _host_name(pathlib.Path(module_path))
    if name is not None:
        module = HostModule.from_parent(parent, path=module_path)
        module.host_name = name
        return module


class ScenarioFile(pytest.File):
    "A scenario_*.rst doctest of a suite module"

    def collect(self):
        config = self.path.with_suffix('.json')
        if config.exists():
            configs = json.loads(config.read_text())
        else:
            configs = [{}]
        for i, globs in enumerate(configs):
            name = self.path.name if len(configs) == 1 else (
                '%s[%s]' % (self.path.name, i))
            yield ScenarioItem.from_parent(self, name=name, globs=globs)


class ScenarioFailure(Exception):
    pass


class ScenarioItem(pytest.Item):

    def __init__(self, *, globs, **kwargs):
        super().__init__(**kwargs)
        self.globs = globs

    def runtest(self):
        from trytond import backend
        from trytond.tests.test_tryton import (
            STRIP_DECIMAL, doctest_checker, doctest_setup, doctest_teardown)
        optionflags = (
            doctest.REPORT_ONLY_FIRST_FAILURE
            | doctest.ELLIPSIS
            | doctest.IGNORE_EXCEPTION_DETAIL)
        if backend.name == 'sqlite':
            optionflags |= STRIP_DECIMAL
        suite = doctest.DocFileSuite(
            str(self.path), module_relative=False,
            globs=dict(self.globs),
            setUp=doctest_setup, tearDown=doctest_teardown,
            encoding='utf-8', checker=doctest_checker,
            optionflags=optionflags)
        result = unittest.TestResult()
        suite.run(result)
        problems = result.failures + result.errors
        if problems:
            raise ScenarioFailure('\n'.join(text for _, text in problems))
        if not result.testsRun:
            raise ScenarioFailure('no doctest ran in %s' % self.path)

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, ScenarioFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, 'scenario: %s' % self.name


def pytest_collect_file(file_path, parent):
    if (file_path.suffix == '.rst'
            and file_path.name.startswith('scenario_')
            and _tryton_module_root(file_path) is not None):
        return ScenarioFile.from_parent(parent, path=file_path)
