"""cfn-lint finds nothing in the synthesized templates; cdk-nag reports no open finding."""

import json

import pytest

cfnlint_api = pytest.importorskip("cfnlint.api")


def test_cfn_lint_is_clean(synth, stage):
    region = synth.stacks[stage].region
    config = cfnlint_api.ManualArgs(regions=[region])  # errors and warnings, as the CLI
    matches = cfnlint_api.lint_file(synth.outdir / f"{stage}.template.json", config)
    assert [str(m) for m in matches] == []


def test_cdk_nag_aws_solutions_has_no_open_finding(synth):
    report = json.loads((synth.outdir / "validation-report.json").read_text())
    nag = [r for r in report["pluginReports"] if r["pluginName"] == "AwsSolutions"]
    assert len(nag) == 1
    assert nag[0]["conclusion"] == "success"
    assert nag[0]["violations"] == []
