using System.CommandLine;
using DistrictSim.Cli.Commands;

namespace DistrictSim.Cli;

/// <summary>
/// The districtsim application: the command tree, and the one place where outcomes become exit codes.
/// Takes its arguments, writers and cancellation from a <see cref="CliEnvironment"/>, so tests drive it in-process.
/// </summary>
public static class CliApp
{
    public static int Run(string[] args, CliEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var root = BuildRoot(environment);
        ParseResult parsed;
        try
        {
            parsed = root.Parse(args);
        }
        catch (Exception e)
        {
            // A validator met a value that did not parse: still a usage error.
            environment.Error.WriteLine($"districtsim: {e.Message}");
            environment.Error.WriteLine("Run 'districtsim --help' (or 'districtsim COMMAND --help') for usage and an example.");
            return ExitCodes.Usage;
        }

        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) environment.Error.WriteLine($"districtsim: {error.Message}");
            var command = parsed.CommandResult.Command;
            var name = command is RootCommand ? "districtsim" : $"districtsim {command.Name}";
            environment.Error.WriteLine($"Run '{name} --help' for usage and an example.");
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration
        {
            Output = environment.Out,
            Error = environment.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        try
        {
            return parsed.Invoke(configuration);
        }
        catch (Exception e)
        {
            // Commands map their own failures; this catches what escapes them (a bug).
            environment.Error.WriteLine($"districtsim: internal error: {e.GetType().Name}: {e.Message}");
            return ExitCodes.InternalError;
        }
    }

    /// <summary>The command tree; each command's action closes over the environment.</summary>
    public static RootCommand BuildRoot(CliEnvironment environment)
    {
        var root = new RootCommand(
            "districtsim: Monte Carlo of an old-community renovation district's funding, revenues and debt service.\n" +
            "Example: districtsim run scenarios/reference-district.yaml --paths 20000 --out results/reference");
        root.Add(RunCommand.Create(environment));
        root.Add(BaseCaseCommand.Create(environment));
        root.Add(ValidateCommand.Create(environment));
        root.Add(CompareCommand.Create(environment));
        root.Add(SweepCommand.Create(environment));
        root.Add(SchemaCommand.Create(environment));
        root.Add(NewCommand.Create(environment));
        root.Add(BenchCommand.Create(environment));
        return root;
    }
}

/// <summary>The exit codes districtsim documents.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>An internal error: a one-line message (the stack trace with --verbose).</summary>
    public const int InternalError = 1;
    /// <summary>Bad input or usage: a located message.</summary>
    public const int Usage = 2;
    /// <summary>Interrupted (Ctrl+C): nothing partial was written.</summary>
    public const int Interrupted = 130;
}

/// <summary>A user error (bad scenario, bad option value, an existing output): reported as is, exit 2.</summary>
public sealed class UsageException : Exception
{
    public UsageException(string message) : base(message) { }

    public UsageException(IEnumerable<string> lines) : base(string.Join(Environment.NewLine, lines)) { }

    public UsageException() { }

    public UsageException(string message, Exception inner) : base(message, inner) { }
}
