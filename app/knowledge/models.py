"""Every version of every article, whether it came from a file sync or the API."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.clock import utcnow


class ArticleVersion(SQLModel, table=True):
    __tablename__ = "article_versions"
    __table_args__ = (UniqueConstraint("article_id", "version", name="uq_article_versions_id_version"),)

    id: int | None = Field(default=None, primary_key=True)
    article_id: str = Field(index=True, max_length=120)
    version: int
    title: str = Field(max_length=300)
    locale: str = Field(max_length=16)
    content: str = Field(sa_column=Column(Text, nullable=False))
    content_hash: str = Field(max_length=64)
    source: str = Field(max_length=16)  # file | api
    author: str = Field(max_length=100)
    deleted: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow)
