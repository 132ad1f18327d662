package poreseg.core;

import java.util.Arrays;

/**
 * Union-find (disjoint sets) over int ids, the one implementation behind connected-component
 * labelling (ComponentLabels, morpho.ComponentTracker), hysteresis and synth's truth measures.
 * Path halving; on a union the smaller root becomes the root of both, so roots, and the labels
 * numbered by them, do not depend on the order of the unions' arguments.
 */
public class UnionFind {
    private int[] parent;
    private int size;

    /** No elements yet; room for {@code capacity} before the array grows. */
    public UnionFind(int capacity) {
        parent = new int[Math.max(1, capacity)];
    }

    /** Number of elements: ids 0..size-1. */
    public int size() {
        return size;
    }

    /** Makes ids up to {@code n - 1} exist; the new ones are sets of their own. */
    public void grow(int n) {
        if (n > parent.length) {
            int cap = (int) Math.min(Integer.MAX_VALUE - 8, Math.max((long) n, 2L * parent.length));
            parent = Arrays.copyOf(parent, cap);
        }
        for (int i = size; i < n; i++) {
            parent[i] = i;
        }
        size = Math.max(size, n);
    }

    /** Forgets every union: ids 0..n-1 become sets of their own, the others are dropped. */
    public void reset(int n) {
        size = 0;
        grow(n);
    }

    public int find(int a) {
        return find(parent, a);
    }

    /** Joins the sets of a and b and returns the root of the joined set. */
    public int union(int a, int b) {
        return union(parent, a, b);
    }

    /** True when {@code a} is the root of its set. */
    public boolean isRoot(int a) {
        return parent[a] == a;
    }

    /** Root of {@code a} in a forest stored as a parent array (path halving). */
    public static int find(int[] parent, int a) {
        while (parent[a] != a) {
            parent[a] = parent[parent[a]];
            a = parent[a];
        }
        return a;
    }

    /** Joins the sets of {@code a} and {@code b} in a parent array; the smaller root becomes the root. Returns it. */
    public static int union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra == rb) {
            return ra;
        }
        if (ra < rb) {
            parent[rb] = ra;
            return ra;
        }
        parent[ra] = rb;
        return rb;
    }
}
