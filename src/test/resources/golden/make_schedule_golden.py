#!/usr/bin/env python3
"""Independent golden values for NoiseSchedule, computed at 60 significant digits with mpmath.

Every quantity is computed from its textbook definition, with no algebraic rearrangement:
  linear         beta_i = start + i (end - start) / (T - 1)
  scaled-linear  beta_i = (sqrt(start) + i (sqrt(end) - sqrt(start)) / (T - 1))^2
  cosine         f(s) = cos^2(((s + 0.008) / 1.008) pi / 2), beta_i = min(1 - f((i+1)/T) / f(i/T), 0.999)
  sigmoid        beta_i = start + (end - start) / (1 + exp(-x_i)), x_i = -6 + 12 i / (T - 1)
  zero terminal SNR (Lin et al. 2024, Algorithm 1): sqrt(abar) shifted to end at 0 and scaled to keep its
                 first value; alphas = abar_i / abar_{i-1} (alphas_0 = abar_0), beta = 1 - alpha
  alpha = 1 - beta, alpha_bar = prod alpha, alpha_bar_prev = [1, alpha_bar[:-1]],
  posterior_variance = beta (1 - alpha_bar_prev) / (1 - alpha_bar),
  coef1 = beta sqrt(alpha_bar_prev) / (1 - alpha_bar), coef2 = (1 - alpha_bar_prev) sqrt(alpha) / (1 - alpha_bar),
  snr = alpha_bar / (1 - alpha_bar).
Inputs (0.008, 1e-4, ...) are taken as the float64 numbers Java uses (mpf(float)).
Run: python3 make_schedule_golden.py > schedule_golden.csv
"""
from mpmath import mp, mpf, sqrt, cos, exp, pi

mp.dps = 60

def linear(T, a, b):
    a, b = mpf(a), mpf(b)
    return [a if T == 1 else a + i * (b - a) / (T - 1) for i in range(T)]

def scaled_linear(T, a, b):
    return [x * x for x in linear(T, sqrt(mpf(a)), sqrt(mpf(b)))]

def cosine(T):
    s = mpf(0.008)
    f = lambda u: cos((u + s) / (1 + s) * pi / 2) ** 2
    return [min(1 - f(mpf(i + 1) / T) / f(mpf(i) / T), mpf(0.999)) for i in range(T)]

def sigmoid(T, a, b):
    a, b = mpf(a), mpf(b)
    xs = linear(T, -6.0, 6.0)
    return [a + (b - a) / (1 + exp(-x)) for x in xs]

def zero_terminal_snr(betas):
    abar, acc = [], mpf(1)
    for b in betas:
        acc *= 1 - b
        abar.append(acc)
    r = [sqrt(x) for x in abar]
    r0, rT = r[0], r[-1]
    s = [(x - rT) * r0 / (r0 - rT) for x in r]
    ab = [x * x for x in s]
    alphas = [ab[0]] + [ab[i] / ab[i - 1] for i in range(1, len(ab))]
    return [1 - a for a in alphas]

CONFIGS = [
    ("linear", 1000, 1e-4, 0.02, False, lambda: linear(1000, 1e-4, 0.02)),
    ("scaled-linear", 1000, 0.00085, 0.012, False, lambda: scaled_linear(1000, 0.00085, 0.012)),
    ("cosine", 1000, None, None, False, lambda: cosine(1000)),
    ("sigmoid", 1000, 1e-4, 0.02, False, lambda: sigmoid(1000, 1e-4, 0.02)),
    ("linear", 1000, 1e-4, 0.02, True, lambda: zero_terminal_snr(linear(1000, 1e-4, 0.02))),
    ("cosine", 50, None, None, False, lambda: cosine(50)),
    ("linear", 50, 1e-4, 0.02, False, lambda: linear(50, 1e-4, 0.02)),
    ("scaled-linear", 7, 0.00085, 0.012, True, lambda: zero_terminal_snr(scaled_linear(7, 0.00085, 0.012))),
]

def rows(T):
    keep = set(range(0, 12)) | set(range(0, T, 37)) | set(range(max(0, T - 6), T))
    return sorted(t for t in keep if t < T)

print("kind,T,zero_terminal_snr,t,beta,alpha,alpha_bar,alpha_bar_prev,sqrt_alpha_bar,sqrt_one_minus_alpha_bar,"
      "posterior_variance,posterior_mean_coef1,posterior_mean_coef2,snr")
for kind, T, a, b, ztsnr, make in CONFIGS:
    betas = make()
    abar, acc = [], mpf(1)
    for beta in betas:
        acc *= 1 - beta
        abar.append(acc)
    for t in rows(T):
        beta = betas[t]
        alpha = 1 - beta
        ab = abar[t]
        abp = abar[t - 1] if t > 0 else mpf(1)
        vals = [beta, alpha, ab, abp, sqrt(ab), sqrt(1 - ab), beta * (1 - abp) / (1 - ab),
                beta * sqrt(abp) / (1 - ab), (1 - abp) * sqrt(alpha) / (1 - ab), ab / (1 - ab)]
        print(",".join([kind, str(T), str(ztsnr).lower(), str(t)] + [mp.nstr(v, 25) for v in vals]))
