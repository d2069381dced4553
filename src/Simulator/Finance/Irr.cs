namespace DistrictSim.Finance;

/// <summary>
/// Net present value and internal rate of return with the timing of domain.md section 4:
/// the flow of year t is divided by (1 + r)^(t + 1), as Excel's NPV(rate, values) does
/// (or by (1 + r)^(t + 0.5) with mid-year discounting).
/// </summary>
public static class Irr
{
    /// <summary>The IRR search interval of domain.md: [-99%, +100%].</summary>
    public const double MinRate = -0.99;
    public const double MaxRate = 1.0;

    private const double GridStep = 0.005;
    private const double RateTolerance = 1e-13;

    /// <summary>Σ flows[t] / (1 + rate)^(t + 1) (mid-year: t + 0.5).</summary>
    public static double Npv(double rate, ReadOnlySpan<double> flows, bool midYear = false)
    {
        // Horner in x = 1 / (1 + r): NPV = x (f0 + x (f1 + x (f2 + ...)))
        var x = 1 / (1 + rate);
        // Trailing zero flows leave the accumulator at +0 exactly (0 x + 0 = 0 for finite x): start after them.
        var end = double.IsFinite(x) ? flows.LastIndexOfAnyExcept(0.0) + 1 : flows.Length;
        double acc = 0;
        for (var t = end - 1; t >= 0; t--) acc = acc * x + flows[t];
        return midYear ? acc * Math.Sqrt(x) : acc * x;
    }

    /// <summary>
    /// The IRR: the root of NPV in [-99%, +100%] nearest to 0 (numpy-financial's rule restricted to
    /// the interval); NaN where there is none. With one sign change in the flows the root is unique
    /// (Descartes' rule in x = 1/(1+r)): Halley's iteration from a duration-based guess finds it, and a bracketed,
    /// safeguarded Newton takes over if Halley strays. Otherwise the interval is scanned outward from 0
    /// in steps of 0.5% for the nearest sign change, which the safeguarded Newton then refines.
    /// Mid-year discounting multiplies NPV by a positive factor and so does not move the roots; nor do
    /// leading or trailing zero flows (a factor x^k), which are trimmed first.
    /// </summary>
    public static double Compute(ReadOnlySpan<double> flows)
    {
        var firstNonZero = flows.IndexOfAnyExcept(0.0);
        if (firstNonZero < 0) return double.NaN;
        flows = flows[firstNonZero..(flows.LastIndexOfAnyExcept(0.0) + 1)];
        // One pass: the sign changes, and the sums of the duration-based first guess.
        var signChanges = 0;
        var lastSign = 0;
        double pos = 0, neg = 0, tPos = 0, tNeg = 0;
        for (var t = 0; t < flows.Length; t++)
        {
            var f = flows[t];
            int s;
            if (f > 0) { s = 1; pos += f; tPos += t * f; }
            else if (f < 0) { s = -1; neg -= f; tNeg -= t * f; }
            else if (f == 0) continue;
            else return double.NaN; // NaN flows have no IRR
            if (double.IsInfinity(f)) return double.NaN;
            if (lastSign != 0 && s != lastSign) signChanges++;
            lastSign = s;
        }
        if (signChanges == 0) return double.NaN;
        if (signChanges == 1)
        {
            // The root is unique: where Halley's iteration converges it has found it (inside the interval or not).
            var guess = DurationGuess(pos, neg, tPos, tNeg);
            var r = guess;
            for (var i = 0; i < 20; i++)
            {
                var next = HalleyStep(r, flows);
                if (!double.IsFinite(next) || next <= -1) break;
                if (Math.Abs(next - r) <= RateTolerance * (1 + Math.Abs(next)))
                {
                    return next is >= MinRate and <= MaxRate ? next : double.NaN;
                }
                r = next;
            }
            var lo = MinRate;
            var hi = MaxRate;
            var fLo = Npv(lo, flows);
            var fHi = Npv(hi, flows);
            if (fLo == 0) return lo;
            if (fHi == 0) return hi;
            if (Math.Sign(fLo) == Math.Sign(fHi)) return double.NaN;
            return Solve(flows, lo, hi, fLo, fHi, guess);
        }
        return NearestRootByScan(flows);
    }

    private static double NearestRootByScan(ReadOnlySpan<double> flows)
    {
        var f0 = Npv(0, flows);
        if (f0 == 0) return 0;
        double best = double.NaN;
        // Upward from 0.
        double prevR = 0, prevF = f0;
        for (var r = GridStep; r <= MaxRate + 1e-12; r += GridStep)
        {
            var rr = Math.Min(r, MaxRate);
            var f = Npv(rr, flows);
            if (f == 0) { best = rr; break; }
            if (Math.Sign(f) != Math.Sign(prevF)) { best = Solve(flows, prevR, rr, prevF, f, (prevR + rr) / 2); break; }
            prevR = rr;
            prevF = f;
        }
        // Downward from 0, only as far as the upward root (a nearer one wins).
        var limit = double.IsNaN(best) ? MinRate : Math.Max(MinRate, -best);
        prevR = 0;
        prevF = f0;
        for (var r = -GridStep; r >= limit - 1e-12; r -= GridStep)
        {
            var rr = Math.Max(r, MinRate);
            var f = Npv(rr, flows);
            if (f == 0) return double.IsNaN(best) || -rr <= best ? rr : best;
            if (Math.Sign(f) != Math.Sign(prevF))
            {
                var root = Solve(flows, rr, prevR, f, prevF, (rr + prevR) / 2);
                return double.IsNaN(best) || Math.Abs(root) <= Math.Abs(best) ? root : best;
            }
            prevR = rr;
            prevF = f;
        }
        return best;
    }

    /// <summary>
    /// A first guess for conventional flows: the rate at which the money out, compounded over the gap
    /// between the amount-weighted mean years of money out and money in, equals the money in.
    /// </summary>
    private static double DurationGuess(double pos, double neg, double tPos, double tNeg)
    {
        // pos, neg: the money in and out; tPos, tNeg: their sums weighted by year.
        var gap = tPos / pos - tNeg / neg;
        if (!(Math.Abs(gap) > 1e-9)) return 0;
        var guess = Math.Pow(pos / neg, 1 / gap) - 1;
        return double.IsFinite(guess) ? guess : 0;
    }

    /// <summary>Safeguarded Newton on a bracket [lo, hi] where NPV changes sign, from <paramref name="guess"/>.</summary>
    private static double Solve(ReadOnlySpan<double> flows, double lo, double hi, double fLo, double fHi, double guess)
    {
        var r = guess;
        if (!(r > lo && r < hi)) r = (lo + hi) / 2;
        for (var i = 0; i < 100; i++)
        {
            var (f, df) = NpvAndDerivative(r, flows);
            if (f == 0) return r;
            if (Math.Sign(f) == Math.Sign(fLo)) { lo = r; fLo = f; }
            else { hi = r; fHi = f; }
            var next = df != 0 ? r - f / df : double.NaN;
            if (!(next > lo && next < hi)) next = (lo + hi) / 2;
            if (Math.Abs(next - r) <= RateTolerance * (1 + Math.Abs(r))) return next;
            r = next;
            if (hi - lo <= RateTolerance) return (lo + hi) / 2;
        }
        return r;
    }

    /// <summary>
    /// One step of Halley's method on NPV(r): r - 2 N N' / (2 N'^2 - N N''), cubically convergent, so it takes
    /// fewer passes over the flows than Newton. P(x) = Σ f_t x^t is split into its even and odd terms,
    /// P(x) = E(x²) + x O(x²), so that six short Horner recurrences run side by side instead of three long ones.
    /// </summary>
    private static double HalleyStep(double rate, ReadOnlySpan<double> flows)
    {
        // With x = 1/(1+r) and P(x) = Σ f_t x^t: NPV = Q(x) = x P(x), dx/dr = -x², d²x/dr² = 2x³, so
        // N' = -x² Q'(x) and N'' = x⁴ Q''(x) + 2x³ Q'(x), where Q' = P + x P' and Q'' = 2P' + x P''.
        var x = 1 / (1 + rate);
        var y = x * x;
        // Horner in y over E (f_0, f_2, ...) and O (f_1, f_3, ...): e = E, de = E', he = E''/2, likewise for O.
        double e = 0, de = 0, he = 0, o = 0, dO = 0, ho = 0;
        var n = flows.Length;
        for (var k = (n - 1) >> 1; k >= 0; k--)
        {
            var odd = (2 * k) + 1 < n ? flows[(2 * k) + 1] : 0;
            he = Math.FusedMultiplyAdd(he, y, de);
            ho = Math.FusedMultiplyAdd(ho, y, dO);
            de = Math.FusedMultiplyAdd(de, y, e);
            dO = Math.FusedMultiplyAdd(dO, y, o);
            e = Math.FusedMultiplyAdd(e, y, flows[2 * k]);
            o = Math.FusedMultiplyAdd(o, y, odd);
        }
        // P = E + x O, P' = 2x E' + O + 2x² O', P'' = 2E' + 4x² E'' + 6x O' + 4x³ O''.
        var p = e + (x * o);
        var dp = (2 * x * de) + o + (2 * y * dO);
        var ddp = (2 * de) + (8 * y * he) + (6 * x * dO) + (8 * y * x * ho);
        var q1 = p + x * dp;
        var q2 = 2 * dp + x * ddp;
        var f = x * p;
        var d1 = -y * q1;
        var d2 = y * (y * q2 + 2 * x * q1);
        return rate - 2 * f * d1 / (2 * d1 * d1 - f * d2);
    }

    private static (double Value, double Derivative) NpvAndDerivative(double rate, ReadOnlySpan<double> flows)
    {
        // P(x) = Σ f_t x^(t+1); dNPV/dr = P'(x) dx/dr with dx/dr = -x².
        var x = 1 / (1 + rate);
        double p = 0, dp = 0;
        for (var t = flows.Length - 1; t >= 0; t--)
        {
            dp = dp * x + p;
            p = p * x + flows[t];
        }
        // Now p = Σ f_t x^t, dp = Σ t f_t x^(t-1); NPV = x p, dNPV/dx = p + x dp.
        return (x * p, -(x * x) * (p + x * dp));
    }
}

/// <summary>Level-payment (annuity) arithmetic.</summary>
public static class Annuity
{
    /// <summary>
    /// The level payment that repays <paramref name="principal"/> over <paramref name="periods"/>
    /// periods at <paramref name="rate"/> a period: P r / (1 - (1 + r)^-n); P / n at r = 0.
    /// (Excel's PMT with the sign flipped.)
    /// </summary>
    public static double Payment(double principal, double rate, int periods)
    {
        if (periods <= 0) return principal;
        if (rate == 0) return principal / periods;
        return principal * rate / (1 - Math.Pow(1 + rate, -periods));
    }
}
