package poreseg.view;

import static poreseg.view.Http.query;
import static poreseg.view.Http.require;
import static poreseg.view.Http.text;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import poreseg.io.DataException;
import poreseg.util.ParameterException;

/**
 * The HTTP side of {@code poreseg view}, on the JDK's own server ({@code com.sun.net.httpserver}):
 * bound to 127.0.0.1 only, every request must carry the session token (query {@code token=} or
 * the cookie set on the first page load) or it gets 403. The client names slices and layers, never
 * files: it can read only the session's stacks and write only its labels. Slices go out as PNG,
 * training progress as server-sent events. Errors are one plain-text line: 400 for a malformed
 * request, 404 for a slice out of range or an unknown path, never a stack trace. The routes are
 * {@link ViewApi}, the event streams {@link EventStreams}, the HTTP plumbing {@link Http}.
 */
public final class ViewServer implements AutoCloseable {
    private static final String COOKIE = "poreseg_token";
    private static final String RESOURCES = "/poreseg/view/";
    private static final Map<String, String> STATIC = Map.of(
            "/", "index.html", "/index.html", "index.html", "/app.js", "app.js", "/app.css", "app.css");

    private final ViewSession session;
    private final HttpServer server;
    private final ExecutorService pool;
    private final String token;
    private final int port;
    private final EventStreams events = new EventStreams();
    private final ViewApi api;
    private volatile boolean stopping;

    private ViewServer(ViewSession session, HttpServer server, ExecutorService pool, String token) {
        this.session = session;
        this.server = server;
        this.pool = pool;
        this.token = token;
        this.port = server.getAddress().getPort();
        this.api = new ViewApi(session, events);
        session.events(events::publish);
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
        Thread warm = new Thread(s.api::warmUp, "poreseg-view-first-slice");
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
        api.route(ex, path, p, method);
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

    /** Stops accepting requests, ends event streams and waits briefly for running requests. */
    @Override
    public void close() {
        stopping = true;
        events.closeAll();
        server.stop(0);
        pool.shutdownNow();
        try {
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
