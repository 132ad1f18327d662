package poreseg.synth;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import poreseg.io.OutputFiles;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.TiffWriter;
import poreseg.io.Views;
import poreseg.io.Volume;
import poreseg.util.ParameterException;
import poreseg.util.ProgressListener;

/**
 * A generated synthetic acquisition: lazy {@link Volume} views of the raw image (16-bit), the pore
 * truth (8-bit, 255 = pore) and the particle mask (8-bit, 255 = inside the secondary particle), and
 * the true pore numbers. Slices are computed on demand, independently and thread-safely, so any size
 * streams slice by slice. The same slice is always identical for the same parameters.
 */
public final class SynthVolume {
    public static final String IMAGE_FILE = "image.tif";
    public static final String TRUTH_FILE = "truth.tif";
    public static final String PARTICLE_FILE = "particle.tif";
    public static final String JSON_FILE = "truth.json";

    /**
     * Names the model in truth.json: equal seeds give equal data only within one version. Version 2
     * added {@link Appearance} (domain randomisation); with {@link Appearance#DEFAULT} its data is
     * byte-identical to version 1.
     */
    public static final String GENERATOR = "poreseg synth 3";

    private static final long MASK_CACHE_BYTES = 256L << 20;

    private final SynthParams params;
    private final PoreGeometry geo;
    private final SliceRenderer renderer;
    private final double intraFraction;
    private TruthStats stats;

    SynthVolume(SynthParams params, PoreGeometry geo, SliceRenderer renderer, double intraFraction) {
        this.params = params;
        this.geo = geo;
        this.renderer = renderer;
        this.intraFraction = intraFraction;
    }

    /** The implicit microstructure (package-private, for validation). */
    PoreGeometry geometry() {
        return geo;
    }

    public SynthParams params() {
        return params;
    }

    private StackInfo info(PixelType t) {
        return new StackInfo(params.size(), params.size(), params.slices(), t, params.voxel());
    }

    /** The raw BSE image stack, 16-bit values. */
    public Volume image() {
        return view(info(PixelType.U16), "synthetic image", renderer::image);
    }

    /**
     * Slice z of the image and of the truth together, cheaper than {@code image().slice(z)} plus
     * {@code truth().slice(z)} (the pore field of the plane is evaluated once). Thread-safe.
     */
    public SynthSlice slice(int z) {
        if (z < 0 || z >= params.slices()) {
            throw new IndexOutOfBoundsException("slice " + z + " of " + params.slices());
        }
        int size = params.size() * params.size();
        byte[] m = new byte[size];
        float[] img = renderer.render(z, m);
        float[] t = new float[size];
        for (int i = 0; i < size; i++) {
            t[i] = (m[i] & SliceRenderer.PORE) != 0 ? 255f : 0f;
        }
        return new SynthSlice(z, img, t);
    }

    /** The exact pore mask of each slice plane: 255 = pore, 0 = solid or background. */
    public Volume truth() {
        return view(info(PixelType.U8), "synthetic truth", z -> scale255(renderer.masks(z)[0]));
    }

    /** 255 inside the secondary particle (pores included), 0 outside; all 255 in crop mode. */
    public Volume particle() {
        return view(info(PixelType.U8), "synthetic particle", z -> scale255(renderer.masks(z)[1]));
    }

    private static Volume view(StackInfo info, String name, poreseg.io.SliceSource src) {
        return Views.generated(info, name, src);
    }

    private static float[] scale255(float[] m) {
        for (int i = 0; i < m.length; i++) {
            m[i] *= 255;
        }
        return m;
    }

    /** The true porosity, pore volume, surface area and pore count (computed once, on first call). */
    public synchronized TruthStats truthStats(ProgressListener progress) throws IOException {
        if (stats == null) {
            stats = TruthMeasure.measure(geo, renderer, params, intraFraction, progress);
        }
        return stats;
    }

    public TruthStats truthStats() throws IOException {
        return truthStats(ProgressListener.NONE);
    }

    /** Files that {@link #write} creates in {@code dir}. */
    public List<Path> outputs(Path dir) {
        List<Path> l = new ArrayList<>(List.of(dir.resolve(IMAGE_FILE), dir.resolve(TRUTH_FILE)));
        if (params.particle()) {
            l.add(dir.resolve(PARTICLE_FILE));
        }
        l.add(dir.resolve(JSON_FILE));
        return l;
    }

    /**
     * Writes image.tif, truth.tif, particle.tif (particle mode) and truth.json into {@code dir}
     * (created if missing). Refuses existing files unless {@code force}. Progress runs over all passes.
     */
    public void write(Path dir, boolean force, ProgressListener progress) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ParameterException(dir + ": exists and is not a folder");
        }
        Files.createDirectories(dir);
        for (Path out : outputs(dir)) {
            OutputFiles.checkWritable(out, force);
        }
        int passes = params.particle() ? 4 : 3;
        long total = (long) passes * params.slices();
        TruthStats t = truthStats(stage(progress, 0, total));
        // the image pass also yields the pore masks; keep them (1 byte per voxel) when that is small
        int size = params.size() * params.size();
        boolean keep = (long) size * params.slices() <= MASK_CACHE_BYTES;
        Map<Integer, byte[]> masks = new ConcurrentHashMap<>();
        TiffWriter.write(dir.resolve(IMAGE_FILE), info(PixelType.U16), z -> {
            byte[] m = keep ? new byte[size] : null;
            float[] img = renderer.render(z, m);
            if (keep) {
                masks.put(z, m);
            }
            return img;
        }, stage(progress, params.slices(), total));
        Volume truth = truth();
        boolean particleToo = params.particle();
        TiffWriter.write(dir.resolve(TRUTH_FILE), info(PixelType.U8), z -> {
            byte[] m = particleToo ? masks.get(z) : masks.remove(z);
            return m == null ? truth.slice(z) : bits(m, SliceRenderer.PORE);
        }, stage(progress, 2L * params.slices(), total));
        if (particleToo) {
            Volume particle = particle();
            TiffWriter.write(dir.resolve(PARTICLE_FILE), info(PixelType.U8), z -> {
                byte[] m = masks.remove(z);
                return m == null ? particle.slice(z) : bits(m, SliceRenderer.INSIDE);
            }, stage(progress, 3L * params.slices(), total));
        }
        OutputFiles.writeString(dir.resolve(JSON_FILE), json(t) + "\n");
    }

    private static float[] bits(byte[] m, int bit) {
        float[] f = new float[m.length];
        for (int i = 0; i < m.length; i++) {
            f[i] = (m[i] & bit) != 0 ? 255f : 0f;
        }
        return f;
    }

    private ProgressListener stage(ProgressListener p, long offset, long total) {
        return (done, n) -> p.progress(offset + done * params.slices() / Math.max(1, n), total);
    }

    /** truth.json content: parameters, seed, model and the true numbers. */
    public String json(TruthStats t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generator", GENERATOR);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("mode", params.particle() ? "particle" : "crop");
        p.put("width", params.size());
        p.put("height", params.size());
        p.put("slices", params.slices());
        p.put("voxel_size", List.of(params.voxel().x(), params.voxel().y(), params.voxel().z()));
        p.put("unit", params.voxel().unit());
        p.put("porosity_requested", params.porosity());
        p.put("seed", params.seed());
        p.put("artifacts", params.artifacts());
        p.put("drift_px_per_slice", params.drift());
        p.put("dose_electrons_per_pixel", params.dose());
        p.put("randomized", !params.isDefaultAppearance());
        m.put("parameters", p);
        if (!params.isDefaultAppearance()) {
            m.put("appearance", params.appearance().toMap());
        }
        Map<String, Object> tr = new LinkedHashMap<>();
        String u = t.unit();
        tr.put("porosity", t.porosity());
        tr.put("pore_volume", t.poreVolume());
        tr.put("region_volume", t.regionVolume());
        tr.put("volume_unit", u + "^3");
        tr.put("pore_surface_area", t.surfaceArea());
        tr.put("pore_surface_area_stderr", t.surfaceAreaStdErr());
        tr.put("area_unit", u + "^2");
        tr.put("specific_surface", t.specificSurface());
        tr.put("pore_count", t.poreCount());
        tr.put("intragranular_fraction", t.intragranularFraction());
        tr.put("region", params.particle() ? "the secondary particle inside the field of view" : "the whole crop");
        tr.put("method", "implicit pore field sampled on its own lattice (spacing " + t.lattice()[0] + ", " + t.lattice()[1]
                + ", " + t.lattice()[2] + " " + u + ", random sub-voxel offset, " + t.samples() + " points in the region); "
                + "surface area by the co-area formula (|grad F| over |F| < 2 nm, central differences), excluding crop faces "
                + "and the particle outline; pore count = 26-connected components on that lattice");
        m.put("truth", tr);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("grain_width_nm", params.appearance().grainWidth());
        model.put("grain_elongation", params.appearance().elongation());
        model.put("pore_halfwidth_scale_nm", t.poreScale());
        model.put("intragranular_pores_placed", geo.intragranularPores());
        model.put("particle_radius_nm", geo.radius());
        model.put("particle_centre_nm", geo.centre());
        model.put("view_tilt_deg", 38);
        model.put("psf_sigma_nm", params.appearance().psfNm());
        m.put("model", model);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues().create().toJson(m);
    }
}
