package org.diffusionlab.engine.model;

/**
 * The UNet written the plain way, for tests: NCHW arrays in double, convolutions as four nested loops
 * with explicit zero padding, SiLU with exp. Reads the flat parameter array in the layout the model
 * allocates (layer by layer: weights then biases; convolution weights [k][out][in]).
 */
final class ReferenceUNet {

    private final UNetConfig c;
    private final float[] p;
    private int at;
    private final int[] t;
    private final int timesteps;

    private ReferenceUNet(UNetConfig c, float[] params, int[] t, int timesteps) {
        this.c = c;
        this.p = params;
        this.t = t;
        this.timesteps = timesteps;
    }

    /** Output [batch][channels][size][size] flattened, for inputs laid out the same way. */
    static double[] forward(UNetConfig c, float[] params, float[] x, int[] t, int batch, int timesteps) {
        return new ReferenceUNet(c, params, t, timesteps).run(x, batch);
    }

    private double next() {
        return p[at++];
    }

    private double[] linear(double[] in, int rows, int nin, int nout) {
        double[] w = new double[nin * nout];
        for (int i = 0; i < w.length; i++) {
            w[i] = next();
        }
        double[] b = new double[nout];
        for (int i = 0; i < nout; i++) {
            b[i] = next();
        }
        double[] out = new double[rows * nout];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < nout; j++) {
                double s = b[j];
                for (int i = 0; i < nin; i++) {
                    s += in[r * nin + i] * w[i * nout + j];
                }
                out[r * nout + j] = s;
            }
        }
        return out;
    }

    static double silu(double v) {
        return v / (1 + Math.exp(-v));
    }

    private static double[] silu(double[] a) {
        double[] o = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            o[i] = silu(a[i]);
        }
        return o;
    }

    /** [batch][cin][s][s] -> [batch][cout][s][s], padding k / 2. */
    private double[] conv(double[] in, int batch, int cin, int cout, int s, int k) {
        double[][][] w = new double[k * k][cout][cin];
        for (int kk = 0; kk < k * k; kk++) {
            for (int o = 0; o < cout; o++) {
                for (int i = 0; i < cin; i++) {
                    w[kk][o][i] = next();
                }
            }
        }
        double[] b = new double[cout];
        for (int o = 0; o < cout; o++) {
            b[o] = next();
        }
        int r = k / 2;
        double[] out = new double[batch * cout * s * s];
        for (int e = 0; e < batch; e++) {
            for (int o = 0; o < cout; o++) {
                for (int y = 0; y < s; y++) {
                    for (int x = 0; x < s; x++) {
                        double sum = b[o];
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                int yy = y + ky - r;
                                int xx = x + kx - r;
                                if (yy < 0 || yy >= s || xx < 0 || xx >= s) {
                                    continue;
                                }
                                for (int i = 0; i < cin; i++) {
                                    sum += w[ky * k + kx][o][i] * in[((e * cin + i) * s + yy) * s + xx];
                                }
                            }
                        }
                        out[((e * cout + o) * s + y) * s + x] = sum;
                    }
                }
            }
        }
        return out;
    }

    private double[] groupNormSilu(double[] in, int batch, int ch, int s) {
        double[] g = new double[ch];
        double[] b = new double[ch];
        for (int i = 0; i < ch; i++) {
            g[i] = next();
        }
        for (int i = 0; i < ch; i++) {
            b[i] = next();
        }
        int groups = UNetConfig.GROUPS;
        int cg = ch / groups;
        int area = s * s;
        double[] out = new double[in.length];
        for (int e = 0; e < batch; e++) {
            for (int gr = 0; gr < groups; gr++) {
                int start = (e * ch + gr * cg) * area;
                int len = cg * area;
                double mean = 0;
                for (int i = 0; i < len; i++) {
                    mean += in[start + i];
                }
                mean /= len;
                double var = 0;
                for (int i = 0; i < len; i++) {
                    var += (in[start + i] - mean) * (in[start + i] - mean);
                }
                var /= len;
                for (int i = 0; i < len; i++) {
                    int chan = gr * cg + i / area;
                    double v = (in[start + i] - mean) / Math.sqrt(var + 1e-5);
                    out[start + i] = silu(g[chan] * v + b[chan]);
                }
            }
        }
        return out;
    }

    private double[] resBlock(double[] x, double[] se, int batch, int cin, int cout, int s) {
        double[] a = groupNormSilu(x, batch, cin, s);
        double[] h = conv(a, batch, cin, cout, s, 3);
        double[] proj = linear(se, batch, c.hidden(), cout);
        for (int e = 0; e < batch; e++) {
            for (int o = 0; o < cout; o++) {
                for (int i = 0; i < s * s; i++) {
                    h[(e * cout + o) * s * s + i] += proj[e * cout + o];
                }
            }
        }
        double[] a2 = groupNormSilu(h, batch, cout, s);
        double[] out = conv(a2, batch, cout, cout, s, 3);
        double[] skip = cin != cout ? conv(x, batch, cin, cout, s, 1) : x;
        for (int i = 0; i < out.length; i++) {
            out[i] += skip[i];
        }
        return out;
    }

    private static double[] cat(double[] a, int ca, double[] b, int cb, int batch, int area) {
        double[] out = new double[batch * (ca + cb) * area];
        for (int e = 0; e < batch; e++) {
            System.arraycopy(a, e * ca * area, out, e * (ca + cb) * area, ca * area);
            System.arraycopy(b, e * cb * area, out, e * (ca + cb) * area + ca * area, cb * area);
        }
        return out;
    }

    private double[] run(float[] xf, int batch) {
        int s = c.size();
        int b = c.base();
        int ch = c.channels();
        int hid = c.hidden();
        double[] te = new double[batch * UNetConfig.TEMB_DIM];
        int half = UNetConfig.TEMB_DIM / 2;
        for (int e = 0; e < batch; e++) {
            for (int i = 0; i < half; i++) {
                double f = Math.exp(-Math.log(10000.0) * i / half);
                te[e * 2 * half + i] = Math.sin(t[e] * f);
                te[e * 2 * half + half + i] = Math.cos(t[e] * f);
            }
        }
        double[] se = silu(linear(silu(linear(te, batch, UNetConfig.TEMB_DIM, hid)), batch, hid, hid));
        double[] x = new double[batch * ch * s * s];
        for (int i = 0; i < x.length; i++) {
            x[i] = xf[i];
        }
        double[] h0 = conv(x, batch, ch, b, s, 3);
        double[] h1 = resBlock(h0, se, batch, b, b, s);
        double[] full = conv(h1, batch, b, b, s, 3);
        int s2 = s / 2;
        double[] d = new double[batch * b * s2 * s2];
        for (int e = 0; e < batch * b; e++) {
            for (int y = 0; y < s2; y++) {
                for (int xx = 0; xx < s2; xx++) {
                    d[(e * s2 + y) * s2 + xx] = full[(e * s + 2 * y) * s + 2 * xx];
                }
            }
        }
        double[] h2 = resBlock(d, se, batch, b, 2 * b, s2);
        double[] m = resBlock(h2, se, batch, 2 * b, 2 * b, s2);
        double[] r4 = resBlock(cat(m, 2 * b, h2, 2 * b, batch, s2 * s2), se, batch, 4 * b, 2 * b, s2);
        double[] u = new double[batch * 2 * b * s * s];
        for (int e = 0; e < batch * 2 * b; e++) {
            for (int y = 0; y < s; y++) {
                for (int xx = 0; xx < s; xx++) {
                    u[(e * s + y) * s + xx] = r4[(e * s2 + y / 2) * s2 + xx / 2];
                }
            }
        }
        double[] uc = conv(u, batch, 2 * b, 2 * b, s, 3);
        double[] r5 = resBlock(cat(uc, 2 * b, h1, b, batch, s * s), se, batch, 3 * b, b, s);
        double[] out = conv(groupNormSilu(r5, batch, b, s), batch, b, ch, s, 3);
        if (at != p.length) {
            throw new IllegalStateException("read " + at + " of " + p.length + " parameters");
        }
        return out;
    }
}
