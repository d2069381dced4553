using System.CommandLine;

namespace DistrictSim.Cli.Commands;

public static class SchemaCommand
{
    public static Command Create(CliEnvironment environment) => new("schema", "not yet");
}
