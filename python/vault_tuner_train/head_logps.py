"""Log-probabilities of target tokens through the language-model head, a chunk of tokens at a time.

The full logits of a micro-batch's completion tokens are tokens x vocabulary floats (4,000 x 152,000 in
fp32 is 2.4 GB, and the softmax's gradient as much again). Here the forward keeps only the hidden states,
and the backward recomputes each chunk's logits to turn them into the hidden states' gradient, so the
head's memory is one chunk's logits whatever the batch. The head itself is frozen (LoRA does not train
it), so no weight gradient is formed.

With `stats`, the forward also gives each token's entropy and mean logit (TRL's metrics), without gradient.
"""

from __future__ import annotations

import torch

# Logit elements per chunk: 2^27 fp32 values is 512 MiB, about 880 tokens of a 152k vocabulary.
CHUNK_ELEMENTS = 1 << 27


def _chunks(tokens: int, vocabulary: int):
    size = max(1, CHUNK_ELEMENTS // vocabulary)
    return ((start, min(start + size, tokens)) for start in range(0, tokens, size))


def _entropy(logits: torch.Tensor, normaliser: torch.Tensor) -> torch.Tensor:
    """Each row's entropy, from its logits and their logsumexp."""
    return normaliser - (torch.softmax(logits, dim=-1) * logits).sum(-1)


class _HeadLogps(torch.autograd.Function):
    @staticmethod
    def forward(ctx, hidden: torch.Tensor, weight: torch.Tensor, targets: torch.Tensor, stats: bool):
        tokens = hidden.shape[0]
        logps = torch.empty(tokens, dtype=torch.float32, device=hidden.device)
        entropy = torch.empty_like(logps) if stats else None
        mean_logit = torch.empty_like(logps) if stats else None
        for start, end in _chunks(tokens, weight.shape[0]):
            # In the head's own dtype, as the model's forward computes it (the backward runs outside any autocast).
            logits = (hidden[start:end].to(weight.dtype) @ weight.T).float()
            normaliser = torch.logsumexp(logits, dim=-1)
            logps[start:end] = logits.gather(-1, targets[start:end, None]).squeeze(-1) - normaliser
            if stats:
                entropy[start:end] = _entropy(logits, normaliser)
                mean_logit[start:end] = logits.mean(-1)
        ctx.save_for_backward(hidden, weight, targets)
        if stats:
            ctx.mark_non_differentiable(entropy, mean_logit)
            return logps, entropy, mean_logit
        return logps

    @staticmethod
    def backward(ctx, grad_logps: torch.Tensor, *unused):
        hidden, weight, targets = ctx.saved_tensors
        if weight.requires_grad:
            raise RuntimeError("head_logps expects a frozen language-model head")
        grad_hidden = torch.empty_like(hidden)
        for start, end in _chunks(hidden.shape[0], weight.shape[0]):
            logits = (hidden[start:end].to(weight.dtype) @ weight.T).float()
            # d log p(target) / d logits = onehot(target) - softmax(logits)
            grad_logits = torch.softmax(logits, dim=-1).neg_()
            grad_logits.scatter_add_(-1, targets[start:end, None], torch.ones_like(logits[:, :1]))
            grad_logits.mul_(grad_logps[start:end, None])
            grad_hidden[start:end] = (grad_logits.to(weight.dtype) @ weight).to(hidden.dtype)
        return grad_hidden, None, None, None


def plain_head_weight(causal_lm) -> torch.Tensor | None:
    """The head's weight when the head is a bias-free linear map that is not being trained, else None."""
    head = causal_lm.get_output_embeddings()
    if type(head) is torch.nn.Linear and head.bias is None and not head.weight.requires_grad:
        return head.weight
    return None


def head_logps(causal_lm, hidden: torch.Tensor, targets: torch.Tensor, stats: bool = False):
    """log p(target) for each row of `hidden`; with `stats`, (logps, entropy, mean logit)."""
    weight = plain_head_weight(causal_lm)
    if weight is not None:
        return _HeadLogps.apply(hidden, weight, targets, stats)
    # A head that is trained or is not a plain linear map goes through autograd whole.
    logits = causal_lm.get_output_embeddings()(hidden).float()
    normaliser = torch.logsumexp(logits, dim=-1)
    logps = logits.gather(-1, targets[:, None]).squeeze(-1) - normaliser
    if not stats:
        return logps
    with torch.no_grad():
        detached = logits.detach()
        return logps, _entropy(detached, normaliser.detach()), detached.mean(-1)
