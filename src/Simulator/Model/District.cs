namespace DistrictSim.Model;

/// <summary>
/// What a district IS: an immutable description, kept apart from the code that evaluates it.
/// Timing follows domain.md section 4: annual periods, year 0 is the first construction year,
/// flows at the end of their year. Amounts are yuan, rates are fractions per year.
/// </summary>
public sealed record District
{
    public required Metadata Metadata { get; init; }
    public required Timeline Timeline { get; init; }
    public required Capex Capex { get; init; }
    public ValueArray<FundingSource> Funding { get; init; }
    public ValueArray<RevenueStream> Revenues { get; init; }
    public Costs Costs { get; init; } = new();
    public Taxes Taxes { get; init; } = new();
    public Waterfall Waterfall { get; init; } = new();
    public ValueArray<Correlation> Correlations { get; init; }
    public Analysis Analysis { get; init; } = new();
}

public sealed record Metadata
{
    public required string Name { get; init; }
    public string? City { get; init; }
    public string Currency { get; init; } = "CNY";
    public string? Notes { get; init; }
    /// <summary>Where each figure comes from: quoted from the seed, or assumed with a range.</summary>
    public ValueArray<SourceNote> Sources { get; init; }
}

/// <summary>One figure's provenance: a value quoted from a source, or an assumption with its range.</summary>
public sealed record SourceNote
{
    public required string Field { get; init; }
    public required SourceKind Kind { get; init; }
    public string? Quote { get; init; }
    public string? Range { get; init; }
    public string? Reference { get; init; }
}

public enum SourceKind
{
    /// <summary>A figure quoted from the seed document.</summary>
    Seed,
    /// <summary>A value the seed does not give, assumed with a range.</summary>
    Assumed,
}

/// <summary>
/// The project's years: construction years 0 .. ConstructionYears-1, operations from
/// ConstructionYears + delay to HorizonYears - 1. The delay is drawn (rounded to whole years).
/// </summary>
public sealed record Timeline
{
    public const int MaxHorizonYears = 50;

    public required int ConstructionYears { get; init; }
    public required int HorizonYears { get; init; }
    /// <summary>Construction delay in whole years (rounded, at least 0); shifts operations and revenue.</summary>
    public Input DelayYears { get; init; } = 0;
}

public enum CapexCategory
{
    /// <summary>基础类: roads, pipes, gas, fire safety, wires underground.</summary>
    Basic,
    /// <summary>完善类: building repairs, energy retrofit, lifts, parking.</summary>
    Complete,
    /// <summary>提升类: elderly care, childcare, clinics, smart-community systems.</summary>
    Upgrade,
}

public enum CapexTag
{
    PublicGood,
    RevenueBearing,
}

public sealed record Capex
{
    public ValueArray<CapexComponent> Components { get; init; }
    /// <summary>Overrun multiplier on every component's actual spend (1 = on budget).</summary>
    public Input Overrun { get; init; } = 1.0;
}

public sealed record CapexComponent
{
    public required string Name { get; init; }
    public required CapexCategory Category { get; init; }
    public required CapexTag Tag { get; init; }
    /// <summary>Planned (base) cost in yuan; grants and debt given as shares apply to it.</summary>
    public required Input AmountYuan { get; init; }
    /// <summary>Share of the cost spent in each construction year (sums to 1); empty means evenly.</summary>
    public ValueArray<double> Phasing { get; init; }
    /// <summary>Years over which the asset is depreciated straight-line for income tax.</summary>
    public int DepreciationYears { get; init; } = 20;
}

public sealed record Analysis
{
    /// <summary>Discount rate for NPV and LLCR, per year.</summary>
    public double DiscountRate { get; init; } = 0.05;
    /// <summary>Coverage requirement (本息覆盖倍数) the plan must show; 1.2 by default.</summary>
    public double CoverageRequirement { get; init; } = 1.2;
    /// <summary>Discount flows at mid-year instead of year end (stated in the output).</summary>
    public bool MidYearDiscounting { get; init; }
    public int Paths { get; init; } = 10_000;
    public ulong Seed { get; init; } = 20240601;
    public SamplingMethod Sampling { get; init; } = SamplingMethod.MonteCarlo;
}

public enum SamplingMethod
{
    MonteCarlo,
    LatinHypercube,
}

/// <summary>How correlated inputs are joined.</summary>
public enum CorrelationMethod
{
    /// <summary>Gaussian copula: the matrix is the correlation of the latent normals.</summary>
    GaussianCopula,
    /// <summary>Iman-Conover: the matrix is a target rank correlation.</summary>
    ImanConover,
}

/// <summary>A correlation among named inputs (keys like <c>parking.occupancy</c>).</summary>
public sealed record Correlation
{
    public required ValueArray<string> Inputs { get; init; }
    /// <summary>Row-major, Inputs.Count x Inputs.Count.</summary>
    public required ValueArray<double> Matrix { get; init; }
    public CorrelationMethod Method { get; init; } = CorrelationMethod.GaussianCopula;
    /// <summary>Repair an invalid matrix to the nearest valid correlation matrix (with a warning) instead of rejecting it.</summary>
    public bool Repair { get; init; }

    public double this[int row, int column] => Matrix[row * Inputs.Count + column];
}
