using System.CommandLine;

namespace DistrictSim.Cli.Commands;

public static class NewCommand
{
    public static Command Create(CliEnvironment environment) => new("new", "not yet");
}
