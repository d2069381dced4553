using System.CommandLine;
using DistrictSim.Cli.Output;
using DistrictSim.Scenarios;

namespace DistrictSim.Cli.Commands;

/// <summary><c>districtsim new</c>: a commented starter scenario that validates.</summary>
internal sealed class NewCommand : Command
{
    public Argument<string> DistrictName { get; } = new("name") { Description = "The district's name (also the file name when --out is not given)." };
    public Option<string?> Out { get; } = new("--out", "-o") { Description = "The file to write (default: <name-slug>.yaml in the current folder)." };
    public Option<bool> Force { get; } = CommonOptions.Force();
    public Option<bool> Verbose { get; } = CommonOptions.Verbose();

    private NewCommand()
        : base("new",
            "Write a commented starter scenario that validates; never overwrites an existing file without --force.\n" +
            "Example: districtsim new \"Qingshan district\" --out scenarios/qingshan.yaml")
    {
        Add(DistrictName);
        Add(Out);
        Add(Force);
        Add(Verbose);
    }

    public static NewCommand Create(CliEnvironment environment)
    {
        var command = new NewCommand();
        command.SetAction(parse => CommandExecution.Execute(environment, parse.GetValue(command.Verbose), () =>
        {
            var name = parse.GetRequiredValue(command.DistrictName);
            if (string.IsNullOrWhiteSpace(name)) throw new UsageException("new: the name must not be empty.");
            var file = parse.GetValue(command.Out) ?? Slugs.From(name) + ".yaml";
            var full = AtomicFile.Check(environment, "--out", file, parse.GetValue(command.Force));
            var text = ScenarioTemplates.Starter(name);
            AtomicFile.Write(full, f => File.WriteAllText(f, text));
            environment.Out.WriteLine($"wrote {file}; check it with: districtsim validate {file}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
