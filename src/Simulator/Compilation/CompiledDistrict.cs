using DistrictSim.Model;

namespace DistrictSim.Compilation;

/// <summary>
/// A district compiled for evaluation: flat arrays indexed by year and slot, every uncertain
/// input a slot of the per-path input vector. Immutable after compilation and shared by all
/// worker threads; each worker evaluates paths with its own <see cref="Evaluation.PathEvaluator"/>.
/// </summary>
public sealed class CompiledDistrict
{
    internal CompiledDistrict(
        District model,
        IReadOnlyList<InputSlot> slots,
        IReadOnlyList<CompiledCorrelation> correlations,
        IReadOnlyList<string> warnings)
    {
        Model = model;
        Slots = slots;
        Correlations = correlations;
        Warnings = warnings;
        Years = model.Timeline.HorizonYears;
        ConstructionYears = model.Timeline.ConstructionYears;
        BaseSlotValues = slots.Select(s => s.BaseValue).ToArray();
        _slotIndex = slots.Select((s, i) => (s.Key, i)).ToDictionary(p => p.Key, p => p.i, StringComparer.Ordinal);
    }

    private readonly Dictionary<string, int> _slotIndex;

    public District Model { get; }

    /// <summary>Calendar years of the horizon: 0 .. Years - 1.</summary>
    public int Years { get; }

    public int ConstructionYears { get; }

    /// <summary>The uncertain inputs, in slot order.</summary>
    public IReadOnlyList<InputSlot> Slots { get; }

    /// <summary>The base case: every slot at its base value.</summary>
    public IReadOnlyList<double> BaseSlotValues { get; }

    public IReadOnlyList<CompiledCorrelation> Correlations { get; }

    /// <summary>Things the compiler repaired or noticed (a correlation matrix repaired on request).</summary>
    public IReadOnlyList<string> Warnings { get; }

    public int SlotOf(string key) => _slotIndex.TryGetValue(key, out var i) ? i : -1;

    // Compiled parts, read by the evaluator.
    internal CompiledComponent[] Components { get; init; } = [];
    internal CompiledSource[] Sources { get; init; } = [];
    /// <summary>Indices into Sources of debt instruments, most senior first.</summary>
    internal int[] DebtOrder { get; init; } = [];
    internal CompiledStream[] Streams { get; init; } = [];
    internal CompiledFixedCost[] FixedCosts { get; init; } = [];
    internal CompiledVariableCost[] VariableCosts { get; init; } = [];
    internal CompiledRepair[] Repairs { get; init; } = [];
    internal YearlyRef[] YearlyInputs { get; init; } = [];
    internal ScalarRef Overrun { get; init; }
    internal ScalarRef Delay { get; init; }
    /// <summary>Discount factor of each year's flow at the analysis discount rate.</summary>
    internal double[] DiscountFactors { get; init; } = [];
    internal int EquitySource { get; init; } = -1;
    /// <summary>Index of the residual social-capital source, or -1.</summary>
    internal int ResidualSource { get; init; } = -1;
}

/// <summary>Correlated slots with a validated (or repaired) matrix.</summary>
public sealed record CompiledCorrelation(int[] Slots, double[] Matrix, CorrelationMethod Method);

internal sealed class CompiledComponent
{
    public required string Name { get; init; }
    public required ScalarRef Amount { get; init; }
    /// <summary>Share of the cost in each calendar year (length: construction years).</summary>
    public required double[] Phasing { get; init; }
    public required int DepreciationYears { get; init; }
}

internal enum FundingKind
{
    Grant,
    SpecialBond,
    Loan,
    Equity,
}

internal enum RepaymentKind
{
    /// <summary>Principal shares per calendar year (bond: bullet, equal parts, custom).</summary>
    Shares,
    EqualPrincipal,
    Annuity,
}

internal sealed class CompiledSource
{
    public required string Name { get; init; }
    public required FundingKind Kind { get; init; }
    public required string KindLabel { get; init; }
    public bool IsShare { get; init; }
    public ScalarRef Amount { get; init; }
    /// <summary>Per component: eligible for the share (and the timing) of this source.</summary>
    public required bool[] Eligible { get; init; }
    public double Cap { get; init; } = double.PositiveInfinity;
    public bool Residual { get; init; }
    public double HurdleRate { get; init; }

    // Debt
    /// <summary>Share of the amount drawn at the end of each calendar year (length: years).</summary>
    public double[] Draws { get; init; } = [];
    public ScalarRef Coupon { get; init; }
    public YearlyRef? BaseRate { get; init; }
    public YearlyRef? Spread { get; init; }
    public double RateFloor { get; init; } = double.NegativeInfinity;
    public RepaymentKind Repayment { get; init; }
    /// <summary>With Shares: principal share per calendar year, and the suffix sums (share still to come from each year on).</summary>
    public double[] PrincipalShares { get; init; } = [];
    public double[] RemainingShares { get; init; } = [];
    public int FirstRepaymentYear { get; init; }
    public int MaturityYear { get; init; }
    public int Seniority { get; init; }
    /// <summary>First year with a draw: the schedule is zero before it.</summary>
    public int FirstDrawYear { get; init; }
    /// <summary>True when no drawn input can change the schedule: computed once, then reused.</summary>
    public bool PathInvariant { get; set; }
    public bool IsDebt => Kind is FundingKind.SpecialBond or FundingKind.Loan;
}

internal enum StreamKind
{
    Parking,
    CommercialLease,
    EvCharging,
    PropertyFee,
    OpsContract,
    AssetRent,
    Generic,
}

internal sealed class CompiledStream
{
    public required string Name { get; init; }
    public required StreamKind Kind { get; init; }
    public required string KindLabel { get; init; }
    public int Start { get; init; }
    public int End { get; init; } = int.MaxValue;
    public required YearlyRef Growth { get; init; }
    public double[] Ramp { get; init; } = [];
    /// <summary>Up to four scalar drivers whose product (with UnitsPerYear) is the year's base revenue.</summary>
    public ScalarRef A { get; init; }
    public ScalarRef B { get; init; }
    public ScalarRef C { get; init; }
    public ScalarRef D { get; init; }
    public double UnitsPerYear { get; init; } = 1;
    /// <summary>Commercial lease rent-step factor by operation year (cumulative), or empty.</summary>
    public double[] StepFactors { get; init; } = [];
    /// <summary>
    /// By operation year: the ramp times the rent step where the stream runs, 0 where it does not
    /// (length: the horizon, so any operations start fits).
    /// </summary>
    public double[] Shape { get; set; } = [];
    // Operations contract
    public int TermYears { get; init; }
    public ScalarRef DefaultYear { get; init; }
    public bool Relet { get; init; }
    public ScalarRef ReletFactor { get; init; }
    public YearlyRef? ReletGrowth { get; init; }
}

internal sealed class CompiledFixedCost
{
    public required ScalarRef Amount { get; init; }
    public required YearlyRef Inflation { get; init; }
}

internal sealed class CompiledVariableCost
{
    public required ScalarRef Share { get; init; }
    /// <summary>Indices of the streams it applies to; empty means all.</summary>
    public required int[] Streams { get; init; }
}

internal sealed class CompiledRepair
{
    public required ScalarRef Amount { get; init; }
    public required int Interval { get; init; }
    public required YearlyRef Inflation { get; init; }
}
