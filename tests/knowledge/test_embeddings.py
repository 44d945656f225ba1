"""The numpy MiniLM: float32 unit vectors, independent of batching, and safe to reuse from its memo."""

from __future__ import annotations

import numpy as np

from app.knowledge.embeddings import Embedder

MESSAGES = [
    "I paid for 1,000 coins but they never arrived",
    "my account was hacked and the email changed",
    "Hola, compré monedas y no llegaron",
    "",
]


def test_vectors_are_float32_and_unit_length(embedder: Embedder) -> None:
    vectors = embedder.embed(MESSAGES)
    assert vectors.dtype == np.float32 and vectors.shape == (len(MESSAGES), embedder.dimension)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_a_text_gets_the_same_vector_alone_or_in_any_batch(embedder: Embedder) -> None:
    long_text = "Please help, " + "my gift went to the wrong streamer and I want it back. " * 40
    batch = embedder.embed([long_text, *MESSAGES])
    for row, text in enumerate([long_text, *MESSAGES]):
        assert np.allclose(embedder.embed([text])[0], batch[row], atol=1e-6), text
    # Past the model's 256 word pieces the rest of a text is not read: a cut-off query is the same query.
    assert np.allclose(embedder.embed([long_text[:2000]])[0], batch[0], atol=1e-6)


def test_changing_a_returned_vector_does_not_change_later_answers(embedder: Embedder) -> None:
    first = embedder.embed([MESSAGES[0]])
    expected = first.copy()
    first[:] = 0.0
    assert np.array_equal(embedder.embed([MESSAGES[0]]), expected)
    assert np.array_equal(embedder.embed([MESSAGES[0], MESSAGES[0]]), np.vstack([expected, expected]))
