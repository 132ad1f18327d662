package poreseg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import poreseg.io.DataException;

class HadoopFilesTest {
    @Test
    void resolvesLocalPathsAndKeepsUris() {
        assertEquals("file:///a/b/c.tif", HadoopFiles.resolve("file:/a/b/", "c.tif"));
        assertEquals("file:///a/c.tif", HadoopFiles.resolve("file:/a/b/", "../c.tif"));
        assertEquals("file:///x/y.tif", HadoopFiles.resolve("file:/a/b/", "/x/y.tif"));
        assertEquals("file:///a/b/with%20space.tif", HadoopFiles.resolve("file:/a/b/", "with space.tif"));
        assertEquals("hdfs://nn:8020/d/c.tif", HadoopFiles.resolve("file:/a/b/", "hdfs://nn:8020/d/c.tif"));
        assertEquals("hdfs://nn:8020/d/e/c.tif", HadoopFiles.resolve("hdfs://nn:8020/d/e/", "c.tif"));
        assertEquals("s3a://bucket/k/c.tif", HadoopFiles.resolve("file:/a/", "s3a://bucket/k/c.tif"));
        assertEquals("/a/with space.tif", HadoopFiles.display("file:///a/with%20space.tif"));
    }

    @Test
    void publishIsAtomicAndKeepsTheFirst(@TempDir Path dir) throws Exception {
        Configuration conf = new Configuration();
        Path a = Files.createDirectories(dir.resolve("a"));
        Files.writeString(a.resolve("report.json"), "first");
        Path b = Files.createDirectories(dir.resolve("b"));
        Files.writeString(b.resolve("report.json"), "second");
        String target = dir.resolve("out/stacks/s1").toUri().toString();
        assertTrue(HadoopFiles.publish(a, target, conf));
        assertFalse(HadoopFiles.publish(b, target, conf), "a second attempt leaves the first");
        assertEquals("first", Files.readString(dir.resolve("out/stacks/s1/report.json")));
        try (var s = Files.list(dir.resolve("out/stacks"))) {
            assertEquals(1, s.count(), "no temporary folder left");
        }
        try (var s = Files.walk(dir.resolve("out"))) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".crc")), "no checksum side files");
        }
    }

    @Test
    void missingInputsAreDataErrors(@TempDir Path dir) {
        Configuration conf = new Configuration();
        String missing = dir.resolve("nope.tif").toUri().toString();
        assertEquals("x: stack not found", assertThrows(DataException.class, () -> HadoopFiles.local(missing, conf, "x: stack not found")).getMessage());
        System.setProperty(HadoopFiles.COPY_LOCAL, "true");
        try {
            assertThrows(DataException.class, () -> HadoopFiles.local(missing, conf, "x"));
        } finally {
            System.clearProperty(HadoopFiles.COPY_LOCAL);
        }
    }
}
