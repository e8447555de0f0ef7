#!/usr/bin/python3
"""PyTorch reference for the workloads of shared/benchmarks.md (W1-W4, Q1), for a same-machine comparison
with `bin/dlab bench`. Prints one JSON line per workload, like the bench command.

Runs on Debian's PyTorch 1.13 (apt-get install python3-torch libopenblas0-pthread; without OpenBLAS, Debian's
torch multiplies matrices with the reference BLAS). Start it with OMP_NUM_THREADS=2:

    OMP_NUM_THREADS=2 /usr/bin/python3 src/bench/python/torch_reference.py [--only W1,W4] [--reps 7]
"""
import argparse
import json
import math
import platform
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 1000


def schedule():
    betas = torch.linspace(1e-4, 0.02, T, dtype=torch.float64)
    alphas = 1.0 - betas
    abar = torch.cumprod(alphas, 0)
    abar_prev = torch.cat([torch.ones(1, dtype=torch.float64), abar[:-1]])
    return {
        "betas": betas.float(),
        "sqrt_abar": abar.sqrt().float(),
        "sqrt_1m_abar": (1 - abar).sqrt().float(),
        "eps_coef": (betas / (1 - abar).sqrt()).float(),
        "inv_sqrt_alpha": (1 / alphas.sqrt()).float(),
        "post_std": (betas * (1 - abar_prev) / (1 - abar)).sqrt().float(),
    }


def temb(t, dim):
    h = dim // 2
    f = torch.exp(-math.log(10000.0) * torch.arange(h, dtype=torch.float32) / h)
    a = t.float()[:, None] * f[None, :]
    return torch.cat([a.sin(), a.cos()], dim=1)


def moons(n, g=None):
    c = torch.randint(0, 2, (n,), generator=g)
    th = torch.rand(n, generator=g) * math.pi
    x = torch.where(c == 0, th.cos(), 1 - th.cos())
    y = torch.where(c == 0, th.sin(), 0.5 - th.sin())
    p = torch.stack([x, y], 1) + 0.05 * torch.randn(n, 2, generator=g)
    return (p - torch.tensor([0.5, 0.25])) / 0.70682


class Mlp2d(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(34, 128), nn.GELU(), nn.Linear(128, 128), nn.GELU(),
                                 nn.Linear(128, 128), nn.GELU(), nn.Linear(128, 2))

    def forward(self, x, t):
        return self.net(torch.cat([x, temb(t, 32)], 1))


class ResBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.n1 = nn.GroupNorm(8, cin)
        self.c1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.t = nn.Linear(128, cout)
        self.n2 = nn.GroupNorm(8, cout)
        self.c2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, e):
        h = self.c1(F.silu(self.n1(x)))
        h = h + self.t(F.silu(e))[:, :, None, None]
        h = self.c2(F.silu(self.n2(h)))
        return self.skip(x) + h


class UNet32(nn.Module):
    def __init__(self):
        super().__init__()
        self.temb = nn.Sequential(nn.Linear(32, 128), nn.SiLU(), nn.Linear(128, 128))
        self.conv_in = nn.Conv2d(1, 32, 3, padding=1)
        self.r1 = ResBlock(32, 32)
        self.down = nn.Conv2d(32, 32, 3, stride=2, padding=1)
        self.r2 = ResBlock(32, 64)
        self.mid = ResBlock(64, 64)
        self.r3 = ResBlock(128, 64)
        self.up = nn.Conv2d(64, 64, 3, padding=1)
        self.r4 = ResBlock(96, 32)
        self.n_out = nn.GroupNorm(8, 32)
        self.conv_out = nn.Conv2d(32, 1, 3, padding=1)

    def forward(self, x, t):
        e = self.temb(temb(t, 32))
        h0 = self.conv_in(x)
        h1 = self.r1(h0, e)
        h = self.down(h1)
        h2 = self.r2(h, e)
        h = self.mid(h2, e)
        h = self.r3(torch.cat([h, h2], 1), e)
        h = self.up(F.interpolate(h, scale_factor=2, mode="nearest"))
        h = self.r4(torch.cat([h, h1], 1), e)
        return self.conv_out(F.silu(self.n_out(h)))


def init_(model):
    # benchmarks.md: weights and biases U(-1/sqrt(fan_in), 1/sqrt(fan_in)); GroupNorm 1 and 0 (PyTorch's default)
    for m in model.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            bound = 1 / math.sqrt(m.weight[0].numel())
            nn.init.uniform_(m.weight, -bound, bound)
            nn.init.uniform_(m.bias, -bound, bound)
    return model


def train_step(model, opt, data, batch, s):
    idx = torch.randint(0, data.shape[0], (batch,))
    x0 = data[idx]
    t = torch.randint(0, T, (batch,))
    eps = torch.randn_like(x0)
    shape = (batch,) + (1,) * (x0.dim() - 1)
    xt = s["sqrt_abar"][t].view(shape) * x0 + s["sqrt_1m_abar"][t].view(shape) * eps
    loss = F.mse_loss(model(xt, t), eps)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    return loss


@torch.no_grad()
def sample2d(model, n, s, g=None):
    x = torch.randn(n, 2, generator=g)
    for i in reversed(range(T)):
        t = torch.full((n,), i, dtype=torch.long)
        eps = model(x, t)
        mean = (x - s["eps_coef"][i] * eps) * s["inv_sqrt_alpha"][i]
        x = mean + s["post_std"][i] * torch.randn(n, 2, generator=g) if i > 0 else mean
    return x


def energy_distance(a, b):
    a = a.double()
    b = b.double()
    # the exact difference formula, as benchmarks.md asks (cdist's default takes a matrix-product shortcut)
    def d(u, v):
        return torch.cdist(u, v, compute_mode="donot_use_mm_for_euclid_dist").mean()
    return (2 * d(a, b) - d(a, a) - d(b, b)).item()


def timed(fn, reps):
    out = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def median(v):
    v = sorted(v)
    return v[len(v) // 2]


def w1(reps):
    s = schedule()
    torch.manual_seed(0)
    data = moons(10000)
    model = init_(Mlp2d())
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    for _ in range(100):
        train_step(model, opt, data, 256, s)
    rates = [1000 / x for x in timed(lambda: [train_step(model, opt, data, 256, s) for _ in range(1000)], reps)]
    return {"workload": "W1_train2d", "value": median(rates), "unit": "steps/s", "reps": rates}


def w2(reps):
    s = schedule()
    torch.manual_seed(0)
    model = init_(Mlp2d())
    sample2d(model, 1000, s)
    secs = timed(lambda: sample2d(model, 1000, s), reps)
    return {"workload": "W2_sample2d", "value": median(secs), "unit": "s/run", "reps": secs}


def w3(reps, frames=1000):
    s = schedule()
    x0 = torch.randn(3, 512, 512)
    eps = torch.randn(3, 512, 512)
    out = torch.empty_like(x0)
    a = s["sqrt_abar"][500].item()
    b = s["sqrt_1m_abar"][500].item()

    def new_array():
        for _ in range(frames):
            torch.add(a * x0, eps, alpha=b)

    def into_buffer():
        for _ in range(frames):
            torch.mul(x0, a, out=out)
            out.add_(eps, alpha=b)

    for _ in range(3):
        new_array()
        into_buffer()
    alloc = [x * 1000 / frames for x in timed(new_array, reps)]
    buf = [x * 1000 / frames for x in timed(into_buffer, reps)]
    return {"workload": "W3_forward_noise", "value": median(alloc), "unit": "ms/frame", "reps": alloc,
            "out_buffer_ms_per_frame": median(buf), "out_buffer_reps": buf}


def w4(reps):
    s = schedule()
    torch.manual_seed(0)
    data = torch.rand(1000, 1, 32, 32) * 2 - 1
    model = init_(UNet32())
    params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    for _ in range(3):
        train_step(model, opt, data, 64, s)
    rates = [20 / x for x in timed(lambda: [train_step(model, opt, data, 64, s) for _ in range(20)], reps)]
    x = data[:64]
    t = torch.randint(0, T, (64,))
    with torch.no_grad():
        model(x, t)
        fwd = [x * 1000 for x in timed(lambda: model(x, t), reps)]
    return {"workload": "W4_train_unet32", "value": median(rates), "unit": "steps/s", "reps": rates,
            "forward_only_ms_batch64": median(fwd), "params": params}


def q1(reps):
    s = schedule()
    walls, energies = [], []
    for seed in range(reps):
        torch.manual_seed(seed)
        data = moons(10000)
        model = init_(Mlp2d())
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
        start = time.perf_counter()
        for _ in range(3000):
            train_step(model, opt, data, 256, s)
        walls.append(time.perf_counter() - start)
        energies.append(energy_distance(sample2d(model, 2000, s), moons(2000)))
    return {"workload": "Q1_quality2d", "value": median(walls), "unit": "s", "reps": walls,
            "train_wall_s": median(walls), "energy_distance_samples_vs_data": median(energies),
            "energy_reps": energies}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--only", default="W1,W2,W3,W4,Q1")
    p.add_argument("--reps", type=int, default=7)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    print(json.dumps({"env": {"torch": torch.__version__, "python": platform.python_version(),
                              "threads": torch.get_num_threads(), "cpu": platform.processor() or platform.machine(),
                              "mkldnn": torch.backends.mkldnn.is_available()}}), flush=True)
    runs = {"W1": w1, "W2": w2, "W3": w3, "W4": w4, "Q1": q1}
    for name in args.only.split(","):
        print(json.dumps(runs[name.strip()](args.reps)), flush=True)


if __name__ == "__main__":
    main()
