"""The set-up of `make run`: a too-old Python is named before anything is installed, a .venv an older Python
left behind is rebuilt, and the stamp is written only after an install that succeeded. Fake interpreters stand
in for Python 3.10 and 3.11, so nothing is downloaded."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Answers `--version`, the version check (`-c ...`: exit 0 when "new enough") and `-m venv DIR`.
FAKE_PYTHON = """#!/bin/sh
case "$1" in
  --version) echo "Python {version}";;
  -c) exit {check_status};;
  -m) mkdir -p "$3/bin" && cp "{good}" "$3/bin/python" && cp "{pip}" "$3/bin/pip";;
esac
"""
FAKE_PIP = '#!/bin/sh\necho "pip $*" >> "$(dirname "$0")/../pip.log"\nexit {status}\n'

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def _executable(path: Path, text: str) -> Path:
    path.write_text(text)
    path.chmod(0o755)
    return path


@pytest.fixture
def fakes(tmp_path):
    def make(pip_status: int = 0) -> dict[str, Path]:
        pip = _executable(tmp_path / "pip", FAKE_PIP.format(status=pip_status))
        good = tmp_path / "python3.11"
        _executable(good, FAKE_PYTHON.format(version="3.11.9", check_status=0, good=good, pip=pip))
        old = _executable(
            tmp_path / "python3.10", FAKE_PYTHON.format(version="3.10.12", check_status=1, good=good, pip=pip)
        )
        return {"good": good, "old": old}

    return make


def _make(tmp_path: Path, python: Path) -> subprocess.CompletedProcess:
    venv = tmp_path / "venv"
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), f"PYTHON={python}", f"VENV={venv}", str(venv / ".installed")],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_python_3_10_is_refused_with_its_version_and_the_way_out(tmp_path, fakes):
    done = _make(tmp_path, fakes()["old"])
    assert done.returncode != 0
    assert "Python 3.11 or newer is needed" in done.stderr and "3.10.12" in done.stderr
    assert "PYTHON=python3.11" in done.stderr
    assert not (tmp_path / "venv").exists()


def test_a_venv_of_an_older_python_is_rebuilt_and_a_failed_install_writes_no_stamp(tmp_path, fakes):
    python = fakes(pip_status=1)
    left_behind = tmp_path / "venv" / "bin"
    left_behind.mkdir(parents=True)
    shutil.copy(python["old"], left_behind / "python")  # what a first attempt with Python 3.10 left
    failed = _make(tmp_path, python["good"])
    assert failed.returncode != 0
    assert "Creating" in failed.stdout and "Installing pinned dependencies" in failed.stdout
    assert (tmp_path / "venv" / "pip.log").exists()  # pip ran in the rebuilt venv
    assert not (tmp_path / "venv" / ".installed").exists()

    python = fakes(pip_status=0)
    shutil.copy(tmp_path / "pip", tmp_path / "venv" / "bin" / "pip")  # the network is back
    done = _make(tmp_path, python["good"])
    assert done.returncode == 0, done.stderr
    assert "Creating" not in done.stdout and (tmp_path / "venv" / ".installed").exists()
