"""The Bedrock chat model a stage calls through Converse, and exactly what IAM must grant for it.

Two forms are accepted:

- a cross-Region inference profile, `<geography>.<model id>` (`us.`, `eu.`, `jp.`, `au.`) or `global.<model id>`.
  Bedrock authorizes the profile in the source Region and then the foundation model in whichever Region it routes
  to, so the grant is the profile's ARN plus the model's ARN in the source Region and in every destination Region
  of that geography (a `global.` profile routes to any commercial Region: its destinations are the Region-less
  model ARN). The model ARNs are usable only through that profile (`bedrock:InferenceProfileArn`).
- a foundation-model id invoked in the stack's own Region (`<provider>.<model>`), for models Bedrock still serves
  on demand without a profile.

Anything else (an ARN, an application inference profile, an unknown geography, a model past its end of life on
Bedrock) is refused at synthesis: the stack would otherwise deploy functions that cannot call their model.
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Stack, Token

# Active on Bedrock (model lifecycle "Active"); only served through inference profiles. US geography by default.
DEFAULT_CONVERSE_MODEL = "us.anthropic.claude-haiku-4-5-20251001-v1:0"

# Destination Regions of each geography's cross-Region inference profiles for the Claude models: every Region a
# request may be routed to (and so must be granted). The source Regions are these, plus `EXTRA_SOURCES`.
GEOGRAPHIES: dict[str, frozenset[str]] = {
    "us": frozenset({"us-east-1", "us-east-2", "us-west-1", "us-west-2"}),
    "eu": frozenset(
        {"eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2"}
        | {"eu-west-1", "eu-west-2", "eu-west-3"}
    ),
    "jp": frozenset({"ap-northeast-1", "ap-northeast-3"}),
    "au": frozenset({"ap-southeast-2", "ap-southeast-4"}),
}
EXTRA_SOURCES: dict[str, frozenset[str]] = {"us": frozenset({"ca-central-1"})}
GLOBAL = "global"

# Providers whose foundation-model ids may be named directly (`<provider>.<model>`).
PROVIDERS = frozenset(
    {"amazon", "anthropic", "ai21", "cohere", "deepseek", "meta", "mistral", "openai", "qwen", "writer"}
)

# Models past their end of life on Bedrock (model lifecycle tables): calls to them fail.
RETIRED = {
    "anthropic.claude-3-haiku-20240307-v1:0": "2026-09-10",
    "anthropic.claude-3-5-haiku-20241022-v1:0": "2026-06-19",
}


class UngrantableModel(ValueError):
    """The configured model id is not one the stack can grant (or call) correctly."""


@dataclass(frozen=True)
class ConverseModel:
    model_id: str  # what the functions send as Converse's modelId
    foundation_model: str  # the underlying foundation-model id
    geography: str | None  # None: invoked in the stack's Region; GLOBAL; or a key of GEOGRAPHIES

    @property
    def is_profile(self) -> bool:
        return self.geography is not None

    def source_regions(self) -> frozenset[str] | None:
        """Regions the model may be called from; None when any Region will do."""
        if self.geography is None or self.geography == GLOBAL:
            return None
        return GEOGRAPHIES[self.geography] | EXTRA_SOURCES.get(self.geography, frozenset())

    def check_region(self, region: str) -> None:
        """Refuses a geographic profile called from outside its geography (a concrete Region only)."""
        allowed = self.source_regions()
        if allowed is not None and not Token.is_unresolved(region) and region not in allowed:
            raise UngrantableModel(
                f"Converse model {self.model_id!r} is a {self.geography}. inference profile, which cannot be called "
                f"from {region}. Use the profile of {region}'s geography or the global. profile "
                f"(-c converse_model=global.{self.foundation_model}); see docs/operations.md."
            )

    def resources(self, stack: Stack) -> list[tuple[list[str], dict[str, object] | None]]:
        """IAM (resources, condition) pairs that let a function call this model through Converse."""
        partition, region = stack.partition, stack.region

        def model_arn(in_region: str) -> str:
            return f"arn:{partition}:bedrock:{in_region}::foundation-model/{self.foundation_model}"

        if not self.is_profile:
            return [([model_arn(region)], None)]
        profile_arn = f"arn:{partition}:bedrock:{region}:{stack.account}:inference-profile/{self.model_id}"
        through_profile = {"StringEquals": {"bedrock:InferenceProfileArn": profile_arn}}
        if self.geography == GLOBAL:
            destinations = [model_arn(region), model_arn("")]  # "": the Region-less ARN of global routing
        else:
            regions = sorted(GEOGRAPHIES[self.geography or ""])
            destinations = [model_arn(r) for r in regions]
            if Token.is_unresolved(region) or region not in regions:
                destinations.insert(0, model_arn(region))  # the source Region's model is authorized too
        return [([profile_arn], None), (destinations, through_profile)]


def converse_model(model_id: str) -> ConverseModel:
    """Parses a configured model id, or raises UngrantableModel saying why it cannot be used."""
    how = "Choose an active model (docs/operations.md, Bedrock model) with -c converse_model=…"
    if model_id.startswith("arn:"):
        raise UngrantableModel(
            f"Converse model {model_id!r}: ARNs (application inference profiles, provisioned throughput) are not "
            f"granted by this stack; name a system inference profile or a foundation model id. {how}"
        )
    prefix, _, rest = model_id.partition(".")
    if prefix == GLOBAL or prefix in GEOGRAPHIES:
        geography: str | None = prefix
        foundation = rest
        provider = rest.partition(".")[0]
    else:
        geography, foundation, provider = None, model_id, prefix
    if provider not in PROVIDERS or "." not in foundation:
        accepted = ", ".join(f"{p}." for p in (*sorted(GEOGRAPHIES), GLOBAL))
        raise UngrantableModel(
            f"Converse model {model_id!r} is neither a foundation model id (<provider>.<model>) nor a cross-Region "
            f"inference profile of a geography this stack can grant ({accepted}). {how}"
        )
    if foundation in RETIRED:
        raise UngrantableModel(
            f"Converse model {model_id!r} reached its end of life on Bedrock on {RETIRED[foundation]}; calls to it "
            f"fail. {how}"
        )
    return ConverseModel(model_id=model_id, foundation_model=foundation, geography=geography)
