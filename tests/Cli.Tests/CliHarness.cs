using System.Diagnostics;

namespace DistrictSim.Cli.Tests;

/// <summary>The repository's folders, found by walking up from the test binaries to Simulator.sln.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Scenarios => Path.Combine(Root, "scenarios");

    public static string Reference => Path.Combine(Scenarios, "reference-district.yaml");

    public static string Wuhan => Path.Combine(Scenarios, "wuhan-zhiyin-dongyuan.yaml");

    public static string WuhanBond50 => Path.Combine(Scenarios, "wuhan-zhiyin-dongyuan-bond-50.yaml");

    public static IEnumerable<string> CaseLibrary => Directory.EnumerateFiles(Scenarios, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Simulator.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("no Simulator.sln above " + AppContext.BaseDirectory);
    }
}

internal sealed record CliOutcome(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>Runs districtsim in-process in a fresh temporary working folder, capturing its output.</summary>
internal sealed class CliHarness : IDisposable
{
    public CliHarness()
    {
        Directory = Path.Combine(Path.GetTempPath(), "districtsim-cli-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string PathOf(string relative) => Path.Combine(Directory, relative);

    public CliOutcome Run(params string[] args) => Run(CancellationToken.None, args);

    public CliOutcome Run(CancellationToken cancellation, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CliApp.Run(args, new CliEnvironment
        {
            Out = output,
            Error = error,
            Cancellation = cancellation,
            WorkingDirectory = Directory,
            OutIsTerminal = false,
            ErrorIsTerminal = false,
        });
        return new CliOutcome(code, output.ToString(), error.ToString());
    }

    /// <summary>A copy of a case-library scenario with one text replacement (to break it on purpose).</summary>
    public string WriteVariant(string source, string find, string replace, string name)
    {
        var text = File.ReadAllText(source);
        Assert.Contains(find, text, StringComparison.Ordinal);
        var path = PathOf(name);
        File.WriteAllText(path, text.Replace(find, replace, StringComparison.Ordinal));
        return path;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Runs the built districtsim.dll as a separate process with <c>dotnet</c>.</summary>
internal static class CliProcess
{
    public static string Dll
    {
        get
        {
            var next = Path.Combine(AppContext.BaseDirectory, "districtsim.dll");
            return File.Exists(next) ? next : typeof(CliApp).Assembly.Location;
        }
    }

    public static CliOutcome Run(string workingDirectory, params string[] args)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"districtsim {string.Join(' ', args)} did not finish in 60 s");
        }
        return new CliOutcome(process.ExitCode, output.Result, error.Result);
    }
}
