namespace DistrictSim.Cli.Tests;

/// <summary>0 success; 2 bad input or usage, with a located message; 1 internal error; 130 interrupted.</summary>
public sealed class ExitCodeTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Run_BrokenScenario_Exits2_WithTheLocatedMessage_AndWritesNothing()
    {
        var broken = _cli.WriteVariant(Repo.Reference, "horizon_years: 30", "horizon_years: thirty", "broken.yaml");
        var outcome = _cli.Run("run", broken, "--paths", "1000", "--out", "r");
        Assert.Equal(2, outcome.ExitCode);
        // file:line:column: field.path: message, the path as the user gave it.
        Assert.Matches(@"broken\.yaml:\d+:\d+: timeline\.horizon_years: ", outcome.Error);
        Assert.False(Directory.Exists(_cli.PathOf("r")));
    }

    [Fact]
    public void Run_MissingScenarioFile_Exits2()
    {
        var outcome = _cli.Run("run", "no-such.yaml");
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("no-such.yaml: no such scenario file", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MorePathsThanACorrelationPlanHolds_Exits2_BeforeRunning()
    {
        var outcome = _cli.Run("run", Repo.Reference, "--paths", "3000000000", "--sampling", "lhs", "--no-charts", "--out", "big");
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("more than a correlation group can be planned for under Latin hypercube sampling", outcome.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_cli.PathOf("big")));
    }

    [Theory]
    [InlineData("run")]
    [InlineData("run", "x.yaml", "--paths", "-5")]
    [InlineData("run", "x.yaml", "--paths", "many")]
    [InlineData("run", "x.yaml", "--sampling", "sobol")]
    [InlineData("run", "x.yaml", "--threads", "-1")]
    [InlineData("run", "x.yaml", "--target-rse", "0")]
    [InlineData("run", "x.yaml", "--bogus")]
    [InlineData("frobnicate")]
    [InlineData]
    [InlineData("compare", "only-one.yaml")]
    [InlineData("sweep", "x.yaml")]
    [InlineData("validate")]
    public void BadUsage_Exits2_WithAHint(params string[] args)
    {
        var outcome = _cli.Run(args);
        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("--help", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Sweep_APointThatMakesTheScenarioInvalid_Exits2_NamingThePoint()
    {
        // 40% is valid; at 80% the shares of capex add up to more than 100%.
        var outcome = _cli.Run("sweep", Repo.Reference, "--set", "funding.special_bond.share=40%:80%:40%", "--paths", "500", "--no-charts", "--out", "sweep");
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("at the sweep point funding.special_bond.share=0.8", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("above 100%", outcome.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_cli.PathOf("sweep")));
    }

    [Theory]
    [InlineData("funding.special_bond.share=30%:50%")]
    [InlineData("funding.special_bond.share=50%:30%:5%")]
    [InlineData("funding.special_bond.share=a:b:c")]
    [InlineData("no.such.field=1:2:1")]
    public void Sweep_BadSet_Exits2(string set)
    {
        var outcome = _cli.Run("sweep", Repo.Reference, "--set", set, "--paths", "500", "--out", "s", "--no-charts");
        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.False(Directory.Exists(_cli.PathOf("s")));
    }

    [Fact]
    public void Validate_AllOfTheCaseLibrary_Exits0()
    {
        var files = Repo.CaseLibrary.ToArray();
        Assert.NotEmpty(files);
        var outcome = _cli.Run(["validate", .. files]);
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Equal(files.Length, outcome.Out.Split('\n').Count(l => l.EndsWith(": valid", StringComparison.Ordinal)));
    }

    [Fact]
    public void Validate_OneBrokenAmongValid_Exits2_AndPrintsEveryLocatedError()
    {
        var broken = _cli.WriteVariant(Repo.Reference, "horizon_years: 30", "horizon_years: thirty", "broken.yaml");
        var twice = _cli.WriteVariant(broken, "construction_years: 2", "construction_years: two", "twice.yaml");
        var outcome = _cli.Run("validate", Repo.Reference, broken, twice);
        Assert.Equal(2, outcome.ExitCode);
        Assert.Matches(@"broken\.yaml:\d+:\d+: timeline\.horizon_years: ", outcome.Error);
        Assert.Matches(@"twice\.yaml:\d+:\d+: timeline\.construction_years: ", outcome.Error);
        Assert.Matches(@"twice\.yaml:\d+:\d+: timeline\.horizon_years: ", outcome.Error);
        Assert.Contains("2 of 3 scenario(s) invalid", outcome.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("base")]
    [InlineData("validate")]
    [InlineData("compare")]
    [InlineData("sweep")]
    [InlineData("schema")]
    [InlineData("new")]
    [InlineData("bench")]
    public void Help_OnEveryCommand_ShowsARealExample(string command)
    {
        var outcome = _cli.Run(command, "--help");
        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains($"Example: districtsim {command} ", outcome.Out, StringComparison.Ordinal);
    }
}

public sealed class InternalErrorTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void AnUnexpectedFailure_Exits1_WithOneLine_AndTheStackTraceOnlyWithVerbose()
    {
        // The output's parent is a file: creating the staging folder fails with an IOException nobody expects.
        File.WriteAllText(_cli.PathOf("blocker"), "");
        var quiet = _cli.Run("run", Repo.Reference, "--paths", "500", "--out", "blocker/sub", "--no-charts");
        Assert.Equal(1, quiet.ExitCode);
        var lines = quiet.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.Contains("paths/s", StringComparison.Ordinal)).ToList();
        Assert.Single(lines);
        Assert.StartsWith("districtsim: internal error: ", lines[0], StringComparison.Ordinal);

        var verbose = _cli.Run("run", Repo.Reference, "--paths", "500", "--out", "blocker/sub", "--no-charts", "--verbose");
        Assert.Equal(1, verbose.ExitCode);
        Assert.Contains("   at ", verbose.Error, StringComparison.Ordinal);
    }
}
