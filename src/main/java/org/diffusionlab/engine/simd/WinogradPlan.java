package org.diffusionlab.engine.simd;

import static org.diffusionlab.engine.simd.Winograd.*;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;

/**
 * One Winograd convolution (or filter gradient) over a batch, split into chunks of whole tile rows: per
 * chunk, the input tiles transformed (V = B^T d B), the products with the transformed filters, and the
 * outputs transformed back (Y = A^T M A); see {@link Winograd} for the algebra.
 */
record WinogradPlan(int cin, int cout, int h, int w, int p, float[] in, int inOff, int inLd, float[] u,
                    float[] bias, float[] out, int outOff, int outLd, int perChunk, boolean gradient,
                    int tile) {

    /**
     * Every tile row of the batch: with {@code second} and two chunks or more split at a chunk boundary,
     * the second part into {@code second}'s sums, on the shared helper when {@code parallel}, else after the
     * first on this thread (the same numbers either way). True if it was split.
     */
    boolean run(int batch, Scratch mine, Scratch second, boolean parallel) {
        int rows = batch * (h / tile);
        int chunks = (rows + perChunk - 1) / perChunk;
        if (second == null || chunks < 2) {
            chunks(0, rows, mine);
            return false;
        }
        int split = (chunks / 2) * perChunk;
        if (parallel) {
            SecondCore.shared().both(() -> chunks(split, rows, second), () -> chunks(0, split, mine));
        } else {
            chunks(0, split, mine);
            chunks(split, rows, second);
        }
        return true;
    }

    /** Tile rows [g0, g1) of the whole batch (tile row g is row g mod th of example g / th), chunk by chunk. */
    void chunks(int g0, int g1, Scratch s) {
        for (int g = g0; g < g1; g += perChunk) {
            if (tile == 4) {
                chunk4(g, Math.min(g1, g + perChunk), s);
            } else {
                chunk(g, Math.min(g1, g + perChunk), s);
            }
        }
    }

    /**
     * Each group's first input pixel (the padded block's corner) and first output pixel, groups of
     * {@code perGroup} consecutive tiles from tile row g0 on, into s.inAt and s.outAt.
     */
    private void groupOffsets(int g0, int groups, int perGroup, Scratch s) {
        int tw = w / tile;
        int th = h / tile;
        for (int q = 0; q < groups; q++) {
            int t = perGroup * q;
            int g = g0 + t / tw;
            int j = t % tw;
            int e = g / th;
            int i = g % th;
            s.inAt[q] = inOff + e * p + tile * i * (w + 2) + tile * j;
            s.outAt[q] = outOff + e * p + (1 + tile * i) * (w + 2) + 1 + tile * j;
        }
    }

    /** {@link #chunk} by F(4x4, 3x3): groups of 4 tiles, four groups to a vector. */
    private void chunk4(int g0, int g1, Scratch s) {
        int tw = w / 4;
        int tiles = (g1 - g0) * tw;
        int ldv = rowStride(tiles + 16);
        int groups = tiles / 4;
        int quads = (groups + 3) / 4;
        int pv = rowStride(cin * ldv);
        int pm = rowStride(cout * ldv);
        s.ensure(36 * pv, gradient ? 0 : 36 * pm, groups);
        if (s.t.length < 576 * quads) {
            s.t = new float[576 * quads];
        }
        if (gradient) {
            s.ensureGradient(4 * (g1 - g0) * w * cout, 36 * rowStride(16 * quads * cout));
        }
        groupOffsets(g0, groups, 4, s);
        float[] t = s.t;
        for (int c = 0; c < cin; c++) {
            int ch = c * inLd;
            for (int r = 0; r < 6; r++) {
                columns4(s.inAt, groups, ch + r * (w + 2), t, r * 96 * quads, quads);
            }
            rows4(t, quads, s.v, c * ldv, pv);
        }
        if (gradient) {
            gradientProducts4(g0, g1, s, tiles, 16 * quads, ldv, pv);
            return;
        }
        int size = cout * cin;
        // every column of the last quad: its lanes are not in tile order (the missing groups' lanes, copies
        // of the last group, are dropped by outRows4)
        for (int e = 0; e < 36; e++) {
            VectorGemm.nn(cout, 16 * quads, cin, u, e * size, cin, s.v, e * pv, ldv, s.m, e * pm, ldv, false);
        }
        for (int o = 0; o < cout; o++) {
            float bo = bias == null ? 0f : bias[o];
            mRows4(s.m, o * ldv, pm, quads, t);
            outRows4(t, quads, s.outAt, groups, o * outLd, bo);
        }
        zeroBorders(g0, g1);
    }

    /**
     * Row r of every quad's tiles (columns a..f = 4j .. 4j + 5 of tile j): the six combinations of
     * B^T into t[at + 96 q + 16 k]. Lane 4 j + g is tile j of the quad's group g ({@link #column4}; the
     * last group repeated where the groups run out). Each column's four groups come together in a 4x4
     * transpose by two butterfly stages of lane swaps and blends (FLIP1 and PAIR1 exchange a group's
     * low bit with a column's, FLIP2 and PAIR2 the high bits): 14 permutations and 14 blends a row of
     * a quad, where moving each group's lanes into place took 24 and 18.
     */
    private void columns4(int[] inAt, int groups, int shift, float[] t, int at, int quads) {
        int last = groups - 1;
        for (int q = 0; q < quads; q++) {
            int a0 = inAt[Math.min(4 * q, last)] + shift;
            int a1 = inAt[Math.min(4 * q + 1, last)] + shift;
            int a2 = inAt[Math.min(4 * q + 2, last)] + shift;
            int a3 = inAt[Math.min(4 * q + 3, last)] + shift;
            for (int part = 0; part < 16; part += QL) {
                columns4(a0 + part, a1 + part, a2 + part, a3 + part, t, at + 96 * q + part);
            }
        }
    }

    /**
     * {@link #columns4} for QL lanes of a quad: QL / 4 tiles of each group, whose columns start at a0..a3,
     * into t[at + 16 k].
     */
    private void columns4(int a0, int a1, int a2, int a3, float[] t, int at) {
        float[] in = this.in;
        // x: columns 4 j + k of each group (a..d); y, two columns on: its columns 2 and 3 are e and f
        FloatVector x0 = FloatVector.fromArray(S, in, a0);
        FloatVector x1 = FloatVector.fromArray(S, in, a1);
        FloatVector x2 = FloatVector.fromArray(S, in, a2);
        FloatVector x3 = FloatVector.fromArray(S, in, a3);
        FloatVector p01 = x0.blend(x1.rearrange(FLIP1), PAIR1);    // columns with k even, groups 0 and 1
        FloatVector q01 = x0.rearrange(FLIP1).blend(x1, PAIR1);    // k odd
        FloatVector p23 = x2.blend(x3.rearrange(FLIP1), PAIR1);
        FloatVector q23 = x2.rearrange(FLIP1).blend(x3, PAIR1);
        FloatVector ca = p01.blend(p23.rearrange(FLIP2), PAIR2);
        FloatVector cc = p01.rearrange(FLIP2).blend(p23, PAIR2);
        FloatVector cb = q01.blend(q23.rearrange(FLIP2), PAIR2);
        FloatVector cd = q01.rearrange(FLIP2).blend(q23, PAIR2);
        FloatVector y0 = FloatVector.fromArray(S, in, a0 + 2);
        FloatVector y1 = FloatVector.fromArray(S, in, a1 + 2);
        FloatVector y2 = FloatVector.fromArray(S, in, a2 + 2);
        FloatVector y3 = FloatVector.fromArray(S, in, a3 + 2);
        FloatVector r01 = y0.blend(y1.rearrange(FLIP1), PAIR1);
        FloatVector s01 = y0.rearrange(FLIP1).blend(y1, PAIR1);
        FloatVector r23 = y2.blend(y3.rearrange(FLIP1), PAIR1);
        FloatVector s23 = y2.rearrange(FLIP1).blend(y3, PAIR1);
        FloatVector e = r01.rearrange(FLIP2).blend(r23, PAIR2);
        FloatVector cf = s01.rearrange(FLIP2).blend(s23, PAIR2);
        int o = at;
        ca.mul(4f).sub(cc.mul(5f)).add(e).intoArray(t, o);        // 4a - 5c + e
        FloatVector bc = cb.add(cc);
        FloatVector de = cd.add(e);
        de.sub(bc.mul(4f)).intoArray(t, o + 16);                   // -4(b + c) + d + e
        FloatVector bmc = cb.sub(cc);
        e.sub(cd).add(bmc.mul(4f)).intoArray(t, o + 32);           // 4(b - c) - d + e
        FloatVector dmb = cd.sub(cb).mul(2f);
        FloatVector emc = e.sub(cc);
        emc.add(dmb).intoArray(t, o + 48);                         // 2(d - b) + e - c
        emc.sub(dmb).intoArray(t, o + 64);                         // -2(d - b) + e - c
        cb.mul(4f).sub(cd.mul(5f)).add(cf).intoArray(t, o + 80);  // 4b - 5d + f
    }

    /** The row combinations of B^T of each column combination l, into V[6 k + l]. */
    private static void rows4(float[] t, int quads, float[] v, int at, int plane) {
        int rowStep = 96 * quads;
        for (int q = 0; q < quads; q++) {
            for (int l = 0; l < 6; l++) {
              for (int part = 0; part < 16; part += QL) {
                int i = 96 * q + 16 * l + part;
                FloatVector a = FloatVector.fromArray(S, t, i);
                FloatVector b = FloatVector.fromArray(S, t, i + rowStep);
                FloatVector c = FloatVector.fromArray(S, t, i + 2 * rowStep);
                FloatVector d = FloatVector.fromArray(S, t, i + 3 * rowStep);
                FloatVector e = FloatVector.fromArray(S, t, i + 4 * rowStep);
                FloatVector f = FloatVector.fromArray(S, t, i + 5 * rowStep);
                int o = at + 16 * q + part + l * plane;
                a.mul(4f).sub(c.mul(5f)).add(e).intoArray(v, o);
                FloatVector bc = b.add(c);
                d.add(e).sub(bc.mul(4f)).intoArray(v, o + 6 * plane);
                e.sub(d).add(b.sub(c).mul(4f)).intoArray(v, o + 12 * plane);
                FloatVector dmb = d.sub(b).mul(2f);
                FloatVector emc = e.sub(c);
                emc.add(dmb).intoArray(v, o + 18 * plane);
                emc.sub(dmb).intoArray(v, o + 24 * plane);
                b.mul(4f).sub(d.mul(5f)).add(f).intoArray(v, o + 30 * plane);
              }
            }
        }
    }

    /** t[(4 q + r) 96 + 16 l] = row combination r of A^T of column l of quad q's products. */
    private static void mRows4(float[] m, int at, int plane, int quads, float[] t) {
        for (int q = 0; q < quads; q++) {
            for (int l = 0; l < 6; l++) {
              for (int part = 0; part < 16; part += QL) {
                int src = at + 16 * q + part + l * plane;
                FloatVector m0 = FloatVector.fromArray(S, m, src);
                FloatVector m1 = FloatVector.fromArray(S, m, src + 6 * plane);
                FloatVector m2 = FloatVector.fromArray(S, m, src + 12 * plane);
                FloatVector m3 = FloatVector.fromArray(S, m, src + 18 * plane);
                FloatVector m4 = FloatVector.fromArray(S, m, src + 24 * plane);
                FloatVector m5 = FloatVector.fromArray(S, m, src + 30 * plane);
                int o = 384 * q + 16 * l + part;
                FloatVector p12 = m1.add(m2);
                FloatVector d12 = m1.sub(m2);
                FloatVector p34 = m3.add(m4);
                FloatVector d34 = m3.sub(m4);
                m0.add(p12).add(p34).intoArray(t, o);
                d34.mul(2f).add(d12).intoArray(t, o + 96);
                p34.mul(4f).add(p12).intoArray(t, o + 192);
                d34.mul(8f).add(d12).add(m5).intoArray(t, o + 288);
              }
            }
        }
    }

    /** Output rows 0..3 of every quad: the column combinations of A^T (+ bias), spread back over the groups' columns. */
    private void outRows4(float[] t, int quads, int[] outAt, int groups, int ch, float bo) {
        float[] out = this.out;
        int w2 = w + 2;
        for (int q = 0; q < quads; q++) {
            for (int r = 0; r < 4; r++) {
              for (int part = 0; part < 16; part += QL) {
                int i = 384 * q + 96 * r + part;
                FloatVector t0 = FloatVector.fromArray(S, t, i);
                FloatVector t1 = FloatVector.fromArray(S, t, i + 16);
                FloatVector t2 = FloatVector.fromArray(S, t, i + 32);
                FloatVector t3 = FloatVector.fromArray(S, t, i + 48);
                FloatVector t4 = FloatVector.fromArray(S, t, i + 64);
                FloatVector t5 = FloatVector.fromArray(S, t, i + 80);
                FloatVector p12 = t1.add(t2);
                FloatVector d12 = t1.sub(t2);
                FloatVector p34 = t3.add(t4);
                FloatVector d34 = t3.sub(t4);
                FloatVector y0 = t0.add(p12).add(p34).add(bo);
                FloatVector y1 = d34.mul(2f).add(d12).add(bo);
                FloatVector y2 = p34.mul(4f).add(p12).add(bo);
                FloatVector y3 = d34.mul(8f).add(d12).add(t5).add(bo);
                // the transpose of columns4: group g's 16 columns, 4 j + k, from lane 4 j + g of yk
                FloatVector p01 = y0.blend(y1.rearrange(FLIP1), PAIR1);
                FloatVector q01 = y0.rearrange(FLIP1).blend(y1, PAIR1);
                FloatVector p23 = y2.blend(y3.rearrange(FLIP1), PAIR1);
                FloatVector q23 = y2.rearrange(FLIP1).blend(y3, PAIR1);
                int base = ch + r * w2 + part;
                p01.blend(p23.rearrange(FLIP2), PAIR2).intoArray(out, outAt[4 * q] + base);
                if (4 * q + 1 < groups) {
                    q01.blend(q23.rearrange(FLIP2), PAIR2).intoArray(out, outAt[4 * q + 1] + base);
                }
                if (4 * q + 2 < groups) {
                    p01.rearrange(FLIP2).blend(p23, PAIR2).intoArray(out, outAt[4 * q + 2] + base);
                }
                if (4 * q + 3 < groups) {
                    q01.rearrange(FLIP2).blend(q23, PAIR2).intoArray(out, outAt[4 * q + 3] + base);
                }
              }
            }
        }
    }

    /** {@link #gradientProducts} for F(4x4, 3x3): 4 (g1 - g0) rows of dOut pixel-major, dM[e][tile][o] = (A dY A^T)[e], dU_e^T (+)= V_e dM_e. */
    private void gradientProducts4(int g0, int g1, Scratch s, int tiles, int columns, int ldv, int pv) {
        int tw = w / 4;
        float[] dy = s.dy;
        pixelMajorRows(g0, g1, s);
        int pt = rowStride(columns * cout);
        float[] dm = s.dm;
        if (s.t.length < 24 * 16) {
            s.t = new float[24 * 16];
        }
        for (int g = g0; g < g1; g++) {
            int row0 = 4 * (g - g0) * w * cout;
            for (int j = 0; j < tw; j++) {
                int t = (g - g0) * tw + j;
                blockGradient4(dy, row0 + 4 * j * cout, w * cout, dm, column4(t) * cout, pt, s.t);
            }
        }
        // V's columns of the missing groups in the last quad hold copies of its last group: zero rows of dM
        // take them out of the sums over V's columns
        for (int t = tiles; t < columns; t++) {
            for (int e = 0; e < 36; e++) {
                int at = e * pt + column4(t) * cout;
                Arrays.fill(dm, at, at + cout, 0f);
            }
        }
        int size = cin * cout;
        boolean add = s.summed;
        for (int e = 0; e < 36; e++) {
            VectorGemm.nn(cin, cout, columns, s.v, e * pv, ldv, dm, e * pt, cout, s.du, e * size, cout, add);
        }
        s.summed = true;
    }

    /** The column of V, M and dM that holds tile t of a chunk: of each 16 tiles (quad), tile j of group g goes to 4 j + g. */
    private static int column4(int t) {
        return (t & ~15) | ((t & 3) << 2) | ((t >> 2) & 3);
    }

    /**
     * dM = A dY A^T for one 4x4 block, all channels, in two passes through {@code buf}: along the rows
     * (for each column x of the block, the rows y0..y3 combined as k0 = y0, k1 = y0 + y1 + y2 + y3,
     * k2 = y0 - y1 + y2 - y3, k3 = y0 + 2 y1 + 4 y2 + 8 y3, k4 = y0 - 2 y1 + 4 y2 - 8 y3, k5 = y3), then
     * the same along the columns into dm[6 k + l].
     */
    private void blockGradient4(float[] dy, int y00, int rowStep, float[] dm, int at, int plane, float[] buf) {
        int px = cout;
        for (int o = 0; o < cout; o += QL) {
            for (int x = 0; x < 4; x++) {
                int a = y00 + x * px + o;
                FloatVector y0 = FloatVector.fromArray(S, dy, a);
                FloatVector y1 = FloatVector.fromArray(S, dy, a + rowStep);
                FloatVector y2 = FloatVector.fromArray(S, dy, a + 2 * rowStep);
                FloatVector y3 = FloatVector.fromArray(S, dy, a + 3 * rowStep);
                combine4(y0, y1, y2, y3, buf, 16 * x, 64);
            }
            int q = at + o;
            for (int k = 0; k < 6; k++) {
                FloatVector y0 = FloatVector.fromArray(S, buf, 64 * k);
                FloatVector y1 = FloatVector.fromArray(S, buf, 64 * k + 16);
                FloatVector y2 = FloatVector.fromArray(S, buf, 64 * k + 32);
                FloatVector y3 = FloatVector.fromArray(S, buf, 64 * k + 48);
                combine4(y0, y1, y2, y3, dm, q + 6 * k * plane, plane);
            }
        }
    }

    /** The six combinations of A (k0..k5 of {@link #blockGradient4}) of y0..y3 into a[at + k step]. */
    private static void combine4(FloatVector y0, FloatVector y1, FloatVector y2, FloatVector y3, float[] a, int at, int step) {
        FloatVector p02 = y0.add(y2);
        FloatVector p13 = y1.add(y3);
        FloatVector q02 = y0.add(y2.mul(4f));
        FloatVector q13 = y1.mul(2f).add(y3.mul(8f));
        y0.intoArray(a, at);
        p02.add(p13).intoArray(a, at + step);
        p02.sub(p13).intoArray(a, at + 2 * step);
        q02.add(q13).intoArray(a, at + 3 * step);
        q02.sub(q13).intoArray(a, at + 4 * step);
        y3.intoArray(a, at + 5 * step);
    }

    /**
     * dOut's interior rows next to tile rows [g0, g1) pixel-major, dy[row][pixel][o] for the chunk's
     * tile (g1 - g0) rows of w pixels, one gather per 16 channels.
     */
    private void pixelMajorRows(int g0, int g1, Scratch s) {
        int th = h / tile;
        int w2 = w + 2;
        float[] dy = s.dy;
        int[] index = s.gather;
        for (int lane = 0; lane < QL; lane++) {
            index[lane] = lane * outLd;
        }
        for (int g = g0; g < g1; g++) {
            int e = g / th;
            int i = g % th;
            for (int r = 0; r < tile; r++) {
                int src = outOff + e * p + (1 + tile * i + r) * w2 + 1;
                int dst = (tile * (g - g0) + r) * w * cout;
                for (int x = 0; x < w; x++) {
                    for (int o = 0; o < cout; o += QL) {
                        FloatVector.fromArray(S, out, src + x + o * outLd, index, 0).intoArray(dy, dst + x * cout + o);
                    }
                }
            }
        }
    }

    private void chunk(int g0, int g1, Scratch s) {
        int tw = w / 2;
        int tiles = (g1 - g0) * tw;
        int ldv = rowStride(tiles + 16);
        boolean wide = tw % GROUP == 0;
        int groups = wide ? tiles / GROUP : tiles;
        // each of V's and M's 16 planes an odd number of cache lines long: the transforms write (or
        // read) all 16 at once, and with plane strides of a multiple of 4 KB they would all fall into
        // the same L1 cache set (a quarter of the speed)
        int pv = rowStride(cin * ldv);
        int pm = rowStride(cout * ldv);
        s.ensure(16 * pv, gradient ? 0 : 16 * pm, groups);
        if (gradient) {
            s.ensureGradient(2 * (g1 - g0) * w * cout, 16 * rowStride(tiles * cout));
        }
        groupOffsets(g0, groups, wide ? GROUP : 1, s);
        if (wide) {
            inputWide(s, groups, ldv, pv);
        } else {
            input(s, tiles, ldv, pv);
        }
        if (gradient) {
            gradientProducts(g0, g1, s, tiles, ldv, pv);
            return;
        }
        int size = cout * cin;
        for (int e = 0; e < 16; e++) {
            VectorGemm.nn(cout, tiles, cin, u, e * size, cin, s.v, e * pv, ldv, s.m, e * pm, ldv, false);
        }
        if (wide) {
            outputWide(s, groups, ldv, pm);
        } else {
            output(s, tiles, ldv, pm);
        }
        zeroBorders(g0, g1);
    }

    /**
     * The chunk's part of dU: its interior rows of dOut pixel-major (dy[pixel][o], the chunk's 2 (g1 - g0)
     * rows of w pixels), dM[e][tile][o] from them along the channels, then dU_e^T (+)= V_e dM_e.
     */
    private void gradientProducts(int g0, int g1, Scratch s, int tiles, int ldv, int pv) {
        int tw = w / 2;
        float[] dy = s.dy;
        pixelMajorRows(g0, g1, s);
        int pt = rowStride(tiles * cout);
        float[] dm = s.dm;
        for (int g = g0; g < g1; g++) {
            int row0 = 2 * (g - g0) * w * cout;
            for (int j = 0; j < tw; j++) {
                int t = (g - g0) * tw + j;
                blockGradient(dy, row0 + 2 * j * cout, w * cout, dm, t * cout, pt);
            }
        }
        int size = cin * cout;
        boolean add = s.summed;
        for (int e = 0; e < 16; e++) {
            VectorGemm.nn(cin, cout, tiles, s.v, e * pv, ldv, dm, e * pt, cout, s.du, e * size, cout, add);
        }
        s.summed = true;
    }

    /**
     * dM = A dY A^T for one tile, all channels: dY's rows y0 (pixels at y00, y00 + cout) and y1 (one
     * row of pixels on), combined k0 = y0, k1 = y0 + y1, k2 = y0 - y1, k3 = -y1, then the same along
     * the columns; dM[e] at {@code dm[at + e plane]}.
     */
    private void blockGradient(float[] dy, int y00, int rowStep, float[] dm, int at, int plane) {
        for (int o = 0; o < cout; o += QL) {
            FloatVector a = FloatVector.fromArray(S, dy, y00 + o);
            FloatVector b = FloatVector.fromArray(S, dy, y00 + cout + o);
            FloatVector c = FloatVector.fromArray(S, dy, y00 + rowStep + o);
            FloatVector d = FloatVector.fromArray(S, dy, y00 + rowStep + cout + o);
            // rows: u_k0 and u_k1 for k = 0..3
            FloatVector u00 = a;
            FloatVector u01 = b;
            FloatVector u10 = a.add(c);
            FloatVector u11 = b.add(d);
            FloatVector u20 = a.sub(c);
            FloatVector u21 = b.sub(d);
            FloatVector u30 = c.neg();
            FloatVector u31 = d.neg();
            int q = at + o;
            u00.intoArray(dm, q);
            u00.add(u01).intoArray(dm, q + plane);
            u00.sub(u01).intoArray(dm, q + 2 * plane);
            u01.neg().intoArray(dm, q + 3 * plane);
            u10.intoArray(dm, q + 4 * plane);
            u10.add(u11).intoArray(dm, q + 5 * plane);
            u10.sub(u11).intoArray(dm, q + 6 * plane);
            u11.neg().intoArray(dm, q + 7 * plane);
            u20.intoArray(dm, q + 8 * plane);
            u20.add(u21).intoArray(dm, q + 9 * plane);
            u20.sub(u21).intoArray(dm, q + 10 * plane);
            u21.neg().intoArray(dm, q + 11 * plane);
            u30.intoArray(dm, q + 12 * plane);
            u30.add(u31).intoArray(dm, q + 13 * plane);
            u30.sub(u31).intoArray(dm, q + 14 * plane);
            u31.neg().intoArray(dm, q + 15 * plane);
        }
    }

    /** V[e][c][t] = (B^T d B)[k][l] for every tile t and input channel c, plain loops. */
    private void input(Scratch s, int tiles, int ldv, int plane) {
        int w2 = w + 2;
        float[] v = s.v;
        float[] d = new float[16];
        for (int c = 0; c < cin; c++) {
            int ch = c * inLd;
            for (int t = 0; t < tiles; t++) {
                int at = s.inAt[t] + ch;
                for (int r = 0; r < 4; r++) {             // columns: a - c, b + c, c - b, b - d
                    int row = at + r * w2;
                    float a = in[row];
                    float b = in[row + 1];
                    float cc = in[row + 2];
                    float dd = in[row + 3];
                    d[4 * r] = a - cc;
                    d[4 * r + 1] = b + cc;
                    d[4 * r + 2] = cc - b;
                    d[4 * r + 3] = b - dd;
                }
                int o = c * ldv + t;
                for (int l = 0; l < 4; l++) {             // rows: r0 - r2, r1 + r2, r2 - r1, r1 - r3
                    float r0 = d[l];
                    float r1 = d[4 + l];
                    float r2 = d[8 + l];
                    float r3 = d[12 + l];
                    v[l * plane + o] = r0 - r2;
                    v[(4 + l) * plane + o] = r1 + r2;
                    v[(8 + l) * plane + o] = r2 - r1;
                    v[(12 + l) * plane + o] = r1 - r3;
                }
            }
        }
    }

    /** Y = A^T M A (+ bias) for every tile and output channel, plain loops. */
    private void output(Scratch s, int tiles, int ldv, int plane) {
        int w2 = w + 2;
        float[] m = s.m;
        float[] t2 = new float[8];
        for (int o = 0; o < cout; o++) {
            float bo = bias == null ? 0f : bias[o];
            int ch = o * outLd;
            for (int t = 0; t < tiles; t++) {
                int src = o * ldv + t;
                for (int l = 0; l < 4; l++) {             // rows: m0 + m1 + m2, m1 - m2 - m3
                    float m0 = m[l * plane + src];
                    float m1 = m[(4 + l) * plane + src];
                    float m2 = m[(8 + l) * plane + src];
                    float m3 = m[(12 + l) * plane + src];
                    t2[l] = m0 + m1 + m2;
                    t2[4 + l] = m1 - m2 - m3;
                }
                int at = s.outAt[t] + ch;
                for (int r = 0; r < 2; r++) {
                    float a = t2[4 * r];
                    float b = t2[4 * r + 1];
                    float c = t2[4 * r + 2];
                    float d = t2[4 * r + 3];
                    out[at + r * w2] = a + b + c + bo;
                    out[at + r * w2 + 1] = b - c - d + bo;
                }
            }
        }
    }

    /**
     * The input transform 2 {@link Winograd#GROUP} tiles at a time, groups 2q and 2q + 1 (the last group
     * paired with itself when the count is odd; its copy lands in V's slack columns), one channel at a
     * time in two passes through a small buffer that stays in L1: each of the 4 input rows' column
     * combinations, then the row combinations into V. (In one method with every value in a register, C2
     * gave up on some of the vector stores when other vector code had run first, and boxed their
     * vectors: five times slower.)
     */
    private void inputWide(Scratch s, int groups, int ldv, int plane) {
        int pairs = (groups + 1) / 2;
        float[] t = s.t;
        for (int c = 0; c < cin; c++) {
            int ch = c * inLd;
            for (int r = 0; r < 4; r++) {
                columns(s.inAt, groups, ch + r * (w + 2), t, r * 4 * QL * pairs, pairs);
            }
            rows(t, pairs, s.v, c * ldv, plane);
        }
    }

    /**
     * Row r of every pair's tiles: a - c, b + c, c - b, b - d of the tiles' columns (a, b, c, d) =
     * (2j, 2j + 1, 2j + 2, 2j + 3), into t[at + (4 q + k) QL] (pair q, combination k).
     */
    private void columns(int[] inAt, int groups, int shift, float[] t, int at, int pairs) {
        float[] in = this.in;
        int last = groups - 1;
        for (int q = 0; q < pairs; q++) {
            int a0 = inAt[2 * q] + shift;
            int b0 = inAt[Math.min(2 * q + 1, last)] + shift;
            FloatVector x = FloatVector.fromArray(S, in, a0);
            FloatVector y = FloatVector.fromArray(S, in, b0);
            FloatVector xs = FloatVector.fromArray(S, in, a0 + 2);
            FloatVector ys = FloatVector.fromArray(S, in, b0 + 2);
            FloatVector ca = x.rearrange(EVEN).blend(y.rearrange(EVEN), HIGH);
            FloatVector cb = x.rearrange(ODD).blend(y.rearrange(ODD), HIGH);
            FloatVector cc = xs.rearrange(EVEN).blend(ys.rearrange(EVEN), HIGH);
            FloatVector cd = xs.rearrange(ODD).blend(ys.rearrange(ODD), HIGH);
            int o = at + 4 * QL * q;
            ca.sub(cc).intoArray(t, o);
            cb.add(cc).intoArray(t, o + QL);
            cc.sub(cb).intoArray(t, o + 2 * QL);
            cb.sub(cd).intoArray(t, o + 3 * QL);
        }
    }

    /** The row combinations r0 - r2, r1 + r2, r2 - r1, r1 - r3 of each column combination l, into V. */
    private static void rows(float[] t, int pairs, float[] v, int at, int plane) {
        int rowStep = 4 * QL * pairs;
        for (int q = 0; q < pairs; q++) {
            for (int l = 0; l < 4; l++) {
                int i = 4 * QL * q + QL * l;
                FloatVector r0 = FloatVector.fromArray(S, t, i);
                FloatVector r1 = FloatVector.fromArray(S, t, i + rowStep);
                FloatVector r2 = FloatVector.fromArray(S, t, i + 2 * rowStep);
                FloatVector r3 = FloatVector.fromArray(S, t, i + 3 * rowStep);
                int o = at + QL * q + l * plane;
                r0.sub(r2).intoArray(v, o);
                r1.add(r2).intoArray(v, o + 4 * plane);
                r2.sub(r1).intoArray(v, o + 8 * plane);
                r1.sub(r3).intoArray(v, o + 12 * plane);
            }
        }
    }

    /**
     * The output transform 2 {@link Winograd#GROUP} tiles at a time in two passes like the input's: each
     * column l's row combinations t0 = m0 + m1 + m2, t1 = m1 - m2 - m3, then each output row's column
     * combinations, spread back over pairs of columns.
     */
    private void outputWide(Scratch s, int groups, int ldv, int plane) {
        int pairs = (groups + 1) / 2;
        float[] t = s.t;
        for (int o = 0; o < cout; o++) {
            float bo = bias == null ? 0f : bias[o];
            mRows(s.m, o * ldv, plane, pairs, t);
            outRows(t, pairs, s.outAt, groups, o * outLd, bo);
        }
    }

    /** t[(8 q + 4 r + l) QL] = row combination r of column l of pair q's products. */
    private static void mRows(float[] m, int at, int plane, int pairs, float[] t) {
        for (int q = 0; q < pairs; q++) {
            for (int l = 0; l < 4; l++) {
                int src = at + QL * q + l * plane;
                FloatVector m0 = FloatVector.fromArray(S, m, src);
                FloatVector m1 = FloatVector.fromArray(S, m, src + 4 * plane);
                FloatVector m2 = FloatVector.fromArray(S, m, src + 8 * plane);
                FloatVector m3 = FloatVector.fromArray(S, m, src + 12 * plane);
                int o = 8 * QL * q + QL * l;
                m0.add(m1).add(m2).intoArray(t, o);
                m1.sub(m2).sub(m3).intoArray(t, o + 4 * QL);
            }
        }
    }

    /** Output rows 0 and 1 of every pair: y0 = t0 + t1 + t2, y1 = t1 - t2 - t3 (+ bias), into out. */
    private void outRows(float[] t, int pairs, int[] outAt, int groups, int ch, float bo) {
        float[] out = this.out;
        int w2 = w + 2;
        for (int q = 0; q < pairs; q++) {
            for (int r = 0; r < 2; r++) {
                int i = 8 * QL * q + 4 * QL * r;
                FloatVector t0 = FloatVector.fromArray(S, t, i);
                FloatVector t1 = FloatVector.fromArray(S, t, i + QL);
                FloatVector t2 = FloatVector.fromArray(S, t, i + 2 * QL);
                FloatVector t3 = FloatVector.fromArray(S, t, i + 3 * QL);
                FloatVector y0 = t0.add(t1).add(t2).add(bo);
                FloatVector y1 = t1.sub(t2).sub(t3).add(bo);
                int a0 = outAt[2 * q] + ch + r * w2;
                y0.rearrange(SPREAD_LO).blend(y1.rearrange(SPREAD_LO), ODD_LANES).intoArray(out, a0);
                if (2 * q + 1 < groups) {
                    int b0 = outAt[2 * q + 1] + ch + r * w2;
                    y0.rearrange(SPREAD_HI).blend(y1.rearrange(SPREAD_HI), ODD_LANES).intoArray(out, b0);
                }
            }
        }
    }

    /** The border pixels next to tile rows [g0, g1) of every output plane. */
    private void zeroBorders(int g0, int g1) {
        int th = h / tile;
        int w2 = w + 2;
        for (int o = 0; o < cout; o++) {
            for (int g = g0; g < g1; g++) {
                int e = g / th;
                int i = g % th;
                int base = outOff + o * outLd + e * p;
                for (int r = 0; r < tile; r++) {
                    int row = base + (1 + tile * i + r) * w2;
                    out[row] = 0;
                    out[row + w + 1] = 0;
                }
                if (i == 0) {
                    java.util.Arrays.fill(out, base, base + w2, 0f);
                }
                if (i == th - 1) {
                    java.util.Arrays.fill(out, base + (h + 1) * w2, base + (h + 2) * w2, 0f);
                }
            }
        }
    }
}
