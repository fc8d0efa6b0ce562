"""The chunked head (head_logps.py) gives autograd's log-probs, metrics and gradients, whatever the chunking."""

from __future__ import annotations


def test_chunked_head_matches_the_whole_logits_values_and_gradients(monkeypatch):
    import torch

    from vault_tuner_train import head_logps as module

    torch.manual_seed(0)
    vocabulary, width, tokens = 50, 16, 23
    head = torch.nn.Linear(width, vocabulary, bias=False).requires_grad_(False)
    lm = type("CausalLM", (), {"get_output_embeddings": lambda self: head})()
    hidden = torch.randn(tokens, width, requires_grad=True)
    targets = torch.randint(0, vocabulary, (tokens,))
    weights = torch.rand(tokens)

    logits = head(hidden)
    expected = logits.log_softmax(-1).gather(-1, targets[:, None]).squeeze(-1)
    (expected * weights).sum().backward()
    expected_grad, hidden.grad = hidden.grad.clone(), None
    entropy = -(logits.softmax(-1) * logits.log_softmax(-1)).sum(-1)

    # 7 tokens a chunk: four chunks, the last one short.
    monkeypatch.setattr(module, "CHUNK_ELEMENTS", 7 * vocabulary)
    logps, chunk_entropy, mean_logit = module.head_logps(lm, hidden, targets, stats=True)
    (logps * weights).sum().backward()
    assert torch.allclose(logps, expected, atol=1e-5)
    assert torch.allclose(chunk_entropy, entropy.detach(), atol=1e-5)
    assert torch.allclose(mean_logit, logits.mean(-1).detach(), atol=1e-6)
    assert torch.allclose(hidden.grad, expected_grad, atol=1e-5)
