"""Independent reference for the A/B statistics tests: Python's statistics module for means and standard deviations,
NormalDist for z quantiles, and Student's t by numerical integration of its density (composite Simpson rule) plus
bisection -- a different method from the C++ side's incomplete beta function. Reads a JSON request on stdin and
writes the figures as JSON on stdout."""
import json
import math
import statistics
import sys


def t_pdf(x, df):
    c = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)
    return c * (1 + x * x / df) ** (-(df + 1) / 2)


def t_cdf(x, df, steps=2000):
    if x == 0:
        return 0.5
    h = abs(x) / steps
    s = t_pdf(0, df) + t_pdf(abs(x), df)
    for i in range(1, steps):
        s += (4 if i % 2 else 2) * t_pdf(i * h, df)
    half = s * h / 3
    return 0.5 + half if x > 0 else 0.5 - half


def t_quantile(p, df):
    lo, hi = -1.0, 1.0
    while t_cdf(lo, df) > p:
        lo *= 2
    while t_cdf(hi, df) < p:
        hi *= 2
    for _ in range(60):
        mid = (lo + hi) / 2
        if t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


req = json.load(sys.stdin)
out = {"t_quantiles": [t_quantile(p, df) for p, df in req.get("t_quantiles", [])]}
if "a" in req:
    a, b, conf = req["a"], req["b"], req["confidence"]
    ma, mb = statistics.mean(a), statistics.mean(b)
    sa, sb = statistics.stdev(a), statistics.stdev(b)
    va, vb = sa * sa / len(a), sb * sb / len(b)
    se = math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va * va / (len(a) - 1) + vb * vb / (len(b) - 1))
    q = t_quantile(0.5 + conf / 2, df)
    d = mb - ma
    out.update({"mean_a": ma, "mean_b": mb, "sd_a": sa, "sd_b": sb, "se": se, "df": df, "difference": d,
                "low": d - q * se, "high": d + q * se, "t": d / se, "p_value": 2 * (1 - t_cdf(abs(d / se), df))})
if "delta" in req:
    z = statistics.NormalDist().inv_cdf(0.5 + req["confidence"] / 2) + statistics.NormalDist().inv_cdf(req["power"])
    sa, sb, delta = req["sd_a"], req["sd_b"], req["delta"]
    out["n_normal"] = max(2, math.ceil(z * z * (sa * sa + sb * sb) / delta ** 2))
    # The t-refined size, iterated the same way but with this file's t quantiles.
    n = out["n_normal"]
    for _ in range(100):
        df = (n - 1) * (sa * sa + sb * sb) ** 2 / (sa ** 4 + sb ** 4)
        q = t_quantile(0.5 + req["confidence"] / 2, df) + t_quantile(req["power"], df)
        nxt = max(2, math.ceil(q * q * (sa * sa + sb * sb) / delta ** 2))
        if nxt == n:
            break
        n = nxt
    out["n_t"] = n
print(json.dumps(out))
