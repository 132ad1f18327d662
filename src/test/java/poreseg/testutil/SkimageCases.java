package poreseg.testutil;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import poreseg.io.ArrayVolume;
import poreseg.io.Volumes;

/** The scikit-image golden cases copied into src/test/resources/skimage (see cases.json). */
public final class SkimageCases {
    private SkimageCases() {
    }

    public static List<JsonObject> cases(String op) throws IOException {
        try (InputStream in = SkimageCases.class.getResourceAsStream("/skimage/cases.json")) {
            JsonObject root = new Gson().fromJson(new InputStreamReader(in, StandardCharsets.UTF_8), JsonObject.class);
            JsonArray all = root.getAsJsonArray("cases");
            List<JsonObject> out = new ArrayList<>();
            for (JsonElement e : all) {
                JsonObject c = e.getAsJsonObject();
                if (c.get("op").getAsString().equals(op)) {
                    out.add(c);
                }
            }
            if (out.isEmpty()) {
                throw new IllegalStateException("no golden case for " + op);
            }
            return out;
        }
    }

    public static ArrayVolume image(String name) throws IOException {
        try {
            Path p = Path.of(SkimageCases.class.getResource("/skimage/" + name).toURI());
            return Volumes.load(p);
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }
}
