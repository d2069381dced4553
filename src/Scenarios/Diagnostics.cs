namespace DistrictSim.Scenarios;

public enum Severity
{
    Error,
    Warning,
}

/// <summary>One problem in a scenario, located at a file, a 1-based line and column, and a field path.</summary>
public sealed record Diagnostic(string File, int Line, int Column, string FieldPath, string Message, Severity Severity)
{
    public bool IsError => Severity == Severity.Error;

    /// <summary><c>file:line:column: field.path: message</c>, with <c>warning: </c> before the path for warnings.</summary>
    public override string ToString()
    {
        var prefix = Severity == Severity.Warning ? "warning: " : "";
        var path = FieldPath.Length > 0 ? FieldPath + ": " : "";
        return $"{File}:{Line}:{Column}: {prefix}{path}{Message}";
    }
}

/// <summary>The district loaded from a scenario (null when there were errors) and every diagnostic.</summary>
public sealed record LoadResult(Model.District? District, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool Success => District != null && !Diagnostics.Any(d => d.IsError);

    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => d.IsError);

    public IEnumerable<Diagnostic> Warnings => Diagnostics.Where(d => !d.IsError);
}

/// <summary>
/// Sets one field before the file is mapped: <c>funding.special_bond.share=35%</c>. Named list items are
/// addressed by name, other list items by index; the value is YAML (a number, or a one-line distribution).
/// </summary>
public sealed record FieldOverride(string Path, string Value);
