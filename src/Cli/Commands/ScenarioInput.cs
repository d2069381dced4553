using DistrictSim.Compilation;
using DistrictSim.Model;
using DistrictSim.Scenarios;

namespace DistrictSim.Cli.Commands;

/// <summary>A scenario loaded, validated and compiled: what every simulating command starts from.</summary>
public sealed record LoadedScenario(string Path, District District, CompiledDistrict Compiled)
{
    /// <summary>A name safe for folders: lower case letters, digits and dashes, from the file name.</summary>
    public string Slug => Slugs.From(System.IO.Path.GetFileNameWithoutExtension(Path));
}

/// <summary>Loads scenarios for the commands: located errors become a <see cref="UsageException"/> (exit 2), warnings go to standard error.</summary>
public static class ScenarioInput
{
    public static LoadedScenario Load(CliEnvironment environment, string path, IReadOnlyList<FieldOverride>? overrides = null)
    {
        var district = LoadDistrict(environment, path, overrides);
        return new LoadedScenario(path, district, Compile(environment, path, district));
    }

    public static District LoadDistrict(CliEnvironment environment, string path, IReadOnlyList<FieldOverride>? overrides = null)
    {
        var full = environment.Resolve(path);
        if (!File.Exists(full))
        {
            throw new UsageException($"{path}: no such scenario file");
        }

        var result = ScenarioLoader.Load(full, overrides);
        foreach (var warning in result.Warnings) environment.Error.WriteLine(Relative(environment, warning.ToString()));
        if (!result.Success || result.District is null)
        {
            var errors = result.Errors.Select(e => Relative(environment, e.ToString())).ToList();
            if (errors.Count == 0) errors.Add($"{path}: the scenario could not be loaded");
            throw new UsageException(errors);
        }

        return result.District;
    }

    public static CompiledDistrict Compile(CliEnvironment environment, string path, District district)
    {
        try
        {
            var compiled = DistrictCompiler.Compile(district);
            foreach (var warning in compiled.Warnings) environment.Error.WriteLine($"{path}: warning: {warning}");
            return compiled;
        }
        catch (ModelException e)
        {
            throw new UsageException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Diagnostics carry absolute paths; show them relative to the working folder, as the user typed them.</summary>
    private static string Relative(CliEnvironment environment, string line)
    {
        var prefix = environment.WorkingDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar) + System.IO.Path.DirectorySeparatorChar;
        return line.StartsWith(prefix, StringComparison.Ordinal) ? line[prefix.Length..] : line;
    }
}

public static class Slugs
{
    public static string From(string name)
    {
        var chars = name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        var slug = string.Join('-', new string(chars).Split('-', StringSplitOptions.RemoveEmptyEntries));
        return slug.Length == 0 ? "scenario" : slug;
    }
}
