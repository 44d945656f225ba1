"""Settings from the environment (prefix ``TRIAGE_``); every default works offline on one machine.

Paths default to ``var/`` under the repository root so that ``make run`` and every ``triage`` command run from
the root share one database and one Chroma index without any variable set.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRIAGE_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    data_dir: Path = PROJECT_ROOT / "var"
    database_url: str = ""
    chroma_path: Path | None = None
    chroma_url: str | None = None
    knowledge_dir: Path = PROJECT_ROOT / "knowledge_base"
    prompts_dir: Path = PROJECT_ROOT / "prompts"

    llm_provider: Literal["offline", "openai", "fake"] = "offline"
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_model: str = "gpt-4o-mini"
    llm_timeout_s: float = Field(default=60.0, gt=0)
    llm_max_tokens: int = Field(default=800, ge=16)
    llm_daily_token_budget: int | None = Field(default=None, ge=0)
    llm_client_retries: int | None = Field(
        default=None, ge=0, le=5, description="None: as many as fit 6 attempts per message with the job's retries"
    )
    llm_response_format: Literal["auto", "json_schema", "json_object"] = "auto"
    llm_temperature: float | None = Field(default=0.2, ge=0, le=2, description="None: not sent")
    fake_latency_s: float = Field(default=0.0, ge=0, description="latency of the 'fake' test provider")
    redact_pii: bool | None = None  # None: on for the openai provider, off for offline (nothing leaves)

    escalation_webhook_url: str | None = None
    escalation_webhook_secret: SecretStr | None = None

    # Signs console session cookies. Unset: a random secret is generated once and kept in data_dir/session_secret
    # (app/web/session.py), so every process sharing data_dir agrees; set it when processes do not share a disk.
    session_secret: SecretStr | None = None
    session_ttl_hours: float = Field(default=12.0, gt=0, le=24 * 30)

    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    job_max_attempts: int = Field(default=6, ge=1, le=20)
    job_lease_s: float = Field(default=120.0, gt=0)
    job_backoff_base_s: float = Field(default=2.0, ge=0)
    job_backoff_max_s: float = Field(default=300.0, ge=0)
    worker_poll_s: float = Field(default=0.5, gt=0)
    embedded_worker: bool = True
    retrieval_k: int = Field(default=4, ge=1, le=20)
    log_level: str = "INFO"

    @field_validator("database_url")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("llm_temperature", "llm_client_retries", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        """``TRIAGE_LLM_TEMPERATURE=`` (or ``none``) omits the parameter; some reasoning models refuse it."""
        return None if isinstance(value, str) and value.strip().lower() in ("", "none") else value

    @property
    def resolved_database_url(self) -> str:
        """The configured URL, or a SQLite file under ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'triage.db'}"

    @property
    def resolved_chroma_path(self) -> Path:
        return self.chroma_path or self.data_dir / "chroma"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    @property
    def redaction_enabled(self) -> bool:
        """PII redaction defaults to on for any external provider, loopback URLs included."""
        if self.redact_pii is not None:
            return self.redact_pii
        return self.llm_provider == "openai"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once per process; tests build ``Settings(...)`` directly and pass it to ``create_app``."""
    return Settings()
