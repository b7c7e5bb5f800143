"""CDK entry point: `cdk synth`/`cdk deploy` run this. One stack per stage, checked by cdk-nag."""

import json
import os
import sys
from pathlib import Path

INFRA_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(INFRA_DIR.parent))  # run as a script by the CDK CLI: make `infra` importable

import aws_cdk as cdk  # noqa: E402
from cdk_nag import AwsSolutionsChecks  # noqa: E402

from infra.settings import STAGES, load_stage  # noqa: E402
from infra.stack import CitizenStack  # noqa: E402


def build_app(
    outdir: str | None = None, build_dir: Path = INFRA_DIR / "cdk.out" / "chalice", stages: str | None = None
) -> cdk.App:
    # The CLI passes cdk.json's context itself; a plain `python infra/app.py` reads it here.
    defaults = json.loads((INFRA_DIR / "cdk.json").read_text())["context"]
    app = cdk.App(outdir=outdir, context={**defaults, **({"stages": stages} if stages else {})})
    # `-c stages=dev` synthesizes one stage only (a deploy need not package the other).
    for stage in str(app.node.try_get_context("stages") or ",".join(STAGES)).split(","):
        CitizenStack(app, load_stage(stage, app.node), build_dir=build_dir / stage)
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app, verbose=True))
    return app


if __name__ == "__main__":
    build_app(os.environ.get("CDK_OUTDIR") or str(INFRA_DIR / "cdk.out")).synth()
