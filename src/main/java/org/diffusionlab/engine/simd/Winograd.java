package org.diffusionlab.engine.simd;


import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * A 3x3 convolution (stride 1, padding 1) by Winograd's F(2x2, 3x3) on images stored as zero-padded
 * planes, {@code [channel][example][(h + 2)(w + 2)]}: every 2x2 block of outputs ("tile") comes from
 * the 4x4 block of padded input around it as Y = A^T [(G g G^T) . (B^T d B)] A, so the nine taps' 36
 * multiplications per tile and channel pair become 16, done as 16 matrix products
 * M_e = U_e V_e (U_e [cout x cin] the transformed filters, V_e [cin x tiles] the transformed input,
 * e = 4 k + l the position in the 4x4 transformed tile), 2.25 times fewer multiply-adds than the nine
 * shifted products. The tiles go in chunks of whole tile rows, so that a chunk's V and M stay in the
 * cache between the transforms and the products.
 *
 * <pre>
 * B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]   G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1]   A^T = [1 1 1 0; 0 1 -1 -1]
 * </pre>
 *
 * The transforms run in vectors where the tile rows divide into groups of {@link #GROUP} tiles (2 at 4
 * lanes, 4 at 8, 8 at 16: widths in steps of 4, 8 or 16 pixels), elsewhere in plain loops.
 * {@link #conv4} and the filter gradient with tile 4 do the same by F(4x4, 3x3) (36 products for 4x4
 * blocks of outputs, 1.78 times fewer multiply-adds again) where heights go in steps of 4 and widths in
 * steps of 16. Only reached where {@link Kernels#winograd()} says so.
 * This class holds the entry points, the filter transforms and the filter gradient's last step; a
 * {@link WinogradPlan} runs one convolution or filter gradient over the batch, chunk by chunk.
 */
public final class Winograd {

    /**
     * The machine's own vectors (4, 8 or 16 lanes). F(4x4, 3x3)'s transforms use them at every width: its
     * tiles go 16 at a time ("quads"), each quad's values in 16 / QL parts of a vector, so that a tile lands
     * in the same column of V and M at every width and the numbers are the same.
     */
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int QL = S.length();
    /**
     * Tiles in a group of F(2x2, 3x3)'s transforms: a vector holds two groups of one tile row each (each
     * group's 2 GROUP input columns, even and odd split apart by a lane permutation); every lane does what
     * the plain loops do for its tile, so the numbers are the same either way. They use the machine's
     * species like every other kernel: a second species (256-bit vectors at 16 lanes, so that 8-pixel-wide
     * levels would fit) mixes two vector classes in the Vector API's shared methods, and C2 then ran
     * every kernel on the Java fallback, allocating each vector (the digits preset four times slower).
     */
    static final int GROUP = QL / 2;
    /** Lanes 0, 2, 4, ... twice: the even lanes of a vector in both of its halves. */
    static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S, i -> (2 * i) % QL);
    static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(S, i -> (2 * i + 1) % QL);
    /** Lane i / 2 and lane GROUP + i / 2: a vector's low or high half spread over pairs of lanes. */
    static final VectorShuffle<Float> SPREAD_LO = VectorShuffle.fromOp(S, i -> i / 2);
    static final VectorShuffle<Float> SPREAD_HI = VectorShuffle.fromOp(S, i -> GROUP + i / 2);
    /** A vector's high half, and its odd lanes. */
    static final VectorMask<Float> HIGH = VectorMask.fromLong(S, ((1L << QL) - 1) & -(1L << GROUP));
    static final VectorMask<Float> ODD_LANES = VectorKernels.BIT1;
    /**
     * F(4x4, 3x3)'s 4x4 transposes between four groups of 4 tiles and their columns, within each 4 lanes:
     * FLIPk swaps lane i with lane i ^ k; PAIRk is the lanes with bit k set.
     */
    static final VectorShuffle<Float> FLIP1 = VectorKernels.FLIP1;
    static final VectorShuffle<Float> FLIP2 = VectorKernels.FLIP2;
    static final VectorMask<Float> PAIR1 = ODD_LANES;
    static final VectorMask<Float> PAIR2 = VectorKernels.BIT2;

    /** Tiles per chunk (about: whole tile rows) with up to 64 channels, and with more. */
    static final int CHUNK_TILES = 128;
    static final int CHUNK_TILES_WIDE = 64;

    private Winograd() {
    }

    /** Whether {@link #conv} takes these shapes: even sizes, and at least 8 channels each way. */
    public static boolean fits(int cin, int cout, int h, int w) {
        return h % 2 == 0 && w % 2 == 0 && h >= 2 && w >= 2 && cin >= 8 && cout >= 8;
    }

    /** One thread's working memory: the chunk's transformed input and products, and its tiles' offsets. */
    public static final class Scratch {
        float[] v = new float[0];
        float[] m = new float[0];
        /** The vector transforms' per-channel buffer (F(2x2): 4 rows x 4 combinations x 2 {@link #GROUP} tiles per pair of groups). */
        float[] t = new float[0];
        int[] inAt = new int[0];
        int[] outAt = new int[0];

        /** The filter gradient's pixel-major dOut rows and transformed blocks. */
        float[] dy = new float[0];
        float[] dm = new float[0];
        /** Where this thread's products go (dU^T [16 or 36][cin][cout]): one of a {@link GradientSums}' arrays. */
        float[] du = new float[0];
        /** The filter gradient's nine taps before they are written out, [9][cin][cout]. */
        float[] taps = new float[0];
        final int[] gather = new int[16];
        /** Whether {@link #du} holds sums yet (the products then add to it). */
        boolean summed;

        void ensureGradient(int dySize, int dmSize) {
            if (dy.length < dySize) {
                dy = new float[dySize];
            }
            if (dm.length < dmSize) {
                dm = new float[dmSize];
            }
        }


        void ensure(int vSize, int mSize, int groups) {
            if (v.length < vSize) {
                v = new float[vSize];
            }
            if (m.length < mSize) {
                m = new float[mSize];
            }
            if (inAt.length < groups) {
                inAt = new int[groups];
                outAt = new int[groups];
            }
            if (t.length < 128 * (groups + 1)) {
                t = new float[128 * (groups + 1)];
            }
        }
    }

    /**
     * A filter gradient's sums in the Winograd domain, dU^T of each of the two threads, kept from call to
     * call: dW = G^T dU G is linear, so the micro-batches of one backward pass can add their products here
     * and have them untransformed once, by the last ({@link #addGradientSums}, {@link #gradientFromSums}).
     */
    public static final class GradientSums {
        private float[] mine = new float[0];
        private float[] other = new float[0];
        private boolean mineSummed;
        private boolean otherSummed;

        /** Drops whatever was added (a backward pass that did not finish). */
        public void clear() {
            mineSummed = false;
            otherSummed = false;
        }
    }

    /**
     * The transformed filters U_e = G g G^T, {@code u[e][r][c]} for e = 4 k + l, of the filter g for
     * (row r, column c) whose tap (dy, dx) is at {@code w[off + (3 dy + dx) tapStride + r rowStride + c colStride]};
     * with {@code flip} tap (dy, dx) is read from (2 - dy, 2 - dx) (the input gradient's filters).
     */
    public static void filters(float[] w, int off, int tapStride, int rowStride, int colStride, boolean flip,
                               int rows, int cols, float[] u) {
        int size = rows * cols;
        float[] g = new float[9];
        float[] gg = new float[12];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int base = off + r * rowStride + c * colStride;
                for (int kk = 0; kk < 9; kk++) {
                    g[kk] = w[base + (flip ? 8 - kk : kk) * tapStride];
                }
                for (int x = 0; x < 3; x++) {                 // G g: 4 x 3
                    float g0 = g[x];
                    float g1 = g[3 + x];
                    float g2 = g[6 + x];
                    gg[x] = g0;
                    gg[3 + x] = 0.5f * (g0 + g1 + g2);
                    gg[6 + x] = 0.5f * (g0 - g1 + g2);
                    gg[9 + x] = g2;
                }
                int at = r * cols + c;
                for (int k = 0; k < 4; k++) {                 // (G g) G^T: 4 x 4
                    float a = gg[3 * k];
                    float b = gg[3 * k + 1];
                    float d = gg[3 * k + 2];
                    u[(4 * k) * size + at] = a;
                    u[(4 * k + 1) * size + at] = 0.5f * (a + b + d);
                    u[(4 * k + 2) * size + at] = 0.5f * (a - b + d);
                    u[(4 * k + 3) * size + at] = d;
                }
            }
        }
    }

    /**
     * out = conv(in) (+ bias) over the interiors of {@code batch} examples, the borders of out zeroed.
     * Plane (channel ch, example e) of {@code in} starts at {@code inOff + ch inLd + e p}, likewise for
     * out, p = (h + 2)(w + 2); in's borders must be zero. {@code u} holds the filters from {@link #filters}
     * ([16][cout][cin]); {@code bias} may be null. With {@code second} not null the chunks split in two,
     * each with its own scratch, the second on the shared helper when {@code parallel}.
     */
    public static void conv(int cin, int cout, int h, int w, int batch, float[] in, int inOff, int inLd,
                            float[] u, float[] bias, float[] out, int outOff, int outLd,
                            Scratch mine, Scratch second, boolean parallel) {
        plan(cin, cout, h, w, in, inOff, inLd, u, bias, out, outOff, outLd, false, 2).run(batch, mine, second, parallel);
    }

    /** Whether {@link #conv4} takes these shapes: heights in steps of 4, widths in steps of 16 (and vectors of 4 lanes or more). */
    public static boolean fits4(int cin, int cout, int h, int w) {
        return QL >= 4 && h % 4 == 0 && w % 16 == 0 && h >= 4 && cin >= 8 && cout >= 8;
    }

    /**
     * {@link #conv} by F(4x4, 3x3): every 4x4 block of outputs from the 6x6 block of padded input around
     * it, 36 products of 16 instead of 16 of 4 (1.78 times fewer multiply-adds than F(2x2, 3x3)), with
     * the 6 x 6 transforms B^T d B and A^T M A of Lavin and Gray (points 0, 1, -1, 2, -2):
     * <pre>
     * B^T = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0; 0 -2 -1 2 1 0; 0 2 -1 -2 1 0; 0 4 0 -5 0 1]
     * G = [1/4 0 0; -1/6 -1/6 -1/6; -1/6 1/6 -1/6; 1/24 1/12 1/6; 1/24 -1/12 1/6; 0 0 1]
     * A^T = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1]
     * </pre>
     * {@code u} from {@link #filters4} ([36][cout][cin]). Needs {@link #fits4}. The transforms run 16
     * tiles at a time: four groups of 4 tiles (16 output columns each), their columns split apart with
     * lane permutations within each 4 lanes, in one 16-lane vector or two, four narrower ones.
     */
    public static void conv4(int cin, int cout, int h, int w, int batch, float[] in, int inOff, int inLd,
                             float[] u, float[] bias, float[] out, int outOff, int outLd, Scratch mine, Scratch second,
                             boolean parallel) {
        plan(cin, cout, h, w, in, inOff, inLd, u, bias, out, outOff, outLd, false, 4).run(batch, mine, second, parallel);
    }

    /** {@link #filters} for {@link #conv4}: U_e = G g G^T with F(4x4, 3x3)'s G, u[e][r][c] for e = 6 k + l. */
    public static void filters4(float[] w, int off, int tapStride, int rowStride, int colStride, boolean flip,
                                int rows, int cols, float[] u) {
        int size = rows * cols;
        int padded = (size + 15) & ~15;
        float[] g = new float[9 * padded];                    // g[tap][r cols + c], the taps of 16 filters a vector
        for (int kk = 0; kk < 9; kk++) {
            int src = off + (flip ? 8 - kk : kk) * tapStride;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    g[kk * padded + r * cols + c] = w[src + r * rowStride + c * colStride];
                }
            }
        }
        float[] buf = new float[18 * 16];
        float[] out = size == padded ? u : new float[36 * padded];
        for (int i = 0; i < padded; i += QL) {
            for (int x = 0; x < 3; x++) {                     // G g: 6 x 3, buf[k][x]
                FloatVector g0 = FloatVector.fromArray(S, g, x * padded + i);
                FloatVector g1 = FloatVector.fromArray(S, g, (3 + x) * padded + i);
                FloatVector g2 = FloatVector.fromArray(S, g, (6 + x) * padded + i);
                gRows(g0, g1, g2, buf, 16 * x, 48);
            }
            for (int k = 0; k < 6; k++) {                     // (G g) G^T: 6 x 6
                FloatVector g0 = FloatVector.fromArray(S, buf, 48 * k);
                FloatVector g1 = FloatVector.fromArray(S, buf, 48 * k + 16);
                FloatVector g2 = FloatVector.fromArray(S, buf, 48 * k + 32);
                gRows(g0, g1, g2, out, 6 * k * padded + i, padded);
            }
        }
        if (out != u) {
            for (int e = 0; e < 36; e++) {
                System.arraycopy(out, e * padded, u, e * size, size);
            }
        }
    }

    /**
     * The rows of G (1/4 0 0; -1/6 -1/6 -1/6; -1/6 1/6 -1/6; 1/24 1/12 1/6; 1/24 -1/12 1/6; 0 0 1)
     * applied to (g0, g1, g2), into a[at + k step].
     */
    static void gRows(FloatVector g0, FloatVector g1, FloatVector g2, float[] a, int at, int step) {
        FloatVector p02 = g0.add(g2);
        FloatVector q02 = g0.mul(1 / 24f).add(g2.mul(1 / 6f));
        FloatVector h1 = g1.mul(1 / 12f);
        g0.mul(0.25f).intoArray(a, at);
        p02.add(g1).mul(-1 / 6f).intoArray(a, at + step);
        p02.sub(g1).mul(-1 / 6f).intoArray(a, at + 2 * step);
        q02.add(h1).intoArray(a, at + 3 * step);
        q02.sub(h1).intoArray(a, at + 4 * step);
        g2.intoArray(a, at + 5 * step);
    }

    /** The chunking for these shapes: whole tile rows, about {@link #CHUNK_TILES} tiles (fewer with many channels). */
    static WinogradPlan plan(int cin, int cout, int h, int w, float[] in, int inOff, int inLd, float[] u, float[] bias,
                             float[] out, int outOff, int outLd, boolean gradient, int tile) {
        int target = (Math.max(cin, cout) > 64 ? CHUNK_TILES_WIDE : CHUNK_TILES) * 2 / tile;
        int perChunk = Math.max(1, target / (w / tile));
        return new WinogradPlan(cin, cout, h, w, (h + 2) * (w + 2), in, inOff, inLd, u, bias, out, outOff, outLd, perChunk, gradient, tile);
    }

    /** Rounded up to 16 floats, then to an odd number of 16-float lines (as the activations' rows). */
    static int rowStride(int n) {
        int ld = (n + 15) & ~15;
        return ((ld / 16) & 1) == 0 ? ld + 16 : ld;
    }

    /**
     * The filters' gradient, in two parts: this adds one batch's products to {@code sums}, and
     * {@link #gradientFromSums} turns everything added into
     * {@code dw[off + (3 dy + dx) tapStride + o rowStride + c colStride]} = the derivative of
     * sum(dOut . conv(in)) by tap (dy, dx) of the filter from input channel c to output channel o. The
     * same tiles as {@link #conv} (tile 2) or {@link #conv4} (tile 4): dU_e = dM_e V_e^T summed over the
     * tiles, with V_e the transformed input and dM = A dY A^T the transformed 2x2 or 4x4 blocks of dOut
     * (A as in the forward pass), then dW = G^T dU G. dOut's blocks are turned pixel-major (cout values a
     * pixel, one gather per 16 channels) so that dM is made along the channels and each product
     * dU_e^T (+)= V_e dM_e^T runs in the register-blocked kernel with the tiles as its inner dimension.
     * in's borders must be zero; dOut's are not read. Needs {@link #gradientFits} or {@link #gradientFits4}.
     */
    public static void addGradientSums(int tile, int cin, int cout, int h, int w, int batch, float[] in, int inOff, int inLd,
                                       float[] dOut, int dOff, int dLd, GradientSums sums, Scratch mine, Scratch second,
                                       boolean parallel) {
        int size = (tile + 2) * (tile + 2) * cin * cout;
        if (sums.mine.length != size) {
            sums.mine = new float[size];
            sums.other = new float[size];
            sums.mineSummed = false;
            sums.otherSummed = false;
        }
        mine.du = sums.mine;
        mine.summed = sums.mineSummed;
        if (second != null) {
            second.du = sums.other;
            second.summed = sums.otherSummed;
        }
        boolean split = plan(cin, cout, h, w, in, inOff, inLd, null, null, dOut, dOff, dLd, true, tile).run(batch, mine, second, parallel);
        sums.mineSummed = mine.summed;
        if (split) {
            sums.otherSummed = second.summed;
        }
    }

    /**
     * dW from everything {@link #addGradientSums} added since the last call (written, not added, as
     * it was summed); the sums are then empty again.
     */
    public static void gradientFromSums(int tile, int cin, int cout, GradientSums sums, Scratch s, float[] dw, int off,
                                        int tapStride, int rowStride, int colStride) {
        if (!sums.mineSummed) {
            throw new IllegalStateException("no filter-gradient products to untransform");
        }
        float[] du = sums.mine;
        if (sums.otherSummed) {                           // the second thread's sums into the first's, which are spent here
            float[] other = sums.other;
            for (int i = 0; i < du.length; i++) {
                du[i] += other[i];
            }
        }
        if (tile == 4) {
            untransformGradient4(du, cin, cout, s, dw, off, tapStride, rowStride, colStride);
        } else {
            untransformGradient(du, cin, cout, s, dw, off, tapStride, rowStride, colStride);
        }
        sums.mineSummed = false;
        sums.otherSummed = false;
    }

    /**
     * Whether the filter gradient with tile 4 takes these shapes: those of {@link #fits4} with the output
     * channels in whole 16s (whole vectors at every width).
     */
    public static boolean gradientFits4(int cin, int cout, int h, int w) {
        return fits4(cin, cout, h, w) && cout % 16 == 0;
    }

    /** G of F(4x4, 3x3) by columns: G[k][x] = G4[x][k]. */
    static final float[][] G4 = {
        {1 / 4f, -1 / 6f, -1 / 6f, 1 / 24f, 1 / 24f, 0f},
        {0f, -1 / 6f, 1 / 6f, 1 / 12f, -1 / 12f, 0f},
        {0f, -1 / 6f, -1 / 6f, 1 / 6f, 1 / 6f, 1f}};

    /**
     * dW = G^T dU G for F(4x4, 3x3), dU^T [36][cin][cout] in {@code du}: 16 filters
     * at a time, t[k][x] = sum over l of dU[k][l] G[l][x] into a small buffer, then sum over k of
     * G[k][y] t[k][x]; written out as {@link #untransformGradient}.
     */
    static void untransformGradient4(float[] du, int cin, int cout, Scratch s, float[] dw, int off,
                                             int tapStride, int rowStride, int colStride) {
        int size = cin * cout;
        if (s.taps.length < 9 * size) {
            s.taps = new float[9 * size];
        }
        if (s.t.length < 18 * 16) {
            s.t = new float[18 * 16];
        }
        float[] taps = s.taps;
        float[] t = s.t;
        for (int i = 0; i < size; i += QL) {
            for (int k = 0; k < 6; k++) {
                FloatVector d0 = FloatVector.fromArray(S, du, 6 * k * size + i);
                FloatVector d1 = FloatVector.fromArray(S, du, (6 * k + 1) * size + i);
                FloatVector d2 = FloatVector.fromArray(S, du, (6 * k + 2) * size + i);
                FloatVector d3 = FloatVector.fromArray(S, du, (6 * k + 3) * size + i);
                FloatVector d4 = FloatVector.fromArray(S, du, (6 * k + 4) * size + i);
                FloatVector d5 = FloatVector.fromArray(S, du, (6 * k + 5) * size + i);
                for (int x = 0; x < 3; x++) {
                    float[] g = G4[x];
                    d0.mul(g[0]).add(d1.mul(g[1])).add(d2.mul(g[2])).add(d3.mul(g[3])).add(d4.mul(g[4])).add(d5.mul(g[5]))
                            .intoArray(t, 48 * k + 16 * x);
                }
            }
            for (int x = 0; x < 3; x++) {
                FloatVector t0 = FloatVector.fromArray(S, t, 16 * x);
                FloatVector t1 = FloatVector.fromArray(S, t, 48 + 16 * x);
                FloatVector t2 = FloatVector.fromArray(S, t, 96 + 16 * x);
                FloatVector t3 = FloatVector.fromArray(S, t, 144 + 16 * x);
                FloatVector t4 = FloatVector.fromArray(S, t, 192 + 16 * x);
                FloatVector t5 = FloatVector.fromArray(S, t, 240 + 16 * x);
                for (int y = 0; y < 3; y++) {
                    float[] g = G4[y];
                    t0.mul(g[0]).add(t1.mul(g[1])).add(t2.mul(g[2])).add(t3.mul(g[3])).add(t4.mul(g[4])).add(t5.mul(g[5]))
                            .intoArray(taps, (3 * y + x) * size + i);
                }
            }
        }
        writeTaps(taps, cin, cout, dw, off, tapStride, rowStride, colStride);
    }

    /** dw[off + tap tapStride + o rowStride + c colStride] = taps[tap][c][o]. */
    static void writeTaps(float[] taps, int cin, int cout, float[] dw, int off, int tapStride, int rowStride, int colStride) {
        int size = cin * cout;
        for (int tap = 0; tap < 9; tap++) {
            for (int c = 0; c < cin; c++) {
                int src = tap * size + c * cout;
                int dst = off + tap * tapStride + c * colStride;
                for (int o = 0; o < cout; o++) {
                    dw[dst + o * rowStride] = taps[src + o];
                }
            }
        }
    }

    /**
     * dW = G^T dU G for every filter, 16 filters at a time along dU's rows: dU^T [16][cin][cout] is
     * {@code du}; with G's columns
     * (1, .5, .5, 0), (0, .5, -.5, 0), (0, .5, .5, 1) a row (d0, d1, d2, d3) of dU gives
     * (d0 + s, h, s + d3) where s = (d1 + d2) / 2 and h = (d1 - d2) / 2, first along l, then along k.
     */
    static void untransformGradient(float[] du, int cin, int cout, Scratch s, float[] dw, int off,
                                            int tapStride, int rowStride, int colStride) {
        int size = cin * cout;
        if (s.taps.length < 9 * size) {
            s.taps = new float[9 * size];
        }
        if (s.t.length < 12 * 16) {
            s.t = new float[12 * 16];
        }
        float[] taps = s.taps;
        float[] t = s.t;
        for (int i = 0; i < size; i += QL) {
            for (int k = 0; k < 4; k++) {                     // along l: t[3 k + dx]
                FloatVector d0 = FloatVector.fromArray(S, du, 4 * k * size + i);
                FloatVector d1 = FloatVector.fromArray(S, du, (4 * k + 1) * size + i);
                FloatVector d2 = FloatVector.fromArray(S, du, (4 * k + 2) * size + i);
                FloatVector d3 = FloatVector.fromArray(S, du, (4 * k + 3) * size + i);
                FloatVector half = d1.add(d2).mul(0.5f);
                d0.add(half).intoArray(t, 48 * k);
                d1.sub(d2).mul(0.5f).intoArray(t, 48 * k + 16);
                half.add(d3).intoArray(t, 48 * k + 32);
            }
            for (int dx = 0; dx < 3; dx++) {                  // along k: tap (dy, dx)
                FloatVector t0 = FloatVector.fromArray(S, t, 16 * dx);
                FloatVector t1 = FloatVector.fromArray(S, t, 48 + 16 * dx);
                FloatVector t2 = FloatVector.fromArray(S, t, 96 + 16 * dx);
                FloatVector t3 = FloatVector.fromArray(S, t, 144 + 16 * dx);
                FloatVector half = t1.add(t2).mul(0.5f);
                t0.add(half).intoArray(taps, dx * size + i);
                t1.sub(t2).mul(0.5f).intoArray(taps, (3 + dx) * size + i);
                half.add(t3).intoArray(taps, (6 + dx) * size + i);
            }
        }
        writeTaps(taps, cin, cout, dw, off, tapStride, rowStride, colStride);
    }

    /**
     * Whether the filter gradient with tile 2 takes these shapes: those of {@link #fits} with the output
     * channels in whole 16s (whole vectors at every width).
     */
    public static boolean gradientFits(int cin, int cout, int h, int w) {
        return fits(cin, cout, h, w) && QL >= 4 && cout % 16 == 0;
    }

}
