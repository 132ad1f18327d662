# Line-by-line NumPy port of scikit-image 0.19.3 threshold_otsu / threshold_li / threshold_triangle /
# threshold_mean (skimage is not installed here). Its Otsu reproduces the golden cases of cases.json
# exactly, which checks the port. Inputs: raw float32 dumps of the img*_{u8,u16,f32}.tif fixtures cast
# back to their dtype. The printed values are the expectations of ThresholdMethodsTest.
import numpy as np
# verbatim-logic port of scikit-image 0.19.3 threshold_otsu / threshold_li / threshold_triangle / threshold_mean
def _bincount_histogram(image):
    image_min = int(image.min().astype(np.int64)); image_max = int(image.max().astype(np.int64))
    offset = 0
    if image_min < 0:
        offset = image_min; image_range = image_max - image_min
        image = (image - offset)
    hist = np.bincount(image.ravel().astype(np.int64), minlength=image_max - min(image_min, 0) + 1)
    idx = max(image_min, 0)
    hist = hist[idx:]
    bin_centers = np.arange(image_min, image_max + 1)
    return hist, bin_centers
def histogram(image, nbins=256):
    image = image.flatten()
    if np.issubdtype(image.dtype, np.integer):
        return _bincount_histogram(image)
    hist, bin_edges = np.histogram(image, bins=nbins, range=None)
    return hist, (bin_edges[:-1] + bin_edges[1:]) / 2.
def otsu(image, nbins=256):
    first = image.ravel()[0]
    if np.all(image == first): return first
    counts, bin_centers = histogram(image.ravel(), nbins)
    weight1 = np.cumsum(counts); weight2 = np.cumsum(counts[::-1])[::-1]
    mean1 = np.cumsum(counts * bin_centers) / weight1
    mean2 = (np.cumsum((counts * bin_centers)[::-1]) / weight2[::-1])[::-1]
    variance12 = weight1[:-1] * weight2[1:] * (mean1[:-1] - mean2[1:]) ** 2
    return bin_centers[np.argmax(variance12)]
def li(image):
    image = image[~np.isnan(image)]
    if np.all(image == image.flat[0]): return image.flat[0]
    image = image[np.isfinite(image)]
    image_min = np.min(image); image = image - image_min
    if image.dtype.kind in 'iu': tolerance = 0.5
    else: tolerance = np.min(np.diff(np.unique(image))) / 2
    t_next = np.mean(image); t_curr = -2 * tolerance
    while abs(t_next - t_curr) > tolerance:
        t_curr = t_next
        fg = image > t_curr
        mean_fore = np.mean(image[fg]); mean_back = np.mean(image[~fg])
        if mean_back == 0: break
        t_next = ((mean_back - mean_fore) / (np.log(mean_back) - np.log(mean_fore)))
    return t_next + image_min
def triangle(image, nbins=256):
    hist, bin_centers = histogram(image.ravel(), nbins)
    nbins = len(hist)
    arg_peak_height = np.argmax(hist); peak_height = hist[arg_peak_height]
    arg_low_level, arg_high_level = np.flatnonzero(hist)[[0, -1]]
    flip = arg_peak_height - arg_low_level < arg_high_level - arg_peak_height
    if flip:
        hist = hist[::-1]; arg_low_level = nbins - arg_high_level - 1; arg_peak_height = nbins - arg_peak_height - 1
    width = arg_peak_height - arg_low_level
    x1 = np.arange(width); y1 = hist[x1 + arg_low_level]
    norm = np.sqrt(peak_height**2 + width**2)
    peak_height = peak_height / norm; width = width / norm
    length = peak_height * x1 - width * y1
    arg_level = np.argmax(length) + arg_low_level
    if flip: arg_level = nbins - arg_level - 1
    return bin_centers[arg_level]
shapes={'img0':(160,200),'img1':(192,200),'img2':(224,200)}
for k,(h,w) in shapes.items():
    for t,dt in (('u8',np.uint8),('u16',np.uint16),('f32',np.float32)):
        a=np.fromfile('/tmp/pp/raw/%s_%s.f32'%(k,t),dtype='<f4').reshape(h,w).astype(dt)
        print('%s_%s otsu %r li %r triangle %r mean %r'%(k,t,float(otsu(a)),float(li(a)),float(triangle(a)),float(np.mean(a))))
