package poreseg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import poreseg.io.DataException;

class ManifestTest {
    static final String BASE = "file:/data/batch/";

    @Test
    void parsesColumnsInAnyOrderWithDefaultsAndUniqueIds() {
        List<Manifest.Entry> e = Manifest.parse("# stacks\nroi,path,unit,voxel_z,voxel_y,voxel_x\n"
                + ",p1.tif,nm,15,9,9\nauto,hdfs://nn:8020/x/p1.tif,,,,\nmask.tif,\"/abs/with,comma.tiff\",,,,\n\n", BASE, "m.csv");
        assertEquals(3, e.size());
        assertEquals("file:///data/batch/p1.tif", e.get(0).path());
        assertEquals("9,9,15", e.get(0).voxel());
        assertEquals("nm", e.get(0).unit());
        assertEquals("none", e.get(0).roi());
        assertEquals("p1", e.get(0).id());
        assertEquals("hdfs://nn:8020/x/p1.tif", e.get(1).path());
        assertEquals("p1-2", e.get(1).id());
        assertEquals("auto", e.get(1).roi());
        assertEquals("file:///data/batch/mask.tif", e.get(2).roi());
        assertEquals("with_comma", e.get(2).id());
    }

    @Test
    void badManifestsGiveOneLineNamingTheLine() {
        String[][] cases = {
            {"", "empty manifest"},
            {"path\n", "no stacks"},
            {"path,colour\na.tif,red\n", "line 1: unknown column 'colour'"},
            {"voxel_x\n1\n", "no 'path' column"},
            {"path,voxel_x,voxel_y\na.tif,1,1\n", "all of voxel_x"},
            {"path,voxel_x,voxel_y,voxel_z\na.tif,1,,2\n", "line 2: give all"},
            {"path,voxel_x,voxel_y,voxel_z\na.tif,1,-1,2\n", "line 2: voxel size must be a positive"},
            {"path,voxel_x,voxel_y,voxel_z\na.tif,1,x,2\n", "'x' is not a number"},
            {"path,unit\na.tif,parsec\n", "line 2:"},
            {"path\na.tif,b\n", "line 2: 2 fields, the header has 1"},
            {"path,id\na.tif,x\nb.tif,x\n", "line 3: id 'x' twice"},
            {"path,id\na.tif,../x\n", "id '../x' may hold only"},
            {"path\n\"a.tif\n", "unterminated quote"},
        };
        for (String[] c : cases) {
            DataException e = assertThrows(DataException.class, () -> Manifest.parse(c[0], BASE, "m.csv"), c[0]);
            assertTrue(e.getMessage().startsWith("m.csv") && e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void cliExitCodes(@TempDir Path dir) throws Exception {
        assertEquals(SparkMain.EXIT_DATA, SparkMain.execute("analyze", dir.resolve("missing.csv").toString(), "--out", dir.resolve("o").toString()));
        Files.writeString(dir.resolve("bad.csv"), "path,colour\na.tif,red\n");
        assertEquals(SparkMain.EXIT_DATA, SparkMain.execute("analyze", dir.resolve("bad.csv").toString(), "--out", dir.resolve("o").toString()));
        Files.writeString(dir.resolve("ok.csv"), "path\na.tif\n");
        assertEquals(SparkMain.EXIT_USAGE, SparkMain.execute("analyze", dir.resolve("ok.csv").toString()));
        assertEquals(SparkMain.EXIT_USAGE, SparkMain.execute("analyze", dir.resolve("ok.csv").toString(), "--out", dir.resolve("o").toString(),
                "--threshold", "1.5"));
        assertEquals(SparkMain.EXIT_DATA, SparkMain.execute("analyze", dir.resolve("ok.csv").toString(), "--out", dir.resolve("o").toString(),
                "--model", dir.resolve("nomodel").toString()));
        assertTrue(!Files.exists(dir.resolve("o")), "nothing written on a refused command");
    }
}
