"""Says so, as a skip, when the infra checks could not run here."""

import pytest


def test_infra_dependencies_are_installed():
    pytest.importorskip("aws_cdk", reason="infra deps missing: run `make infra-check`")
    pytest.importorskip("cdk_nag", reason="infra deps missing: run `make infra-check`")
