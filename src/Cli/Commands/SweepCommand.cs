using System.CommandLine;

namespace DistrictSim.Cli.Commands;

public static class SweepCommand
{
    public static Command Create(CliEnvironment environment) => new("sweep", "not yet");
}
