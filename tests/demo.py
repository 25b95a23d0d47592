# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The demo data of scripts/setup_demo.py, for the tests that check it"
import importlib.util
import pathlib

_path = pathlib.Path(__file__).resolve().parent.parent / 'scripts' / (
    'setup_demo.py')
_spec = importlib.util.spec_from_file_location('setup_demo', _path)
setup_demo = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(setup_demo)
