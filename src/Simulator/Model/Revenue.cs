namespace DistrictSim.Model;

/// <summary>
/// A revenue stream. Timing is in operation years: operation year 0 is the first year after
/// construction (and any delay). Growth compounds from operation year 0:
/// index(i) = prod over j &lt; i of (1 + growth(j)); a ramp multiplies the first operation years.
/// </summary>
public abstract record RevenueStream
{
    public required string Name { get; init; }
    /// <summary>First operation year of the stream (0 = the first operating year).</summary>
    public int StartOperationYear { get; init; }
    /// <summary>Last operation year of the stream, inclusive; null runs to the horizon.</summary>
    public int? EndOperationYear { get; init; }
    /// <summary>Yearly growth or indexation (may be a yearly process).</summary>
    public Input Growth { get; init; } = 0.0;
    /// <summary>Factors for the stream's first years (0.5, 0.75 then 1).</summary>
    public ValueArray<double> Ramp { get; init; }
}

public sealed record Parking : RevenueStream
{
    public required Input Spaces { get; init; }
    public required Input Occupancy { get; init; }
    /// <summary>Monthly rent per space; null when the fee is hourly.</summary>
    public Input? FeeYuanPerSpacePerMonth { get; init; }
    /// <summary>Hourly fee; used with HoursPerDay of an occupied space.</summary>
    public Input? FeeYuanPerHour { get; init; }
    public Input? HoursPerDay { get; init; }
}

public enum RentBasis
{
    PerM2PerDay,
    PerM2PerMonth,
}

public sealed record CommercialLease : RevenueStream
{
    public required Input AreaM2 { get; init; }
    public required Input Rent { get; init; }
    public RentBasis RentBasis { get; init; } = RentBasis.PerM2PerDay;
    public required Input Occupancy { get; init; }
    /// <summary>Rent steps: from an operation year on, rent is multiplied by the factor (cumulative).</summary>
    public ValueArray<RentStep> Steps { get; init; }
}

public readonly record struct RentStep(int OperationYear, double Factor);

public sealed record EvCharging : RevenueStream
{
    public required Input Chargers { get; init; }
    public required Input PowerKw { get; init; }
    /// <summary>Share of the 8,760 hours of a year a charger delivers at full power.</summary>
    public required Input Utilisation { get; init; }
    public required Input FeeYuanPerKwh { get; init; }
}

public sealed record PropertyFee : RevenueStream
{
    public required Input Households { get; init; }
    public required Input M2PerHousehold { get; init; }
    public required Input FeeYuanPerM2PerMonth { get; init; }
    public required Input CollectionRate { get; init; }
}

/// <summary>
/// A fixed annual payment for TermYears. At the start of each contract year the operator defaults
/// with DefaultProbability, losing that year and the rest of the term; the space stays empty until
/// the term ends and is then re-let at AnnualYuan x ReletFactor x (1 + ReletGrowth)^(years since re-let).
/// </summary>
public sealed record OpsContract : RevenueStream
{
    public required Input AnnualYuan { get; init; }
    public required int TermYears { get; init; }
    public double DefaultProbability { get; init; }
    /// <summary>Re-let after the term; false leaves the space empty.</summary>
    public bool Relet { get; init; } = true;
    public Input ReletFactor { get; init; } = 1.0;
    public Input ReletGrowth { get; init; } = 0.0;
}

/// <summary>Rent of idle state assets or a concession: a fixed or indexed annual amount.</summary>
public sealed record AssetRent : RevenueStream
{
    public required Input AnnualYuan { get; init; }
    public Input Occupancy { get; init; } = 1.0;
}

/// <summary>A stream we did not foresee: driver x price per unit per year.</summary>
public sealed record GenericStream : RevenueStream
{
    public required Input Driver { get; init; }
    public required Input PriceYuanPerUnit { get; init; }
    public string? Unit { get; init; }
}
