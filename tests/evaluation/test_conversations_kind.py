"""The conversations suite catches a drafter that re-asks, answers in English, or repeats a rejected draft."""

from __future__ import annotations

from pathlib import Path

from app.triage.pipeline import DraftOutcome, PipelineInput
from tests.evaluation.conftest import ScriptedDrafter, outcome, run, stub_system, write_suite

CASES = [
    {
        "id": "c1",
        "turns": [
            {"body": "Mi retiro lleva 20 días en revisión", "language": "es"},
            {
                "body": "El ID de retiro es WD-1",
                "language": "es",
                "answers": ["WD-1"],
                "not_asking": ["responda con el ID de retiro"],
                "reject": "needs_investigation",
            },
        ],
    }
]
SPEC = {
    "kind": "conversations",
    "thresholds": {
        "language_accuracy_es_pt": {"min": 0.98},
        "no_reask_rate": {"min": 1.0},
        "redraft_differs": {"min": 1.0},
    },
}


def forgetful(inp: PipelineInput) -> DraftOutcome:
    """Reads only the newest message, answers in English and asks again for the ID."""
    return outcome(reply="Hi there, thanks for reaching out. Please responda con el ID de retiro so we can check it.")


def attentive(inp: PipelineInput) -> DraftOutcome:
    if inp.rejected is not None:
        return outcome(reply="Hola: estamos revisando tu retiro WD-1 con el equipo de pagos y te escribiremos pronto.")
    given = "WD-1" if inp.thread else "el ID de retiro"
    return outcome(reply=f"Hola: gracias por escribirnos sobre tu retiro, revisaremos {given} con nuestro equipo.")


def test_a_drafter_that_forgets_the_conversation_fails_naming_the_turn(tmp_path: Path) -> None:
    spec = write_suite(tmp_path, "conversations", SPEC, CASES)
    result = run([spec], stub_system(ScriptedDrafter(forgetful)), tmp_path)
    suite = result.suites["conversations"]
    assert not result.passed
    assert suite.metrics["no_reask_rate"] == 0.0 and suite.metrics["redraft_differs"] == 0.0
    assert suite.metrics["language_accuracy_es_pt"] == 0.0
    assert any("c1#2" in failure for failure in result.failures)


def test_a_drafter_that_reads_the_thread_passes(tmp_path: Path) -> None:
    spec = write_suite(tmp_path, "conversations", SPEC, CASES)
    result = run([spec], stub_system(ScriptedDrafter(attentive)), tmp_path)
    assert result.passed, result.failures
    assert result.suites["conversations"].metrics["answer_coverage"] == 1.0
