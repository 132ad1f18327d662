package poreseg.net;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import poreseg.io.StackInfo;
import poreseg.io.Volume;

/**
 * A {@link Segmenter} over a stack's slices, in groups of {@link Segmenter#slicesPerPass} consecutive
 * slices that share forward passes (small slices; one slice a group otherwise). The writer's threads
 * {@link #take} slices in any order: the first to ask for a slice of a group reads, checks and
 * predicts the whole group, the others wait for it, so one thread's reading and writing overlap
 * another's inference. The grouping depends only on the stack's size, never on timing, so the
 * numbers are the same on every run. A group is dropped once all its slices are taken; a failure
 * (an unreadable slice, a non-finite pixel) is thrown for every slice of its group.
 */
final class SliceGroups {
    /** Checks a raw slice (and its ROI slice, or null) before it is segmented; may throw. */
    @FunctionalInterface
    interface SliceCheck {
        void check(int z, float[] raw, float[] roi) throws IOException;
    }

    /** A slice's prediction and ROI slice (null without an ROI). */
    record Taken(Segmenter.Prediction prediction, float[] roi) {
    }

    private static final class Group {
        Taken[] slices;
        int left;
        Exception failure;
    }

    private final Volume v;
    private final Volume roi;
    private final Segmenter seg;
    private final double threshold;
    private final boolean skipOutsideRoi;
    private final SliceCheck check;
    private final int size;
    private final Map<Integer, Group> groups = new HashMap<>();

    /**
     * {@code together}: small slices share forward passes (else one slice a pass, to the bit as
     * {@link Segmenter#predict(float[], StackInfo, double)}); {@code skipOutsideRoi}: only tiles that
     * reach the ROI run.
     */
    SliceGroups(Volume v, Volume roi, Segmenter seg, double threshold, boolean together, boolean skipOutsideRoi, SliceCheck check) {
        this.v = v;
        this.roi = roi;
        this.seg = seg;
        this.threshold = threshold;
        this.skipOutsideRoi = skipOutsideRoi && roi != null;
        this.check = check;
        StackInfo info = v.info();
        size = together ? Math.max(1, seg.slicesPerPass(info.width(), info.height())) : 1;
    }

    /** The prediction of slice {@code z}; each slice is taken once. */
    Taken take(int z) throws IOException {
        int g = z / size;
        Group group;
        synchronized (groups) {
            group = groups.computeIfAbsent(g, k -> new Group());
        }
        synchronized (group) {
            if (group.slices == null && group.failure == null) {
                try {
                    group.slices = predict(g * size, Math.min(v.info().depth(), (g + 1) * size));
                    group.left = group.slices.length;
                } catch (IOException | RuntimeException e) {
                    group.failure = e;
                }
            }
            if (group.failure instanceof IOException io) {
                throw io;
            }
            if (group.failure instanceof RuntimeException re) {
                throw re;
            }
            Taken t = group.slices[z - g * size];
            group.slices[z - g * size] = null;
            if (--group.left == 0) {
                synchronized (groups) {
                    groups.remove(g);
                }
            }
            return t;
        }
    }

    private Taken[] predict(int from, int to) throws IOException {
        List<Segmenter.Input> inputs = new ArrayList<>();
        List<float[]> rois = new ArrayList<>();
        for (int z = from; z < to; z++) {
            float[] raw = v.slice(z);
            float[] inside = roi == null ? null : roi.slice(z);
            check.check(z, raw, inside);
            inputs.add(seg.input(raw, v.info()));
            rois.add(inside);
        }
        List<Segmenter.Prediction> p = seg.predict(inputs, v.info().width(), v.info().height(), threshold, skipOutsideRoi ? rois : null);
        Taken[] out = new Taken[to - from];
        for (int k = 0; k < out.length; k++) {
            out[k] = new Taken(p.get(k), rois.get(k));
        }
        return out;
    }
}
