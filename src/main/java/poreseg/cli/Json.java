package poreseg.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/** JSON output for --json, pretty-printed, NaN written as null. */
final class Json {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls()
            .serializeSpecialFloatingPointValues().disableHtmlEscaping().create();

    private Json() {
    }

    static String write(Object o) {
        return GSON.toJson(o).replace("NaN", "null").replace("-Infinity", "null").replace("Infinity", "null");
    }
}
