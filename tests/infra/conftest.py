"""tests/infra needs the CDK (requirements-infra.txt, installed by `make infra-check`, which
`make test` runs). Without it a plain `pytest` skips this folder instead of failing to import."""

try:
    import aws_cdk  # noqa: F401
except ImportError:
    collect_ignore_glob = ["test_infra_*.py"]
else:
    import pytest

    from infra.settings import STAGES

    @pytest.fixture(params=STAGES)
    def stage(request) -> str:
        return request.param
