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
    llm_max_connections: int = Field(
        default=16,
        ge=1,
        le=512,
        description="HTTP connections to the LLM endpoint (eval runs raise it to --concurrency)",
    )
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
    # Critical cases (app/safety): minutes to acknowledge an escalated case before it re-alerts, the default and
    # per flag (TRIAGE_ACK_MINUTES_BY_FLAG='{"self_harm": 5}'); days a preservation hold lasts; hours a promised
    # follow-up is due in.
    ack_minutes: float = Field(default=15.0, gt=0, le=24 * 60)
    ack_minutes_by_flag: dict[str, float] = Field(default_factory=dict)
    hold_days: int = Field(default=365, ge=1, le=3650)
    followup_due_hours: float = Field(default=24.0, gt=0, le=24 * 30)

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
    ingest_max_batch: int = Field(
        default=64, ge=1, le=1000, description="messages per group-commit transaction, at most"
    )
    ingest_threads: int | None = Field(
        default=None,
        ge=1,
        le=64,
        description="group-commit writer threads for ingest per process; default 1 on SQLite, 4 otherwise",
    )
    log_level: str = "INFO"

    # Channels (app/channels, app/delivery; README "Channels"). Outbound email: the SMTP relay replies go through
    # (unset: email replies fail visibly with that reason), the From address, and the Message-ID domain.
    smtp_host: str | None = None
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_security: Literal["none", "starttls", "tls"] = "none"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_timeout_s: float = Field(default=30.0, gt=0)
    email_from: str = "Support <support@triage.localhost>"
    email_message_id_domain: str | None = None  # None: the domain of email_from
    # Replies for in_app_chat, social_dm and api cases: POSTed, signed like the escalation webhook, to this URL.
    reply_webhook_url: str | None = None
    reply_webhook_secret: SecretStr | None = None
    # Inbound: the SMTP listener (`triage smtp`), the signed inbound webhook, the public web form.
    smtp_listen_host: str = "127.0.0.1"
    smtp_listen_port: int = Field(default=2525, ge=1, le=65535)
    smtp_listen_recipients: str = ""  # comma-separated addresses or @domains accepted; empty: any recipient
    inbound_email_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    inbound_webhook_secret: SecretStr | None = None
    inbound_webhook_tolerance_s: int = Field(default=300, ge=1, le=3600)
    webform_enabled: bool = False
    webform_rate_limit: int = Field(default=5, ge=1)
    webform_rate_window_s: float = Field(default=600.0, gt=0)
    captcha_verify_url: str | None = None  # hCaptcha / reCAPTCHA / Turnstile "siteverify" endpoint
    captcha_secret: SecretStr | None = None

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
