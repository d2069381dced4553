namespace DistrictSim.Cli;

/// <summary>
/// What a command may touch outside its arguments: the output and error writers, whether they are
/// terminals, the cancellation token (Ctrl+C), the clock (for output folder names) and the working folder.
/// Tests build one with string writers; the program builds one from the console.
/// </summary>
public sealed record CliEnvironment
{
    public required TextWriter Out { get; init; }
    public required TextWriter Error { get; init; }
    public CancellationToken Cancellation { get; init; }
    /// <summary>Standard output is a terminal: render tables with colour and width.</summary>
    public bool OutIsTerminal { get; init; }
    /// <summary>Standard error is a terminal: draw a live progress bar there, else plain progress lines.</summary>
    public bool ErrorIsTerminal { get; init; }
    public TimeProvider Clock { get; init; } = TimeProvider.System;
    /// <summary>Folder that relative paths and the default out/ folder are resolved against.</summary>
    public string WorkingDirectory { get; init; } = Directory.GetCurrentDirectory();
    /// <summary>Interval between plain progress lines when standard error is not a terminal.</summary>
    public TimeSpan PlainProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    public static CliEnvironment FromConsole(CancellationToken cancellation) => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        Cancellation = cancellation,
        OutIsTerminal = !Console.IsOutputRedirected,
        ErrorIsTerminal = !Console.IsErrorRedirected,
    };

    /// <summary>A path argument resolved against <see cref="WorkingDirectory"/>.</summary>
    public string Resolve(string path) => Path.GetFullPath(path, WorkingDirectory);
}
