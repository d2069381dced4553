using DistrictSim.Model;

namespace DistrictSim.Compilation;

/// <summary>One uncertain number of the compiled district: a slot of the per-path input vector.</summary>
/// <param name="Key">Stable name (owner.field, with [year] for a process's yearly shocks).</param>
/// <param name="Distribution">A scalar distribution the sampler draws from.</param>
/// <param name="BaseValue">The slot's value in the base case.</param>
public sealed record InputSlot(string Key, Distribution Distribution, double BaseValue);

/// <summary>A scalar input: a constant, or a slot of the input vector. The default is the constant 0.</summary>
internal readonly struct ScalarRef
{
    private readonly int _slotPlusOne;
    public readonly double Constant;

    public ScalarRef(int slot, double constant)
    {
        _slotPlusOne = slot < 0 ? 0 : slot + 1;
        Constant = constant;
    }

    /// <summary>The slot, or -1 for a constant.</summary>
    public int Slot => _slotPlusOne - 1;

    public double Get(ReadOnlySpan<double> slots) => _slotPlusOne == 0 ? Constant : slots[_slotPlusOne - 1];
}

internal enum YearlyKind
{
    /// <summary>The same value every year: a constant or one scalar slot.</summary>
    Scalar,
    /// <summary>Fixed values per year (a process without shocks).</summary>
    Table,
    /// <summary>An independent slot per year.</summary>
    PerYearSlots,
    /// <summary>x(t) = x(t-1) + drift + sd z(t); slots hold z.</summary>
    RandomWalk,
    /// <summary>x(t) = mean + phi (x(t-1) - mean) + sd z(t); slots hold z.</summary>
    MeanReverting,
    /// <summary>x moves by step in years where the slot's uniform is below p.</summary>
    StepChange,
}

/// <summary>A yearly input: filled into one row of the path's yearly table before evaluation.</summary>
internal sealed class YearlyRef
{
    public required YearlyKind Kind { get; init; }
    public ScalarRef Scalar { get; init; }
    public int FirstSlot { get; init; } = -1;
    public double Start { get; init; }
    public double Drift { get; init; }
    public double Sd { get; init; }
    public double Mean { get; init; }
    public double Phi { get; init; }
    public double Step { get; init; }
    public double Probability { get; init; }
    public double[] Values { get; init; } = [];
    /// <summary>Row of this input in the yearly table.</summary>
    public required int Row { get; init; }

    public void Fill(ReadOnlySpan<double> slots, Span<double> row)
    {
        var years = row.Length;
        switch (Kind)
        {
            case YearlyKind.Scalar:
                row.Fill(Scalar.Get(slots));
                break;
            case YearlyKind.Table:
                Values.AsSpan(0, years).CopyTo(row);
                break;
            case YearlyKind.PerYearSlots:
                for (var t = 0; t < years; t++) row[t] = slots[FirstSlot + t];
                break;
            case YearlyKind.RandomWalk:
            {
                var x = Start;
                for (var t = 0; t < years; t++)
                {
                    x += Drift + Sd * slots[FirstSlot + t];
                    row[t] = x;
                }
                break;
            }
            case YearlyKind.MeanReverting:
            {
                var x = Start;
                for (var t = 0; t < years; t++)
                {
                    x = Mean + Phi * (x - Mean) + Sd * slots[FirstSlot + t];
                    row[t] = x;
                }
                break;
            }
            case YearlyKind.StepChange:
            {
                var x = Start;
                for (var t = 0; t < years; t++)
                {
                    if (slots[FirstSlot + t] < Probability) x += Step;
                    row[t] = x;
                }
                break;
            }
        }
    }
}
