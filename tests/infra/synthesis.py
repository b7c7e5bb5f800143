"""Session fixture: every stage synthesized once, offline, with cdk-nag attached (an unacknowledged
error fails the synth)."""

import dataclasses
import json
from pathlib import Path

import aws_cdk as cdk
from aws_cdk.assertions import Template

from infra.app import build_app
from infra.settings import STAGES


@dataclasses.dataclass
class Synth:
    outdir: Path
    stacks: dict[str, cdk.Stack]
    templates: dict[str, Template]

    def raw(self, stage: str) -> dict:
        return json.loads((self.outdir / f"{stage}.template.json").read_text())


def synthesize(tmp_path_factory) -> Synth:
    base = tmp_path_factory.mktemp("infra")
    app = build_app(outdir=str(base / "cdk.out"), build_dir=base / "chalice")
    app.synth()  # raises ValidationFailed when cdk-nag reports an unacknowledged error
    stacks = {stage: app.node.find_child(stage) for stage in STAGES}
    return Synth(base / "cdk.out", stacks, {s: Template.from_stack(st) for s, st in stacks.items()})
