using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MathNet.Numerics;

namespace DistrictSim.Sampling;

/// <summary>
/// The inverse CDF of a standard Beta(a, b) on [0, 1], tabulated once so that a draw costs tens of
/// nanoseconds instead of MathNet's ~1.5 microseconds.
/// </summary>
/// <remarks>
/// <para>
/// The table is indexed by the normal score z = Phi^-1(u) and holds the logit of the quantile,
/// g = ln(x / (1 - x)), as a function of z on [-Z, Z] with Z = 6 (Phi(-6) = 1e-9). In the tails x behaves like
/// c u^(1/a) (or 1 - c (1 - u)^(1/b)) and ln u ~ -z^2 / 2, so g is asymptotically QUADRATIC in z and very smooth
/// everywhere, which suits a cubic Hermite interpolant on a uniform grid: <see cref="Nodes"/> nodes, each with the
/// exact value g and the exact slope dg/dz = phi(z) B(a, b) / (x^a (1 - x)^b). A quantile costs a normal quantile
/// (<see cref="SlotDistribution.StandardNormalQuantile"/>), the interpolation and one exp; a Gaussian copula member
/// starts from its z and skips the normal quantile. Outside the table (probability 2e-9) the quantile is solved
/// exactly by safeguarded Newton iteration on the regularized incomplete beta.
/// </para>
/// <para>
/// The table used to be indexed by logit(u) instead; indexing by z is 25 to 50 times more accurate with the same
/// nodes (the logit table exceeded its stated 1e-10 for U-shaped Betas with both shapes at or below 0.2, up to
/// 9.9e-10 at Beta(0.1, 0.1)), and the copula needs no second table.
/// </para>
/// <para>Memory: 2 x <see cref="Nodes"/> doubles (32 KiB) per table.</para>
/// </remarks>
internal sealed class BetaQuantileTable
{
    internal const int Nodes = 2049;
    internal const double Edge = 6;

    private readonly double _a;
    private readonly double _b;
    private readonly double _lnBeta;
    private readonly double _inverseH;
    private readonly double[] _nodes; // per node i: [2i] = g, [2i + 1] = h dg/dz (interleaved: one lookup reads 32 contiguous bytes)

    public BetaQuantileTable(double a, double b)
    {
        _a = a;
        _b = b;
        _lnBeta = SpecialFunctions.BetaLn(a, b);
        var h = 2 * Edge / (Nodes - 1);
        _inverseH = 1 / h;
        _nodes = new double[2 * Nodes];
        double previousX = double.NaN, previousY = double.NaN;
        for (var i = 0; i < Nodes; i++)
        {
            var z = -Edge + i * h;
            // u and 1 - u, each with small relative error.
            var u = SlotDistribution.StandardNormalCdf(z, out var v);
            var (x, y) = Solve(u, v, previousX, previousY);
            previousX = x;
            previousY = y;
            var lnX = Math.Log(x);
            var lnY = Math.Log(y);
            _nodes[2 * i] = lnX - lnY;
            // dg/dz = dg/dx dx/du du/dz = 1 / (x y) x (B(a, b) / (x^(a-1) y^(b-1))) x phi(z).
            var slope = Math.Exp(-0.5 * z * z - 0.5 * Math.Log(2 * Math.PI) + _lnBeta - a * lnX - b * lnY);
            _nodes[2 * i + 1] = slope * h;
        }
    }

    /// <summary>The quantile on [0, 1] at u in (0, 1).</summary>
    public double Quantile(double u) => QuantileAtScore(SlotDistribution.StandardNormalQuantile(u), u);

    /// <summary><see cref="Quantile"/>(u) given z = Phi^-1(u) already.</summary>
    public double QuantileAtScore(double z, double u) => z >= -Edge && z <= Edge ? Interpolate(z) : SolveTail(u);

    /// <summary>F^-1(Phi(z)) on [0, 1]; beyond |z| = 6 the exact tail solution at Phi(z), or at 1 - Q(z) from the upper tail.</summary>
    public double FromStandardNormal(double z)
    {
        if (z >= -Edge && z <= Edge) return Interpolate(z);
        var u = SlotDistribution.StandardNormalCdf(z, out var v);
        if (double.IsNaN(u)) return double.NaN;
        var (x, _) = Solve(Math.Max(u, double.Epsilon), Math.Max(v, double.Epsilon), double.NaN, double.NaN);
        return x;
    }

    /// <summary>The Hermite interpolant of g at s = z in [-6, 6], mapped back to x = 1 / (1 + exp(-g)).</summary>
    private double Interpolate(double s)
    {
        var position = (s + Edge) * _inverseH;
        var i = (int)position;
        if (i > Nodes - 2) i = Nodes - 2;
        var f = position - i;
        var nodes = _nodes.AsSpan(2 * i, 4);
        double g0 = nodes[0], m0 = nodes[1], g1 = nodes[2], m1 = nodes[3];
        // The cubic with values g0, g1 and slopes m0, m1 (per unit f) at f = 0, 1, in powers of f.
        var d = g1 - g0;
        var c2 = 3 * d - 2 * m0 - m1;
        var c3 = m0 + m1 - 2 * d;
        var g = Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(c3, f, c2), f, m0), f, g0);
        return 1 / (1 + Math.Exp(-g));
    }

    /// <summary>x[i] = <see cref="QuantileAtScore"/>(z[i], u[i]) for every i of z, bit for bit.</summary>
    public void QuantilesAtScores(ReadOnlySpan<double> z, ReadOnlySpan<double> u, Span<double> x)
    {
        var i = 0;
        if (Avx.IsSupported && Fma.IsSupported)
        {
            for (; i + 4 <= z.Length; i += 4)
            {
                var inside = Interpolate4(Vector256.Create(z.Slice(i, 4)), x.Slice(i, 4));
                if (inside != Vector256<double>.AllBitsSet)
                {
                    for (var lane = 0; lane < 4; lane++) if (inside.AsUInt64().GetElement(lane) == 0) x[i + lane] = SolveTail(u[i + lane]);
                }
            }
        }
        for (; i < z.Length; i++) x[i] = QuantileAtScore(z[i], u[i]);
    }

    /// <summary>x[i] = <see cref="FromStandardNormal"/>(z[i]) for every i of z, bit for bit (x may be z itself).</summary>
    public void FromStandardNormals(ReadOnlySpan<double> z, Span<double> x)
    {
        var i = 0;
        if (Avx.IsSupported && Fma.IsSupported)
        {
            for (; i + 4 <= z.Length; i += 4)
            {
                var s = Vector256.Create(z.Slice(i, 4)); // read before x overwrites it in place
                var inside = Interpolate4(s, x.Slice(i, 4));
                if (inside != Vector256<double>.AllBitsSet)
                {
                    for (var lane = 0; lane < 4; lane++) if (inside.AsUInt64().GetElement(lane) == 0) x[i + lane] = FromStandardNormal(s.GetElement(lane));
                }
            }
        }
        for (; i < z.Length; i++) x[i] = FromStandardNormal(z[i]);
    }

    /// <summary>
    /// <see cref="Interpolate"/> of four lanes into x, with the same operations in the same order (the fused
    /// multiply-adds included) and the exps lane by lane; returns the mask of lanes inside [-6, 6]. A lane outside
    /// (or NaN) reads node 0 and gets a meaningless value for the caller to replace.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector256<double> Interpolate4(Vector256<double> s, Span<double> x)
    {
        var inside = Vector256.GreaterThanOrEqual(s, Vector256.Create(-Edge)) & Vector256.LessThanOrEqual(s, Vector256.Create(Edge));
        var position = (s + Vector256.Create(Edge)) * Vector256.Create(_inverseH);
        // (int)position truncates; inside the table position >= 0, so it is the floor.
        var index = Vector256.Min(Vector256.Floor(Vector256.ConditionalSelect(inside, position, Vector256<double>.Zero)), Vector256.Create(Nodes - 2.0));
        var f = position - index;
        // Each lane's four node words (g0, m0, g1, m1) are contiguous: four loads, then a 4 x 4 transpose.
        var nodes = _nodes.AsSpan();
        var r0 = Vector256.Create(nodes.Slice(2 * (int)index.GetElement(0), 4));
        var r1 = Vector256.Create(nodes.Slice(2 * (int)index.GetElement(1), 4));
        var r2 = Vector256.Create(nodes.Slice(2 * (int)index.GetElement(2), 4));
        var r3 = Vector256.Create(nodes.Slice(2 * (int)index.GetElement(3), 4));
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var g0 = Avx.Permute2x128(t0, t2, 0x20);
        var g1 = Avx.Permute2x128(t0, t2, 0x31);
        var m0 = Avx.Permute2x128(t1, t3, 0x20);
        var m1 = Avx.Permute2x128(t1, t3, 0x31);
        var d = g1 - g0;
        var c2 = Vector256.Create(3.0) * d - Vector256.Create(2.0) * m0 - m1;
        var c3 = m0 + m1 - Vector256.Create(2.0) * d;
        var g = Fma.MultiplyAdd(Fma.MultiplyAdd(Fma.MultiplyAdd(c3, f, c2), f, m0), f, g0);
        var e = Vector256.Create(Math.Exp(-g.GetElement(0)), Math.Exp(-g.GetElement(1)), Math.Exp(-g.GetElement(2)), Math.Exp(-g.GetElement(3)));
        (Vector256<double>.One / (Vector256<double>.One + e)).CopyTo(x);
        return inside;
    }

    private double SolveTail(double u)
    {
        var (x, _) = Solve(u, 1 - u, double.NaN, double.NaN);
        return x;
    }

    /// <summary>x with I_x(a, b) = u, and y = 1 - x, each accurate in the tail where it is small (v = 1 - u).</summary>
    private (double X, double Y) Solve(double u, double v, double startX, double startY)
    {
        if (u <= 0.5)
        {
            var x = SolveLower(_a, _b, _lnBeta, u, startX);
            return (x, 1 - x);
        }
        var y = SolveLower(_b, _a, _lnBeta, v, startY);
        return (1 - y, y);
    }

    /// <summary>
    /// The x with I_x(a, b) = p, by Newton's method safeguarded by a bisection bracket; the start is the
    /// lower-tail asymptote x = (p a B(a, b))^(1/a). Allocation-free; about 1-3 microseconds.
    /// </summary>
    internal static double SolveLower(double a, double b, double lnBeta, double p, double start = double.NaN)
    {
        double lo = 0, hi = 1;
        var x = start > 0 && start < 1 ? start : Math.Exp((Math.Log(p) + Math.Log(a) + lnBeta) / a);
        if (!(x > 0 && x < 1)) x = 0.5;
        for (var iteration = 0; iteration < 200; iteration++)
        {
            var f = SpecialFunctions.BetaRegularized(a, b, x) - p;
            if (f == 0) return x;
            if (f < 0) lo = x;
            else hi = x;
            var lnPdf = (a - 1) * Math.Log(x) + (b - 1) * Math.Log(1 - x) - lnBeta;
            var next = x - f / Math.Exp(lnPdf);
            if (!(next > lo && next < hi))
            {
                // Bisect, geometrically when the bracket spans orders of magnitude near zero.
                next = lo > 0 && hi / lo > 4 ? Math.Sqrt(lo * hi) : lo == 0 ? hi / 16 : (lo + hi) / 2;
            }
            if (Math.Abs(next - x) <= 2e-16 * x || hi - lo <= 2e-16 * hi) return next;
            x = next;
        }
        return x;
    }
}
