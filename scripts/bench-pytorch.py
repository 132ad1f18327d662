#!/usr/bin/env python3
"""The paper network and the U-Net of poreseg, rebuilt in PyTorch, timed the way `poreseg bench
infer|train` times them: random data, two untimed warm-up batches, then STEPS timed batches.
Prints one JSON object per line (mode, arch, batch, size, steps, seconds, images_per_second, variant).

Run with Debian's PyTorch (apt-get install python3-torch; PyPI is not needed):
    /usr/bin/python3 scripts/bench-pytorch.py --threads 2 infer paper --batch 32
Variants: fp32 (NCHW), fp32-cl (channels-last), bf16-cl (channels-last with bf16 autocast; only where
the CPU has AVX512-BF16 or AMX), int8 (inference only: PyTorch's own post-training static quantization,
eager mode, both networks). Used by scripts/bench-vs-pytorch.sh for the README's side-by-side table.
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class PaperNet(nn.Module):
    """Lee et al. 2023: 331,137 parameters (the same layer list as poreseg.net.PaperNet)."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 32, 3, padding=1)
        self.c2 = nn.Conv2d(32, 64, 3, padding=1)
        self.c3 = nn.Conv2d(64, 128, 3, padding=1)
        self.d = nn.Conv2d(128, 128, 1)
        self.u1 = nn.Conv2d(128, 128, 3, padding=1)
        self.u2 = nn.Conv2d(128, 64, 3, padding=1)
        self.u3 = nn.Conv2d(64, 1, 3, padding=1)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        x = F.max_pool2d(F.relu(self.c3(x)), 2)
        x = F.relu(self.d(x))
        x = torch.sigmoid(self.u1(F.interpolate(x, scale_factor=2.0, mode="nearest")))
        x = torch.sigmoid(self.u2(F.interpolate(x, scale_factor=2.0, mode="nearest")))
        return torch.sigmoid(self.u3(F.interpolate(x, scale_factor=2.0, mode="nearest")))


def double_conv(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


class UNet(nn.Module):
    """The same layer list as poreseg.net.UNetBlock (width w at level 0, depth poolings)."""

    def __init__(self, width=16, depth=3):
        super().__init__()
        self.depth = depth
        self.down = nn.ModuleList()
        c = 1
        for i in range(depth):
            self.down.append(double_conv(c, width << i))
            c = width << i
        self.bottom = double_conv(c, width << depth)
        c = width << depth
        self.up = nn.ModuleList()
        for i in reversed(range(depth)):
            self.up.append(double_conv(c + (width << i), width << i))
            c = width << i
        self.head = nn.Conv2d(c, 1, 1)
        self.cats = None  # QuantizedUNet: one FloatFunctional per decoder level

    def forward(self, x):
        skips = []
        for b in self.down:
            x = b(x)
            skips.append(x)
            x = F.max_pool2d(x, 2)
        x = self.bottom(x)
        for k, b in enumerate(self.up):
            c = [F.interpolate(x, scale_factor=2.0, mode="nearest"), skips[self.depth - 1 - k]]
            x = b(torch.cat(c, 1) if self.cats is None else self.cats[k].cat(c, 1))
        return torch.sigmoid(self.head(x))


def build(arch):
    return PaperNet() if arch == "paper" else UNet()


class QuantizedUNet(nn.Module):
    """UNet for PyTorch's own post-training static int8 quantization (eager mode): a quant / dequant stub
    around the network, the skip concatenations through FloatFunctional (conv + batch norm + relu are
    fused by quantized())."""

    def __init__(self, u):
        super().__init__()
        self.u = u
        self.quant = torch.ao.quantization.QuantStub()
        self.dequant = torch.ao.quantization.DeQuantStub()
        u.cats = nn.ModuleList([torch.ao.nn.quantized.FloatFunctional() for _ in range(u.depth)])

    def forward(self, x):
        return self.dequant(self.u(self.quant(x)))


class QuantizedPaper(nn.Module):
    """PaperNet for PyTorch's own post-training static int8 quantization (eager mode): a quant / dequant stub
    around it, each encoder convolution with an nn.ReLU that quantized() fuses into it; the decoder's
    upsampling and sigmoids run on the quantized tensors (PyTorch's quantized sigmoid)."""

    def __init__(self, net):
        super().__init__()
        self.net = net
        self.relus = nn.ModuleList([nn.ReLU() for _ in range(4)])
        self.quant = torch.ao.quantization.QuantStub()
        self.dequant = torch.ao.quantization.DeQuantStub()

    def forward(self, x):
        n, r = self.net, self.relus
        x = self.quant(x)
        x = F.max_pool2d(r[0](n.c1(x)), 2)
        x = F.max_pool2d(r[1](n.c2(x)), 2)
        x = F.max_pool2d(r[2](n.c3(x)), 2)
        x = r[3](n.d(x))
        x = torch.sigmoid(n.u1(F.interpolate(x, scale_factor=2.0, mode="nearest")))
        x = torch.sigmoid(n.u2(F.interpolate(x, scale_factor=2.0, mode="nearest")))
        return self.dequant(torch.sigmoid(n.u3(F.interpolate(x, scale_factor=2.0, mode="nearest"))))


def quantized(net, x):
    """net (a UNet or a PaperNet) quantized to int8 the way PyTorch documents it: eval, fuse conv (+ batch norm)
    + relu, the engine's default qconfig (onednn where the build has it, else x86 / fbgemm), calibrate on x,
    convert."""
    engines = torch.backends.quantized.supported_engines
    engine = next(e for e in ("onednn", "x86", "fbgemm") if e in engines)
    torch.backends.quantized.engine = engine
    net.eval()
    if isinstance(net, PaperNet):
        q = QuantizedPaper(net).eval()
        torch.ao.quantization.fuse_modules(q, [["net.c1", "relus.0"], ["net.c2", "relus.1"], ["net.c3", "relus.2"], ["net.d", "relus.3"]], inplace=True)
    else:
        for seq in list(net.down) + [net.bottom] + list(net.up):
            torch.ao.quantization.fuse_modules(seq, [["0", "1", "2"], ["3", "4", "5"]], inplace=True)
        q = QuantizedUNet(net).eval()
    q.qconfig = torch.ao.quantization.get_default_qconfig(engine)
    torch.ao.quantization.prepare(q, inplace=True)
    with torch.no_grad():
        q(x)
    return torch.ao.quantization.convert(q).to(memory_format=torch.channels_last)


def run(mode, arch, variant, batch, size, steps):
    torch.manual_seed(1)
    net = build(arch)
    if variant == "int8":
        if mode != "infer":
            raise RuntimeError("int8: inference only")
        net = quantized(net, torch.rand(batch, 1, size, size))
    cl = variant.endswith("-cl")
    bf16 = variant.startswith("bf16")
    fmt = torch.channels_last if cl or variant == "int8" else torch.contiguous_format
    net = net.to(memory_format=fmt)
    x = torch.rand(batch, 1, size, size).to(memory_format=fmt)
    y = (torch.rand(batch, 1, size, size) < 0.2).float().to(memory_format=fmt)
    if mode == "infer":
        net.eval()
        opt = None
    else:
        net.train()
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    t0 = None
    for s in range(-2, steps):
        if s == 0:
            t0 = time.perf_counter()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            if mode == "infer":
                with torch.no_grad():
                    p = net(x)
                p.float().numpy()
            else:
                p = net(x)
                loss = F.binary_cross_entropy(p.float(), y)
        if mode == "train":
            opt.zero_grad()
            loss.backward()
            opt.step()
    secs = time.perf_counter() - t0
    return {"mode": mode, "arch": arch, "variant": variant, "batch": batch, "size": size, "steps": steps,
            "seconds": secs, "images_per_second": steps * batch / secs,
            "engine": "PyTorch %s (Python), %d threads" % (torch.__version__, torch.get_num_threads())}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["infer", "train"])
    ap.add_argument("arch", choices=["paper", "unet"])
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--variants", default="fp32,fp32-cl,bf16-cl", help="also int8 (inference: PyTorch's static quantization)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    for v in a.variants.split(","):
        try:
            print(json.dumps(run(a.mode, a.arch, v, a.batch, a.size, a.steps)), flush=True)
        except RuntimeError as e:  # e.g. bf16 unsupported on this CPU
            print(json.dumps({"mode": a.mode, "arch": a.arch, "variant": v, "error": str(e).splitlines()[0]}), flush=True)


if __name__ == "__main__":
    main()
