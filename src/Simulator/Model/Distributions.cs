namespace DistrictSim.Model;

/// <summary>
/// What is known about one numeric input: a fixed value, a distribution drawn once per path,
/// or a process that gives one value per year. Parameters follow domain.md section 5:
/// Normal(mean, sd); LogNormal(mu, sigma) of the logarithm; Beta(alpha, beta) scaled to [min, max].
/// The records are plain data; the scenario loader validates parameters (with locations) and the
/// sampler checks them again when it compiles a slot.
/// </summary>
public abstract record Distribution
{
    /// <summary>The value of the base case: the mean unless the input overrides it.</summary>
    public abstract double Mean { get; }

    /// <summary>True for processes that give a value per year rather than one per path.</summary>
    public virtual bool IsProcess => false;

    /// <summary>True when the distribution has no spread (the input needs no random slot).</summary>
    public virtual bool IsDegenerate => false;
}

public sealed record Fixed(double Value) : Distribution
{
    public override double Mean => Value;
    public override bool IsDegenerate => true;
}

public sealed record Uniform(double Min, double Max) : Distribution
{
    public override double Mean => (Min + Max) / 2;
    public override bool IsDegenerate => Min == Max;
}

public sealed record Triangular(double Min, double Mode, double Max) : Distribution
{
    public override double Mean => (Min + Mode + Max) / 3;
    public override bool IsDegenerate => Min == Max;
}

/// <summary>PERT: a Beta on [min, max] with shape 4 (alpha = 1 + 4 (mode - min) / (max - min)).</summary>
public sealed record Pert(double Min, double Mode, double Max) : Distribution
{
    public override double Mean => (Min + 4 * Mode + Max) / 6;
    public override bool IsDegenerate => Min == Max;
}

public sealed record Normal(double Mu, double Sd) : Distribution
{
    public override double Mean => Mu;
    public override bool IsDegenerate => Sd == 0;
}

/// <summary>A Normal(mean, sd) conditioned on [min, max].</summary>
public sealed record TruncatedNormal(double Location, double Sd, double Min, double Max) : Distribution
{
    /// <summary>P(min &lt;= X &lt;= max) for X ~ Normal(location, sd), computed in the tail where [min, max] lies (0 when it underflows).</summary>
    public double Mass
    {
        get
        {
            var (a, b) = Bounds;
            return a > 0 ? Phi(-a) - Phi(-b) : Phi(b) - Phi(a);
        }
    }

    /// <summary>mu + sd (phi(a) - phi(b)) / Z; NaN where Z underflows (such a distribution is rejected).</summary>
    public override double Mean
    {
        get
        {
            if (Sd == 0 || Min == Max) return Math.Clamp(Location, Min, Max);
            var (a, b) = Bounds;
            var density = (Math.Exp(-a * a / 2) - Math.Exp(-b * b / 2)) / Math.Sqrt(2 * Math.PI);
            var mass = Mass;
            return mass > 0 ? Math.Clamp(Location + Sd * density / mass, Min, Max) : double.NaN;
        }
    }

    public override bool IsDegenerate => Sd == 0 || Min == Max;

    private (double A, double B) Bounds => ((Min - Location) / Sd, (Max - Location) / Sd);

    private static double Phi(double z) => 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(-z / Math.Sqrt(2));
}

/// <summary>LogNormal with parameters of ln X: mu and sigma.</summary>
public sealed record LogNormal(double Mu, double Sigma) : Distribution
{
    public override double Mean => Math.Exp(Mu + Sigma * Sigma / 2);
    public override bool IsDegenerate => Sigma == 0;

    /// <summary>The lognormal whose own mean and standard deviation are given.</summary>
    public static LogNormal FromMeanSd(double mean, double sd)
    {
        var sigma2 = Math.Log(1 + sd * sd / (mean * mean));
        return new LogNormal(Math.Log(mean) - sigma2 / 2, Math.Sqrt(sigma2));
    }
}

/// <summary>Beta(alpha, beta) scaled to [min, max] (default [0, 1]).</summary>
public sealed record Beta(double Alpha, double BetaShape, double Min = 0, double Max = 1) : Distribution
{
    public override double Mean => Min + (Max - Min) * Alpha / (Alpha + BetaShape);
    public override bool IsDegenerate => Min == Max;
}

/// <summary>A discrete or empirical distribution: values with weights (equal weights when empty).</summary>
public sealed record Discrete(ValueArray<double> Values, ValueArray<double> Weights) : Distribution
{
    public override double Mean
    {
        get
        {
            if (Weights.IsEmpty) return Values.Average();
            double sum = 0, total = 0;
            for (var i = 0; i < Values.Count; i++)
            {
                sum += Values[i] * Weights[i];
                total += Weights[i];
            }
            return sum / total;
        }
    }

    public override bool IsDegenerate => Values.Distinct().Count() == 1;
}

/// <summary>
/// An event that happens in each year with a fixed probability, independently of other years.
/// Its value is the 1-based count of the year in which it first happens (a geometric law),
/// so that one uniform draw decides it: k = floor(ln(1 - u) / ln(1 - p)) + 1.
/// </summary>
public sealed record YearlyEvent(double Probability) : Distribution
{
    /// <summary>Where the event never happens (p = 0) the value is this many years: beyond any horizon.</summary>
    public const double Never = 1e6;

    public override double Mean => Probability <= 0 ? Never : 1 / Probability;
    public override bool IsDegenerate => Probability <= 0 || Probability >= 1;
}

/// <summary>A process: one value per calendar year of the horizon.</summary>
public abstract record Process : Distribution
{
    public override bool IsProcess => true;

    /// <summary>The deterministic path with every shock at zero: the process's base case.</summary>
    public abstract double BaseValueInYear(int year);

    public override double Mean => BaseValueInYear(0);
}

/// <summary>An independent draw of <paramref name="Each"/> in every year (iid growth makes a random-walk index).</summary>
public sealed record Yearly(Distribution Each) : Process
{
    public override double BaseValueInYear(int year) => Each.Mean;
    public override bool IsDegenerate => Each.IsDegenerate;
}

/// <summary>Random walk: x(t) = x(t-1) + drift + sd z(t), with x(-1) = start.</summary>
public sealed record RandomWalk(double Start, double Drift, double Sd) : Process
{
    public override double BaseValueInYear(int year) => Start + (year + 1) * Drift;
    public override bool IsDegenerate => Sd == 0;
}

/// <summary>AR(1) mean reversion: x(t) = mean + phi (x(t-1) - mean) + sd z(t), with x(-1) = start.</summary>
public sealed record MeanReverting(double LongRunMean, double Phi, double Sd, double Start) : Process
{
    public override double BaseValueInYear(int year) => LongRunMean + Math.Pow(Phi, year + 1) * (Start - LongRunMean);
    public override bool IsDegenerate => Sd == 0;
}

/// <summary>Step changes: x starts at <paramref name="Start"/>; in each year, with probability p, it moves by <paramref name="Step"/>.</summary>
public sealed record StepChange(double Start, double Step, double Probability) : Process
{
    public override double BaseValueInYear(int year) => Start;
    public override bool IsDegenerate => Probability <= 0 || Step == 0;
}

/// <summary>
/// One numeric input of the model: its distribution and, optionally, a base value other than the mean.
/// A plain number converts to a fixed input.
/// </summary>
public sealed record Input(Distribution Distribution, double? BaseOverride = null)
{
    public static implicit operator Input(double value) => new(new Fixed(value));

    public static Input Of(Distribution distribution) => new(distribution);

    public bool IsUncertain => !Distribution.IsDegenerate;

    public bool IsProcess => Distribution.IsProcess;

    /// <summary>The base-case value (for a process, of year 0).</summary>
    public double BaseValue => BaseOverride ?? Distribution.Mean;

    public double BaseValueInYear(int year) =>
        BaseOverride ?? (Distribution is Process p ? p.BaseValueInYear(year) : Distribution.Mean);

    public override string ToString() => Distribution is Fixed f ? f.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : Distribution.ToString();
}
