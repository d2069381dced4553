using MathNet.Numerics;

namespace DistrictSim.Sampling;

/// <summary>
/// The inverse CDF of a standard Beta(a, b) on [0, 1], tabulated once so that a draw costs tens of
/// nanoseconds instead of MathNet's ~1.5 microseconds.
/// </summary>
/// <remarks>
/// <para>
/// The output axis is put on the logit scale, g = ln(x / (1 - x)). A quantile table (<see cref="ForQuantile"/>)
/// has the input on the logit scale too, t = ln(u / (1 - u)): in the tails x behaves like c u^(1/a)
/// (or 1 - c (1 - u)^(1/b)), so g is asymptotically LINEAR in t and very smooth everywhere, which suits a cubic
/// Hermite interpolant on a uniform grid in t. The table holds <see cref="Nodes"/> nodes on t in [-T, T] with
/// T = logit(1 - 1e-9), each with the exact value g and the exact slope dg/dt = u (1 - u) B(a, b) / (x^a (1 - x)^b).
/// Outside the table (probability 2e-9) the quantile is solved exactly by safeguarded Newton iteration on the
/// regularized incomplete beta.
/// </para>
/// <para>
/// A normal-score table (<see cref="ForNormalScores"/>, for a Gaussian copula member) takes a standard normal z and
/// gives F^-1(Phi(z)) with no Phi and no logarithm: g as a function of z on [-Z, Z], Z = 6 (Phi(-6) = 1e-9), where
/// t = logit(Phi(z)) ~ -z^2 / 2 makes g asymptotically QUADRATIC in z, as smooth; the slope is
/// dg/dz = phi(z) B(a, b) / (x^a (1 - x)^b). Beyond |z| = 6 it falls back to the quantile table's tail solution.
/// </para>
/// <para>Memory: 2 x <see cref="Nodes"/> doubles (32 KiB) per table.</para>
/// </remarks>
internal sealed class BetaQuantileTable
{
    internal const int Nodes = 2049;
    private const double TailProbability = 1e-9;
    private static readonly double Edge = Math.Log((1 - TailProbability) / TailProbability);
    internal const double ScoreEdge = 6;

    private readonly double _a;
    private readonly double _b;
    private readonly double _lnBeta;
    private readonly double _edge;
    private readonly double _inverseH;
    private readonly double[] _nodes; // per node i: [2i] = g, [2i + 1] = h dg/ds (interleaved: one lookup reads 32 contiguous bytes)

    /// <summary>The quantile table (input u, on the logit scale): see <see cref="Quantile"/>.</summary>
    public static BetaQuantileTable ForQuantile(double a, double b) => new(a, b, scores: false);

    /// <summary>The normal-score table (input z): see <see cref="FromStandardNormal"/>.</summary>
    public static BetaQuantileTable ForNormalScores(double a, double b) => new(a, b, scores: true);

    private BetaQuantileTable(double a, double b, bool scores)
    {
        _a = a;
        _b = b;
        _lnBeta = SpecialFunctions.BetaLn(a, b);
        _edge = scores ? ScoreEdge : Edge;
        var h = 2 * _edge / (Nodes - 1);
        _inverseH = 1 / h;
        _nodes = new double[2 * Nodes];
        double previousX = double.NaN, previousY = double.NaN;
        for (var i = 0; i < Nodes; i++)
        {
            var s = -_edge + i * h;
            // u and 1 - u, each computed without cancellation.
            double u, v;
            if (scores)
            {
                u = SlotDistribution.StandardNormalCdf(s, out v);
            }
            else if (s < 0)
            {
                var e = Math.Exp(s);
                u = e / (1 + e);
                v = 1 / (1 + e);
            }
            else
            {
                var e = Math.Exp(-s);
                u = 1 / (1 + e);
                v = e / (1 + e);
            }
            var (x, y) = Solve(u, v, previousX, previousY);
            previousX = x;
            previousY = y;
            var lnX = Math.Log(x);
            var lnY = Math.Log(y);
            _nodes[2 * i] = lnX - lnY;
            // dg/du = B(a, b) / (x^a y^b); times du/dt = u v, or du/dz = phi(z).
            var lnDuDs = scores ? -0.5 * s * s - 0.5 * Math.Log(2 * Math.PI) : Math.Log(u) + Math.Log(v);
            var slope = Math.Exp(lnDuDs + _lnBeta - a * lnX - b * lnY);
            _nodes[2 * i + 1] = slope * h;
        }
    }

    /// <summary>The quantile on [0, 1] at u in (0, 1) (a table made by <see cref="ForQuantile"/>).</summary>
    public double Quantile(double u)
    {
        var t = Math.Log(u / (1 - u));
        if (!(t >= -Edge && t <= Edge)) return SolveTail(u);
        return Interpolate(t);
    }

    /// <summary>
    /// F^-1(Phi(z)) on [0, 1] (a table made by <see cref="ForNormalScores"/>); beyond |z| = 6 the exact tail solution
    /// at Phi(z), or at 1 - Q(z) solved from the upper tail.
    /// </summary>
    public double FromStandardNormal(double z)
    {
        if (z >= -ScoreEdge && z <= ScoreEdge) return Interpolate(z);
        var u = SlotDistribution.StandardNormalCdf(z, out var v);
        if (double.IsNaN(u)) return double.NaN;
        var (x, _) = Solve(Math.Max(u, double.Epsilon), Math.Max(v, double.Epsilon), double.NaN, double.NaN);
        return x;
    }

    /// <summary>The Hermite interpolant of g at s in [-edge, edge], mapped back to x = 1 / (1 + exp(-g)).</summary>
    private double Interpolate(double s)
    {
        var position = (s + _edge) * _inverseH;
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
