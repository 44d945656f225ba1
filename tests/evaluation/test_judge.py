"""The LLM judge over HTTP (faked with respx), and the drafting suite with and without one."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest
import respx

from app.config import PROJECT_ROOT, Settings
from app.evaluation.judge import HttpJudge, JudgeError, JudgeScore
from app.llm.prompts import load_prompt
from tests.evaluation.conftest import ScriptedDrafter, outcome, run, stub_system, write_suite

URL = "http://judge.test/v1"


def _judge(client: httpx.AsyncClient) -> HttpJudge:
    return HttpJudge(
        model="m", prompt=load_prompt(PROJECT_ROOT / "prompts", "judge_rubric"), base_url=URL, client=client
    )


def _answer(content: str) -> httpx.Response:
    return httpx.Response(200, json={"choices": [{"message": {"content": content}, "finish_reason": "stop"}]})


def test_the_judge_grades_with_redacted_text() -> None:
    async def go() -> tuple[JudgeScore, dict[str, object]]:
        with respx.mock(assert_all_called=True) as mock:
            route = mock.post(f"{URL}/chat/completions").mock(
                return_value=_answer('Sure: {"groundedness": 5, "policy_compliance": 4, "tone": 3, "rationale": "ok"}')
            )
            async with httpx.AsyncClient() as client:
                score = await _judge(client).score(
                    message="mail me at ana@example.com", reply="Hi", articles=["Refunds take 5 days."]
                )
            return score, json.loads(route.calls[0].request.content)

    score, body = asyncio.run(go())
    assert (score.groundedness, score.policy_compliance, score.tone) == (5, 4, 3)
    prompt = body["messages"][0]["content"]  # type: ignore[index]
    assert "<EMAIL_1>" in prompt and "ana@example.com" not in prompt
    assert "Refunds take 5 days." in prompt


@pytest.mark.parametrize("content", ['{"groundedness": 9, "policy_compliance": 4, "tone": 3}', "I refuse"])
def test_an_answer_off_the_rubric_is_an_error_not_a_default(content: str) -> None:
    async def go() -> None:
        with respx.mock as mock:
            mock.post(f"{URL}/chat/completions").mock(return_value=_answer(content))
            async with httpx.AsyncClient() as client:
                await _judge(client).score(message="m", reply="r", articles=[])

    with pytest.raises(JudgeError):
        asyncio.run(go())


def test_no_judge_without_an_llm_provider() -> None:
    assert HttpJudge.from_settings(Settings(llm_provider="offline")) is None
    assert HttpJudge.from_settings(Settings(llm_provider="openai", llm_base_url=URL)) is not None


class FixedJudge:
    name = "judge:fixed"
    prompt_version = "judge_rubric@test"

    async def score(self, *, message: str, reply: str, articles: list[str]) -> JudgeScore:
        if "broken" in message:
            raise JudgeError("judge answer is not the rubric's JSON")
        return JudgeScore(groundedness=2 if "refund" in reply else 5, policy_compliance=5, tone=4)


DRAFT_SUITE = {
    "kind": "drafting",
    "options": {"forbidden": [r"\bguarantee"]},
    "thresholds": {
        "citation_validity": {"min": 1.0},
        "required_fact_coverage": {"min": 0.9},
        "forbidden_content_rate": {"max": 0},
        "judge_groundedness": {"min": 3.5},
    },
}
DRAFT_CASES = [
    {
        "id": "d1",
        "body": "coins missing",
        "expected_articles": ["coins"],
        "required_facts": ["24 hours", ["order", "transaction"]],
    },
    {
        "id": "d2",
        "body": "refund please",
        "expected_articles": ["refunds"],
        "required_facts": ["14 days"],
        "forbidden": [r"we will refund"],
    },
]


def _drafts(inp: object) -> object:
    if "coins" in getattr(inp, "message", ""):
        return outcome(
            "recharge_payment",
            reply="Wait 24 hours, then send the order ID.",
            citations=[{"article_id": "coins", "version": 2}],
        )
    return outcome(
        "refund_request",
        reply="We guarantee it: we will refund you.",
        citations=[{"article_id": "refunds", "version": 1}],
    )


def test_drafting_scores_facts_forbidden_content_citations_and_judge(tmp_path: Path) -> None:
    spec = write_suite(tmp_path, "draft", DRAFT_SUITE, DRAFT_CASES)
    system = stub_system(ScriptedDrafter(_drafts), articles={"coins": 2, "refunds": 3}, judge=FixedJudge())  # type: ignore[arg-type]
    suite = run([spec], system, tmp_path).suites["draft"]
    assert suite.metrics["required_fact_coverage"] == 0.5
    assert suite.metrics["forbidden_content_rate"] == 0.5
    assert suite.metrics["citation_validity"] == 0.5  # "refunds" is at version 3 now: a stale citation
    assert suite.metrics["citation_relevance"] == 1.0
    assert suite.metrics["judge_groundedness"] == 3.5
    failures = "\n".join(suite.failures)
    assert "forbidden_content_rate 0.5 > max 0 — cases: d2" in failures
    assert "citation_validity 0.5 < min 1 — cases: d2" in failures
    assert suite.worst_cases[0]["id"] == "d2"
    assert "forbidden" in suite.worst_cases[0]["problem"]


def test_offline_runs_leave_judge_thresholds_not_measured(tmp_path: Path) -> None:
    spec = write_suite(tmp_path, "draft", DRAFT_SUITE, DRAFT_CASES[:1])
    suite = run([spec], stub_system(ScriptedDrafter(_drafts), articles={"coins": 2}), tmp_path).suites["draft"]
    assert suite.status == "passed", suite.failures
    judge = next(c for c in suite.checks if c.metric == "judge_groundedness")
    assert judge.value is None and judge.passed and "not measured" in judge.message
    assert any("LLM-as-judge skipped" in n for n in suite.notes)
