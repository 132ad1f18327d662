package poreseg.synth;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import poreseg.io.OutputFiles;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.core.Masks;
import poreseg.io.TiffWriter;
import poreseg.util.ParameterException;
import poreseg.util.ProgressListener;

/**
 * A domain-randomised training set: {@code count} stacks drawn by {@link SynthParams#randomized} from
 * seeds {@code first .. first + count - 1} (optionally every K-th the fixed model), written as one folder of single-slice images and one of
 * masks (255 = pore, 0 = solid, 128 = unlabelled: the background outside a particle), the layout {@code poreseg train --images DIR --masks DIR} reads, plus
 * {@code set.json} (generator version, the seeds and each stack's drawn parameters and pore fraction).
 */
public final class TrainingSet {
    public static final String IMAGES = "images";
    public static final String MASKS = "masks";
    public static final String JSON = "set.json";

    private TrainingSet() {
    }

    /**
     * The truth with the background outside the particle marked {@link Masks#UNLABELLED} (train with
     * {@code --unlabelled 128}): labelled solid, a large uniform dark background teaches a network
     * that large dark regions are not pores, and it then misses large real pores (docs/net.md, "The
     * generalist build of 2026-12-04": catalyst F1 0.11 with particle-mode stacks, 0.55 without).
     */
    static float[] backgroundUnlabelled(float[] truth, float[] particle) {
        float[] m = truth.clone();
        for (int i = 0; i < m.length; i++) {
            if (particle[i] == 0) {
                m[i] = Masks.UNLABELLED;
            }
        }
        return m;
    }

    /**
     * @param fixedEvery 0: all stacks randomised; K > 0: every K-th stack (k = K-1, 2K-1, ...) is the
     *                   fixed model instead ({@link SynthParams#defaults} with that seed), so a model
     *                   trained on the set keeps its quality on the project's own synthetic data
     */
    public static void write(Path dir, long first, int count, int size, int slices, int fixedEvery, boolean force,
            ProgressListener progress) throws IOException {
        if (fixedEvery < 0) {
            throw new ParameterException("{fixedEvery} must be >= 0, got " + fixedEvery);
        }
        if (count < 1 || count > 100000) {
            throw new ParameterException("stacks must be between 1 and 100000, got " + count);
        }
        Path img = dir.resolve(IMAGES);
        Path msk = dir.resolve(MASKS);
        if (!force && (Files.exists(img) || Files.exists(msk) || Files.exists(dir.resolve(JSON)))) {
            throw new ParameterException(dir + ": holds a training set already (use {force})");
        }
        Files.createDirectories(img);
        Files.createDirectories(msk);
        List<Object> stacks = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            long seed = first + k;
            boolean fixed = fixedEvery > 0 && (k + 1) % fixedEvery == 0;
            SynthParams p = (fixed ? SynthParams.defaults().withSeed(seed) : SynthParams.randomized(seed)).withSize(size).withSlices(slices);
            SynthVolume v = new SynthGenerator().generate(p);
            long pore = 0;
            for (int z = 0; z < slices; z++) {
                SynthSlice s = v.slice(z);
                float[] truth = p.particle() ? backgroundUnlabelled(s.truth(), v.particle().slice(z)) : s.truth();
                String name = String.format(Locale.ROOT, "r%06d-%04d.tif", seed, z);
                TiffWriter.write(img.resolve(name), new StackInfo(size, size, 1, PixelType.U16, p.voxel()), i -> s.image(),
                        ProgressListener.NONE);
                TiffWriter.write(msk.resolve(name), new StackInfo(size, size, 1, PixelType.U8, p.voxel()), i -> truth,
                        ProgressListener.NONE);
                for (float t : truth) {
                    pore += t == Masks.PORE ? 1 : 0;
                }
                progress.progress((long) k * slices + z + 1, (long) count * slices);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seed", seed);
            m.put("fixed_model", fixed);
            m.put("mode", p.particle() ? "particle" : "crop");
            if (p.particle()) {
                m.put("mask_background", "unlabelled (128)");
            }
            m.put("voxel_size", List.of(p.voxel().x(), p.voxel().y(), p.voxel().z()));
            m.put("porosity_requested", p.porosity());
            m.put("pore_fraction_of_slices", (double) pore / ((long) size * size * slices));
            m.put("artifacts", p.artifacts());
            m.put("drift_px_per_slice", p.drift());
            m.put("dose_electrons_per_pixel", p.dose());
            if (!fixed) {
                m.put("appearance", p.appearance().toMap());
            }
            stacks.add(m);
        }
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("generator", SynthVolume.GENERATOR);
        j.put("fixed_every", fixedEvery);
        j.put("seeds", List.of(first, first + count - 1));
        j.put("size", size);
        j.put("slices_per_stack", slices);
        j.put("stacks", stacks);
        OutputFiles.writeString(dir.resolve(JSON),
                new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(j) + "\n");
    }
}
