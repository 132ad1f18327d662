package poreseg.view;

import static poreseg.view.Http.integer;
import static poreseg.view.Http.json;
import static poreseg.view.Http.number;
import static poreseg.view.Http.png;
import static poreseg.view.Http.query;
import static poreseg.view.Http.require;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import poreseg.io.StackInfo;
import poreseg.util.Format;

/**
 * The {@code /api/...} routes of {@code poreseg view} on one {@link ViewSession}: stack information,
 * slices of every layer as PNG (the image with its contrast window), labels, saving, porosity,
 * training and its event stream. The client names slices and layers, never files.
 */
final class ViewApi {
    static final double DEFAULT_AUTO = 0.35;

    private final ViewSession session;
    private final EventStreams events;
    /** Slice 0 with the default contrast, rendered while the browser starts. */
    private volatile Rendered first;

    ViewApi(ViewSession session, EventStreams events) {
        this.session = session;
        this.events = events;
    }

    /** Renders slice 0 with the default contrast, for the first request (errors are reported when the browser asks). */
    void warmUp() {
        try {
            first = image(0, Double.NaN, Double.NaN, DEFAULT_AUTO);
        } catch (IOException | RuntimeException e) {
            // reported when the browser asks for the slice
        }
    }

    /** Answers {@code /api/NAME/...}; p is the path split at '/'. */
    void route(HttpExchange ex, String path, String[] p, String method) throws IOException {
        switch (p[2]) {
            case "info" -> {
                require(method, "GET");
                json(ex, 200, info());
            }
            case "slice" -> {
                require(method, "GET");
                if (p.length != 5 || !p[4].endsWith(".png")) {
                    throw new HttpError(404, "not found: " + path);
                }
                slice(ex, sliceIndex(p[3]), p[4].substring(0, p[4].length() - 4));
            }
            case "labels" -> {
                if (p.length != 4) {
                    throw new HttpError(404, "not found: " + path);
                }
                require(method, "PUT");
                putLabels(ex, sliceIndex(p[3]));
            }
            case "save" -> {
                require(method, "POST");
                int n = session.labels().save();
                json(ex, 200, Map.of("saved", true, "labelled_slices", n, "file", session.labels().file().getFileName().toString()));
            }
            case "porosity" -> {
                require(method, "GET");
                json(ex, 200, session.porosity());
            }
            case "train" -> train(ex, p, method);
            case "events" -> {
                require(method, "GET");
                events.serve(ex, session.trainState());
            }
            default -> throw new HttpError(404, "not found: " + path);
        }
    }

    private void train(HttpExchange ex, String[] p, String method) throws IOException {
        if (p.length == 3) {
            if (method.equals("GET")) {
                json(ex, 200, session.trainState());
                return;
            }
            require(method, "POST");
            Map<String, String> q = query(ex);
            int z = sliceIndex(q.getOrDefault("slice", "0"));
            Integer epochs = null;
            if (q.containsKey("epochs")) {
                epochs = integer("epochs", q.get("epochs"));
                if (epochs < 1 || epochs > 1000) {
                    throw new HttpError(400, "epochs must be 1..1000, got " + epochs);
                }
            }
            session.startTraining(z, epochs);
            json(ex, 202, session.trainState());
        } else if (p.length == 4 && p[3].equals("cancel")) {
            require(method, "POST");
            session.cancelTraining();
            json(ex, 202, Map.of("cancelling", true));
        } else {
            throw new HttpError(404, "not found");
        }
    }

    private Map<String, Object> info() {
        StackInfo i = session.info();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("width", i.width());
        m.put("height", i.height());
        m.put("slices", i.depth());
        m.put("type", i.type().label());
        m.put("voxel", List.of(i.calibration().x(), i.calibration().y(), i.calibration().z()));
        m.put("unit", i.calibration().unit());
        m.put("name", fileName(session.stacks().source(ViewStacks.Layer.IMAGE)));
        Map<String, Object> layers = new LinkedHashMap<>();
        for (ViewStacks.Layer l : ViewStacks.Layer.values()) {
            if (l != ViewStacks.Layer.IMAGE) {
                layers.put(l.name().toLowerCase(Locale.ROOT), session.stacks().has(l));
            }
        }
        layers.put("model", session.hasModel());
        layers.put("tuned", session.hasTuned());
        m.put("layers", layers);
        m.put("labels", fileName(session.labels().file().toString()));
        m.put("label_values", Map.of("pore", LabelStore.PORE, "solid", LabelStore.SOLID, "unlabelled", LabelStore.UNLABELLED));
        m.put("train", session.trainState());
        return m;
    }

    private static String fileName(String path) {
        int i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return i < 0 ? path : path.substring(i + 1);
    }

    private void slice(HttpExchange ex, int z, String layer) throws IOException {
        StackInfo info = session.info();
        ViewStacks stacks = session.stacks();
        byte[] grey;
        switch (layer) {
            case "image" -> {
                Map<String, String> q = query(ex);
                Rendered r;
                if (q.containsKey("lo") || q.containsKey("hi")) {
                    double lo = number("lo", q.get("lo"));
                    double hi = number("hi", q.get("hi"));
                    if (!(hi > lo)) {
                        throw new HttpError(400, "hi must be greater than lo");
                    }
                    r = image(z, lo, hi, 0);
                } else {
                    double pct = q.containsKey("auto") ? number("auto", q.get("auto")) : DEFAULT_AUTO;
                    if (pct < 0 || pct >= 50) {
                        throw new HttpError(400, "auto must be a percentage in [0, 50)");
                    }
                    Rendered w = first;
                    r = z == 0 && pct == DEFAULT_AUTO && w != null ? w : image(z, Double.NaN, Double.NaN, pct);
                }
                ex.getResponseHeaders().set("X-Contrast", fmt(r.lo) + "," + fmt(r.hi));
                stacks.prefetch(ViewStacks.Layer.IMAGE, z + 1);
                stacks.prefetch(ViewStacks.Layer.IMAGE, z - 1);
                png(ex, r.png);
                return;
            }
            case "mask", "truth" -> grey = SliceImages.mask(stacks.slice(layerOf(layer), z));
            case "prob", "uncertainty" -> grey = SliceImages.unit(stacks.slice(layerOf(layer), z));
            case "labels" -> grey = session.labels().slice(z);
            case "model", "tuned" -> {
                ViewSession.Predicted w = layer.equals("model") ? ViewSession.Predicted.MODEL : ViewSession.Predicted.TUNED;
                if (w == ViewSession.Predicted.MODEL ? !session.hasModel() : !session.hasTuned()) {
                    throw new HttpError(404, "no " + (w == ViewSession.Predicted.MODEL ? "model" : "fine-tuned model yet"));
                }
                checkRange(z);
                grey = SliceImages.unit(session.predicted(w, z));
                String scale = session.scaleOf(w);
                if (scale != null) {
                    ex.getResponseHeaders().set("X-Scale", scale);
                }
            }
            default -> throw new HttpError(404, "unknown layer '" + layer + "'");
        }
        png(ex, PngEncoder.grey(grey, info.width(), info.height()));
    }

    /** A slice of the image as PNG with the contrast window used. */
    private record Rendered(byte[] png, double lo, double hi) {
    }

    /** Renders image slice z with the window lo..hi, or (lo NaN) the auto window clipping {@code pct} % at each end. */
    private Rendered image(int z, double lo, double hi, double pct) throws IOException {
        StackInfo info = session.info();
        float[] s = session.stacks().slice(ViewStacks.Layer.IMAGE, z);
        if (Double.isNaN(lo)) {
            double[] r = SliceImages.autoRange(s, info.type(), pct);
            lo = r[0];
            hi = r[1];
        }
        return new Rendered(PngEncoder.grey(SliceImages.window(s, lo, hi), info.width(), info.height(), true), lo, hi);
    }

    private ViewStacks.Layer layerOf(String name) {
        ViewStacks.Layer l = ViewStacks.Layer.valueOf(name.toUpperCase(Locale.ROOT));
        if (!session.stacks().has(l)) {
            throw new HttpError(404, "no " + name + " stack was given");
        }
        return l;
    }

    private void putLabels(HttpExchange ex, int z) throws IOException {
        int n = session.info().sliceSize();
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(n + 1);
        }
        if (body.length != n) {
            throw new HttpError(400, "labels of a slice are " + n + " bytes (width x height), got " + (body.length > n ? "more" : body.length));
        }
        session.labels().set(z, body);
        ex.sendResponseHeaders(204, -1);
    }

    private int sliceIndex(String s) {
        int z = integer("slice", s);
        checkRange(z);
        return z;
    }

    private void checkRange(int z) {
        int d = session.info().depth();
        if (z < 0 || z >= d) {
            throw new HttpError(404, "slice " + z + " is outside 0.." + (d - 1));
        }
    }

    private static String fmt(double v) {
        return Format.exact(v);
    }
}
