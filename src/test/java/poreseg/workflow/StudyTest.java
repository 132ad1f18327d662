package poreseg.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.report.ReportCheck;
import poreseg.synth.SynthGenerator;
import poreseg.synth.SynthParams;
import poreseg.util.ParameterException;

/** A minimal study (one variant, two folds, one short epoch) runs end to end and writes an honest, complete report. */
class StudyTest {
    @TempDir
    Path dir;

    @Test
    void tinyStudyWritesTable2FiguresAndOutOfFoldMasks() throws Exception {
        Path data = dir.resolve("data");
        new SynthGenerator().generate(SynthParams.defaults().withSize(64).withSlices(4).withSeed(5)).write(data, false,
                poreseg.util.ProgressListener.NONE);
        Study.Options o = new Study.Options(data.resolve("image.tif"), data.resolve("truth.tif"), dir.resolve("study"), 2, 1,
                List.of("unet"), List.of("stretch"), 2, 64, 1, 1, null, true, false);
        Study.Result r = Study.run(o, Stages.NONE);
        assertEquals(1, r.cnns().size());
        Study.CnnVariant c = r.cnns().get(0);
        assertEquals(2, c.testFolds().size(), "one score set per fold");
        assertNotNull(c.trainMean());
        try (Volume prob = Volumes.open(c.segmentation().mask())) {
            assertEquals(4, prob.info().depth(), "every slice gets an out-of-fold prediction");
        }
        assertEquals(r.truth().measures().porosity(), c.segmentation().evaluation().total().truePorosity(), 1e-12);
        String html = Files.readString(r.report());
        assertTrue(ReportCheck.checkHtml(html).ok());
        assertTrue(html.contains("Table 2") && html.contains("Fig. 5") && html.contains("Fig. 7") && html.contains("threshold (Otsu)"));
        assertTrue(Files.exists(dir.resolve("study/models/unet-stretch/fold-1/model.json")));
    }

    @Test
    void foldsAreContiguousBlocksCoveringEverySlice() {
        int[] expect = {0, 0, 0, 1, 1, 1, 1};
        for (int z = 0; z < 7; z++) {
            assertEquals(expect[z], Study.foldOf(z, 7, 2));
        }
        assertEquals(2, Study.foldOf(9, 10, 3));
    }

    @Test
    void oneFoldIsRefused() {
        assertThrows(ParameterException.class, () -> new Study.Options(dir, dir, dir, 1, 1, List.of("unet"), List.of("none"), 2, 64, 1, 1,
                null, true, false));
    }
}
