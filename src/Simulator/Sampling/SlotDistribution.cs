using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DistrictSim.Model;
using MathNet.Numerics;

namespace DistrictSim.Sampling;

/// <summary>
/// A scalar distribution compiled once for fast inversion: <see cref="Quantile"/> maps a uniform to a
/// value without allocation or virtual calls. Processes are not handled here: the engine decomposes a
/// process into per-year scalar slots.
/// </summary>
/// <remarks>
/// Methods by kind: closed forms for Uniform, Triangular, YearlyEvent (geometric: k = floor(ln(1 - u) / ln(1 - p)) + 1),
/// Discrete (cumulative weights, binary search); Normal, LogNormal and TruncatedNormal through the inverse
/// normal (<see cref="StandardNormalQuantile"/>, Wichura's AS 241, relative error below 1e-15); Beta and PERT
/// through a table of the inverse CDF (see <see cref="BetaTableMaxError"/>).
/// </remarks>
public sealed class SlotDistribution
{
    /// <summary>
    /// The largest absolute error of a Beta or PERT quantile, in units of its range (max - min), for u in (0, 1), and of
    /// its <see cref="FromStandardNormal"/>: the cubic Hermite table of the quantile's logit indexed by the normal score
    /// z = Phi^-1(u) (2,049 nodes on [-6, 6]; see <c>BetaQuantileTable</c>) against the exact inverse. The largest error
    /// measured against a Newton-refined inverse was 2.8e-13 over shapes 0.5 to 30 and 4.2e-11 over the accepted shapes
    /// 0.1 to 1e4 (worst at Beta(0.1, 0.1)), so the bound has a margin of 2.4 at the extreme shapes and about 350 at
    /// ordinary ones. Tested against MathNet's <c>Beta.InvCDF</c> over shapes from 0.5 to 30, in u and in z, in
    /// <c>SlotDistributionTests</c>.
    /// </summary>
    public const double BetaTableMaxError = 1e-10;

    /// <summary>Smallest Beta shape the sampler takes: below it nearly all mass sits at 0 and 1 and the quantile underflows.</summary>
    public const double MinBetaShape = 0.1;

    /// <summary>Largest Beta shape the sampler takes.</summary>
    public const double MaxBetaShape = 1e4;

    private enum Kind
    {
        Constant,
        Uniform,
        Triangular,
        Normal,
        TruncatedNormal,
        LogNormal,
        Beta,
        Discrete,
        YearlyEvent,
    }

    private readonly Kind _kind;
    // Parameters, by kind:
    // Uniform: _p0 = min, _p1 = width.
    // Triangular: _p0 = min, _p1 = mode, _p2 = max, _p3 = F(mode).
    // Normal, LogNormal: _p0 = mu, _p1 = sd (sigma).
    // TruncatedNormal: _p0 = location, _p1 = sd, _p2/_p3 = Phi(a)/Phi(b), or upper-tail Q(a)/Q(b) when _upper.
    // Beta: _p0 = min, _p1 = width, _p2 = alpha, _p3 = beta.
    // YearlyEvent: _p0 = 1 / ln(1 - p).
    private readonly double _p0;
    private readonly double _p1;
    private readonly double _p2;
    private readonly double _p3;
    private readonly bool _upper;
    private readonly double _min;
    private readonly double _max;
    private readonly BetaQuantileTable? _beta;
    private readonly double _lowerScale; // Triangular: (max - min)(mode - min)
    private readonly double _upperScale; // Triangular: (max - min)(max - mode)
    private readonly double[] _values = [];
    private readonly double[] _cumulative = [];

    private SlotDistribution(Distribution source, Kind kind, double p0 = 0, double p1 = 0, double p2 = 0, double p3 = 0)
    {
        Source = source;
        _kind = kind;
        _p0 = p0;
        _p1 = p1;
        _p2 = p2;
        _p3 = p3;
        _min = double.NegativeInfinity;
        _max = double.PositiveInfinity;
        Mean = source.Mean;
        if (kind == Kind.Triangular)
        {
            _lowerScale = (p2 - p0) * (p1 - p0);
            _upperScale = (p2 - p0) * (p2 - p1);
        }
    }

    private SlotDistribution(Distribution source, double min, double max, BetaQuantileTable table, double alpha, double beta)
        : this(source, Kind.Beta, min, max - min, alpha, beta)
    {
        _beta = table;
        _min = min;
        _max = max;
    }

    private SlotDistribution(Distribution source, TruncatedNormal t)
        : this(source, Kind.TruncatedNormal, t.Location, t.Sd)
    {
        var a = (t.Min - t.Location) / t.Sd;
        var b = (t.Max - t.Location) / t.Sd;
        _upper = a > 0;
        _p2 = _upper ? StandardNormalCdf(-a) : StandardNormalCdf(a);
        _p3 = _upper ? StandardNormalCdf(-b) : StandardNormalCdf(b);
        _min = t.Min;
        _max = t.Max;
        // The mean from tail probabilities: mu + sd (phi(a) - phi(b)) / Z, with Z = |_p3 - _p2| exact in either tail.
        var phiA = Math.Exp(-a * a / 2) / Constants.Sqrt2Pi;
        var phiB = Math.Exp(-b * b / 2) / Constants.Sqrt2Pi;
        Mean = Math.Clamp(t.Location + t.Sd * (phiA - phiB) / Math.Abs(_p3 - _p2), t.Min, t.Max);
    }

    private SlotDistribution(Distribution source, double[] values, double[] cumulative)
        : this(source, Kind.Discrete)
    {
        _values = values;
        _cumulative = cumulative;
    }

    /// <summary>The distribution this was compiled from.</summary>
    public Distribution Source { get; }

    /// <summary>The mean (the model's <see cref="Distribution.Mean"/>).</summary>
    public double Mean { get; }

    /// <summary>True when every draw is <see cref="Mean"/>.</summary>
    public bool IsDegenerate => _kind == Kind.Constant;

    /// <summary>Compiles a scalar distribution; a process or invalid parameters throw <see cref="ArgumentException"/>.</summary>
    public static SlotDistribution From(Distribution distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        if (distribution.IsProcess)
        {
            throw new ArgumentException($"{distribution} is a process: the engine gives each of its years its own scalar slot", nameof(distribution));
        }
        if (distribution.IsDegenerate) return new SlotDistribution(distribution, Kind.Constant, distribution.Mean);
        switch (distribution)
        {
            case Uniform u:
                Require(u.Min < u.Max, distribution, "min must be below max");
                return new SlotDistribution(distribution, Kind.Uniform, u.Min, u.Max - u.Min);
            case Triangular t:
                Require(t.Min <= t.Mode && t.Mode <= t.Max && t.Min < t.Max, distribution, "min <= mode <= max with min < max");
                return new SlotDistribution(distribution, Kind.Triangular, t.Min, t.Mode, t.Max, (t.Mode - t.Min) / (t.Max - t.Min));
            case Pert p:
                {
                    Require(p.Min <= p.Mode && p.Mode <= p.Max && p.Min < p.Max, distribution, "min <= mode <= max with min < max");
                    var alpha = 1 + 4 * (p.Mode - p.Min) / (p.Max - p.Min);
                    var beta = 1 + 4 * (p.Max - p.Mode) / (p.Max - p.Min);
                    return new SlotDistribution(distribution, p.Min, p.Max, new BetaQuantileTable(alpha, beta), alpha, beta);
                }
            case Model.Beta b:
                Require(b.Alpha >= MinBetaShape && b.BetaShape >= MinBetaShape && b.Alpha <= MaxBetaShape && b.BetaShape <= MaxBetaShape, distribution,
                    $"shapes must lie in [{MinBetaShape}, {MaxBetaShape:G}], where the tabulated inverse holds its stated error");
                Require(b.Min < b.Max, distribution, "min must be below max");
                return new SlotDistribution(distribution, b.Min, b.Max, new BetaQuantileTable(b.Alpha, b.BetaShape), b.Alpha, b.BetaShape);
            case Model.Normal n:
                Require(n.Sd > 0 && double.IsFinite(n.Sd), distribution, "sd must be positive");
                return new SlotDistribution(distribution, Kind.Normal, n.Mu, n.Sd);
            case TruncatedNormal t:
                Require(t.Sd > 0 && t.Min < t.Max, distribution, "sd must be positive and min below max");
                Require(TruncatedMass(t) > 0, distribution, "[min, max] lies too far in the tail (probability underflows)");
                return new SlotDistribution(distribution, t);
            case Model.LogNormal l:
                Require(l.Sigma > 0 && double.IsFinite(l.Sigma), distribution, "sigma must be positive");
                return new SlotDistribution(distribution, Kind.LogNormal, l.Mu, l.Sigma);
            case Discrete d:
                return CompileDiscrete(d);
            case YearlyEvent y:
                Require(y.Probability > 0 && y.Probability < 1, distribution, "probability must lie in (0, 1)");
                return new SlotDistribution(distribution, Kind.YearlyEvent, 1 / Math.Log(1 - y.Probability));
            default:
                throw new ArgumentException($"no sampler for {distribution.GetType().Name}", nameof(distribution));
        }
    }

    /// <summary>The inverse CDF at u in (0, 1): the smallest x with F(x) >= u.</summary>
    public double Quantile(double u)
    {
        switch (_kind)
        {
            case Kind.Constant:
                return _p0;
            case Kind.Uniform:
                return _p0 + _p1 * u;
            case Kind.Triangular:
                return u < _p3 ? _p0 + Math.Sqrt(u * _lowerScale) : _p2 - Math.Sqrt((1 - u) * _upperScale);
            case Kind.Normal:
                return _p0 + _p1 * StandardNormalQuantile(u);
            case Kind.LogNormal:
                return Math.Exp(_p0 + _p1 * StandardNormalQuantile(u));
            case Kind.TruncatedNormal:
                {
                    var x = _upper
                        ? _p0 - _p1 * StandardNormalQuantile(_p2 - u * (_p2 - _p3))
                        : _p0 + _p1 * StandardNormalQuantile(_p2 + u * (_p3 - _p2));
                    return Math.Clamp(x, _min, _max);
                }
            case Kind.Beta:
                return _p0 + _p1 * _beta!.Quantile(u);
            case Kind.Discrete:
                return _values[FirstAbove(_cumulative, u)];
            case Kind.YearlyEvent:
                return Math.Floor(Math.Log(1 - u) * _p0) + 1;
            default:
                throw new InvalidOperationException($"unknown kind {_kind}");
        }
    }

    /// <summary>The value whose quantile level is Phi(z): the marginal transform of a Gaussian copula.</summary>
    /// <remarks>
    /// Normal and LogNormal map z directly; a Beta or PERT reads its table at z (indexed by the normal score, no Phi);
    /// a Triangular takes the upper branch from Q(z) = 1 - Phi(z), computed without cancellation.
    /// </remarks>
    public double FromStandardNormal(double z)
    {
        switch (_kind)
        {
            case Kind.Constant:
                return _p0;
            case Kind.Normal:
                return _p0 + _p1 * z;
            case Kind.LogNormal:
                return Math.Exp(_p0 + _p1 * z);
            case Kind.Beta:
                return _p0 + _p1 * _beta!.FromStandardNormal(z);
            case Kind.Triangular:
                {
                    var u = StandardNormalCdf(z, out var v);
                    return u < _p3 ? _p0 + Math.Sqrt(u * _lowerScale) : _p2 - Math.Sqrt(v * _upperScale);
                }
            default:
                return Quantile(ClampOpen(StandardNormalCdf(z)));
        }
    }

    /// <summary>The cumulative distribution function F(x) = P(X &lt;= x).</summary>
    public double Cdf(double x)
    {
        switch (_kind)
        {
            case Kind.Constant:
                return x < _p0 ? 0 : 1;
            case Kind.Uniform:
                return Math.Clamp((x - _p0) / _p1, 0, 1);
            case Kind.Triangular:
                if (x <= _p0) return 0;
                if (x >= _p2) return 1;
                return x <= _p1
                    ? (x - _p0) * (x - _p0) / _lowerScale
                    : 1 - (_p2 - x) * (_p2 - x) / _upperScale;
            case Kind.Normal:
                return StandardNormalCdf((x - _p0) / _p1);
            case Kind.LogNormal:
                return x <= 0 ? 0 : StandardNormalCdf((Math.Log(x) - _p0) / _p1);
            case Kind.TruncatedNormal:
                if (x <= _min) return 0;
                if (x >= _max) return 1;
                return _upper
                    ? (_p2 - StandardNormalCdf(-(x - _p0) / _p1)) / (_p2 - _p3)
                    : (StandardNormalCdf((x - _p0) / _p1) - _p2) / (_p3 - _p2);
            case Kind.Beta:
                if (x <= _min) return 0;
                if (x >= _max) return 1;
                return SpecialFunctions.BetaRegularized(_p2, _p3, (x - _p0) / _p1);
            case Kind.Discrete:
                {
                    var index = Array.BinarySearch(_values, x);
                    var last = index >= 0 ? index : ~index - 1;
                    return last < 0 ? 0 : _cumulative[last];
                }
            case Kind.YearlyEvent:
                return x < 1 ? 0 : 1 - Math.Exp(Math.Floor(x) / _p0);
            default:
                throw new InvalidOperationException($"unknown kind {_kind}");
        }
    }

    private static double TruncatedMass(TruncatedNormal t)
    {
        var a = (t.Min - t.Location) / t.Sd;
        var b = (t.Max - t.Location) / t.Sd;
        return a > 0 ? StandardNormalCdf(-a) - StandardNormalCdf(-b) : StandardNormalCdf(b) - StandardNormalCdf(a);
    }

    /// <summary>
    /// Phi(z), the standard normal CDF, accurate in both tails (the lower tail directly, the upper as 1 - Q(z)):
    /// see <see cref="StandardNormalCdf(double, out double)"/>.
    /// </summary>
    public static double StandardNormalCdf(double z) => StandardNormalCdf(z, out _);

    /// <summary>
    /// Phi(z) and its complement Q(z) = 1 - Phi(z), each with small RELATIVE error (the smaller one is not computed as
    /// 1 minus the other): W. J. Cody's rational Chebyshev approximations ("Rational Chebyshev approximation for the
    /// error function", Math. Comp. 1969; the ANORM routine, as in R's pnorm), with exp(-z^2 / 2) evaluated from the
    /// exact square z^2 = hi + lo (a fused multiply-add gives lo) as exp(-hi / 2) (1 - lo / 2).
    /// Error: at most <see cref="NormalCdfMaxRelativeError"/> relative for z in [-37, 37] (7.5e-16 measured against
    /// 40-digit arithmetic); <c>NormalFunctionTests</c> checks it against MathNet's <c>Erfc</c> on a dense grid, allowing
    /// MathNet's own error, which grows like z^2 eps in the tails (it rounds z / sqrt 2 and its square).
    /// Below z = -37.5 the result is subnormal (or 0 below -38.5) and loses relative precision.
    /// Cost: one exp outside |z| &lt;= 0.663, about a third of MathNet's <c>Erfc</c>.
    /// </summary>
    public static double StandardNormalCdf(double z, out double complement)
    {
        var y = Math.Abs(z);
        double tail; // Q(|z|)
        if (y <= 0.66291)
        {
            // Phi(z) = 1/2 + z R(z^2).
            var s = z * z;
            var num = Horner(s, 0.065682337918207449113, 2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249);
            var den = Horner(s, 1, 47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956);
            var t = z * num / den;
            complement = 0.5 - t;
            return 0.5 + t;
        }
        if (y <= 5.656854249492380195) // sqrt(32)
        {
            var num = Horner(y, 1.0765576773720192317e-8, 0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979,
                597.27027639480026226, 2494.5375852903726711, 6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218);
            var den = Horner(y, 1, 22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755,
                18615.571640885098091, 34900.952721145977266, 38912.003286093271411, 19685.429676859990727);
            tail = HalfGaussian(y) * (num / den);
        }
        else if (y < 40)
        {
            var s = 1 / (z * z);
            var num = Horner(s, 0.02307344176494017303, 0.21589853405795699, 0.1274011611602473639, 0.022235277870649807,
                0.001421619193227893466, 2.9112874951168792e-5);
            var den = Horner(s, 1, 1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244,
                7.29751555083966205e-5);
            tail = HalfGaussian(y) * ((InverseSqrt2Pi - s * num / den) / y);
        }
        else
        {
            tail = double.IsNaN(z) ? double.NaN : 0; // Q(40) ~ 4e-351 underflows
        }
        if (z > 0)
        {
            complement = tail;
            return 1 - tail;
        }
        complement = 1 - tail;
        return tail;
    }

    /// <summary>c0 x^n + c1 x^(n-1) + ... + cn by Horner's rule in fused multiply-adds (one rounding a step).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Horner(double x, double c0, double c1, double c2, double c3, double c4) =>
        Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(c0, x, c1), x, c2), x, c3), x, c4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Horner(double x, double c0, double c1, double c2, double c3, double c4, double c5) =>
        Math.FusedMultiplyAdd(Horner(x, c0, c1, c2, c3, c4), x, c5);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Horner(double x, double c0, double c1, double c2, double c3, double c4, double c5, double c6, double c7) =>
        Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(Horner(x, c0, c1, c2, c3, c4, c5), x, c6), x, c7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Horner(double x, double c0, double c1, double c2, double c3, double c4, double c5, double c6, double c7, double c8) =>
        Math.FusedMultiplyAdd(Horner(x, c0, c1, c2, c3, c4, c5, c6, c7), x, c8);

    /// <summary>The stated relative error bound of <see cref="StandardNormalCdf(double, out double)"/> for z in [-37, 37].</summary>
    public const double NormalCdfMaxRelativeError = 1e-15;

    private const double InverseSqrt2Pi = 0.398942280401432677939946059934;

    /// <summary>exp(-y^2 / 2) for 0 &lt;= y &lt; 40, without the rounding error of y^2 in the exponent.</summary>
    private static double HalfGaussian(double y)
    {
        var hi = y * y;
        var lo = Math.FusedMultiplyAdd(y, y, -hi); // y^2 = hi + lo exactly
        return Math.Exp(-0.5 * hi) * (1 - 0.5 * lo);
    }

    /// <summary>
    /// Phi^-1(u), the standard normal quantile, u in (0, 1) (0 gives -infinity, 1 +infinity): M. J. Wichura's algorithm
    /// AS 241 (PPND16, Applied Statistics 37, 1988), rational approximations; one log and one square root outside the
    /// central 85% (0.075 &lt;= u &lt;= 0.925 costs a dozen multiply-adds and a division).
    /// Error: at most <see cref="NormalQuantileMaxRelativeError"/> relative for u in [1e-300, 1) (5.9e-16 measured against
    /// 40-digit arithmetic); <c>NormalFunctionTests</c> checks it against MathNet's <c>ErfcInv</c> on a dense grid of u,
    /// both tails included. Several times faster than MathNet's <c>ErfcInv</c>, which the sampler used before.
    /// </summary>
    public static double StandardNormalQuantile(double u)
    {
        var q = u - 0.5;
        if (Math.Abs(q) <= 0.425)
        {
            var r = 0.180625 - q * q;
            return q * Horner(r, 2509.0809287301226727, 33430.575583588128105, 67265.770927008700853, 45921.953931549871457,
                       13731.693765509461125, 1971.5909503065514427, 133.14166789178437745, 3.387132872796366608)
                     / Horner(r, 5226.495278852854561, 28729.085735721942674, 39307.89580009271061, 21213.794301586595867,
                       5394.1960214247511077, 687.1870074920579083, 42.313330701600911252, 1);
        }
        return NormalQuantileTail(q < 0 ? u : 1 - u, q < 0); // 1 - u is exact for u >= 1/2
    }

    /// <summary>
    /// z[i] = <see cref="StandardNormalQuantile"/>(u[i]) for every i, bit for bit: the central region (|u - 1/2| &lt;= 0.425)
    /// four at a time in vector lanes (the same fused multiply-adds and division, so the same roundings); the tail
    /// lanes (15%) are gathered, up to 64 inputs at a time, and then computed four at a time too (the log lane by lane,
    /// the square root and rational function in vectors), so that neither region branches lane by lane.
    /// </summary>
    public static void StandardNormalQuantiles(ReadOnlySpan<double> u, Span<double> z)
    {
        if (z.Length < u.Length) throw new ArgumentException($"z has {z.Length} entries; {u.Length} values need them", nameof(z));
        if (!Vector256.IsHardwareAccelerated || !Fma.IsSupported)
        {
            for (var j = 0; j < u.Length; j++) z[j] = StandardNormalQuantile(u[j]);
            return;
        }
        if (u.Length < 16)
        {
            // A path's own few scores (Fill): gathering the tails does not pay for its index buffer.
            FewQuantiles(u, z);
            return;
        }
        Span<int> tails = stackalloc int[QuantileChunk];
        for (var start = 0; start < u.Length; start += QuantileChunk)
        {
            var length = Math.Min(QuantileChunk, u.Length - start);
            var chunk = u.Slice(start, length);
            var target = z.Slice(start, length);
            var count = CentralQuantiles(chunk, target, tails);
            TailQuantiles(chunk, target, tails[..count]);
        }
    }

    private const int QuantileChunk = 64;

    /// <summary>The central lanes four at a time, each group's tail lanes at once through the scalar path.</summary>
    private static void FewQuantiles(ReadOnlySpan<double> u, Span<double> z)
    {
        var i = 0;
        for (; i + 4 <= u.Length; i += 4)
        {
            var v = Vector256.Create(u.Slice(i, 4));
            var q = v - Vector256.Create(0.5);
            CentralQuantiles4(q).CopyTo(z.Slice(i, 4));
            // Lanes outside the central region (or NaN) go to the scalar path.
            var central = Vector256.LessThanOrEqual(Vector256.Abs(q), Vector256.Create(0.425));
            if (central != Vector256<double>.AllBitsSet)
            {
                for (var k = 0; k < 4; k++)
                {
                    if (central.AsUInt64().GetElement(k) == 0) z[i + k] = StandardNormalQuantile(u[i + k]);
                }
            }
        }
        for (; i < u.Length; i++) z[i] = StandardNormalQuantile(u[i]);
    }

    /// <summary>The central region's q num(r) / den(r), r = 0.180625 - q^2, as in <see cref="StandardNormalQuantile"/> (q num first, then the division).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> CentralQuantiles4(Vector256<double> q)
    {
        var r = Vector256.Create(0.180625) - q * q;
        var num = HornerV(r, 2509.0809287301226727, 33430.575583588128105, 67265.770927008700853, 45921.953931549871457,
            13731.693765509461125, 1971.5909503065514427, 133.14166789178437745, 3.387132872796366608);
        var den = HornerV(r, 5226.495278852854561, 28729.085735721942674, 39307.89580009271061, 21213.794301586595867,
            5394.1960214247511077, 687.1870074920579083, 42.313330701600911252, 1);
        return q * num / den;
    }

    /// <summary>The central lanes of u into z, four at a time; returns how many lanes it left, their indices in tails.</summary>
    private static int CentralQuantiles(ReadOnlySpan<double> u, Span<double> z, Span<int> tails)
    {
        var count = 0;
        var i = 0;
        for (; i + 4 <= u.Length; i += 4)
        {
            var v = Vector256.Create(u.Slice(i, 4));
            var q = v - Vector256.Create(0.5);
            CentralQuantiles4(q).CopyTo(z.Slice(i, 4));
            // Lanes outside the central region (or NaN) are left for the tail pass.
            var outside = ~Vector256.LessThanOrEqual(Vector256.Abs(q), Vector256.Create(0.425)).ExtractMostSignificantBits() & 0xF;
            while (outside != 0)
            {
                tails[count++] = i + System.Numerics.BitOperations.TrailingZeroCount(outside);
                outside &= outside - 1;
            }
        }
        for (; i < u.Length; i++) z[i] = StandardNormalQuantile(u[i]);
        return count;
    }

    /// <summary>The tail lanes u[tails[k]] into z, four at a time as in <see cref="NormalQuantileTail"/> where r &lt;= 5 (all but 1e-11).</summary>
    private static void TailQuantiles(ReadOnlySpan<double> u, Span<double> z, ReadOnlySpan<int> tails)
    {
        var k = 0;
        for (; k + 4 <= tails.Length; k += 4)
        {
            var v = Vector256.Create(u[tails[k]], u[tails[k + 1]], u[tails[k + 2]], u[tails[k + 3]]);
            var lower = Vector256.LessThan(v - Vector256.Create(0.5), Vector256<double>.Zero);
            var p = Vector256.ConditionalSelect(lower, v, Vector256<double>.One - v); // 1 - u is exact for u >= 1/2
            var logs = Vector256.Create(SafeLog(p.GetElement(0)), SafeLog(p.GetElement(1)), SafeLog(p.GetElement(2)), SafeLog(p.GetElement(3)));
            var r = Vector256.Sqrt(-logs);
            var ok = Vector256.GreaterThan(p, Vector256<double>.Zero) & Vector256.LessThanOrEqual(r, Vector256.Create(5.0));
            r -= Vector256.Create(1.6);
            var value = HornerV(r, 7.7454501427834140764e-4, 0.0227238449892691845833, 0.24178072517745061177, 1.27045825245236838258,
                            3.64784832476320460504, 5.7694972214606914055, 4.6303378461565452959, 1.42343711074968357734)
                        / HornerV(r, 1.05075007164441684324e-9, 5.475938084995344946e-4, 0.0151986665636164571966, 0.14810397642748007459,
                            0.68976733498510000455, 1.6763848301838038494, 2.05319162663775882187, 1);
            var result = Vector256.ConditionalSelect(lower, -value, value);
            for (var lane = 0; lane < 4; lane++)
            {
                // A lane beyond r = 5 (u within 1.4e-11 of 0 or 1), at 0 or 1, or NaN takes the scalar path.
                z[tails[k + lane]] = ok.AsUInt64().GetElement(lane) != 0 ? result.GetElement(lane) : StandardNormalQuantile(u[tails[k + lane]]);
            }
        }
        for (; k < tails.Length; k++) z[tails[k]] = StandardNormalQuantile(u[tails[k]]);
    }

    /// <summary>ln p for the tail lanes; a lane that is not positive (or NaN) gets 0, and the scalar path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double SafeLog(double p) => p > 0 ? Math.Log(p) : 0;

    /// <summary>The lane-wise <see cref="Horner(double, double, double, double, double, double, double, double, double)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> HornerV(Vector256<double> x, double c0, double c1, double c2, double c3, double c4, double c5, double c6, double c7)
    {
        var h = Fma.MultiplyAdd(Vector256.Create(c0), x, Vector256.Create(c1));
        h = Fma.MultiplyAdd(h, x, Vector256.Create(c2));
        h = Fma.MultiplyAdd(h, x, Vector256.Create(c3));
        h = Fma.MultiplyAdd(h, x, Vector256.Create(c4));
        h = Fma.MultiplyAdd(h, x, Vector256.Create(c5));
        h = Fma.MultiplyAdd(h, x, Vector256.Create(c6));
        return Fma.MultiplyAdd(h, x, Vector256.Create(c7));
    }

    /// <summary>True when <see cref="FromNormalScore"/> applies: the quantile is a function of Phi^-1(u) (Normal, LogNormal, Beta, PERT).</summary>
    internal bool IsNormalScored => _kind is Kind.Normal or Kind.LogNormal or Kind.Beta;

    /// <summary>
    /// <see cref="Quantile"/>(u) given also z = Phi^-1(u) (an <see cref="IsNormalScored"/> distribution), bit for bit the
    /// same value without recomputing z.
    /// </summary>
    internal double FromNormalScore(double z, double u) => _kind switch
    {
        Kind.Normal => _p0 + _p1 * z,
        Kind.LogNormal => Math.Exp(_p0 + _p1 * z),
        Kind.Beta => _p0 + _p1 * _beta!.QuantileAtScore(z, u),
        _ => Quantile(u),
    };

    // The batched forms below give, element by element, the bits of their one-value counterparts: the kind is switched on
    // once a batch, and where a vector form exists it keeps the scalar operations and their order (IEEE add, multiply,
    // divide and square root round the same in a lane; no multiply-add is fused that the scalar code does not fuse).
    // Logs and exps stay the scalar calls, lane by lane. x may be the same span as z (in place).

    /// <summary>x[i] = <see cref="Quantile"/>(u[i]) for every i of u, bit for bit.</summary>
    internal void Quantiles(ReadOnlySpan<double> u, Span<double> x)
    {
        x = x[..u.Length];
        switch (_kind)
        {
            case Kind.Constant:
                x.Fill(_p0);
                return;
            case Kind.Uniform:
                Linear(u, _p0, _p1, x);
                return;
            case Kind.Triangular:
                TriangularQuantiles(u, x);
                return;
            default:
                for (var i = 0; i < u.Length; i++) x[i] = Quantile(u[i]);
                return;
        }
    }

    /// <summary>x[i] = <see cref="FromNormalScore"/>(z[i], u[i]) for every i of z, bit for bit.</summary>
    internal void FromNormalScores(ReadOnlySpan<double> z, ReadOnlySpan<double> u, Span<double> x)
    {
        x = x[..z.Length];
        switch (_kind)
        {
            case Kind.Normal:
                Linear(z, _p0, _p1, x);
                return;
            case Kind.LogNormal:
                for (var i = 0; i < z.Length; i++) x[i] = Math.Exp(_p0 + _p1 * z[i]);
                return;
            case Kind.Beta:
                _beta!.QuantilesAtScores(z, u, x);
                Linear(x, _p0, _p1, x);
                return;
            default:
                for (var i = 0; i < z.Length; i++) x[i] = Quantile(u[i]);
                return;
        }
    }

    /// <summary>x[i] = <see cref="FromStandardNormal"/>(z[i]) for every i of z, bit for bit.</summary>
    internal void FromStandardNormals(ReadOnlySpan<double> z, Span<double> x)
    {
        x = x[..z.Length];
        switch (_kind)
        {
            case Kind.Constant:
                x.Fill(_p0);
                return;
            case Kind.Normal:
                Linear(z, _p0, _p1, x);
                return;
            case Kind.LogNormal:
                for (var i = 0; i < z.Length; i++) x[i] = Math.Exp(_p0 + _p1 * z[i]);
                return;
            case Kind.Beta:
                _beta!.FromStandardNormals(z, x);
                Linear(x, _p0, _p1, x);
                return;
            case Kind.Triangular:
                TriangularFromStandardNormals(z, x);
                return;
            default:
                for (var i = 0; i < z.Length; i++) x[i] = FromStandardNormal(z[i]);
                return;
        }
    }

    /// <summary>
    /// The Triangular <see cref="FromStandardNormal"/> four lanes at a time: Phi(z) and Q(z) as in
    /// <see cref="StandardNormalCdf(double, out double)"/> (both of its common regions' rational functions computed in
    /// vectors, the exp lane by lane where the lane needs it), then both branches' square roots, one kept per lane.
    /// A lane with |z| beyond sqrt(32) (probability 1.5e-8) or NaN takes the scalar path.
    /// </summary>
    private void TriangularFromStandardNormals(ReadOnlySpan<double> z, Span<double> x)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated && Fma.IsSupported)
        {
            var mode = Vector256.Create(_p3);
            var min = Vector256.Create(_p0);
            var max = Vector256.Create(_p2);
            var lowerScale = Vector256.Create(_lowerScale);
            var upperScale = Vector256.Create(_upperScale);
            for (; i + 4 <= z.Length; i += 4)
            {
                var s = Vector256.Create(z.Slice(i, 4)); // read before x overwrites it in place
                var u = StandardNormalCdf4(s, out var v, out var handled);
                var lower = min + Vector256.Sqrt(u * lowerScale);
                var upper = max - Vector256.Sqrt(v * upperScale);
                Vector256.ConditionalSelect(Vector256.LessThan(u, mode), lower, upper).CopyTo(x.Slice(i, 4));
                if (handled != Vector256<double>.AllBitsSet)
                {
                    for (var lane = 0; lane < 4; lane++) if (handled.AsUInt64().GetElement(lane) == 0) x[i + lane] = FromStandardNormal(s.GetElement(lane));
                }
            }
        }
        for (; i < z.Length; i++) x[i] = FromStandardNormal(z[i]);
    }

    /// <summary>
    /// <see cref="StandardNormalCdf(double, out double)"/> of four lanes with |z| &lt;= sqrt(32), bit for bit: the same
    /// fused multiply-adds, products and division per region, the region chosen per lane. handled masks the lanes
    /// computed (the others, |z| beyond sqrt(32) or NaN, are meaningless).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> StandardNormalCdf4(Vector256<double> z, out Vector256<double> complement, out Vector256<double> handled)
    {
        var y = Vector256.Abs(z);
        var central = Vector256.LessThanOrEqual(y, Vector256.Create(0.66291));
        handled = Vector256.LessThanOrEqual(y, Vector256.Create(5.656854249492380195));
        var half = Vector256.Create(0.5);
        // |z| <= 0.66291: Phi(z) = 1/2 + z R(z^2).
        var s = z * z;
        var numC = HornerV(s, 0.065682337918207449113, 2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249);
        var denC = HornerV(s, 1, 47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956);
        var t = z * numC / denC;
        var u = half + t;
        complement = half - t;
        var middle = handled & ~central;
        if (middle != Vector256<double>.Zero)
        {
            // 0.66291 < |z| <= sqrt(32): the tail Q(|z|) = exp(-z^2 / 2) P(|z|) / Q(|z|), exp(-hi / 2) (1 - lo / 2) as in HalfGaussian.
            var num = HornerV(y, 1.0765576773720192317e-8, 0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979,
                597.27027639480026226, 2494.5375852903726711, 6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218);
            var den = HornerV(y, 1, 22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755,
                18615.571640885098091, 34900.952721145977266, 38912.003286093271411, 19685.429676859990727);
            var hi = y * y;
            var lo = Fma.MultiplyAdd(y, y, -hi);
            var e = Vector256.Create(
                middle.AsUInt64().GetElement(0) != 0 ? Math.Exp(-0.5 * hi.GetElement(0)) : 0,
                middle.AsUInt64().GetElement(1) != 0 ? Math.Exp(-0.5 * hi.GetElement(1)) : 0,
                middle.AsUInt64().GetElement(2) != 0 ? Math.Exp(-0.5 * hi.GetElement(2)) : 0,
                middle.AsUInt64().GetElement(3) != 0 ? Math.Exp(-0.5 * hi.GetElement(3)) : 0);
            var tail = e * (Vector256<double>.One - half * lo) * (num / den);
            var positive = Vector256.GreaterThan(z, Vector256<double>.Zero);
            var oneMinus = Vector256<double>.One - tail;
            u = Vector256.ConditionalSelect(central, u, Vector256.ConditionalSelect(positive, oneMinus, tail));
            complement = Vector256.ConditionalSelect(central, complement, Vector256.ConditionalSelect(positive, tail, oneMinus));
        }
        return u;
    }

    /// <summary>The lane-wise five-coefficient Horner (fused multiply-adds, as the scalar one).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> HornerV(Vector256<double> x, double c0, double c1, double c2, double c3, double c4)
    {
        var h = Fma.MultiplyAdd(Vector256.Create(c0), x, Vector256.Create(c1));
        h = Fma.MultiplyAdd(h, x, Vector256.Create(c2));
        h = Fma.MultiplyAdd(h, x, Vector256.Create(c3));
        return Fma.MultiplyAdd(h, x, Vector256.Create(c4));
    }

    /// <summary>The lane-wise nine-coefficient Horner.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> HornerV(Vector256<double> x, double c0, double c1, double c2, double c3, double c4, double c5, double c6, double c7, double c8) =>
        Fma.MultiplyAdd(HornerV(x, c0, c1, c2, c3, c4, c5, c6, c7), x, Vector256.Create(c8));

    /// <summary>x[i] = a + b t[i], four lanes at a time (t and x may be the same span).</summary>
    private static void Linear(ReadOnlySpan<double> t, double a, double b, Span<double> x)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(a);
            var vb = Vector256.Create(b);
            for (; i + 4 <= t.Length; i += 4) (va + vb * Vector256.Create(t.Slice(i, 4))).CopyTo(x.Slice(i, 4));
        }
        for (; i < t.Length; i++) x[i] = a + b * t[i];
    }

    /// <summary>The Triangular <see cref="Quantile"/> four lanes at a time: both branches' square roots, the scalar code's one kept per lane.</summary>
    private void TriangularQuantiles(ReadOnlySpan<double> u, Span<double> x)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var mode = Vector256.Create(_p3);
            var min = Vector256.Create(_p0);
            var max = Vector256.Create(_p2);
            var lowerScale = Vector256.Create(_lowerScale);
            var upperScale = Vector256.Create(_upperScale);
            for (; i + 4 <= u.Length; i += 4)
            {
                var v = Vector256.Create(u.Slice(i, 4));
                var lower = min + Vector256.Sqrt(v * lowerScale);
                var upper = max - Vector256.Sqrt((Vector256<double>.One - v) * upperScale);
                Vector256.ConditionalSelect(Vector256.LessThan(v, mode), lower, upper).CopyTo(x.Slice(i, 4));
            }
        }
        for (; i < u.Length; i++) x[i] = Quantile(u[i]);
    }

    /// <summary>The stated relative error bound of <see cref="StandardNormalQuantile"/> for u in [1e-300, 1).</summary>
    public const double NormalQuantileMaxRelativeError = 1e-15;

    /// <summary>AS 241 for the smaller tail probability p = min(u, 1 - u) &lt; 0.075.</summary>
    private static double NormalQuantileTail(double p, bool lower)
    {
        if (!(p > 0)) return double.IsNaN(p) ? double.NaN : lower ? double.NegativeInfinity : double.PositiveInfinity;
        var r = Math.Sqrt(-Math.Log(p));
        double value;
        if (r <= 5)
        {
            r -= 1.6;
            value = Horner(r, 7.7454501427834140764e-4, 0.0227238449892691845833, 0.24178072517745061177, 1.27045825245236838258,
                        3.64784832476320460504, 5.7694972214606914055, 4.6303378461565452959, 1.42343711074968357734)
                    / Horner(r, 1.05075007164441684324e-9, 5.475938084995344946e-4, 0.0151986665636164571966, 0.14810397642748007459,
                        0.68976733498510000455, 1.6763848301838038494, 2.05319162663775882187, 1);
        }
        else
        {
            r -= 5;
            value = Horner(r, 2.01033439929228813265e-7, 2.71155556874348757815e-5, 0.0012426609473880784386, 0.026532189526576123093,
                        0.29656057182850489123, 1.7848265399172913358, 5.4637849111641143699, 6.6579046435011037772)
                    / Horner(r, 2.04426310338993978564e-15, 1.4215117583164458887e-7, 1.8463183175100546818e-5, 7.868691311456132591e-4,
                        0.0148753612908506148525, 0.13692988092273580531, 0.59983220655588793769, 1);
        }
        return lower ? -value : value;
    }

    public override string ToString() => $"SlotDistribution({Source})";

    /// <summary>Clamps a probability into the open interval (0, 1) that <see cref="Quantile"/> accepts.</summary>
    internal static double ClampOpen(double u) => Math.Clamp(u, double.Epsilon, Math.BitDecrement(1.0));

    private static int FirstAbove(double[] cumulative, double u)
    {
        // The first k with u < cumulative[k]; cumulative[^1] is exactly 1, so one exists.
        int lo = 0, hi = cumulative.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (u < cumulative[mid]) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    private static SlotDistribution CompileDiscrete(Discrete d)
    {
        Require(d.Values.Count > 0, d, "needs at least one value");
        Require(d.Weights.IsEmpty || d.Weights.Count == d.Values.Count, d, "needs one weight per value (or none)");
        // Sort by value, merging equal values, so that the quantile is monotone in u.
        var pairs = new SortedDictionary<double, double>();
        for (var i = 0; i < d.Values.Count; i++)
        {
            var w = d.Weights.IsEmpty ? 1.0 : d.Weights[i];
            Require(w >= 0 && double.IsFinite(w), d, $"weight {i} is {w}; weights must be finite and non-negative");
            Require(double.IsFinite(d.Values[i]), d, $"value {i} is not finite");
            pairs[d.Values[i]] = pairs.GetValueOrDefault(d.Values[i]) + w;
        }
        var total = pairs.Values.Sum();
        Require(total > 0, d, "weights sum to zero");
        var values = pairs.Keys.ToArray();
        var cumulative = new double[values.Length];
        double running = 0;
        var k = 0;
        foreach (var w in pairs.Values)
        {
            running += w;
            cumulative[k++] = running / total;
        }
        cumulative[^1] = 1;
        return new SlotDistribution(d, values, cumulative);
    }

    private static string Describe(Distribution distribution)
    {
        try
        {
            return distribution.ToString();
        }
        catch (Exception)
        {
            return distribution.GetType().Name; // an invalid record may fail to print itself (Discrete's Mean)
        }
    }

    private static void Require(bool condition, Distribution distribution, string rule)
    {
        if (!condition) throw new ArgumentException($"{Describe(distribution)}: {rule}", nameof(distribution));
    }
}
