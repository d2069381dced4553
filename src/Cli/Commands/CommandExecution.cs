namespace DistrictSim.Cli.Commands;

/// <summary>Thrown when Ctrl+C stopped a command; its message says how far it got. Exit 130.</summary>
public sealed class InterruptedException : Exception
{
    public InterruptedException(string message) : base(message) { }

    public InterruptedException() { }

    public InterruptedException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>Runs a command's body and turns its outcome into an exit code, the same way for every command.</summary>
public static class CommandExecution
{
    public static int Execute(CliEnvironment environment, bool verbose, Func<int> body)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return body();
        }
        catch (UsageException e)
        {
            environment.Error.WriteLine(e.Message);
            return ExitCodes.Usage;
        }
        catch (InterruptedException e)
        {
            environment.Error.WriteLine($"districtsim: {e.Message}");
            return ExitCodes.Interrupted;
        }
        catch (OperationCanceledException) when (environment.Cancellation.IsCancellationRequested)
        {
            environment.Error.WriteLine("districtsim: interrupted; nothing partial was written.");
            return ExitCodes.Interrupted;
        }
        catch (Exception e)
        {
            environment.Error.WriteLine($"districtsim: internal error: {e.GetType().Name}: {FirstLine(e.Message)}{(verbose ? "" : " (run with --verbose for the stack trace)")}");
            if (verbose) environment.Error.WriteLine(e.ToString());
            return ExitCodes.InternalError;
        }
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
