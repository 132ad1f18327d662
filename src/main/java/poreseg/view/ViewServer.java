package poreseg.view;

import com.google.gson.Gson;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import poreseg.io.DataException;
import poreseg.io.StackInfo;
import poreseg.util.Format;
import poreseg.util.ParameterException;

/**
 * The HTTP side of {@code poreseg view}, on the JDK's own server ({@code com.sun.net.httpserver}):
 * bound to 127.0.0.1 only, every request must carry the session token (query {@code token=} or
 * the cookie set on the first page load) or it gets 403. The client names slices and layers, never
 * files: it can read only the session's stacks and write only its labels. Slices go out as PNG,
 * training progress as server-sent events. Errors are one plain-text line: 400 for a malformed
 * request, 404 for a slice out of range or an unknown path, never a stack trace.
 */
public final class ViewServer implements AutoCloseable {
    private static final String COOKIE = "poreseg_token";
    private static final String RESOURCES = "/poreseg/view/";
    private static final Map<String, String> STATIC = Map.of(
            "/", "index.html", "/index.html", "index.html", "/app.js", "app.js", "/app.css", "app.css");
    private static final Gson GSON = new Gson();
    private static final double DEFAULT_AUTO = 0.35;

    private final ViewSession session;
    private final HttpServer server;
    private final ExecutorService pool;
    private final String token;
    private final int port;
    private final List<OutputStream> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;
    /** Slice 0 with the default contrast, rendered while the browser starts. */
    private volatile Rendered first;

    /** Thrown by handlers to answer with a status and a one-line message. */
    static final class HttpError extends RuntimeException {
        final int status;

        HttpError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private ViewServer(ViewSession session, HttpServer server, ExecutorService pool, String token) {
        this.session = session;
        this.server = server;
        this.pool = pool;
        this.token = token;
        this.port = server.getAddress().getPort();
        session.events(this::publish);
    }

    /** Starts serving on 127.0.0.1:{@code port} (0 = any free port). A port in use is a {@link DataException} naming it. */
    public static ViewServer start(ViewSession session, int port) throws IOException {
        if (port < 0 || port > 65535) {
            throw new ParameterException("{port} must be 0..65535, got " + port);
        }
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (BindException e) {
            throw new DataException("port " + port + " on 127.0.0.1 is in use (choose another with {port}, or {port} 0 for a free one)");
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "poreseg-view-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(pool);
        byte[] raw = new byte[24];
        new SecureRandom().nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        ViewServer s = new ViewServer(session, http, pool, token);
        http.createContext("/", s::handle);
        http.start();
        Thread warm = new Thread(() -> {
            try {
                s.first = s.image(0, Double.NaN, Double.NaN, DEFAULT_AUTO);
            } catch (IOException | RuntimeException e) {
                // reported when the browser asks for the slice
            }
        }, "poreseg-view-first-slice");
        warm.setDaemon(true);
        warm.start();
        return s;
    }

    public int port() {
        return port;
    }

    public String token() {
        return token;
    }

    /** The address to open, with the token. */
    public String url() {
        return "http://127.0.0.1:" + port + "/?token=" + token;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            try {
                if (!authorised(ex)) {
                    throw new HttpError(403, "forbidden: open the address printed by poreseg view (it carries the token)");
                }
                route(ex);
            } catch (HttpError e) {
                text(ex, e.status, e.getMessage());
            } catch (IndexOutOfBoundsException e) {
                text(ex, 404, e.getMessage());
            } catch (IllegalArgumentException e) { // ParameterException included
                text(ex, 400, e.getMessage());
            } catch (IllegalStateException e) {
                text(ex, 409, e.getMessage());
            } catch (DataException e) {
                text(ex, 500, e.getMessage());
            } catch (IOException e) {
                if (!stopping) {
                    text(ex, 500, "read error: " + e.getMessage());
                }
            } catch (RuntimeException e) {
                text(ex, 500, "internal error: " + e);
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private boolean authorised(HttpExchange ex) {
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null || !(host.equals("127.0.0.1:" + port) || host.equals("localhost:" + port))) {
            return false; // another host name pointing here (DNS rebinding)
        }
        String q = query(ex).get("token");
        if (q != null && same(q, token)) {
            return true;
        }
        List<String> cookies = ex.getRequestHeaders().get("Cookie");
        if (cookies != null) {
            for (String line : cookies) {
                for (String c : line.split(";")) {
                    String t = c.trim();
                    if (t.startsWith(COOKIE + "=") && same(t.substring(COOKIE.length() + 1), token)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private void route(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        String method = ex.getRequestMethod();
        String res = STATIC.get(path);
        if (res != null) {
            require(method, "GET");
            staticFile(ex, res);
            return;
        }
        String[] p = path.split("/", -1);
        if (p.length < 3 || !p[1].equals("api")) {
            throw new HttpError(404, "not found: " + path);
        }
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
                events(ex);
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

    private static void png(HttpExchange ex, byte[] png) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "image/png");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(200, png.length);
        ex.getResponseBody().write(png);
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

    private void events(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        listeners.add(out);
        try {
            send(out, "train", GSON.toJson(session.trainState()));
            for (int tick = 1; !stopping && listeners.contains(out); tick++) {
                Thread.sleep(250);
                if (tick % 60 == 0) {
                    synchronized (out) {
                        out.write(": ping\n\n".getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            listeners.remove(out);
        }
    }

    private void publish(String type, Map<String, Object> data) {
        String json = GSON.toJson(data);
        for (OutputStream out : listeners) {
            try {
                send(out, type, json);
            } catch (IOException e) {
                listeners.remove(out);
            }
        }
    }

    private static void send(OutputStream out, String type, String json) throws IOException {
        synchronized (out) {
            out.write(("event: " + type + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private void staticFile(HttpExchange ex, String name) throws IOException {
        byte[] data;
        try (InputStream in = ViewServer.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new HttpError(404, "not found: " + name);
            }
            data = in.readAllBytes();
        }
        String type = name.endsWith(".js") ? "text/javascript" : name.endsWith(".css") ? "text/css" : "text/html";
        ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("Content-Security-Policy",
                "default-src 'self'; img-src 'self' blob: data:; connect-src 'self'; style-src 'self'; script-src 'self'");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        if (name.equals("index.html")) {
            ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict");
        }
        ex.sendResponseHeaders(200, data.length);
        ex.getResponseBody().write(data);
    }

    private static void require(String method, String expected) {
        if (!method.equals(expected)) {
            throw new HttpError(405, "method " + method + " not allowed here (use " + expected + ")");
        }
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

    private static int integer(String name, String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException | NullPointerException e) {
            throw new HttpError(400, name + " must be an integer, got '" + s + "'");
        }
    }

    private static double number(String name, String s) {
        try {
            double v = Double.parseDouble(s);
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException | NullPointerException e) {
            throw new HttpError(400, name + " must be a number, got '" + s + "'");
        }
    }

    private static String fmt(double v) {
        return Format.exact(v);
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> m = new HashMap<>();
        String q = ex.getRequestURI().getRawQuery();
        if (q == null) {
            return m;
        }
        for (String kv : q.split("&")) {
            int i = kv.indexOf('=');
            try {
                String k = URLDecoder.decode(i < 0 ? kv : kv.substring(0, i), StandardCharsets.UTF_8);
                String v = i < 0 ? "" : URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8);
                m.put(k, v);
            } catch (IllegalArgumentException e) {
                throw new HttpError(400, "malformed query");
            }
        }
        return m;
    }

    private static void json(HttpExchange ex, int status, Object body) throws IOException {
        byte[] b = GSON.toJson(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    private static void text(HttpExchange ex, int status, String message) throws IOException {
        byte[] b = (message == null ? "error" : message).replace('\n', ' ').concat("\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    /** Stops accepting requests, ends event streams and waits briefly for running requests. */
    @Override
    public void close() {
        stopping = true;
        for (OutputStream out : listeners) {
            try {
                out.close();
            } catch (IOException e) {
                // already gone
            }
        }
        listeners.clear();
        server.stop(0);
        pool.shutdownNow();
        try {
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
