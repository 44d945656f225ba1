"""Knowledge-base gaps: where drafts had no policy to stand on.

A case shows a gap when its current draft cites no article (the model found nothing to cite, or a specialist
had to write the reply by hand) or when its category has no current article at all. Grouped by category, this
tells policy writers which article to write next; the case ids let them read the questions people asked.
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlmodel import Session, col, select

from app.cases.models import Case
from app.insights.period import Period
from app.knowledge.articles import ArticleError, parse_article
from app.knowledge.catalog import latest_versions
from app.taxonomy import Category
from app.triage.models import Draft

SAMPLE_CASES = 20  # case ids listed per category, newest first


class GapGroup(BaseModel):
    category: str
    has_article: bool
    cases: int  # cases in this category with a gap
    uncited_drafts: int  # of those, how many drafts cite nothing
    case_ids: list[int]


class GapReport(BaseModel):
    categories_without_article: list[str]
    cases_with_gap: int
    by_category: list[GapGroup]


def covered_categories(session: Session) -> set[str]:
    """Categories named by at least one current (not deleted) article, translations included."""
    covered: set[str] = set()
    for row in latest_versions(session):
        try:
            covered.update(parse_article(row.content, source=f"db:{row.article_id}@v{row.version}").categories)
        except ArticleError:
            continue  # an unparseable version covers nothing; the KB pages already report it
    return covered


def kb_gaps(session: Session, *, period: Period) -> GapReport:
    """Gaps among the cases first received in ``period`` that have a draft."""
    covered = covered_categories(session)
    cohort = select(Case.id).where(
        col(Case.first_received_at) >= period.since, col(Case.first_received_at) < period.until
    )
    latest: dict[int, Draft] = {}
    for draft in session.exec(select(Draft).where(col(Draft.case_id).in_(cohort)).order_by(col(Draft.id))):
        latest[draft.case_id] = draft  # ordered by id: the last one seen is the current draft
    groups: dict[str, GapGroup] = {}
    for case_id in sorted(latest, reverse=True):
        draft = latest[case_id]
        uncited = not draft.citations
        has_article = draft.category in covered
        if not uncited and has_article:
            continue
        group = groups.setdefault(
            draft.category,
            GapGroup(category=draft.category, has_article=has_article, cases=0, uncited_drafts=0, case_ids=[]),
        )
        group.cases += 1
        group.uncited_drafts += int(uncited)
        if len(group.case_ids) < SAMPLE_CASES:
            group.case_ids.append(case_id)
    return GapReport(
        categories_without_article=[c.value for c in Category if c.value not in covered],
        cases_with_gap=sum(g.cases for g in groups.values()),
        by_category=sorted(groups.values(), key=lambda g: (-g.cases, g.category)),
    )
