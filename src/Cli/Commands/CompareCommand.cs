using System.CommandLine;

namespace DistrictSim.Cli.Commands;

public static class CompareCommand
{
    public static Command Create(CliEnvironment environment) => new("compare", "not yet");
}
