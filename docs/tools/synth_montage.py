#!/usr/bin/env python3
"""Side-by-side montage of real FIB-SEM slices and poreseg synthetic slices (docs/img/synth-vs-real.png).

Run once by hand (numpy only; no PIL / tifffile needed):
  ./poreseg synth /tmp/syn-crop --seed 1 --force
  ./poreseg synth /tmp/syn-particle --particle --size 512 --slices 4 --seed 2 --force
  python3 docs/tools/synth_montage.py ../shared/datasets /tmp/syn-crop /tmp/syn-particle docs/img/synth-vs-real.png
Also prints the realism numbers quoted in docs/synth.md (noise sigma, contrast, stripe index).
"""
import glob
import struct
import sys
import zlib

import numpy as np


def read_png(path):
    d = open(path, 'rb').read()
    i, idat = 8, b''
    while i < len(d):
        n, = struct.unpack('>I', d[i:i + 4])
        t, c = d[i + 4:i + 8], d[i + 8:i + 8 + n]
        i += 12 + n
        if t == b'IHDR':
            w, h, bd, ct = struct.unpack('>IIBB', c[:10])
        elif t == b'IDAT':
            idat += c
    ch = {0: 1, 2: 3, 4: 2, 6: 4}[ct]
    bpp = ch * bd // 8
    raw = zlib.decompress(idat)
    stride = w * bpp
    out = np.zeros((h, stride), np.int32)
    prev = np.zeros(stride, np.int32)
    p = 0
    for y in range(h):
        f = raw[p]
        line = np.frombuffer(raw[p + 1:p + 1 + stride], np.uint8).astype(np.int32)
        p += 1 + stride
        if f == 0:
            cur = line
        elif f == 2:
            cur = (line + prev) & 255
        else:
            cur = np.zeros(stride, np.int32)
            for x in range(stride):
                a = cur[x - bpp] if x >= bpp else 0
                b = prev[x]
                c = prev[x - bpp] if x >= bpp else 0
                if f == 1:
                    v = a
                elif f == 3:
                    v = (a + b) // 2
                else:
                    pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                    v = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                cur[x] = (line[x] + v) & 255
        out[y] = cur
        prev = cur
    return out.reshape(h, w, ch)[..., 0].astype(np.uint8)


def read_tif(path):
    d = open(path, 'rb').read()
    e = '<' if d[:2] == b'II' else '>'
    off, = struct.unpack(e + 'I', d[4:8])
    pages = []
    while off:
        n, = struct.unpack(e + 'H', d[off:off + 2])
        tags = {}
        for k in range(n):
            t, ty, c, v = struct.unpack(e + 'HHI4s', d[off + 2 + 12 * k:off + 14 + 12 * k])
            if ty == 3 and c == 1:
                tags[t] = struct.unpack(e + 'H', v[:2])[0]
            elif ty == 4 and c == 1:
                tags[t] = struct.unpack(e + 'I', v)[0]
        w, h, bps = tags[256], tags[257], tags[258]
        dt = {8: 'u1', 16: 'u2'}[bps]
        o = tags[273]
        pages.append(np.frombuffer(d[o:o + w * h * bps // 8], e + dt).reshape(h, w))
        off, = struct.unpack(e + 'I', d[off + 2 + 12 * n:off + 6 + 12 * n])
    return np.array(pages)


def write_png(path, a):
    a = np.clip(a, 0, 255).astype(np.uint8)
    h, w = a.shape
    raw = b''.join(b'\x00' + a[y].tobytes() for y in range(h))

    def chunk(t, c):
        return struct.pack('>I', len(c)) + t + c + struct.pack('>I', zlib.crc32(t + c) & 0xffffffff)
    open(path, 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0))
                           + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b''))


def stretch(a):
    lo, hi = np.percentile(a, [0.5, 99.5])
    return (a.astype(float) - lo) / (hi - lo) * 255


def noise_sigma(a):
    """Immerkaer's fast noise estimate."""
    a = a.astype(float)
    c = (a[:-2, :-2] - 2 * a[:-2, 1:-1] + a[:-2, 2:] - 2 * a[1:-1, :-2] + 4 * a[1:-1, 1:-1] - 2 * a[1:-1, 2:]
         + a[2:, :-2] - 2 * a[2:, 1:-1] + a[2:, 2:])
    return np.sqrt(np.pi / 2) * np.abs(c).mean() / 6


def stripe_index(a):
    """Power on the k_y = 0 line (vertical stripes) over the power of the rows k_y = 2..5."""
    a = a.astype(float) - a.mean()
    f = np.abs(np.fft.fft2(a)) ** 2
    w = a.shape[1]
    return f[0, 4:w // 2].mean() / f[2:6, 4:w // 2].mean()


def histogram_panel(a, w=256, h=96):
    s = stretch(a)
    hist, _ = np.histogram(np.clip(s, 0, 255), bins=w, range=(0, 256))
    hist = hist / hist.max()
    img = np.full((h, w), 255.0)
    for x in range(w):
        img[h - int(hist[x] * (h - 4)):, x] = 60
    return img


def describe(name, a):
    a = a.astype(float)
    p1, p99 = np.percentile(a, [1, 99])
    sig = noise_sigma(a)
    print(f'{name:28s} noise sigma / (p99-p1) = {sig / (p99 - p1):.3f}   stripe index = {stripe_index(a):.2f}')


def main():
    shared, crop, particle, out = sys.argv[1:5]
    real = sorted(glob.glob(shared + '/epfl-fibsem-mito/train/image/*.png'))
    r1 = read_png(real[0])[200:456, 300:556]
    r2 = read_png(real[10])[400:656, 600:856]
    img = read_tif(crop + '/image.tif')
    tru = read_tif(crop + '/truth.tif')
    pim = read_tif(particle + '/image.tif')
    s1, s2 = img[10], img[40]
    p = pim[0]
    p = p[::2, ::2] if p.shape[0] >= 512 else p
    for nm, a in [('real EPFL FIB-SEM #0', read_png(real[0])), ('real EPFL FIB-SEM #10', read_png(real[10])),
                  ('synthetic crop slice 10', s1), ('synthetic crop slice 40', s2)]:
        describe(nm, a)
    gap = lambda h: np.full((h, 6), 255.0)
    top = np.concatenate([stretch(r1), gap(256), stretch(r2), gap(256), stretch(s1), gap(256), stretch(s2)], 1)
    mid = np.concatenate([histogram_panel(r1), gap(96), histogram_panel(r2), gap(96), histogram_panel(s1), gap(96),
                          histogram_panel(s2)], 1)
    bottom = np.concatenate([stretch(p[:256, :256]) if p.shape[0] > 256 else stretch(p), gap(256),
                             tru[10].astype(float), gap(256), stretch(img[10][:128, :128].repeat(2, 0).repeat(2, 1)), gap(256),
                             stretch(r1[:128, :128].repeat(2, 0).repeat(2, 1))], 1)
    sep = np.full((6, top.shape[1]), 255.0)
    write_png(out, np.concatenate([top, sep, mid, sep, bottom], 0))


if __name__ == '__main__':
    main()
