#!/usr/bin/env python3
"""Writes the TorchScript inference kernels of poreseg (src/main/resources/poreseg/net/kernels/*.pt).

A kernel holds no weights: it is the forward pass of one architecture as TorchScript, taking the
input batch (N,1,H,W float32), the list of convolution weights and biases (batch norm already folded
in by poreseg.net.ScriptedKernel, last layer padded to 16 output channels), a bf16 flag and the pixels
of one inference group (group_images; 0: the whole batch in one pass), and returning the pore
probability (N,1,H,W float32). poreseg runs it through DJL's PyTorch engine, which cannot hold
bfloat16 tensors itself (DJL 0.36 aborts the process on any BFLOAT16 tensor): inside the kernel,
bf16 tensors never cross the JNI boundary. Activations are channels-last (oneDNN's fast layout on
CPUs).

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


def up_tconv(w: Tensor) -> Tensor:
    """The weights of conv3x3(upsample2x_nearest(x), w, padding 1) as one transposed convolution of x itself,
    kernel 4x4, stride 2, padding 1 (weights (I, O, 4, 4); the bias is unchanged). Exact: fine row 2i takes
    coarse rows i - 1 (tap 0) and i (taps 1 + 2), fine row 2i + 1 coarse rows i (taps 0 + 1) and i + 1 (tap 2),
    and the transposed convolution's kernel rows 3, 1 and 2, 0 meet those rows: its rows are the original taps
    [t2, t1 + t2, t0 + t1, t0]. Against the 3x3 phase convolutions of the 2026-12-06 kernels: 16 instead of 36
    multiply-adds per coarse pixel and input channel (each phase's 3x3 taps hold only 2x2 non-zero ones), and
    oneDNN writes the fine, interleaved output itself: no interleaving copy."""
    m = torch.tensor([[0.0, 0.0, 1.0], [0.0, 1.0, 1.0], [1.0, 1.0, 0.0], [1.0, 0.0, 0.0]], dtype=w.dtype)  # [kernel row, tap]
    return torch.einsum("kr,ls,oirs->iokl", m, m, w)


def up_phase2(w: Tensor) -> Tensor:
    """The weights of conv3x3(upsample2x_nearest(x), w, padding 1) as one 2x2 convolution of x itself, padding 1,
    with 4x the output channels (phase-major: channel (2a + e) O + o is output o at the fine pixel
    (2i + a, 2j + e)). Its output is one row and column larger than x; the phase (a, e) of fine pixel
    (2i + a, 2j + e) sits at (i + a, j + e) (interleave_shifted). Exact: fine row 2i takes coarse rows i - 1 (tap 0)
    and i (taps 1 + 2), fine row 2i + 1 rows i (taps 0 + 1) and i + 1 (tap 2), and a 2x2 kernel with padding 1
    reads rows o - 1 and o at output row o. The multiply-adds of up_tconv (16 per coarse pixel and input channel
    against 36 for 3x3 phases or the upsampled input) without a transposed convolution (libtorch 2.7.1's quantized
    ones are wrong, docs/net.md#speed)."""
    m = torch.tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]], [[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]]], dtype=w.dtype)  # [a, kernel row, tap]
    o, i = w.shape[0], w.shape[1]
    return torch.einsum("ard,esf,oidf->aeoirs", m, m, w).reshape([4 * o, i, 2, 2])


def interleave_shifted(y: Tensor) -> Tensor:
    """(N, 4C, H + 1, W + 1) channels-last from a up_phase2 convolution -> (N, C, 2H, 2W) channels-last: the
    phase (a, e) of fine pixel (2i + a, 2j + e) from (i + a, j + e). One copy per phase, the channels innermost;
    a quantized tensor stays quantized (its integers are copied, the scale kept)."""
    n, c4, h1, w1 = y.shape
    c = c4 // 4
    h = h1 - 1
    w = w1 - 1
    t = y.permute(0, 2, 3, 1).reshape([n, h1, w1, 2, 2, c])
    if y.is_quantized:
        out = torch._empty_affine_quantized([n, h, 2, w, 2, c], scale=y.q_scale(), zero_point=y.q_zero_point(), dtype=y.dtype)
    else:
        out = torch.empty([n, h, 2, w, 2, c], dtype=y.dtype)
    for a in range(2):
        for e in range(2):
            out[:, :, a, :, e, :] = t[:, a:a + h, e:e + w, a, e, :]
    return out.reshape([n, 2 * h, 2 * w, c]).permute(0, 3, 1, 2)


def interleave_gather(y: Tensor) -> Tensor:
    """interleave_shifted as one row gather (index_select over the channels-last rows), for training: its
    backward is one zero-filled gradient and one index_add, where the slices and selects of
    interleave_shifted zero-fill a gradient of their input's size in each of their 16 backward steps
    (aten::fill_ 44 % of a paper-network training step in libtorch's profiler)."""
    n, c4, h1, w1 = y.shape
    c = c4 // 4
    h = h1 - 1
    w = w1 - 1
    t = y.permute(0, 2, 3, 1).reshape([n * h1 * w1 * 4, c])
    i = torch.arange(h).view([h, 1, 1, 1])
    a = torch.arange(2).view([1, 2, 1, 1])
    j = torch.arange(w).view([1, 1, w, 1])
    e = torch.arange(2).view([1, 1, 1, 2])
    idx = ((i + a) * w1 + j + e) * 4 + 2 * a + e  # fine row 2i + a, column 2j + e
    idx = (torch.arange(n).view([n, 1]) * (h1 * w1 * 4) + idx.reshape([1, 4 * h * w])).reshape([-1])
    if t.dtype == torch.bfloat16:
        # gathered in fp32 (its backward's index_add too): one of 30 bf16 training runs of the paper network with the
        # gather in bf16 diverged (loss 1.25 -> 1.39 where every other run reaches 0.83 by epoch 4), cause unknown,
        # so the conservative form, 10 % slower (docs/net.md#speed)
        return t.float().index_select(0, idx.to(y.device)).to(torch.bfloat16).reshape([n, 2 * h, 2 * w, c]).permute(0, 3, 1, 2)
    return t.index_select(0, idx.to(y.device)).reshape([n, 2 * h, 2 * w, c]).permute(0, 3, 1, 2)


def first_input(x: Tensor, w: Tensor) -> List[Tensor]:
    """The one-channel input and first weights with explicit channels-last strides: a one-channel tensor's
    contiguous strides fit both layouts, libtorch then reads them as NCHW and the first convolution
    returns NCHW, and turning that 32-channel output into channels-last cost 20-35 % of the paper net's
    forward pass. The same memory with the channel stride 1 is unambiguously channels-last. (A second,
    zero input channel did the same at twice the first layer's cost: 2-5 % slower.)"""
    n, c, h, ww = x.shape
    x = x.contiguous()
    w = w.contiguous()
    return [x.as_strided([n, 1, h, ww], [h * ww, 1, ww, 1]), w.as_strided(w.shape, [w.shape[2] * w.shape[3], 1, w.shape[3], 1])]


def pool2(x: Tensor) -> Tensor:
    """2x2 max-pooling of a channels-last tensor without the argmax indices that libtorch's max_pool2d writes
    even for inference (int64, 4x the output's bytes in bf16): the maximum of each pair of rows, then of
    each pair of columns, each on contiguous channel vectors. Exact (max is order-free); odd sizes fall back
    to max_pool2d, which drops the last row or column the same way."""
    n, c, h, w = x.shape
    if h % 2 != 0 or w % 2 != 0:
        return F.max_pool2d(x, 2)
    v = x.permute(0, 2, 3, 1).reshape([n, h // 2, 2, w, c])
    r = torch.maximum(v[:, :, 0], v[:, :, 1]).reshape([n, h // 2, w // 2, 2, c])
    return torch.maximum(r[:, :, :, 0], r[:, :, :, 1]).permute(0, 3, 1, 2)


def group_images(x: Tensor, group_pixels: int) -> int:
    """How many images of the batch x one pass of an inference kernel takes: as many as fit in group_pixels
    (at least one); the whole batch where group_pixels is 0. poreseg.net.ScriptedKernel.groupPixels chooses
    it per CPU and precision: with bf16 on AMX the convolutions outrun memory, and a whole batch's full-size
    activations (32 x 256² x 32 channels = 134 MB for the paper net's first layer) go out to DRAM and back;
    in 2^18-pixel groups they stay in the caches (Intel Xeon with AMX-BF16, libtorch 2.7.1, 2 threads, paper
    net, batch 32 of 256²: bf16 +10-20 %). Each image's result is the same as in a whole-batch pass."""
    if group_pixels <= 0:
        return x.shape[0]
    return max(1, group_pixels // (x.shape[2] * x.shape[3]))


class Paper(torch.nn.Module):
    """Lee et al. 2023: 3 conv+pool levels (32, 64, 128), a per-pixel dense layer, 3 upsampling levels.
    The decoder's upsample+conv pairs run as 2x2 convolutions of their 4 phases at the coarse size (up_phase2 +
    interleave_shifted; conv + sigmoid then fused by oneDNN): the transposed convolutions' multiply-adds
    (up_tconv, used from the fifth session of 2026-12-06 to the eighteenth: +38 % fp32, +7 % bf16 against
    3x3 phases), and against them faster in 9 of 10 alternating rounds in bf16, 7 of 10 in fp32
    (docs/net.md#speed)."""

    def forward(self, x: Tensor, p: List[Tensor], bf16: bool, group_pixels: int) -> Tensor:
        # decoder weights first, in fp32; the last layer's padding to 16 outputs is not needed here
        first = first_input(x, p[0])
        x = first[0]
        p = [first[1], p[1], p[2], p[3], p[4], p[5], p[6], p[7], up_phase2(p[8]), p[9].repeat(4), up_phase2(p[10]),
             p[11].repeat(4), up_phase2(p[12][0:1]), p[13][0:1].repeat(4)]
        if bf16:
            x = x.to(torch.bfloat16)
            p = [t.to(torch.bfloat16) for t in p]
        # channels-last weights too: with NCHW weights oneDNN takes a slower path (measured in PyTorch
        # 1.13, U-Net batch 8 of 256x256: bf16 60 -> 100 images/s, fp32 40 -> 54)
        p = [t.contiguous(memory_format=torch.channels_last) if t.dim() == 4 else t for t in p]
        k = group_images(x, group_pixels)
        if k >= x.shape[0]:
            return self.net(x, p)
        parts: List[Tensor] = []
        for i in range(0, x.shape[0], k):
            parts.append(self.net(x[i:i + k], p))
        return torch.cat(parts, 0)

    def net(self, x: Tensor, p: List[Tensor]) -> Tensor:
        x = pool2(F.relu(F.conv2d(x, p[0], p[1], padding=1)))
        x = pool2(F.relu(F.conv2d(x, p[2], p[3], padding=1)))
        x = pool2(F.relu(F.conv2d(x, p[4], p[5], padding=1)))
        x = F.relu(F.conv2d(x, p[6], p[7]))
        x = interleave_shifted(torch.sigmoid(F.conv2d(x, p[8], p[9], padding=1)))
        x = interleave_shifted(torch.sigmoid(F.conv2d(x, p[10], p[11], padding=1)))
        x = interleave_shifted(torch.sigmoid(F.conv2d(x, p[12], p[13], padding=1)))
        return x.float().contiguous()


class UNet(torch.nn.Module):
    """U-Net: depth levels of (conv-relu) x2 + max-pool, a bottleneck, nearest upsampling + skip
    concatenation + (conv-relu) x2, a 1x1 head and sigmoid. Batch norm is folded into the convolutions.
    The depth follows from the parameter count: 4 depth + 3 convolutions of 2 tensors each."""

    def forward(self, x: Tensor, p: List[Tensor], bf16: bool, group_pixels: int) -> Tensor:
        depth = (len(p) // 2 - 3) // 4
        # the first convolution of each decoder level, conv(cat(upsample(x), skip)), splits into the part
        # on the upsampled x, a transposed convolution of x (up_tconv), and the part on the skip, added by
        # oneDNN into the transposed convolution's output in place (_convolution_pointwise_, the binary
        # form's copy of that output spared): no upsampled, no concatenated and no interleaved copy.
        # Per level: [transposed weights, up bias, skip weights, w2, b2].
        first = first_input(x, p[0])
        x = first[0]
        k0 = 4 * depth + 4  # the encoder's and the bottleneck's weights and biases
        q: List[Tensor] = [first[1]]
        for j in range(1, k0):
            q.append(p[j])
        for i in range(depth):
            k = k0 + 4 * i
            w = p[k]
            cx = w.shape[1] - w.shape[0]  # channels of the upsampled input; the skip has as many as the output
            q += [up_tconv(w[:, 0:cx]), p[k + 1], w[:, cx:], p[k + 2], p[k + 3]]
        q += [p[k0 + 4 * depth], p[k0 + 4 * depth + 1]]
        if bf16:
            x = x.to(torch.bfloat16)
            q = [t.to(torch.bfloat16) for t in q]
        # channels-last weights too: with NCHW weights oneDNN takes a slower path (measured in PyTorch
        # 1.13, U-Net batch 8 of 256x256: bf16 60 -> 100 images/s, fp32 40 -> 54)
        q = [t.contiguous(memory_format=torch.channels_last) if t.dim() == 4 else t for t in q]
        n = group_images(x, group_pixels)
        if n >= x.shape[0]:
            return self.net(x, q, depth)
        parts: List[Tensor] = []
        for i in range(0, x.shape[0], n):
            parts.append(self.net(x[i:i + n], q, depth))
        return torch.cat(parts, 0)

    def net(self, x: Tensor, q: List[Tensor], depth: int) -> Tensor:
        skips: List[Tensor] = []
        k = 0
        for i in range(depth):
            x = F.relu(F.conv2d(x, q[k], q[k + 1], padding=1))
            x = F.relu(F.conv2d(x, q[k + 2], q[k + 3], padding=1))
            k += 4
            skips.append(x)
            x = pool2(x)
        x = F.relu(F.conv2d(x, q[k], q[k + 1], padding=1))
        x = F.relu(F.conv2d(x, q[k + 2], q[k + 3], padding=1))
        k += 4
        for i in range(depth):
            y = F.conv_transpose2d(x, q[k], q[k + 1], 2, 1)
            x = F.relu(F.conv2d(skips[depth - 1 - i], q[k + 2], None, padding=1) + y)
            x = F.relu(F.conv2d(x, q[k + 3], q[k + 4], padding=1))
            k += 5
        # the head (padded to 16 output channels for training's sake): only the one output that counts
        x = F.conv2d(x, q[k][0:1], q[k + 1][0:1])
        return torch.sigmoid(x).float().contiguous()


def conv_padded(x: Tensor, w: Tensor, b: Tensor, padding: int = 0) -> Tensor:
    """A convolution whose output channels are padded to a multiple of 16 with zero filters and cut
    back (the oneDNN NaN-gradient workaround of poreseg.net.PaddedConv2d)."""
    o = w.shape[0]
    if o % 16 != 0:
        extra = 16 - o % 16
        w = torch.cat([w, torch.zeros([extra, w.shape[1], w.shape[2], w.shape[3]], dtype=w.dtype)], 0)
        b = torch.cat([b, torch.zeros([extra], dtype=b.dtype)], 0)
        return F.conv2d(x, w, b, padding=padding)[:, 0:o]
    return F.conv2d(x, w, b, padding=padding)


class PaperTrain(torch.nn.Module):
    """The paper network for training: parameters in block order (weight and bias of each of the 7
    convolutions), flags = [bf16, training] as an int tensor. The same coarse decoder convolutions and
    two-channel first input as Paper (exact, and differentiable: the weight sums are part of the graph),
    so the backward pass has no upsampled copies either. With bf16 the convolutions run in bfloat16 on
    fp32 master weights (the casts are differentiable)."""

    def forward(self, x: Tensor, p: List[Tensor], flags: Tensor) -> Tensor:
        bf16 = bool(flags[0] != 0)
        dt = torch.bfloat16 if bf16 else torch.float32
        first = first_input(x, p[0])
        # the decoder's three layers as 2x2 convolutions of their 4 phases at the coarse size (up_phase2: the
        # multiply-adds of a transposed convolution, whose bf16 backward pass was the slower one here), interleaved
        # by a row gather (interleave_gather); bf16 paper training +26-38 % against the 3x3 phases it used before
        # (docs/net.md#speed). The last layer's one output is padded to 16 for oneDNN's backward (conv_padded)
        w = [first[1], p[2], p[4], p[6], up_phase2(p[8]), up_phase2(p[10]), up_phase2(p[12])]
        b = [p[1], p[3], p[5], p[7], p[9].repeat(4), p[11].repeat(4), p[13].repeat(4)]
        w = [t.to(dt).contiguous(memory_format=torch.channels_last) for t in w]
        b = [t.to(dt) for t in b]
        x = first[0].to(dt).contiguous(memory_format=torch.channels_last)
        # relu after the pooling (they commute, gradients included: the maximum's window gets the gradient
        # only where it is positive either way), on a quarter of the pixels: -10 % of the step's time. In
        # place (the pooling's and the convolution's backward passes need their inputs, not these outputs)
        x = F.relu(F.max_pool2d(F.conv2d(x, w[0], b[0], padding=1), 2), inplace=True)
        x = F.relu(F.max_pool2d(F.conv2d(x, w[1], b[1], padding=1), 2), inplace=True)
        x = F.relu(F.max_pool2d(F.conv2d(x, w[2], b[2], padding=1), 2), inplace=True)
        x = F.relu(F.conv2d(x, w[3], b[3]), inplace=True)
        x = interleave_gather(torch.sigmoid(F.conv2d(x, w[4], b[4], padding=1)))
        x = interleave_gather(torch.sigmoid(F.conv2d(x, w[5], b[5], padding=1)))
        # the last layer has 4 outputs (one per phase): padded to 16 for oneDNN's backward
        x = interleave_gather(torch.sigmoid(conv_padded(x, w[6], b[6], 1)))
        return x.float().contiguous()


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
        # as in UNet: a two-channel first input (channels-last output) and, for the first convolution of each
        # decoder level, the part on the upsampled input as a transposed convolution + the part on the skip
        first = first_input(x, p[0])
        x = first[0].to(dt).contiguous(memory_format=torch.channels_last)
        skips: List[Tensor] = []
        k = 0
        for i in range(2 * depth + 1):
            for j in range(2):
                w = first[1] if k == 0 else p[k]
                if i > depth and j == 0:
                    cx = w.shape[1] - w.shape[0]
                    u = up_tconv(w[:, 0:cx])
                    x = F.conv_transpose2d(x, u.to(dt).contiguous(memory_format=torch.channels_last), None, 2, 1) + F.conv2d(
                        skips[2 * depth - i], w[:, cx:].to(dt).contiguous(memory_format=torch.channels_last), None, padding=1)
                else:
                    x = F.conv2d(x, w.to(dt).contiguous(memory_format=torch.channels_last), None, padding=1)
                # relu in place: batch norm's backward needs its input, not its output (-4 % of a bf16 step)
                x = F.relu(F.batch_norm(x, p[k + 3], p[k + 4], p[k + 1], p[k + 2], training, 0.1, 1e-5), inplace=True)
                k += 5
            if i < depth:
                skips.append(x)
                x = F.max_pool2d(x, 2)
        # the head (one output) as a matrix product over the channels of the channels-last activations (a
        # view, no copy): as a 1x1 convolution its output had to be padded to 16 channels for oneDNN's
        # backward, which then zero-filled and convolved 16 channels at full size
        y = F.linear(x.permute(0, 2, 3, 1), p[k].to(dt).reshape([1, -1]), p[k + 1].to(dt))
        return torch.sigmoid(y.permute(0, 3, 1, 2)).float()


def unet_depth(p: List[Tensor]) -> int:
    """The depth of a U-Net from its folded parameters (UNet): 4 depth + 3 convolutions of 2 tensors each."""
    return (len(p) // 2 - 3) // 4


class UNetActMax(torch.nn.Module):
    """Calibration of the int8 U-Net (UNetInt8): the largest value of each convolution's relu output, in the
    order UNetInt8 quantizes them (encoder, bottleneck, decoder; 4 depth + 2 values), then for each decoder
    level the largest value and the negated smallest value of the two parts of its first convolution (on the
    upsampled input, bias included, and on the skip; 4 depth values), from an fp32 pass of x (N,1,H,W) with
    the folded parameters p. The decoder runs as upsampling + convolution (the same function as UNet's
    transposed convolutions and UNetInt8's phases)."""

    def forward(self, x: Tensor, p: List[Tensor]) -> Tensor:
        depth = unet_depth(p)
        m: List[Tensor] = []
        skips: List[Tensor] = []
        k = 0
        for i in range(depth + 1):
            x = F.relu(F.conv2d(x, p[k], p[k + 1], padding=1))
            m.append(x.amax())
            x = F.relu(F.conv2d(x, p[k + 2], p[k + 3], padding=1))
            m.append(x.amax())
            k += 4
            if i < depth:
                skips.append(x)
                x = F.max_pool2d(x, 2)
        parts: List[Tensor] = []
        for i in range(depth):
            w = p[k]
            cx = w.shape[1] - w.shape[0]  # channels of the upsampled input; the skip has as many as the output
            u = F.conv2d(F.interpolate(x, scale_factor=2.0, mode="nearest"), w[:, 0:cx], p[k + 1], padding=1)
            v = F.conv2d(skips[depth - 1 - i], w[:, cx:], None, padding=1)
            parts += [u.amax(), -u.amin(), v.amax(), -v.amin()]
            x = F.relu(u + v)
            m.append(x.amax())
            x = F.relu(F.conv2d(x, p[k + 2], p[k + 3], padding=1))
            m.append(x.amax())
            k += 4
        return torch.stack(m + parts)


def qweight(w: Tensor, levels: int) -> Tensor:
    """Symmetric int8 weights, one scale per output channel (its largest magnitude maps to levels: 127, or 63
    where the CPU has no VNNI: there fbgemm multiplies uint8 activations by int8 weights with vpmaddubsw,
    whose int16 sum of two products saturates above 32767, which 2 x 255 x 127 can reach and 2 x 255 x 64
    cannot; oneDNN halves the weights itself on such CPUs, fbgemm does not)."""
    s = w.abs().amax(dim=[1, 2, 3]).clamp(min=1e-12) / float(levels)
    return torch.quantize_per_channel(w.contiguous(), s.double(), torch.zeros([w.shape[0]], dtype=torch.long), 0, torch.qint8)


class Int8Kernel(torch.nn.Module):
    """An int8 inference kernel: pack(p, act_max, levels) once (in the subclass), then forward(x, group_pixels) runs
    net over the batch in groups of images (group_images), as the fp32 / bf16 kernels do."""

    def forward(self, x: Tensor, group_pixels: int) -> Tensor:
        n = group_images(x, group_pixels)
        if n >= x.shape[0]:
            return self.net(x)
        parts: List[Tensor] = []
        for i in range(0, x.shape[0], n):
            parts.append(self.net(x[i:i + n]))
        return torch.cat(parts, 0)

    def net(self, x: Tensor) -> Tensor:
        return x


class UNetInt8(Int8Kernel):
    """The U-Net in int8 (quantized convolutions of libtorch's x86 engine, fbgemm / oneDNN with VNNI): weights
    int8 per output channel, activations uint8 per tensor on [0, act_max] of UNetActMax (the caller's
    calibration, headroom included), the head's logits on [-8, 8] (beyond it the sigmoid is within 3e-4 of 0
    or 1). The first convolution (one input channel) runs in fp32: the input keeps its resolution (quantized
    to 256 levels it changed 10-25 % more mask pixels against fp32). A decoder level's first convolution,
    conv(cat(upsample(x), skip)), as two: the upsampled part a 2x2 convolution of x's 4 phases at the coarse
    size (up_phase2 + interleave_shifted: no upsampled or concatenated copy, 16 instead of 36 multiply-adds
    per coarse pixel and channel), the skip's part at the fine size, each uint8 on its calibrated [min, max]
    (UNetActMax), added with the relu (add_relu). pack(p, act_max, levels) quantizes (weights on +-levels, qweight) and packs the folded parameters
    (as UNet takes them) once, into the module (prepacking on every call was 20 % of a batch of 8 x 256^2);
    forward(x, group_pixels) then returns fp32 probabilities (N,1,H,W)."""

    packed: List[torch.classes.quantized.Conv2dPackedParamsBase]
    scales: List[float]
    zeros: List[int]
    first: List[Tensor]
    depth: int

    def __init__(self):
        super().__init__()
        self.packed = torch.jit.annotate(List[torch.classes.quantized.Conv2dPackedParamsBase], [])
        self.scales = torch.jit.annotate(List[float], [])
        self.zeros = torch.jit.annotate(List[int], [])  # zero points of the decoder's parts, 2 a level
        self.first = torch.jit.annotate(List[Tensor], [])  # the first convolution's fp32 weights and bias
        self.depth = 0

    @torch.jit.export
    def pack(self, p: List[Tensor], act_max: Tensor, levels: int) -> int:
        depth = unet_depth(p)
        packed: List[torch.classes.quantized.Conv2dPackedParamsBase] = []
        scales: List[float] = []
        zeros: List[int] = []
        for j in range(4 * depth + 2):
            w = p[2 * j]
            if j >= 2 * depth + 2 and j % 2 == 0:
                # a decoder level's first convolution in two parts: the upsampled input's as up_phase2 at the
                # coarse size, the skip's at the fine size; their outputs are added (add_relu in net)
                i = (j - 2 * depth - 2) // 2
                cx = w.shape[1] - w.shape[0]
                packed.append(torch.ops.quantized.conv2d_prepack(qweight(up_phase2(w[:, 0:cx]), levels), p[2 * j + 1].repeat(4), [1, 1], [1, 1], [1, 1], 1))
                packed.append(torch.ops.quantized.conv2d_prepack(qweight(w[:, cx:], levels), None, [1, 1], [1, 1], [1, 1], 1))
                for h in range(2):  # each part uint8 on its calibrated [min, max]
                    hi = max(float(act_max[4 * depth + 2 + 4 * i + 2 * h]), 0.0)
                    lo = max(float(act_max[4 * depth + 3 + 4 * i + 2 * h]), 0.0)
                    sc = max(hi + lo, 1e-6) / 255.0
                    scales.append(sc)
                    zeros.append(min(255, max(0, int(round(lo / sc)))))
            else:
                # (for j = 0 the packed first convolution only keeps the indices aligned: net runs it in fp32)
                packed.append(torch.ops.quantized.conv2d_prepack(qweight(w, levels), p[2 * j + 1], [1, 1], [1, 1], [1, 1], 1))
            scales.append(max(float(act_max[j]), 1e-6) / 255.0)
        k = 2 * (4 * depth + 2)
        packed.append(torch.ops.quantized.conv2d_prepack(qweight(p[k][0:1], levels), p[k + 1][0:1], [1, 1], [0, 0], [1, 1], 1))
        self.packed = packed
        self.scales = scales
        self.zeros = zeros
        self.first = [p[0].contiguous(memory_format=torch.channels_last), p[1]]
        self.depth = depth
        return depth

    def net(self, x: Tensor) -> Tensor:
        depth = self.depth
        packed = self.packed
        scales = self.scales
        zeros = self.zeros
        # the first convolution (one input channel, 9 multiply-adds a pixel and output) in fp32: the input keeps
        # its full resolution instead of 256 levels
        # (no relu: quantizing with zero point 0 saturates negative values to 0, which is the relu; a pass over
        # 16 fp32 channels spared)
        f = first_input(x, self.first[0])
        q = torch.quantize_per_tensor(F.conv2d(f[0], f[1], self.first[1], padding=1), scales[0], 0, torch.quint8)
        skips: List[Tensor] = []
        j = 0
        for i in range(depth + 1):
            if j > 0:
                q = torch.ops.quantized.conv2d_relu(q, packed[j], scales[j], 0)
            q = torch.ops.quantized.conv2d_relu(q, packed[j + 1], scales[j + 1], 0)
            j += 2
            if i < depth:
                skips.append(q)
                q = F.max_pool2d(q, 2)
        sj = j  # a decoder level has 3 packed convolutions and 4 scales (pack)
        for i in range(depth):
            u = interleave_shifted(torch.ops.quantized.conv2d(q, packed[j], scales[sj], zeros[2 * i]))
            v = torch.ops.quantized.conv2d(skips[depth - 1 - i], packed[j + 1], scales[sj + 1], zeros[2 * i + 1])
            q = torch.ops.quantized.add_relu(u, v, scales[sj + 2], 0)
            q = torch.ops.quantized.conv2d_relu(q, packed[j + 2], scales[sj + 3], 0)
            j += 3
            sj += 4
        y = torch.ops.quantized.conv2d(q, packed[j], 8.0 / 127.0, 128)  # logits on [-8, 8]
        return torch.sigmoid(y.dequantize()).contiguous()


class PaperActMax(torch.nn.Module):
    """Calibration of the int8 paper network (PaperInt8): the largest relu output of its 4 encoder
    convolutions, then the largest magnitude of the two inner decoder convolutions' outputs (before their
    sigmoid), from an fp32 pass of x with the folded parameters p (as Paper takes them). The decoder as
    nearest upsampling + convolution, the form PaperInt8 quantizes."""

    def forward(self, x: Tensor, p: List[Tensor]) -> Tensor:
        m: List[Tensor] = []
        for j in range(3):
            x = F.relu(F.conv2d(x, p[2 * j], p[2 * j + 1], padding=1))
            m.append(x.amax())
            x = F.max_pool2d(x, 2)
        x = F.relu(F.conv2d(x, p[6], p[7]))
        m.append(x.amax())
        for j in range(4, 6):
            y = F.conv2d(F.interpolate(x, scale_factor=2.0, mode="nearest"), p[2 * j], p[2 * j + 1], padding=1)
            m.append(y.abs().amax())
            x = torch.sigmoid(y)
        return torch.stack(m)


class PaperInt8(Int8Kernel):
    """The paper network in int8, as UNetInt8: weights int8 per output channel, the encoder's activations
    uint8 on [0, act_max] (PaperActMax, headroom included), the decoder's logits int8 on their calibrated
    magnitude and the sigmoids quantized (uint8 in steps of 1/256), the last layer's logits on [-8, 8]. The
    decoder's three upsampling + convolution layers as 2x2 convolutions of their 4 phases at the coarse size
    (up_phase2 + interleave_shifted: the multiply-adds of the transposed convolutions that the fp32 and bf16
    kernels use; libtorch 2.7.1's x86 engine gives wrong results for quantized transposed convolutions,
    docs/net.md#speed). The input quantized to 256 levels: the first convolution in fp32, as UNetInt8 runs it,
    changed as many mask pixels against fp32 here and cost about 10 % (32 fp32 channels at the full size).
    pack(p, act_max, levels) once, then forward(x, group_pixels)."""

    packed: List[torch.classes.quantized.Conv2dPackedParamsBase]
    scales: List[float]

    def __init__(self):
        super().__init__()
        self.packed = torch.jit.annotate(List[torch.classes.quantized.Conv2dPackedParamsBase], [])
        self.scales = torch.jit.annotate(List[float], [])

    @torch.jit.export
    def pack(self, p: List[Tensor], act_max: Tensor, levels: int) -> int:
        packed: List[torch.classes.quantized.Conv2dPackedParamsBase] = []
        for j in range(4):
            pad = 0 if j == 3 else 1
            packed.append(torch.ops.quantized.conv2d_prepack(qweight(p[2 * j], levels), p[2 * j + 1], [1, 1], [pad, pad], [1, 1], 1))
        # the decoder's upsampling + convolution as 2x2 convolutions of 4 phases at the coarse size (up_phase2):
        # no upsampled copy of the input and 16 instead of 36 multiply-adds per coarse pixel and input channel
        # (the last layer: only its one output)
        for j in range(4, 7):
            o = 1 if j == 6 else p[2 * j].shape[0]
            packed.append(torch.ops.quantized.conv2d_prepack(qweight(up_phase2(p[2 * j][0:o]), levels), p[2 * j + 1][0:o].repeat(4), [1, 1], [1, 1], [1, 1], 1))
        scales: List[float] = []
        for j in range(4):
            scales.append(max(float(act_max[j]), 1e-6) / 255.0)
        for j in range(4, 6):
            scales.append(max(float(act_max[j]), 1e-6) / 127.0)
        self.packed = packed
        self.scales = scales
        return 7

    def net(self, x: Tensor) -> Tensor:
        packed = self.packed
        scales = self.scales
        q = torch.quantize_per_tensor(x.contiguous(memory_format=torch.channels_last), 1.0 / 255.0, 0, torch.quint8)
        for j in range(3):
            q = F.max_pool2d(torch.ops.quantized.conv2d_relu(q, packed[j], scales[j], 0), 2)
        q = torch.ops.quantized.conv2d_relu(q, packed[3], scales[3], 0)
        for j in range(4, 6):
            q = interleave_shifted(torch.sigmoid(torch.ops.quantized.conv2d(q, packed[j], scales[j], 128)))
        y = torch.ops.quantized.conv2d(q, packed[6], 8.0 / 127.0, 128)  # the 4 phases' logits on [-8, 8]
        return torch.sigmoid(interleave_shifted(y.dequantize().contiguous(memory_format=torch.channels_last))).contiguous()


class AdamStep(torch.nn.Module):
    """One Adam step over every trainable parameter in one call (poreseg.net.FusedAdam): p the parameters
    (their gradients are read here), m and v the moment estimates, h = [lr, beta1, beta2, eps, step] as
    float64. aten::_fused_adam_ updates each parameter in one vectorised pass (libtorch 2.x has a CPU
    kernel; PyTorch 1.13 scripts the call but only runs it on CUDA) instead of DJL's Adam, about 12
    operators and JNI calls per parameter. A gradient that is not contiguous (a weight used channels-last)
    is copied to the parameter's layout: the fused kernel walks raw memory. The gradients are zeroed by
    the caller (in TorchScript the alias analysis does not see that t.grad aliases them and drops the
    zeroing)."""

    def forward(self, p: List[Tensor], m: List[Tensor], v: List[Tensor], h: Tensor) -> Tensor:
        with torch.no_grad():
            grads: List[Tensor] = []
            for t in p:
                g = t.grad
                grads.append(g.contiguous())
            step = h[4].float()
            torch._fused_adam_(p, grads, m, v, [], [step for _ in p], lr=float(h[0]), beta1=float(h[1]),
                               beta2=float(h[2]), weight_decay=0., eps=float(h[3]), amsgrad=False, maximize=False)
        return h


FUSED = 'ops.mkldnn._convolution_pointwise({x}, {w}, {b}, {pad}, [1, 1], [1, 1], 1, "{act}", annotate(List[Optional[number]], []), None)'


FUSED_ADD = ('ops.mkldnn._convolution_pointwise_({z}, {x}, {w}, {b}, {pad}, [1, 1], [1, 1], 1, "add", 1., "relu", '
             'annotate(List[Optional[number]], []), None)')


def fuse_conv_activation(code):
    """Rewrites every conv2d whose result only feeds a relu or a sigmoid into libtorch 2.x's fused oneDNN
    operator mkldnn::_convolution_pointwise(X, W, B, padding, stride, dilation, groups, "relu" or
    "sigmoid", [], None). PyTorch 1.13 cannot script it (the operator is newer), so the saved code is
    edited as text; libtorch 2.7.1 compiles it when the archive loads. Stride 1 everywhere; padding
    [1, 1] (3x3) or [0, 0] (1x1)."""
    n = 0

    def fused(x, w, b, pad, act):
        return FUSED.format(x=x, w=w, b=b, pad="[1, 1]" if pad else "[0, 0]", act=act)

    arg = r"(\w+|\w+\[[^\]]+\])"
    conv = r"torch\.conv2d\(" + arg + ", " + arg + ", " + arg + r"(, \[1, 1\], \[1, 1\])?\)"
    # _5 = torch.conv2d(x, w, b[, [1, 1], [1, 1]])  /  y = __torch__.torch.nn.functional.relu(_5, False, )
    # _5 = torch.conv2d(x, w, b[, [1, 1], [1, 1]])  /  y = torch.sigmoid(_5)
    two_lines = re.compile(r"(_\d+) = " + conv + r"\n(\s+)(\w+) = (?:__torch__\.torch\.nn\.functional\.(relu)\(\1, False, \)"
                           r"|torch\.(sigmoid)\(\1\))")
    # y = __torch__.torch.nn.functional.relu(torch.conv2d(x, w, b[, [1, 1], [1, 1]]), False, )
    # y = torch.sigmoid(torch.conv2d(x, w, b[, [1, 1], [1, 1]]))
    one_line = re.compile(r"__torch__\.torch\.nn\.functional\.relu\(" + conv + r", False, \)")
    one_line_sigmoid = re.compile(r"torch\.sigmoid\(" + conv + r"\)")

    def two(m):
        nonlocal n
        n += 1
        return "%s = %s" % (m.group(7), fused(m.group(2), m.group(3), m.group(4), m.group(5), m.group(8) or m.group(9)))

    def one(m, act="relu"):
        nonlocal n
        n += 1
        return fused(m.group(1), m.group(2), m.group(3), m.group(4), act)

    code = two_lines.sub(two, code)
    # _5 = torch.conv2d(x, w, b[, [1, 1], [1, 1]])  /  y = f(torch.sigmoid(_5), )
    two_lines_inner = re.compile(r"(_\d+) = " + conv + r"\n(\s+)(\w+) = ([^\n]*?)torch\.sigmoid\(\1\)([^\n]*)")

    def inner(m):
        nonlocal n
        n += 1
        return "%s = %s%s%s" % (m.group(7), m.group(8), fused(m.group(2), m.group(3), m.group(4), m.group(5), "sigmoid"), m.group(9))

    # _5 = torch.conv2d(x, w, b, [1, 1], [1, 1])  /  y = __torch__.torch.nn.functional.relu(torch.add(_5, z), False, )
    # -> the in-place binary form: z = relu(conv(x) + z) in one oneDNN primitive (the U-Net decoder's skip branch;
    # z is the transposed convolution's fresh output, used nowhere else. The out-of-place form copied z first,
    # 5-8 % of a bf16 forward pass)
    two_lines_add = re.compile(r"(_\d+) = " + conv + r"\n(\s+)(\w+) = __torch__\.torch\.nn\.functional\.relu\("
                               r"torch\.add\(\1, (\w+)\), False, \)")

    def add(m):
        nonlocal n
        n += 1
        return "%s = %s" % (m.group(7), FUSED_ADD.format(x=m.group(2), z=m.group(8), w=m.group(3), b=m.group(4),
                                                        pad="[1, 1]" if m.group(5) else "[0, 0]"))

    code = two_lines_add.sub(add, code)
    code = two_lines_inner.sub(inner, code)
    code = one_line.sub(one, code)
    code = one_line_sigmoid.sub(lambda m: one(m, "sigmoid"), code)
    return code, n


def write_fused(src, dst):
    """A copy of the kernel archive src with conv+relu and conv+sigmoid fused (the code's debug tables, which map the
    original text, are left out)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zout:
        total = 0
        for item in zin.infolist():
            if item.filename.endswith(".debug_pkl"):
                continue
            data = zin.read(item.filename)
            if item.filename.endswith("/code/__torch__.py"):
                text, total = fuse_conv_activation(data.decode("utf-8"))
                data = text.encode("utf-8")
            # the source entry's date (PyTorch writes a fixed one), so that rerunning the script changes no file
            zout.writestr(zipfile.ZipInfo(item.filename, date_time=item.date_time), data)
    return total


def check_up_phase2():
    """up_phase2 + interleave_shifted against upsampling + convolution, in fp32 and on quantized integers (odd sizes)."""
    g = torch.Generator().manual_seed(7)
    x = torch.randn([2, 6, 5, 7], generator=g)
    w = torch.randn([3, 6, 3, 3], generator=g)
    b = torch.randn([3], generator=g)
    ref = F.conv2d(F.interpolate(x, scale_factor=2.0, mode="nearest"), w, b, padding=1)
    y = F.conv2d(x.contiguous(memory_format=torch.channels_last), up_phase2(w), b.repeat(4), padding=1)
    err = (interleave_shifted(y) - ref).abs().max().item()
    if err > 1e-4:
        raise SystemExit("up_phase2: fp32 error %g" % err)
    q = torch.quantize_per_tensor(y.sigmoid(), 1.0 / 256.0, 0, torch.quint8)
    if not torch.equal(interleave_shifted(q).int_repr(), interleave_shifted(q.int_repr())):
        raise SystemExit("interleave_shifted: quantized integers differ")
    if not torch.equal(interleave_gather(y), interleave_shifted(y)):
        raise SystemExit("interleave_gather: differs from interleave_shifted")


def main():
    check_up_phase2()
    os.makedirs(OUT, exist_ok=True)
    for name, module in (("paper", Paper()), ("unet", UNet()), ("unet_train", UNetTrain()), ("paper_train", PaperTrain()), ("adam", AdamStep()),
                         ("unet_int8", UNetInt8()), ("unet_actmax", UNetActMax()), ("paper_int8", PaperInt8()), ("paper_actmax", PaperActMax())):
        path = os.path.join(OUT, name + ".pt")
        torch.jit.script(module).save(path)
        print("wrote", os.path.normpath(path), os.path.getsize(path), "bytes (PyTorch", torch.__version__ + ")")
    # paper: 4 conv+relu and 3 conv+sigmoid (its decoder's phase convolutions; as transposed convolutions, fused by
    # mkldnn::_convolution_transpose_pointwise, they had run slower in bf16); unet: 5 conv+relu and 1 conv+add+relu (the
    # encoder's and the decoder's loops are written once)
    # pairs found as such (its other convolutions are written as one-line relu(conv(...)) or feed the head)
    for name, expected in (("paper", 7), ("unet", 6)):
        src = os.path.join(OUT, name + ".pt")
        dst = os.path.join(OUT, name + "_fused.pt")
        n = write_fused(src, dst)
        if n != expected:
            raise SystemExit("%s: fused %d conv+activation pairs, expected %d" % (name, n, expected))
        print("wrote", os.path.normpath(dst), os.path.getsize(dst), "bytes,", n, "conv+activation pairs fused")


if __name__ == "__main__":
    main()
