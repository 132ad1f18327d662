package poreseg.view;

import com.google.gson.Gson;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The HTTP plumbing of {@code poreseg view}: parsing queries and numbers (a malformed one is an
 * {@link HttpError} 400), checking the method (405), and sending JSON, PNG and one-line text answers.
 */
final class Http {
    static final Gson GSON = new Gson();

    private Http() {
    }

    static void require(String method, String expected) {
        if (!method.equals(expected)) {
            throw new HttpError(405, "method " + method + " not allowed here (use " + expected + ")");
        }
    }

    static int integer(String name, String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException | NullPointerException e) {
            throw new HttpError(400, name + " must be an integer, got '" + s + "'");
        }
    }

    static double number(String name, String s) {
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

    static Map<String, String> query(HttpExchange ex) {
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

    static void json(HttpExchange ex, int status, Object body) throws IOException {
        byte[] b = GSON.toJson(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    static void png(HttpExchange ex, byte[] png) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "image/png");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(200, png.length);
        ex.getResponseBody().write(png);
    }

    static void text(HttpExchange ex, int status, String message) throws IOException {
        byte[] b = (message == null ? "error" : message).replace('\n', ' ').concat("\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }
}
