using Spectre.Console;

namespace DistrictSim.Cli.Rendering;

/// <summary>Spectre consoles over the environment's writers: colour and live widgets on terminals, plain wide text elsewhere.</summary>
public static class Consoles
{
    public static IAnsiConsole ForOut(CliEnvironment environment) => Create(environment.Out, environment.OutIsTerminal);

    public static IAnsiConsole ForError(CliEnvironment environment) => Create(environment.Error, environment.ErrorIsTerminal);

    private static IAnsiConsole Create(TextWriter writer, bool terminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            // Redirected output: never wrap a table at the fallback width of 80 columns.
            console.Profile.Width = 240;
            console.Profile.Capabilities.Unicode = true;
        }

        return console;
    }
}
