using System.Text;

namespace DistrictSim.Scenarios.Tests;

/// <summary>Files no loader should choke on: huge, links out of the folder, every truncation of a valid file.</summary>
public sealed class HostileInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("districtsim-scenarios-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_50_MB_file_is_a_located_error_without_being_parsed()
    {
        var path = Path.Combine(_dir, "huge.yaml");
        using (var stream = File.Create(path))
        {
            var line = Encoding.UTF8.GetBytes("# padding padding padding padding padding padding padding padding\n");
            for (long written = 0; written < 50L * 1024 * 1024; written += line.Length) stream.Write(line);
        }
        var result = ScenarioLoader.Load(path);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal((1, 1), (d.Line, d.Column));
        Assert.Contains("larger than the limit of 10 MB", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Huge_text_given_in_memory_is_a_located_error()
    {
        var result = ScenarioLoader.LoadText(new string('#', 11 * 1024 * 1024), "big.yaml");
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("larger than the limit", StringComparison.Ordinal));
    }

    [Fact]
    public void A_symlink_pointing_outside_the_folder_is_an_error()
    {
        var outside = Path.Combine(_dir, "outside.yaml");
        File.Copy(Path.Combine(TestPaths.Broken, "valid-base.yaml"), outside);
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "scenario")).FullName;
        File.CreateSymbolicLink(Path.Combine(folder, "base.yaml"), outside);
        File.WriteAllText(Path.Combine(folder, "variant.yaml"), "extends: base.yaml\nname: Linked\n");
        var result = ScenarioLoader.Load(Path.Combine(folder, "variant.yaml"));
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal((1, 10, "extends"), (d.Line, d.Column, d.FieldPath));
        Assert.Contains("link to a file outside the scenario folder", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_generated_at_run_time_is_capped()
    {
        var result = ScenarioLoader.LoadText("a: " + new string('[', 100_000) + new string(']', 100_000), "deep.yaml");
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("nests deeper than 64", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_truncation_and_corruption_of_a_valid_file_gives_diagnostics_not_exceptions()
    {
        var text = File.ReadAllText(Path.Combine(TestPaths.Broken, "valid-base.yaml"));
        var random = new Random(7);
        for (var i = 0; i < text.Length; i += 3)
        {
            var truncated = ScenarioLoader.LoadText(text[..i], "t.yaml");
            Assert.NotNull(truncated.Diagnostics);
            var chars = text.ToCharArray();
            const string Noise = "{}[]:,-#&*!|>'\"%@` \n\t0";
            chars[i] = Noise[random.Next(Noise.Length)];
            var corrupted = ScenarioLoader.LoadText(new string(chars), "c.yaml");
            Assert.True(corrupted.Success || corrupted.Diagnostics.Any(d => d.IsError));
            Assert.DoesNotContain(corrupted.Diagnostics, d => d.Message.Contains("failed unexpectedly", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_missing_file_is_a_located_error()
    {
        var result = ScenarioLoader.Load(Path.Combine(_dir, "nope.yaml"));
        Assert.Equal("no such file", Assert.Single(result.Diagnostics).Message);
    }
}
