package poreseg.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UnionFindTest {
    @Test
    void compactCountsClosedComponentsAndRenumbersOpenOnes() {
        TruthMeasure.UnionFind uf = new TruthMeasure.UnionFind();
        int a = uf.make();
        int b = uf.make();
        int c = uf.make();
        int d = uf.make();
        uf.union(b, d); // b and d one component
        // the current plane still holds c and d; a is finished
        int[] plane = {0, c, d, 0, b};
        long closed = uf.compact(plane, plane.length);
        assertEquals(1, closed, "only a is closed");
        assertEquals(2, uf.roots(), "c and {b, d} remain");
        assertArrayEquals(new int[] {0, 1, 2, 0, 2}, plane);
        assertEquals(1, a);
    }
}
