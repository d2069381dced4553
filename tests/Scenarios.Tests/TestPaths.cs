namespace DistrictSim.Scenarios.Tests;

internal static class TestPaths
{
    /// <summary>The repository root: the folder holding Simulator.sln above the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string Reference => Path.Combine(Root, "scenarios", "reference-district.yaml");

    public static string Broken => Path.Combine(Root, "tests", "Scenarios.Tests", "Broken");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Simulator.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("no Simulator.sln above " + AppContext.BaseDirectory);
    }
}
