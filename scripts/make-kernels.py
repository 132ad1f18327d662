#!/usr/bin/env python3
"""Writes the TorchScript inference kernels of poreseg (src/main/resources/poreseg/net/kernels/*.pt).

A kernel holds no weights: it is the forward pass of one architecture as TorchScript, taking the
input batch (N,1,H,W float32), the list of convolution weights and biases (batch norm already folded
in by poreseg.net.ScriptedKernel, last layer padded to 16 output channels) and a bf16 flag, and
returning the pore probability (N,1,H,W float32). poreseg runs it through DJL's PyTorch engine, which
cannot hold bfloat16 tensors itself (DJL 0.36 aborts the process on any BFLOAT16 tensor): inside the
kernel, bf16 tensors never cross the JNI boundary. Activations are channels-last (oneDNN's fast
layout on CPUs).

Run once with Debian's PyTorch (apt-get install python3-torch, version 1.13; libtorch 2.7.1 loads
these files): /usr/bin/python3 scripts/make-kernels.py. The layer lists must match
poreseg.net.PaperNet and poreseg.net.UNetBlock (ScriptedKernelTest checks the outputs against the
eager network).
"""
import os
import re
import zipfile
from typing import List

import torch
import torch.nn.functional as F
from torch import Tensor

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "main", "resources", "poreseg", "net", "kernels")


class Paper(torch.nn.Module):
    """Lee et al. 2023: 3 conv+pool levels (32, 64, 128), a per-pixel dense layer, 3 upsampling levels."""

    def forward(self, x: Tensor, p: List[Tensor], bf16: bool) -> Tensor:
        if bf16:
            x = x.to(torch.bfloat16)
            p = [t.to(torch.bfloat16) for t in p]
        # channels-last weights too: with NCHW weights oneDNN takes a slower path (measured in PyTorch
        # 1.13, U-Net batch 8 of 256x256: bf16 60 -> 100 images/s, fp32 40 -> 54)
        p = [t.contiguous(memory_format=torch.channels_last) if t.dim() == 4 else t for t in p]
        x = x.contiguous(memory_format=torch.channels_last)
        # a convolution of a one-channel input returns NCHW (its strides fit both layouts): back to
        # channels-last, or max-pooling takes its slow NCHW path (paper bf16: 64 -> see docs/net.md)
        x = F.max_pool2d(F.relu(F.conv2d(x, p[0], p[1], padding=1)).contiguous(memory_format=torch.channels_last), 2)
        x = F.max_pool2d(F.relu(F.conv2d(x, p[2], p[3], padding=1)), 2)
        x = F.max_pool2d(F.relu(F.conv2d(x, p[4], p[5], padding=1)), 2)
        x = F.relu(F.conv2d(x, p[6], p[7]))
        x = torch.sigmoid(F.conv2d(F.interpolate(x, scale_factor=2.0, mode="nearest"), p[8], p[9], padding=1))
        x = torch.sigmoid(F.conv2d(F.interpolate(x, scale_factor=2.0, mode="nearest"), p[10], p[11], padding=1))
        x = torch.sigmoid(F.conv2d(F.interpolate(x, scale_factor=2.0, mode="nearest"), p[12], p[13], padding=1))
        return x[:, 0:1].float().contiguous()


class UNet(torch.nn.Module):
    """U-Net: depth levels of (conv-relu) x2 + max-pool, a bottleneck, nearest upsampling + skip
    concatenation + (conv-relu) x2, a 1x1 head and sigmoid. Batch norm is folded into the convolutions.
    The depth follows from the parameter count: 4 depth + 3 convolutions of 2 tensors each."""

    def forward(self, x: Tensor, p: List[Tensor], bf16: bool) -> Tensor:
        if bf16:
            x = x.to(torch.bfloat16)
            p = [t.to(torch.bfloat16) for t in p]
        # channels-last weights too: with NCHW weights oneDNN takes a slower path (measured in PyTorch
        # 1.13, U-Net batch 8 of 256x256: bf16 60 -> 100 images/s, fp32 40 -> 54)
        p = [t.contiguous(memory_format=torch.channels_last) if t.dim() == 4 else t for t in p]
        x = x.contiguous(memory_format=torch.channels_last)
        depth = (len(p) // 2 - 3) // 4
        skips: List[Tensor] = []
        k = 0
        for i in range(depth):
            # channels-last again after the first, one-channel convolution (it returns NCHW)
            x = F.relu(F.conv2d(x, p[k], p[k + 1], padding=1)).contiguous(memory_format=torch.channels_last)
            x = F.relu(F.conv2d(x, p[k + 2], p[k + 3], padding=1))
            k += 4
            skips.append(x)
            x = F.max_pool2d(x, 2)
        x = F.relu(F.conv2d(x, p[k], p[k + 1], padding=1))
        x = F.relu(F.conv2d(x, p[k + 2], p[k + 3], padding=1))
        k += 4
        for i in range(depth):
            x = torch.cat([F.interpolate(x, scale_factor=2.0, mode="nearest"), skips[depth - 1 - i]], 1)
            x = F.relu(F.conv2d(x, p[k], p[k + 1], padding=1))
            x = F.relu(F.conv2d(x, p[k + 2], p[k + 3], padding=1))
            k += 4
        x = torch.sigmoid(F.conv2d(x, p[k], p[k + 1]))
        return x[:, 0:1].float().contiguous()


def conv_padded(x: Tensor, w: Tensor, b: Tensor) -> Tensor:
    """A 1x1 convolution whose output channels are padded to a multiple of 16 with zero filters and cut
    back (the oneDNN NaN-gradient workaround of poreseg.net.PaddedConv2d)."""
    o = w.shape[0]
    if o % 16 != 0:
        extra = 16 - o % 16
        w = torch.cat([w, torch.zeros([extra, w.shape[1], w.shape[2], w.shape[3]], dtype=w.dtype)], 0)
        b = torch.cat([b, torch.zeros([extra], dtype=b.dtype)], 0)
        return F.conv2d(x, w, b)[:, 0:o]
    return F.conv2d(x, w, b)


class UNetTrain(torch.nn.Module):
    """The U-Net for training: batch norm not folded (batch statistics, running statistics updated in
    place with momentum 0.1 = DJL's 0.9), parameters in DJL's block order (per convolution: weight,
    gamma, beta, running mean, running variance; then the head's weight and bias), flags = [bf16,
    training] as an int tensor. With bf16 the convolutions run in bfloat16 on fp32 master weights (the
    casts are differentiable); batch norm statistics stay fp32."""

    def forward(self, x: Tensor, p: List[Tensor], flags: Tensor) -> Tensor:
        bf16 = bool(flags[0] != 0)
        training = bool(flags[1] != 0)
        dt = torch.bfloat16 if bf16 else torch.float32
        depth = ((len(p) - 2) // 10 - 1) // 2
        x = x.to(dt).contiguous(memory_format=torch.channels_last)
        skips: List[Tensor] = []
        k = 0
        for i in range(2 * depth + 1):
            if i > depth:
                x = torch.cat([F.interpolate(x, scale_factor=2.0, mode="nearest"), skips[2 * depth - i]], 1)
            for j in range(2):
                x = F.conv2d(x, p[k].to(dt).contiguous(memory_format=torch.channels_last), None, padding=1).contiguous(
                    memory_format=torch.channels_last)  # the one-channel first convolution returns NCHW
                x = F.relu(F.batch_norm(x, p[k + 3], p[k + 4], p[k + 1], p[k + 2], training, 0.1, 1e-5))
                k += 5
            if i < depth:
                skips.append(x)
                x = F.max_pool2d(x, 2)
        return torch.sigmoid(conv_padded(x, p[k].to(dt), p[k + 1].to(dt))).float()


FUSED = 'ops.mkldnn._convolution_pointwise({x}, {w}, {b}, {pad}, [1, 1], [1, 1], 1, "relu", annotate(List[Optional[number]], []), None)'


def fuse_conv_relu(code):
    """Rewrites every conv2d whose result only feeds a relu into libtorch 2.x's fused oneDNN operator
    mkldnn::_convolution_pointwise(X, W, B, padding, stride, dilation, groups, "relu", [], None).
    PyTorch 1.13 cannot script it (the operator is newer), so the saved code is edited as text; libtorch
    2.7.1 compiles it when the archive loads. Stride 1 everywhere; padding [1, 1] (3x3) or [0, 0] (1x1)."""
    n = 0

    def fused(x, w, b, pad):
        return FUSED.format(x=x, w=w, b=b, pad="[1, 1]" if pad else "[0, 0]")

    # _5 = torch.conv2d(x, w, b[, [1, 1], [1, 1]])  /  y = __torch__.torch.nn.functional.relu(_5, False, )
    two_lines = re.compile(r"(_\d+) = torch\.conv2d\((\w+), (p\d*\[[^\]]+\]), (p\d*\[[^\]]+\])(, \[1, 1\], \[1, 1\])?\)\n"
                           r"(\s+)(\w+) = __torch__\.torch\.nn\.functional\.relu\(\1, False, \)")
    # y = __torch__.torch.nn.functional.relu(torch.conv2d(x, w, b[, [1, 1], [1, 1]]), False, )
    one_line = re.compile(r"__torch__\.torch\.nn\.functional\.relu\(torch\.conv2d\((\w+), (p\d*\[[^\]]+\]), (p\d*\[[^\]]+\])"
                          r"(, \[1, 1\], \[1, 1\])?\), False, \)")

    def two(m):
        nonlocal n
        n += 1
        return "%s = %s" % (m.group(7), fused(m.group(2), m.group(3), m.group(4), m.group(5)))

    def one(m):
        nonlocal n
        n += 1
        return fused(m.group(1), m.group(2), m.group(3), m.group(4))

    code = two_lines.sub(two, code)
    code = one_line.sub(one, code)
    return code, n


def write_fused(src, dst):
    """A copy of the kernel archive src with conv+relu fused (the code's debug tables, which map the
    original text, are left out)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zout:
        total = 0
        for item in zin.infolist():
            if item.filename.endswith(".debug_pkl"):
                continue
            data = zin.read(item.filename)
            if item.filename.endswith("/code/__torch__.py"):
                text, total = fuse_conv_relu(data.decode("utf-8"))
                data = text.encode("utf-8")
            zout.writestr(item.filename, data)
    return total


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, module in (("paper", Paper()), ("unet", UNet()), ("unet_train", UNetTrain())):
        path = os.path.join(OUT, name + ".pt")
        torch.jit.script(module).save(path)
        print("wrote", os.path.normpath(path), os.path.getsize(path), "bytes (PyTorch", torch.__version__ + ")")
    for name, expected in (("paper", 4), ("unet", 6)):
        src = os.path.join(OUT, name + ".pt")
        dst = os.path.join(OUT, name + "_fused.pt")
        n = write_fused(src, dst)
        if n != expected:
            raise SystemExit("%s: fused %d conv+relu pairs, expected %d" % (name, n, expected))
        print("wrote", os.path.normpath(dst), os.path.getsize(dst), "bytes,", n, "conv+relu pairs fused")


if __name__ == "__main__":
    main()
