package poreseg.spark;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import poreseg.io.DataException;

/**
 * Inputs and outputs through Hadoop's FileSystem API, so local paths, file:, hdfs:, s3a: (and any
 * other scheme with a Hadoop connector on the class path) all work. The TIFF reader needs a local
 * file: a remote stack, mask or model is copied once per JVM into a local temporary folder (kept
 * while it is used, at most {@link #MAX_CACHED} copies, deleted when the JVM exits). Local paths are
 * read in place.
 */
public final class HadoopFiles {
    /** Remote copies kept per JVM (each executor): the stacks of one batch are processed roughly in order. */
    static final int MAX_CACHED = 4;

    /** Test and debugging switch: copy local inputs too, as remote ones are (exercises the copy cache). */
    static final String COPY_LOCAL = "poreseg.spark.copyLocalInputs";

    /** Local copy -> the URI it was copied from, to name the user's file in messages. */
    private static final Map<String, String> ORIGINALS = new ConcurrentHashMap<>();

    private static final Map<String, Object> LOCKS = new ConcurrentHashMap<>();
    private static final LinkedHashMap<String, java.nio.file.Path> CACHE = new LinkedHashMap<>(16, 0.75f, true);
    private static java.nio.file.Path cacheRoot;

    private HadoopFiles() {
    }

    /** A Hadoop configuration that travels with a Spark closure. */
    public static final class Conf implements Serializable {
        private static final long serialVersionUID = 1L;
        private transient Configuration conf;

        public Conf(Configuration conf) {
            this.conf = conf;
        }

        public Configuration get() {
            return conf;
        }

        private void writeObject(ObjectOutputStream out) throws IOException {
            out.defaultWriteObject();
            conf.write(new DataOutputStream(out));
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            conf = new Configuration(false);
            conf.readFields(new DataInputStream(in));
        }
    }

    /** The working folder as a file: URI ending in '/'. */
    public static String cwd() {
        return java.nio.file.Path.of("").toAbsolutePath().toUri().toString();
    }

    /** {@code path} as an absolute URI: kept when it has a scheme, else a local path resolved against {@code base}. */
    public static String resolve(String base, String path) {
        if (hasScheme(path)) {
            return path;
        }
        if (path.startsWith("/")) {
            return java.nio.file.Path.of(path).toUri().toString();
        }
        URI b = URI.create(base);
        if ("file".equals(b.getScheme())) {
            return java.nio.file.Path.of(b).resolve(path).normalize().toUri().toString();
        }
        return b.resolve(new Path(path).toUri()).toString();
    }

    static boolean hasScheme(String path) {
        int c = path.indexOf(':');
        int s = path.indexOf('/');
        if (c <= 1 || (s >= 0 && s < c)) {
            return false; // no scheme, or a Windows drive letter
        }
        try {
            return new URI(path).getScheme() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** The file system of a URI; for local files the raw one (no .crc side files). */
    public static FileSystem fs(String uri, Configuration conf) throws IOException {
        URI u = URI.create(uri);
        if (u.getScheme() == null || "file".equals(u.getScheme())) {
            return FileSystem.getLocal(conf).getRawFileSystem();
        }
        return FileSystem.get(u, conf);
    }

    static boolean isLocal(String uri) {
        String s = URI.create(uri).getScheme();
        return s == null || s.equals("file");
    }

    /** Reads a whole (small) file. */
    public static byte[] readAll(String uri, Configuration conf, String notFound) throws IOException {
        FileSystem fs = fs(uri, conf);
        Path p = hpath(uri);
        try (InputStream in = fs.open(p)) {
            return in.readAllBytes();
        } catch (FileNotFoundException e) {
            throw new DataException(notFound);
        }
    }

    /** Writes a whole (small) file: to a temporary name, then renamed. */
    public static void writeAll(String uri, byte[] data, Configuration conf) throws IOException {
        FileSystem fs = fs(uri, conf);
        Path p = hpath(uri);
        Path tmp = new Path(p.getParent(), "." + p.getName() + "." + UUID.randomUUID() + ".part");
        try (OutputStream out = fs.create(tmp, true)) {
            out.write(data);
        }
        fs.delete(p, false);
        if (!fs.rename(tmp, p)) {
            fs.delete(tmp, false);
            throw new IOException(uri + ": could not rename the temporary file into place");
        }
    }

    public static boolean exists(String uri, Configuration conf) throws IOException {
        return fs(uri, conf).exists(hpath(uri));
    }

    /**
     * A local path for {@code uri}: the file itself when it is local, else a copy in this JVM's cache
     * (copied on first use; a file or a folder, e.g. a folder of slices or a model folder). Missing:
     * a {@link DataException} with {@code notFound}.
     */
    public static java.nio.file.Path local(String uri, Configuration conf, String notFound) throws IOException {
        return local(uri, conf, notFound, false);
    }

    /** As {@link #local(String, Configuration, String)}; {@code keep}: never evicted from the cache (the model). */
    public static java.nio.file.Path local(String uri, Configuration conf, String notFound, boolean keep) throws IOException {
        if (isLocal(uri) && !Boolean.getBoolean(COPY_LOCAL)) {
            java.nio.file.Path p = uri.startsWith("file:") ? java.nio.file.Path.of(URI.create(uri)) : java.nio.file.Path.of(uri);
            if (!Files.exists(p)) {
                throw new DataException(notFound);
            }
            return p;
        }
        FileSystem fs = fs(uri, conf);
        FileStatus st;
        try {
            st = fs.getFileStatus(hpath(uri));
        } catch (FileNotFoundException e) {
            throw new DataException(notFound);
        }
        String key = uri + "|" + st.getLen() + "|" + st.getModificationTime();
        synchronized (LOCKS.computeIfAbsent(key, k -> new Object())) {
            synchronized (CACHE) {
                java.nio.file.Path have = CACHE.get(key);
                if (have != null && Files.exists(have)) {
                    return have;
                }
            }
            java.nio.file.Path dir = Files.createTempDirectory(root(), "copy");
            String name = hpath(uri.replaceAll("/+$", "")).getName(); // a folder keeps its name (a model's is shown in reports)
            java.nio.file.Path dst = dir.resolve(name.isEmpty() ? "data" : name);
            fs.copyToLocalFile(false, hpath(uri), new Path(dst.toUri()), true);
            ORIGINALS.put(dst.toString(), display(uri));
            if (keep) {
                return dst;
            }
            synchronized (CACHE) {
                CACHE.put(key, dst);
                while (CACHE.size() > MAX_CACHED) {
                    var oldest = CACHE.entrySet().iterator().next();
                    CACHE.remove(oldest.getKey());
                    // a task still reading it keeps its open file handle (Linux); new tasks copy again
                    deleteTree(oldest.getValue().getParent());
                }
            }
            return dst;
        }
    }

    private static synchronized java.nio.file.Path root() throws IOException {
        if (cacheRoot == null) {
            cacheRoot = Files.createTempDirectory("poreseg-spark-");
            java.nio.file.Path r = cacheRoot;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(r), "poreseg-spark-cache-cleanup"));
        }
        return cacheRoot;
    }

    /**
     * Publishes a finished local folder as {@code target} atomically: copied to a temporary sibling,
     * then renamed (atomic on HDFS and local file systems; S3A renames by copying, see docs/spark.md).
     * Returns false, leaving the existing one, when {@code target} already exists (a retried or
     * speculative attempt finished first).
     */
    public static boolean publish(java.nio.file.Path localDir, String target, Configuration conf) throws IOException {
        FileSystem fs = fs(target, conf);
        Path t = hpath(target);
        fs.mkdirs(t.getParent());
        Path tmp = new Path(t.getParent(), "." + t.getName() + ".tmp-" + UUID.randomUUID());
        try {
            fs.copyFromLocalFile(false, true, new Path(localDir.toUri()), tmp);
            if (fs.exists(t)) {
                return false;
            }
            if (!fs.rename(tmp, t)) {
                if (fs.exists(t)) {
                    return false;
                }
                throw new IOException(target + ": could not rename " + tmp.getName() + " into place");
            }
            return true;
        } finally {
            if (fs.exists(tmp)) {
                fs.delete(tmp, true);
            }
        }
    }

    /** A message with the local copies it names replaced by the files they were copied from. */
    public static String originalNames(String message) {
        String m = message;
        for (var e : ORIGINALS.entrySet()) {
            if (m.contains(e.getKey())) {
                m = m.replace(e.getKey(), e.getValue());
            }
        }
        return m;
    }

    /** For messages: a local file's path, any other URI as it is. */
    public static String display(String uri) {
        if (uri.startsWith("file:")) {
            try {
                return java.nio.file.Path.of(URI.create(uri)).toString();
            } catch (IllegalArgumentException e) {
                return uri;
            }
        }
        return uri;
    }

    /** A Hadoop path of a URI (percent-escapes decoded once, as java.net.URI does). */
    public static Path hpath(String uri) {
        return hasScheme(uri) ? new Path(URI.create(uri)) : new Path(uri);
    }

    static void deleteTree(java.nio.file.Path p) {
        if (p == null || !Files.exists(p)) {
            return;
        }
        try (Stream<java.nio.file.Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(q -> {
                try {
                    Files.deleteIfExists(q);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }
}
