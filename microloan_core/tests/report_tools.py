# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""What the PDF reports need on the machine: LibreOffice (soffice), which
Tryton runs to convert the rendered ODT to PDF, a Chinese font for the
prints' text, and poppler's pdftotext and pdftoppm to read the PDF back and
picture its first page in the tests (pdf_text, save_first_page).

``python -m trytond.modules.microloan_core.tests.report_tools`` (or the
file run directly) installs them with Debian's packages when missing."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Debian packages: the writer without its desktop parts, a CJK font, and
# poppler's pdftotext and pdftoppm
PACKAGES = ['libreoffice-writer-nogui', 'fonts-noto-cjk', 'poppler-utils']


def missing_tools():
    "Return the commands the reports need that are not on the PATH"
    return [c for c in ['soffice', 'pdftotext', 'pdftoppm']
        if not shutil.which(c)]


def ensure_soffice():
    """Install LibreOffice Writer, the CJK fonts and pdftotext with apt-get
    when soffice or pdftotext is missing; return the path of soffice.

    Runs apt-get non-interactively (root needed); raises
    subprocess.CalledProcessError when the installation fails."""
    if missing_tools():
        env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
        subprocess.run(['apt-get', 'update', '-qq'], check=True, env=env)
        subprocess.run(
            ['apt-get', 'install', '-y', '-qq', '--no-install-recommends']
            + PACKAGES, check=True, env=env)
    return shutil.which('soffice')


def pdf_text(content):
    "Return the text of the PDF content (pdftotext, layout kept)"
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory, 'print.pdf')
        path.write_bytes(bytes(content))
        return subprocess.run(
            ['pdftotext', '-layout', '-enc', 'UTF-8', str(path), '-'],
            check=True, capture_output=True).stdout.decode('utf-8')


def compact(text):
    "Return text without any white space"
    return re.sub(r'\s+', '', text)


def english_words(text):
    """Return the English words of a print's text: runs of two or more
    Latin letters (a contract number like HT2026000001 is not a word)"""
    return [w for w in re.findall(r'[A-Za-z][A-Za-z0-9]*', text)
        if len(w) > 1 and not any(c.isdigit() for c in w)]


def save_first_page(content, name, directory=None):
    """Keep page 1 of the PDF content as name.png (pdftoppm, 100 dpi) in
    var/test-artifacts (or directory) for a person to look at; return its
    path"""
    directory = Path(directory or Path(__file__).resolve().parents[2]
        / 'var' / 'test-artifacts')
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, 'print.pdf')
        path.write_bytes(bytes(content))
        subprocess.run(
            ['pdftoppm', '-png', '-r', '100', '-f', '1', '-l', '1',
                '-singlefile', str(path), str(directory / name)],
            check=True, capture_output=True)
    return directory / (name + '.png')


if __name__ == '__main__':
    path = ensure_soffice()
    print(path or 'soffice not found')
    sys.exit(0 if path else 1)
