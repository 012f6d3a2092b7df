#!/usr/bin/python3
"""Writes the golden reference files that the Java trainer tests compare against.

An independent, readable PyTorch re-implementation of transformers' LlamaForCausalLM and Qwen2ForCausalLM plus the
TRL losses of docs/alignment-math.md (DPO: Rafailov et al. 2023, arXiv:2305.18290; IPO: Azar et al. 2023,
arXiv:2310.12036; ORPO: Hong et al. 2024, arXiv:2403.07691). It needs only Debian's python3-torch (1.13) and numpy:
no transformers, no safetensors package, so a fresh CI machine can regenerate and diff the files.

    /usr/bin/python3 trainer-image/src/test/python/make_golden.py [--check-only]

See README.md next to this script for what each file holds and the tolerances the Java tests should use.
"""
import argparse
import json
import math
import struct
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "resources" / "golden"

# Loss hyper-parameters shared by every case (alignment-math.md).
BETA = 0.1
LABEL_SMOOTHING = 0.1
ORPO_LAMBDA = 0.1
PAD_ID = 0

# AdamW / clipping exactly as torch.optim.AdamW + clip_grad_norm_ (one parameter group, decay on every tensor).
ADAMW = dict(lr=1e-2, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)
MAX_GRAD_NORM = 1.0
ADAMW_STEPS = 2

# Two prompt/completion pairs, right padded to T=12; chosen and rejected of a pair share the prompt.
# Rows 0-1 are the chosen completions of pairs 0-1, rows 2-3 the rejected ones (TRL's concatenated batch order).
# Prompts start with BOS (1), completions end with EOS (2).
PROMPTS = [[1, 17, 5, 33], [1, 25, 44]]
CHOSEN = [[9, 41, 22, 30, 2], [6, 19, 38, 11, 27, 3, 46, 14, 2]]
REJECTED = [[12, 7, 2], [31, 8, 20, 40, 15, 36, 2]]
SEQ_LEN = 12

CASES = {
    "llama-tiny": dict(
        seed=1234,
        arch="llama",
        vocab_size=48, hidden_size=32, intermediate_size=40, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=2, rms_norm_eps=1e-5, rope_theta=10000.0,
        tie_word_embeddings=True, qkv_bias=False,
    ),
    "qwen2-tiny": dict(
        seed=5678,
        arch="qwen2",
        vocab_size=48, hidden_size=32, intermediate_size=40, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=2, rms_norm_eps=1e-6, rope_theta=1000000.0,
        tie_word_embeddings=False, qkv_bias=True,
    ),
}


# ----------------------------------------------------------------------------------------------------------------------
# safetensors by hand: u64 LE header length, JSON header {name: {dtype, shape, data_offsets}, __metadata__}, raw LE data.

def write_safetensors(path, tensors):
    """tensors: dict name -> torch tensor (written as F32, in name order)."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        array = tensors[name].detach().to(torch.float32).contiguous().numpy().astype("<f4")
        blob = array.tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    header["__metadata__"] = {"format": "pt"}
    header_bytes = json.dumps(header, separators=(",", ":")).encode("utf-8")
    header_bytes += b" " * (-len(header_bytes) % 8)  # the data starts 8-byte aligned, as safetensors writes it
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(header_bytes)))
        f.write(header_bytes)
        for blob in blobs:
            f.write(blob)


def read_safetensors(path):
    data = Path(path).read_bytes()
    (header_len,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + header_len].decode("utf-8"))
    base = 8 + header_len
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} has dtype {info['dtype']}, this reader only handles F32")
        start, end = info["data_offsets"]
        array = np.frombuffer(data[base + start:base + end], dtype="<f4").reshape(info["shape"])
        out[name] = torch.from_numpy(array.copy())
    return out


# ----------------------------------------------------------------------------------------------------------------------
# config.json as transformers 4.46 writes it (sorted keys, indent 2).

def hf_config(case):
    common = {
        "attention_dropout": 0.0,
        "bos_token_id": 1,
        "eos_token_id": 2,
        "hidden_act": "silu",
        "hidden_size": case["hidden_size"],
        "initializer_range": 0.02,
        "intermediate_size": case["intermediate_size"],
        "max_position_embeddings": 64,
        "num_attention_heads": case["num_attention_heads"],
        "num_hidden_layers": case["num_hidden_layers"],
        "num_key_value_heads": case["num_key_value_heads"],
        "rms_norm_eps": case["rms_norm_eps"],
        "rope_scaling": None,
        "rope_theta": case["rope_theta"],
        "tie_word_embeddings": case["tie_word_embeddings"],
        "torch_dtype": "float32",
        "transformers_version": "4.46.3",
        "use_cache": True,
        "vocab_size": case["vocab_size"],
    }
    if case["arch"] == "llama":
        specific = {
            "architectures": ["LlamaForCausalLM"],
            "model_type": "llama",
            "attention_bias": False,
            "head_dim": case["hidden_size"] // case["num_attention_heads"],
            "mlp_bias": False,
            "pretraining_tp": 1,
        }
    else:
        specific = {
            "architectures": ["Qwen2ForCausalLM"],
            "model_type": "qwen2",
            "max_window_layers": 28,
            "sliding_window": None,  # Qwen2Config nulls it when use_sliding_window is false
            "use_sliding_window": False,
        }
    return {**common, **specific}


def write_json(path, obj):
    path.parent.mkdir(parents=True, exist_ok=True)
    # Python's float repr is the shortest string that round-trips the double: full precision.
    path.write_text(json.dumps(obj, indent=2, sort_keys=True) + "\n")


# ----------------------------------------------------------------------------------------------------------------------
# The model. Shapes: B batch, T time, D hidden, H heads, K kv heads, E head_dim, V vocab, I intermediate.

def init_params(case, generator):
    """Random weights, Hugging Face names, Linear weights [out, in]. std 0.2 so that logits are not flat."""
    D, I, V = case["hidden_size"], case["intermediate_size"], case["vocab_size"]
    H, K = case["num_attention_heads"], case["num_key_value_heads"]
    E = D // H

    def normal(*shape, std=0.2):
        return torch.randn(*shape, generator=generator, dtype=torch.float32) * std

    def norm_weight():
        return 1.0 + 0.1 * (2.0 * torch.rand(D, generator=generator, dtype=torch.float32) - 1.0)

    p = {"model.embed_tokens.weight": normal(V, D)}
    for i in range(case["num_hidden_layers"]):
        pre = f"model.layers.{i}."
        p[pre + "input_layernorm.weight"] = norm_weight()
        p[pre + "self_attn.q_proj.weight"] = normal(H * E, D)
        p[pre + "self_attn.k_proj.weight"] = normal(K * E, D)
        p[pre + "self_attn.v_proj.weight"] = normal(K * E, D)
        if case["qkv_bias"]:
            p[pre + "self_attn.q_proj.bias"] = normal(H * E, std=0.1)
            p[pre + "self_attn.k_proj.bias"] = normal(K * E, std=0.1)
            p[pre + "self_attn.v_proj.bias"] = normal(K * E, std=0.1)
        p[pre + "self_attn.o_proj.weight"] = normal(D, H * E)
        p[pre + "post_attention_layernorm.weight"] = norm_weight()
        p[pre + "mlp.gate_proj.weight"] = normal(I, D)
        p[pre + "mlp.up_proj.weight"] = normal(I, D)
        p[pre + "mlp.down_proj.weight"] = normal(D, I)
    p["model.norm.weight"] = norm_weight()
    if not case["tie_word_embeddings"]:
        p["lm_head.weight"] = normal(V, D)
    return p


def rms_norm(x, weight, eps):
    # transformers' LlamaRMSNorm: statistics in float32 (float64 when checking), weight applied after the cast back.
    dtype = x.dtype
    h = x.to(torch.promote_types(dtype, torch.float32))
    h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + eps)
    return weight * h.to(dtype)


def rotary_cos_sin(T, E, theta, dtype):
    # inv_freq = 1/theta^(2j/E); angles of positions 0..T-1 concatenated [freqs, freqs] (rotate-half layout).
    inv_freq = 1.0 / (theta ** (torch.arange(0, E, 2, dtype=torch.int64).to(dtype) / E))  # [E/2]
    freqs = torch.arange(T, dtype=dtype)[:, None] * inv_freq[None, :]  # [T, E/2]
    emb = torch.cat([freqs, freqs], dim=-1)  # [T, E]
    return emb.cos(), emb.sin()


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat([-x2, x1], dim=-1)


def linear(x, p, name):
    bias = p.get(name + ".bias")
    return F.linear(x, p[name + ".weight"], bias)


def attention(x, p, pre, case, cos, sin, mask):
    B, T, D = x.shape
    H, K = case["num_attention_heads"], case["num_key_value_heads"]
    E = D // H
    q = linear(x, p, pre + "q_proj").view(B, T, H, E).transpose(1, 2)  # [B, H, T, E]
    k = linear(x, p, pre + "k_proj").view(B, T, K, E).transpose(1, 2)  # [B, K, T, E]
    v = linear(x, p, pre + "v_proj").view(B, T, K, E).transpose(1, 2)  # [B, K, T, E]
    q = q * cos + rotate_half(q) * sin
    k = k * cos + rotate_half(k) * sin
    # Grouped-query attention: query head h reads kv head h // (H/K) (repeat_kv).
    k = k.repeat_interleave(H // K, dim=1)  # [B, H, T, E]
    v = v.repeat_interleave(H // K, dim=1)
    scores = (q @ k.transpose(-1, -2)) * (1.0 / math.sqrt(E))  # [B, H, T, T]
    scores = scores.masked_fill(~mask, torch.finfo(scores.dtype).min)
    weights = torch.softmax(scores, dim=-1)
    out = (weights @ v).transpose(1, 2).reshape(B, T, H * E)  # [B, T, D]
    return linear(out, p, pre + "o_proj")


def mlp(x, p, pre):
    return linear(F.silu(linear(x, p, pre + "gate_proj")) * linear(x, p, pre + "up_proj"), p, pre + "down_proj")


def forward(p, case, input_ids, attention_mask):
    """Logits [B, T, V]. Mask = causal AND key not padding, as transformers builds it from attention_mask."""
    B, T = input_ids.shape
    D, H = case["hidden_size"], case["num_attention_heads"]
    dtype = p["model.embed_tokens.weight"].dtype
    eps = case["rms_norm_eps"]
    cos, sin = rotary_cos_sin(T, D // H, case["rope_theta"], dtype)
    causal = torch.tril(torch.ones(T, T, dtype=torch.bool))
    mask = causal[None, None, :, :] & attention_mask.bool()[:, None, None, :]  # [B, 1, T, T]
    x = p["model.embed_tokens.weight"][input_ids]  # [B, T, D]
    for i in range(case["num_hidden_layers"]):
        pre = f"model.layers.{i}."
        x = x + attention(rms_norm(x, p[pre + "input_layernorm.weight"], eps), p, pre + "self_attn.", case, cos, sin,
                          mask)
        x = x + mlp(rms_norm(x, p[pre + "post_attention_layernorm.weight"], eps), p, pre + "mlp.")
    x = rms_norm(x, p["model.norm.weight"], eps)
    head = p["model.embed_tokens.weight"] if case["tie_word_embeddings"] else p["lm_head.weight"]
    return x @ head.t()  # [B, T, V]


# ----------------------------------------------------------------------------------------------------------------------
# Batch, log-probabilities and losses.

def make_batch():
    rows, prompt_lengths = [], []
    for completions in (CHOSEN, REJECTED):
        for prompt, completion in zip(PROMPTS, completions):
            rows.append(prompt + completion)
            prompt_lengths.append(len(prompt))
    lengths = [len(r) for r in rows]
    input_ids = [r + [PAD_ID] * (SEQ_LEN - len(r)) for r in rows]
    return {"input_ids": input_ids, "prompt_lengths": prompt_lengths, "lengths": lengths}


def masks(batch):
    """attention_mask [B, T]; completion_mask [B, T-1] over targets 1..T-1; token_mask [B, T-1] all non-pad targets."""
    B, T = len(batch["input_ids"]), SEQ_LEN
    pos = torch.arange(T)[None, :]
    lengths = torch.tensor(batch["lengths"])[:, None]
    prompts = torch.tensor(batch["prompt_lengths"])[:, None]
    attention_mask = (pos < lengths).long()
    target_pos = pos[:, 1:]  # the token at position t is predicted from logits at t-1
    completion_mask = (target_pos >= prompts) & (target_pos < lengths)
    token_mask = target_pos < lengths
    return attention_mask, completion_mask, token_mask


def token_logps(logits, input_ids):
    """log softmax(logits[t-1])[y_t] for t = 1..T-1, in the logits' dtype: [B, T-1]."""
    logp = torch.log_softmax(logits[:, :-1, :], dim=-1)
    return logp.gather(-1, input_ids[:, 1:, None]).squeeze(-1)


def sequence_logps(logits, input_ids, completion_mask):
    """(sum, average) over completion tokens, as float64 (the sum itself is taken in the model's dtype, like TRL)."""
    per_token = token_logps(logits, input_ids) * completion_mask
    total = per_token.sum(-1).double()
    return total, total / completion_mask.sum(-1).double()


def log1mexp(x):
    # log(1 - exp(x)) for x < 0 without cancellation (Maechler 2012): log(-expm1(x)) near 0, log1p(-exp(x)) below -ln 2.
    return torch.where(x > -math.log(2.0), torch.log(-torch.expm1(x)), torch.log1p(-torch.exp(x)))


def dpo_d(pi, ref):
    """d = (pi_w - ref_w) - (pi_l - ref_l) per pair; rows [0, n) chosen, [n, 2n) rejected."""
    n = pi.shape[0] // 2
    return (pi[:n] - ref[:n]) - (pi[n:] - ref[n:])


def dpo_losses(pi, pi_avg, ref, ref_avg):
    """Every DPO variant of alignment-math.md, each a mean over pairs (float64)."""
    d = dpo_d(pi, ref)
    bd = BETA * d
    eps = LABEL_SMOOTHING
    return {
        "dpo_sigmoid": (-F.logsigmoid(bd)).mean(),  # DPO eq. 7
        "dpo_sigmoid_ls": (-(1 - eps) * F.logsigmoid(bd) - eps * F.logsigmoid(-bd)).mean(),  # cDPO
        "dpo_robust": ((-(1 - eps) * F.logsigmoid(bd) + eps * F.logsigmoid(-bd)) / (1 - 2 * eps)).mean(),
        "dpo_hinge": torch.relu(1 - bd).mean(),
        "dpo_ipo": ((dpo_d(pi_avg, ref_avg) - 1 / (2 * BETA)) ** 2).mean(),  # IPO eq. 17, on average log-probs
    }


def dpo_metrics(pi, ref):
    n = pi.shape[0] // 2
    chosen = BETA * (pi[:n] - ref[:n])
    rejected = BETA * (pi[n:] - ref[n:])
    return {
        "rewards/chosen": chosen.mean(),
        "rewards/rejected": rejected.mean(),
        "rewards/accuracies": (chosen > rejected).double().mean(),
        "rewards/margins": (chosen - rejected).mean(),
        "logps/chosen": pi[:n].mean(),
        "logps/rejected": pi[n:].mean(),
    }


def orpo(logits, input_ids, completion_mask, token_mask):
    """ORPO loss and metrics (Hong et al. 2024, eq. 6-7), TRL's ORPOTrainer layering."""
    n = input_ids.shape[0] // 2
    _, avg = sequence_logps(logits, input_ids, completion_mask)
    l_w, l_l = avg[:n], avg[n:]
    # NLL of the chosen rows over every non-padding target, prompt included, mean over the batch's tokens.
    nll_tokens = -token_logps(logits[:n], input_ids[:n]).double() * token_mask[:n]
    nll = nll_tokens.sum() / token_mask[:n].sum()
    log_odds = (l_w - l_l) - (log1mexp(l_w) - log1mexp(l_l))
    ratio = F.logsigmoid(log_odds)
    chosen, rejected = ORPO_LAMBDA * l_w, ORPO_LAMBDA * l_l
    return {
        "orpo_loss": nll - ORPO_LAMBDA * ratio.mean(),
        "nll_loss": nll,
        "log_odds_ratio": ratio.mean(),
        "log_odds_chosen": log_odds.mean(),
        "orpo/rewards/chosen": chosen.mean(),
        "orpo/rewards/rejected": rejected.mean(),
        "orpo/rewards/accuracies": (chosen > rejected).double().mean(),
        "orpo/rewards/margins": (chosen - rejected).mean(),
        "orpo/logps/chosen": l_w.mean(),
        "orpo/logps/rejected": l_l.mean(),
    }


def sft_loss(logits, input_ids, completion_mask):
    n = input_ids.shape[0] // 2
    nll = -token_logps(logits[:n], input_ids[:n]).double() * completion_mask[:n]
    return nll.sum() / completion_mask[:n].sum()


def dpo_sigmoid_objective(p, case, input_ids, attention_mask, completion_mask, ref_logps):
    logits = forward(p, case, input_ids, attention_mask)
    pi, pi_avg = sequence_logps(logits, input_ids, completion_mask)
    return (-F.logsigmoid(BETA * dpo_d(pi, ref_logps))).mean()


def orpo_objective(p, case, input_ids, attention_mask, completion_mask, token_mask):
    return orpo(forward(p, case, input_ids, attention_mask), input_ids, completion_mask, token_mask)["orpo_loss"]


def gradients(objective, params, *args):
    leaves = {k: v.detach().clone().requires_grad_(True) for k, v in params.items()}
    loss = objective(leaves, *args)
    loss.backward()
    return loss, {k: v.grad.detach().clone() for k, v in leaves.items()}


def adamw_run(params, case, input_ids, attention_mask, completion_mask, ref_logps):
    leaves = {k: v.detach().clone().requires_grad_(True) for k, v in params.items()}
    ordered = [leaves[k] for k in sorted(leaves)]
    opt = torch.optim.AdamW(ordered, **ADAMW)
    norms = []
    for _ in range(ADAMW_STEPS):
        opt.zero_grad()
        dpo_sigmoid_objective(leaves, case, input_ids, attention_mask, completion_mask, ref_logps).backward()
        norms.append(float(torch.nn.utils.clip_grad_norm_(ordered, MAX_GRAD_NORM)))  # returns the pre-clip norm
        opt.step()
    return {k: v.detach().clone() for k, v in leaves.items()}, norms


# ----------------------------------------------------------------------------------------------------------------------
# Schedules: transformers' lambdas in LambdaLR, lr used for step k = k-th value before/after scheduler.step().

def schedules(total=20, warmup=3, base_lr=1.0, num_cycles=0.5):
    def warm(step):
        return float(step) / float(max(1, warmup))

    def constant(step):
        return warm(step) if step < warmup else 1.0

    def linear_decay(step):
        if step < warmup:
            return warm(step)
        return max(0.0, float(total - step) / float(max(1, total - warmup)))

    def cosine(step):
        if step < warmup:
            return warm(step)
        progress = float(step - warmup) / float(max(1, total - warmup))
        return max(0.0, 0.5 * (1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress)))

    out = {"total_steps": total, "warmup_steps": warmup, "base_lr": base_lr, "num_cycles": num_cycles}
    for name, fn in (("constant_with_warmup", constant), ("linear", linear_decay), ("cosine", cosine)):
        opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=base_lr)
        sched = torch.optim.lr_scheduler.LambdaLR(opt, fn)
        lrs = []
        for _ in range(total):
            lrs.append(sched.get_last_lr()[0])  # the lr optimizer.step() of this step uses
            opt.step()
            sched.step()
        out[name] = lrs
    return out


# ----------------------------------------------------------------------------------------------------------------------
# Self-checks (run every time; any failure aborts before anything is trusted).

def check(condition, message):
    if not condition:
        sys.exit(f"make_golden.py: self-check failed: {message}")


def self_checks(name, case, params, ref_params, batch, saved_grads):
    input_ids = torch.tensor(batch["input_ids"])
    attention_mask, completion_mask, token_mask = masks(batch)
    p64 = {k: v.double() for k, v in params.items()}
    r64 = {k: v.double() for k, v in ref_params.items()}

    # 1. Policy == reference: every DPO variant at d = 0.
    logits = forward(p64, case, input_ids, attention_mask)
    pi, pi_avg = sequence_logps(logits, input_ids, completion_mask)
    same = dpo_losses(pi, pi_avg, pi, pi_avg)
    for key in ("dpo_sigmoid", "dpo_sigmoid_ls", "dpo_robust"):
        check(abs(same[key].item() - math.log(2.0)) < 1e-15, f"{name}: {key} at policy==reference is not log 2")
    check(same["dpo_hinge"].item() == 1.0, f"{name}: dpo_hinge at policy==reference is not 1")
    check(abs(same["dpo_ipo"].item() - 25.0) < 1e-12, f"{name}: dpo_ipo at policy==reference is not (1/(2 beta))^2")

    # 2. Padding: each row alone, unpadded, gives the same logits at its real positions; causality: a prefix too.
    for i, length in enumerate(batch["lengths"]):
        alone = forward(p64, case, input_ids[i:i + 1, :length], torch.ones(1, length, dtype=torch.long))
        check(torch.allclose(alone[0], logits[i, :length], atol=1e-12), f"{name}: row {i} depends on its padding")
        prefix = forward(p64, case, input_ids[i:i + 1, :3], torch.ones(1, 3, dtype=torch.long))
        check(torch.allclose(prefix[0], logits[i, :3], atol=1e-12), f"{name}: row {i} is not causal")

    # 3. log1mexp: both branches agree with the naive formula in float64 where the latter is accurate.
    xs = torch.tensor([-1e-3, -0.5, -math.log(2.0), -0.8, -5.0, -30.0], dtype=torch.float64)
    naive = torch.log(1 - torch.exp(xs))
    check(torch.allclose(log1mexp(xs), naive, rtol=1e-9), f"log1mexp disagrees with log(1-exp(x))")

    # 4. Finite differences in float64 against autograd, and the float32 gradients saved against float64 autograd.
    ref_logps64, _ = sequence_logps(forward(r64, case, input_ids, attention_mask), input_ids, completion_mask)
    probes = ["model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight", "model.layers.1.mlp.up_proj.weight",
              "model.norm.weight"]
    probes += [k for k in ("model.layers.0.self_attn.k_proj.bias", "lm_head.weight") if k in params]
    objectives = {
        "dpo_sigmoid": lambda p: dpo_sigmoid_objective(p, case, input_ids, attention_mask, completion_mask,
                                                       ref_logps64),
        "orpo": lambda p: orpo_objective(p, case, input_ids, attention_mask, completion_mask, token_mask),
    }
    h = 1e-6
    for loss_name, objective in objectives.items():
        _, g64 = gradients(lambda p: objective(p), p64)
        for probe in probes:
            index = tuple(min(2, s - 1) for s in p64[probe].shape) if probe != "model.embed_tokens.weight" else (9, 3)
            plus = {k: v.clone() for k, v in p64.items()}
            minus = {k: v.clone() for k, v in p64.items()}
            plus[probe][index] += h
            minus[probe][index] -= h
            fd = (objective(plus).item() - objective(minus).item()) / (2 * h)
            ag = g64[probe][index].item()
            check(abs(fd - ag) <= 1e-7 + 1e-6 * abs(ag), f"{name}: {loss_name} d/d{probe}{index}: fd {fd} vs {ag}")
            f32 = saved_grads[loss_name][probe][index].item()
            check(abs(f32 - ag) <= 1e-5 + 1e-3 * abs(ag), f"{name}: float32 {loss_name} grad of {probe}{index}: "
                                                             f"{f32} vs float64 {ag}")
        # Whole tensors: the float32 gradients stay close to the float64 ones.
        for k in params:
            diff = (saved_grads[loss_name][k].double() - g64[k]).abs().max().item()
            check(diff <= 1e-4 * max(1.0, g64[k].abs().max().item()), f"{name}: float32 grad {loss_name}/{k} off by {diff}")
        print(f"  {name}: {loss_name} finite differences agree at {len(probes)} entries")


# ----------------------------------------------------------------------------------------------------------------------

def generate_case(name, case, out_dir, check_only):
    generator = torch.Generator().manual_seed(case["seed"])
    params = init_params(case, generator)
    ref_params = {k: v + 0.02 * torch.randn(v.shape, generator=generator, dtype=torch.float32)
                  for k, v in params.items()}

    batch = make_batch()
    input_ids = torch.tensor(batch["input_ids"])
    attention_mask, completion_mask, token_mask = masks(batch)

    # Forward passes in float32, like the Java side; scalars in float64.
    with torch.no_grad():
        logits = forward(params, case, input_ids, attention_mask)
        ref_logits = forward(ref_params, case, input_ids, attention_mask)
    pi, pi_avg = sequence_logps(logits, input_ids, completion_mask)
    ref, ref_avg = sequence_logps(ref_logits, input_ids, completion_mask)

    scalars = {k: v.item() for k, v in dpo_losses(pi, pi_avg, ref, ref_avg).items()}
    scalars.update({k: v.item() for k, v in dpo_metrics(pi, ref).items()})
    scalars.update({k: v.item() for k, v in orpo(logits, input_ids, completion_mask, token_mask).items()})
    scalars["sft_loss"] = sft_loss(logits, input_ids, completion_mask).item()

    dpo_value, dpo_grads = gradients(dpo_sigmoid_objective, params, case, input_ids, attention_mask, completion_mask, ref)
    orpo_value, orpo_grads = gradients(orpo_objective, params, case, input_ids, attention_mask, completion_mask,
                                       token_mask)
    check(abs(dpo_value.item() - scalars["dpo_sigmoid"]) < 1e-12, f"{name}: dpo_sigmoid differs between passes")
    check(abs(orpo_value.item() - scalars["orpo_loss"]) < 1e-12, f"{name}: orpo_loss differs between passes")

    stepped, norms = adamw_run(params, case, input_ids, attention_mask, completion_mask, ref)
    global_norm = math.sqrt(sum(float(g.double().pow(2).sum()) for g in dpo_grads.values()))
    check(abs(norms[0] - global_norm) <= 1e-5 * global_norm, f"{name}: grad_norm_step1 {norms[0]} vs {global_norm}")
    scalars["adamw/grad_norm_step1"] = norms[0]
    scalars["adamw/grad_norm_step2"] = norms[1]
    scalars["params/beta"] = BETA
    scalars["params/label_smoothing"] = LABEL_SMOOTHING
    scalars["params/orpo_lambda"] = ORPO_LAMBDA

    self_checks(name, case, params, ref_params, batch, {"dpo_sigmoid": dpo_grads, "orpo": orpo_grads})
    if check_only:
        return

    tensors = {"logits": logits, "policy_logps": pi, "policy_avg_logps": pi_avg,
               "reference_logps": ref, "reference_avg_logps": ref_avg}
    tensors.update({f"grad/dpo_sigmoid/{k}": v for k, v in dpo_grads.items()})
    tensors.update({f"grad/orpo/{k}": v for k, v in orpo_grads.items()})
    tensors.update({f"adamw/{k}": v for k, v in stepped.items()})

    config = hf_config(case)
    write_json(out_dir / "config.json", config)
    write_safetensors(out_dir / "model.safetensors", params)
    write_json(out_dir / "reference" / "config.json", config)
    write_safetensors(out_dir / "reference" / "model.safetensors", ref_params)
    write_json(out_dir / "batch.json", batch)
    write_json(out_dir / "expected.json", scalars)
    write_safetensors(out_dir / "expected.safetensors", tensors)

    # Round trip: what was written reads back bit for bit.
    for path, want in ((out_dir / "model.safetensors", params), (out_dir / "reference" / "model.safetensors", ref_params),
                       (out_dir / "expected.safetensors", tensors)):
        got = read_safetensors(path)
        check(set(got) == set(want), f"{path}: tensor names differ after reading back")
        for k, v in want.items():
            check(torch.equal(got[k], v.detach().float()), f"{path}: {k} differs after reading back")
    size = sum(f.stat().st_size for f in out_dir.rglob("*") if f.is_file())
    print(f"  {name}: wrote {out_dir} ({size} bytes)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check-only", action="store_true", help="run the self-checks, write nothing")
    parser.add_argument("--out", type=Path, default=GOLDEN_DIR, help=f"golden directory (default {GOLDEN_DIR})")
    args = parser.parse_args()

    # One thread: the summation order of the float32 BLAS calls, hence the files, is the same on every machine we run.
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    for name, case in CASES.items():
        generate_case(name, case, args.out / name, args.check_only)
    if not args.check_only:
        write_json(args.out / "schedules.json", schedules())
        print(f"  wrote {args.out / 'schedules.json'}")


if __name__ == "__main__":
    main()
