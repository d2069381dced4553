using System.CommandLine;

namespace DistrictSim.Cli.Commands;

public static class BenchCommand
{
    public static Command Create(CliEnvironment environment) => new("bench", "not yet");
}
