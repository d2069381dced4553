namespace DistrictSim.Model;

/// <summary>Operating costs, from the first operation year to the horizon.</summary>
public sealed record Costs
{
    public ValueArray<FixedCost> Fixed { get; init; }
    public ValueArray<VariableCost> Variable { get; init; }
    public ValueArray<MajorRepair> MajorRepairs { get; init; }
}

/// <summary>A fixed cost in yuan a year, indexed from operation year 0: amount x prod (1 + inflation).</summary>
public sealed record FixedCost
{
    public required string Name { get; init; }
    public required Input AnnualYuan { get; init; }
    public Input Inflation { get; init; } = 0.0;
}

/// <summary>A cost as a share of revenue: of every stream, or of the named streams only.</summary>
public sealed record VariableCost
{
    public required string Name { get; init; }
    public required Input ShareOfRevenue { get; init; }
    public ValueArray<string> Streams { get; init; }
}

/// <summary>A major repair of AmountYuan every IntervalYears operation years (first at operation year IntervalYears).</summary>
public sealed record MajorRepair
{
    public required string Name { get; init; }
    public required Input AmountYuan { get; init; }
    public required int IntervalYears { get; init; }
    public Input Inflation { get; init; } = 0.0;
}

/// <summary>
/// Simple taxes: a rate on revenue (VAT surcharges and the like), and income tax on
/// revenue - operating cost - revenue tax - interest - straight-line depreciation, floored at zero
/// each year (no loss carry-forward).
/// </summary>
public sealed record Taxes
{
    public double RevenueTaxRate { get; init; }
    public double IncomeTaxRate { get; init; }
}

public enum PreOperationInterest
{
    /// <summary>Paid when due: it shows as a shortfall (topped up or defaulted).</summary>
    Paid,
    /// <summary>Added to the principal, repaid with it.</summary>
    Capitalised,
    /// <summary>Paid from a reserve funded by extra debt drawn with the principal.</summary>
    Reserve,
}

/// <summary>The yearly cash waterfall's settings.</summary>
public sealed record Waterfall
{
    public PreOperationInterest PreOperationInterest { get; init; } = PreOperationInterest.Capitalised;
    /// <summary>Reserve target in months of the next year's debt service (0: no target).</summary>
    public double ReserveTargetMonths { get; init; }
    /// <summary>Interest the reserve earns a year.</summary>
    public double ReserveInterestRate { get; init; }
    /// <summary>Pay cash above the reserve target to equity each year; false keeps it in the reserve.</summary>
    public bool DistributeExcess { get; init; }
    /// <summary>True: the local government tops the reserve up to zero (fiscal top-up). False: the shortfall is a default.</summary>
    public bool FiscalBackstop { get; init; } = true;
}
