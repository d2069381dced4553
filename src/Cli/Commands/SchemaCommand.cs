using System.CommandLine;
using DistrictSim.Scenarios;

namespace DistrictSim.Cli.Commands;

/// <summary><c>districtsim schema</c>: the scenario format's JSON Schema, for editors.</summary>
internal sealed class SchemaCommand : Command
{
    public Option<string?> Out { get; } = new("--out", "-o") { Description = "Write the schema to FILE instead of standard output." };
    public Option<bool> Force { get; } = CommonOptions.Force();

    private SchemaCommand()
        : base("schema",
            "Print the JSON Schema of scenario files (point your editor's YAML language server at it).\n" +
            "Example: districtsim schema --out schema/districtsim.schema.json")
    {
        Add(Out);
        Add(Force);
    }

    public static SchemaCommand Create(CliEnvironment environment)
    {
        var command = new SchemaCommand();
        command.SetAction(parse => CommandExecution.Execute(environment, false, () =>
        {
            var schema = ScenarioSchema.Generate();
            if (parse.GetValue(command.Out) is { } file)
            {
                var full = Output.AtomicFile.Check(environment, "--out", file, parse.GetValue(command.Force));
                Output.AtomicFile.Write(full, f => File.WriteAllText(f, schema));
                environment.Out.WriteLine($"schema: {full}");
            }
            else
            {
                environment.Out.Write(schema);
                if (!schema.EndsWith('\n')) environment.Out.WriteLine();
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
