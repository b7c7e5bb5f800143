"""Cold start: CPU time to import the API handler in a fresh interpreter, beside `import boto3` alone.

Measured twice: from the repository, and from the Lambda package exactly as `make deploy` builds it (infra
synth of one stage, unzipped: app code and dependency layer, nothing of the repository on sys.path, `python
-I -S`). Median of N fresh processes each. "without .pyc" points Python at an empty bytecode cache, which is
what Lambda does with a source-only package: every module is compiled at every cold start.
"""

import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from bench.common import median, report

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("firebase_admin", "PIL", "google", "grpc")
PROBE = """
import json, sys, time
sys.path[:0] = {paths!r}
t = time.process_time()
import {module}
cpu = time.process_time() - t
heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r}))
print(json.dumps({{"cpu_ms": cpu * 1000, "heavy": heavy}}))
"""


def import_cpu_ms(module: str, bytecode: bool, paths: list[str], isolated: bool) -> tuple[float, list[str]]:
    env = {**os.environ, "PYTHONPATH": "" if isolated else str(ROOT)}
    flags = ["-I", "-S"] if isolated else []
    with tempfile.TemporaryDirectory() as empty_cache:
        if not bytecode:  # (the package ships its .pyc: only the repository is measured without)
            env.update(PYTHONPYCACHEPREFIX=empty_cache, PYTHONDONTWRITEBYTECODE="1")
        probe = PROBE.format(module=module, heavy=HEAVY, paths=paths)
        out = subprocess.run(
            [sys.executable, *flags, "-c", probe],
            capture_output=True,
            text=True,
            check=True,
            cwd=paths[0] if paths else ROOT,
            env=env,
        ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    return result["cpu_ms"], result["heavy"]


def measure(module: str, bytecode: bool, runs: int, paths: list[str], isolated: bool) -> tuple[float, list[str]]:
    import_cpu_ms(module, bytecode, paths, isolated)  # warm the OS file cache; not counted
    samples = [import_cpu_ms(module, bytecode, paths, isolated) for _ in range(runs)]
    return median(s[0] for s in samples), samples[-1][1]


def unzipped_package(into: Path) -> list[str]:
    """Builds the dev stage's package as `make deploy` does and unzips it the way Lambda lays it out."""
    sys.path.insert(0, str(ROOT))
    from infra.app import build_app

    app = build_app(outdir=str(into / "cdk.out"), build_dir=into / "chalice", stages="dev")
    built = app.node.find_child("dev").chalice.package_dir
    zipfile.ZipFile(built / "deployment.zip").extractall(into / "task")
    zipfile.ZipFile(built / "layer-deployment.zip").extractall(into / "opt")
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    return [str(into / "task"), str(into / "opt" / "python" / "lib" / version / "site-packages")]


def main(runs: int = 9) -> None:
    repo = ([], False)
    boto3_ms, _ = measure("boto3", True, runs, *repo)
    app_ms, heavy = measure("app", True, runs, *repo)
    app_source_ms, _ = measure("app", False, runs, *repo)
    print(
        f"repository: import boto3 {boto3_ms:.1f} ms CPU; import app {app_ms:.1f} ms with .pyc, "
        f"{app_source_ms:.1f} ms without (median of {runs}); heavy modules loaded: {heavy or 'none'}"
    )
    report("cold import app / import boto3, repository (with .pyc)", app_ms / boto3_ms, "x", 1.0)
    report("heavy modules loaded by importing app", float(len(heavy)), "modules", 0.0)
    with tempfile.TemporaryDirectory() as scratch:
        package = (unzipped_package(Path(scratch)), True)
        package_boto3_ms, _ = measure("boto3", True, runs, *package)
        package_app_ms, package_heavy = measure("app", True, runs, *package)
    print(
        f"package: import boto3 {package_boto3_ms:.1f} ms CPU; import app {package_app_ms:.1f} ms "
        f"(shipped .pyc, median of {runs}); heavy modules loaded: {package_heavy or 'none'}"
    )
    report("cold import app / import boto3, Lambda package", package_app_ms / package_boto3_ms, "x", 1.0)
    report("cold import app, ms CPU, Lambda package", package_app_ms, "ms")
    report("cold import app, ms CPU, repository without .pyc", app_source_ms, "ms")
    report("heavy modules loaded by the packaged app", float(len(package_heavy)), "modules", 0.0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
