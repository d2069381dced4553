using DistrictSim.Compilation;

namespace DistrictSim.Evaluation;

/// <summary>The base case: every input at its base value (its mean unless the scenario says otherwise).</summary>
public static class BaseCase
{
    public static Statement Evaluate(CompiledDistrict district)
    {
        var evaluator = new PathEvaluator(district);
        var slots = district.BaseSlotValues.ToArray();
        var metrics = evaluator.Evaluate(slots);
        return evaluator.ToStatement(metrics);
    }

    /// <summary>One path with the given input values (for example a path re-drawn for inspection).</summary>
    public static Statement Evaluate(CompiledDistrict district, ReadOnlySpan<double> slots)
    {
        var evaluator = new PathEvaluator(district);
        var metrics = evaluator.Evaluate(slots);
        return evaluator.ToStatement(metrics);
    }
}
