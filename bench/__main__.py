"""`make bench`: runs every benchmark in its own process and prints one table of figures and budgets."""

import json
import subprocess
import sys
from pathlib import Path

from bench.common import RESULT_PREFIX

BENCHMARKS = (
    "bench.coldstart",
    "bench.request",
    "bench.fanout",
    "bench.images",
    "bench.tax",
    "bench.wallet",
    "bench.soak",
)
ROOT = Path(__file__).resolve().parent.parent


def run(module: str) -> list[dict]:
    """The figures of one benchmark; one that fails says why, and the others still run."""
    done = subprocess.run([sys.executable, "-m", module], capture_output=True, text=True, cwd=ROOT)
    out = done.stdout
    if done.returncode != 0:
        print(f"  {module} FAILED (exit {done.returncode}):")
        for line in (done.stderr.strip() or "(no output on stderr)").splitlines()[-30:]:
            print(f"    {line}")
        return [
            {
                "figure": f"{module} failed",
                "value": float(done.returncode),
                "unit": "exit",
                "budget": 0.0,
                "ratio": float("inf"),
            }
        ]
    for line in out.splitlines():
        if line and not line.startswith(RESULT_PREFIX) and not line.startswith("{"):
            print(f"  {line}")
    return [json.loads(line[len(RESULT_PREFIX) :]) for line in out.splitlines() if line.startswith(RESULT_PREFIX)]


def main() -> int:
    rows = []
    for module in BENCHMARKS:
        print(f"{module} ...", flush=True)
        rows += run(module)
    print(f"\n{'figure':<66} {'value':>10} {'unit':<10} {'budget':>7} {'ratio':>6}")
    for row in rows:
        budget = "-" if row["budget"] is None else f"{row['budget']:g}"
        ratio = "-" if row["ratio"] is None else f"{row['ratio']:.2f}"
        print(f"{row['figure']:<66} {row['value']:>10.4g} {row['unit']:<10} {budget:>7} {ratio:>6}")
    over = [row["figure"] for row in rows if row["ratio"] is not None and row["ratio"] > 1.0]
    print("\nover budget: " + (", ".join(over) if over else "none"))
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
