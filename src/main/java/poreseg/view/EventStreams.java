package poreseg.view;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The server-sent event streams of {@code poreseg view} (training progress): every open stream gets
 * each published event; a stream is pinged every 15 s and ends when the client goes away or the
 * server stops.
 */
final class EventStreams {
    private final List<OutputStream> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** Serves one stream: first {@code initial} as a "train" event, then whatever is published, until {@link #closeAll}. */
    void serve(HttpExchange ex, Object initial) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        listeners.add(out);
        try {
            send(out, "train", Http.GSON.toJson(initial));
            for (int tick = 1; !closed && listeners.contains(out); tick++) {
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

    void publish(String type, Map<String, Object> data) {
        String json = Http.GSON.toJson(data);
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

    /** Ends every open stream (the server is stopping). */
    void closeAll() {
        closed = true;
        for (OutputStream out : listeners) {
            try {
                out.close();
            } catch (IOException e) {
                // already gone
            }
        }
        listeners.clear();
    }
}
