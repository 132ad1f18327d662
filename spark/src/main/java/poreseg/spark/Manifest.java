package poreseg.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import poreseg.io.Calibration;
import poreseg.io.DataException;

/**
 * The stacks of a batch, one CSV row each, with a header row naming the columns (any order):
 * {@code path} (required: a local path, relative to the manifest's folder, or a URI such as
 * hdfs://... or s3a://...), {@code voxel_x,voxel_y,voxel_z} (all three or none: the voxel size,
 * overriding the file's), {@code unit} (e.g. nm), {@code roi} (empty or {@code none}: the whole stack;
 * {@code auto}: the particle mask; else a mask path or URI) and {@code id} (a name for the stack's
 * outputs; default the file name without extension, made unique). Blank lines and lines starting
 * with # are skipped; fields may be quoted ("a,b").
 */
public final class Manifest {
    /** The columns a manifest may have. */
    public static final List<String> COLUMNS = List.of("path", "voxel_x", "voxel_y", "voxel_z", "unit", "roi", "id");

    /**
     * One stack of the batch. {@code voxel} is "X,Y,Z" or null, {@code unit} a length unit or null,
     * {@code roi} "none", "auto" or a resolved URI.
     */
    public record Entry(int index, String id, String path, String voxel, String unit, String roi, int line) implements Serializable {
    }

    private Manifest() {
    }

    /**
     * Parses manifest text. {@code base} resolves relative paths (the manifest's folder, as a URI
     * ending in '/'); {@code name} is used in messages. Errors are {@link DataException}s naming the line.
     */
    public static List<Entry> parse(String text, String base, String name) {
        List<String[]> rows = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        String[] all = text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        for (int i = 0; i < all.length; i++) {
            String l = all[i];
            if (l.isBlank() || l.stripLeading().startsWith("#")) {
                continue;
            }
            rows.add(split(l, name, i + 1));
            lines.add(i + 1);
        }
        if (rows.isEmpty()) {
            throw new DataException(name + ": empty manifest (needs a header row, e.g. 'path,voxel_x,voxel_y,voxel_z,unit,roi', and one row per stack)");
        }
        String[] header = rows.get(0);
        Map<String, Integer> col = new LinkedHashMap<>();
        for (int c = 0; c < header.length; c++) {
            String h = header[c].trim().toLowerCase(Locale.ROOT);
            if (!COLUMNS.contains(h)) {
                throw new DataException(name + " line " + lines.get(0) + ": unknown column '" + header[c].trim() + "' (columns: "
                        + String.join(", ", COLUMNS) + "; the first row must be the header)");
            }
            if (col.put(h, c) != null) {
                throw new DataException(name + " line " + lines.get(0) + ": column '" + h + "' twice");
            }
        }
        if (!col.containsKey("path")) {
            throw new DataException(name + " line " + lines.get(0) + ": no 'path' column in the header");
        }
        boolean anyVoxel = col.containsKey("voxel_x") || col.containsKey("voxel_y") || col.containsKey("voxel_z");
        if (anyVoxel && !(col.containsKey("voxel_x") && col.containsKey("voxel_y") && col.containsKey("voxel_z"))) {
            throw new DataException(name + " line " + lines.get(0) + ": give all of voxel_x, voxel_y, voxel_z or none");
        }
        if (rows.size() == 1) {
            throw new DataException(name + ": no stacks (only the header row)");
        }
        List<Entry> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int r = 1; r < rows.size(); r++) {
            String[] row = rows.get(r);
            int line = lines.get(r);
            String where = name + " line " + line + ": ";
            if (row.length != header.length) {
                throw new DataException(where + row.length + " fields, the header has " + header.length);
            }
            String path = cell(row, col, "path");
            if (path == null) {
                throw new DataException(where + "empty path");
            }
            String voxel = null;
            if (anyVoxel) {
                String x = cell(row, col, "voxel_x");
                String y = cell(row, col, "voxel_y");
                String z = cell(row, col, "voxel_z");
                if (x != null || y != null || z != null) {
                    if (x == null || y == null || z == null) {
                        throw new DataException(where + "give all of voxel_x, voxel_y, voxel_z or none");
                    }
                    for (String v : new String[] {x, y, z}) {
                        double d;
                        try {
                            d = Double.parseDouble(v);
                        } catch (NumberFormatException e) {
                            throw new DataException(where + "voxel size '" + v + "' is not a number");
                        }
                        if (!(d > 0) || Double.isInfinite(d)) {
                            throw new DataException(where + "voxel size must be a positive number, got " + v);
                        }
                    }
                    voxel = x + "," + y + "," + z;
                }
            }
            String unit = cell(row, col, "unit");
            if (unit != null) {
                try {
                    unit = Calibration.lengthUnit(unit);
                } catch (IllegalArgumentException e) {
                    throw new DataException(where + e.getMessage());
                }
            }
            String roi = cell(row, col, "roi");
            if (roi == null || roi.equals("none")) {
                roi = "none";
            } else if (!roi.equals("auto")) {
                roi = HadoopFiles.resolve(base, roi);
            }
            String resolved = HadoopFiles.resolve(base, path);
            String id = cell(row, col, "id");
            if (id != null) {
                if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                    throw new DataException(where + "id '" + id + "' may hold only letters, digits, '.', '_' and '-'");
                }
                if (!ids.add(id)) {
                    throw new DataException(where + "id '" + id + "' twice");
                }
            }
            out.add(new Entry(out.size(), id, resolved, voxel, unit, roi, line));
        }
        // default ids: the file name without extension, made unique (-2, -3, ...)
        List<Entry> named = new ArrayList<>();
        for (Entry e : out) {
            if (e.id() != null) {
                named.add(e);
                continue;
            }
            String base0 = defaultId(e.path());
            String id = base0;
            for (int k = 2; ids.contains(id); k++) {
                id = base0 + "-" + k;
            }
            ids.add(id);
            named.add(new Entry(e.index(), id, e.path(), e.voxel(), e.unit(), e.roi(), e.line()));
        }
        return named;
    }

    /** Reads and parses a manifest through Hadoop's FileSystem API. */
    public static List<Entry> read(String manifest, org.apache.hadoop.conf.Configuration conf) throws IOException {
        String uri = HadoopFiles.resolve(HadoopFiles.cwd(), manifest);
        byte[] bytes = HadoopFiles.readAll(uri, conf, manifest + ": manifest not found");
        if (bytes.length > 64 << 20) {
            throw new DataException(manifest + ": not a manifest (over 64 MB)");
        }
        String base = uri.substring(0, uri.lastIndexOf('/') + 1);
        return parse(new String(bytes, StandardCharsets.UTF_8), base, manifest);
    }

    static String defaultId(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String n = p.substring(p.lastIndexOf('/') + 1);
        String lower = n.toLowerCase(Locale.ROOT);
        for (String ext : new String[] {".tiff", ".tif"}) {
            if (lower.endsWith(ext) && n.length() > ext.length()) {
                n = n.substring(0, n.length() - ext.length());
                break;
            }
        }
        n = n.replaceAll("[^A-Za-z0-9._-]", "_");
        if (n.isEmpty() || !Character.isLetterOrDigit(n.charAt(0))) {
            n = "stack" + n;
        }
        return n;
    }

    private static String cell(String[] row, Map<String, Integer> col, String name) {
        Integer c = col.get(name);
        if (c == null) {
            return null;
        }
        String v = row[c].trim();
        return v.isEmpty() ? null : v;
    }

    /** One CSV line into fields (RFC 4180 quotes within the line). */
    static String[] split(String line, String name, int lineNo) {
        List<String> f = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"' && cur.toString().isBlank()) {
                quoted = true;
                cur.setLength(0);
            } else if (ch == ',') {
                f.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        if (quoted) {
            throw new DataException(name + " line " + lineNo + ": unterminated quote");
        }
        f.add(cur.toString());
        return f.toArray(String[]::new);
    }
}
