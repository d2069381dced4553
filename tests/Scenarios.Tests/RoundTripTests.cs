using DistrictSim.Model;
using FsCheck.Xunit;

namespace DistrictSim.Scenarios.Tests;

public class RoundTripTests
{
    [Fact]
    public void Reference_district_written_and_loaded_again_is_equal()
    {
        var first = ScenarioLoader.Load(TestPaths.Reference).District!;
        var yaml = ScenarioWriter.Write(first);
        var second = ScenarioLoader.LoadText(yaml, Path.Combine(TestPaths.Root, "scenarios", "written.yaml"));
        Assert.True(second.Success, string.Join("\n", second.Diagnostics) + "\n" + yaml);
        Assert.Equal(first, second.District);
    }

    [Property(Arbitrary = [typeof(DistrictGenerators)], MaxTest = 150, EndSize = 20)]
    public bool Every_district_the_loader_accepts_compiles_and_evaluates(District district)
    {
        // What validation lets through, the engine must take: no ModelException after a clean load, so a
        // user never meets an unlocated error. Then one Monte Carlo path and the base case run.
        var loaded = ScenarioLoader.LoadText(ScenarioWriter.Write(district), "generated.yaml");
        // The generator makes valid districts only, so every one must load (no vacuous pass).
        if (!loaded.Success) throw new Xunit.Sdk.XunitException("a generated district was rejected:\n" + string.Join("\n", loaded.Diagnostics));
        var compiled = DistrictSim.Compilation.DistrictCompiler.Compile(loaded.District!);
        DistrictSim.Evaluation.BaseCase.Evaluate(compiled);
        DistrictSim.MonteCarlo.MonteCarloEngine.Run(compiled, new DistrictSim.MonteCarlo.RunOptions { Paths = 64, Seed = 1, Threads = 1 });
        return true;
    }

    [Property(Arbitrary = [typeof(DistrictGenerators)], MaxTest = 150, EndSize = 20)]
    public bool Any_valid_district_survives_write_then_load(District district)
    {
        var yaml = ScenarioWriter.Write(district);
        var loaded = ScenarioLoader.LoadText(yaml, "generated.yaml");
        if (!loaded.Success || !district.Equals(loaded.District))
        {
            throw new Xunit.Sdk.XunitException("round trip failed:\n" + string.Join("\n", loaded.Diagnostics) + "\n--- written ---\n" + yaml
                + "\n--- expected ---\n" + district + "\n--- loaded ---\n" + loaded.District);
        }
        return true;
    }
}
