"""Security and template checks on the synthesized app: cdk-nag (AwsSolutions) and cfn-lint, both offline."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.infra.conftest import NO_BUNDLING, Synthesized

ROOT = Path(__file__).resolve().parents[2]


def _app(stage: str, outdir: Path):
    from aws_cdk import App

    return App(context={**NO_BUNDLING, "stage": stage}, outdir=str(outdir))


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_cdk_nag_finds_nothing_unacknowledged(stage: str, tmp_path: Path) -> None:
    from infra.app import build

    # Given the app with the AwsSolutions checks as a validation plugin; When it is synthesized; Then it passes
    app = _app(stage, tmp_path)
    build(app)
    app.synth()
    report = json.loads((tmp_path / "validation-report.json").read_text())
    assert report["pluginReports"] == []


def test_cdk_nag_is_live_without_the_acknowledgments(tmp_path: Path, monkeypatch) -> None:
    import infra.app

    # Given the same app with every acknowledgment left out
    monkeypatch.setattr(infra.app, "acknowledge_findings", lambda stack: None)
    app = _app("dev", tmp_path)
    infra.app.build(app)
    # Then synthesis fails on exactly the findings the acknowledgments cover
    with pytest.raises(Exception, match="ValidationFailed"):
        app.synth()
    text = (tmp_path / "validation-report.json").read_text()
    for rule in ("AwsSolutions-COG4", "AwsSolutions-APIG4", "AwsSolutions-SMG4", "AwsSolutions-SQS3"):
        assert rule in text, rule


def test_every_acknowledgment_gives_a_real_reason(dev: Synthesized) -> None:
    from aws_cdk import Validations

    key = Validations.ACKNOWLEDGED_RULES_METADATA_KEY
    reasons = [
        entry.data for construct in dev.stack.node.find_all() for entry in construct.node.metadata if entry.type == key
    ]
    # Each entry maps the acknowledged finding to its reason
    acknowledged = {rule: reason for data in reasons for rule, reason in data.items()}
    assert len(acknowledged) >= 10, acknowledged
    for rule, reason in acknowledged.items():
        assert "AwsSolutions-" in rule and len(reason) >= 40, (rule, reason)


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_cfn_lint_is_clean_on_the_synthesized_template(stage: str, request, tmp_path: Path) -> None:
    synth: Synthesized = request.getfixturevalue(stage)
    template = tmp_path / f"AgentMemory-{stage}.template.json"
    template.write_text(json.dumps(synth.document))
    cfn_lint = Path(sys.executable).with_name("cfn-lint")
    result = subprocess.run(
        [str(cfn_lint), "--config-file", str(ROOT / ".cfnlintrc.yaml"), str(template)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
