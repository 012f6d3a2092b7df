#!/usr/bin/env python3
"""Writes the golden file that TorchGoldenTest compares our float16/bfloat16 conversions with.

The file is assembled by hand with struct and json (no safetensors package), so that it also checks that our reader
understands a file we did not write. Rounding is PyTorch's: tensor.to(torch.float16 / torch.bfloat16).

Tensors (all 1-D, one element per input value):
  input        F32   the float32 inputs: edge cases, ties, random magnitudes and random bit patterns
  f16          F16   torch's binary16 rounding of input
  bf16         BF16  torch's bfloat16 rounding of input
  f16_bits     F32   the bits of f16 as an unsigned integer value (0..65535, exact in float32)
  bf16_bits    F32   the bits of bf16 likewise
  f16_to_f32   F32   f16 widened back to float32 by torch
  bf16_to_f32  F32   bf16 widened back to float32 by torch

Run from anywhere: /usr/bin/python3 trainer-image/src/test/python/make_safetensors_golden.py
"""
import json
import math
import pathlib
import struct

import torch

OUT = (pathlib.Path(__file__).resolve().parents[1]
       / "resources" / "dev" / "prefalign" / "trainer" / "safetensors" / "torch_golden.safetensors")


def to_bits(value):
    """float32 bits of a Python float, rounded to nearest like any float32 conversion."""
    return struct.unpack("<I", struct.pack("<f", value))[0]


def inputs():
    values = [0.0, -0.0, 1.0, -2.0, 0.5, 1.0 / 3.0, math.pi, -math.e, 0.1, 1e-3, 1e6, -1e6,
              65504.0, 65505.0, 65519.0, 65519.996, 65520.0, 65536.0, -65520.0, 1e38,
              2.0 ** -14, 2.0 ** -15, 2.0 ** -24, -2.0 ** -24, 2.0 ** -25, 1.5 * 2.0 ** -25, 2.0 ** -26,
              2.5 * 2.0 ** -24, 3.5 * 2.0 ** -24, 1023.5 * 2.0 ** -24,
              float("inf"), float("-inf")]
    bits = [0x7F7FFFFF, 0x00800000, 0x00000001, 0x80000001,
            0x7FC00000, 0xFFC00000, 0x7F800001, 0x7FA00000]  # max, min normal, subnormals, NaNs (quiet, signalling)
    # Exactly halfway between two bfloat16 values (low 16 bits 0x8000), with an even and an odd upper half.
    bits += [0x3F808000, 0x3F818000, 0xBF808000, 0xBF818000, 0x00018000, 0x7F7F8000, 0x40490000 | 0x8000]
    # Exactly halfway between two binary16 values (low 13 bits 0x1000), normal range, even and odd.
    bits += [0x3F801000, 0x3F803000, 0xC0001000, 0xC0003000, 0x38801000, 0x38803000, 0x477FD000, 0x477FF000]
    bits = [to_bits(v) for v in values] + bits

    generator = torch.Generator().manual_seed(20240611)
    count = 300
    exponents = torch.rand(count, generator=generator, dtype=torch.float64) * 48.0 - 30.0  # 2^-30 .. 2^18
    signs = torch.randint(0, 2, (count,), generator=generator) * 2 - 1
    mantissas = 1.0 + torch.rand(count, generator=generator, dtype=torch.float64)
    bits += [to_bits(v) for v in (signs * mantissas * torch.pow(2.0, exponents)).tolist()]
    bits += torch.randint(0, 2 ** 32, (100,), generator=generator, dtype=torch.int64).tolist()
    # Built from bits, not Python floats, so that NaN payloads (a signalling one included) reach torch unchanged.
    signed = [b - 2 ** 32 if b >= 2 ** 31 else b for b in bits]
    return torch.tensor(signed, dtype=torch.int32).view(torch.float32)


def le_bytes(tensor):
    if tensor.dtype == torch.float32:
        return struct.pack("<%dI" % tensor.numel(), *[b & 0xFFFFFFFF for b in tensor.view(torch.int32).tolist()])
    return struct.pack("<%dH" % tensor.numel(), *[b & 0xFFFF for b in tensor.view(torch.int16).tolist()])


def main():
    x = inputs()
    f16 = x.to(torch.float16)
    bf16 = x.to(torch.bfloat16)
    tensors = [
        ("input", "F32", x),
        ("f16", "F16", f16),
        ("bf16", "BF16", bf16),
        ("f16_bits", "F32", (f16.view(torch.int16).to(torch.int64) & 0xFFFF).to(torch.float32)),
        ("bf16_bits", "F32", (bf16.view(torch.int16).to(torch.int64) & 0xFFFF).to(torch.float32)),
        ("f16_to_f32", "F32", f16.to(torch.float32)),
        ("bf16_to_f32", "F32", bf16.to(torch.float32)),
    ]
    header = {"__metadata__": {"generator": "make_safetensors_golden.py", "torch": torch.__version__}}
    data = b""
    for name, dtype, tensor in tensors:
        raw = le_bytes(tensor)
        header[name] = {"dtype": dtype, "shape": [tensor.numel()], "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    header_bytes = json.dumps(header, separators=(",", ":")).encode("utf-8")
    header_bytes += b" " * (-len(header_bytes) % 8)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(struct.pack("<Q", len(header_bytes)) + header_bytes + data)
    print("wrote %s (%d values, %d bytes)" % (OUT, x.numel(), OUT.stat().st_size))


if __name__ == "__main__":
    main()
