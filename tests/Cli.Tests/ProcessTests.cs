using System.Text.Json;

namespace DistrictSim.Cli.Tests;

/// <summary>End to end: the built districtsim.dll as its own process, as a user or a script runs it.</summary>
public sealed class ProcessTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Process_RunJson_Exits0_WritesTheFolder_AndPrintsParseableJson()
    {
        var outcome = CliProcess.Run(_cli.Directory, "run", Repo.Reference, "--paths", "2000", "--json", "--out", "p", "--no-charts");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        using var json = JsonDocument.Parse(outcome.Out);
        Assert.Equal(2000, json.RootElement.GetProperty("paths").GetInt64());
        Assert.True(File.Exists(_cli.PathOf("p/summary.json")));
        // Not a terminal: plain progress lines on stderr, no escape codes anywhere.
        Assert.Contains("paths/s", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", outcome.Error + outcome.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Process_BrokenScenario_Exits2_AndBadUsage_Exits2()
    {
        var broken = _cli.WriteVariant(Repo.Reference, "horizon_years: 30", "horizon_years: thirty", "broken.yaml");
        var outcome = CliProcess.Run(_cli.Directory, "run", "broken.yaml");
        Assert.Equal(2, outcome.ExitCode);
        Assert.Matches(@"^broken\.yaml:\d+:\d+: timeline\.horizon_years: ", outcome.Error);
        Assert.True(File.Exists(broken));

        var usage = CliProcess.Run(_cli.Directory, "run", "--paths", "0");
        Assert.Equal(2, usage.ExitCode);
    }
}
