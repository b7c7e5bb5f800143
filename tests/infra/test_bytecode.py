"""The deployment zip ships .pyc that Python uses as is, without looking at the source."""

import subprocess
import sys
import zipfile

import pytest

from infra.bytecode import add_bytecode

RUNTIME = f"python{sys.version_info.major}.{sys.version_info.minor}"


def _package(tmp_path):
    zip_path = tmp_path / "deployment.zip"
    with zipfile.ZipFile(zip_path, "w") as archive:
        archive.writestr("app.py", "import lib.answer\nVALUE = lib.answer.VALUE\n")
        archive.writestr("lib/__init__.py", "")
        archive.writestr("lib/answer.py", "VALUE = 42\n")
        archive.writestr("lib/py2_leftover.py", "print 'old'\n")
    return zip_path


def test_every_module_gets_bytecode_for_the_runtime(tmp_path):
    zip_path = _package(tmp_path)
    assert add_bytecode(zip_path, RUNTIME) == 3
    names = zipfile.ZipFile(zip_path).namelist()
    tag = sys.implementation.cache_tag
    assert f"lib/__pycache__/answer.{tag}.pyc" in names and "lib/answer.py" in names


def test_python_loads_the_shipped_bytecode_without_the_source_being_trusted(tmp_path):
    zip_path = _package(tmp_path)
    add_bytecode(zip_path, RUNTIME)
    task = tmp_path / "task"
    zipfile.ZipFile(zip_path).extractall(task)
    (task / "lib" / "answer.py").write_text("raise SystemExit('source was recompiled')\n")
    out = subprocess.run(
        [sys.executable, "-B", "-c", "import app; print(app.VALUE)"], cwd=task, capture_output=True, text=True
    )
    assert out.stdout.strip() == "42", out.stderr


def test_refuses_another_runtime(tmp_path):
    with pytest.raises(RuntimeError, match="python3.0"):
        add_bytecode(_package(tmp_path), "python3.0")
