# This file is part of microloan.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""What the PDF reports need on the machine: LibreOffice (soffice), which
Tryton runs to convert the rendered ODT to PDF, a Chinese font for the
contract text, and pdftotext to read the PDF back in the tests.

``python -m trytond.modules.microloan_core.tests.report_tools`` (or the
file run directly) installs them with Debian's packages when missing."""
import os
import shutil
import subprocess
import sys

# Debian packages: the writer without its desktop parts, a CJK font, and
# poppler's pdftotext
PACKAGES = ['libreoffice-writer-nogui', 'fonts-noto-cjk', 'poppler-utils']


def missing_tools():
    "Return the commands the reports need that are not on the PATH"
    return [c for c in ['soffice', 'pdftotext'] if not shutil.which(c)]


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


if __name__ == '__main__':
    path = ensure_soffice()
    print(path or 'soffice not found')
    sys.exit(0 if path else 1)
