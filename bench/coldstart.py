"""Cold start: CPU time to import the API handler in a fresh interpreter, beside `import boto3` alone.

Median of N fresh processes each. "without .pyc" points Python at an empty bytecode cache, which is
what Lambda does with Chalice's source-only package: every module is compiled at every cold start.
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import median, report

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("firebase_admin", "PIL", "google", "grpc")
PROBE = """
import json, sys, time
t = time.process_time()
import {module}
cpu = time.process_time() - t
heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r}))
print(json.dumps({{"cpu_ms": cpu * 1000, "heavy": heavy}}))
"""


def import_cpu_ms(module: str, bytecode: bool) -> tuple[float, list[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as empty_cache:
        if not bytecode:
            env.update(PYTHONPYCACHEPREFIX=empty_cache, PYTHONDONTWRITEBYTECODE="1")
        out = subprocess.run([sys.executable, "-c", PROBE.format(module=module, heavy=HEAVY)],
                             capture_output=True, text=True, check=True, cwd=ROOT, env=env).stdout
    result = json.loads(out.strip().splitlines()[-1])
    return result["cpu_ms"], result["heavy"]


def measure(module: str, bytecode: bool, runs: int) -> tuple[float, list[str]]:
    import_cpu_ms(module, bytecode)  # warm the OS file cache; not counted
    samples = [import_cpu_ms(module, bytecode) for _ in range(runs)]
    return median(s[0] for s in samples), samples[-1][1]


def main(runs: int = 9) -> None:
    boto3_ms, _ = measure("boto3", True, runs)
    app_ms, heavy = measure("app", True, runs)
    app_source_ms, _ = measure("app", False, runs)
    print(f"import boto3: {boto3_ms:.1f} ms CPU; import app: {app_ms:.1f} ms with .pyc, "
          f"{app_source_ms:.1f} ms without (median of {runs}); heavy modules loaded: {heavy or 'none'}")
    report("cold import app / import boto3 (with .pyc)", app_ms / boto3_ms, "x", 2.0)
    report("cold import app, ms CPU, with .pyc", app_ms, "ms")
    report("cold import app, ms CPU, without .pyc", app_source_ms, "ms")
    report("heavy modules loaded by importing app", float(len(heavy)), "modules", 0.0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
