"""The names code and infrastructure share come from one place and name real settings."""

from __future__ import annotations

import pytest

from agent_memory.config import Config
from agent_memory.contract import env_name, environment


def test_every_setting_has_its_environment_variable_and_nothing_else_does() -> None:
    assert env_name("table_name") == "AGENT_MEMORY_TABLE_NAME"
    assert environment(index_name="memories") == {"AGENT_MEMORY_INDEX_NAME": "memories"}
    with pytest.raises(KeyError):
        env_name("tabel_name")  # a typo is an error at synth time, not a silently ignored variable


def test_the_derived_names_are_the_ones_config_reads(monkeypatch) -> None:
    monkeypatch.setenv(env_name("index_name"), "from-the-environment")
    assert Config().index_name == "from-the-environment"
