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
/// normal (MathNet's inverse complementary error function, double precision, ~30 ns); Beta and PERT
/// through a table of the inverse CDF (see <see cref="BetaTableMaxError"/>).
/// </remarks>
public sealed class SlotDistribution
{
    /// <summary>
    /// The largest absolute error of a Beta or PERT quantile, in units of its range (max - min), for u in (0, 1):
    /// the cubic Hermite table on the logit scale (2,049 nodes) against the exact inverse; the largest error measured
    /// over shapes 0.5 to 30 and u from 1e-13 to 1 - 1e-13 was 1.3e-11, so the bound has a margin of about 8. Tested against
    /// MathNet's <c>Beta.InvCDF</c> over shapes from 0.5 to 30 in <c>SlotDistributionTests</c>.
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
                return u < _p3
                    ? _p0 + Math.Sqrt(u * (_p2 - _p0) * (_p1 - _p0))
                    : _p2 - Math.Sqrt((1 - u) * (_p2 - _p0) * (_p2 - _p1));
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
    public double FromStandardNormal(double z) => _kind switch
    {
        Kind.Constant => _p0,
        Kind.Normal => _p0 + _p1 * z,
        Kind.LogNormal => Math.Exp(_p0 + _p1 * z),
        _ => Quantile(ClampOpen(StandardNormalCdf(z))),
    };

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
                    ? (x - _p0) * (x - _p0) / ((_p2 - _p0) * (_p1 - _p0))
                    : 1 - (_p2 - x) * (_p2 - x) / ((_p2 - _p0) * (_p2 - _p1));
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

    /// <summary>Phi(z), the standard normal CDF (0.5 erfc(-z / sqrt 2): accurate in both tails).</summary>
    public static double StandardNormalCdf(double z) => 0.5 * SpecialFunctions.Erfc(-z * Constants.Sqrt1Over2);

    /// <summary>Phi^-1(u), the standard normal quantile, u in (0, 1).</summary>
    public static double StandardNormalQuantile(double u) => -Constants.Sqrt2 * SpecialFunctions.ErfcInv(2 * u);

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
