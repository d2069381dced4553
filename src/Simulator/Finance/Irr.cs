using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DistrictSim.Numerics;

namespace DistrictSim.Finance;

/// <summary>
/// Net present value and internal rate of return with the timing of domain.md section 4:
/// the flow of year t is divided by (1 + r)^(t + 1), as Excel's NPV(rate, values) does
/// (or by (1 + r)^(t + 0.5) with mid-year discounting).
/// </summary>
public static partial class Irr
{
    /// <summary>The IRR search interval of domain.md: [-99%, +100%].</summary>
    public const double MinRate = -0.99;
    public const double MaxRate = 1.0;

    private const double GridStep = 0.005;
    private const double RateTolerance = 1e-13;
    private const double ConvergedStep = 1e-8;

    /// <summary>Σ flows[t] / (1 + rate)^(t + 1) (mid-year: t + 0.5).</summary>
    public static double Npv(double rate, ReadOnlySpan<double> flows, bool midYear = false)
    {
        // Horner in x = 1 / (1 + r): NPV = x (f0 + x (f1 + x (f2 + ...)))
        var x = 1 / (1 + rate);
        // Trailing zero flows leave the accumulator at +0 exactly (0 x + 0 = 0 for finite x): start after them.
        var end = double.IsFinite(x) ? Rows.LastNonZero(flows) + 1 : flows.Length;
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
        var firstNonZero = Rows.FirstNonZero(flows);
        if (firstNonZero < 0) return double.NaN;
        flows = flows[firstNonZero..(Rows.LastNonZero(flows) + 1)];
        // One pass: the sign changes, and the sums of the duration-based first guess.
        if (!SignsAndSums(flows, out var signChanges, out var pos, out var neg, out var tPos, out var tNeg)) return double.NaN;
        if (signChanges == 0) return double.NaN;
        if (flows.Length == 2)
        {
            // f0 + f1 x = 0 with x = 1 / (1 + r): the root in closed form (f0 and f1 differ in sign).
            var root = -flows[1] / flows[0] - 1;
            return root is >= MinRate and <= MaxRate ? root : double.NaN;
        }
        if (signChanges == 1)
        {
            // The root is unique: where Halley's iteration converges it has found it (inside the interval or not).
            var guess = DurationGuess(pos, neg, tPos, tNeg);
            var r = guess;
            for (var i = 0; i < 20; i++)
            {
                var next = HalleyStep(r, flows);
                if (!double.IsFinite(next) || next <= -1) break;
                // Converged when the step is below the tolerance, or below 1e-8: Halley's error after a step of
                // size h near a simple root is of order h³, so the next step would be far below the tolerance.
                if (Math.Abs(next - r) <= ConvergedStep * (1 + Math.Abs(next)))
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

    /// <summary>
    /// The number of sign changes of the flows (zeros skipped), the money in and out and their sums weighted by
    /// year; false when a flow is NaN or infinite. Up to 63 flows run four at a time with sign bit masks.
    /// </summary>
    private static bool SignsAndSums(ReadOnlySpan<double> flows, out int signChanges, out double pos, out double neg, out double tPos, out double tNeg)
    {
        var n = flows.Length;
        if (n >= 64)
        {
            signChanges = 0;
            pos = neg = tPos = tNeg = 0;
            var lastSign = 0;
            for (var t = 0; t < n; t++)
            {
                var f = flows[t];
                int s;
                if (f > 0) { s = 1; pos += f; tPos += t * f; }
                else if (f < 0) { s = -1; neg -= f; tNeg -= t * f; }
                else if (f == 0) continue;
                else return false; // NaN flows have no IRR
                if (double.IsInfinity(f)) return false;
                if (lastSign != 0 && s != lastSign) signChanges++;
                lastSign = s;
            }
            return true;
        }

        ref var x = ref MemoryMarshal.GetReference(flows);
        ulong positive = 0, negative = 0;
        Vector256<double> vPos = default, vNeg = default, vTPos = default, vTNeg = default;
        var finite = Vector256<double>.AllBitsSet;
        var year = Vector256.Create(0.0, 1, 2, 3);
        var four = Vector256.Create(4.0);
        var i = 0;
        for (; i <= n - 4; i += 4)
        {
            var v = Vector256.LoadUnsafe(ref x, (nuint)i);
            finite &= Vector256.Equals(v - v, Vector256<double>.Zero); // v - v is 0 for finite v, NaN for NaN and ±∞
            // v where v > 0, else +0 (and -v where v < 0): max(v, 0) and max(-v, 0) for finite v, with masks.
            var isPositive = Vector256.GreaterThan(v, Vector256<double>.Zero);
            var isNegative = Vector256.LessThan(v, Vector256<double>.Zero);
            var p = v & isPositive;
            var m = -v & isNegative;
            vPos += p;
            vNeg += m;
            vTPos += year * p;
            vTNeg += year * m;
            year += four;
            positive |= (ulong)isPositive.ExtractMostSignificantBits() << i;
            negative |= (ulong)isNegative.ExtractMostSignificantBits() << i;
        }
        pos = Rows.Lanes(vPos);
        neg = Rows.Lanes(vNeg);
        tPos = Rows.Lanes(vTPos);
        tNeg = Rows.Lanes(vTNeg);
        signChanges = 0;
        if (finite.ExtractMostSignificantBits() != 0b1111) return false; // the sums are then meaningless
        for (; i < n; i++)
        {
            var f = Unsafe.Add(ref x, i);
            if (!double.IsFinite(f)) return false;
            if (f > 0) { pos += f; tPos += i * f; positive |= 1UL << i; }
            else if (f < 0) { neg -= f; tNeg -= i * f; negative |= 1UL << i; }
        }
        var nonZero = positive | negative;
        if (nonZero == (1UL << n) - 1)
        {
            // No zeros: a change wherever neighbours differ in sign.
            signChanges = BitOperations.PopCount((positive ^ (positive >> 1)) & ((1UL << (n - 1)) - 1));
            return true;
        }
        // Zeros in between are skipped: compare each non-zero flow's sign with the previous non-zero one.
        var last = -1;
        for (var bits = nonZero; bits != 0; bits &= bits - 1)
        {
            var t = BitOperations.TrailingZeroCount(bits);
            var sign = (int)((positive >> t) & 1);
            if (last >= 0 && sign != last) signChanges++;
            last = sign;
        }
        return true;
    }

    private static double NearestRootByScan(ReadOnlySpan<double> flows)
    {
        var f0 = Npv(0, flows);
        if (f0 == 0) return 0;
        double best = double.NaN;
        // NPV on the grid is evaluated eight rates at a time (each value exactly as Npv computes it); the
        // rates are visited in the same order as one at a time, so a batch's later values may go unused.
        Span<double> rates = stackalloc double[ScanBatch];
        Span<double> values = stackalloc double[ScanBatch];
        // Upward from 0.
        double prevR = 0, prevF = f0;
        var r = GridStep;
        var found = false;
        while (!found && r <= MaxRate + 1e-12)
        {
            var count = 0;
            for (; count < ScanBatch && r <= MaxRate + 1e-12; count++, r += GridStep) rates[count] = Math.Min(r, MaxRate);
            NpvBatch(rates[..count], flows, values);
            for (var j = 0; j < count; j++)
            {
                double rr = rates[j], f = values[j];
                if (f == 0) { best = rr; found = true; break; }
                if (Math.Sign(f) != Math.Sign(prevF)) { best = Solve(flows, prevR, rr, prevF, f, (prevR + rr) / 2); found = true; break; }
                prevR = rr;
                prevF = f;
            }
        }
        // Downward from 0, only as far as the upward root (a nearer one wins).
        var limit = double.IsNaN(best) ? MinRate : Math.Max(MinRate, -best);
        prevR = 0;
        prevF = f0;
        r = -GridStep;
        while (r >= limit - 1e-12)
        {
            var count = 0;
            for (; count < ScanBatch && r >= limit - 1e-12; count++, r -= GridStep) rates[count] = Math.Max(r, MinRate);
            NpvBatch(rates[..count], flows, values);
            for (var j = 0; j < count; j++)
            {
                double rr = rates[j], f = values[j];
                if (f == 0) return double.IsNaN(best) || -rr <= best ? rr : best;
                if (Math.Sign(f) != Math.Sign(prevF))
                {
                    var root = Solve(flows, rr, prevR, f, prevF, (rr + prevR) / 2);
                    return double.IsNaN(best) || Math.Abs(root) <= Math.Abs(best) ? root : best;
                }
                prevR = rr;
                prevF = f;
            }
        }
        return best;
    }

    private const int ScanBatch = 8;

    /// <summary>
    /// values[j] = Npv(rates[j], flows) (end-of-year timing) for up to <see cref="ScanBatch"/> rates in (-1, ∞), four lanes at a time, with
    /// the same operations per lane as <see cref="Npv"/>.
    /// </summary>
    private static void NpvBatch(ReadOnlySpan<double> rates, ReadOnlySpan<double> flows, Span<double> values)
    {
        Span<double> padded = stackalloc double[ScanBatch];
        padded.Fill(rates[^1]);
        rates.CopyTo(padded);
        var x0 = Vector256<double>.One / (Vector256<double>.One + Vector256.Create((ReadOnlySpan<double>)padded));
        var x1 = Vector256<double>.One / (Vector256<double>.One + Vector256.Create((ReadOnlySpan<double>)padded[4..]));
        // Trailing zero flows leave the accumulator at +0 exactly: start after them, as Npv does for finite x.
        var end = Rows.LastNonZero(flows) + 1;
        Vector256<double> a0 = default, a1 = default;
        for (var t = end - 1; t >= 0; t--)
        {
            var f = Vector256.Create(flows[t]);
            a0 = a0 * x0 + f;
            a1 = a1 * x1 + f;
        }
        (a0 * x0).CopyTo(values);
        (a1 * x1).CopyTo(values[4..]);
    }

    /// <summary>
    /// A first guess for conventional flows: the rate at which the money out, compounded over the gap
    /// between the amount-weighted mean years of money out and money in, equals the money in.
    /// (Irr.Batch.cs repeats this, and ApproximatePower and HalleyStep, lane by lane: keep them in step.)
    /// </summary>
    internal static double DurationGuess(double pos, double neg, double tPos, double tNeg)
    {
        // pos, neg: the money in and out; tPos, tNeg: their sums weighted by year.
        var gap = tPos / pos - tNeg / neg;
        if (!(Math.Abs(gap) > 1e-9)) return 0;
        // (pos / neg)^(1 / gap) - 1. It is only where Halley's iteration starts, so a power good to about 1e-5
        // (a few multiplications) serves as well as Math.Exp and Math.Log, which cost more than a Halley step.
        var guess = ApproximatePower(pos / neg, 1 / gap) - 1;
        return double.IsFinite(guess) ? guess : 0;
    }

    /// <summary>
    /// x^y for x &gt; 0 within about 1e-5 relative (NaN or infinity where it would overflow): log2 from the exponent
    /// bits and an odd series in (m - 1) / (m + 1), 2^f from a Taylor polynomial and exponent bits. Pure arithmetic,
    /// so the same on every machine and thread. Outside the normal range it falls back to Math.Pow.
    /// </summary>
    internal static double ApproximatePower(double x, double y)
    {
        if (!(x >= 2.2250738585072014E-308 && x <= double.MaxValue)) return Math.Pow(x, y);
        var bits = BitConverter.DoubleToInt64Bits(x);
        var exponent = (int)(bits >> 52) - 1023;
        var m = BitConverter.Int64BitsToDouble((bits & 0x000F_FFFF_FFFF_FFFFL) | 0x3FF0_0000_0000_0000L); // [1, 2)
        if (m > 1.4142135623730951)
        {
            m *= 0.5; // into [1/√2, √2), where the series below converges fastest
            exponent++;
        }
        // log2(m) = (2 / ln 2) (t + t³/3 + t⁵/5 + t⁷/7 + ...), t = (m - 1) / (m + 1), |t| < 0.172: the next term is below 5e-8.
        var t = (m - 1) / (m + 1);
        var t2 = t * t;
        var log2 = exponent + (2.8853900817779268 * t * (1 + (t2 * ((1.0 / 3) + (t2 * (0.2 + (t2 / 7)))))));
        var power = log2 * y;
        if (!(Math.Abs(power) < 1000)) return power > 0 ? double.PositiveInfinity : power < 0 ? 0 : double.NaN;
        // 2^power = 2^n 2^f, f in [0, 1): e^(f ln 2) by its Taylor series to z⁷/7! (error below 2e-6 for z < ln 2).
        var n = Math.Floor(power);
        var z = (power - n) * 0.69314718055994531;
        var p = 1 + (z * (1 + (z * (0.5 + (z * ((1.0 / 6) + (z * ((1.0 / 24) + (z * ((1.0 / 120) + (z * ((1.0 / 720) + (z / 5040)))))))))))));
        return p * Math.ScaleB(1.0, (int)n);
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
        return principal * rate / (1 - (1 / IntegerPower(1 + rate, periods)));
    }

    /// <summary>
    /// x^n for n &gt;= 0 by repeated squaring (about log2 n rounding errors, so within a few ulps: Math.Pow
    /// costs several times as much and a payment needs no more).
    /// </summary>
    public static double IntegerPower(double x, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var result = 1.0;
        while (n > 0)
        {
            if ((n & 1) != 0) result *= x;
            x *= x;
            n >>= 1;
        }
        return result;
    }
}
